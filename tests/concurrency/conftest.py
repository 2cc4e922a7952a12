"""Race tests: an app on a real, committed database (a PostgreSQL schema of its own, or a
SQLite file), with a real session per request, driven by real threads.

The shared rolled-back session of tests/conftest.py would serialise every request; here each
request opens its own connection, as under gunicorn, so the database itself must refuse the
lost writes.
"""

import itertools
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from tests.conftest import POSTGRES_URL, app_settings
from tests.factories import PASSWORD
from tracker import create_app
from tracker.auth.models import Role, User
from tracker.auth.services import create_user
from tracker.cities.models import City, CityCreate, Network, NetworkCreate
from tracker.cities.services import add_member, create_city, create_network
from tracker.db import make_engine
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator

THREADS = 8
_serial = itertools.count(1)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def race_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Engine]:
    """A migrated database of the race tests' own: a SQLite file, or a fresh PostgreSQL
    schema (skipped without TRACKER_TEST_POSTGRES_URL); dropped afterwards."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('race') / 'race.db'}")
        create_schema(engine)
        yield engine
        engine.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL race tests need TRACKER_TEST_POSTGRES_URL")
    schema = f"race_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    engine = make_engine(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}",
                         pool_size=THREADS + 2)
    try:
        create_schema(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def create_schema(engine: Engine) -> None:
    """Create the tables from the models (tests/test_migrations.py keeps the migrations
    equal to them; running them here would cost seconds per backend)."""
    import tracker.models  # noqa: F401  (every table on the metadata)

    SQLModel.metadata.create_all(engine)


@pytest.fixture
def race_app(race_engine: Engine) -> Flask:
    """An app whose requests each open their own session and commit for real."""
    return create_app(app_settings(race_engine))


@dataclass
class RaceWorld:
    """A published city of a network, its officer and secretariat, and an annual indicator."""

    network: Network
    city: City
    officer: User
    secretariat: User
    indicator: LocalIndicator

    @property
    def grid(self) -> str:
        """The address of the indicator's grid."""
        return f"/cities/{self.city.slug}/indicators/{self.indicator.code}/data"


@pytest.fixture
def race_world(race_app: Flask, race_engine: Engine) -> RaceWorld:
    """Create and commit the world of one race test (fresh slugs, so tests never meet)."""
    n = next(_serial)
    tag = uuid.uuid4().hex[:6]
    with race_app.app_context(), Session(race_engine, expire_on_commit=False) as session:
        network = create_network(session=session, user_id=None, network_in=NetworkCreate(
            slug=f"race-net-{tag}-{n}", name=f"Race network {n}"))
        city = create_city(session=session, user_id=None, city_in=CityCreate(
            slug=f"race-city-{tag}-{n}", name=f"Race city {n}", country_code="ZA",
            is_published=True))
        add_member(session=session, network=network, city=city, user_id=None)
        officer = create_user(session=session, role=Role.OFFICER, city=city,
                              email=f"officer-{tag}-{n}@example.org", password=PASSWORD)
        secretariat = create_user(session=session, role=Role.SECRETARIAT, network=network,
                                  email=f"secretariat-{tag}-{n}@example.org", password=PASSWORD)
        indicator = create_indicator(session=session, city=city, user_id=None,
                                     indicator_in=LocalIndicatorCreate(
                                         code="RACE-1", name="Race indicator",
                                         unit_kind="percent", direction="higher"))
        session.commit()
    return RaceWorld(network, city, officer, secretariat, indicator)


def signed_in(app: Flask, user: User) -> FlaskClient:
    """Return a test client of its own, signed in as the user."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; return their results in order (an
    exception a call raised is returned in its place)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as error:  # noqa: BLE001  (reported to the test as a result)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def hold_until_both_called(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Make two threads' calls of `module.name` wait for each other before running: both
    have planned before either writes, the interleaving that lost writes."""
    both = threading.Barrier(2)
    original = getattr(module, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        both.wait(timeout=30)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
