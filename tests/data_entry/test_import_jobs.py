"""Import jobs through the web: check → report → save on the queue (or at once when small),
all or nothing when the save fails, error lists capped at 200 with a download of all, a
200 000-column header answered quickly, and who may see or act on a job."""

import csv
import io
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import Auth
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    ROLES,
    World,
    check_access,
    edit_a,
    edit_b,
    expect,
    world,
)
from tracker.data import import_jobs
from tracker.data.import_job_models import ImportJob, ImportKind, JobStatus
from tracker.data.import_queue import counted
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.reports.worker import app_huey

NOT_FOUND = 404
SEXES = ("", "female", "male")
GOOD = b"indicator,period,sex,value\nB-1,2023,,12.5\nB-1,2023,female,7\n"


@pytest.fixture
def app_config(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, Any]:
    """Keep this test's uploads in a folder of its own (plus a test's own settings)."""
    return {"INSTANCE_PATH": str(tmp_path), **getattr(request, "param", {})}


@pytest.fixture
def jobs_world(world: World, make_indicator, app: Flask, db: Session  # noqa: F811  # type: ignore[no-untyped-def]
               ) -> World:
    """Give cities A and B an indicator each, and a clean check of a file for each."""
    for key in ("a", "b"):
        make_indicator(world.cities[key], f"{key.upper()}-1",
                       dimensions=[{"name": "sex", "values": ["female", "male"]}])
        data = GOOD.replace(b"B-1", f"{key.upper()}-1".encode())
        world.ids[f"job_{key}"] = run_check(app, db, world.cities[key].id, data)
    return world


def run_check(app: Flask, db: Session, city_id: int, data: bytes) -> int:
    """Record and run a dry run of a file (as the worker would); return the job's id."""
    with app.app_context():
        job = import_jobs.create_job(session=db, kind=ImportKind.OBSERVATIONS,
                                     city_id=city_id, user_id=None, data=data,
                                     filename="v.csv")
        assert job.id is not None
        import_jobs.run_job(db, job.id)
        return job.id


def job_path(city: str, job: str, tail: str = "") -> Any:
    """Return a path builder for one of the world's jobs."""
    return lambda w: f"/cities/city-{city}/import-jobs/{w.ids[f'job_{job}']}{tail}"


ELSEWHERE = expect(DENIED, anonymous=LOGIN, admin=NOT_FOUND, secretariat_a=NOT_FOUND,
                   officer_a=NOT_FOUND)
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("import_jobs.show_job", "GET", job_path("b", "b"), None, edit_b(OK)),
    ("import_jobs.show_job", "GET", job_path("a", "a"), None, edit_a(OK)),
    ("import_jobs.show_job", "GET", job_path("a", "b"), None, ELSEWHERE),
    ("import_jobs.show_job", "GET", "/cities/city-b/import-jobs/999999", None,
     edit_b(NOT_FOUND)),
    ("import_jobs.job_status", "GET", job_path("b", "b", "/status.json"), None, edit_b(OK)),
    ("import_jobs.job_status", "GET", job_path("a", "b", "/status.json"), None, ELSEWHERE),
    ("import_jobs.download_problems", "GET", job_path("b", "b", "/warnings.csv"), None,
     edit_b(OK)),
    ("import_jobs.download_problems", "GET", job_path("a", "a", "/errors.csv"), None,
     edit_a(OK)),
    ("import_jobs.commit_job", "POST", job_path("b", "b", "/commit"), {}, edit_b(REDIRECT)),
    ("import_jobs.commit_job", "POST", job_path("a", "b", "/commit"), {}, ELSEWHERE),
]


