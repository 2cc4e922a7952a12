"""The background queue (huey) and its tasks: report runs, and any task another module
registers with `register_task`.

The queue is chosen by configuration: `SqliteHuey` (a file under instance/, the embedded
default, no extra server), `RedisHuey` when TRACKER_REDIS_URL / REDIS_URL is set (workers on
several machines), or an in-memory queue run at once (`immediate`, the default in tests).
A web request only records a run; the job is handed to the queue once the request has
committed (so the worker can see the run), and `tracker worker` runs the jobs.

A broker that is down raises `QueueUnavailable`: routes check the queue before recording
anything (`check_queue`: 503, nothing recorded), and a job that cannot be handed over after
the commit fails its run with that reason, so no run waits forever as `queued`.

Other modules' tasks: decorate a function with `@register_task("name")` at import time of a
module that create_app imports (before the queue is first used); it runs in an app context
of its own with the arguments given to `enqueue_task("name", ...)` or
`enqueue_task_after_request("name", ..., on_failure=...)`.
"""

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from flask import Flask, Response, current_app, g, request_finished
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from werkzeug.local import LocalProxy

from tracker.db import commit_session, get_session
from tracker.reports import liveness
from tracker.reports.jobs import Progress, execute_run, generate_now  # noqa: F401  (API)

logger = logging.getLogger(__name__)

EXTENSION = "report_huey"
TASK_NAME = "generate_report"
SWEEP_TASK = "fail_stale_report_runs"
_BUILD_LOCK = threading.Lock()
TaskFunction = Callable[..., None]
TASKS: dict[str, TaskFunction] = {}

try:
    from redis.exceptions import ConnectionError as RedisDown
    from redis.exceptions import TimeoutError as RedisTimeout

    BROKER_ERRORS: tuple[type[BaseException], ...] = (
        RedisDown, RedisTimeout, sqlite3.OperationalError, OSError)
except ImportError:  # pragma: no cover  (redis is a dependency; be lenient all the same)
    BROKER_ERRORS = (sqlite3.OperationalError, OSError)


class QueueUnavailable(Exception):
    """The queue's broker (Redis, or the SQLite file) cannot be reached."""


def register_task(name: str) -> Callable[[TaskFunction], TaskFunction]:
    """Register a function as a background task named `name` (see the module docstring)."""

    def register(function: TaskFunction) -> TaskFunction:
        TASKS[name] = function
        return function

    return register


@register_task(TASK_NAME)
def generate_report(run_id: int) -> None:
    """Generate one run, after failing the runs whose worker died."""
    session = get_session()
    liveness.fail_stale_runs(session)
    session.commit()
    execute_run(session, run_id)


def sweep_stale_runs() -> int:
    """Fail the runs whose worker stopped or that passed their time limit; commit."""
    session = get_session()
    count = liveness.fail_stale_runs(session)
    session.commit()
    return count


def queue_kind(app: Flask) -> str:
    """Return which queue the app uses: immediate, memory, sqlite or redis."""
    if kind := app.config.get("REPORT_QUEUE"):
        return str(kind)
    if app.testing:
        return "immediate"
    return "redis" if app.config.get("REDIS_URL") else "sqlite"


def make_huey(app: Flask) -> Huey:
    """Build the huey instance the configuration asks for."""
    kind, name = queue_kind(app), app.config.get("HUEY_NAME") or "tracker-reports"
    if kind == "redis":
        from redis import ConnectionPool

        # A bounded connect: an unreachable host must not hold a web request for minutes.
        pool = ConnectionPool.from_url(app.config["REDIS_URL"], socket_connect_timeout=3)
        return RedisHuey(name, connection_pool=pool, results=False)
    if kind == "sqlite":
        path = Path(app.config.get("HUEY_SQLITE_PATH") or Path(app.instance_path) / "huey.db")
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False)
    return MemoryHuey(name, results=False, immediate=kind == "immediate")


def init_worker(app: Flask) -> None:
    """Prepare the app's queue; it is built on first use (no file is touched before)."""
    app.extensions[EXTENSION] = None
    request_finished.connect(_enqueue_pending, app)


def _bind(huey: Huey, app: Flask, name: str, function: TaskFunction) -> Any:
    """Make a registered function a task of this huey, run in an app context of its own."""

    def task(*args: Any) -> None:
        with app.app_context():
            function(*args)

    task.__name__, task.__module__ = name, __name__  # the same name in web and worker
    return huey.task(name=name, retries=0)(task)


