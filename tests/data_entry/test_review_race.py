"""Concurrent save and approve of one submitted value, as real requests in threads against an
app on its own PostgreSQL schema (nothing rolled back for them): the reviewers approve the
version they saw, the officers save and resubmit over that same version; exactly one wins,
and a value the reviewers did not see is never approved."""

import os
import random
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.conftest import POSTGRES_URL, app_settings, migrate
from tests.factories import PASSWORD
from tracker import create_app
from tracker.auth.models import Role
from tracker.auth.services import create_user
from tracker.cities.models import CityCreate, NetworkCreate
from tracker.cities.services import add_member, create_city, create_network
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.data.services import Entry, review_observation, save_observation
from tracker.db import make_engine
from tracker.indicators.models import LocalIndicatorCreate
from tracker.indicators.services import create_indicator

ROUNDS = 20
CLIENTS = 4  # officers saving and secretariats approving, per round
pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="needs TRACKER_TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def race_engine() -> Iterator[Engine]:
    """A migrated schema of this module's own, whose requests really commit."""
    schema = f"review_race_{os.getpid()}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    engine = make_engine(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}",
                         pool_size=10)
    migrate(engine)
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="module")
def race(race_engine: Engine) -> dict[str, Any]:
    """A city with an officer, its network's secretariat, and ROUNDS submitted values of 10."""
    app = create_app(app_settings(race_engine))
    with app.app_context(), Session(race_engine) as session:
        network = create_network(session=session, user_id=None,
                                 network_in=NetworkCreate(slug="race-net", name="Race net"))
        city = create_city(session=session, user_id=None, city_in=CityCreate(
            slug="race-city", name="Race city", country_code="ZA", is_published=True))
        add_member(session=session, network=network, city=city, user_id=None)
        indicator = create_indicator(session=session, city=city, user_id=None,
                                     indicator_in=LocalIndicatorCreate(
                                         code="R-1", name="Race", unit_kind="count",
                                         direction="higher"))
        officer = create_user(session=session, role=Role.OFFICER, city=city,
                              email="officer@race.example", password=PASSWORD)
        secretariat = create_user(session=session, role=Role.SECRETARIAT, network=network,
                                  email="secretariat@race.example", password=PASSWORD)
        cells = []
        for year in range(2001, 2001 + ROUNDS):
            cell = save_observation(session=session, indicator=indicator, user_id=None,
                                    expected_version=None,
                                    entry=Entry(year=year, value=Decimal("10")))
            review_observation(session=session, cell=cell, action="submit",
                               expected_version=cell.version, user_id=None)
            cells.append((cell.id, cell.year, cell.version))
        session.commit()
        emails = {"officer": officer.email, "secretariat": secretariat.email}
    return {"app": app, "cells": cells, "emails": emails}


def signed_in(app: Flask, email: str) -> Any:
    """A client signed in through the login form."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def run_together(*calls: Any, pauses: list[float]) -> list[Any]:
    """Run the calls in threads released at the same moment, each after its pause; return
    their results."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index: int, call: Any) -> None:
        barrier.wait()
        time.sleep(pauses[index])
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def race_round(officers: list[Any], secretariats: list[Any], cell: tuple[int, int, int]
               ) -> tuple[list[int], list[int]]:
    """Save and submit 20 over the submitted 10 (each officer client) and approve the 10
    (each secretariat client), all at once and from the same version; return their
    statuses."""
    obs_id, year, seen = cell
    url = "/api/v1/cities/race-city/observations"
    saves = [partial(client.post, url, json={"indicator": "R-1", "year": year, "value": "20",
                                             "expected_version": seen, "action": "submit",
                                             "warning_note": "A new meter"})
             for client in officers]
    approvals = [partial(client.post, f"{url}/{obs_id}/approve", json={"version": seen})
                 for client in secretariats]
    # A save does more work than an approval: approvals wait a little longer, at random,
    # so that either side may reach the database first, or both at once.
    pauses = ([random.uniform(0, 0.02) for _ in saves]
              + [random.uniform(0, 0.12) for _ in approvals])
    answers = [r.status_code for r in run_together(*saves, *approvals, pauses=pauses)]
    return answers[:len(saves)], answers[len(saves):]


def check_round(engine: Engine, cell: tuple[int, int, int],
                statuses: tuple[list[int], list[int]]) -> str:
    """Exactly one request won; an approved value is the one the reviewers saw; the history
    is linear. Return which side won."""
    obs_id, _year, seen = cell
    saves, approvals = statuses
    with Session(engine) as session:
        stored = session.get(Observation, obs_id)
        assert stored is not None
        changes = session.scalar(select(func.count()).select_from(ObservationChange)
                                 .where(ObservationChange.observation_id == obs_id))
    assert 500 not in saves + approvals
    assert saves.count(201) + approvals.count(200) == 1, statuses  # one winner
    if stored.status == ObservationStatus.APPROVED:
        assert stored.value == Decimal("10") and approvals.count(200) == 1
        assert set(saves) <= {409, 422}  # stale, or (loaded after) approved and locked
        assert stored.version == seen + 1 and changes == 3  # create, submit, approve
        return "approve"
    # The save won: 20 is submitted again, and no approval of the 10 seen may take it.
    assert (stored.status, stored.value) == (ObservationStatus.SUBMITTED, Decimal("20"))
    assert set(approvals) == {409} and set(saves) <= {201, 409}
    assert stored.version == seen + 2 and changes == 4  # create, submit, update, submit
    return "save"


def test_a_concurrent_save_and_approve_never_approve_an_unseen_value(
        race: dict[str, Any], race_engine: Engine) -> None:
    app, emails = race["app"], race["emails"]
    officers = [signed_in(app, emails["officer"]) for _ in range(CLIENTS)]
    secretariats = [signed_in(app, emails["secretariat"]) for _ in range(CLIENTS)]
    winners = [check_round(race_engine, cell, race_round(officers, secretariats, cell))
               for cell in race["cells"]]
    print(f"{ROUNDS} rounds of {2 * CLIENTS} requests: "  # noqa: T201
          f"{winners.count('save')} saves won, {winners.count('approve')} approvals won")
