"""Observation services: exact values, breakdowns, history, optimistic locking, workflow."""

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tracker.data.models import MissingReason, ObservationChange, ObservationStatus
from tracker.data.services import (
    Entry,
    ObservationError,
    delete_observation,
    review_observation,
    save_observation,
)
from tracker.errors import StaleEditError


@pytest.fixture
def indicator(make_city, make_indicator):  # type: ignore[no-untyped-def]
    return make_indicator(make_city(), "WS-1", dimensions=[{"name": "sex",
                                                           "values": ["female", "male"]}])


def history(db: Session, cell_id: int) -> list[tuple[str, str, str, str]]:
    """Return (action, old value, new value, new status) of a cell's changes."""
    rows = db.scalars(select(ObservationChange).where(
        ObservationChange.observation_id == cell_id).order_by(ObservationChange.id))
    return [(c.action, c.old_value, c.new_value, c.new_status) for c in rows]


@pytest.mark.usefixtures("app_ctx")
def test_values_are_exact_and_every_change_is_kept(db: Session,  # type: ignore[no-untyped-def]
                                                   indicator) -> None:
    cell = save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                            entry=Entry(year=2023, value=Decimal("99.94")))
    save_observation(session=db, indicator=indicator, user_id=None, expected_version=1,
                     entry=Entry(year=2023, value=Decimal("99.95"), comment="corrected"))
    delete_observation(session=db, cell=cell, expected_version=2, user_id=None, reason="dup")
    db.commit()
    db.expire_all()
    assert cell.value == Decimal("99.95") and cell.is_deleted
    assert history(db, cell.id) == [("create", "", "99.94", "draft"),
                                    ("update", "99.94", "99.95", "draft"),
                                    ("delete", "99.95", "", "draft")]


@pytest.mark.usefixtures("app_ctx")
def test_a_stale_save_is_refused_and_the_first_value_survives(db: Session,  # type: ignore[no-untyped-def]
                                                              indicator) -> None:
    save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                     entry=Entry(year=2024, value=Decimal("10")))
    with pytest.raises(StaleEditError, match="now holds 10"):
        save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                         entry=Entry(year=2024, value=Decimal("11")))


@pytest.mark.usefixtures("app_ctx")
def test_breakdowns_and_reasons_are_checked(db: Session, indicator) -> None:  # type: ignore[no-untyped-def]
    female = save_observation(session=db, indicator=indicator, user_id=None,
                              expected_version=None,
                              entry=Entry(year=2023, breakdown={"sex": "female"},
                                          missing_reason=MissingReason.CONFIDENTIAL))
    assert female.breakdown_key == "sex=female" and female.value is None
    with pytest.raises(ObservationError, match="not a value of sex"):
        save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                         entry=Entry(year=2023, breakdown={"sex": "other"}, value=Decimal(1)))
    with pytest.raises(ObservationError, match="annual"):
        save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                         entry=Entry(year=2023, quarter=2, value=Decimal(1)))
    with pytest.raises(ObservationError, match="value or the reason"):
        save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                         entry=Entry(year=2022))


@pytest.mark.usefixtures("app_ctx")
def test_workflow_return_fix_approve_lock_unlock(db: Session, indicator) -> None:  # type: ignore[no-untyped-def]
    cell = save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                            entry=Entry(year=2023, value=Decimal("5")))
    review_observation(session=db, cell=cell, action="submit",
                       expected_version=cell.version, user_id=None)
    with pytest.raises(ObservationError, match="reason"):
        review_observation(session=db, cell=cell, action="return",
                           expected_version=cell.version, user_id=None)
    review_observation(session=db, cell=cell, action="return",
                       expected_version=cell.version, user_id=None, reason="Check units")
    assert cell.status == ObservationStatus.RETURNED and cell.return_reason == "Check units"
    save_observation(session=db, indicator=indicator, user_id=None, expected_version=cell.version,
                     entry=Entry(year=2023, value=Decimal("6")))
    review_observation(session=db, cell=cell, action="submit",
                       expected_version=cell.version, user_id=None)
    review_observation(session=db, cell=cell, action="approve",
                       expected_version=cell.version, user_id=None)
    with pytest.raises(ObservationError, match="locked"):
        save_observation(session=db, indicator=indicator, user_id=None,
                         expected_version=cell.version, entry=Entry(year=2023, value=Decimal(7)))
    review_observation(session=db, cell=cell, action="unlock",
                       expected_version=cell.version, user_id=None, reason="Revised")
    assert cell.status == ObservationStatus.DRAFT
    actions = [row[0] for row in history(db, cell.id)]
    assert actions == ["create", "submit", "return", "update", "submit", "approve", "unlock"]
