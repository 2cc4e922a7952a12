"""JSON read API, version 1: the SDG catalogue, networks and cities."""

from typing import Any

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from tracker.api.blueprint import bp
from tracker.api.openapi import openapi_document
from tracker.api.pagination import paginate
from tracker.api.serialise import (
    city_json,
    goal_json,
    indicator_json,
    network_json,
    target_json,
)
from tracker.auth.access import (
    readable_cities_clause,
    readable_parent,
    signed_in_user,
)
from tracker.auth.city_scope import city_route
from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.catalogue.queries import indicators_query
from tracker.cities.models import City, Network, NetworkMembership
from tracker.db import get_session


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """Serve the OpenAPI document of this API."""
    return jsonify(openapi_document())


@bp.get("/sdg/goals")
def list_goals() -> ResponseReturnValue:
    """List the goals."""
    query = select(Goal).order_by(Goal.number)
    return jsonify(paginate(get_session(), query, goal_json))


@bp.get("/sdg/targets")
def list_targets() -> ResponseReturnValue:
    """List the targets, optionally of one goal."""
    query = select(Target).options(joinedload(Target.goal)).order_by(Target.sort_key)  # type: ignore[arg-type]
    if goal := request.args.get("goal"):
        query = query.join(Goal).where(Goal.code == goal)
    return jsonify(paginate(get_session(), query, target_json))


@bp.get("/sdg/indicators")
def list_indicators() -> ResponseReturnValue:
    """List the indicators, optionally by goal, target or status."""
    status = request.args.get("status")
    if status not in (None, "active", "retired"):
        abort(400, description="status must be active or retired")
    query = indicators_query(goal=request.args.get("goal"), target=request.args.get("target"),
                             status=status)
    return jsonify(paginate(get_session(), query, indicator_json))


@bp.get("/sdg/indicators/<code>")
def get_indicator(code: str) -> ResponseReturnValue:
    """Return one indicator."""
    query = indicators_query().where(SdgIndicator.code == code)
    indicator = get_session().scalars(query).first() or abort(404)
    return jsonify(indicator_json(indicator))


@bp.get("/networks")
def list_networks() -> ResponseReturnValue:
    """List the networks with their number of member cities."""
    session = get_session()
    rows = session.execute(
        select(NetworkMembership.network_id, func.count()).group_by(NetworkMembership.network_id)
    )
    counts = {network_id: n for network_id, n in rows}
    query = select(Network).order_by(Network.name)
    return jsonify(paginate(session, query, lambda n: network_json(n, counts.get(n.id, 0))))


def cities_query() -> Any:
    """Build the ordered query of cities the caller may read, with what city_json needs."""
    return (
        select(City)
        .where(readable_cities_clause(signed_in_user()))
        .options(selectinload(City.memberships).selectinload(NetworkMembership.network),  # type: ignore[arg-type]
                 selectinload(City.parent))  # type: ignore[arg-type]
        .order_by(func.lower(City.name))
    )


@bp.get("/cities")
def list_cities() -> ResponseReturnValue:
    """List the cities the caller may read."""
    query = cities_query()
    if network := request.args.get("network"):
        members = (select(NetworkMembership.city_id).join(Network)
                   .where(Network.slug == network))
        query = query.where(City.id.in_(members))  # type: ignore[union-attr]
    user = signed_in_user()
    return jsonify(paginate(get_session(), query,
                            lambda city: city_json(city, readable_parent(user, city))))


@bp.get("/cities/<slug>")
@city_route("read_public")
def show_city(city: City) -> ResponseReturnValue:
    """Return one city's public profile."""
    user = signed_in_user()
    return jsonify(city_json(city, readable_parent(user, city)))

