"""A bulk approval racing an officer's edit of one of its values: either the edit wins and the
whole approval is refused, or the approval wins and the edit is refused; never a mix (some
values approved, or the edited value approved unseen)."""

from decimal import Decimal
from functools import partial
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from tests.concurrency.conftest import RaceWorld, race, signed_in
from tests.concurrency.test_review_races import SEEN, TYPED, submitted_cell
from tracker.data.models import Observation, ObservationChange

ROUNDS = 12
CELLS = 10  # values per approval


def submitted_cells(app: Flask, engine: Engine, world: RaceWorld, round_: int
                    ) -> dict[int, tuple[int, int]]:
    """Save and submit CELLS values (one year each); return {year: (id, version)}."""
    first = 1960 + round_ * CELLS
    return {year: submitted_cell(app, engine, world, year) for year in range(first, first + CELLS)}


def approve_all(client: FlaskClient, world: RaceWorld, seen: dict[int, tuple[int, int]],
                by_api: bool) -> Any:
    """Approve every value as the reviewer saw it, by the API or the review page."""
    if by_api:
        return client.post(f"/api/v1/cities/{world.city.slug}/observations/approve",
                           json=[{"id": i, "version": v} for i, v in seen.values()])
    return client.post(f"/cities/{world.city.slug}/review/approve",
                       data={"cell": [f"{i}:{v}" for i, v in seen.values()]})


def edit(client: FlaskClient, world: RaceWorld, year: int, version: int) -> Any:
    """The officer types a new value over one of the submitted values."""
    return client.post(f"/api/v1/cities/{world.city.slug}/observations", json={
        "indicator": world.indicator.code, "year": year, "value": TYPED,
        "expected_version": version, "warning_note": "race test"})


def state(engine: Engine, seen: dict[int, tuple[int, int]]) -> dict[int, tuple[str, Decimal]]:
    """Each raced value's status and value now, by year."""
    with Session(engine) as session:
        cells = session.scalars(select(Observation).where(
            col(Observation.id).in_([i for i, _v in seen.values()]))).all()
        return {cell.year: (cell.status.value, cell.value) for cell in cells}  # type: ignore[misc]


def bulk_history(engine: Engine, seen: dict[int, tuple[int, int]]) -> int:
    """How many bulk approvals the raced values' histories hold."""
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(ObservationChange).where(
            col(ObservationChange.note) == "bulk",
            col(ObservationChange.observation_id).in_([i for i, _v in seen.values()]))) or 0


def test_a_bulk_approval_and_an_edit_never_mix(race_app: Flask, race_engine: Engine,
                                               race_world: RaceWorld) -> None:
    reviewer = signed_in(race_app, race_world.secretariat)
    officer = signed_in(race_app, race_world.officer)
    outcomes = set()
    for round_ in range(ROUNDS):
        seen = submitted_cells(race_app, race_engine, race_world, round_)
        target = sorted(seen)[round_ % CELLS]
        approval, saving = race([
            partial(approve_all, reviewer, race_world, seen, by_api=round_ % 2 == 0),
            partial(edit, officer, race_world, target, seen[target][1])])
        approved, saved = approval.status_code in (200, 302), saving.status_code == 201
        assert approved != saved, (round_, approval.status_code, saving.status_code)
        now = state(race_engine, seen)
        if approved:
            assert saving.status_code == 409, saving.get_data(as_text=True)
            assert set(now.values()) == {("approved", Decimal(SEEN))}
            assert bulk_history(race_engine, seen) == CELLS
        else:
            assert approval.status_code == 409, approval.status_code
            assert now.pop(target) == ("draft", Decimal(TYPED))
            assert set(now.values()) == {("submitted", Decimal(SEEN))}
            assert bulk_history(race_engine, seen) == 0
        outcomes.add("approved" if approved else "edited")
    assert outcomes <= {"approved", "edited"}
