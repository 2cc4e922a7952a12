"""Two editors save checked files of the same 400 cells at the same moment, through the web's
import jobs (real requests, a session each, the jobs run right after their requests): one
saves all of its values, the other nothing, never a mix; whether the cells were empty or
held values."""

import io
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tests.concurrency.conftest import RaceWorld, race, signed_in
from tests.concurrency.test_import_races import (  # noqa: F401  (ward_indicator is a fixture)
    CELLS,
    cell_values,
    values_csv,
    ward_indicator,
)
from tests.factories import PASSWORD
from tracker.auth.models import Role
from tracker.auth.services import create_user
from tracker.cities.models import City
from tracker.data.import_job_models import ImportJob, JobStatus

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


def second_officer(app: Flask, engine: Engine, world: RaceWorld) -> FlaskClient:
    """Sign in another officer of the race city."""
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        city = session.get(City, world.city.id)
        user = create_user(session=session, role=Role.OFFICER, city=city,
                           email=f"second-{world.city.slug}@example.org", password=PASSWORD)
        session.commit()
    return signed_in(app, user)


def test_two_job_saves_into_one_city_one_all_the_other_nothing(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, ward_indicator: str,  # noqa: F811
        tmp_path: Path) -> None:
    race_app.instance_path = str(tmp_path)  # the uploads of this test only
    clients = [signed_in(race_app, race_world.officer),
               second_officer(race_app, race_engine, race_world)]
    slug, history = race_world.city.slug, 0
    for round_ in range(ROUNDS):
        bases = [1000 * (round_ + 1) + 100 * i for i in (1, 2)]
        checks = [check(c, slug, values_csv(ward_indicator, b)) for c, b in zip(clients, bases,
                                                                                strict=True)]
        responses: list[Any] = race([partial(c.post, f"{url}/commit")
                                     for c, url in zip(clients, checks, strict=True)])
        results = [outcome(race_engine, r) for r in responses]
        assert Counter(results) == {"saved": 1, "refused": 1}, results
        stored, history_now = cell_values(race_engine, ward_indicator)
        assert stored == {bases[results.index("saved")]}  # all of one file, none of the other
        assert history_now == history + CELLS
        history = history_now
    with Session(race_engine) as session:
        jobs = session.exec(select(ImportJob).where(ImportJob.city_id == race_world.city.id))
        assert sum(job.is_saved for job in jobs) == ROUNDS
