"""Report runs that never hang: who owns a run, its heartbeat, its time limit, and failing the
runs whose worker died or that ran too long, so that they can be retried.

A worker owns a run by its attempt number: taking a queued run adds one to `attempts`, and
every later write of the worker (progress, heartbeat, result) is a conditional UPDATE on
(status = running, attempts = its attempt). A run failed meanwhile (by a sweep) or retried
(a new attempt) is no longer the worker's: its writes match no row, and it stops.

Stale runs are failed when anyone looks at a run (status page, poll), when a worker starts,
before each job and every minute by the worker's periodic task."""

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, update
from sqlmodel import Session, col, select

from tracker.reports.models import ReportRun, RunStatus
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)

# Why a run failed, kept in its `step`: the status page shows the sentence in the reader's
# language (the `error` column keeps an English one for logs and the shell).
WORKER_STOPPED = "worker_stopped"
TIME_LIMIT = "time_limit"
QUEUE_DOWN = "queue_unreachable"
REASONS = {
    WORKER_STOPPED: _l("The worker stopped before the report was finished (it was stopped "
                       "or crashed). Try again."),
    TIME_LIMIT: _l("The report took longer than its time limit and was stopped."),
    QUEUE_DOWN: _l("The report queue is not reachable; try again later."),
}
ENGLISH = {
    WORKER_STOPPED: "The worker stopped before the report was finished (no heartbeat "
                    "for {timeout:g} s).",
    TIME_LIMIT: "The report took longer than its time limit ({limit:g} s).",
    QUEUE_DOWN: "The report queue is not reachable; try again later.",
}


class RunAbandoned(Exception):
    """The run is no longer this worker's (failed by a sweep, or retried)."""


class TimeLimitPassed(Exception):
    """The run passed its time limit."""


def heartbeat_timeout() -> float:
    """Seconds without a heartbeat after which a running run's worker is taken for dead."""
    return float(current_app.config.get("REPORT_HEARTBEAT_TIMEOUT", 60))


def time_limit() -> float:
    """Seconds a run may take from the moment a worker took it."""
    return float(current_app.config.get("REPORT_TIME_LIMIT", 900))


def english(reason: str) -> str:
    """Return the English sentence of a failure reason, with the limits in force."""
    return ENGLISH[reason].format(timeout=heartbeat_timeout(), limit=time_limit())


def in_state(run_id: int | None, status: RunStatus) -> tuple[ColumnElement[bool], ...]:
    """Filter the run while it has this status."""
    return col(ReportRun.id) == run_id, col(ReportRun.status) == status


def owned(run_id: int, attempt: int) -> tuple[ColumnElement[bool], ...]:
    """Filter the run while it is running this attempt."""
    return (*in_state(run_id, RunStatus.RUNNING), col(ReportRun.attempts) == attempt)


def write(session: Session, where: tuple[ColumnElement[bool], ...], **values: Any) -> bool:
    """Run a conditional UPDATE of runs; return whether it matched a row."""
    statement = (update(ReportRun).where(*where).values(**values)
                 .execution_options(synchronize_session=False))
    return bool(session.exec(statement).rowcount)


def claim(session: Session, run_id: int) -> int | None:
    """Take a queued run for this worker; return its attempt number, or None when another
    worker took it (or it is not queued). Commits, so the status page shows it at once."""
    now = utcnow()
    taken = write(session, in_state(run_id, RunStatus.QUEUED),
                  status=RunStatus.RUNNING, attempts=col(ReportRun.attempts) + 1, started_at=now,
                  heartbeat_at=now, progress=5, step="load", error="", finished_at=None)
    session.commit()
    if not taken:
        return None
    return session.scalar(select(ReportRun.attempts).where(col(ReportRun.id) == run_id))


def touch(session: Session, run_id: int, attempt: int, **values: Any) -> None:
    """Record a heartbeat (and progress, if given) of the worker's attempt and commit; raise
    RunAbandoned when the run is no longer its."""
    if not write(session, owned(run_id, attempt), heartbeat_at=utcnow(), **values):
        session.rollback()
        raise RunAbandoned(run_id)
    session.commit()


