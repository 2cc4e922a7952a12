"""The plan element picker of other pages (an indicator's "measures" link): a city's
current plan revisions, each once, their elements as a tree in the plan's own order."""

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.cities.models import City
from tracker.plans.models import Plan, PlanElement
from tracker.plans.queries import tree_ordered


def list_current_plans(session: Session, city: City) -> list[Plan]:
    """List the city's plans that no later revision replaces, by title (one query)."""
    later = select(col(Plan.revision_of_id)).where(Plan.city_id == city.id,
                                                   col(Plan.revision_of_id).is_not(None))
    query = (select(Plan).where(Plan.city_id == city.id, col(Plan.id).not_in(later))
             .order_by(func.lower(Plan.title), col(Plan.start_year), col(Plan.id)))
    return list(session.scalars(query))


def list_pickable_elements(session: Session, city: City) -> list[tuple[PlanElement, Plan]]:
    """List the current elements of the city's current plan revisions, plan by plan, each
    plan's tree in reading order (two queries)."""
    plans = list_current_plans(session, city)
    by_plan: dict[int | None, list[PlanElement]] = defaultdict(list)
    query = (select(PlanElement)
             .where(col(PlanElement.plan_id).in_([plan.id for plan in plans]))
             .order_by(col(PlanElement.position), col(PlanElement.id)))
    for element in session.scalars(query) if plans else []:
        by_plan[element.plan_id].append(element)
    return [(element, plan) for plan in plans for element in tree_ordered(by_plan[plan.id])]
