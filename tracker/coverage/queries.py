"""Reads for the coverage views: a city's plans, its 17-goal coverage strip and its gaps.

`get_city_coverage` runs the same six queries whatever the number of plans, elements and
indicators. Only the non-retired elements of current plans (the latest revision of each plan,
unless it is superseded) and the city's non-retired indicators count towards coverage.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.cities.models import City
from tracker.db import saved_id
from tracker.indicators.models import (
    Direction,
    IndicatorAlignment,
    IndicatorTarget,
    LocalIndicator,
)
from tracker.plans.models import ElementAlignment, Plan, PlanElement, PlanStatus, period_label


class CoverageState(StrEnum):
    """How a goal is covered: by plan elements, by local indicators, both or neither."""

    BOTH = "both"
    PLANS = "plans"
    INDICATORS = "indicators"
    NONE = "none"


@dataclass
class PlanRow:
    """A current plan with its period label, size, parent and earlier revisions."""

    plan: Plan
    period: str
    element_count: int = 0
    parent: Plan | None = None
    depth: int = 0
    earlier: list[tuple[Plan, str]] = field(default_factory=list)


@dataclass
class GoalCoverage:
    """One goal with the current plan elements and indicators aligned to it."""

    goal: Goal
    element_ids: set[int] = field(default_factory=set)
    indicator_ids: set[int] = field(default_factory=set)

    @property
    def state(self) -> CoverageState:
        """Say whether plans, indicators, both or neither touch the goal."""
        if self.element_ids and self.indicator_ids:
            return CoverageState.BOTH
        if self.element_ids:
            return CoverageState.PLANS
        return CoverageState.INDICATORS if self.indicator_ids else CoverageState.NONE


@dataclass
class ElementRef:
    """A plan element as the gap lists name it."""

    plan_id: int
    plan_title: str
    code: str
    title: str


@dataclass
class TargetGap:
    """An SDG target that plan elements address but no local indicator measures."""

    code: str
    title: str
    goal_number: int
    sort_key: str
    elements: list[ElementRef] = field(default_factory=list)


@dataclass
class IndicatorRef:
    """A local indicator as the gap lists name it."""

    code: str
    name: str
    baseline_value: Decimal | None
    baseline_note: str
    has_target: bool


@dataclass
class CityCoverage:
    """Everything the city page and the coverage page show about coverage."""

    plans: list[PlanRow]
    superseded: list[PlanRow]
    goals: list[GoalCoverage]
    target_gaps: list[TargetGap]
    indicators: list[IndicatorRef]
    element_count: int
    aligned_element_count: int
    aligned_indicator_count: int

    @property
    def no_target(self) -> list[IndicatorRef]:
        """The indicators with no target (nor a target band)."""
        return [i for i in self.indicators if not i.has_target]

    @property
    def no_baseline(self) -> list[IndicatorRef]:
        """The indicators with no baseline value yet."""
        return [i for i in self.indicators if i.baseline_value is None]

    def goal_count(self, *states: CoverageState) -> int:
        """Count the goals in any of the given states."""
        return sum(1 for g in self.goals if g.state in states)


def current_plans_clause(city_id: int) -> ColumnElement[bool]:
    """Match the city's current plans: no later revision, and not superseded."""
    later = aliased(Plan)
    replaced = select(col(later.id)).where(col(later.revision_of_id) == Plan.id).exists()
    return and_(col(Plan.city_id) == city_id, col(Plan.status) != PlanStatus.SUPERSEDED,
                ~replaced)


def not_retired(column: bool) -> ColumnElement[bool]:
    """Match rows whose retired flag (a model's boolean column) is off."""
    return col(column) == false()


def _plans(session: Session, city: City) -> list[Plan]:
    """List every plan of the city, revisions included, by title then revision."""
    query = (select(Plan).where(col(Plan.city_id) == city.id)
             .order_by(func.lower(Plan.title), col(Plan.revision), col(Plan.id)))
    return list(session.scalars(query))


