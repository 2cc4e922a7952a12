"""JSON read API for a city's plans (with their element trees) and its local indicators.

Routes live on the API blueprint of tracker.api.routes, which imports this module. Each list
runs a fixed number of queries per page; decimals are strings, so values stay exact.
"""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col

from tracker.api.blueprint import bp
from tracker.api.docs import PAGE_PARAMS, api_doc
from tracker.api.pagination import paginate
from tracker.api.plans_schemas import LocalIndicatorPublic, PlanPublic
from tracker.api.schemas import page_of
from tracker.auth.city_scope import city_route
from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.cities.models import City
from tracker.db import get_session, relation
from tracker.indicators.models import LocalIndicator
from tracker.plans.models import ElementAlignment, Plan, PlanElement, PlanStatus, period_label

# SDG node id → (code, target code, goal code)
Nodes = dict[int, tuple[str, str, str]]


def decimal_text(value: Decimal | None) -> str | None:
    """Write a decimal exactly, in plain notation ("99.94", "1200"), or None."""
    return None if value is None else format(value, "f")


def indicator_nodes(session: Session, ids: set[int]) -> Nodes:
    """Return the code, target code and goal code of these SDG indicators."""
    query = (select(col(SdgIndicator.id), col(SdgIndicator.code), col(Target.code), col(Goal.code))
             .join(Target, col(Target.id) == col(SdgIndicator.target_id))
             .join(Goal, col(Goal.id) == col(Target.goal_id))
             .where(col(SdgIndicator.id).in_(ids)))
    return {id_: (code, target, goal) for id_, code, target, goal in session.execute(query)}


# Plans' trees are read as plain rows: building hundreds of ORM objects per plan would cost
# more than the rest of the request.
ELEMENT_COLUMNS = tuple(col(column) for column in (
    PlanElement.id, PlanElement.plan_id, PlanElement.parent_id, PlanElement.depth,
    PlanElement.code, PlanElement.title, PlanElement.description, PlanElement.department,
    PlanElement.budget, PlanElement.is_retired))