def _build(app: Flask) -> tuple[Huey, dict[str, Any]]:
    """Build the app's huey instance with the registered tasks bound to this app, and the
    minutely sweep of stale runs (run by the consumer's scheduler)."""
    huey = make_huey(app)
    tasks = {name: _bind(huey, app, name, function) for name, function in TASKS.items()}

    def sweep() -> None:
        with app.app_context():
            sweep_stale_runs()

    sweep.__name__, sweep.__module__ = SWEEP_TASK, __name__
    huey.periodic_task(crontab(minute="*"), name=SWEEP_TASK)(sweep)
    return huey, tasks


def _queue(app: Flask | None = None) -> tuple[Huey, dict[str, Any]]:
    """Return the app's huey instance and its tasks, building them on first use."""
    # The real app, not the proxy: the tasks keep it beyond this request. Flask declares
    # current_app as Flask, though it is a werkzeug LocalProxy of one.
    app = app or cast("LocalProxy[Flask]", current_app)._get_current_object()
    with _BUILD_LOCK:
        if app.extensions.get(EXTENSION) is None:
            app.extensions[EXTENSION] = _build(app)
    queue: tuple[Huey, dict[str, Any]] = app.extensions[EXTENSION]
    return queue


def app_huey(app: Flask | None = None) -> Huey:
    """Return the app's huey instance."""
    return _queue(app)[0]


def check_queue(app: Flask | None = None) -> None:
    """Raise QueueUnavailable unless the queue's broker answers (Redis PING, SQLite read)."""
    huey = app_huey(app)
    try:
        if isinstance(huey, RedisHuey):
            huey.storage.conn.ping()
        elif isinstance(huey, SqliteHuey):
            huey.storage.queue_size()
    except BROKER_ERRORS as error:
        logger.error("the report queue is not reachable: %s", error)
        raise QueueUnavailable(str(error)) from error


def enqueue_task(name: str, *args: Any, app: Flask | None = None) -> None:
    """Hand a registered task to the queue; raise QueueUnavailable when it cannot be."""
    task = _queue(app)[1][name]
    try:
        task(*args)
    except BROKER_ERRORS as error:
        logger.error("could not queue %s%r: %s", name, args, error)
        raise QueueUnavailable(str(error)) from error


def enqueue_now(run_id: int, app: Flask | None = None) -> None:
    """Hand a committed run to the queue (QueueUnavailable when the broker is down)."""
    enqueue_task(TASK_NAME, run_id, app=app)


def enqueue_task_after_request(name: str, *args: Any,
                               on_failure: Callable[..., None] | None = None) -> None:
    """Hand a task to the queue once this request has committed; if the broker is down by
    then, `on_failure(*args)` records it (in the request's session, committed after)."""
    g.setdefault("pending_tasks", []).append((name, args, on_failure))


def enqueue_after_request(run_id: int) -> None:
    """Hand a run to the queue once this request has committed it."""
    enqueue_task_after_request(TASK_NAME, run_id, on_failure=fail_unqueued_run)


def fail_unqueued_run(run_id: int) -> None:
    """Fail a committed run whose job the broker refused (no orphan `queued` run)."""
    liveness.fail_unqueued(get_session(), run_id)


def _enqueue_pending(sender: Flask, response: Response, **_extra: Any) -> None:
    """After a successful request, queue the tasks it recorded."""
    pending = g.pop("pending_tasks", [])
    if not pending or response.status_code >= 400:
        return
    commit_session()  # already done by the unit of work; the worker must see the rows
    for name, args, on_failure in pending:
        try:
            enqueue_task(name, *args, app=sender)
        except QueueUnavailable:
            if on_failure is not None:
                on_failure(*args)
                commit_session()


class ThreadWorker:
    """A consumer thread inside this process, for an in-memory queue (embedded server, tests)."""

    def __init__(self, app: Flask) -> None:
        """Take the app's (non-immediate) huey instance."""
        self.huey = app_huey(app)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="report-worker", daemon=True)

    def loop(self) -> None:
        """Run queued jobs until stopped."""
        while not self.stop.is_set():
            task = self.huey.dequeue()
            if task is None:
                self.stop.wait(0.1)
                continue
            self.huey.execute(task)

    def __enter__(self) -> "ThreadWorker":
        """Start the thread."""
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop the thread."""
        self.stop.set()
        self.thread.join(timeout=30)
