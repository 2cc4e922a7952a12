"""Import jobs: a dry run or a commit of an uploaded sheet, run on the report queue (huey).

The upload is kept under <instance>/import-jobs/ by a random name with its SHA-256 on the
job; a commit saves the file its dry run checked (checking everything again, all or
nothing). The job records its progress as it goes (committing only the job's own row while
nothing else is pending), its counts, and its problems: the first PAGE_LIMIT of each list
in a small JSON file for the page, every one in a compact JSON file for the CSV download.
"""

import csv
import hashlib
import io
import json
import logging
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from tracker.bulk.formats import escape
from tracker.bulk.report import Action, ImportReport, RowError
from tracker.data.import_job_models import ImportJob, ImportKind, JobStatus
from tracker.errors import DomainError
from tracker.locking import is_busy
from tracker.memory import gc_paused
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)

PAGE_LIMIT = 200  # problems (and changed rows) shown on a page; the download has them all
DEFAULT_TTL = 2 * 24 * 3600  # seconds an upload and its problems are kept (IMPORT_JOB_TTL)
DEFAULT_TIME_LIMIT = 30 * 60  # seconds a job may wait and run (IMPORT_JOB_TIME_LIMIT)
LISTS = ("errors", "warnings")
BUSY_ATTEMPTS = 5  # runs of a job whose write the database turned away as busy
BUSY_PAUSE_SECONDS = 0.2  # times the attempt: 0.2 s, 0.4 s, … between runs
Progress = Callable[[int, str], None]
Runner = Callable[[Session, ImportJob, bytes, Progress], ImportReport]
RUNNERS: dict[ImportKind, Runner] = {}  # filled by import_runners (one per kind of sheet)


class JobFileError(Exception):
    """The stored upload is gone or no longer matches its hash."""


# --------------------------------------------------------------------------- files


def jobs_dir() -> Path:
    """Return the folder of stored uploads and problem files (private to the server)."""
    folder = Path(current_app.instance_path) / "import-jobs"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def ttl() -> float:
    """Return how long uploads and problem files are kept."""
    return float(current_app.config.get("IMPORT_JOB_TTL", DEFAULT_TTL))


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by the server only, atomically (temp file, then rename)."""
    temp = path.with_name(f".{path.name}.part")
    temp.write_bytes(data)
    temp.chmod(0o600)
    os.replace(temp, path)


def store_file(data: bytes) -> tuple[str, str]:
    """Keep an upload under a random name; return the name and its SHA-256."""
    purge_expired()
    name = f"{secrets.token_urlsafe(24)}.upload"
    write_private(jobs_dir() / name, data)
    return name, hashlib.sha256(data).hexdigest()


def read_file(job: ImportJob) -> bytes:
    """Return the job's upload, checked against its hash."""
    try:
        data = (jobs_dir() / job.file_name).read_bytes()
    except OSError as error:
        raise JobFileError(_("The uploaded file is no longer kept; upload it again.")) \
            from error
    if hashlib.sha256(data).hexdigest() != job.file_hash:
        raise JobFileError(_("The uploaded file no longer matches its fingerprint; upload "
                             "it again."))
    return data


def has_file(job: ImportJob) -> bool:
    """Is the job's upload still kept?"""
    return (jobs_dir() / job.file_name).is_file()


def discard_file(job: ImportJob) -> None:
    """Delete the job's upload (once saved it is of no further use)."""
    (jobs_dir() / job.file_name).unlink(missing_ok=True)


def purge_expired() -> None:
    """Delete uploads and problem files older than their time to live."""
    limit = time.time() - ttl()
    for path in jobs_dir().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


# --------------------------------------------------------------------------- records


def create_job(*, session: Session, kind: ImportKind, city_id: int, user_id: int | None,
               data: bytes, filename: str, plan_id: int | None = None) -> ImportJob:
    """Store an upload and record a queued dry run of it."""
    name, digest = store_file(data)
    job = ImportJob(kind=kind, city_id=city_id, plan_id=plan_id, user_id=user_id,
                    file_name=name, original_name=filename[:200], file_hash=digest,
                    file_size=len(data), result_key=secrets.token_urlsafe(24))
    session.add(job)
    session.flush()
    return job


