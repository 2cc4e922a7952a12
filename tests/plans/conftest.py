"""Factories for plans, elements and local indicators."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from tests.factories import boundary
from tracker.cities.models import City
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator
from tracker.plans.models import Plan, PlanCreate, PlanElement, PlanElementCreate
from tracker.plans.services import add_element, create_plan


@pytest.fixture
def make_plan(app: Flask, db: Session) -> Callable[..., Plan]:
    """Create a plan of a city."""

    def make(city: City, **kwargs: Any) -> Plan:
        kwargs.setdefault("kind", "integrated_development_plan")
        kwargs.setdefault("title", "Integrated Development Plan")
        kwargs.setdefault("start_year", 2022)
        kwargs.setdefault("end_year", 2026)
        kwargs.setdefault("level_names", ["Plan", "Programme", "Project"])
        with boundary(app, db):
            return create_plan(session=db, city=city, plan_in=PlanCreate(**kwargs), user_id=None)

    return make


@pytest.fixture
def make_element(app: Flask, db: Session) -> Callable[..., PlanElement]:
    """Add an element to a plan."""

    def make(plan: Plan, code: str, parent: PlanElement | None = None, **kwargs: Any
             ) -> PlanElement:
        kwargs.setdefault("title", f"Element {code}")
        element_in = PlanElementCreate(code=code, parent_id=parent.id if parent else None,
                                       **kwargs)
        with boundary(app, db):
            return add_element(session=db, plan=plan, element_in=element_in, user_id=None)

    return make


@pytest.fixture
def make_indicator(app: Flask, db: Session) -> Callable[..., LocalIndicator]:
    """Define a local indicator of a city."""

    def make(city: City, code: str = "IND-1", **kwargs: Any) -> LocalIndicator:
        kwargs.setdefault("name", f"Indicator {code}")
        kwargs.setdefault("unit_kind", "percent")
        kwargs.setdefault("direction", "higher")
        indicator_in = LocalIndicatorCreate(code=code, **kwargs)
        with boundary(app, db):
            return create_indicator(session=db, city=city, indicator_in=indicator_in,
                                    user_id=None)

    return make
