"""Two values saved at once into one city, each in its own transaction: the city's progress
data version moves by two (a read-then-write counter would lose one and leave stored progress
looking current)."""

from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import RaceWorld, hold_until_both_called, race
from tracker.data.services import Entry, save_observation
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator
from tracker.progress import stored_versions
from tracker.progress.stored_models import ProgressVersion


def version(engine: Engine, city_id: int) -> int:
    """The city's committed data version."""
    with Session(engine) as session:
        row = session.get(ProgressVersion, city_id)
        return 0 if row is None else row.version


def second_indicator(app: Flask, engine: Engine, world: RaceWorld) -> LocalIndicator:
    """Another indicator of the city: the two saves never touch the same cell."""
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        indicator = create_indicator(session=session, city=world.city, user_id=None,
                                     indicator_in=LocalIndicatorCreate(
                                         code="RACE-2", name="Race indicator 2",
                                         unit_kind="percent", direction="higher"))
        session.commit()
    return indicator


def save(app: Flask, engine: Engine, indicator_id: int, value: str) -> None:
    """Save one value in a transaction of its own and commit it."""
    with app.app_context(), Session(engine) as session:
        indicator = session.get(LocalIndicator, indicator_id)
        assert indicator is not None
        save_observation(session=session, indicator=indicator,
                         entry=Entry(year=2020, value=Decimal(value)),
                         expected_version=None, user_id=None)
        session.commit()


def test_two_concurrent_saves_bump_the_version_twice(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if race_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: the second save waits before it reads anything")
    other = second_indicator(race_app, race_engine, race_world)
    before = version(race_engine, race_world.city.id)  # type: ignore[arg-type]
    # Both transactions have written their value and stand at the bump together.
    hold_until_both_called(monkeypatch, stored_versions, "bump")
    results = race([lambda: save(race_app, race_engine, race_world.indicator.id, "1"),  # type: ignore[arg-type]
                    lambda: save(race_app, race_engine, other.id, "2")])  # type: ignore[arg-type]
    assert results == [None, None]
    assert version(race_engine, race_world.city.id) == before + 2  # type: ignore[arg-type]
