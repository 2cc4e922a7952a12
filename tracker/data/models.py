"""Observations: the values officers enter for local indicators, and every change to them."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.db import ExactDecimal, enum_type
from tracker.locking import Versioned
from tracker.timeutil import utcnow

WHOLE_YEAR = 0  # quarter 0 is the whole fiscal year; 1–4 are its quarters


class MissingReason(StrEnum):
    """Why a cell has no value."""

    NOT_AVAILABLE = "not_available"
    NOT_APPLICABLE = "not_applicable"
    CONFIDENTIAL = "confidential"


class PeriodKind(StrEnum):
    """What a period label names: a year, a split (fiscal) year, a quarter or a range of years."""

    YEAR = "year"          # "2015": a calendar year, or the indicator's fiscal year
    SPLIT_YEAR = "split"   # "2015-16", "2009-2010": a year that straddles two calendar years
    QUARTER = "quarter"    # "2024 Q2"
    RANGE = "range"        # "2017-2019": several years, assessed by the first (as Open SDG does)


class ObservationStatus(StrEnum):
    """Where a value is in the review workflow."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class Observation(SQLModel, Versioned, table=True):
    """A value (or the reason for none) of a local indicator for a period and a breakdown."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("indicator_id", "year", "quarter", "span_years", "breakdown_key"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_range"),
        CheckConstraint("span_years BETWEEN 1 AND 50", name="span_years_range"),
        CheckConstraint("is_deleted OR ((value IS NULL) <> (missing_reason IS NULL))",
                        name="value_or_reason"),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="local_indicators.id", index=True)
    year: int = Field(index=True)  # the calendar year the city's fiscal year starts in
    quarter: int = Field(default=WHOLE_YEAR)
    # The period as the source wrote it ("2009-2010", "2017-2019", "2024 Q2"); "" means the
    # label follows from year/quarter and the indicator's calendar. Never relabelled.
    period_label: str = Field(default="", max_length=40)
    period_kind: PeriodKind = Field(default=PeriodKind.YEAR, sa_type=enum_type(PeriodKind))
    span_years: int = Field(default=1)  # 3 for "2017-2019"; part of the period's identity
    breakdown: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    breakdown_key: str = Field(default="", max_length=500)  # "" is the total
    value: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    value_text: str = Field(default="", max_length=60)  # the value as the source wrote it
    progress_value: Decimal | None = Field(default=None, sa_type=ExactDecimal)  # Open SDG Progress
    # Observation attributes kept as their source named them (footnotes, COMMENT_OBS, …).
    attributes: dict[str, str] = Field(default_factory=dict,
                                       sa_column=Column(JSON, nullable=False))
    missing_reason: MissingReason | None = Field(default=None, sa_type=enum_type(MissingReason))
    comment: str = Field(default="", max_length=2000)
    source: str = Field(default="", max_length=300)
    evidence_url: str = Field(default="", max_length=500)
    evidence_id: int | None = Field(default=None, foreign_key="evidence_files.id")
    warning_note: str = Field(default="", max_length=2000)  # why a warned value stands
    follow_up: bool = Field(default=False)  # flagged for a second look
    status: ObservationStatus = Field(default=ObservationStatus.DRAFT,
                                      sa_type=enum_type(ObservationStatus))
    return_reason: str = Field(default="", max_length=2000)
    is_deleted: bool = Field(default=False)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class ObservationChange(SQLModel, table=True):
    """One change to an observation: old and new value and status, who, when and why."""

    __tablename__ = "observation_changes"

    id: int | None = Field(default=None, primary_key=True)
    observation_id: int = Field(foreign_key="observations.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    user_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=20)
    old_value: str = Field(default="", max_length=80)
    new_value: str = Field(default="", max_length=80)
    old_status: str = Field(default="", max_length=20)
    new_status: str = Field(default="", max_length=20)
    note: str = Field(default="", max_length=2000)


class EvidenceFile(SQLModel, table=True):
    """An uploaded file backing a value, stored outside the web root under a random name."""

    __tablename__ = "evidence_files"

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    original_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)  # detected from the content, not the name
    size: int
    sha256: str = Field(max_length=64)
    stored_name: str = Field(max_length=80, unique=True)
    uploaded_at: datetime = Field(default_factory=utcnow)
    uploaded_by_id: int | None = Field(default=None, foreign_key="users.id")


class ReportingWindow(SQLModel, table=True):
    """When a city may enter a period's values and when they are due (submitted)."""

    __tablename__ = "reporting_windows"
    __table_args__ = (UniqueConstraint("city_id", "year", "quarter"),
                      CheckConstraint("quarter BETWEEN 0 AND 4", name="quarter_range"))

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    year: int
    quarter: int = Field(default=WHOLE_YEAR)
    opens_on: date
    due_on: date
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


def breakdown_key(breakdown: dict[str, str]) -> str:
    """Return the canonical key of a breakdown ("" for the total): sorted name=value pairs."""
    return "|".join(f"{name}={breakdown[name]}" for name in sorted(breakdown))


def shown_value(value: Decimal | None, reason: MissingReason | None) -> str:
    """Return a value as history keeps it: the exact decimal, or the reason in brackets."""
    if value is not None:
        return format(value, "f")
    return f"({reason.value})" if reason else ""
