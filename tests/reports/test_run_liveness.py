"""Report runs that never hang: a run whose heartbeat stopped or that passed its time limit is
failed with its reason when looked at, by the worker's sweep, or by the worker itself; a run
taken from its worker keeps none of that worker's results; failed runs are retried from their
page and from the shell."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.factories import Auth, boundary
from tests.reports.test_runs import app_config, ask, fake_render, tiny_pdf  # noqa: F401
from tracker.auth.models import Role
from tracker.reports import liveness, runs, worker
from tracker.reports.cli import report_cli
from tracker.reports.models import ReportKind, ReportRun, RunStatus
from tracker.timeutil import utcnow

TIMEOUT = 60  # the default heartbeat timeout (seconds)
LIMIT = 900  # the default time limit (seconds)


def running_run(app: Flask, db: Session, city: Any, *, started_ago: float,
                beat_ago: float | None) -> ReportRun:
    """Record a run a worker took `started_ago` seconds ago and last beat `beat_ago` ago."""
    now = utcnow()
    with boundary(app, db):
        run, _created = runs.request_run(db, runs.Target(ReportKind.CITY, 2024, city=city), None)
        run.status, run.step, run.progress, run.attempts = RunStatus.RUNNING, "pdf", 40, 1
        run.started_at = now - timedelta(seconds=started_ago)
        run.heartbeat_at = None if beat_ago is None else now - timedelta(seconds=beat_ago)
    return run


def poll(client: FlaskClient, run: ReportRun) -> dict[str, Any]:
    """The run's status as its page's script reads it."""
    return client.get(f"/reports/runs/{run.id}/status.json").get_json()


@pytest.fixture
def officer(make_city: Callable[..., Any], make_user: Callable[..., Any], auth: Auth) -> Any:
    """A signed-in officer of a city; returns the city."""
    city = make_city(slug="durban", name="Durban")
    auth.login(make_user(Role.OFFICER, city=city))
    return city


@pytest.mark.parametrize(("started_ago", "beat_ago", "outcome"), [
    (30, 2, None),  # beating: still running
    (TIMEOUT + 30, TIMEOUT - 5, None),  # long, but beating within the timeout
    (TIMEOUT + 30, TIMEOUT + 5, liveness.WORKER_STOPPED),
    (TIMEOUT + 30, None, liveness.WORKER_STOPPED),  # never beat
    (LIMIT + 10, 1, liveness.TIME_LIMIT),  # beating, but past the time limit
])
def test_a_stale_run_is_failed_with_its_reason_when_polled(
        app: Flask, db: Session, client: FlaskClient, officer: Any, started_ago: float,
        beat_ago: float | None, outcome: str | None) -> None:
    run = running_run(app, db, officer, started_ago=started_ago, beat_ago=beat_ago)
    info = poll(client, run)
    db.refresh(run)
    if outcome is None:
        assert info["status"] == "running" and not info["finished"]
        assert run.status == RunStatus.RUNNING and run.error == ""
        return
    assert info["status"] == "failed" and info["finished"] and info["reason"] == outcome
    assert info["error"] == str(liveness.REASONS[outcome]) and info["step_label"] == "Failed"
    assert run.status == RunStatus.FAILED and run.step == outcome
    assert run.finished_at is not None and run.finished_at >= run.started_at
    expected = f"no heartbeat for {TIMEOUT} s" if outcome == liveness.WORKER_STOPPED else (
        f"time limit ({LIMIT} s)")
    assert expected in run.error


def test_the_run_page_fails_a_stale_run_and_offers_to_try_again(
        app: Flask, db: Session, client: FlaskClient, officer: Any) -> None:
    run = running_run(app, db, officer, started_ago=LIMIT + 60, beat_ago=0)
    page = client.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    assert "took longer than its time limit" in page and "Try again" in page
    assert f'action="/reports/runs/{run.id}/retry"' in page


def test_the_sweep_fails_only_the_stale_runs(app: Flask, db: Session,
                                            make_city: Callable[..., Any]) -> None:
    stale = running_run(app, db, make_city(), started_ago=600, beat_ago=300)
    alive = running_run(app, db, make_city(), started_ago=600, beat_ago=1)
    queued_long_ago, _ = ask_without_running(app, db, make_city())
    with app.app_context():
        assert worker.sweep_stale_runs() == 1
        assert worker.sweep_stale_runs() == 0  # nothing left to fail
    for run in (stale, alive, queued_long_ago):
        db.refresh(run)
    assert (stale.status, alive.status) == (RunStatus.FAILED, RunStatus.RUNNING)
    assert queued_long_ago.status == RunStatus.QUEUED  # waiting for a worker is not stale
    huey = worker.app_huey(app)
    assert [task.name for task in huey._registry.periodic_tasks] == [worker.SWEEP_TASK]


def ask_without_running(app: Flask, db: Session, city: Any) -> tuple[ReportRun, bool]:
    """Record a queued run, as a request does when no worker is up."""
    with boundary(app, db):
        return runs.request_run(db, runs.Target(ReportKind.SUMMARY, 2024, city=city), None)


def slow_layout(monkeypatch: pytest.MonkeyPatch, seconds: float, during: Callable[[], None]
                ) -> list[str]:
    """Make each part's layout take `seconds` and call `during` before the first one."""
    import time

    from tracker.reports import render

    laid_out: list[str] = []

    def layout(html: str, **_kw: Any) -> bytes:
        if not laid_out:
            during()
        laid_out.append(html)
        time.sleep(seconds)
        return tiny_pdf(html)

    monkeypatch.setattr(render, "html_to_pdf", layout)
    return laid_out


