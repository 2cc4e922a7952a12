"""Download a city's approved values as a zipped Open SDG data repository: open data for a
published city, internals-only (404 to everyone else) for an unpublished one."""

import io
import tempfile
from typing import IO

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


def send_export(spool: IO[bytes], mimetype: str, name: str, stamp: str) -> Response:
    """Send a written export: from memory when small (its spool closed at once), else from
    its temporary file, which closes with the response."""
    size = spool.tell()
    spool.seek(0)
    body = spool
    if size <= IN_MEMORY:
        body = io.BytesIO(spool.read())
        spool.close()
    response = send_file(body, mimetype=mimetype, as_attachment=True, download_name=name,
                         max_age=0)
    if body is spool:
        response.call_on_close(spool.close)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Approved-As-Of"] = stamp
    return response


@bp.get("/cities/<slug>/open-sdg.zip")
@city_route("read_public", conceal=True)
def download_repository(city: City) -> Response:
    """Send the city's approved values as an Open SDG data repository (zip)."""
    require_export_access(city)
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (send_export closes it)
    summary = export_zip(get_session(), city, spool)
    return send_export(spool, "application/zip", f"{city.slug}-open-sdg.zip", summary.stamp)