def _element_counts(session: Session, city: City) -> dict[int | None, int]:
    """Count each plan's non-retired elements."""
    query = (select(col(PlanElement.plan_id), func.count())
             .join(Plan, col(Plan.id) == PlanElement.plan_id)
             .where(col(Plan.city_id) == city.id, not_retired(PlanElement.is_retired))
             .group_by(col(PlanElement.plan_id)))
    return {plan_id: n for plan_id, n in session.execute(query)}  # noqa: C416


def _element_alignments(session: Session, city: City) -> list[Any]:
    """Return (element, plan, target, goal) rows for current elements' alignments."""
    target_id = func.coalesce(ElementAlignment.target_id, SdgIndicator.target_id)
    query = (select(col(PlanElement.id), col(PlanElement.code), col(PlanElement.title),
                    col(Plan.id), col(Plan.title), col(Target.id), col(Target.code),
                    col(Target.title), col(Target.sort_key), col(Goal.number))
             .select_from(ElementAlignment)
             .join(PlanElement, col(PlanElement.id) == ElementAlignment.element_id)
             .join(Plan, col(Plan.id) == PlanElement.plan_id)
             .outerjoin(SdgIndicator, col(SdgIndicator.id) == ElementAlignment.sdg_indicator_id)
             .join(Target, col(Target.id) == target_id)
             .join(Goal, col(Goal.id) == Target.goal_id)
             .where(current_plans_clause(saved_id(city)), not_retired(PlanElement.is_retired))
             .order_by(col(Target.sort_key), func.lower(Plan.title), col(PlanElement.code)))
    return list(session.execute(query))


def _indicator_alignments(session: Session, city: City) -> list[Any]:
    """Return (indicator id, target id, goal number) rows for current indicators."""
    query = (select(col(IndicatorAlignment.indicator_id), col(Target.id), col(Goal.number))
             .join(LocalIndicator, col(LocalIndicator.id) == IndicatorAlignment.indicator_id)
             .join(SdgIndicator, col(SdgIndicator.id) == IndicatorAlignment.sdg_indicator_id)
             .join(Target, col(Target.id) == SdgIndicator.target_id)
             .join(Goal, col(Goal.id) == Target.goal_id)
             .where(col(LocalIndicator.city_id) == city.id,
                    not_retired(LocalIndicator.is_retired)))
    return list(session.execute(query))


def _indicators(session: Session, city: City) -> list[IndicatorRef]:
    """List the city's current indicators by code, each saying whether it has a target."""
    has_target = or_(col(LocalIndicator.direction) == Direction.BAND,
                     select(col(IndicatorTarget.id))
                     .where(col(IndicatorTarget.indicator_id) == LocalIndicator.id).exists())
    query = (select(col(LocalIndicator.code), col(LocalIndicator.name),
                    col(LocalIndicator.baseline_value), col(LocalIndicator.baseline_note),
                    has_target)
             .where(col(LocalIndicator.city_id) == city.id,
                    not_retired(LocalIndicator.is_retired))
             .order_by(func.lower(LocalIndicator.code)))
    return [IndicatorRef(code, name, value, note, bool(target))
            for code, name, value, note, target in session.execute(query)]


def _revision_chains(plans: list[Plan]) -> tuple[list[Plan], dict[int | None, Plan]]:
    """Return the latest revision of each plan, and a map from any revision to its latest."""
    successor = {p.revision_of_id: p for p in plans if p.revision_of_id is not None}
    latest: dict[int | None, Plan] = {}
    for plan in plans:
        head, seen = plan, {plan.id}
        while head.id in successor and successor[head.id].id not in seen:
            head = successor[head.id]
            seen.add(head.id)
        latest[plan.id] = head
    heads = [p for p in plans if p.id not in successor]
    return heads, latest


def _earlier(plan: Plan, by_id: dict[int | None, Plan],
             fiscal_month: int) -> list[tuple[Plan, str]]:
    """List a plan's earlier revisions, newest first, with their period labels."""
    found: list[tuple[Plan, str]] = []
    old = by_id.get(plan.revision_of_id) if plan.revision_of_id else None
    while old is not None and all(old is not p for p, _ in found):
        found.append((old, period_label(old.start_year, old.end_year, fiscal_month)))
        old = by_id.get(old.revision_of_id) if old.revision_of_id else None
    return found