@pytest.mark.usefixtures("fake_render")
def test_the_worker_stops_a_run_at_its_time_limit(
        app: Flask, db: Session, make_network: Callable[..., Any],
        make_city: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    network = make_network()
    for n in range(3):
        make_city(network=network, name=f"City {n}")
    app.config.update(REPORT_PROCESSES=1, REPORT_TIME_LIMIT=0.5)
    laid_out = slow_layout(monkeypatch, 0.8, lambda: None)
    run, _ = ask(app, db, runs.Target(ReportKind.NETWORK, 2024, network=network))
    # The network's one document takes 0.8 s: past the limit, the run fails and keeps
    # nothing (in a pool process the layout itself is stopped: see the test below).
    assert run.status == RunStatus.FAILED and run.step == liveness.TIME_LIMIT
    assert len(laid_out) == 1 and run.file_name == ""
    assert "time limit (0.5 s)" in run.error


@pytest.mark.usefixtures("fake_render")
def test_a_run_taken_from_its_worker_keeps_nothing_of_it(
        app: Flask, db: Session, make_city: Callable[..., Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A run failed by a sweep while its (slow, not dead) worker lays it out: the worker's
    late result must neither overwrite the failure nor leave a stored PDF behind."""
    city = make_city()

    def fail_it() -> None:
        running = db.exec(select(ReportRun).where(ReportRun.status == RunStatus.RUNNING)).one()
        running.heartbeat_at = utcnow() - timedelta(seconds=TIMEOUT + 1)
        db.flush()
        assert liveness.fail_stale_runs(db) == 1
        db.commit()

    slow_layout(monkeypatch, 0, fail_it)
    run, _ = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=city))
    assert run.status == RunStatus.FAILED and run.step == liveness.WORKER_STOPPED
    assert run.file_name == "" and run.size is None
    assert not list(Path(app.config["REPORTS_DIR"]).glob("*.pdf"))


def test_a_failed_run_is_retried_from_its_page(
        app: Flask, db: Session, client: FlaskClient, officer: Any,
        fake_render: list[str]) -> None:  # noqa: F811
    run = running_run(app, db, officer, started_ago=600, beat_ago=300)
    assert poll(client, run)["status"] == "failed"
    response = client.post(f"/reports/runs/{run.id}/retry")
    assert response.status_code == 302 and response.location.endswith(f"/reports/runs/{run.id}")
    db.refresh(run)  # the test queue ran it at once: a second attempt, done
    assert run.status == RunStatus.DONE and run.attempts == 2 and run.error == ""
    assert fake_render == ["<h1>Durban</h1>"]
    again = client.post(f"/reports/runs/{run.id}/retry", follow_redirects=True)
    assert "Only a failed report can be retried." in again.get_data(as_text=True)
    db.refresh(run)
    assert run.status == RunStatus.DONE and run.attempts == 2


def test_a_reviewer_may_not_retry(app: Flask, db: Session, client: FlaskClient, auth: Auth,
                                  make_network: Callable[..., Any],
                                  make_city: Callable[..., Any],
                                  make_user: Callable[..., Any]) -> None:
    network = make_network()
    city = make_city(network=network)
    run = running_run(app, db, city, started_ago=600, beat_ago=300)
    auth.login(make_user(Role.REVIEWER, network=network))
    page = client.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    assert "worker stopped" in page and f"/reports/runs/{run.id}/retry" not in page
    assert client.post(f"/reports/runs/{run.id}/retry").status_code == 403
    db.refresh(run)
    assert run.status == RunStatus.FAILED and run.attempts == 1


def test_the_shell_retries_a_failed_run(app: Flask, db: Session, make_city: Callable[..., Any],
                                        fake_render: list[str]) -> None:  # noqa: F811
    run = running_run(app, db, make_city(name="Patiala"), started_ago=600, beat_ago=300)
    result = app.test_cli_runner().invoke(report_cli, ["retry", str(run.id)])
    assert result.exit_code == 0, result.output
    assert f"Report run {run.id} is queued again (attempt 2)." in result.output
    db.refresh(run)
    assert run.status == RunStatus.DONE and fake_render == ["<h1>Patiala</h1>"]
    refused = app.test_cli_runner().invoke(report_cli, ["retry", str(run.id)])
    assert refused.exit_code != 0 and "only a failed run can be retried" in refused.output
    missing = app.test_cli_runner().invoke(report_cli, ["retry", "999999"])
    assert missing.exit_code != 0 and "No report run 999999" in missing.output


def test_the_runs_page_lists_a_dead_run_as_failed(
        app: Flask, db: Session, client: FlaskClient, officer: Any) -> None:
    dead = running_run(app, db, officer, started_ago=600, beat_ago=300)
    page = client.get("/cities/durban/reports").get_data(as_text=True)
    db.refresh(dead)
    assert dead.status == RunStatus.FAILED and "Running" not in page and "Failed" in page


def test_a_stopped_layout_terminates_its_pool(app_ctx: Flask) -> None:
    """When the time limit passes during a network's layout, the pool's processes are
    terminated at once, not left to finish parts nobody will use."""
    import multiprocessing
    import time

    from tracker.reports import layout

    long_part = "<h1>Part</h1>" + "<p>Many words on many pages.</p>" * 20_000
    jobs = [(long_part, "A4", str(app_ctx.static_folder), "/static")] * 2
    started = time.monotonic()
    seen: list[int] = []

    def check() -> None:
        seen.append(len(multiprocessing.active_children()))
        if time.monotonic() - started > 4:
            raise liveness.TimeLimitPassed(0)

    with pytest.raises(liveness.TimeLimitPassed):
        layout._in_pool(jobs, lambda _p, _s: None, check)
    assert time.monotonic() - started < 10
    assert max(seen) >= 2  # the pool was laying out the parts
    assert multiprocessing.active_children() == []
