"""Download a city's approved values as a zipped Open SDG data repository: open data for a
published city, internals-only (404 to everyone else) for an unpublished one."""

import tempfile

from flask import Blueprint
from werkzeug.wrappers import Response

from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.db import get_session
from tracker.opensdg.export import export_zip
from tracker.opensdg.export_download import IN_MEMORY, require_export_access, send_export

bp = Blueprint("opensdg_export", __name__)


@bp.get("/cities/<slug>/open-sdg.zip")
@city_route("read_public", conceal=True)
def download_repository(city: City) -> Response:
    """Send the city's approved values as an Open SDG data repository (zip)."""
    require_export_access(city)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (send_export closes it)
    summary = export_zip(get_session(), city, spool)
    return send_export(spool, "application/zip", f"{city.slug}-open-sdg.zip", summary.stamp)
