"""Response models of the comparison of cities: the matrix with its flags, and the scores."""

from typing import Literal

from pydantic import Field

from tracker.api.progress_schemas import Number
from tracker.api.schemas import ApiModel

Category = Literal["aspirant", "performer", "front_runner", "achiever"] | None


class CompareScore(ApiModel):
    """A cell's normalised score with its inputs."""

    value: Number
    x: Number
    min: Number
    max: Number
    target: Number
    direction: str
    formula: str


class CellIndicator(ApiModel):
    """A local indicator of a cell and how it aligns to the row's SDG indicator."""

    code: str
    name: str
    relation: str


class CompareCell(ApiModel):
    """A city's cell: its indicators, the value shown, its flags and score."""

    city: str
    empty: Literal["no_indicator", "no_data"] | None
    indicators: list[CellIndicator]
    indicator: str | None
    relation: str | None
    unit_kind: str | None
    unit_label: str | None
    year: int | None
    value: Number
    status: str | None
    series: list[tuple[int, Number]] = Field(description="[year, value] pairs, oldest first.")
    drafts_included: bool
    flags: list[Literal["unit", "relation", "years", "drafts"]]
    score: CompareScore | None
    excluded: str | None


class CompareRow(ApiModel):
    """An SDG indicator across the cities."""

    sdg_indicator: str
    title: str
    target: str
    goal: int
    comparable: bool
    notes: dict[str, str]
    cells: list[CompareCell]


class GoalScore(ApiModel):
    """A city's score on one goal."""

    goal: int
    score: Number
    category: Category


class CompareCoverage(ApiModel):
    """How many of the indicators scored for anyone (m) a city has a score on (n)."""

    n: int
    m: int


class CompareStanding(ApiModel):
    """A city's goal scores, composite, category and rank, and its coverage (a city below
    the coverage rule has no composite, category, goal scores or rank)."""

    city: str
    name: str
    composite: Number
    category: Category
    rank: int | None
    coverage: CompareCoverage
    goals: list[GoalScore]


class ComparedCity(ApiModel):
    """A city in the comparison, and whether its drafts were counted."""

    slug: str
    name: str
    include_drafts: bool


class CompareScope(ApiModel):
    """What the comparison covers."""

    goal: int | None
    target: str | None
    indicators: list[str]
    plan_kind: str | None
    year: int | None
    bounds: str
    strict: bool


class CompareThresholds(ApiModel):
    """The lowest score of each category above Aspirant."""

    performer: int
    front_runner: int
    achiever: int


class CompareRule(ApiModel):
    """The coverage a city needs to be ranked."""

    min_indicators: int
    min_share_percent: int


class ComparisonPublic(ApiModel):
    """Cities side by side: the matrix, its flags and the scores."""

    cities: list[ComparedCity]
    scope: CompareScope
    thresholds: CompareThresholds
    coverage_rule: CompareRule
    rows: list[CompareRow]
    scores: list[CompareStanding]
