"""Sending a city's exports (Open SDG zip, SDMX): who may download them and how a written
export goes out, shared by the Open SDG and SDMX download routes."""

import io
from typing import IO

from flask import abort, send_file
from werkzeug.wrappers import Response

from tracker.auth.access import can_read_city_internals, signed_in_user
from tracker.cities.models import City

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
