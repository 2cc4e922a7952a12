"""The unit-of-work rule on a real database: a request commits when its view raised nothing
(whatever the status), rolls back when it raised, and a commit the database refuses as
stale answers 409 (JSON under /api/), not 500. A read-only request (GET, HEAD) that wrote
nothing does not commit; one that wrote keeps its write."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, Response, after_this_request
from sqlalchemy import event, inspect, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import RaceWorld
from tracker.cities.models import City
from tracker.db import get_session
from tracker.unit_of_work import UnexpectedWriteOnRead, expect_write_on_read


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


@contextmanager
def counted_commits(engine: Engine) -> Iterator[list[str]]:
    """Record the engine's transaction ends ("commit" or "rollback") inside the block."""
    ends: list[str] = []

    def on_commit(_conn: Any) -> None:
        ends.append("commit")

    def on_rollback(_conn: Any) -> None:
        ends.append("rollback")

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    try:
        yield ends
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "rollback", on_rollback)


def add_read(app: Flask, rule: str, view: Callable[[], Any]) -> None:
    """Mount a read-only test view (GET, and so HEAD)."""
    app.add_url_rule(rule, rule.strip("/").replace("/", "_"), view, methods=["GET"])


def write_by(kind: str, world: RaceWorld, name: str) -> None:
    """Rename the world's city in the request's session, by one of the ways a view writes."""
    session = get_session()
    if kind == "flushed":
        rename(world, name)
    elif kind == "pending":  # left for the commit to flush
        city = session.get(City, world.city.id)
        assert city is not None
        city.name = name
    elif kind == "bulk":
        session.execute(update(City).where(City.id == world.city.id)  # type: ignore[arg-type]
                        .values(name=name))
    else:  # a driver-level statement on the session's connection, as bulk imports send
        session.connection().exec_driver_sql(
            f"UPDATE cities SET name = '{name}' WHERE id = {world.city.id}")


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_read_only_request_that_wrote_nothing_does_not_commit(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, method: str) -> None:
    def read() -> str:
        city = get_session().get(City, race_world.city.id)
        assert city is not None
        return city.name

    add_read(race_app, "/test/read", read)
    with counted_commits(race_engine) as ends:
        response = race_app.test_client().open("/test/read", method=method)
    assert response.status_code == 200
    assert ends == ["rollback"]  # the session's transaction ends without a COMMIT
    assert race_engine.pool.checkedout() == 0  # and its connection is back in the pool


@pytest.mark.parametrize("kind", ["flushed", "pending", "bulk", "driver"])
def test_a_read_only_request_that_wrote_commits(race_app: Flask, race_engine: Engine,
                                                race_world: RaceWorld, kind: str) -> None:
    def writes() -> str:
        write_by(kind, race_world, f"Kept {kind}")
        expect_write_on_read("a test that writes")
        return "written"

    add_read(race_app, "/test/writes", writes)
    with counted_commits(race_engine) as ends:
        assert race_app.test_client().get("/test/writes").status_code == 200
    assert "commit" in ends
    assert city_name(race_engine, race_world.city.id) == f"Kept {kind}"


@pytest.mark.parametrize("kind", ["flushed", "pending", "bulk", "driver"])
def test_an_undeclared_write_of_a_read_fails_under_testing_and_commits_otherwise(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, kind: str,
        caplog: pytest.LogCaptureFixture) -> None:
    add_read(race_app, "/test/sneaks", lambda: write_by(kind, race_world, "Sneaked") or "")
    with pytest.raises(UnexpectedWriteOnRead, match="GET /test/sneaks"):
        race_app.test_client().get("/test/sneaks")  # TESTING: the write is noticed
    assert city_name(race_engine, race_world.city.id) == race_world.city.name

    race_app.testing = False  # in production it is logged, and never lost
    with caplog.at_level(logging.WARNING, logger="tracker.unit_of_work"):
        assert race_app.test_client().get("/test/sneaks").status_code == 200
    assert city_name(race_engine, race_world.city.id) == "Sneaked"
    assert "GET /test/sneaks (test_sneaks) wrote to the database" in caplog.text


def test_a_commit_does_not_expire_what_the_request_loaded(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> None:
    """The request's session is thrown away after the request: nothing reloads after the
    commit (an after-request step reads what the view had, without a query)."""
    seen: dict[str, Any] = {}

    def renames() -> str:
        city = rename(race_world, "Renamed")

        @after_this_request
        def look(response: Response) -> Response:  # runs after the commit
            seen["expired"] = inspect(city).expired_attributes
            with counted_queries(race_engine) as queries:
                seen["name"] = city.name
            seen["queries"] = queries
            return response

        return "renamed"

    add_view(race_app, "/test/renames", renames)
    assert race_app.test_client().post("/test/renames").status_code == 200
    assert seen == {"expired": set(), "name": "Renamed", "queries": []}
    assert city_name(race_engine, race_world.city.id) == "Renamed"


@contextmanager
def counted_queries(engine: Engine) -> Iterator[list[str]]:
    """Record the statements the engine runs inside the block."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
