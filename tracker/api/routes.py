"""JSON read API, version 1: the SDG catalogue, networks and cities."""

from functools import cache
from importlib.resources import files
from typing import Any

from flask import (
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import col

from tracker.api.blueprint import bp
from tracker.api.docs import PAGE_PARAMS, ApiAnswer, api_doc, query_param
from tracker.api.openapi import openapi_document
from tracker.api.pagination import paginate
from tracker.api.schemas import (
    GoalPublic,
    IndicatorPublic,
    TargetPublic,
    page_of,
)
from tracker.api.serialise import city_public, indicator_public, network_public, target_public
from tracker.auth.access import (
    readable_cities_clause,
    readable_parent,
    signed_in_user,
)
from tracker.auth.city_scope import city_route
from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.catalogue.queries import indicators_query
from tracker.cities.models import City, CityPublic, Network, NetworkMembership, NetworkPublic
from tracker.db import get_session, relation

SWAGGER_UI_FILES = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """Serve the OpenAPI document of this API."""
    return jsonify(openapi_document(current_app))


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    """Show the API's documentation: Swagger UI reading the OpenAPI document."""
    return render_template("api/docs.html")


@bp.get("/docs/<path:filename>")
def docs_asset(filename: str) -> ResponseReturnValue:
    """Serve one of the Swagger UI files the docs page uses, from the installed package."""
    if filename not in SWAGGER_UI_FILES:
        abort(404)
    response = current_app.response_class(swagger_ui_file(filename),
                                          mimetype=SWAGGER_UI_FILES[filename])
    response.cache_control.public, response.cache_control.max_age = True, 86400
    response.add_etag()
    return response.make_conditional(request)


@cache
def swagger_ui_file(filename: str) -> bytes:
    """One Swagger UI file of the swagger-ui-py package, read once."""
    return (files("swagger_ui") / "static" / filename).read_bytes()


@bp.get("/sdg/goals")
@api_doc("List the 17 goals", page_of(GoalPublic), errors=(400,), params=PAGE_PARAMS)
def list_goals() -> ResponseReturnValue:
    """List the goals."""
    return paginate(get_session(), select(Goal).order_by(col(Goal.number)))


@bp.get("/sdg/targets")
@api_doc("List the targets", page_of(TargetPublic), errors=(400,),
         params=[*PAGE_PARAMS, query_param("goal", "Goal code, e.g. 11")])
def list_targets() -> ResponseReturnValue:
    """List the targets, optionally of one goal."""
    query = (select(Target).options(joinedload(relation(Target.goal)))
             .order_by(col(Target.sort_key)))
    if goal := request.args.get("goal"):
        query = query.join(Goal).where(col(Goal.code) == goal)
    return paginate(get_session(), query, target_public)


@bp.get("/sdg/indicators")
@api_doc("List the indicators", page_of(IndicatorPublic), errors=(400,), params=[
    *PAGE_PARAMS, query_param("goal", "Goal code, e.g. 11"),
    query_param("target", "Target code, e.g. 11.6"),
    query_param("status", "active or retired", {"type": "string", "enum": ["active", "retired"]})])
def list_indicators() -> ResponseReturnValue:
    """List the indicators, optionally by goal, target or status."""
    status = request.args.get("status")
    if status not in (None, "active", "retired"):
        abort(400, description="status must be active or retired")
    query = indicators_query(goal=request.args.get("goal"), target=request.args.get("target"),
                             status=status)
    return paginate(get_session(), query, indicator_public)


@bp.get("/sdg/indicators/<code>")
@api_doc("One indicator", IndicatorPublic, errors=(404,))
def get_indicator(code: str) -> ApiAnswer:
    """Return one indicator."""
    query = indicators_query().where(col(SdgIndicator.code) == code)
    indicator = get_session().scalars(query).first() or abort(404)
    return indicator_public(indicator)


@bp.get("/networks")
@api_doc("List the networks", page_of(NetworkPublic), errors=(400,), params=PAGE_PARAMS)
def list_networks() -> ResponseReturnValue:
    """List the networks with their number of member cities."""
    session = get_session()
    rows = session.execute(select(col(NetworkMembership.network_id), func.count())
                           .group_by(col(NetworkMembership.network_id)))
    counts: dict[int, int] = dict(rows.all())
    query = select(Network).order_by(col(Network.name))
    return paginate(session, query, lambda n: network_public(n, counts.get(n.id, 0)))


def cities_query() -> Any:
    """Build the ordered query of cities the caller may read, with what city_public needs."""
    return (
        select(City)
        .where(readable_cities_clause(signed_in_user()))
        .options(selectinload(relation(City.memberships))
                 .selectinload(relation(NetworkMembership.network)),
                 selectinload(relation(City.parent)))
        .order_by(func.lower(col(City.name)))
    )


@bp.get("/cities")
@api_doc("List the cities the caller may read", page_of(CityPublic), errors=(400,),
         params=[*PAGE_PARAMS, query_param("network", "Network slug")])
def list_cities() -> ResponseReturnValue:
    """List the cities the caller may read."""
    query = cities_query()
    if network := request.args.get("network"):
        members = (select(col(NetworkMembership.city_id)).join(Network)
                   .where(col(Network.slug) == network))
        query = query.where(col(City.id).in_(members))
    user = signed_in_user()
    return paginate(get_session(), query,
                    lambda city: city_public(city, readable_parent(user, city)))


@bp.get("/cities/<slug>")
@api_doc("One city's public profile", CityPublic, errors=(403, 404))
@city_route("read_public")
def show_city(city: City) -> ApiAnswer:
    """Return one city's public profile."""
    user = signed_in_user()
    return city_public(city, readable_parent(user, city))

