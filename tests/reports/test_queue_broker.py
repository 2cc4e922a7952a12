"""The report queue's broker: when Redis cannot be reached a request answers 503 with a clear
message and records nothing (no orphan `queued` run); when it goes down between the commit and
the hand-over, the run is failed with that reason. And a real Redis queue, consumed by a worker
of its own, takes a city report to done."""

import io
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import app_settings
from tests.factories import Auth, boundary
from tests.reports.test_runs import ask, fake_render, run_count  # noqa: F401
from tracker import create_app
from tracker.auth.models import Role
from tracker.reports import liveness, runs, worker
from tracker.reports.cli import report_cli
from tracker.reports.models import ReportKind, ReportRun, RunStatus
from tracker.reports.worker_cli import worker_cli

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens there
MESSAGE = "The report queue is not reachable; try again later."
FORM = {"kind": "city", "year": "2024", "page_size": "A4"}


@pytest.fixture
def app_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The queue on Redis, at an address the environment gives (a closed port)."""
    monkeypatch.setenv("TRACKER_REDIS_URL", CLOSED_PORT)  # read by Config, as in production
    return {"REPORTS_DIR": str(tmp_path / "reports"), "REPORT_QUEUE": "redis"}


@pytest.fixture
def officer(make_city: Callable[..., Any], make_user: Callable[..., Any], auth: Auth) -> Any:
    """A signed-in officer of Durban; returns the city."""
    city = make_city(slug="durban", name="Durban")
    auth.login(make_user(Role.OFFICER, city=city))
    return city


def test_the_app_reads_the_broker_from_the_environment(app: Flask) -> None:
    assert app.config["REDIS_URL"] == CLOSED_PORT
    assert isinstance(worker.app_huey(app), worker.RedisHuey)


@pytest.mark.usefixtures("officer")
def test_a_report_request_answers_503_and_records_nothing(client: FlaskClient,
                                                          db: Session) -> None:
    before = run_count(db)
    response = client.post("/cities/durban/reports", data=FORM)
    assert response.status_code == 503 and MESSAGE in response.get_data(as_text=True)
    as_json = client.post("/cities/durban/reports", data=FORM,
                          headers={"Accept": "application/json"})
    assert as_json.status_code == 503
    assert as_json.get_json() == {"error": "Service Unavailable", "message": MESSAGE,
                                  "status": 503}
    assert run_count(db) == before


@pytest.mark.usefixtures("officer")
def test_a_comparison_pdf_answers_503_and_records_nothing(client: FlaskClient,
                                                         db: Session) -> None:
    before = run_count(db)
    response = client.get("/compare.pdf?cities=durban")
    assert response.status_code == 503 and MESSAGE in response.get_data(as_text=True)
    assert run_count(db) == before


@pytest.mark.usefixtures("officer")
def test_a_broker_lost_after_the_commit_fails_the_run(
        client: FlaskClient, db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "check_queue", lambda app=None: None)  # it answered, then died
    import tracker.reports.routes as routes

    monkeypatch.setattr(routes, "check_queue", lambda app=None: None)
    response = client.post("/cities/durban/reports", data=FORM)
    assert response.status_code == 302
    db.expire_all()
    run = newest(db)
    assert run.status == RunStatus.FAILED and run.step == liveness.QUEUE_DOWN
    assert run.error == MESSAGE
    info = client.get(f"/reports/runs/{run.id}/status.json").get_json()
    assert info["finished"] and info["error"] == MESSAGE


def newest(db: Session) -> ReportRun:
    """The newest run."""
    query = select(ReportRun).order_by(ReportRun.id.desc())  # type: ignore[union-attr]
    return db.scalars(query).first()  # type: ignore[return-value]


def test_a_retry_while_the_broker_is_down_keeps_the_run_failed(
        app: Flask, db: Session, client: FlaskClient, officer: Any) -> None:
    with boundary(app, db):
        run, _ = runs.request_run(db, runs.Target(ReportKind.CITY, 2024, city=officer), None)
        run.status, run.step, run.attempts = RunStatus.FAILED, liveness.WORKER_STOPPED, 1
    assert client.post(f"/reports/runs/{run.id}/retry").status_code == 503
    result = app.test_cli_runner().invoke(report_cli, ["retry", str(run.id)])
    assert result.exit_code != 0 and MESSAGE in result.output
    db.refresh(run)
    assert run.status == RunStatus.FAILED and run.step == liveness.WORKER_STOPPED


# ---------------------------------------------------------------- a real Redis

REDIS_URL = os.environ.get("TRACKER_TEST_REDIS_URL", "")


@pytest.fixture
def redis_queue(app: Flask, engine: Any, db: Session) -> Iterator[tuple[Flask, Flask]]:
    """The web app and a worker app sharing a Redis queue of this test's own name."""
    if not REDIS_URL:
        pytest.skip("TRACKER_TEST_REDIS_URL is not set (.ci/run sets it): no Redis to use")
    queue = {"REPORT_QUEUE": "redis", "REDIS_URL": REDIS_URL,
             "HUEY_NAME": f"tracker-test-{uuid.uuid4().hex[:12]}"}
    app.config.update(queue)
    worker.init_worker(app)
    other = create_app(app_settings(engine, REPORTS_DIR=app.config["REPORTS_DIR"], **queue))
    other.extensions["tracker_db"].session_factory = lambda: db  # the worker's own app
    other.extensions["tracker_db"].closes_sessions = False
    yield app, other
    worker.app_huey(app).flush()  # remove this test's keys


def test_a_city_report_goes_through_redis_to_a_worker(
        redis_queue: tuple[Flask, Flask], db: Session, make_city: Callable[..., Any],
        make_indicator: Callable[..., Any]) -> None:
    app, other = redis_queue
    city = make_city(name="Redis Bay")
    make_indicator(city, "WAT-1", name="Households with piped water")
    with boundary(app, db):
        run, _ = runs.request_run(db, runs.Target(ReportKind.CITY, 2024, city=city), None)
    with app.app_context():
        worker.check_queue()
        worker.enqueue_now(run.id)  # type: ignore[arg-type]
    huey = worker.app_huey(app)
    assert len(huey) == 1  # waiting in Redis, not run in this process
    db.refresh(run)
    assert run.status == RunStatus.QUEUED
    result = other.test_cli_runner().invoke(worker_cli, ["--once"])
    assert "Ran 1 job(s)." in result.output, result.output
    db.refresh(run)
    assert run.status == RunStatus.DONE and run.attempts == 1, run.error
    assert len(huey) == 0
    with app.app_context():
        pdf = runs.open_pdf(run) or b""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Redis Bay" in text
