"""Fixtures and helpers shared by the bulk import and export tests (no tests here)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import boundary
from tracker.audit.models import AuditEvent
from tracker.bulk import plan_sheet, services
from tracker.bulk.report import ImportReport
from tracker.cities.models import City
from tracker.indicators.models import LocalIndicator
from tracker.plans.models import ElementAlignment, Plan, PlanElement

DATA = Path(__file__).resolve().parent.parent / "data"
STRUCTURE_CSV = (DATA / "bulk_structure.csv").read_bytes()
STRUCTURE_BAD = (DATA / "bulk_structure_bad.csv").read_bytes()
INDICATORS_CSV = (DATA / "bulk_indicators.csv").read_bytes()
INDICATORS_BAD = (DATA / "bulk_indicators_bad.csv").read_bytes()
STRUCTURE_HEADER = ",".join(plan_sheet.HEADER)


@pytest.fixture(name="idp")
def idp_fixture(make_city: Callable[..., City], make_plan: Callable[..., Plan]) -> Plan:
    """An empty IDP (key IDP-2022) of a fresh city."""
    return make_plan(make_city(), kind="integrated_development_plan", start_year=2022)


def import_structure(app: Flask, db: Session, plan: Plan, data: bytes, save: bool = True
                     ) -> ImportReport:
    """Import a structure file at a unit-of-work boundary."""
    with boundary(app, db):
        return services.import_structure(session=db, plan=plan, data=data, user_id=None,
                                         save=save)


def import_indicators(app: Flask, db: Session, city: City, data: bytes, save: bool = True
                      ) -> ImportReport:
    """Import an indicator file at a unit-of-work boundary."""
    with boundary(app, db):
        return services.import_indicators(session=db, city=city, data=data, user_id=None,
                                          save=save)


def export(app: Flask, db: Session, what: Plan | City, fmt: str = "csv") -> bytes:
    """Export a plan's structure or a city's indicators."""
    with app.app_context():
        if isinstance(what, Plan):
            return services.export_structure(session=db, plan=what, fmt=fmt)
        return services.export_indicators(session=db, city=what, fmt=fmt)


def counts(db: Session) -> dict[str, int]:
    """Count what an import may write: elements, alignments, indicators, history."""
    return {model.__name__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in (PlanElement, ElementAlignment, LocalIndicator, AuditEvent)}


def where(report: ImportReport) -> set[tuple[int, str]]:
    """Return the (row, column) of every error."""
    return {(error.row, error.column) for error in report.errors}


def messages(report: ImportReport) -> str:
    """Return every error on its own line."""
    return "\n".join(str(error) for error in report.errors)


def one(db: Session, model: Any, **filters: Any) -> Any:
    """Return the one record matching the filters."""
    query = select(model).filter_by(**filters)
    return db.scalars(query).one()


def sheet(*rows: str) -> bytes:
    """Return a structure CSV with these data rows."""
    return "\n".join([STRUCTURE_HEADER, *rows]).encode()


def elements(db: Session, plan: Plan) -> dict[str, PlanElement]:
    """Return a plan's elements by code."""
    query = select(PlanElement).where(PlanElement.plan_id == plan.id)
    return {e.code: e for e in db.scalars(query)}


def city_of(db: Session, plan: Plan) -> City:
    """Return a plan's city."""
    city = db.get(City, plan.city_id)
    assert city is not None
    return city


@pytest.fixture(name="loaded")
def loaded_fixture(app: Flask, db: Session, idp: Plan) -> Plan:
    """An IDP with the sample structure and the city's sample indicators imported."""
    assert import_structure(app, db, idp, STRUCTURE_CSV).ok
    report = import_indicators(app, db, city_of(db, idp), INDICATORS_CSV)
    assert report.ok, messages(report)
    return idp
