"""Download a city's approved values as a zipped Open SDG data repository: open data for a
published city, internals-only (404 to everyone else) for an unpublished one."""

import tempfile

from flask import Blueprint, abort, send_file
from werkzeug.wrappers import Response

from tracker.auth.access import can_read_city_internals, signed_in_user
from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.db import get_session
from tracker.opensdg.export import export_zip

bp = Blueprint("opensdg_export", __name__)
IN_MEMORY = 8 * 1024 * 1024  # a bigger archive spills to a temporary file


def require_export_access(city: City) -> None:
    """An unpublished city's export is for those who may read its internals; to anyone
    else the address does not exist."""
    if not city.is_published and not can_read_city_internals(signed_in_user(), city):
        abort(404)


@bp.get("/cities/<slug>/open-sdg.zip")
@city_route("read_public", conceal=True)
def download_repository(city: City) -> Response:
    """Send the city's approved values as an Open SDG data repository (zip)."""
    require_export_access(city)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (send_file closes it)
    summary = export_zip(get_session(), city, spool)
    spool.seek(0)
    response = send_file(spool, mimetype="application/zip", as_attachment=True,
                         download_name=f"{city.slug}-open-sdg.zip", max_age=0)
    response.call_on_close(spool.close)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Approved-As-Of"] = summary.stamp
    return response
