"""The progress engine over the database: each local indicator's status from its counted
values and definition, and roll-ups to SDG targets, goals, plan elements and the city."""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session

from tracker.cities.models import City
from tracker.indicators.models import Direction, Frequency, LocalIndicator
from tracker.memory import gc_paused
from tracker.progress.aggregate import IndicatorResult, combine, status_from_score
from tracker.progress.extensions import assess, rollup_quarters
from tracker.progress.queries import (
    IndicatorData,
    Point,
    load_element_parents,
    load_progress_data,
)
from tracker.progress.result import NOT_AVAILABLE, STATUSES, SeriesResult

INSUFFICIENT = "insufficient_data"
MIN_SHARE = 0.6  # a roll-up shows a status only when 60 % of its indicators have one
YearPoints = list[tuple[int, float]]


@dataclass(eq=False)  # identity: comparing whole indicators field by field costs and means nothing
class IndicatorProgress:
    """An indicator's status, the series behind it and the result of each breakdown."""

    data: IndicatorData
    result: IndicatorResult
    total: SeriesResult | None  # the total series' result: the "why" panel's figures
    years: dict[str, YearPoints]  # fiscal-year points by breakdown key ("" = total)
    results: dict[str, SeriesResult] = field(default_factory=dict)

    @property
    def indicator(self) -> LocalIndicator:
        """The local indicator."""
        return self.data.indicator

    @property
    def status(self) -> str:
        """The indicator's status."""
        return self.result.status

    @property
    def score(self) -> float | None:
        """The indicator's score (None without a status)."""
        return self.result.score


@dataclass
class Rollup:
    """The progress of a group of indicators (an SDG target or goal, a plan element, a city)."""

    key: str
    items: list[IndicatorProgress]
    counts: dict[str, int]
    score: float | None
    status: str  # a status, or insufficient_data

    @property
    def with_status(self) -> int:
        """How many of the indicators have a status."""
        return sum(n for status, n in self.counts.items() if status != NOT_AVAILABLE)


def fiscal_years(indicator: LocalIndicator, points: Sequence[Point]) -> YearPoints:
    """Return a breakdown's fiscal-year values, quarters rolled up as the indicator says."""
    if indicator.frequency == Frequency.QUARTERLY:
        return rollup_quarters(points, indicator.quarterly_rollup.value)
    return [(year, float(value)) for year, quarter, value in points if quarter == 0]


def with_baseline(indicator: LocalIndicator, years: YearPoints) -> YearPoints:
    """Add the definition's baseline as the base-year point when no value was entered for it."""
    base, value = indicator.baseline_year, indicator.baseline_value
    if base is None or value is None or any(year == base for year, _ in years):
        return years
    return sorted([*years, (base, float(value))])


def assess_years(indicator: LocalIndicator, years: YearPoints) -> SeriesResult:
    """Assess one breakdown's series with the indicator's direction, targets and limits."""
    return assess(years, direction=indicator.direction.value,
                  base_year=indicator.baseline_year,
                  targets=[(t.year, t.value) for t in indicator.targets],
                  limit=indicator.natural_limit,
                  band_low=indicator.band_low if indicator.direction == Direction.BAND else None,
                  band_high=indicator.band_high if indicator.direction == Direction.BAND
                  else None)


def indicator_progress(data: IndicatorData) -> IndicatorProgress:
    """Score every series of an indicator (the total and each breakdown) and combine them
    as Open SDG does: the mean of the scored series."""
    indicator = data.indicator
    years = {key: fiscal_years(indicator, points) for key, points in data.series.items()}
    years[""] = with_baseline(indicator, years.get("", []))
    results = {key: assess_years(indicator, points) for key, points in years.items()}
    return IndicatorProgress(data, combine(results.values()), results[""], years, results)


def rollup(key: str, items: Iterable[IndicatorProgress]) -> Rollup:
    """Mean score of the indicators with a status; a status only when ≥ 60 % have one."""
    items = list(items)
    counts = Counter(item.status for item in items)
    scored = [item.score for item in items if item.status != NOT_AVAILABLE
              and item.score is not None and math.isfinite(item.score)]
    if not items or len(scored) < MIN_SHARE * len(items):
        return Rollup(key, items, dict(counts), None, INSUFFICIENT)
    score = math.fsum(scored) / len(scored)
    achieved = all(item.result.status == "target_achieved" for item in items
                   if item.status != NOT_AVAILABLE)
    return Rollup(key, items, dict(counts), score, status_from_score(score, achieved))


