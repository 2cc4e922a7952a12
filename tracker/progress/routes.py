"""Progress pages: a city's progress, a goal, a plan's tree, an indicator's "why" page, the
network overview and the methodology.

Published cities' progress is public like their profile. `?drafts=1` counts unapproved values
too, for those who may see the city's internals; for anyone else the flag is ignored (the
page then shows approved values only and says so), so shared links never break.
"""

from typing import Any

from flask import Blueprint, abort, render_template, request
from sqlmodel import Session

from tracker.auth.access import (
    can_read_city,
    can_read_city_internals,
    deny,
    signed_in_user,
)
from tracker.auth.models import Role, User
from tracker.charts import status_style
from tracker.cities.models import City, Network
from tracker.cities.queries import get_network, list_network_cities
from tracker.db import get_session
from tracker.indicators.presenters import unit_text
from tracker.plans import queries as plan_queries
from tracker.progress import views
from tracker.progress.result import STATUSES
from tracker.progress.services import (
    INSUFFICIENT,
    CityProgress,
    cities_progress,
    city_progress,
    count_list,
    decimal_text,
)

bp = Blueprint("progress", __name__)
CITY = "/cities/<slug>"


@bp.context_processor
def progress_helpers() -> dict[str, Any]:
    """Give the progress templates their formatting helpers."""
    return {"status_style": status_style, "decimal_text": decimal_text,
            "count_list": count_list, "year_text": views.year_text,
            "number_text": views.number_text, "shown_target": views.shown_target,
            "breakdown_label": views.breakdown_label, "engine_text": views.engine_text,
            "insufficient": INSUFFICIENT, "status_labels": views.status_labels()}


def load_city(slug: str) -> City:
    """Load a city the visitor may read (404 unknown, refused otherwise)."""
    city = plan_queries.get_city(get_session(), slug) or abort(404)
    if not can_read_city(signed_in_user(), city):
        deny()
    return city


def wants_drafts(city: City) -> bool:
    """Count drafts only when asked for and allowed to see the city's internals."""
    return request.args.get("drafts") == "1" and can_read_city_internals(signed_in_user(), city)


def load_progress(slug: str) -> tuple[City, CityProgress, bool]:
    """Load a readable city and its progress (with drafts when asked for and allowed)."""
    city = load_city(slug)
    drafts = wants_drafts(city)
    return city, city_progress(get_session(), city, include_drafts=drafts), drafts


def page_context(city: City, drafts: bool) -> dict[str, Any]:
    """What every city progress page shows about drafts."""
    return {"city": city, "drafts": drafts,
            "can_see_drafts": can_read_city_internals(signed_in_user(), city)}


@bp.get("/progress/methodology")
def methodology() -> str:
    """Explain how statuses and roll-ups are worked out."""
    return render_template("progress/methodology.html")


@bp.get(f"{CITY}/progress")
def show_city(slug: str) -> str:
    """A city's progress: the 17 goals, counts per status, movers and every indicator."""
    city, progress, drafts = load_progress(slug)
    goals = views.load_goals(get_session())
    best, worst = progress.moving(3)
    return render_template("progress/city.html", progress=progress, goals=goals,
                           strip=views.goal_strip(progress, goals, drafts),
                           best=best, worst=worst,
                           rows=views.indicator_rows(progress.items, city.slug,
                                                     city.fiscal_year_start_month, drafts),
                           **page_context(city, drafts))


@bp.get(f"{CITY}/progress/goals/<int:number>")
def show_goal(slug: str, number: int) -> str:
    """One goal in a city: its roll-up, its SDG targets and its indicators."""
    if number not in views.GOALS:
        abort(404)
    city, progress, drafts = load_progress(slug)
    session = get_session()
    items = views.goal_items(progress, number)
    return render_template("progress/goal.html", progress=progress,
                           goal=views.load_goals(session).get(number), number=number,
                           rollup=progress.goals.get(number),
                           targets=views.goal_targets(progress, number),
                           target_titles=views.load_targets(session, number),
                           rows=views.indicator_rows(items, city.slug,
                                                     city.fiscal_year_start_month, drafts),
                           **page_context(city, drafts))


@bp.get(f"{CITY}/plans/<int:plan_id>/progress")
def show_plan(slug: str, plan_id: int) -> str:
    """A plan's element tree with each element's roll-up (its indicators and its children's)."""
    city = load_city(slug)
    session = get_session()
    plan = plan_queries.get_plan(session, city, plan_id) or abort(404)
    drafts = wants_drafts(city)
    progress = city_progress(session, city, include_drafts=drafts)
    tree = plan_queries.get_plan_tree(session, plan)
    return render_template("progress/plan.html", plan=plan, progress=progress,
                           rows=views.element_rows(tree.roots, progress),
                           **page_context(city, drafts))


@bp.get(f"{CITY}/indicators/<path:code>/progress")
def show_indicator(slug: str, code: str) -> str:
    """Why an indicator has its status: the trend chart and every figure behind it."""
    city, progress, drafts = load_progress(slug)
    item = next((i for i in progress.items if i.indicator.code.lower() == code.lower()),
                None) or abort(404)
    fiscal = city.fiscal_year_start_month
    return render_template("progress/indicator.html", item=item, progress=progress,
                           unit=unit_text(item.indicator), chart=views.trend(
                               item, unit_text(item.indicator)),
                           why=views.why_rows(item.total, fiscal) if item.total else [],
                           projected=views.projection(item.total) is not None,
                           breakdowns=sorted(item.results.items()),
                           **page_context(city, drafts))


def can_watch(user: User | None, network: Network) -> bool:
    """The network's secretariat and reviewers, and admins, see its overview."""
    if user is None:
        return False
    return user.role == Role.ADMIN or (
        user.role in (Role.SECRETARIAT, Role.REVIEWER) and user.network_id == network.id)


@bp.get("/networks/<slug>/progress")
def show_network(slug: str) -> str:
    """The network's cities × the 17 goals, each cell a status (symbol and text)."""
    session: Session = get_session()
    network = get_network(session, slug) or abort(404)
    user = signed_in_user()
    if not can_watch(user, network):
        deny()
    cities = list_network_cities(session, network, user)
    drafts = request.args.get("drafts") == "1"  # everyone here may read these cities' drafts
    progresses = cities_progress(session, cities, include_drafts=drafts)
    return render_template("progress/network.html", network=network, drafts=drafts,
                           rows=[(p, views.goal_statuses(p)) for p in progresses],
                           legend=[status_style(s) for s in (*STATUSES, INSUFFICIENT)])
