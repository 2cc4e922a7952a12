"""Two concurrent import commits of the same 400 cells: one saves all of its values, the
other nothing (never a mix), whether the cells were empty (both insert) or held values (both
update from the same versions)."""

from collections import Counter
from functools import partial
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import RaceWorld, hold_until_both_called, race
from tracker.cities.models import City
from tracker.data import observation_io
from tracker.data.models import Observation, ObservationChange
from tracker.data.observation_io import import_observations
from tracker.errors import StaleEditError
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator

YEARS, WARDS = 10, 39  # 10 years × (the total and 39 wards) = 400 cells
CELLS = YEARS * (WARDS + 1)
ROUNDS = 3


def values_csv(code: str, base: int) -> bytes:
    """Return a file filling every cell of the indicator with values from `base` up."""
    lines = ["indicator,period,ward,value"]
    for year in range(2014, 2014 + YEARS):
        lines.append(f"{code},{year},,{base}")
        lines += [f"{code},{year},w{w:02d},{base + 1 + w}" for w in range(WARDS)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def ward_indicator(race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> str:
    """Add a count indicator broken down by ward to the race city; return its code."""
    with race_app.app_context(), Session(race_engine) as session:
        city = session.get(City, race_world.city.id)
        create_indicator(session=session, city=city, user_id=None,  # type: ignore[arg-type]
                         indicator_in=LocalIndicatorCreate(
                             code="WARDS-1", name="Ward counts", unit_kind="count",
                             direction="higher",
                             dimensions=[{"name": "ward",
                                          "values": [f"w{w:02d}" for w in range(WARDS)]}]))
        session.commit()
    return "WARDS-1"


def commit_import(app: Flask, engine: Engine, city_id: int, data: bytes) -> Any:
    """Save a file as an import commit does: its own session, committed when it saved."""
    with app.app_context(), Session(engine) as session:
        city = session.get(City, city_id)
        try:
            report = import_observations(session=session, city=city, data=data,  # type: ignore[arg-type]
                                         user_id=None, save=True)
        except Exception as error:  # noqa: BLE001  (the refusal is the result)
            session.rollback()
            return error
        assert report.ok and report.saved, report.errors[:3]
        session.commit()
        return "saved"


def cell_values(engine: Engine, code: str) -> tuple[set[int], int]:
    """Return the distinct "base" of the indicator's cells (value of the total per year, and
    value minus 1 + ward for each ward) and how many history rows they have."""
    with Session(engine) as session:
        rows = session.execute(select(Observation.breakdown_key, Observation.value)
                               .join(LocalIndicator)
                               .where(LocalIndicator.code == code)).all()
        bases = {int(value) - (1 + int(key.split("=w")[1]) if key else 0)
                 for key, value in rows}
        history = session.scalar(select(func.count()).select_from(ObservationChange)
                                 .join(Observation).join(LocalIndicator)
                                 .where(LocalIndicator.code == code))
        assert len(rows) == CELLS
        return bases, history or 0


def refused(result: Any, engine: Engine) -> bool:
    """Was the import refused as it should be: stale on PostgreSQL; on SQLite, whose one
    writer turns the later commit away, stale or busy."""
    if isinstance(result, StaleEditError):
        return True
    return engine.dialect.name == "sqlite" and "database is locked" in str(result)


@pytest.fixture
def both_plan_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each commit after it planned until the other planned too: the interleaving
    that lost writes (a commit that starts after the other committed plans on its values and
    may save them all)."""
    hold_until_both_called(monkeypatch, observation_io, "apply_plans")


@pytest.mark.usefixtures("both_plan_first")
def test_two_import_commits_into_one_city_one_all_the_other_nothing(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, ward_indicator: str
        ) -> None:
    city_id = race_world.city.id
    history = 0
    for round_ in range(ROUNDS):  # round 0 fills empty cells; the others update them
        files = [values_csv(ward_indicator, 1000 * (round_ + 1) + 100 * i) for i in (1, 2)]
        results = race([partial(commit_import, race_app, race_engine, city_id, data)
                        for data in files])
        assert Counter("saved" if r == "saved" else refused(r, race_engine)
                       for r in results) == {"saved": 1, True: 1}, results
        winner = results.index("saved")
        bases, history_now = cell_values(race_engine, ward_indicator)
        assert bases == {1000 * (round_ + 1) + 100 * (winner + 1)}  # all of one file
        assert history_now == history + CELLS  # one history row per cell, for the winner
        history = history_now
