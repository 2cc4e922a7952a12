"""Run import jobs: on the background queue (huey, shared with the reports), or at once for
small files, in both cases after the request that recorded the job has committed it.

The queue's worker runs `run_job` in an app context of its own. A file of at most
IMPORT_INLINE_BYTES runs the same `run_job` in this process right after the request,
before the response leaves: its page then shows the result without waiting for a worker.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response, current_app, g, redirect, request_finished, url_for
from flask_babel import gettext as _
from sqlmodel import Session
from werkzeug.wrappers import Response as RedirectResponse

from tracker.auth.access import signed_in_user
from tracker.bulk import services as bulk
from tracker.bulk.report import ImportReport
from tracker.cities.models import City
from tracker.data import import_jobs
from tracker.data.import_job_models import ImportJob, ImportKind
from tracker.data.observation_io import import_observations
from tracker.data.observation_sheet import SheetRow
from tracker.db import get_session
from tracker.plans.models import Plan
from tracker.reports.worker import enqueue_task_after_request, register_task

logger = logging.getLogger(__name__)

TASK_NAME = "run_import_job"
# Measured: a 64 KB file (3 276 rows) checks in 0.3–0.4 s on a busy 2-core machine (the
# bench in tests/perf/test_import_jobs_bench.py): a wait a request can afford.
DEFAULT_INLINE_BYTES = 64 * 1024
STEPS = 20  # progress updates while the rows are checked


# --------------------------------------------------------------------------- runners


def run_observations(session: Session, job: ImportJob, data: bytes,
                     progress: import_jobs.Progress) -> ImportReport:
    """Check (and, for a commit, save) a values sheet, reporting progress row by row; a
    commit saves only if every cell the file touches is as its dry run found it."""
    city = session.get(City, job.city_id)
    source = session.get(ImportJob, job.source_job_id) if job.source_job_id else None
    assert city is not None
    return import_observations(session=session, city=city, data=data, user_id=job.user_id,
                               save=not job.is_dry_run,
                               progress=row_progress(progress, job.is_dry_run),
                               expected_state=source.state_hash if source else None)


def row_progress(progress: import_jobs.Progress, dry_run: bool
                 ) -> Callable[[list[SheetRow]], Any]:
    """Return the import's progress wrapper: 10 → 80 % while the rows are checked."""

    @contextmanager
    def wrap(rows: list[SheetRow]) -> Iterator[Iterable[SheetRow]]:
        progress(10, "check")
        yield counted(rows, progress)
        # Nothing is written before this point; from here to the end nothing is committed.
        progress(85, "report" if dry_run else "save")

    return wrap


def counted(rows: list[SheetRow], progress: import_jobs.Progress) -> Iterator[SheetRow]:
    """Yield the rows, recording progress every 1/STEPS of them."""
    every = max(1, len(rows) // STEPS)
    for index, row in enumerate(rows, start=1):
        yield row
        if index % every == 0:
            progress(10 + 70 * index // len(rows), "check")


def run_structure(session: Session, job: ImportJob, data: bytes,
                  progress: import_jobs.Progress) -> ImportReport:
    """Check (and, for a commit, save) a plan structure sheet."""
    plan = session.get(Plan, job.plan_id)
    assert plan is not None and plan.city_id == job.city_id
    progress(10, "check")
    return bulk.import_structure(session=session, plan=plan, data=data, user_id=job.user_id,
                                 save=not job.is_dry_run)


def run_indicators(session: Session, job: ImportJob, data: bytes,
                   progress: import_jobs.Progress) -> ImportReport:
    """Check (and, for a commit, save) an indicator definitions sheet."""
    city = session.get(City, job.city_id)
    assert city is not None
    progress(10, "check")
    return bulk.import_indicators(session=session, city=city, data=data, user_id=job.user_id,
                                  save=not job.is_dry_run)


import_jobs.RUNNERS.update({ImportKind.OBSERVATIONS: run_observations,
                            ImportKind.STRUCTURE: run_structure,
                            ImportKind.INDICATORS: run_indicators})


# --------------------------------------------------------------------------- queue


@register_task(TASK_NAME)
def run_import_job(job_id: int) -> None:
    """Run one import job (the queue's worker calls this in an app context of its own)."""
    import_jobs.run_job(get_session(), job_id)


def fail_unqueued_job(job_id: int) -> None:
    """Fail a committed job that the queue's broker refused (no job waits forever)."""
    import_jobs.fail(get_session(), job_id, _(
        "The background queue cannot be reached; nothing was checked or saved. Try again "
        "later."))


def init_import_queue(app: Flask) -> None:
    """Run the small jobs a request recorded once it has committed them."""
    request_finished.connect(_run_small, app)


def start_after_request(job: ImportJob) -> None:
    """Run a job once this request has committed it: at once when its file is small,
    otherwise on the queue."""
    limit = int(current_app.config.get("IMPORT_INLINE_BYTES", DEFAULT_INLINE_BYTES))
    if job.file_size <= limit:
        g.setdefault("small_import_jobs", []).append(job.id)
    else:
        enqueue_task_after_request(TASK_NAME, job.id, on_failure=fail_unqueued_job)


def _run_small(sender: Flask, response: Response, **_extra: Any) -> None:
    """After a successful request (already committed), run its small jobs, each in an app
    context (and so a session) of its own, before the response leaves."""
    pending = g.pop("small_import_jobs", [])
    if response.status_code >= 400:
        return
    for job_id in pending:
        try:
            with sender.app_context():
                import_jobs.run_job(get_session(), job_id)
        except Exception:  # noqa: BLE001  (the request has committed: answer it all the same)
            # The job stays queued; its page fails it once past its time limit.
            logger.exception("import job %s could not be run", job_id)


def start_job(kind: ImportKind, city: City, data: bytes, filename: str,
              plan: Plan | None = None) -> RedirectResponse:
    """Record a dry run of an upload, start it after this request, and go to its page."""
    user = signed_in_user()
    assert city.id is not None
    job = import_jobs.create_job(session=get_session(), kind=kind, city_id=city.id,
                                 user_id=user.id if user else None, data=data,
                                 filename=filename, plan_id=plan.id if plan else None)
    start_after_request(job)
    return redirect(url_for("import_jobs.show_job", slug=city.slug, job_id=job.id))
