"""Reshape a plan's tree: reorder, move, retire and restore elements; make revisions."""

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from tracker.audit.services import record_change
from tracker.db import saved_id
from tracker.indicators.models import IndicatorElementLink
from tracker.plans.models import MAX_LEVELS, ElementAlignment, Plan, PlanElement, PlanStatus
from tracker.plans.services import PlanError, _siblings, next_position
from tracker.timeutil import utcnow


def _plan_elements(session: Session, plan_id: int) -> list[PlanElement]:
    """Return every element of a plan."""
    return list(session.exec(select(PlanElement).where(PlanElement.plan_id == plan_id)))


def descendants(session: Session, element: PlanElement) -> list[PlanElement]:
    """Return the element's subtree below it (one query, walked in memory)."""
    children: dict[int | None, list[PlanElement]] = {}
    for item in _plan_elements(session, element.plan_id):
        children.setdefault(item.parent_id, []).append(item)
    found, stack = [], list(children.get(element.id, []))
    while stack:
        item = stack.pop()
        found.append(item)
        stack.extend(children.get(item.id, []))
    return found


def reorder_element(*, session: Session, element: PlanElement, offset: int,
                    user_id: int | None) -> None:
    """Move an element up (-1) or down (+1) among its siblings."""
    # Order among the siblings a reader sees: retired ones keep their place at the end.
    siblings = [s for s in _siblings(session, element.plan_id, element.parent_id)
                if s.is_retired == element.is_retired]
    index = next(i for i, s in enumerate(siblings) if s.id == element.id)
    other = index + offset
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
        session.add(sibling)
    session.flush()
    record_change(session, user_id=user_id, action="reorder", entity=element,
                  city_id=_city_id(session, element), changes={"position": [index, other]})


def move_element(*, session: Session, element: PlanElement, new_parent: PlanElement | None,
                 user_id: int | None) -> None:
    """Put an element (and its subtree) under another parent of the same plan."""
    subtree = descendants(session, element)
    if new_parent is not None:
        if new_parent.plan_id != element.plan_id:
            raise PlanError(_("An element can only move within its plan."))
        if new_parent.id == element.id or new_parent in subtree:
            raise PlanError(_("An element cannot move under itself or its own sub-elements."))
    shift = (new_parent.depth + 1 if new_parent else 0) - element.depth
    if max([element.depth, *(d.depth for d in subtree)]) + shift >= MAX_LEVELS:
        raise PlanError(_("A plan tree has at most %(n)s levels.", n=MAX_LEVELS))
    old_parent, new_parent_id = element.parent_id, new_parent.id if new_parent else None
    position = next_position(session, element.plan_id, new_parent_id)  # before the move flushes
    element.parent_id, element.position = new_parent_id, position
    for item in [element, *subtree]:
        item.depth += shift
        session.add(item)
    session.flush()
    record_change(session, user_id=user_id, action="move", entity=element,
                  city_id=_city_id(session, element), changes={"parent_id": [old_parent,
                                                                             element.parent_id]})


def set_retired(*, session: Session, element: PlanElement, retired: bool, user_id: int | None,
                reason: str = "") -> None:
    """Retire (or restore) an element and its subtree; nothing is deleted."""
    items = [element, *descendants(session, element)]
    for item in items:
        item.is_retired = retired
        item.retired_at = utcnow() if retired else None
        item.version += 1
        session.add(item)
    session.flush()
    record_change(session, user_id=user_id, action="retire" if retired else "restore",
                  entity=element, city_id=_city_id(session, element), reason=reason,
                  changes={"is_retired": [not retired, retired],
                           "elements": [None, [i.code for i in items]]})


def _city_id(session: Session, element: PlanElement) -> int | None:
    """Return the city of an element's plan."""
    plan = session.get(Plan, element.plan_id)
    return plan.city_id if plan else None


def create_revision(*, session: Session, plan: Plan, user_id: int | None) -> Plan:
    """Start the next revision of a plan (an annual review): copy its tree; keep the old one."""
    session.refresh(plan)  # model_dump reads only loaded attributes
    new = Plan.model_validate(plan.model_dump(exclude={"id", "version", "created_at",
                                                       "updated_at", "status"}),
                              update={"revision_of_id": plan.id, "revision": plan.revision + 1,
                                      "status": PlanStatus.UNDER_REVIEW})
    session.add(new)
    session.flush()
    _copy_tree(session, plan, new)
    plan.status = PlanStatus.SUPERSEDED
    plan.version += 1
    session.add(plan)
    session.flush()
    record_change(session, user_id=user_id, action="revise", entity=new, city_id=plan.city_id,
                  changes={"revision_of_id": [None, plan.id], "revision": [None, new.revision]})
    return new


def _copy_tree(session: Session, old: Plan, new: Plan) -> None:
    """Copy elements, their alignments and indicator links from one plan to another."""
    elements = sorted(_plan_elements(session, saved_id(old)), key=lambda e: e.depth)
    copies: dict[int | None, PlanElement] = {}
    for element in elements:
        copy = PlanElement.model_validate(element.model_dump(exclude={"id", "plan_id",
                                                                      "parent_id", "version"}),
                                          update={"plan_id": new.id, "parent_id": copies[
                                              element.parent_id].id if element.parent_id else None})
        session.add(copy)
        session.flush()
        copies[element.id] = copy
    old_ids = list(copies)
    for a in session.exec(select(ElementAlignment).where(
            col(ElementAlignment.element_id).in_(old_ids))):
        session.add(ElementAlignment.model_validate(a.model_dump(exclude={"id", "element_id"}),
                                                    update={"element_id": copies[a.element_id].id}))
    for link in session.exec(select(IndicatorElementLink).where(
            col(IndicatorElementLink.element_id).in_(old_ids))):
        session.add(IndicatorElementLink(indicator_id=link.indicator_id,
                                         element_id=saved_id(copies[link.element_id])))
    session.flush()
