"""Generating one report run: take it (an attempt of this worker), load → render → pdf → store,
heartbeating all along and within its time limit; mark it done or failed with a reason.

Every write to the run is conditional on this worker still owning its attempt (see
tracker.reports.liveness): a run failed or retried meanwhile is left alone."""

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlmodel import Session

from tracker.auth.models import User
from tracker.db import get_db, saved_id
from tracker.reports import liveness, render
from tracker.reports.comparison import comparison_parts
from tracker.reports.content import report_data_hash
from tracker.reports.layout import discard_pdf, merge_pdfs, render_parts, store_pdf
from tracker.reports.models import Progress, ReportKind, ReportRun, RunStatus
from tracker.reports.runs import Target, build_context, request_run, target_of
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)


@dataclass
class Job:
    """One attempt at a run by this worker: its deadline and its heartbeat."""

    session: Session
    run_id: int
    attempt: int
    deadline: float  # time.monotonic() past which the attempt stops
    on_progress: Progress | None = None
    beat: liveness.Heartbeat | None = None

    def check(self) -> None:
        """Raise when the run was taken away or passed its time limit."""
        if self.beat is not None and self.beat.lost.is_set():
            raise liveness.RunAbandoned(self.run_id)
        if time.monotonic() > self.deadline:
            raise liveness.TimeLimitPassed(self.run_id)

    def progress(self, percent: int, step: str) -> None:
        """Record how far the run got (a heartbeat too), so its status page can show it."""
        self.check()
        liveness.touch(self.session, self.run_id, self.attempt,
                       progress=max(0, min(100, percent)), step=step)
        if self.on_progress is not None:
            self.on_progress(percent, step)


def execute_run(session: Session, run_id: int, on_progress: Progress | None = None
                ) -> ReportRun | None:
    """Generate a queued run; return it as it ended (or as another worker left it)."""
    attempt = liveness.claim(session, run_id)
    if attempt is not None:
        deadline = time.monotonic() + liveness.time_limit()
        with heartbeat(run_id, attempt) as beat:
            job = Job(session, run_id, attempt, deadline, on_progress, beat)
            if on_progress is not None:
                on_progress(5, "load")
            run_job(job)
    return session.get(ReportRun, run_id)


@contextlib.contextmanager
def heartbeat(run_id: int, attempt: int) -> Iterator[liveness.Heartbeat | None]:
    """Beat in a thread of its own while the run is generated, when the database gives
    each thread a session of its own (the test app shares one session: no thread there)."""
    interval = float(current_app.config.get("REPORT_HEARTBEAT_INTERVAL", 5))
    database = get_db()
    if interval <= 0 or not database.closes_sessions:
        yield None
        return
    with liveness.Heartbeat(run_id, attempt, interval, database.session_factory) as beat:
        yield beat


def run_job(job: Job) -> None:
    """Produce, store and record the PDF; record a failure with its reason."""
    session = job.session
    try:
        pdf, digest = produce_pdf(session, session.get(ReportRun, job.run_id), job)
        job.progress(95, "store")
        name = store_pdf(pdf)
        if not liveness.write(session, liveness.owned(job.run_id, job.attempt),
                              status=RunStatus.DONE, progress=100, step="done",
                              file_name=name, size=len(pdf), data_hash=digest,
                              finished_at=utcnow(), heartbeat_at=utcnow()):
            discard_pdf(name)  # failed or retried meanwhile: this PDF belongs to no run
        session.commit()
    except liveness.RunAbandoned:
        session.rollback()
        logger.warning("report run %s was taken from this worker; stopped", job.run_id)
    except Exception as error:  # noqa: BLE001  (any failure is recorded on the run)
        logger.exception("report run %s failed", job.run_id)
        session.rollback()
        record_failure(job, error)


def record_failure(job: Job, error: Exception) -> None:
    """Mark the attempt failed: with the time limit's reason, or the error itself."""
    if isinstance(error, liveness.TimeLimitPassed):
        step, text = liveness.TIME_LIMIT, liveness.english(liveness.TIME_LIMIT)
    else:
        step, text = "failed", f"{type(error).__name__}: {error}"
    liveness.write(job.session, liveness.owned(job.run_id, job.attempt),
                   status=RunStatus.FAILED, step=step, error=text[:4000],
                   finished_at=utcnow())
    job.session.commit()


def requester_name(session: Session, run: ReportRun) -> str:
    """Return the name (or e-mail) of who asked for the run, for the cover."""
    user = session.get(User, run.requested_by_id) if run.requested_by_id else None
    return (user.name or user.email) if user is not None else ""


def produce_pdf(session: Session, run: Any, job: Job) -> tuple[bytes, str]:
    """Build the run's content, render it to HTML and lay it out as PDF; return the PDF and
    the hash of the data it shows."""
    page_size, kind = run.page_size, run.kind
    parts, digest = html_parts_of(session, run, job)
    # This commit ends the read transaction, and the layout reads nothing: on SQLite a read
    # transaction left open would keep the heartbeat thread from writing.
    job.progress(40, "pdf")
    # A network's layout is long: it runs in a process of its own, which the worker stops
    # when the run passes its time limit and which exits when the worker dies.
    pdfs = render_parts(parts, page_size=page_size, progress=job.progress, check=job.check,
                        apart=kind == ReportKind.NETWORK)
    return merge_pdfs(parts, pdfs), digest


def html_parts_of(session: Session, run: ReportRun, job: Job
                  ) -> tuple[list[tuple[str, str]], str]:
    """Return a run's HTML parts and its data hash."""
    if run.kind == ReportKind.COMPARISON:
        return comparison_parts(session, run, job.progress)
    kind = ReportKind(run.kind)
    context = build_context(session, target_of(session, run), requester_name(session, run))
    digest = report_data_hash(context)
    # End the read transaction before writing the progress: on SQLite a reader cannot turn
    # writer once the heartbeat thread has written meanwhile (a network's data takes long).
    session.commit()
    job.progress(25, "render")
    return html_parts(kind, context), digest


def html_parts(kind: ReportKind, context: dict[str, Any]) -> list[tuple[str, str]]:
    """Render a report as (title, HTML) parts. A network report is one part: laid out as
    one document, its pages are numbered through and its contents list every city."""
    if kind == ReportKind.SUMMARY:
        return [(context["city"]["name"], render.render_summary_html(context))]
    if kind == ReportKind.CITY:
        return [(context["city"]["name"], render.render_city_html(context))]
    return [(context["network"]["name"], render.render_network_html(context))]


def generate_now(session: Session, target: Target, user_id: int | None = None,
                 on_progress: Progress | None = None) -> ReportRun:
    """Ask for a report and, unless an unchanged one is stored, generate it in this process
    (the shell command). Commits, like every command."""
    run, created = request_run(session, target, user_id)
    session.commit()
    if created:
        run = execute_run(session, saved_id(run), on_progress) or run
    return run
