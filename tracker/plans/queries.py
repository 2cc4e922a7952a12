"""Reads of plans, their element trees and SDG alignments, in a fixed number of queries."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import false, func, or_
from sqlalchemy.orm import aliased, joinedload
from sqlmodel import Session, col, select

from tracker.auth.access import readable_cities_clause
from tracker.auth.models import User
from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.catalogue.queries import search_catalogue
from tracker.cities.models import City
from tracker.db import relation
from tracker.plans.models import MAX_LEVELS, ElementAlignment, Plan, PlanElement, PlanStatus


@dataclass
class AlignmentView:
    """An alignment with the code, title and goal of the SDG target or indicator."""

    alignment: ElementAlignment
    kind: str  # "target" or "indicator"
    code: str
    title: str
    goal_number: int


@dataclass
class ElementNode:
    """An element of the tree with its sub-elements and alignments."""

    element: PlanElement
    children: list["ElementNode"] = field(default_factory=list)
    alignments: list[AlignmentView] = field(default_factory=list)


@dataclass
class PlanTree:
    """A plan's tree as the plan page shows it, with the goals its elements address."""

    plan: Plan
    roots: list[ElementNode]
    element_count: int
    retired_count: int
    goals: list[int]


@dataclass
class PlanFamily:
    """The plans around a plan: its parent, sub-plans and the revisions before and after."""

    parent: Plan | None = None
    revision_of: Plan | None = None
    revised_by: list[Plan] = field(default_factory=list)
    sub_plans: list[Plan] = field(default_factory=list)


@dataclass
class PlanRow:
    """A line of a city's list of plans."""

    plan: Plan
    parent: Plan | None
    element_count: int
    goals: list[int]


@dataclass
class ElementView:
    """An element with its place in the tree, its sub-elements and alignments."""

    element: PlanElement
    ancestors: list[PlanElement]
    children: list[PlanElement]
    alignments: list[AlignmentView]
    move_targets: list[PlanElement]

    @property
    def aligned_nodes(self) -> set[tuple[str, int | None]]:
        """Return (kind, id) of every SDG target and indicator the element is aligned to."""
        return {(a.kind, a.alignment.target_id or a.alignment.sdg_indicator_id)
                for a in self.alignments}


@dataclass
class PlanHits:
    """A plan and its elements aligned to one SDG target or indicator."""

    plan: Plan
    hits: list[tuple[PlanElement, ElementAlignment]] = field(default_factory=list)


@dataclass
class CityHits:
    """A city and its plans that address one SDG target or indicator."""

    city: City
    plans: list[PlanHits] = field(default_factory=list)


def code_key(code: str) -> list[Any]:
    """Sort "1.10" after "1.9": compare digit runs as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower())
            for part in re.findall(r"\d+|\D+", code)]


def get_plan(session: Session, city: City, plan_id: int) -> Plan | None:
    """Return one of the city's plans (None when the plan belongs to another city)."""
    return session.scalars(select(Plan).where(Plan.id == plan_id,
                                              Plan.city_id == city.id)).first()


def get_element(session: Session, plan: Plan, element_id: int) -> PlanElement | None:
    """Return one of the plan's elements (None when it belongs to another plan)."""
    return session.scalars(select(PlanElement).where(PlanElement.id == element_id,
                                                     PlanElement.plan_id == plan.id)).first()


def get_alignment(session: Session, element: PlanElement,
                  alignment_id: int) -> ElementAlignment | None:
    """Return one of the element's alignments."""
    return session.scalars(select(ElementAlignment).where(
        ElementAlignment.id == alignment_id, ElementAlignment.element_id == element.id)).first()


def list_other_plans(session: Session, city: City, plan: Plan | None) -> list[Plan]:
    """List the city's plans other than `plan`, for the parent plan select."""
    query = select(Plan).where(Plan.city_id == city.id)
    if plan is not None:
        query = query.where(Plan.id != plan.id)
    return list(session.scalars(query.order_by(col(Plan.start_year).desc(), Plan.title)))


def list_plans(session: Session, city: City) -> list[PlanRow]:
    """List the city's plans with their parent plan, element count and goals (3 queries)."""
    plans = list(session.scalars(select(Plan).where(Plan.city_id == city.id).order_by(
        col(Plan.start_year).desc(), func.lower(Plan.title), col(Plan.revision).desc())))
    by_id = {plan.id: plan for plan in plans}
    counts: dict[int | None, int] = dict(session.exec(
        select(PlanElement.plan_id, func.count(col(PlanElement.id)))
        .join(Plan, col(Plan.id) == PlanElement.plan_id)
        .where(Plan.city_id == city.id, PlanElement.is_retired == false())
        .group_by(col(PlanElement.plan_id))).all())
    goals: dict[int | None, set[int]] = defaultdict(set)
    for plan_id, number in session.execute(_plan_goals_query(city)):
        goals[plan_id].add(number)
    return [PlanRow(plan, by_id.get(plan.parent_id), counts.get(plan.id, 0),
                    sorted(goals[plan.id])) for plan in plans]


