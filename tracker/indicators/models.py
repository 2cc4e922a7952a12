"""A city's local ("contextualised") indicators: definition, baseline, targets, breakdowns,
and their links to SDG indicators and to the plan elements they measure."""

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, field_validator, model_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.db import ExactDecimal, enum_type
from tracker.locking import Versioned
from tracker.progress.options import check_manual_status, read_options
from tracker.timeutil import utcnow

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$"


class UnitKind(StrEnum):
    """What an indicator's values count or measure."""

    PERCENT = "percent"
    COUNT = "count"
    RATE_1000 = "rate_per_1000"
    RATE_100000 = "rate_per_100000"
    CURRENCY = "currency"
    TCO2E = "tco2e"
    OTHER = "other"


class Direction(StrEnum):
    """Which way is better."""

    HIGHER = "higher"
    LOWER = "lower"
    BAND = "band"


class Frequency(StrEnum):
    """How often values are reported, on the city's fiscal year."""

    ANNUAL = "annual"
    QUARTERLY = "quarterly"


class QuarterRollup(StrEnum):
    """How quarterly values make a fiscal year's value."""

    LAST = "last"
    SUM = "sum"
    MEAN = "mean"


class PeriodCalendar(StrEnum):
    """Whose year an indicator's single-year periods are."""

    CALENDAR = "calendar"
    FISCAL = "fiscal"


class ProgressRule(StrEnum):
    """Which series decide an indicator's progress status."""

    HEADLINE = "headline"            # the total series, as Open SDG does by default
    CONFIGURED = "configured"        # the series of progress_options (Open SDG's options)
    MEAN = "mean_of_breakdowns"      # the mean over the total and every breakdown


class SdgRelation(StrEnum):
    """How a local indicator relates to an SDG indicator."""

    IDENTICAL = "identical"
    PROXY = "proxy"
    CONTEXTUALISED = "contextualised"


class LocalIndicatorBase(SQLModel):
    """Fields shared by every form of a local indicator."""

    code: str = Field(min_length=1, max_length=40, regex=CODE_PATTERN)
    name: str = Field(min_length=2, max_length=300)
    definition: str = Field(default="", max_length=4000)
    unit_kind: UnitKind = Field(sa_type=enum_type(UnitKind))
    unit_label: str = Field(default="", max_length=40)
    direction: Direction = Field(sa_type=enum_type(Direction))
    band_low: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    band_high: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    frequency: Frequency = Field(default=Frequency.ANNUAL, sa_type=enum_type(Frequency))
    quarterly_rollup: QuarterRollup = Field(default=QuarterRollup.LAST,
                                            sa_type=enum_type(QuarterRollup))
    is_cumulative: bool = False
    sums_to_total: bool = False  # the values of each breakdown add up to the total
    data_source: str = Field(default="", max_length=300)
    department: str = Field(default="", max_length=200)
    baseline_year: int | None = Field(default=None, ge=1950, le=2100)
    baseline_value: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    baseline_note: str = Field(default="", max_length=500)
    natural_limit: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    calendar: PeriodCalendar | None = Field(default=None, sa_type=enum_type(PeriodCalendar))
    progress_rule: ProgressRule = Field(default=ProgressRule.HEADLINE,
                                        sa_type=enum_type(ProgressRule))


class TargetIn(BaseModel):
    """A target value for a year (e.g. the 2026/27 IDP target, the 2030 SDG target)."""

    year: int = Field(ge=1950, le=2100)
    value: Decimal
    label: str = Field(default="", max_length=100)


class DimensionIn(BaseModel):
    """A disaggregation dimension and its values (sex: female, male)."""

    name: str = Field(min_length=1, max_length=60)
    values: list[str]

    @field_validator("values")
    @classmethod
    def check_values(cls, values: list[str]) -> list[str]:
        """At least one value; no blanks or repeats."""
        values = [v.strip() for v in values if v and v.strip()]
        if not values:
            raise ValueError("give at least one value")
        if len({v.lower() for v in values}) != len(values):
            raise ValueError("values repeat")
        return values