def stale_conditions(now: datetime) -> dict[str, ColumnElement[bool]]:
    """The WHERE clause of each way a running run goes stale, by reason."""
    silent = now - timedelta(seconds=heartbeat_timeout())
    return {TIME_LIMIT: col(ReportRun.started_at) < now - timedelta(seconds=time_limit()),
            WORKER_STOPPED: or_(col(ReportRun.heartbeat_at) < silent,
                                col(ReportRun.heartbeat_at).is_(None))}


def fail_stale_runs(session: Session, run_id: int | None = None) -> int:
    """Fail the running runs (or this one) whose worker stopped or that passed their time
    limit; return how many. Flushes only: the caller commits."""
    now, failed = utcnow(), 0
    running = [col(ReportRun.status) == RunStatus.RUNNING]
    if run_id is not None:
        running.append(col(ReportRun.id) == run_id)
    for reason, condition in stale_conditions(now).items():
        # A read first: most looks find nothing, and then no write lock is taken.
        if session.scalar(select(ReportRun.id).where(*running, condition).limit(1)) is None:
            continue
        count = session.exec(
            update(ReportRun).where(*running, condition)
            .values(status=RunStatus.FAILED, step=reason, error=english(reason),
                    finished_at=now).execution_options(synchronize_session=False))
        failed += count.rowcount
    if failed:
        logger.warning("marked %s stale report run(s) failed", failed)
    return failed


def looks_stale(run: ReportRun, now: datetime) -> bool:
    """Whether a loaded running run's heartbeat or start is past its limits (no query)."""
    silent = now - timedelta(seconds=heartbeat_timeout())
    overdue = now - timedelta(seconds=time_limit())
    return (run.heartbeat_at is None or run.heartbeat_at < silent
            or (run.started_at is not None and run.started_at < overdue))


def check_run(session: Session, run: ReportRun) -> ReportRun:
    """Fail this run if it went stale, and return it up to date (flushes only). A poll of a
    live run costs no query; a stale-looking one is failed by a conditional UPDATE."""
    if (run.status == RunStatus.RUNNING and looks_stale(run, utcnow())
            and fail_stale_runs(session, run.id)):
        session.refresh(run)
    return run


def retry_run(session: Session, run: ReportRun) -> bool:
    """Put a failed run back in the queue (the caller enqueues it once committed); return
    whether it was failed (and so is queued again). Flushes only."""
    retried = write(session, in_state(run.id, RunStatus.FAILED),
                    status=RunStatus.QUEUED, progress=0, step="queued", error="",
                    started_at=None, heartbeat_at=None, finished_at=None)
    session.refresh(run)
    return retried


def fail_unqueued(session: Session, run_id: int) -> None:
    """Fail a run whose job could not be handed to the queue (no orphan `queued` run)."""
    write(session, in_state(run_id, RunStatus.QUEUED),
          status=RunStatus.FAILED, step=QUEUE_DOWN, error=english(QUEUE_DOWN),
          finished_at=utcnow())


class Heartbeat:
    """A thread that records a run's heartbeat every few seconds, in sessions of its own,
    while the worker's thread is busy (a long layout writes no progress)."""

    def __init__(self, run_id: int, attempt: int, interval: float,
                 session_factory: Callable[[], Session]) -> None:
        """Prepare the thread; `lost` is set when the run is no longer this worker's."""
        self.run_id, self.attempt, self.interval = run_id, attempt, interval
        self.session_factory = session_factory
        self.lost, self.stopped = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self.loop, name=f"heartbeat-{run_id}",
                                       daemon=True)

    def loop(self) -> None:
        """Beat until stopped or until the run is taken away."""
        while not self.stopped.wait(self.interval):
            session = self.session_factory()
            try:
                touch(session, self.run_id, self.attempt)
            except RunAbandoned:
                self.lost.set()
                return
            except Exception:  # noqa: BLE001  (a database hiccup: beat again next time)
                logger.exception("heartbeat of report run %s failed", self.run_id)
                session.invalidate()  # a connection a failed commit left unsure is not reused
            finally:
                session.close()

    def __enter__(self) -> "Heartbeat":
        """Start beating."""
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop beating."""
        self.stopped.set()
        self.thread.join(timeout=self.interval + 5)
