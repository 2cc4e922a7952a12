"""Import jobs: a dry run or a commit of an uploaded sheet, run in the background queue."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from tracker.db import enum_type
from tracker.timeutil import utcnow


class ImportKind(StrEnum):
    """What a sheet holds."""

    OBSERVATIONS = "observations"
    STRUCTURE = "structure"
    INDICATORS = "indicators"
    OPENSDG = "opensdg"  # a zipped Open SDG data repository
    OPENSDG_APPROVE = "opensdg_approve"  # its save, approved (a secretariat's or an admin's)


class JobStatus(StrEnum):
    """Where a job is in the queue; `done` means it ran (its report may list problems)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(SQLModel, table=True):
    """One check (dry run) or save of a stored upload; the file lives under
    <instance>/import-jobs/ by a random name, its problems in files named after `result_key`."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ImportKind = Field(sa_type=enum_type(ImportKind))
    city_id: int = Field(foreign_key="cities.id", index=True)
    plan_id: int | None = Field(default=None, foreign_key="plans.id")
    user_id: int | None = Field(default=None, foreign_key="users.id")
    is_dry_run: bool = Field(default=True)
    # The dry run whose file a commit saves (the commit checks everything again).
    source_job_id: int | None = Field(default=None, foreign_key="import_jobs.id", index=True)
    status: JobStatus = Field(default=JobStatus.QUEUED, sa_type=enum_type(JobStatus))
    progress: int = Field(default=0)
    step: str = Field(default="", max_length=40)
    file_name: str = Field(max_length=80)  # the stored upload's random name
    original_name: str = Field(default="", max_length=200)
    file_hash: str = Field(max_length=64)  # SHA-256 of the stored upload
    # What a dry run found stored for the cells the file touches; its commit insists on it.
    state_hash: str = Field(default="", max_length=64)
    file_size: int = Field(default=0)
    result_key: str = Field(max_length=80)  # names this job's files of problems
    row_count: int = Field(default=0)
    created_count: int = Field(default=0)
    updated_count: int = Field(default=0)
    unchanged_count: int = Field(default=0)
    error_count: int = Field(default=0)
    warning_count: int = Field(default=0)
    is_saved: bool = Field(default=False)
    error: str = Field(default="", max_length=2000)  # why a job failed
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = Field(default=None)
    finished_at: datetime | None = Field(default=None)