def _plan_goals_query(city: City) -> sa.Select[int, int]:
    """Build the query of (plan id, goal number) for the city's current elements."""
    direct, via = aliased(Target), aliased(Target)
    return (select(PlanElement.plan_id, Goal.number).distinct()
            .join(ElementAlignment, col(ElementAlignment.element_id) == PlanElement.id)
            .join(Plan, col(Plan.id) == PlanElement.plan_id)
            .outerjoin(direct, col(direct.id) == ElementAlignment.target_id)
            .outerjoin(SdgIndicator, col(SdgIndicator.id) == ElementAlignment.sdg_indicator_id)
            .outerjoin(via, col(via.id) == SdgIndicator.target_id)
            .join(Goal, col(Goal.id) == func.coalesce(direct.goal_id, via.goal_id))
            .where(Plan.city_id == city.id, PlanElement.is_retired == false()))


def get_plan_family(session: Session, plan: Plan) -> PlanFamily:
    """Return the parent plan, sub-plans and neighbouring revisions of a plan (one query)."""
    related = session.scalars(select(Plan).where(
        Plan.city_id == plan.city_id,
        or_(col(Plan.id).in_([plan.parent_id or 0, plan.revision_of_id or 0]),
            col(Plan.revision_of_id) == plan.id, col(Plan.parent_id) == plan.id))
        .order_by(col(Plan.revision)))
    family = PlanFamily()
    for other in related:
        if other.id == plan.parent_id:
            family.parent = other
        if other.id == plan.revision_of_id:
            family.revision_of = other
        if other.revision_of_id == plan.id:
            family.revised_by.append(other)
        if other.parent_id == plan.id:
            family.sub_plans.append(other)
    return family


def _alignments(session: Session, element_ids: list[int | None] | sa.Select[int | None]
                ) -> dict[int | None, list[AlignmentView]]:
    """Return the alignments of the given elements (an id list or a subquery), one query."""
    direct, via = aliased(Target), aliased(Target)
    query = (sa.select(ElementAlignment, col(direct.code), col(direct.title),
                       col(SdgIndicator.code), col(SdgIndicator.title), col(Goal.number))
             .outerjoin(direct, col(direct.id) == ElementAlignment.target_id)
             .outerjoin(SdgIndicator, col(SdgIndicator.id) == ElementAlignment.sdg_indicator_id)
             .outerjoin(via, col(via.id) == SdgIndicator.target_id)
             .join(Goal, col(Goal.id) == func.coalesce(direct.goal_id, via.goal_id))
             .where(col(ElementAlignment.element_id).in_(element_ids))
             .order_by(col(ElementAlignment.is_primary).desc(),
                       func.coalesce(direct.sort_key, SdgIndicator.sort_key)))
    found: dict[int | None, list[AlignmentView]] = defaultdict(list)
    for alignment, t_code, t_title, i_code, i_title, goal in session.execute(query):
        kind = "target" if alignment.target_id is not None else "indicator"
        found[alignment.element_id].append(AlignmentView(
            alignment, kind, t_code or i_code, t_title or i_title, goal))
    return found


def _plan_elements(session: Session, plan: Plan) -> list[PlanElement]:
    """Return every element of a plan (one query)."""
    return list(session.scalars(select(PlanElement).where(PlanElement.plan_id == plan.id)
                                .order_by(col(PlanElement.position), col(PlanElement.id))))


def _build(elements: list[PlanElement], include_retired: bool,
           alignments: dict[int | None, list[AlignmentView]]) -> list[ElementNode]:
    """Build the tree in memory; a hidden retired element hides its subtree too."""
    nodes = {e.id: ElementNode(e, alignments=alignments.get(e.id, [])) for e in elements
             if include_retired or not e.is_retired}
    roots = []
    for element in elements:  # already in sibling order
        node = nodes.get(element.id)
        if node is None:
            continue
        if element.parent_id is None:
            roots.append(node)
        elif element.parent_id in nodes:
            nodes[element.parent_id].children.append(node)
    return roots


def walk(nodes: list[ElementNode]) -> list[ElementNode]:
    """Return the nodes of a tree in reading order (pre-order)."""
    found: list[ElementNode] = []
    for node in nodes:
        found.append(node)
        found.extend(walk(node.children))
    return found


