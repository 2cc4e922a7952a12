"""The progress engine over the database: each local indicator's status from its counted
values and definition, and roll-ups to SDG targets, goals, plan elements and the city."""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from tracker.cities.models import City
from tracker.db import saved_id
from tracker.indicators.models import LocalIndicator, ProgressRule
from tracker.memory import gc_paused
from tracker.progress.aggregate import IndicatorResult, status_from_score
from tracker.progress.queries import IndicatorData, load_element_parents, load_progress_data
from tracker.progress.result import NOT_AVAILABLE, STATUSES, SeriesResult
from tracker.progress.rules import (
    YearPoints,
    breakdown_years,
    effective_rule,
    indicator_result,
    safe_assess,
    with_baseline,
)

INSUFFICIENT = "insufficient_data"
MIN_SHARE = 0.6  # a roll-up shows a status only when 60 % of its indicators have one


@dataclass(eq=False)  # identity: comparing whole indicators field by field costs and means nothing
class IndicatorProgress:
    """An indicator's status, the series behind it and the result of each breakdown."""

    data: IndicatorData
    result: IndicatorResult
    total: SeriesResult | None  # the total series' result: the "why" panel's figures
    years: dict[str, YearPoints]  # fiscal-year points by breakdown key ("" = total)
    results: dict[str, SeriesResult] = field(default_factory=dict)
    main_key: str = ""  # the breakdown key of the series behind the status

    @property
    def main_points(self) -> YearPoints:
        """The fiscal-year points of the series behind the status (the chart's main line)."""
        return self.years.get(self.main_key, [])

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


def breakdown_points(data: IndicatorData, rule: str, uses_progress: bool
                     ) -> dict[str, YearPoints]:
    """Each breakdown's fiscal-year points (the total with the baseline point); the total is
    listed even without values when it may count."""
    years = breakdown_years(data, uses_progress)
    if "" in years or not years or rule == ProgressRule.MEAN.value:
        years[""] = with_baseline(data.indicator, years.get("", []))
    return years


def main_series(result: IndicatorResult, results: dict[str, SeriesResult]
                ) -> tuple[SeriesResult | None, str]:
    """The series the why panel explains, and its breakdown key."""
    if result.rule == ProgressRule.MEAN.value:
        return results.get(""), ""
    first = result.outcomes[0] if result.outcomes else None
    if first is None:
        return None, ""
    return first.result, first.keys[0] if len(first.keys) == 1 else ""


def indicator_progress(data: IndicatorData) -> IndicatorProgress:
    """Assess an indicator under its progress rule (tracker.progress.rules); every breakdown
    is also assessed on its own, shown for information where the rule does not count it."""
    indicator, rule = data.indicator, effective_rule(data.indicator)
    uses_progress = any(data.progress.values())
    assessed = breakdown_points(data, rule, uses_progress)
    results = {key: safe_assess(indicator, points) for key, points in assessed.items()}
    result = indicator_result(data, results, rule)
    # The chart shows the values themselves, even where the Progress column was assessed.
    years = breakdown_points(data, rule, False) if uses_progress else assessed
    years.setdefault("", [])  # readers of the total's line (reports, comparison) expect it
    total, key = main_series(result, results)
    return IndicatorProgress(data, result, total, years, results, key)


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
        scored = sorted(((i.score, i) for i in self.items if i.score is not None
                         and math.isfinite(i.score)), key=lambda p: (-p[0], p[1].indicator.code))
        ranked = [item for _score, item in scored]
        best = ranked[:count]
        worst = [i for i in reversed(ranked) if i not in best][:count]
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
            for element_id in lineage(link.link.element_id, parents):
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
        parents = load_element_parents(session, [saved_id(city)])
        return build_city_progress(city, data[saved_id(city)], parents)


def cities_progress(session: Session, cities: Sequence[City], include_drafts: bool = False
                    ) -> list[CityProgress]:
    """Return several cities' progress (a network overview), in the same fixed queries."""
    with gc_paused():
        data = load_progress_data(session, cities, include_drafts)
        ids = [saved_id(c) for c in cities]
        parents = load_element_parents(session, ids)
        return [build_city_progress(city, data[city_id], parents)
                for city, city_id in zip(cities, ids, strict=True)]
