"""Download a city's approved values as SDMX-ML or SDMX-CSV: open data for a published city,
internals-only (404 to everyone else) for an unpublished one."""

import io
import tempfile

from flask import Blueprint, request
from werkzeug.wrappers import Response

from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.db import get_session
from tracker.opensdg.export_download import IN_MEMORY, require_export_access, send_export
from tracker.sdmx.export import SdmxError
from tracker.sdmx.writers import export_sdmx

bp = Blueprint("sdmx", __name__)
MEDIA = {"ml": ("application/xml", "xml"), "csv": ("text/csv", "csv")}


@bp.get("/cities/<slug>/sdmx.<any(xml, csv):ext>")
@city_route("read_public", conceal=True)
def download_sdmx(city: City, ext: str) -> Response:
    """Send the city's approved values as an SDMX message (?reporting_type=N for national)."""
    require_export_access(city)
    fmt = "ml" if ext == "xml" else "csv"
    reporting_type = request.args.get("reporting_type", "L")
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (send_export closes it)
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    try:
        report = export_sdmx(get_session(), city, fmt, reporting_type, text)
    except SdmxError as error:
        text.close()
        return Response(str(error), status=422, mimetype="text/plain")
    text.flush()
    text.detach()
    media, suffix = MEDIA[fmt]
    response = send_export(spool, media, f"{city.slug}-sdmx.{suffix}", report.stamp)
    response.headers["X-Values-Left-Out"] = str(sum(report.left_out.values()))
    return response
