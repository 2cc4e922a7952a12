"""Response models of a city's plans (with their element trees) and local indicators."""

from datetime import date
from typing import Any, Literal

from pydantic import Field

from tracker.api.schemas import ApiModel, DecimalText
from tracker.indicators.models import (
    Direction,
    Frequency,
    ProgressRule,
    QuarterRollup,
    SdgRelation,
    UnitKind,
)
from tracker.plans.models import AlignmentRelation, PlanKind, PlanStatus


class ElementAlignmentPublic(ApiModel):
    """A plan element's alignment to an SDG target or indicator."""

    sdg_code: str
    kind: Literal["target", "indicator"]
    target: str
    goal: str
    relation: AlignmentRelation
    is_primary: bool
    rationale: str


class PlanElementPublic(ApiModel):
    """A node of a plan's tree, with its children."""

    id: int
    code: str
    title: str
    description: str
    depth: int
    level: str = Field(description="The plan's own name for this level of its tree.")
    department: str
    budget: DecimalText | None
    is_retired: bool
    alignments: list[ElementAlignmentPublic]
    children: list["PlanElementPublic"]


class PlanPublic(ApiModel):
    """A plan with its period, revision links and element tree."""

    id: int
    title: str
    kind: PlanKind
    start_year: int
    end_year: int
    period: str = Field(description="On the city's fiscal year, e.g. 2022/23–2026/27.")
    adopted_on: date | None
    status: PlanStatus
    source_url: str
    description: str
    level_names: list[str]
    parent_id: int | None
    revision: int
    revision_of_id: int | None
    is_current: bool = Field(description="The latest revision, and not superseded.")
    elements: list[PlanElementPublic]


class IndicatorSdgAlignment(ApiModel):
    """A local indicator's alignment to an SDG indicator."""

    sdg_indicator: str
    target: str
    goal: str
    relation: SdgRelation
    rationale: str


class IndicatorElementLink(ApiModel):
    """A plan element a local indicator measures."""

    id: int
    code: str
    title: str
    is_retired: bool
    plan_id: int
    plan_title: str


class Unit(ApiModel):
    """A unit: its kind and label."""

    kind: UnitKind
    label: str


class Band(ApiModel):
    """The band a value should stay within."""

    low: DecimalText | None
    high: DecimalText | None


class Baseline(ApiModel):
    """The baseline year and value."""

    year: int | None
    value: DecimalText | None
    note: str


class TargetValue(ApiModel):
    """A target value for a year."""

    year: int
    value: DecimalText
    label: str


class Dimension(ApiModel):
    """A breakdown and its values."""

    name: str
    values: list[str]


class ProgressSettings(ApiModel):
    """How the indicator's progress status is decided (see /progress/methodology)."""

    rule: ProgressRule = Field(description="headline (default), configured (options below) or "
                                           "mean_of_breakdowns; configured whenever options "
                                           "are given.")
    options: list[dict[str, Any]] = Field(
        description="Open SDG progress_calculation_options items, as written.")
    auto: bool = Field(description="false: the status is manual_status (Open SDG's "
                                   "auto_progress_calculation).")
    manual_status: str


class LocalIndicatorPublic(ApiModel):
    """A local indicator's definition, baseline, targets, breakdowns and links."""

    code: str
    name: str
    definition: str
    unit: Unit
    direction: Direction
    band: Band | None
    frequency: Frequency
    quarterly_rollup: QuarterRollup
    is_cumulative: bool
    data_source: str
    department: str
    baseline: Baseline
    natural_limit: DecimalText | None
    progress: ProgressSettings
    is_retired: bool
    targets: list[TargetValue]
    dimensions: list[Dimension]
    sdg_alignments: list[IndicatorSdgAlignment]
    elements: list[IndicatorElementLink]
