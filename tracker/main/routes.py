"""The home page and health check."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from tracker.auth.access import signed_in_user
from tracker.catalogue.queries import list_goals
from tracker.cities.queries import list_cities
from tracker.db import get_session
from tracker.health import health_response

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    """Show what the tracker is, the 17 goals and the cities the visitor may read."""
    session = get_session()
    return render_template("main/home.html", goals=list_goals(session),
                           cities=list_cities(session, signed_in_user()))


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Answer in JSON whether the app can reach its database (503 when it cannot)."""
    return health_response()
