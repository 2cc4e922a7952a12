"""Demo values: published Helsinki figures kept exactly, synthetic ones marked, statuses
spread over the workflow, each with history, and a second load adds nothing."""

from decimal import Decimal

from flask import Flask
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.demo.data import SYNTHETIC
from tracker.demo.observations_data import VALUES, VLR_2023
from tracker.demo.services import load_demo
from tracker.indicators.models import LocalIndicator


def values_of(db: Session, code: str, key: str = "") -> list[tuple[int, int, Decimal, str]]:
    """Return (year, quarter, value, status) of an indicator's cells."""
    rows = db.exec(select(Observation).join(LocalIndicator).where(
        LocalIndicator.code == code, Observation.breakdown_key == key)
        .order_by(Observation.year, Observation.quarter)).all()
    return [(o.year, o.quarter, o.value, o.status.value) for o in rows]  # type: ignore[misc]


def test_demo_values_load_once_with_their_sources_and_history(app: Flask, db: Session) -> None:
    with app.app_context():
        load_demo(db)
        db.commit()
        total = db.scalar(select(func.count()).select_from(Observation))
        load_demo(db)
        db.commit()
    expected = sum(len(points) for city in VALUES.values() for _, series in city.values()
                   for points in series.values())
    assert total == expected == db.scalar(select(func.count()).select_from(Observation))
    assert db.scalar(select(func.count()).select_from(ObservationChange)) == expected
    assert values_of(db, "HEL-HOMELESS") == [
        (2018, 0, Decimal("602"), "approved"), (2019, 0, Decimal("601"), "approved"),
        (2020, 0, Decimal("518"), "approved"), (2021, 0, Decimal("450"), "submitted")]
    assert [v for _, _, v, _ in values_of(db, "DIF-6.1", "area=rural")][:2] == [
        Decimal("66.5"), Decimal("69.2")]
    sources = {o.source for o in db.exec(select(Observation)).all()}
    assert sources <= {SYNTHETIC, VLR_2023, VLR_2023 + "; the two values are placed in 2020 "
                                                       "and 2021"}
    statuses = {o.status for o in db.exec(select(Observation)).all()}
    assert ObservationStatus.DRAFT in statuses and ObservationStatus.SUBMITTED in statuses
