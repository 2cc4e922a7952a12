"""Saving a value runs the quality checks: errors block, warnings need a note or a follow-up
flag, the sum rule warns, and a period's window must be open."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from tracker.data.models import Observation, ObservationChange, ReportingWindow
from tracker.data.services import (
    Entry,
    NeedsConfirmation,
    ObservationError,
    QualityError,
    save_observation,
)
from tracker.timeutil import utcnow

SEX = [{"name": "sex", "values": ["female", "male"]}]


def save(db: Session, indicator, year: int, value: str, **kwargs) -> Observation:  # type: ignore[no-untyped-def]
    """Save a new cell's value."""
    kwargs.setdefault("expected_version", None)
    breakdown = kwargs.pop("breakdown", None)
    version = kwargs.pop("expected_version")
    return save_observation(session=db, indicator=indicator, user_id=None,
                            expected_version=version,
                            entry=Entry(year=year, value=Decimal(value), breakdown=breakdown,
                                        **kwargs))


@pytest.fixture
def rate(make_city, make_indicator):  # type: ignore[no-untyped-def]
    """A percentage with four years of steady history."""
    return make_indicator(make_city(), "WS-1")


def seed_history(db: Session, indicator) -> None:  # type: ignore[no-untyped-def]
    """Give the indicator 2019–2022 values around 60 %."""
    for year, value in zip(range(2019, 2023), ("60", "61", "59", "60.5"), strict=True):
        save(db, indicator, year, value)


@pytest.mark.usefixtures("app_ctx")
def test_an_error_blocks_the_value_and_saves_nothing(db: Session, rate) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QualityError, match="between 0 and 100") as caught:
        save(db, rate, 2023, "140")
    assert [f.code for f in caught.value.findings] == ["percent_range"]
    assert db.exec(select(Observation)).all() == []


@pytest.mark.usefixtures("app_ctx")
def test_an_outlier_needs_a_note_or_a_follow_up_flag(db: Session, rate) -> None:  # type: ignore[no-untyped-def]
    seed_history(db, rate)
    with pytest.raises(NeedsConfirmation, match="unusual") as caught:
        save(db, rate, 2023, "95")
    assert caught.value.findings[0].code == "outlier"
    assert len(db.exec(select(Observation)).all()) == 4
    cell = save(db, rate, 2023, "95", warning_note="New treatment works opened")
    assert cell.warning_note == "New treatment works opened" and not cell.follow_up
    change = db.exec(select(ObservationChange).where(
        ObservationChange.observation_id == cell.id)).one()
    assert "New treatment works opened" in change.note


@pytest.mark.usefixtures("app_ctx")
def test_a_follow_up_flag_also_lets_the_value_stand(db: Session, rate) -> None:  # type: ignore[no-untyped-def]
    seed_history(db, rate)
    cell = save(db, rate, 2023, "10", follow_up=True)
    assert cell.follow_up and cell.value == Decimal("10")


@pytest.mark.usefixtures("app_ctx")
def test_a_usual_value_needs_no_confirmation(db: Session, rate) -> None:  # type: ignore[no-untyped-def]
    seed_history(db, rate)
    cell = save(db, rate, 2023, "61.5", warning_note="not needed")
    assert cell.warning_note == ""  # a note only means something when a warning was raised


@pytest.mark.usefixtures("app_ctx")
def test_breakdowns_that_stop_adding_up_warn(db: Session, make_city,  # type: ignore[no-untyped-def]
                                             make_indicator) -> None:
    people = make_indicator(make_city(), "POP-1", unit_kind="count", sums_to_total=True,
                            dimensions=SEX)
    save(db, people, 2023, "100")
    save(db, people, 2023, "40", breakdown={"sex": "female"})
    with pytest.raises(NeedsConfirmation, match="add up to 50, not to the total 100"):
        save(db, people, 2023, "10", breakdown={"sex": "male"})
    assert save(db, people, 2023, "60", breakdown={"sex": "male"}).value == Decimal("60")


@pytest.mark.usefixtures("app_ctx")
def test_without_the_sum_rule_breakdowns_may_differ(db: Session, make_city,  # type: ignore[no-untyped-def]
                                                    make_indicator) -> None:
    people = make_indicator(make_city(), "POP-2", unit_kind="count", dimensions=SEX)
    save(db, people, 2023, "100")
    save(db, people, 2023, "40", breakdown={"sex": "female"})
    assert save(db, people, 2023, "10", breakdown={"sex": "male"}).value == Decimal("10")


@pytest.mark.usefixtures("app_ctx")
def test_a_period_not_yet_open_refuses_values(db: Session, rate) -> None:  # type: ignore[no-untyped-def]
    today = utcnow().date()
    db.add(ReportingWindow(city_id=rate.city_id, year=2030, opens_on=today + timedelta(days=3),
                           due_on=today + timedelta(days=60)))
    db.add(ReportingWindow(city_id=rate.city_id, year=2024, opens_on=date(2024, 7, 1),
                           due_on=date(2025, 1, 31)))
    db.flush()
    with pytest.raises(ObservationError, match="opens on"):
        save(db, rate, 2030, "50")
    assert save(db, rate, 2024, "50").value == Decimal("50")  # overdue periods stay open


@pytest.mark.usefixtures("app_ctx")
def test_saving_a_new_value_keeps_the_cell_evidence(db: Session, rate) -> None:  # type: ignore[no-untyped-def]
    from tracker.data.models import EvidenceFile
    from tracker.data.services import attach_evidence

    cell = save(db, rate, 2023, "50", evidence_url="https://example.org/report")
    evidence = EvidenceFile(city_id=rate.city_id, original_name="r.pdf",
                            media_type="application/pdf", size=4, sha256="0" * 64,
                            stored_name="f" * 40)
    db.add(evidence)
    db.flush()
    attach_evidence(session=db, cell=cell, evidence=evidence, expected_version=1, user_id=None)
    save(db, rate, 2023, "51", expected_version=2)
    assert (cell.value, cell.evidence_id, cell.evidence_url) == (
        Decimal("51"), evidence.id, "https://example.org/report")
    save(db, rate, 2023, "52", expected_version=3, evidence_url="")
    assert cell.evidence_url == "" and cell.evidence_id == evidence.id
