"""Response models of a city's progress: indicators with their inputs, and the roll-ups."""

from typing import Annotated, Literal, get_args

from pydantic import Field

from tracker.api.schemas import ApiModel
from tracker.progress.result import STATUSES

Number = Annotated[float | str | None, Field(
    description='A number; "inf" or "-inf" where the figure is infinite.')]
# Spelled out so type checkers see the values; the check below keeps it equal to STATUSES.
Status = Literal["target_achieved", "substantial_progress", "moderate_progress",
                 "limited_progress", "deterioration", "not_available"]
if get_args(Status) != STATUSES:
    raise RuntimeError("Status must list tracker.progress.result.STATUSES in order")


class StatusCounts(ApiModel):
    """The number of indicators in each status."""

    # One count per status (in STATUSES order), all always present.
    target_achieved: int
    substantial_progress: int
    moderate_progress: int
    limited_progress: int
    deterioration: int
    not_available: int


if tuple(StatusCounts.model_fields) != STATUSES:
    raise RuntimeError("StatusCounts must have one field per status, in STATUSES order")


class ProgressRollup(ApiModel):
    """A roll-up: its status (or insufficient_data), mean score and count per status."""

    status: Literal[Status, "insufficient_data"] = Field(
        description="insufficient_data when fewer than 60 % of the indicators have a status.")
    score: Number
    indicator_count: int
    with_status: int
    counts: StatusCounts


class GoalRollup(ProgressRollup):
    """A goal's roll-up."""

    goal: int


class TargetRollup(ProgressRollup):
    """An SDG target's roll-up."""

    target: str


class ElementRollup(ProgressRollup):
    """A plan element's roll-up."""

    element_id: int
    code: str
    plan_id: int | None


class ProgressThresholds(ApiModel):
    """Thresholds on the progress value, scaled by the limit coefficient."""

    high: Number
    med: Number
    low: Number
    coefficient: Number


class ProgressSeries(ApiModel):
    """One series' status and score with every input and intermediate."""

    breakdown: str = Field(description='"" for the total, else name=value pairs joined by |.')
    status: Status
    score: Number
    direction: str
    method: Literal["cagr", "linear"] | None
    base_year: int | None
    base_value: Number
    latest_year: int | None
    latest_value: Number
    target: Number
    target_year: int | None
    limit: Number
    sign: int | None
    actual_growth: Number
    required_growth: Number
    ratio: Number
    progress_value: Number
    thresholds: ProgressThresholds | None
    target_achieved: bool
    reason: str
    notes: list[str]
    band_low: Number
    band_high: Number
    target_passed: bool
    target_missed: bool
    progress_share: Number
    elapsed_share: Number
    year_reached: int | None


class CountedSeries(ApiModel):
    """A series that decides the status under the indicator's rule."""

    label: str = Field(description='Its filters ("Sex = Female"); "" for the headline.')
    breakdowns: list[str] = Field(description="The breakdown keys of the rows used.")
    error: str = Field(description="Why its rows could not be chosen (Open SDG stops there).")
    warnings: list[str] = Field(description="Filters not applied: no such column or value.")
    uses_progress: bool = Field(description="The Progress column replaced the values.")
    status: Status | None
    score: Number
    progress_value: Number


class IndicatorProgress(ApiModel):
    """An indicator's status and score, its alignments and every series' inputs."""

    code: str
    name: str
    direction: str
    status: Status
    score: Number
    rule: Literal["headline", "configured", "mean_of_breakdowns", "manual"] = Field(
        description="Which series decide the status (manual: set by hand).")
    opensdg_status: str = Field(
        description="The status Open SDG shows: blank where the tracker says not_available "
                    "for want of any scored series, and a manual status as given.")
    not_computable: str = Field(description="Why no status could be computed, else blank.")
    counted: list[CountedSeries]
    sdg_indicators: list[str]
    elements: list[int]
    series: list[ProgressSeries] = Field(
        description="Every breakdown assessed on its own with the indicator's settings.")


class CityProgress(ApiModel):
    """A city's progress: every indicator and every roll-up."""

    city: str
    include_drafts: bool
    city_rollup: ProgressRollup
    goals: list[GoalRollup]
    targets: list[TargetRollup]
    elements: list[ElementRollup]
    indicators: list[IndicatorProgress]