def list_recent_jobs(session: Session, city_id: int, kind: ImportKind, limit: int = 10
                     ) -> list[ImportJob]:
    """Return the city's latest jobs of a kind of sheet, newest first."""
    from sqlmodel import select

    query = (select(ImportJob).where(ImportJob.city_id == city_id, ImportJob.kind == kind)
             .order_by(col(ImportJob.id).desc()).limit(limit))
    return list(session.exec(query))


def find_commit(session: Session, source: ImportJob) -> ImportJob | None:
    """Return the commit of a dry run that is queued, running or saved, if any."""
    from sqlmodel import select

    query = select(ImportJob).where(ImportJob.source_job_id == source.id,
                                    ImportJob.status != JobStatus.FAILED)
    return next((job for job in session.exec(query) if job.is_saved or
                 job.status in (JobStatus.QUEUED, JobStatus.RUNNING)), None)


def can_commit(session: Session, job: ImportJob) -> bool:
    """May this dry run be saved: it ran clean, its file is kept, no commit is on its way?"""
    return (job.is_dry_run and job.status == JobStatus.DONE and job.error_count == 0
            and has_file(job) and find_commit(session, job) is None)


def create_commit(*, session: Session, source: ImportJob, user_id: int | None) -> ImportJob:
    """Record a queued commit of the file a clean dry run checked."""
    job = ImportJob(kind=source.kind, city_id=source.city_id, plan_id=source.plan_id,
                    user_id=user_id, is_dry_run=False, source_job_id=source.id,
                    file_name=source.file_name, original_name=source.original_name,
                    file_hash=source.file_hash, file_size=source.file_size,
                    result_key=secrets.token_urlsafe(24))
    session.add(job)
    session.flush()
    return job


# --------------------------------------------------------------------------- running


def claim(session: Session, job_id: int) -> ImportJob | None:
    """Mark a queued job running (once, even with two workers); return it."""
    now = utcnow()
    claimed = session.exec(
        update(ImportJob).where(col(ImportJob.id) == job_id,
                                col(ImportJob.status) == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, progress=1, step="read"))
    session.commit()
    if claimed.rowcount != 1:
        return None
    return session.get(ImportJob, job_id, populate_existing=True)


def run_job(session: Session, job_id: int) -> ImportJob | None:
    """Run a queued job: check (and, for a commit, save) its file; record the outcome."""
    job = claim(session, job_id)
    if job is None:
        return session.get(ImportJob, job_id)  # taken by another worker, or gone
    keeps = session.expire_on_commit
    # Progress commits must not expire the state the check loaded (a reload per object).
    session.expire_on_commit = False
    try:
        run_until_not_busy(session, job)
    except Exception as error:  # noqa: BLE001  (any failure is recorded on the job)
        logger.exception("import job %s failed", job_id)
        session.rollback()
        job = fail(session, job_id, reason_of(error))
    finally:
        session.expire_on_commit = keeps
    return job


def run_until_not_busy(session: Session, job: ImportJob) -> None:
    """Run the job's check (and save); run it again when the database turned its write away
    because another was under way: SQLite refuses at once a reader that turns writer while
    another writes, and nothing of a refused run was saved, so the next run decides afresh."""
    for attempt in range(BUSY_ATTEMPTS):
        try:
            # Hundreds of thousands of small acyclic objects: collector scans would double it.
            with gc_paused():
                report = RUNNERS[job.kind](session, job, read_file(job),
                                           progress_of(session, job))
                finish(session, job, report)
            return
        except OperationalError as error:
            if not is_busy(error) or attempt == BUSY_ATTEMPTS - 1:
                raise
            session.rollback()
            time.sleep(BUSY_PAUSE_SECONDS * (attempt + 1))


def progress_of(session: Session, job: ImportJob) -> Progress:
    """Return the callback that records the job's progress (percent, step) and commits."""
    def progress(percent: int, step: str) -> None:
        if session.new or session.dirty or session.deleted:
            return  # something besides the job is pending: never commit half of it
        job.progress, job.step = max(1, min(99, percent)), step
        session.add(job)
        session.commit()
    return progress


