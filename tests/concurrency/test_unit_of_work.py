"""The unit-of-work rule on a real database: a request commits when its view raised nothing
(whatever the status), rolls back when it raised, and a commit the database refuses as
stale answers 409 (JSON under /api/), not 500."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import RaceWorld
from tracker.cities.models import City
from tracker.db import get_session


def city_name(engine: Engine, city_id: int) -> str:
    """Read the committed name of a city."""
    with Session(engine) as session:
        return session.get(City, city_id).name  # type: ignore[union-attr]


def add_view(app: Flask, rule: str, view: Callable[[], Any]) -> None:
    """Mount a test view that renames the world's city."""
    app.add_url_rule(rule, rule.strip("/").replace("/", "_"), view, methods=["POST"])


def rename(world: RaceWorld, name: str) -> City:
    """Rename the world's city in the request's session (flushed, not committed)."""
    city = get_session().get(City, world.city.id)
    assert city is not None
    city.name = name
    get_session().flush()
    return city


def test_a_view_that_raised_nothing_commits_whatever_its_status(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> None:
    add_view(race_app, "/test/refused", lambda: (rename(race_world, "Kept") and "", 422))
    assert race_app.test_client().post("/test/refused").status_code == 422
    assert city_name(race_engine, race_world.city.id) == "Kept"


def test_a_view_that_raised_rolls_back(race_app: Flask, race_engine: Engine,
                                       race_world: RaceWorld) -> None:
    def fails() -> Any:
        rename(race_world, "Lost")
        raise RuntimeError("the view failed after writing")

    add_view(race_app, "/test/fails", fails)
    with pytest.raises(RuntimeError):  # TESTING propagates the error; the work is gone
        race_app.test_client().post("/test/fails")
    assert city_name(race_engine, race_world.city.id) == race_world.city.name


@pytest.mark.parametrize("prefix", ["/test", "/api/v1/test"])
def test_a_commit_refused_as_stale_answers_409(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, prefix: str) -> None:
    if race_engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer: the other save would wait for this request")

    def stale() -> Any:
        city = get_session().get(City, race_world.city.id)
        assert city is not None
        with Session(race_engine) as other:  # someone else saves the city meanwhile
            other.execute(update(City).where(City.id == city.id)  # type: ignore[arg-type]
                          .values(name="Theirs", version=City.version + 1))
            other.commit()
        city.name, city.version = "Mine", city.version + 1  # flushed by the commit
        return "saved"

    add_view(race_app, f"{prefix}/stale", stale)
    response = race_app.test_client().post(f"{prefix}/stale")
    assert response.status_code == 409
    if prefix.startswith("/api/"):
        assert response.json["status"] == 409 and "Someone else saved" in response.json["message"]
    else:
        assert "Someone else saved this record" in response.get_data(as_text=True), \
            response.get_data(as_text=True)[-3000:]
    assert city_name(race_engine, race_world.city.id) == "Theirs"
