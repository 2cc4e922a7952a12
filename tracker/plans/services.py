"""Create and change plans and their element trees (flush, never commit; history kept)."""

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.audit.services import diff, record_change, snapshot, tracked_update
from tracker.cities.models import City
from tracker.db import saved_id
from tracker.errors import DomainError
from tracker.plans.models import (
    MAX_LEVELS,
    Plan,
    PlanCreate,
    PlanElement,
    PlanElementCreate,
)

PLAN_FIELDS = ["kind", "title", "start_year", "end_year", "adopted_on", "status", "source_url",
               "description", "level_names", "parent_id"]
ELEMENT_FIELDS = ["code", "title", "description", "department", "budget"]


class PlanError(DomainError):
    """A change to a plan or its tree was refused."""


def check_parent_plan(session: Session, city: City, parent_id: int | None,
                      plan: Plan | None = None) -> None:
    """A parent plan (an SDBIP's IDP) belongs to the same city and is not the plan itself."""
    if parent_id is None:
        return
    parent = session.get(Plan, parent_id)
    if parent is None or parent.city_id != city.id:
        raise PlanError(_("The parent plan must be a plan of %(city)s.", city=city.name))
    if plan is not None and _is_ancestor(session, plan, parent):
        raise PlanError(_("A plan cannot be placed under itself or one of its own sub-plans."))


def _is_ancestor(session: Session, plan: Plan, candidate: Plan) -> bool:
    """Is `plan` the candidate parent itself or one of its ancestors?"""
    seen: set[int | None] = set()
    node: Plan | None = candidate
    while node is not None and node.id not in seen:
        if node.id == plan.id:
            return True
        seen.add(node.id)
        node = session.get(Plan, node.parent_id) if node.parent_id else None
    return False


def create_plan(*, session: Session, city: City, plan_in: PlanCreate,
                user_id: int | None) -> Plan:
    """Register a plan of a city."""
    check_parent_plan(session, city, plan_in.parent_id)
    plan = Plan.model_validate(plan_in, update={"city_id": city.id})
    session.add(plan)
    session.flush()
    record_change(session, user_id=user_id, action="create", entity=plan, city_id=city.id,
                  changes=diff({}, snapshot(plan, PLAN_FIELDS)))
    return plan


def update_plan(*, session: Session, plan: Plan, plan_in: PlanCreate, version: int | None,
                user_id: int | None) -> Plan:
    """Change a plan's description, keeping the change in history."""
    city = session.get(City, plan.city_id)
    assert city is not None
    check_parent_plan(session, city, plan_in.parent_id, plan)
    tracked_update(session, plan,
                   lambda: plan.sqlmodel_update(plan_in.model_dump(include=set(PLAN_FIELDS))),
                   take=lambda: snapshot(plan, PLAN_FIELDS), version=version, user_id=user_id,
                   city_id=plan.city_id)
    return plan


def next_position(session: Session, plan_id: int, parent_id: int | None) -> int:
    """Return the position after the last element under one parent (one MAX query)."""
    query = select(func.max(PlanElement.position)).where(PlanElement.plan_id == plan_id,
                                                         PlanElement.parent_id == parent_id)
    last = session.exec(query).one()
    return 0 if last is None else last + 1


def _siblings(session: Session, plan_id: int, parent_id: int | None) -> list[PlanElement]:
    """Return the elements under one parent, in order."""
    query = select(PlanElement).where(PlanElement.plan_id == plan_id,
                                      PlanElement.parent_id == parent_id)
    return list(session.exec(query.order_by(col(PlanElement.position), col(PlanElement.id))))


def _check_code(session: Session, plan: Plan, code: str, element_id: int | None = None) -> None:
    """Codes are unique within a plan."""
    query = select(PlanElement.id).where(PlanElement.plan_id == plan.id,
                                         func.lower(PlanElement.code) == code.lower())
    other = session.exec(query).first()
    if other is not None and other != element_id:
        raise PlanError(_("Code %(code)s is already used in this plan.", code=code))


def _parent_in_plan(session: Session, plan: Plan, parent_id: int | None) -> PlanElement | None:
    """Return the parent element, which must belong to the same plan."""
    if parent_id is None:
        return None
    parent = session.get(PlanElement, parent_id)
    if parent is None or parent.plan_id != plan.id:
        raise PlanError(_("The parent element must belong to this plan."))
    if parent.depth + 1 >= MAX_LEVELS:
        raise PlanError(_("A plan tree has at most %(n)s levels.", n=MAX_LEVELS))
    return parent


def add_element(*, session: Session, plan: Plan, element_in: PlanElementCreate,
                user_id: int | None) -> PlanElement:
    """Add an element under a parent (or at the top), after its siblings."""
    parent = _parent_in_plan(session, plan, element_in.parent_id)
    _check_code(session, plan, element_in.code)
    element = PlanElement.model_validate(element_in, update={
        "plan_id": plan.id, "depth": parent.depth + 1 if parent else 0,
        "position": next_position(session, saved_id(plan), element_in.parent_id)})
    session.add(element)
    session.flush()
    record_change(session, user_id=user_id, action="create", entity=element,
                  city_id=plan.city_id, changes=diff({}, snapshot(element, ELEMENT_FIELDS)))
    return element


def update_element(*, session: Session, element: PlanElement, element_in: PlanElementCreate,
                   version: int | None, user_id: int | None) -> PlanElement:
    """Change an element's code, title, department or budget."""
    plan = session.get(Plan, element.plan_id)
    assert plan is not None
    _check_code(session, plan, element_in.code, element.id)
    values = element_in.model_dump(include=set(ELEMENT_FIELDS))
    tracked_update(session, element, lambda: element.sqlmodel_update(values),
                   take=lambda: snapshot(element, ELEMENT_FIELDS), version=version,
                   user_id=user_id, city_id=plan.city_id)
    return element
