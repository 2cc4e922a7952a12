"""The coverage page of a city, and the link helpers its templates share with the city page."""

import re
from typing import Any

from flask import Blueprint, Response, current_app, render_template, url_for

from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.coverage import queries
from tracker.db import get_session
from tracker.plans.models import Plan

bp = Blueprint("coverage", __name__)

# The plan page (another blueprint) is found by its address, whatever its endpoint is called.
PLAN_PAGE = re.compile(r"^/cities/<(?:\w+:)?slug>/plans/<(?:int:)?(\w+)>/?$")


@bp.get("/cities/<slug>/coverage")
@city_route("read_public")
def show_coverage(city: City) -> str:
    """Show which SDGs a city's plans and indicators cover, and where the gaps are."""
    session = get_session()
    return render_template("coverage/show.html", city=city,
                           coverage=queries.get_city_coverage(session, city))


@bp.get("/coverage/coverage.css")
def stylesheet() -> Response:
    """Serve the stylesheet of the coverage views (read whole, so no file stays open)."""
    with bp.open_resource("static/coverage.css", "rb") as handle:
        response = Response(handle.read(), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.app_template_global()
def plan_page_url(city: City, plan: Plan) -> str | None:
    """Return the address of a plan's page, or None while no plan page is registered."""
    for rule in current_app.url_map.iter_rules():
        found = PLAN_PAGE.match(rule.rule)
        if found and "GET" in (rule.methods or ()):
            values: dict[str, Any] = {found.group(1): plan.id}  # url_for takes any values
            return url_for(rule.endpoint, slug=city.slug, **values)
    return None


@bp.app_template_global()
def local_indicator_url(city: City, code: str) -> str | None:
    """Return the address of a local indicator's page, or None while there is none."""
    if "indicators.show_indicator" not in current_app.view_functions:
        return None
    return url_for("indicators.show_indicator", slug=city.slug, code=code)
