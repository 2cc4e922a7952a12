"""Open SDG repositories as import jobs: a dry run of an uploaded zip, then its import
(drafts) or its approved import, each run by the import queue with progress.

Besides the job's problem files, each run keeps its counts per indicator (rows in and out,
created, updated, unchanged) in `<result_key>.opensdg.json` for the job's page.
"""

import json
from typing import Any

from sqlmodel import Session

from tracker.auth.models import User
from tracker.cities.models import City
from tracker.data import import_jobs
from tracker.data.import_job_models import ImportJob, ImportKind
from tracker.opensdg.importer import OpenSdgReport, import_repository

KINDS = (ImportKind.OPENSDG, ImportKind.OPENSDG_APPROVE)
SUFFIX = "opensdg.json"


def run_opensdg(session: Session, job: ImportJob, data: bytes,
                progress: import_jobs.Progress) -> OpenSdgReport:
    """Check (and, for a save, import) a zipped repository; a save imports only if every
    value it touches is as its dry run found it."""
    city = session.get(City, job.city_id)
    user = session.get(User, job.user_id) if job.user_id else None
    source = session.get(ImportJob, job.source_job_id) if job.source_job_id else None
    assert city is not None
    report = import_repository(session, city, data, user, dry_run=job.is_dry_run,
                               approve=job.kind == ImportKind.OPENSDG_APPROVE,
                               progress=progress,
                               expected_state=source.state_hash if source else None)
    write_counts(job, report)
    return report


def write_counts(job: ImportJob, report: OpenSdgReport) -> None:
    """Keep the counts per indicator for the job's page."""
    rows = [[c.code, c.opensdg_id, c.file, c.action.value, c.rows, c.taken, c.not_taken,
             c.created, c.updated, c.unchanged] for c in report.indicators]
    import_jobs.write_private(import_jobs.jobs_dir() / f"{job.result_key}.{SUFFIX}",
                              json.dumps(rows).encode())


def read_counts(job: ImportJob) -> list[dict[str, Any]] | None:
    """Return a finished job's counts per indicator (None once purged)."""
    try:
        rows = json.loads((import_jobs.jobs_dir() / f"{job.result_key}.{SUFFIX}").read_text())
    except (OSError, ValueError):
        return None
    names = ["code", "opensdg_id", "file", "action", "rows", "taken", "not_taken", "created",
             "updated", "unchanged"]
    return [dict(zip(names, row, strict=True)) for row in rows]


import_jobs.RUNNERS.update(dict.fromkeys(KINDS, run_opensdg))
