"""JSON read API of a city's progress: every indicator with the inputs behind its status, and
the roll-ups to SDG targets, goals, plan elements and the city.

Routes live on the API blueprint of tracker.api.routes, which imports this module. Readable by
whoever may read the city; `?drafts=1` counts unapproved values only for those who may see the
city's internals (for anyone else it is ignored, and `include_drafts` in the answer says so).
"""

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlmodel import Session, col

from tracker.api.blueprint import bp
from tracker.api.docs import api_doc, query_param
from tracker.api.progress_schemas import CityProgress
from tracker.auth.access import can_read_city_internals, signed_in_user
from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.db import get_session
from tracker.plans.models import PlanElement
from tracker.plans.queries import code_key
from tracker.progress.aggregate import SeriesOutcome
from tracker.progress.result import STATUSES, json_number
from tracker.progress.services import IndicatorProgress, Rollup, city_progress


def rollup_json(rollup: Rollup) -> dict[str, Any]:
    """A roll-up: status (or insufficient_data), mean score and the count per status."""
    return {"status": rollup.status, "score": json_number(rollup.score),
            "indicator_count": len(rollup.items), "with_status": rollup.with_status,
            "counts": {status: rollup.counts.get(status, 0) for status in STATUSES}}


def counted_json(outcome: SeriesOutcome) -> dict[str, Any]:
    """A series that decides the status: how it was chosen and its result."""
    found = outcome.result
    return {"label": outcome.label, "breakdowns": list(outcome.keys), "error": outcome.error,
            "warnings": list(outcome.warnings), "uses_progress": outcome.uses_progress,
            "status": found.status if found else None,
            "score": json_number(found.score) if found else None,
            "progress_value": json_number(found.progress_value) if found else None}


def indicator_json(item: IndicatorProgress) -> dict[str, Any]:
    """An indicator's status and score, its alignments and every series' inputs."""
    indicator = item.indicator
    result = item.result
    return {"code": indicator.code, "name": indicator.name,
            "direction": indicator.direction.value, "status": item.status,
            "score": json_number(item.score), "rule": result.rule,
            "opensdg_status": result.opensdg_status, "not_computable": result.error,
            "counted": [counted_json(outcome) for outcome in result.outcomes],
            "sdg_indicators": [link.code for link in item.data.view.sdg_links],
            "elements": [link.element.id for link in item.data.view.elements],
            "series": [{"breakdown": key, **result.as_dict()}
                       for key, result in sorted(item.results.items())]}


def element_codes(session: Session, ids: list[int]) -> dict[int, tuple[str, int]]:
    """Return the code and plan of these plan elements, in one query."""
    if not ids:
        return {}
    query = (select(col(PlanElement.id), col(PlanElement.code), col(PlanElement.plan_id))
             .where(col(PlanElement.id).in_(ids)))
    return {id_: (code, plan_id) for id_, code, plan_id in session.execute(query)}


def elements_json(session: Session, elements: dict[int, Rollup]) -> list[dict[str, Any]]:
    """The plan elements' roll-ups, with each element's code and plan."""
    codes = element_codes(session, sorted(elements))
    return [{"element_id": id_, "code": codes.get(id_, ("", None))[0],
             "plan_id": codes.get(id_, ("", None))[1], **rollup_json(rollup)}
            for id_, rollup in sorted(elements.items())]


@bp.get("/cities/<slug>/progress")
@api_doc("A city's progress: indicators with their inputs, and every roll-up", CityProgress,
         errors=(401, 403, 404), params=[query_param(
             "drafts", "1 to count drafts, submitted and returned values",
             {"type": "string", "enum": ["1"]})],
         description="Statuses follow the Open SDG method; each indicator's rule says which "
                     "series count (see /progress/methodology). "
                     "Readable by whoever may read the city. drafts=1 counts unapproved values "
                     "too, for those who may see the city's internals; for others it is ignored "
                     "(include_drafts says which values were counted).")
@city_route("read_public")
def city_progress_json(city: City) -> ResponseReturnValue:
    """Return a city's progress: indicators with their inputs, and every roll-up."""
    session, user = get_session(), signed_in_user()
    drafts = request.args.get("drafts") == "1" and can_read_city_internals(user, city)
    progress = city_progress(session, city, include_drafts=drafts)
    return {
        "city": city.slug, "include_drafts": drafts,
        "city_rollup": rollup_json(progress.overall),
        "goals": [{"goal": number, **rollup_json(r)} for number, r in progress.goals.items()],
        "targets": [{"target": key, **rollup_json(r)}
                    for key, r in sorted(progress.targets.items(),
                                                   key=lambda kv: code_key(kv[0]))],
        "elements": elements_json(session, progress.elements),
        "indicators": [indicator_json(item) for item in progress.items]}
