"""Bulk values: upload a city's observations (checked, then saved, by an import job), export
them (CSV, XLSX) and export one indicator in the Open SDG data format."""

from typing import Any

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from tracker.auth.city_scope import city_route
from tracker.bulk.downloads import download
from tracker.bulk.forms import UploadForm
from tracker.cities.models import City
from tracker.data.import_job_models import ImportKind
from tracker.data.import_jobs import list_recent_jobs
from tracker.data.import_queue import start_job
from tracker.data.observation_io import export_observations
from tracker.data.open_data import open_sdg_file
from tracker.data.open_routes import send
from tracker.db import get_session
from tracker.indicators.queries import get_indicator

bp = Blueprint("data_io", __name__)
Page = tuple[str, int]


def render_import(city: City, form: UploadForm) -> Page:
    """Render the upload page with the city's latest import jobs; 422 when refused."""
    assert city.id is not None
    jobs = list_recent_jobs(get_session(), city.id, ImportKind.OBSERVATIONS)
    return render_template("data/import.html", city=city, form=form, jobs=jobs), \
        422 if form.errors else 200


@bp.route("/cities/<slug>/data/import", methods=["GET", "POST"])
@city_route("edit")
def import_data(city: City) -> Any:
    """Upload a values file and start checking it (a dry run: nothing is saved)."""
    form = UploadForm()
    data = form.uploaded_bytes()
    if data is None:
        return render_import(city, form)
    return start_job(ImportKind.OBSERVATIONS, city, data, form.file.data.filename or "")


@bp.get("/cities/<slug>/data/export.<any(csv, xlsx):fmt>")
@city_route("read_internals")
def export_data(city: City, fmt: str) -> Response:
    """Download every current value of the city in the import format."""
    data = export_observations(session=get_session(), city=city, fmt=fmt)
    return download(data, fmt, f"{city.slug}-values")


@bp.get("/cities/<slug>/indicators/<path:code>/data/open-sdg.csv")
@city_route("read_public", conceal=True)
def export_indicator_open_sdg(city: City, code: str) -> Response:
    """Download one indicator's approved values as an Open SDG data file (open data: anyone
    may, for a published city)."""
    indicator = get_indicator(get_session(), city, code) or abort(404)
    return send(open_sdg_file(get_session(), city, indicator), "csv", internal=False)