def get_plan_tree(session: Session, plan: Plan, include_retired: bool = False) -> PlanTree:
    """Return a plan's tree with every element's alignments (two queries, any size)."""
    elements = _plan_elements(session, plan)
    in_plan = select(col(PlanElement.id)).where(PlanElement.plan_id == plan.id)
    alignments = _alignments(session, in_plan)
    roots = _build(elements, include_retired, alignments)
    shown = walk(roots)
    goals = {a.goal_number for node in shown if not node.element.is_retired
             for a in node.alignments}
    retired = sum(1 for e in elements if e.is_retired)
    return PlanTree(plan, roots, len(elements) - retired, retired, sorted(goals))


def tree_ordered(elements: list[PlanElement]) -> list[PlanElement]:
    """Put one plan's elements (in sibling order) in reading order, parents before their
    children, leaving out retired ones and what lies under them."""
    return [node.element for node in walk(_build(elements, False, {}))]


def list_tree_order(session: Session, plan: Plan) -> list[PlanElement]:
    """List the plan's current elements in reading order, for parent selects."""
    return tree_ordered(_plan_elements(session, plan))


def get_element_view(session: Session, plan: Plan, element: PlanElement) -> ElementView:
    """Return an element with its ancestors, children, alignments and new parents (2 queries)."""
    elements = _plan_elements(session, plan)
    by_id = {e.id: e for e in elements}
    ancestors: list[PlanElement] = []
    parent = by_id.get(element.parent_id)
    while parent is not None:
        ancestors.insert(0, parent)
        parent = by_id.get(parent.parent_id)
    children = [e for e in elements if e.parent_id == element.id]
    return ElementView(element, ancestors, children,
                       _alignments(session, [element.id])[element.id],
                       _move_targets(elements, element))


def _move_targets(elements: list[PlanElement], element: PlanElement) -> list[PlanElement]:
    """List the current elements the element may move under, in reading order."""
    children: dict[int | None, list[PlanElement]] = defaultdict(list)
    for item in elements:
        children[item.parent_id].append(item)
    subtree, stack = set(), [element]
    while stack:
        item = stack.pop()
        subtree.add(item.id)
        stack.extend(children[item.id])
    height = max(e.depth for e in elements if e.id in subtree) - element.depth
    return [node.element for node in walk(_build(elements, False, {}))
            if node.element.id not in subtree and node.element.depth + 1 + height < MAX_LEVELS]


def list_plans_addressing(session: Session, user: User | None, *, target_id: int | None = None,
                          sdg_indicator_id: int | None = None) -> list[CityHits]:
    """List the readable cities and current plans aligned to a target or indicator."""
    node = (col(ElementAlignment.target_id) == target_id if target_id is not None
            else col(ElementAlignment.sdg_indicator_id) == sdg_indicator_id)
    query = (select(City, Plan, PlanElement, ElementAlignment)
             .join(PlanElement, col(PlanElement.id) == ElementAlignment.element_id)
             .join(Plan, col(Plan.id) == PlanElement.plan_id)
             .join(City, col(City.id) == Plan.city_id)
             .where(node, readable_cities_clause(user), PlanElement.is_retired == false(),
                    Plan.status != PlanStatus.SUPERSEDED)
             .order_by(func.lower(City.name), col(Plan.start_year).desc(), Plan.title,
                       col(Plan.id)))
    cities: dict[int, CityHits] = {}
    plans: dict[int, PlanHits] = {}
    for city, plan, element, alignment in session.execute(query):
        if city.id not in cities:
            cities[city.id] = CityHits(city)
        if plan.id not in plans:
            plans[plan.id] = PlanHits(plan)
            cities[city.id].plans.append(plans[plan.id])
        plans[plan.id].hits.append((element, alignment))
    for hits in plans.values():
        hits.hits.sort(key=lambda hit: code_key(hit[0].code))
    return list(cities.values())


def list_picker_items(session: Session, q: str, limit: int) -> list[dict[str, Any]]:
    """Return the targets and indicators matching `q` as plain data for the live picker."""
    targets, indicators = search_catalogue(session, q, limit)
    return ([{"kind": "target", "id": t.id, "code": t.code, "title": t.title,
              "goal": t.goal.number} for t in targets]
            + [{"kind": "indicator", "id": i.id, "code": i.code, "title": i.title,
                "goal": i.target.goal.number} for i in indicators])


def find_target(session: Session, code: str) -> Target | None:
    """Return a target by code, with its goal."""
    return session.scalars(select(Target).where(Target.code == code)
                           .options(joinedload(relation(Target.goal)))).first()


def find_indicator(session: Session, code: str) -> SdgIndicator | None:
    """Return an SDG indicator by code, with its target and goal."""
    return session.scalars(select(SdgIndicator).where(SdgIndicator.code == code).options(
        joinedload(relation(SdgIndicator.target)).joinedload(relation(Target.goal)))).first()
