"""A save and an approval of one submitted value at the same moment: the approver sends the
version it saw, so exactly one of the two is accepted and a value is never approved unless
it is the one the approver saw."""

from decimal import Decimal
from functools import partial
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import RaceWorld, race, signed_in
from tracker.data.models import Observation, ObservationStatus
from tracker.data.services import Entry, review_observation, save_observation
from tracker.indicators.models import LocalIndicator

ROUNDS = 20
SEEN, TYPED = "10", "99.9"  # the approver saw 10; the officer types 99.9 meanwhile


def submitted_cell(app: Flask, engine: Engine, world: RaceWorld, year: int) -> tuple[int, int]:
    """Save SEEN in a cell of the year and submit it; return the cell's id and version."""
    with app.app_context(), Session(engine) as session:
        indicator = session.get(LocalIndicator, world.indicator.id)
        cell = save_observation(session=session, indicator=indicator, user_id=None,  # type: ignore[arg-type]
                                expected_version=None,
                                entry=Entry(year=year, value=Decimal(SEEN),
                                            warning_note="race test"))
        review_observation(session=session, cell=cell, action="submit", user_id=None,
                           expected_version=cell.version)
        session.commit()
        return cell.id, cell.version  # type: ignore[return-value]


def approve(client: FlaskClient, world: RaceWorld, cell_id: int, version: int,
            by_api: bool) -> Any:
    """Approve the value as the reviewer's page (or API read) showed it."""
    if by_api:
        return client.post(f"/api/v1/cities/{world.city.slug}/observations/{cell_id}/approve",
                           json={"version": version})
    return client.post(f"{world.grid}/cell/{cell_id}/approve", data={"version": str(version)})


def save(client: FlaskClient, world: RaceWorld, year: int, version: int) -> Any:
    """Type a new value over the submitted one, from the version the officer saw."""
    return client.post(f"/api/v1/cities/{world.city.slug}/observations", json={
        "indicator": world.indicator.code, "year": year, "value": TYPED,
        "expected_version": version, "warning_note": "race test"})


def test_concurrent_save_and_approve_never_approve_an_unseen_value(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> None:
    reviewer = signed_in(race_app, race_world.secretariat)
    officer = signed_in(race_app, race_world.officer)
    outcomes = []
    for round_ in range(ROUNDS):
        year = 2000 + round_
        cell_id, version = submitted_cell(race_app, race_engine, race_world, year)
        approval, saving = race([
            partial(approve, reviewer, race_world, cell_id, version, by_api=round_ % 2 == 0),
            partial(save, officer, race_world, year, version)])
        approved = approval.status_code in (200, 302)
        saved = saving.status_code == 201
        assert approved != saved, (round_, approval.status_code, saving.status_code)
        assert (approval.status_code if saved else saving.status_code) in (409, 422)
        with Session(race_engine) as session:
            cell = session.get(Observation, cell_id)
            assert cell is not None and cell.version == version + 1
            if approved:
                assert (cell.status, cell.value) == (ObservationStatus.APPROVED, Decimal(SEEN))
            else:
                assert (cell.status, cell.value) == (ObservationStatus.DRAFT, Decimal(TYPED))
        outcomes.append("approved" if approved else "saved")
    assert len(outcomes) == ROUNDS