def element_rows(session: Session, plan_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Return the plans' elements (as dicts, in tree order) by plan id."""
    query = (select(*ELEMENT_COLUMNS).where(col(PlanElement.plan_id).in_(plan_ids))
             .order_by(col(PlanElement.position), col(PlanElement.id)))
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(query).mappings():
        found[row["plan_id"]].append(dict(row))
    return found


def alignment_rows(session: Session, plan_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Return the JSON of the plans' element alignments, with SDG codes, by element id."""
    target_id = func.coalesce(col(ElementAlignment.target_id), col(SdgIndicator.target_id))
    query = (select(col(ElementAlignment.element_id), col(ElementAlignment.relation),
                    col(ElementAlignment.is_primary), col(ElementAlignment.rationale),
                    col(SdgIndicator.code), col(Target.code), col(Goal.code))
             .join(PlanElement, col(PlanElement.id) == col(ElementAlignment.element_id))
             .outerjoin(SdgIndicator,
                        col(SdgIndicator.id) == col(ElementAlignment.sdg_indicator_id))
             .join(Target, col(Target.id) == target_id)
             .join(Goal, col(Goal.id) == col(Target.goal_id))
             .where(col(PlanElement.plan_id).in_(plan_ids))
             .order_by(col(ElementAlignment.id)))
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for element_id, kind, primary, rationale, sdg, target, goal in session.execute(query):
        found[element_id].append({
            "sdg_code": sdg or target, "kind": "indicator" if sdg else "target",
            "target": target, "goal": goal, "relation": kind.value,
            "is_primary": primary, "rationale": rationale})
    return found


def element_tree(plan: Plan, rows: list[dict[str, Any]],
                 alignments: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Serialise a plan's elements as a tree of nested children, in the plan's order."""
    ids = {row["id"] for row in rows}
    children: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        children[row["parent_id"] if row["parent_id"] in ids else None].append(row)

    def node(row: dict[str, Any]) -> dict[str, Any]:
        return {"id": row["id"], "code": row["code"], "title": row["title"],
                "description": row["description"], "depth": row["depth"],
                "level": plan.level_name(row["depth"]), "department": row["department"],
                "budget": decimal_text(row["budget"]), "is_retired": row["is_retired"],
                "alignments": alignments.get(row["id"], []),
                "children": [node(child) for child in children[row["id"]]]}

    return [node(root) for root in children[None]]


def plan_json(plan: Plan, city: City, replaced: set[int], tree: list[dict[str, Any]]
              ) -> dict[str, Any]:
    """Serialise a plan with its period label, revision links and element tree."""
    return {
        "id": plan.id, "title": plan.title, "kind": plan.kind.value,
        "start_year": plan.start_year, "end_year": plan.end_year,
        "period": period_label(plan.start_year, plan.end_year, city.fiscal_year_start_month),
        "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
        "status": plan.status.value, "source_url": plan.source_url,
        "description": plan.description, "level_names": list(plan.level_names),
        "parent_id": plan.parent_id, "revision": plan.revision,
        "revision_of_id": plan.revision_of_id,
        "is_current": plan.status != PlanStatus.SUPERSEDED and plan.id not in replaced,
        "elements": tree,
    }


@bp.get("/cities/<slug>/plans")
@api_doc("A city's plans (revisions included) with their element trees and SDG alignments",
         page_of(PlanPublic), errors=(400, 403, 404), params=PAGE_PARAMS)
@city_route("read_public")
def list_city_plans(city: City) -> ResponseReturnValue:
    """List a city's plans, revisions included, each with its element tree and alignments."""
    session = get_session()
    query = (select(Plan).where(col(Plan.city_id) == city.id)
             .order_by(func.lower(col(Plan.title)), col(Plan.revision), col(Plan.id)))
    body = paginate(session, query, lambda plan: plan)
    plan_ids = [plan.id for plan in body["items"]]
    elements, alignments = element_rows(session, plan_ids), alignment_rows(session, plan_ids)
    replaced = {plan_id for plan_id in session.scalars(select(col(Plan.revision_of_id)).where(
        col(Plan.city_id) == city.id, col(Plan.revision_of_id).is_not(None))) if plan_id}
    body["items"] = [plan_json(p, city, replaced, element_tree(p, elements[p.id], alignments))
                     for p in body["items"]]
    return body


def local_indicator_json(ind: LocalIndicator, sdg: Nodes,
                         elements: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Serialise a local indicator's definition, baseline, targets, breakdowns and links."""
    band = None
    if ind.band_low is not None or ind.band_high is not None:
        band = {"low": decimal_text(ind.band_low), "high": decimal_text(ind.band_high)}
    return {
        "code": ind.code, "name": ind.name, "definition": ind.definition,
        "unit": {"kind": ind.unit_kind.value, "label": ind.unit_label},
        "direction": ind.direction.value, "band": band, "frequency": ind.frequency.value,
        "quarterly_rollup": ind.quarterly_rollup.value, "is_cumulative": ind.is_cumulative,
        "data_source": ind.data_source, "department": ind.department,
        "baseline": {"year": ind.baseline_year, "value": decimal_text(ind.baseline_value),
                     "note": ind.baseline_note},
        "natural_limit": decimal_text(ind.natural_limit), "is_retired": ind.is_retired,
        "progress": {"rule": str(ind.progress_rule), "options": list(ind.progress_options),
                     "auto": ind.auto_progress, "manual_status": ind.manual_progress_status},
        "targets": [{"year": t.year, "value": decimal_text(t.value), "label": t.label}
                    for t in ind.targets],
        "dimensions": [{"name": d.name, "values": list(d.values)} for d in ind.dimensions],
        "sdg_alignments": [
            {"sdg_indicator": sdg[a.sdg_indicator_id][0], "target": sdg[a.sdg_indicator_id][1],
             "goal": sdg[a.sdg_indicator_id][2], "relation": a.relation.value,
             "rationale": a.rationale}
            for a in sorted(ind.sdg_links, key=lambda a: sdg[a.sdg_indicator_id][0])],
        "elements": sorted((elements[link.element_id] for link in ind.element_links),
                           key=lambda e: (e["plan_id"], e["code"])),
    }


def element_refs(session: Session, ids: set[int]) -> dict[int, dict[str, Any]]:
    """Return the plan elements with these ids as short references."""
    query = (select(col(PlanElement.id), col(PlanElement.code), col(PlanElement.title),
                    col(PlanElement.is_retired), col(Plan.id), col(Plan.title))
             .join(Plan, col(Plan.id) == col(PlanElement.plan_id))
             .where(col(PlanElement.id).in_(ids)))
    return {id_: {"id": id_, "code": code, "title": title, "is_retired": retired,
                  "plan_id": plan_id, "plan_title": plan_title}
            for id_, code, title, retired, plan_id, plan_title in session.execute(query)}


@bp.get("/cities/<slug>/indicators")
@api_doc("A city's local indicators: definitions, baselines, targets, breakdowns, alignments",
         page_of(LocalIndicatorPublic), errors=(400, 403, 404), params=PAGE_PARAMS)
@city_route("read_public")
def list_city_indicators(city: City) -> ResponseReturnValue:
    """List a city's local indicators with their definitions, targets and alignments."""
    session = get_session()
    query = (select(LocalIndicator).where(col(LocalIndicator.city_id) == city.id)
             .options(*(selectinload(relation(rel)) for rel in (
                 LocalIndicator.targets, LocalIndicator.dimensions, LocalIndicator.sdg_links,
                 LocalIndicator.element_links)))
             .order_by(func.lower(col(LocalIndicator.code))))
    body = paginate(session, query, lambda indicator: indicator)
    sdg = indicator_nodes(session, {a.sdg_indicator_id for i in body["items"]
                                    for a in i.sdg_links})
    elements = element_refs(session, {link.element_id for i in body["items"]
                                      for link in i.element_links})
    body["items"] = [local_indicator_json(i, sdg, elements) for i in body["items"]]
    return body
