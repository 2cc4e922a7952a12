"""The follow-up list: a city's values flagged for a second look, and clearing a flag."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.auth.access import can_edit_city, signed_in_user
from tracker.auth.city_scope import city_route, current_user_id
from tracker.cities.models import City
from tracker.data import followup
from tracker.data.forms import ReviewForm
from tracker.data.period_names import cell_period
from tracker.db import get_session

bp = Blueprint("followup", __name__)


@bp.get("/cities/<slug>/follow-up")
@city_route("read_internals")
def list_flagged(city: City) -> str:
    """List the city's values flagged for follow-up."""
    user = signed_in_user()
    rows = followup.list_flagged(get_session(), city)
    return render_template("data/follow_up.html", city=city, rows=rows, form=ReviewForm(),
                           cell_period=cell_period,
                           can_clear=can_edit_city(user, city))


@bp.post("/cities/<slug>/follow-up/<int:obs_id>/clear")
@city_route("edit")
def clear(city: City, obs_id: int) -> Response:
    """Clear one value's follow-up flag (the city's editors and reviewing secretariats)."""
    cell = followup.get_flagged(get_session(), city, obs_id) or abort(404)
    form = ReviewForm()
    if not form.validate_on_submit() or not cell.follow_up:
        abort(400)
    followup.clear_follow_up(session=get_session(), cell=cell, user_id=current_user_id(),
                             note=form.reason.data or "")
    flash(_("The follow-up flag is cleared."), "success")
    return redirect(url_for("followup.list_flagged", slug=city.slug))
