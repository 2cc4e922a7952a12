"""Two editors save checked files of the same 400 cells at the same moment, through the web's
import jobs (real requests, a session each, the jobs run right after their requests): one
saves all of its values, the other nothing, never a mix; whether the cells were empty or
held values."""

import io
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.concurrency.conftest import RaceWorld, race, signed_in
from tests.concurrency.test_import_races import CELLS, WARDS, values_csv
from tests.factories import PASSWORD
from tracker.auth.models import Role
from tracker.auth.services import create_user
from tracker.cities.models import City
from tracker.data.import_job_models import ImportJob, JobStatus
from tracker.data.models import Observation, ObservationChange
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator

ROUNDS = 2  # round 0 fills empty cells (both insert); round 1 updates them (both update)


def check(client: FlaskClient, slug: str, data: bytes) -> str:
    """Upload a file; return the address of its (finished, clean) check."""
    response = client.post(f"/cities/{slug}/data/import",
                           data={"file": (io.BytesIO(data), "v.csv")})
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def outcome(engine: Engine, response: Any) -> str:
    """Say what became of a save: saved, or refused (nothing saved) by its job or, on
    SQLite, whose single writer turns a second writer away, by a 409 before any job."""
    if response.status_code == 409 and engine.dialect.name == "sqlite":
        return "refused"
    assert response.status_code == 302, response.status_code
    with Session(engine) as session:
        job = session.get(ImportJob, int(response.headers["Location"].rsplit("/", 1)[1]))
        assert job is not None
        if job.is_saved:
            return "saved"
        assert job.status in (JobStatus.DONE, JobStatus.FAILED), job.status
        assert job.status == JobStatus.FAILED or job.error_count > 0
        return "refused"


@pytest.fixture
def job_indicator(race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> str:
    """Add a count indicator broken down by ward to the race city; return its code (a code
    of this test's own: the race database is shared by the race tests)."""
    with race_app.app_context(), Session(race_engine) as session:
        city = session.get(City, race_world.city.id)
        create_indicator(session=session, city=city, user_id=None,  # type: ignore[arg-type]
                         indicator_in=LocalIndicatorCreate(
                             code="JOBS-1", name="Ward counts", unit_kind="count",
                             direction="higher",
                             dimensions=[{"name": "ward",
                                          "values": [f"w{w:02d}" for w in range(WARDS)]}]))
        session.commit()
    return "JOBS-1"


def cell_values(engine: Engine, city_id: int) -> tuple[set[int], int]:
    """Return the distinct "base" of the city's cells (the total's value, and each ward's
    value minus 1 + its number) and how many history rows they have."""
    with Session(engine) as session:
        in_city = LocalIndicator.city_id == city_id
        rows = session.exec(select(Observation.breakdown_key, Observation.value)
                            .join(LocalIndicator).where(in_city)).all()
        history = session.exec(select(func.count()).select_from(ObservationChange)
                               .join(Observation).join(LocalIndicator).where(in_city)).one()
    assert len(rows) == CELLS
    return {int(value) - (1 + int(key.split("=w")[1]) if key else 0)
            for key, value in rows}, history


def second_officer(app: Flask, engine: Engine, world: RaceWorld) -> FlaskClient:
    """Sign in another officer of the race city."""
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        city = session.get(City, world.city.id)
        user = create_user(session=session, role=Role.OFFICER, city=city,
                           email=f"second-{world.city.slug}@example.org", password=PASSWORD)
        session.commit()
    return signed_in(app, user)


def test_two_job_saves_into_one_city_one_all_the_other_nothing(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, job_indicator: str,
        tmp_path: Path) -> None:
    race_app.instance_path = str(tmp_path)  # the uploads of this test only
    clients = [signed_in(race_app, race_world.officer),
               second_officer(race_app, race_engine, race_world)]
    slug, history = race_world.city.slug, 0
    for round_ in range(ROUNDS):
        bases = [1000 * (round_ + 1) + 100 * i for i in (1, 2)]
        checks = [check(c, slug, values_csv(job_indicator, b)) for c, b in zip(clients, bases,
                                                                                strict=True)]
        responses: list[Any] = race([partial(c.post, f"{url}/commit")
                                     for c, url in zip(clients, checks, strict=True)])
        results = [outcome(race_engine, r) for r in responses]
        assert Counter(results) == {"saved": 1, "refused": 1}, results
        stored, history_now = cell_values(race_engine, race_world.city.id)
        assert stored == {bases[results.index("saved")]}  # all of one file, none of the other
        assert history_now == history + CELLS
        history = history_now
    with Session(race_engine) as session:
        jobs = session.exec(select(ImportJob).where(ImportJob.city_id == race_world.city.id))
        assert sum(job.is_saved for job in jobs) == ROUNDS