# Codes that would collide with the addresses of the indicator pages themselves.
RESERVED_CODES = {"new", "import", "export.csv", "export.xlsx"}


class LocalIndicatorCreate(LocalIndicatorBase):
    """A whole indicator definition as a form or an import gives it (validated)."""

    targets: list[TargetIn] = []
    dimensions: list[DimensionIn] = []
    # Progress settings beyond the rule; None leaves the stored ones as they are (a
    # definitions sheet has no columns for them).
    progress_options: list[dict[str, Any]] | None = None
    auto_progress: bool | None = None
    manual_progress_status: str | None = None

    @field_validator("progress_options")
    @classmethod
    def check_progress_options(cls, options: list[dict[str, Any]] | None
                               ) -> list[dict[str, Any]] | None:
        """Open SDG progress_calculation_options items, each readable."""
        if options is not None:
            read_options(options)
        return options

    @field_validator("manual_progress_status")
    @classmethod
    def check_manual_status(cls, status: str | None) -> str | None:
        """A status of Open SDG's list, or blank."""
        return None if status is None else check_manual_status(status)

    @field_validator("code")
    @classmethod
    def check_code(cls, code: str) -> str:
        """Refuse codes that are page addresses."""
        if code.strip().lower() in RESERVED_CODES:
            raise ValueError(f"the code {code!r} is reserved; choose another")
        return code.strip()

    @model_validator(mode="after")
    def check_definition(self) -> "LocalIndicatorCreate":
        """Check the rules that span fields."""
        check_unit(self)
        check_band(self)
        check_baseline(self)
        check_targets(self)
        names = [d.name.strip().lower() for d in self.dimensions]
        if len(set(names)) != len(names):
            raise ValueError("two disaggregation dimensions have the same name")
        return self


def check_unit(ind: LocalIndicatorBase) -> None:
    """A free unit or a currency needs its label."""
    if ind.unit_kind in (UnitKind.OTHER, UnitKind.CURRENCY) and not ind.unit_label.strip():
        raise ValueError("give the unit (e.g. households, lpcd) or the currency code")


def check_band(ind: LocalIndicatorBase) -> None:
    """A target band needs both bounds, low below high; other directions have none."""
    if ind.direction == Direction.BAND:
        if ind.band_low is None or ind.band_high is None:
            raise ValueError("a target band needs its lower and upper bounds")
        if ind.band_low >= ind.band_high:
            raise ValueError("the band's lower bound must be below its upper bound")
    elif ind.band_low is not None or ind.band_high is not None:
        raise ValueError("band bounds apply only to the target-band direction")


def check_baseline(ind: LocalIndicatorBase) -> None:
    """A baseline value needs its year; percentages stay within 0–100 unless limited."""
    if ind.baseline_value is not None and ind.baseline_year is None:
        raise ValueError("give the baseline year with the baseline value")
    if ind.unit_kind == UnitKind.PERCENT and ind.baseline_value is not None:
        if not Decimal(0) <= ind.baseline_value <= (ind.natural_limit or Decimal(100)):
            raise ValueError("a percentage baseline lies between 0 and 100")


def check_targets(ind: "LocalIndicatorCreate") -> None:
    """Targets come after the baseline, one per year and label, within the natural limit."""
    seen = set()
    for target in ind.targets:
        if ind.baseline_year is not None and target.year < ind.baseline_year:
            raise ValueError(f"the {target.year} target is before the baseline year "
                             f"{ind.baseline_year}")
        if (target.year, target.label) in seen:
            raise ValueError(f"two targets for {target.year} with the same label")
        seen.add((target.year, target.label))
        if ind.natural_limit is not None and _beyond(ind, target.value):
            raise ValueError(f"the {target.year} target is beyond the natural limit")


