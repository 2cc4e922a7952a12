"""Report runs: every generation of a PDF report, who asked, with what, and where it is kept."""

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from tracker.db import enum_type
from tracker.timeutil import utcnow

# Told how far a run is: (percent, step)
Progress = Callable[[int, str], None]


class ReportKind(StrEnum):
    """What a run produces."""

    CITY = "city"
    NETWORK = "network"
    SUMMARY = "summary"  # the one-page progress summary of a city
    COMPARISON = "comparison"  # the comparison page's ranking and matrix (/compare.pdf)


class RunStatus(StrEnum):
    """Where a run is in the background queue."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


TARGET_CHECK = (
    "(kind = 'network' AND city_id IS NULL AND network_id IS NOT NULL) OR "
    "(kind = 'comparison' AND city_id IS NULL AND network_id IS NULL) OR "
    "(kind NOT IN ('network', 'comparison') AND city_id IS NOT NULL)")


class ReportRun(SQLModel, table=True):
    """One generation of a report; its PDF lives under <instance>/reports/ by a random name."""

    __tablename__ = "report_runs"
    __table_args__ = (
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
        # A network report has its network; a city report its city (and the network it was
        # asked for from, if any: that network shows on the cover); a comparison neither
        # (its selection says what it compares).
        CheckConstraint(TARGET_CHECK, name="target"),
        # The "unchanged report" lookup: same kind, target, year, page size and data hash.
        Index("ix_report_runs_lookup", "kind", "city_id", "network_id", "year", "data_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ReportKind = Field(sa_type=enum_type(ReportKind))
    city_id: int | None = Field(default=None, foreign_key="cities.id", index=True)
    network_id: int | None = Field(default=None, foreign_key="networks.id", index=True)
    year: int
    page_size: str = Field(default="A4", max_length=10)
    status: RunStatus = Field(default=RunStatus.QUEUED, sa_type=enum_type(RunStatus))
    progress: int = Field(default=0)
    step: str = Field(default="", max_length=200)
    data_hash: str = Field(default="", max_length=64)
    file_name: str = Field(default="", max_length=80)
    size: int | None = Field(default=None)
    error: str = Field(default="", max_length=4000)
    requested_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = Field(default=None)
    # Written by the worker on each step and every few seconds: a running run whose heartbeat
    # is older than the timeout lost its worker (tracker.reports.liveness).
    heartbeat_at: datetime | None = Field(default=None)
    attempts: int = Field(default=0)  # how many times a worker took it (retries add one)
    # A comparison's URL parameters (its permalink), as the comparison page reads them.
    selection: str = Field(default="", max_length=4000)
    finished_at: datetime | None = Field(default=None)
    regenerated_from_id: int | None = Field(default=None, foreign_key="report_runs.id")
