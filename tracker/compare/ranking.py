"""Goal scores, composites, categories and ranks — and the coverage rule that decides which
cities may be ranked at all.

Coverage counts indicators (SDG indicators, the matrix's rows): m is the number of the scope's
indicators scored for at least one of the cities compared (an indicator only one city reports
can never be scored against the cohort, so it does not count against anyone); n is how many
of those the city has a score on. A city is ranked only when n is at least the minimum number
of indicators and at least the minimum share of m; otherwise it has no composite, category,
goal scores or rank, only its coverage. The same n of m is worked out per goal.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import current_app

from tracker.cities.models import City
from tracker.compare.matrix import Row
from tracker.compare.scoring import category, mean
from tracker.compare.selection import Selection
from tracker.db import saved_id

DEFAULT_MIN_INDICATORS, DEFAULT_MIN_SHARE = 3, 0.5


@dataclass(frozen=True)
class Coverage:
    """How many of the scored indicators (m) a city has a score on (n)."""

    n: int
    m: int


@dataclass(frozen=True)
class CoverageRule:
    """The least coverage a city needs to be ranked: a number of indicators and a share of m
    (in whole percent, so that the check is exact)."""

    min_indicators: int
    min_share_percent: int

    def admits(self, coverage: Coverage) -> bool:
        """Does this coverage earn a rank?"""
        return (coverage.n >= self.min_indicators
                and coverage.n * 100 >= self.min_share_percent * coverage.m)


def coverage_rule(sel: Selection) -> CoverageRule:
    """The rule in effect: the selection's own values, else COMPARE_MIN_INDICATORS and
    COMPARE_MIN_SHARE (a fraction, 0.5 = 50 %) of the configuration."""
    config = current_app.config
    count = int(config.get("COMPARE_MIN_INDICATORS", DEFAULT_MIN_INDICATORS))
    share = round(100 * float(config.get("COMPARE_MIN_SHARE", DEFAULT_MIN_SHARE)))
    return CoverageRule(
        max(1, sel.min_indicators if sel.min_indicators is not None else count),
        min(100, max(0, sel.min_share if sel.min_share is not None else share)))


@dataclass
class Standing:
    """A city's coverage, goal scores, composite score, category and rank."""

    city: City
    goals: dict[int, float] = field(default_factory=dict)
    composite: float | None = None
    category: str | None = None
    rank: int | None = None
    coverage: Coverage = Coverage(0, 0)
    goal_coverage: dict[int, Coverage] = field(default_factory=dict)

    @property
    def is_ranked(self) -> bool:
        """Did the city meet the coverage rule (and so get a composite and a rank)?"""
        return self.composite is not None


def scored_rows(rows: Iterable[Row]) -> list[Row]:
    """The rows with at least one score: the indicators coverage counts."""
    return [row for row in rows if any(cell.score is not None for cell in row.cells)]


def city_scores(rows: list[Row]) -> dict[int, dict[int, list[float]]]:
    """Each city's indicator scores by goal (city id → goal → scores)."""
    per_goal: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        for cell in row.cells:
            if cell.score is not None:
                per_goal[saved_id(cell.city)][row.sdg.goal_number].append(cell.score.value)
    return per_goal


def standing_of(city: City, scores: dict[int, list[float]], goal_sizes: dict[int, int],
                rule: CoverageRule, sel: Selection) -> Standing:
    """A city's standing: scores only when its coverage meets the rule."""
    coverage = Coverage(sum(len(s) for s in scores.values()), sum(goal_sizes.values()))
    goal_coverage = {goal: Coverage(len(scores.get(goal, [])), size)
                     for goal, size in sorted(goal_sizes.items())}
    if not rule.admits(coverage):
        return Standing(city, coverage=coverage, goal_coverage=goal_coverage)
    # Every goal listed has at least one score, so its mean is a number.
    goals = {goal: math.fsum(values) / len(values) for goal, values in sorted(scores.items())}
    composite = mean(goals.values())
    return Standing(city, goals, composite, category(composite, sel.thresholds),
                    coverage=coverage, goal_coverage=goal_coverage)


def standings(cities: list[City], rows: list[Row], sel: Selection, rule: CoverageRule
              ) -> list[Standing]:
    """Coverage, goal scores (means of indicators), composites (means of goals), categories
    and ranks (1 = best) of the cities that meet the coverage rule."""
    scored = scored_rows(rows)
    goal_sizes: dict[int, int] = defaultdict(int)
    for row in scored:
        goal_sizes[row.sdg.goal_number] += 1
    per_city = city_scores(scored)
    out = [standing_of(city, per_city[saved_id(city)], goal_sizes, rule, sel)
           for city in cities]
    rank_by_composite([s for s in out if s.composite is not None])
    return out


def rank_by_composite(ranked: list[Standing]) -> None:
    """Rank 1 for the highest composite; equal composites share a rank (1, 1, 3)."""
    ordered = sorted(ranked, key=lambda s: -(s.composite or 0.0))
    for n, standing in enumerate(ordered):
        previous = ordered[n - 1] if n else None
        standing.rank = (previous.rank if previous is not None
                         and previous.composite == standing.composite else n + 1)
