"""Done-when of issue 12: a real `tracker worker` killed (SIGKILL) in the middle of a network
report. The run is marked failed with the worker's reason once its heartbeat is older than the
(shortened) timeout — not before — and the pool processes laying out its parts exit with it.

The worker runs against a committed SQLite database of its own (a temporary file) and the
SQLite queue; its layout sleeps (tests/reports/slow_worker.py) so that it is surely killed
mid-layout."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.conftest import app_settings, migrate
from tracker import create_app
from tracker.auth.models import Role
from tracker.auth.services import create_user
from tracker.cities.models import CityCreate, NetworkCreate
from tracker.cities.services import add_member, create_city, create_network
from tracker.db import make_engine
from tracker.reports import runs, worker
from tracker.reports.models import ReportKind, ReportRun, RunStatus

HEARTBEAT_INTERVAL = 0.5
HEARTBEAT_TIMEOUT = 3.0
PASSWORD = "correct-horse-battery"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_db(tmp_path: Path) -> Iterator[Engine]:
    """A committed SQLite database at head, in a file the worker process can open."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def web_app(worker_db: Engine, tmp_path: Path) -> Flask:
    """The web side: the same database and queue file, real sessions, short heartbeat."""
    return create_app(app_settings(
        worker_db, INSTANCE_PATH=str(tmp_path), REPORT_QUEUE="sqlite",
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"), REPORTS_DIR=str(tmp_path / "reports"),
        REPORT_HEARTBEAT_TIMEOUT=HEARTBEAT_TIMEOUT, REPORT_TIME_LIMIT=120))


def queue_network_report(app: Flask) -> tuple[int, str]:
    """Record and queue a report of a two-city network; return its run id and an admin."""
    with app.app_context(), Session(app.extensions["tracker_db"].engine) as session:
        network = create_network(session=session, user_id=None, network_in=NetworkCreate(
            slug="coast", name="Coast"))
        for slug in ("durban", "maputo"):
            city = create_city(session=session, user_id=None, city_in=CityCreate(
                slug=slug, name=slug.title(), country_code="ZA", is_published=True))
            add_member(session=session, network=network, city=city, user_id=None)
        admin = create_user(session=session, role=Role.ADMIN, email="admin@example.org",
                            password=PASSWORD)
        run, created = runs.request_run(
            session, runs.Target(ReportKind.NETWORK, 2024, network=network), admin.id)
        session.commit()
        assert created
        worker.enqueue_now(run.id, app)  # type: ignore[arg-type]
        return run.id, admin.email  # type: ignore[return-value]


def start_worker(tmp_path: Path, database: Engine) -> subprocess.Popen[bytes]:
    """Start `tracker worker` (with the slow layout) on the test's database and queue."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TRACKER_SECRET_KEY": "test-secret",
           "TRACKER_DATABASE_URL": database.url.render_as_string(hide_password=False),
           "TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_REDIS_URL": "",
           "TRACKER_REPORT_HEARTBEAT_INTERVAL": str(HEARTBEAT_INTERVAL),
           "TRACKER_REPORT_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
           "SLOW_PART_SECONDS": "60"}
    with (tmp_path / "worker.log").open("wb") as log:
        return subprocess.Popen([sys.executable, str(ROOT / "tests/reports/slow_worker.py")],
                                cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)


def children_of(pid: int) -> set[int]:
    """The live processes whose parent is `pid` (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def at_least(count: int, pids: set[int]) -> set[int] | None:
    """The pids when there are at least `count` of them."""
    return pids if len(pids) >= count else None


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    """Poll until `condition()` is true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def run_row(engine: Engine, run_id: int) -> ReportRun:
    """Read the run as it is committed."""
    with Session(engine) as session:
        run = session.get(ReportRun, run_id)
        assert run is not None
        session.expunge(run)
        return run


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_killed_worker_s_run_is_failed_after_the_heartbeat_timeout_and_leaves_no_pool(
        web_app: Flask, worker_db: Engine, tmp_path: Path) -> None:
    run_id, admin = queue_network_report(web_app)
    process = start_worker(tmp_path, worker_db)
    pool: set[int] = set()
    try:
        wait_for(lambda: run_row(worker_db, run_id).step == "pdf", 25, "the layout step")
        # The layout process of the network's one document and multiprocessing's resource
        # tracker under the worker.
        pool = wait_for(lambda: at_least(2, children_of(process.pid)), 15, "the pool")
        first_beat = run_row(worker_db, run_id).heartbeat_at
        time.sleep(3 * HEARTBEAT_INTERVAL)
        assert run_row(worker_db, run_id).heartbeat_at > first_beat, "the worker beats"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        killed = time.monotonic()

        client = web_app.test_client()
        client.post("/login", data={"email": admin, "password": PASSWORD})

        def poll() -> dict[str, Any] | None:
            info = client.get(f"/reports/runs/{run_id}/status.json").get_json()
            return info if info["finished"] else None

        info = wait_for(poll, HEARTBEAT_TIMEOUT + 5, "the run to be failed")
        waited = time.monotonic() - killed
        # Failed by the heartbeat's age: not before the timeout less one beat, soon after it.
        assert HEARTBEAT_TIMEOUT - HEARTBEAT_INTERVAL - 0.3 <= waited <= HEARTBEAT_TIMEOUT + 2
        assert info["status"] == "failed" and info["reason"] == "worker_stopped"
        assert "worker stopped" in info["error"]
        print(f"\nrun failed {waited:.2f} s after SIGKILL (timeout {HEARTBEAT_TIMEOUT} s); "  # noqa: T201
              f"{len(pool)} processes were under the worker")
        row = run_row(worker_db, run_id)
        assert row.status == RunStatus.FAILED and row.attempts == 1 and row.file_name == ""
        assert "no heartbeat for 3 s" in row.error
        # The pool's processes noticed their parent is gone and exited.
        wait_for(lambda: not any(alive(pid) for pid in pool), 5, "the pool processes to exit")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in pool:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