def finish(session: Session, job: ImportJob, report: ImportReport) -> None:
    """Record a finished job's counts and problems; commit it with what it saved."""
    warnings: list[RowError] = getattr(report, "warnings", [])
    counts = report.summary()
    job.row_count = len(report.outcomes)
    job.created_count, job.updated_count = counts["create"], counts["update"]
    job.unchanged_count = counts["unchanged"]
    job.error_count, job.warning_count = len(report.errors), len(warnings)
    job.is_saved = report.saved
    job.state_hash = getattr(report, "state_hash", "")
    write_results(job, report, warnings)
    job.status, job.progress, job.step = JobStatus.DONE, 100, "done"
    job.finished_at = utcnow()
    session.add(job)
    session.commit()
    if job.is_saved:
        discard_file(job)


def fail_if_stale(session: Session, job: ImportJob) -> ImportJob:
    """Fail a job left queued or running past IMPORT_JOB_TIME_LIMIT (its worker died, or it
    was never handed to the queue): its page must not wait forever. Flushes only."""
    limit = timedelta(seconds=float(current_app.config.get("IMPORT_JOB_TIME_LIMIT",
                                                           DEFAULT_TIME_LIMIT)))
    since = job.started_at or job.created_at
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and utcnow() - since > limit:
        job.status, job.step, job.finished_at = JobStatus.FAILED, "failed", utcnow()
        job.error = _("The job did not finish within its time limit (its worker may have "
                      "stopped); nothing was saved. Upload the file again.")
        session.add(job)
        session.flush()
    return job


def reason_of(error: Exception) -> str:
    """Say why a job failed: a refusal's own message, or a generic one (details in the log)."""
    if isinstance(error, DomainError | JobFileError):
        return str(error)
    message: str = _("An unexpected error stopped the job; nothing was saved. The "
                     "administrators will find the details in the log.")
    return message


def fail(session: Session, job_id: int, reason: str) -> ImportJob | None:
    """Mark a job failed with its reason (nothing it did was kept)."""
    job = session.get(ImportJob, job_id, populate_existing=True)
    if job is None:
        return None
    job.status, job.step, job.is_saved = JobStatus.FAILED, "failed", False
    job.error = reason[:2000]
    job.finished_at = utcnow()
    session.add(job)
    session.commit()
    return job


# --------------------------------------------------------------------------- problems


def write_results(job: ImportJob, report: ImportReport, warnings: list[RowError]) -> None:
    """Keep every problem (compactly: each distinct message once) and the first of each
    list, with the first changed rows, for the page."""
    lists = {"errors": report.errors, "warnings": warnings}
    for which, problems in lists.items():
        write_private(jobs_dir() / f"{job.result_key}.{which}.json", pack(problems))
    changed = [o for o in report.outcomes if o.action != Action.UNCHANGED][:PAGE_LIMIT]
    summary = {which: [[e.row, e.column, e.message] for e in problems[:PAGE_LIMIT]]
               for which, problems in lists.items()}
    summary["changed"] = [[o.row, o.code, o.label, o.action.value, o.changes]
                          for o in changed]
    write_private(jobs_dir() / f"{job.result_key}.json", json.dumps(summary).encode())


def pack(problems: list[RowError]) -> bytes:
    """Encode problems as JSON with each distinct message once (a 200 000-column header
    repeats one message 200 000 times)."""
    messages: dict[str, int] = {}
    rows = [(e.row, e.column, messages.setdefault(e.message, len(messages)))
            for e in problems]
    return json.dumps({"messages": list(messages), "rows": rows}).encode()


def problems_csv(problems: Iterable[tuple[int, str, str]]) -> Iterator[bytes]:
    """Yield UTF-8 CSV (row, column, message) in chunks, text escaped against formulas."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(["row", "column", "message"])
    for index, (row, column, message) in enumerate(problems, start=1):
        writer.writerow([row, escape(column), escape(message)])
        if index % 5000 == 0:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode()


def read_results(job: ImportJob) -> dict[str, Any] | None:
    """Return the first problems and changes of a finished job (None once purged)."""
    try:
        # Written by write_results from a dict.
        return cast(dict[str, Any], json.loads((jobs_dir() / f"{job.result_key}.json").read_text()))
    except (OSError, ValueError):
        return None


def read_problems(job: ImportJob, which: str) -> Iterator[tuple[int, str, str]] | None:
    """Return every problem of one list (errors or warnings), if still kept."""
    if which not in LISTS:
        return None
    try:
        packed = json.loads((jobs_dir() / f"{job.result_key}.{which}.json").read_text())
    except (OSError, ValueError):
        return None
    messages = packed["messages"]
    return ((row, column, messages[index]) for row, column, index in packed["rows"])
