"""Response models of a city's progress: indicators with their inputs, and the roll-ups."""

from typing import Annotated, Literal

from pydantic import Field, create_model

from tracker.api.schemas import ApiModel
from tracker.progress.result import STATUSES

Number = Annotated[float | str | None, Field(
    description='A number; "inf" or "-inf" where the figure is infinite.')]
Status = Literal[STATUSES]  # type: ignore[valid-type]

StatusCounts = create_model(  # one count per status, all always present
    "StatusCounts", __base__=ApiModel, __doc__="The number of indicators in each status.",
    **dict.fromkeys(STATUSES, (int, ...)))  # type: ignore[call-overload]


class ProgressRollup(ApiModel):
    """A roll-up: its status (or insufficient_data), mean score and count per status."""

    status: Literal[*STATUSES, "insufficient_data"] = Field(  # type: ignore[valid-type]
        description="insufficient_data when fewer than 60 % of the indicators have a status.")
    score: Number
    indicator_count: int
    with_status: int
    counts: StatusCounts  # type: ignore[valid-type]


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


class IndicatorProgress(ApiModel):
    """An indicator's status and score, its alignments and every series' inputs."""

    code: str
    name: str
    direction: str
    status: Status
    score: Number
    sdg_indicators: list[str]
    elements: list[int]
    series: list[ProgressSeries]


class CityProgress(ApiModel):
    """A city's progress: every indicator and every roll-up."""

    city: str
    include_drafts: bool
    city_rollup: ProgressRollup
    goals: list[GoalRollup]
    targets: list[TargetRollup]
    elements: list[ElementRollup]
    indicators: list[IndicatorProgress]