def count_list(rollup_: Rollup) -> list[tuple[str, int]]:
    """Return (status, count) in the order statuses are shown, zeros included."""
    return [(status, rollup_.counts.get(status, 0)) for status in STATUSES]


def sdg_keys(item: IndicatorProgress) -> tuple[set[str], set[int]]:
    """Return the SDG targets ("6.1") and goals (6) an indicator is aligned to."""
    codes = [link.code for link in item.data.view.sdg_links]
    targets = {".".join(code.split(".")[:2]) for code in codes}
    return targets, {link.goal_number for link in item.data.view.sdg_links}


@dataclass
class CityProgress:
    """A city's indicators with their statuses and every roll-up of them."""

    city: City
    items: list[IndicatorProgress]
    overall: Rollup
    goals: dict[int, Rollup]
    targets: dict[str, Rollup]
    elements: dict[int, Rollup]  # by plan element id: its own indicators and its children's

    def moving(self, count: int = 3) -> tuple[list[IndicatorProgress], list[IndicatorProgress]]:
        """Return the best and the worst moving indicators by score."""
        scored = sorted((i for i in self.items if i.score is not None
                         and math.isfinite(i.score)), key=lambda i: (-i.score, i.indicator.code))  # type: ignore[operator]
        best = scored[:count]
        worst = [i for i in reversed(scored) if i not in best][:count]
        return best, worst


def group_rollups(items: list[IndicatorProgress], parents: dict[int, int | None]
                  ) -> tuple[dict[int, Rollup], dict[str, Rollup], dict[int, Rollup]]:
    """Roll the indicators up to the SDG goals and targets they align to, and to the plan
    elements they measure and those elements' ancestors."""
    goals: dict[int, list[IndicatorProgress]] = defaultdict(list)
    targets: dict[str, list[IndicatorProgress]] = defaultdict(list)
    elements: dict[int, list[IndicatorProgress]] = defaultdict(list)
    for item in items:
        target_keys, goal_keys = sdg_keys(item)
        for goal in goal_keys:
            goals[goal].append(item)
        for target in target_keys:
            targets[target].append(item)
        for link in item.data.view.elements:
            for element_id in lineage(link.element.id, parents):  # type: ignore[arg-type]
                if item not in elements[element_id]:
                    elements[element_id].append(item)
    return ({k: rollup(str(k), v) for k, v in sorted(goals.items())},
            {k: rollup(k, v) for k, v in targets.items()},
            {k: rollup(str(k), v) for k, v in elements.items()})


def lineage(element_id: int, parents: dict[int, int | None]) -> list[int]:
    """Return an element and its ancestors, nearest first."""
    chain = [element_id]
    while (parent := parents.get(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return chain


def build_city_progress(city: City, data: list[IndicatorData],
                        parents: dict[int, int | None]) -> CityProgress:
    """Assess a city's indicators and roll them up (pure: the data is loaded)."""
    items = [indicator_progress(d) for d in data]
    goals, targets, elements = group_rollups(items, parents)
    return CityProgress(city, items, rollup("city", items), goals, targets, elements)


def city_progress(session: Session, city: City, include_drafts: bool = False
                  ) -> CityProgress:
    """Return a city's progress, read in a fixed number of queries."""
    with gc_paused():
        data = load_progress_data(session, [city], include_drafts)
        parents = load_element_parents(session, [city.id])  # type: ignore[list-item]
        return build_city_progress(city, data[city.id], parents)  # type: ignore[index]


def cities_progress(session: Session, cities: Sequence[City], include_drafts: bool = False
                    ) -> list[CityProgress]:
    """Return several cities' progress (a network overview), in the same fixed queries."""
    with gc_paused():
        data = load_progress_data(session, cities, include_drafts)
        parents = load_element_parents(session, [c.id for c in cities])  # type: ignore[misc]
        return [build_city_progress(city, data[city.id], parents)  # type: ignore[index]
                for city in cities]


def decimal_text(value: float | Decimal | None) -> str:
    """Show a figure of the why panel: 4 significant digits below 1000, whole numbers from
    there on, never an exponent."""
    if value is None:
        return "—"
    number = float(value)
    if not math.isfinite(number):
        return "∞" if number > 0 else "−∞"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    text = f"{number:.4g}"
    return f"{number:.6f}".rstrip("0").rstrip(".") if "e" in text else text