def _nest(rows: list[PlanRow]) -> list[PlanRow]:
    """Order plan rows with each child plan (an SDBIP) right after its parent."""
    ids = {row.plan.id for row in rows}
    children: dict[int | None, list[PlanRow]] = defaultdict(list)
    for row in rows:
        parent_id = row.parent.id if row.parent is not None else None
        children[parent_id if parent_id in ids else None].append(row)
    ordered: list[PlanRow] = []
    placed: set[int | None] = set()
    stack = [(row, 0) for row in reversed(children[None])]
    while stack:
        row, depth = stack.pop()
        if row.plan.id in placed:
            continue
        row.depth = depth
        ordered.append(row)
        placed.add(row.plan.id)
        stack += [(child, depth + 1) for child in reversed(children[row.plan.id])]
    return ordered + [row for row in rows if row.plan.id not in placed]  # parent cycles


def plan_rows(plans: list[Plan], counts: dict[int | None, int], fiscal_month: int
              ) -> tuple[list[PlanRow], list[PlanRow]]:
    """Group revisions: current plans (nested under parents), and superseded ones."""
    by_id = {p.id: p for p in plans}
    heads, latest = _revision_chains(plans)
    rows = []
    for plan in heads:
        parent = latest.get(plan.parent_id) if plan.parent_id else None
        rows.append(PlanRow(plan, period_label(plan.start_year, plan.end_year, fiscal_month),
                            counts.get(plan.id, 0), parent,
                            earlier=_earlier(plan, by_id, fiscal_month)))
    current = [r for r in rows if r.plan.status != PlanStatus.SUPERSEDED]
    return _nest(current), [r for r in rows if r.plan.status == PlanStatus.SUPERSEDED]


def _target_gaps(element_rows: Iterable[Any], measured: set[int]) -> list[TargetGap]:
    """List targets aligned by plan elements but not measured by any local indicator."""
    gaps: dict[int, TargetGap] = {}
    for row in element_rows:
        _el, code, title, plan_id, plan_title, t_id, t_code, t_title, sort_key, goal = row
        if t_id in measured:
            continue
        gap = gaps.setdefault(t_id, TargetGap(t_code, t_title, goal, sort_key))
        if all(e.code != code or e.plan_id != plan_id for e in gap.elements):
            gap.elements.append(ElementRef(plan_id, plan_title, code, title))
    return sorted(gaps.values(), key=lambda g: g.sort_key)


def goal_coverage(goals: list[Goal], element_rows: list[Any], indicator_rows: list[Any]
                  ) -> list[GoalCoverage]:
    """Collect, per goal, the elements and indicators aligned to it."""
    by_number = {g.number: GoalCoverage(g) for g in goals}
    for row in element_rows:
        by_number[row[-1]].element_ids.add(row[0])
    for indicator_id, _target_id, number in indicator_rows:
        by_number[number].indicator_ids.add(indicator_id)
    return list(by_number.values())


def get_city_coverage(session: Session, city: City) -> CityCoverage:
    """Compute a city's plans, goal coverage and gaps in a fixed number of queries."""
    counts = _element_counts(session, city)
    current, superseded = plan_rows(_plans(session, city), counts, city.fiscal_year_start_month)
    element_rows = _element_alignments(session, city)
    indicator_rows = _indicator_alignments(session, city)
    goals = list(session.scalars(select(Goal).order_by(col(Goal.number))))
    return CityCoverage(
        plans=current, superseded=superseded,
        goals=goal_coverage(goals, element_rows, indicator_rows),
        target_gaps=_target_gaps(element_rows, {row[1] for row in indicator_rows}),
        indicators=_indicators(session, city),
        element_count=sum(row.element_count for row in current),
        aligned_element_count=len({row[0] for row in element_rows}),
        aligned_indicator_count=len({row[0] for row in indicator_rows}))
