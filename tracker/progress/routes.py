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
    can_read_city_internals,
    signed_in_user,
)
from tracker.auth.city_scope import city_route, network_route
from tracker.charts import status_style
from tracker.cities.models import City, Network
from tracker.cities.queries import list_network_cities
from tracker.db import get_session
from tracker.indicators.presenters import unit_text
from tracker.paging import page_number
from tracker.plans import queries as plan_queries
from tracker.progress import rule_views, stored_queries, views
from tracker.progress.presenters import breakdown_label, decimal_text, number_text, year_text
from tracker.progress.result import STATUSES
from tracker.progress.services import (
    INSUFFICIENT,
    CityProgress,
    cities_progress,
    city_progress,
    count_list,
)
from tracker.progress.stored_versions import recompute_after_request

bp = Blueprint("progress", __name__)
CITY = "/cities/<slug>"


@bp.context_processor
def progress_helpers() -> dict[str, Any]:
    """Give the progress templates their formatting helpers."""
    return {"status_style": status_style, "decimal_text": decimal_text,
            "count_list": count_list, "year_text": year_text,
            "number_text": number_text, "shown_target": views.shown_target,
            "breakdown_label": breakdown_label, "engine_text": views.engine_text,
            "insufficient": INSUFFICIENT, "status_labels": views.status_labels(),
            "rule_name": rule_views.rule_name, "rule_summary": rule_views.rule_summary,
            "error_text": rule_views.error_text, "rule_line": rule_views.rule_line}


def wants_drafts(city: City) -> bool:
    """Count drafts only when asked for and allowed to see the city's internals."""
    return request.args.get("drafts") == "1" and can_read_city_internals(signed_in_user(), city)


def load_progress(city: City) -> tuple[CityProgress, bool]:
    """Load a readable city and its progress (with drafts when asked for and allowed)."""
    drafts = wants_drafts(city)
    return city_progress(get_session(), city, include_drafts=drafts), drafts


def page_context(city: City, drafts: bool) -> dict[str, Any]:
    """What every city progress page shows about drafts."""
    return {"city": city, "drafts": drafts,
            "can_see_drafts": can_read_city_internals(signed_in_user(), city)}


@bp.get("/progress/methodology")
def methodology() -> str:
    """Explain how statuses and roll-ups are worked out."""
    return render_template("progress/methodology.html")


@bp.get(f"{CITY}/progress/methodology")
@city_route("read_public")
def city_methodology(city: City) -> str:
    """The methodology, with the rule each of the city's indicators is assessed by."""
    progress, drafts = load_progress(city)
    return render_template("progress/methodology.html", items=progress.items,
                           **page_context(city, drafts))


@bp.get(f"{CITY}/progress")
@city_route("read_public")
def show_city(city: City) -> str:
    """A city's progress: the 17 goals, counts per status, movers and every indicator."""
    progress, drafts = load_progress(city)
    goals = views.load_goals(get_session())
    best, worst = progress.moving(3)
    return render_template("progress/city.html", progress=progress, goals=goals,
                           strip=views.goal_strip(progress, goals, drafts),
                           best=best, worst=worst,
                           rows=views.indicator_rows(progress.items, city.slug,
                                                     city.fiscal_year_start_month, drafts),
                           **page_context(city, drafts))


@bp.get(f"{CITY}/progress/goals/<int:number>")
@city_route("read_public")
def show_goal(city: City, number: int) -> str:
    """One goal in a city: its roll-up, its SDG targets and its indicators."""
    if number not in views.GOALS:
        abort(404)
    progress, drafts = load_progress(city)
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
@city_route("read_public")
def show_plan(city: City, plan_id: int) -> str:
    """A plan's element tree with each element's roll-up (its indicators and its children's)."""
    session = get_session()
    plan = plan_queries.get_plan(session, city, plan_id) or abort(404)
    drafts = wants_drafts(city)
    progress = city_progress(session, city, include_drafts=drafts)
    tree = plan_queries.get_plan_tree(session, plan)
    return render_template("progress/plan.html", plan=plan, progress=progress,
                           rows=views.element_rows(tree.roots, progress),
                           **page_context(city, drafts))


@bp.get(f"{CITY}/indicators/<path:code>/progress")
@city_route("read_public")
def show_indicator(city: City, code: str) -> str:
    """Why an indicator has its status: the trend chart and every figure behind it."""
    progress, drafts = load_progress(city)
    item = next((i for i in progress.items if i.indicator.code.lower() == code.lower()),
                None) or abort(404)
    fiscal = city.fiscal_year_start_month
    return render_template("progress/indicator.html", item=item, progress=progress,
                           unit=unit_text(item.indicator), chart=views.trend(
                               item, unit_text(item.indicator)),
                           why=views.why_rows(item.total, fiscal) if item.total else [],
                           projected=views.projection(item.total) is not None,
                           breakdowns=sorted(item.results.items()),
                           counted=rule_views.series_rows(item),
                           **page_context(city, drafts))


@bp.get("/networks/<slug>/progress")
@network_route("watch_network")
def show_network(network: Network) -> str:
    """The network's cities × the 17 goals, each cell a status (symbol and text), read from
    the stored results (tracker.progress.stored); with drafts, computed for the page shown."""
    session: Session = get_session()
    user = signed_in_user()
    drafts = request.args.get("drafts") == "1"  # everyone here may read these cities' drafts
    fresh = stored_queries.freshness(session, network, user)
    pages = stored_queries.page_of(fresh, page_number())
    if drafts:
        rows, as_of = network_live_rows(session, network, pages.page), None
    else:
        rows, as_of = stored_queries.stored_rows(session, network, user, pages.page)
        recompute_after_request(fresh.stale_ids)
    return render_template("progress/network.html", network=network, drafts=drafts,
                           rows=rows, as_of=as_of, fresh=fresh, pagination=pages,
                           legend=[status_style(s) for s in (*STATUSES, INSUFFICIENT)])


def network_live_rows(session: Session, network: Network, page: int
                      ) -> list[stored_queries.NetworkRow]:
    """A page of the network's cities with progress computed now (drafts counted)."""
    cities = list_network_cities(session, network, signed_in_user())
    size = stored_queries.PAGE_SIZE
    shown = cities[(page - 1) * size:page * size]
    return [stored_queries.live_row(p)
            for p in cities_progress(session, shown, include_drafts=True)]
