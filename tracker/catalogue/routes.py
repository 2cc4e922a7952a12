"""Public catalogue pages: goals → targets → indicators, and goal colours (the catalogue's
search is the site search, tracker.search, which also answers at /sdg/search)."""

from flask import Blueprint, Response, abort, render_template

from tracker.catalogue import queries
from tracker.catalogue.colours import darken_for_text, text_colour_on
from tracker.db import get_session

SURFACE = "#f3f5f7"  # --c-surface in app.css: the darkest background of goal-coloured text

bp = Blueprint("catalogue", __name__, url_prefix="/sdg")


@bp.get("/")
def list_goals() -> str:
    """Show the 17 goals."""
    session = get_session()
    return render_template("catalogue/goals.html", goals=queries.list_goals(session),
                           revision=queries.current_revision(session))


@bp.get("/goals/<code>")
def show_goal(code: str) -> str:
    """Show a goal with its targets and indicators."""
    goal = queries.get_goal_tree(get_session(), code) or abort(404)
    return render_template("catalogue/goal.html", goal=goal)


@bp.get("/targets/<code>")
def show_target(code: str) -> str:
    """Show a target and its indicators."""
    target = queries.get_target(get_session(), code) or abort(404)
    return render_template("catalogue/target.html", target=target, goal=target.goal)


@bp.get("/indicators/<code>")
def show_indicator(code: str) -> str:
    """Show an indicator, where else it is listed, and its earlier titles."""
    session = get_session()
    indicator = queries.get_indicator(session, code) or abort(404)
    return render_template(
        "catalogue/indicator.html", indicator=indicator, target=indicator.target,
        goal=indicator.target.goal, repeats=queries.list_repeats(session, indicator),
        title_changes=queries.list_title_changes(session, indicator),
    )


@bp.get("/goal-colours.css")
def goal_colours() -> Response:
    """Serve CSS classes for each goal's official colour, with readable text on it."""
    rules = []
    for goal in queries.list_goals(get_session()):
        n, bg = goal.number, goal.colour
        rules.append(f".goal-bg-{n}{{background-color:{bg};color:{text_colour_on(bg)}}}")
        rules.append(f".goal-border-{n}{{border-color:{bg}}}")
        # Goal-coloured text sits on white and on the grey surface of striped rows and panels.
        rules.append(f".goal-text-{n}{{color:{darken_for_text(bg, on=SURFACE)}}}")
    response = Response("\n".join(rules) + "\n", mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
