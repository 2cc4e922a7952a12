"""Open data downloads: a city's values, or one indicator's, as CSV or XLSX. Anyone may
download a published city's approved values; its insiders get drafts too, marked. An
unpublished city answers 404 to those who may not read it."""

from flask import Blueprint, abort
from werkzeug.wrappers import Response

from tracker.auth.access import can_read_city_internals, signed_in_user
from tracker.auth.city_scope import city_route
from tracker.bulk.downloads import download
from tracker.cities.models import City
from tracker.data.open_data import OpenFile, city_values_file, indicator_values_file
from tracker.db import get_session
from tracker.indicators.queries import get_indicator

bp = Blueprint("open_data", __name__)
FORMAT = "<any(csv, xlsx):fmt>"


def send(file: OpenFile, fmt: str, internal: bool) -> Response:
    """Send a download; approved-only files of a published city may be cached briefly."""
    response = download(file.data, fmt, file.name)
    if file.as_of is not None:
        response.headers["X-Approved-As-Of"] = file.as_of.strftime("%Y-%m-%dT%H:%M:%SZ")
    if not internal:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get(f"/cities/<slug>/data/values.{FORMAT}")
@city_route("read_public", conceal=True)
def city_values(city: City, fmt: str) -> Response:
    """Download every indicator's values of the city (approved only for outsiders)."""
    internal = can_read_city_internals(signed_in_user(), city)
    return send(city_values_file(get_session(), city, fmt, internal), fmt, internal)


@bp.get(f"/cities/<slug>/indicators/<path:code>/data/values.{FORMAT}")
@city_route("read_public", conceal=True)
def indicator_values(city: City, code: str, fmt: str) -> Response:
    """Download one indicator's values (approved only for outsiders)."""
    indicator = get_indicator(get_session(), city, code) or abort(404)
    internal = can_read_city_internals(signed_in_user(), city)
    return send(indicator_values_file(get_session(), city, indicator, fmt, internal), fmt,
                internal)
