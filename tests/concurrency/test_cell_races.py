"""Concurrent saves of one cell, through the API and the grid form: exactly one of N saves
from the same version is accepted, the others get 409, and the history stays one line."""

from collections import Counter
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import THREADS, RaceWorld, race, signed_in
from tracker.data.models import Observation, ObservationChange

ROUNDS = 20
YEAR = 2023


def api_url(world: RaceWorld) -> str:
    """The address the API saves the city's observations at."""
    return f"/api/v1/cities/{world.city.slug}/observations"


def api_save(world: RaceWorld, value: str, version: int | None) -> dict[str, Any]:
    """An API save of the indicator's total for YEAR."""
    return {"indicator": world.indicator.code, "year": YEAR, "value": value,
            "expected_version": version, "warning_note": "race test"}


def form_save(value: str, version: int | None) -> dict[str, Any]:
    """A grid form save of the total for YEAR."""
    return {"year": str(YEAR), "quarter": "0", "breakdown_key": "", "value": value,
            "missing_reason": "", "comment": "", "source": "", "warning_note": "race test",
            "expected_version": "" if version is None else str(version)}


def stored(engine: Engine, world: RaceWorld) -> Observation | None:
    """Read the cell as committed (a fresh session: nothing cached)."""
    with Session(engine) as session:
        return session.scalars(select(Observation).where(
            Observation.indicator_id == world.indicator.id, Observation.year == YEAR)).first()


def history(engine: Engine, cell_id: int) -> list[tuple[str, str]]:
    """Return the cell's changes, oldest first, as (old value, new value)."""
    with Session(engine) as session:
        rows = session.execute(select(ObservationChange.old_value, ObservationChange.new_value)
                               .where(ObservationChange.observation_id == cell_id)
                               .order_by(ObservationChange.id))  # type: ignore[arg-type]
        return [(row[0], row[1]) for row in rows]


def assert_linear(changes: list[tuple[str, str]]) -> None:
    """Each change starts from the value the one before it left: no fork, no lost write."""
    assert changes[0][0] == ""
    for before, after in zip(changes, changes[1:], strict=False):
        assert after[0] == before[1], (before, after)


def clients(app: Flask, world: RaceWorld) -> list[FlaskClient]:
    """One signed-in client per thread."""
    return [signed_in(app, world.officer) for _ in range(THREADS)]


def run_rounds(engine: Engine, world: RaceWorld, post: Any, ok: int) -> None:
    """Seed the cell, then ROUNDS times let THREADS clients save it from its version."""
    assert post(0, "1", None).status_code == ok
    version = 1
    for round_ in range(ROUNDS):
        values = [f"{round_ + 1}.{i + 1}" for i in range(THREADS)]
        responses = race([partial(post, i, values[i], version) for i in range(THREADS)])
        codes = Counter(getattr(r, "status_code", repr(r)) for r in responses)
        assert codes == {ok: 1, 409: THREADS - 1}, (round_, codes)
        winner = next(values[i] for i, r in enumerate(responses) if r.status_code == ok)
        cell = stored(engine, world)
        assert cell is not None
        assert (cell.value, cell.version) == (Decimal(winner), version + 1)
        version += 1
    changes = history(engine, cell.id)  # type: ignore[arg-type]
    assert len(changes) == ROUNDS + 1
    assert_linear(changes)
    assert changes[-1][1] == winner


def test_concurrent_api_saves_of_one_cell_accept_exactly_one(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> None:
    team = clients(race_app, race_world)

    def post(i: int, value: str, version: int | None) -> Any:
        return team[i].post(api_url(race_world), json=api_save(race_world, value, version))

    run_rounds(race_engine, race_world, post, 201)


def test_concurrent_grid_saves_of_one_cell_accept_exactly_one(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> None:
    team = clients(race_app, race_world)

    def post(i: int, value: str, version: int | None) -> Any:
        return team[i].post(f"{race_world.grid}/cell", data=form_save(value, version))

    run_rounds(race_engine, race_world, post, 302)


@pytest.mark.parametrize("way", ["api", "form"])
def test_concurrent_first_saves_of_an_empty_cell_never_fail(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, way: str) -> None:
    team = clients(race_app, race_world)
    ok = 201 if way == "api" else 302
    codes: Counter[Any] = Counter()
    for round_ in range(5):
        year = YEAR - round_

        def post(i: int, year: int = year) -> Any:
            if way == "api":
                body = api_save(race_world, str(i + 1), None) | {"year": year}
                return team[i].post(api_url(race_world), json=body)
            return team[i].post(f"{race_world.grid}/cell",
                                data=form_save(str(i + 1), None) | {"year": str(year)})

        responses = race([partial(post, i) for i in range(THREADS)])
        round_codes = Counter(getattr(r, "status_code", repr(r)) for r in responses)
        assert round_codes[ok] == 1, round_codes
        codes += round_codes
        winner = next(i for i, r in enumerate(responses) if r.status_code == ok)
        with Session(race_engine) as session:
            cells = session.scalars(select(Observation).where(
                Observation.indicator_id == race_world.indicator.id,
                Observation.year == year)).all()
            assert [c.value for c in cells] == [Decimal(winner + 1)]
        assert history(race_engine, cells[0].id) == [("", str(winner + 1))]  # type: ignore[arg-type]
    assert codes == {ok: 5, 409: 5 * (THREADS - 1)}