def _beyond(ind: LocalIndicatorBase, value: Decimal) -> bool:
    """Is a value on the wrong side of the natural limit?"""
    assert ind.natural_limit is not None
    if ind.direction == Direction.LOWER:
        return value < ind.natural_limit
    return value > ind.natural_limit


class LocalIndicator(LocalIndicatorBase, Versioned, table=True):
    """A city's local indicator."""

    __tablename__ = "local_indicators"
    __table_args__ = (UniqueConstraint("city_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    is_retired: bool = Field(default=False)
    # Open SDG's progress_calculation_options items, as written (series/unit/disaggregation
    # filters, direction, base_year, target, target_year, limit, progress_thresholds).
    progress_options: list[dict] = Field(default_factory=list,
                                         sa_column=Column(JSON, nullable=False))
    auto_progress: bool = Field(default=True)  # Open SDG's auto_progress_calculation
    manual_progress_status: str = Field(default="", max_length=40)  # used when auto is off
    opensdg_id: str = Field(default="", max_length=40)  # "1-2-1", "10-x-2": file names
    # Metadata fields of the source repository (meta/, indicator-config/), kept for export.
    source_meta: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    targets: list["IndicatorTarget"] = Relationship(
        back_populates="indicator",
        sa_relationship_kwargs={"order_by": "IndicatorTarget.year",
                                "cascade": "all, delete-orphan"})
    dimensions: list["IndicatorDimension"] = Relationship(
        back_populates="indicator",
        sa_relationship_kwargs={"order_by": "IndicatorDimension.position",
                                "cascade": "all, delete-orphan"})
    sdg_links: list["IndicatorAlignment"] = Relationship(back_populates="indicator")
    element_links: list["IndicatorElementLink"] = Relationship(back_populates="indicator")


class IndicatorTarget(SQLModel, table=True):
    """A target value of a local indicator."""

    __tablename__ = "indicator_targets"

    id: int | None = Field(default=None, primary_key=True)
    # None only until the first flush fills it in from `indicator` (the column is NOT NULL).
    indicator_id: int | None = Field(default=None, foreign_key="local_indicators.id", index=True,
                                     nullable=False)
    year: int
    value: Decimal = Field(sa_type=ExactDecimal)
    label: str = Field(default="", max_length=100)
    indicator: LocalIndicator = Relationship(back_populates="targets")


class IndicatorDimension(SQLModel, table=True):
    """A disaggregation dimension of a local indicator, with its values."""

    __tablename__ = "indicator_dimensions"
    __table_args__ = (UniqueConstraint("indicator_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    # None only until the first flush fills it in from `indicator` (the column is NOT NULL).
    indicator_id: int | None = Field(default=None, foreign_key="local_indicators.id", index=True,
                                     nullable=False)
    name: str = Field(max_length=60)
    position: int = 0
    values: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    indicator: LocalIndicator = Relationship(back_populates="dimensions")


class IndicatorAlignment(SQLModel, table=True):
    """A local indicator's relation to an SDG indicator."""

    __tablename__ = "indicator_alignments"
    __table_args__ = (UniqueConstraint("indicator_id", "sdg_indicator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="local_indicators.id", index=True)
    sdg_indicator_id: int = Field(foreign_key="sdg_indicators.id", index=True)
    relation: SdgRelation = Field(default=SdgRelation.PROXY, sa_type=enum_type(SdgRelation))
    rationale: str = Field(default="", max_length=2000)
    indicator: LocalIndicator = Relationship(back_populates="sdg_links")


class IndicatorElementLink(SQLModel, table=True):
    """A plan element that a local indicator measures."""

    __tablename__ = "indicator_element_links"
    __table_args__ = (UniqueConstraint("indicator_id", "element_id"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="local_indicators.id", index=True)
    element_id: int = Field(foreign_key="plan_elements.id", index=True)
    indicator: LocalIndicator = Relationship(back_populates="element_links")


def is_valid_code(code: str) -> bool:
    """Is this a well-formed local indicator code?"""
    return re.match(CODE_PATTERN, code) is not None