def counts(db: Session) -> tuple[int, int]:
    """Count observations and their history."""
    return (db.scalar(select(func.count()).select_from(Observation)) or 0,
            db.scalar(select(func.count()).select_from(ObservationChange)) or 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[0]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, jobs_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = counts(db)
    check_access(row, role, jobs_world, client, auth, db)
    if row[4][role] != REDIRECT:
        assert counts(db) == before, "reading a job or a refusal changed something"


def post_file(client: FlaskClient, data: bytes, name: str = "values.csv") -> Any:
    """Upload a file, encoded in memory (the test client would spool a large body to a
    file it never closes)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post("/cities/city-b/data/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def values_file(rows: int) -> bytes:
    """Return a file of `rows` valid values of B-1 (a percentage): the total, female and
    male of years 1901…"""
    lines = ["indicator,period,sex,value"] + [
        f"B-1,{1901 + i // 3},{SEXES[i % 3]},{i % 100}.5" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def the_job(db: Session, location: str) -> ImportJob:
    """Return the job a job page's address names."""
    job = db.get(ImportJob, int(location.rstrip("/").rsplit("/", 1)[1]),
                 populate_existing=True)
    assert job is not None
    return job


def run_queued(app: Flask) -> int:
    """Run every job waiting on the (in-memory) queue in this process, as a worker does."""
    huey, ran = app_huey(app), 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


@pytest.mark.parametrize("app_config", [
    pytest.param({"REPORT_QUEUE": "memory", "IMPORT_INLINE_BYTES": 0}, id="queue"),
    pytest.param({"IMPORT_INLINE_BYTES": 10**6}, id="inline"),
], indirect=True)
def test_check_then_save_through_jobs(app_config: dict[str, Any], jobs_world: World,
                                      app: Flask, client: FlaskClient, auth: Auth,
                                      db: Session) -> None:
    queued = app_config.get("REPORT_QUEUE") == "memory"
    auth.login(jobs_world.users["officer_b"])
    before = counts(db)
    data = values_file(300)
    response = post_file(client, data)
    assert response.status_code == 302
    check_url = response.headers["Location"]
    check = the_job(db, check_url)
    assert check.is_dry_run and check.kind == ImportKind.OBSERVATIONS
    if queued:
        assert check.status == JobStatus.QUEUED
        page = client.get(check_url).get_data(as_text=True)
        assert "<progress" in page and 'http-equiv="refresh"' in page
        assert client.get(f"{check_url}/status.json").get_json()["finished"] is False
        assert run_queued(app) == 1
    check = the_job(db, check_url)
    assert (check.status, check.progress, check.created_count, check.error_count) == \
        (JobStatus.DONE, 100, 300, 0)
    info = client.get(f"{check_url}/status.json").get_json()
    assert info["finished"] is True and info["progress"] == 100
    page = client.get(check_url).get_data(as_text=True)
    assert "create 300, update 0 and leave 0" in page and "<progress" not in page
    assert counts(db) == before  # a check saves nothing

    response = client.post(f"{check_url}/commit")
    commit_url = response.headers["Location"]
    assert response.status_code == 302 and commit_url != check_url
    if queued:
        assert counts(db) == before and run_queued(app) == 1
    commit = the_job(db, commit_url)
    assert (commit.status, commit.is_saved, commit.source_job_id) == \
        (JobStatus.DONE, True, check.id)
    assert counts(db) == (before[0] + 300, before[1] + 300)
    stored = {(o.year, o.breakdown_key): o.value for o in db.scalars(select(Observation))}
    assert stored == {(1901 + i // 3, f"sex={SEXES[i % 3]}" if i % 3 else ""): i % 100 + 0.5
                      for i in range(300)}
    history = db.scalars(select(ObservationChange.action)).all()
    assert set(history) == {"import"}
    assert "300 created, 0 updated" in client.get(commit_url).get_data(as_text=True)
    with app.app_context():
        assert not import_jobs.has_file(commit)  # the saved upload is not kept
    again = client.post(f"{check_url}/commit")
    assert again.headers["Location"] == check_url and counts(db)[0] == before[0] + 300


def test_a_failing_save_keeps_nothing(jobs_world: World, client: FlaskClient, auth: Auth,
                                      db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.data import observation_io

    real = observation_io.apply_plans

    def write_then_fail(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # every cell written (flushed), then the save fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(observation_io, "apply_plans", write_then_fail)
    auth.login(jobs_world.users["officer_b"])
    check_url = post_file(client, values_file(50)).headers["Location"]
    before = counts(db)
    commit_url = client.post(f"{check_url}/commit").headers["Location"]
    commit = the_job(db, commit_url)
    assert commit.status == JobStatus.FAILED and "unexpected error" in commit.error
    assert "disk full" not in commit.error  # internals go to the log, not the page
    assert not commit.is_saved and counts(db) == before
    assert "nothing was saved" in client.get(commit_url).get_data(as_text=True)


def test_a_save_the_database_turned_away_as_busy_runs_again_and_saves_once(
        jobs_world: World, client: FlaskClient, auth: Auth, db: Session,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.exc import OperationalError

    from tracker.data import observation_io

    real, calls = observation_io.apply_plans, []

    def busy_once(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # every cell written (flushed), then SQLite refuses the writer
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(observation_io, "apply_plans", busy_once)
    monkeypatch.setattr(import_jobs, "BUSY_PAUSE_SECONDS", 0)
    auth.login(jobs_world.users["officer_b"])
    check_url = post_file(client, values_file(50)).headers["Location"]
    before = counts(db)
    commit = the_job(db, client.post(f"{check_url}/commit").headers["Location"])
    assert len(calls) == 2
    assert (commit.status, commit.is_saved, commit.created_count) == (JobStatus.DONE, True, 50)
    assert counts(db) == (before[0] + 50, before[1] + 50)  # once: the refused run kept nothing


def test_the_save_checks_again(jobs_world: World, client: FlaskClient, auth: Auth,
                               db: Session) -> None:
    auth.login(jobs_world.users["officer_b"])
    client.post(f"/cities/city-b/import-jobs/{jobs_world.ids['job_b']}/commit")
    cell = db.scalars(select(Observation).where(Observation.breakdown_key == "")).one()
    check_url = post_file(client, GOOD.replace(b"12.5", b"13")).headers["Location"]
    before = counts(db)
    cell.status = ObservationStatus.APPROVED  # approved after the check, before the save
    db.add(cell)
    db.flush()
    commit = the_job(db, client.post(f"{check_url}/commit").headers["Location"])
    assert commit.status == JobStatus.DONE and commit.error_count == 1
    assert not commit.is_saved and counts(db) == before


def test_the_page_lists_200_problems_and_the_download_all(
        jobs_world: World, client: FlaskClient, auth: Auth) -> None:
    auth.login(jobs_world.users["officer_b"])
    bad = 257
    lines = ["indicator,period,sex,value"] + [f"B-1,{1901 + i % 150},,x{i}" for i in range(bad)]
    expected = {(str(i + 2), "value") for i in range(bad)}  # each row: one bad value
    check_url = post_file(client, ("\n".join(lines) + "\n").encode()).headers["Location"]
    page = client.get(check_url).get_data(as_text=True)
    assert f"{bad} problems were found" in page
    assert page.count('<th scope="row">') == 200
    assert f"{bad - 200} more are in the download" in page
    download = client.get(f"{check_url}/errors.csv")
    assert download.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["row", "column", "message"]
    assert {(r[0], r[1]) for r in rows[1:]} == expected and len(rows) == bad + 1
    assert all("is not a number" in r[2] for r in rows[1:])


def test_a_200_000_column_header_is_answered_quickly(jobs_world: World, client: FlaskClient,
                                                     auth: Auth) -> None:
    auth.login(jobs_world.users["officer_b"])
    columns = 200_000
    header = "indicator,period,value," + ",".join(f"c{i}" for i in range(columns))
    data = f"{header}\nB-1,2023,1\n".encode()
    # CPU time of this process (the upload, the check, the page): other work sharing the
    # machine's cores must not fail the test; the wall clock gets a looser bound.
    started, cpu = time.perf_counter(), time.process_time()
    response = post_file(client, data)
    page = client.get(response.headers["Location"])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    html = page.get_data()
    assert page.status_code == 200 and f"{columns} problems were found" in html.decode()
    assert cpu < 2 and elapsed < 10 and len(html) < 2**20, (cpu, elapsed, len(html))
    download = client.get(f"{response.headers['Location']}/errors.csv").get_data()
    assert download.decode("utf-8-sig").count("\r\n") == columns + 1  # header + each column


def test_progress_covers_every_row_in_order() -> None:
    seen: list[tuple[int, str]] = []
    rows = [(n, [], None) for n in range(2, 1002)]
    assert list(counted(rows, lambda p, s: seen.append((p, s)))) == rows  # type: ignore[arg-type]
    percents = [p for p, _s in seen]
    assert percents == sorted(percents) and percents[-1] == 80 and len(seen) == 20


def test_a_save_after_someone_else_saved_is_refused_whole(
        jobs_world: World, client: FlaskClient, auth: Auth, db: Session) -> None:
    auth.login(jobs_world.users["officer_b"])
    client.post(f"/cities/city-b/import-jobs/{jobs_world.ids['job_b']}/commit")
    check_url = post_file(client, GOOD.replace(b"12.5", b"13").replace(b",7", b",8")
                          ).headers["Location"]
    assert the_job(db, check_url).updated_count == 2
    cell = db.scalars(select(Observation).where(Observation.breakdown_key == "")).one()
    cell.value, cell.version = 99, cell.version + 1  # another editor saved it meanwhile
    db.add(cell)
    db.flush()
    before = counts(db)
    commit_url = client.post(f"{check_url}/commit").headers["Location"]
    commit = the_job(db, commit_url)
    assert (commit.status, commit.error_count, commit.is_saved) == (JobStatus.DONE, 1, False)
    assert "saved by someone else after it was checked" in client.get(commit_url).get_data(
        as_text=True)
    assert counts(db) == before
    assert sorted(o.value for o in db.scalars(select(Observation))) == [7, 99]


@pytest.mark.parametrize("app_config", [
    {"REPORT_QUEUE": "redis", "REDIS_URL": "redis://127.0.0.1:1/0", "IMPORT_INLINE_BYTES": 0},
], indirect=True)
def test_a_queue_that_is_down_fails_the_job_with_a_reason(
        jobs_world: World, client: FlaskClient, auth: Auth, db: Session) -> None:
    auth.login(jobs_world.users["officer_b"])
    response = post_file(client, GOOD)
    job = the_job(db, response.headers["Location"])
    assert job.status == JobStatus.FAILED and "queue cannot be reached" in job.error
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "queue cannot be reached" in page and "<progress" not in page


@pytest.mark.parametrize("app_config", [{"REPORT_QUEUE": "memory", "IMPORT_INLINE_BYTES": 0}],
                         indirect=True)
def test_a_job_left_waiting_past_its_time_limit_is_failed(
        jobs_world: World, client: FlaskClient, auth: Auth, db: Session) -> None:
    auth.login(jobs_world.users["officer_b"])
    job_url = post_file(client, GOOD).headers["Location"]
    assert client.get(f"{job_url}/status.json").get_json()["status"] == "queued"
    job = the_job(db, job_url)
    job.created_at -= timedelta(minutes=31)  # no worker took it for 31 minutes
    db.add(job)
    db.flush()
    info = client.get(f"{job_url}/status.json").get_json()
    assert info["status"] == "failed" and info["finished"] and "time limit" in info["error"]
    assert counts(db) == (0, 0)


def test_a_stored_file_that_changed_or_went_is_not_saved(
        jobs_world: World, app: Flask, client: FlaskClient, auth: Auth, db: Session) -> None:
    auth.login(jobs_world.users["officer_b"])
    job_url = post_file(client, GOOD).headers["Location"]
    job = the_job(db, job_url)
    with app.app_context():
        stored = import_jobs.jobs_dir() / job.file_name
    stored.write_bytes(GOOD.replace(b"12.5", b"99"))  # altered on disk after the check
    commit = the_job(db, client.post(f"{job_url}/commit").headers["Location"])
    assert commit.status == JobStatus.FAILED and "fingerprint" in commit.error
    assert counts(db) == (0, 0)
    job_url = post_file(client, GOOD).headers["Location"]
    with app.app_context():
        (import_jobs.jobs_dir() / the_job(db, job_url).file_name).unlink()  # expired
    response = client.post(f"{job_url}/commit")
    assert response.headers["Location"] == job_url and counts(db) == (0, 0)
    assert "file has expired" in client.get(job_url).get_data(as_text=True)


def test_the_import_page_links_the_latest_jobs(jobs_world: World, client: FlaskClient,
                                               auth: Auth) -> None:
    auth.login(jobs_world.users["officer_b"])
    job_url = post_file(client, GOOD, "mine.csv").headers["Location"]
    page = client.get("/cities/city-b/data/import").get_data(as_text=True)
    assert f'href="{job_url.removeprefix("http://localhost")}"' in page
    assert "Check of mine.csv" in page and "checked, no problems" in page
    assert f"/import-jobs/{jobs_world.ids['job_a']}" not in page  # city A's job is not listed
