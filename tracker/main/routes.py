"""The public home page, each signed-in user's own home, and the health check."""

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from tracker.auth.access import required_user, signed_in_user
from tracker.auth.models import Role
from tracker.catalogue.queries import list_goals
from tracker.cities.queries import search_cities
from tracker.db import get_session
from tracker.health import health_response
from tracker.main.queries import load_home
from tracker.paging import page_of
from tracker.timeutil import utcnow

bp = Blueprint("main", __name__)
HOME_CITIES = 12  # a first row of cities; the search and the paged list hold the rest


@bp.get("/")
def home() -> str:
    """Show what the tracker is, the 17 goals, the first cities the visitor may read (by
    name) and a search of them all."""
    session = get_session()
    cities = page_of(session, search_cities(signed_in_user()), 1, HOME_CITIES)
    return render_template("main/home.html", goals=list_goals(session), cities=cities.items,
                           city_total=cities.total)


@bp.get("/home")
@login_required
def my_home() -> ResponseReturnValue:
    """Land a signed-in user where their work is: an officer on their city's tasks, a
    secretariat on its network's completeness desk, a reviewer on its network, an admin on
    the overview of users, cities and networks."""
    user = required_user()
    if user.role == Role.ADMIN:
        return render_template("main/admin_home.html")
    if user.network is not None and user.role == Role.SECRETARIAT:
        return redirect(url_for("completeness.show_network", slug=user.network.slug))
    if user.network is not None and user.role == Role.REVIEWER:
        return redirect(url_for("cities.show_network", slug=user.network.slug))
    if user.role == Role.OFFICER and user.city is not None:
        home = load_home(get_session(), user.city, utcnow().date())
        return render_template("main/officer_home.html", home=home, city=user.city)
    return render_template("main/officer_home.html", home=None, city=None)


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Answer in JSON whether the app can reach its database (503 when it cannot)."""
    return health_response()
