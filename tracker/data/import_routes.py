"""Bulk values: import a city's observations with a dry-run preview, export them (CSV, XLSX)
and export one indicator in the Open SDG data format."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.auth.access import can_edit_city, can_read_city_internals, deny, signed_in_user
from tracker.bulk.formats import MAX_BYTES
from tracker.bulk.forms import CommitForm, UploadForm
from tracker.bulk.report import Action
from tracker.bulk.routes import download
from tracker.bulk.uploads import Owner, discard_upload, load_upload, store_upload
from tracker.cities.models import City
from tracker.data.observation_io import (
    ObservationReport,
    export_observations,
    export_open_sdg,
    import_observations,
)
from tracker.db import get_session
from tracker.indicators.queries import get_city, get_indicator

bp = Blueprint("data_io", __name__)
KIND = "observations"
PREVIEW_ROWS = 200  # the preview lists this many changed rows; the counts cover them all
Page = tuple[str, int]


def load_city(slug: str, *, edit: bool) -> City:
    """Load a city (404) whose values the user may import (`edit`) or export (403)."""
    user = signed_in_user()
    city = get_city(get_session(), slug) or abort(404)
    if not (can_edit_city(user, city) if edit else can_read_city_internals(user, city)):
        deny()
    return city


def owner(city: City) -> Owner:
    """Return who an upload belongs to: this user and city, for values."""
    user = signed_in_user()
    assert user is not None and user.id is not None and city.id is not None
    return Owner(user.id, city.id, KIND)


def run_import(city: City, data: bytes, save: bool) -> ObservationReport:
    """Check (and, when saving, apply) a values file."""
    user = signed_in_user()
    return import_observations(session=get_session(), city=city, data=data,
                               user_id=user.id if user else None, save=save)


def render_import(city: City, form: UploadForm, report: ObservationReport | None = None,
                  token: str = "", filename: str = "") -> Page:
    """Render the import page, with the preview of a checked file; 422 when refused."""
    refused = (report is not None and not report.ok) or bool(form.errors)
    changed = [o for o in report.outcomes if o.action != Action.UNCHANGED] if report else []
    return render_template(
        "data/import.html", city=city, form=form, report=report, filename=filename,
        commit_form=CommitForm(token=token) if token else None, Action=Action,
        changed=changed[:PREVIEW_ROWS], more=max(0, len(changed) - PREVIEW_ROWS),
    ), 422 if refused else 200


@bp.route("/cities/<slug>/data/import", methods=["GET", "POST"])
def import_data(slug: str) -> Any:
    """Upload a values file and preview what importing it would do (nothing is saved)."""
    city = load_city(slug, edit=True)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_import(city, form)
    upload = form.file.data
    data = upload.stream.read(MAX_BYTES + 1)  # never more than one byte over the limit
    filename = upload.filename or ""
    report = run_import(city, data, save=False)
    token = store_upload(data, filename, owner(city)) if report.ok else ""
    return render_import(city, form, report, token, filename)


@bp.post("/cities/<slug>/data/import/commit")
def commit_import(slug: str) -> Any:
    """Save the previewed values file, all or nothing."""
    city = load_city(slug, edit=True)
    form = CommitForm()
    upload = load_upload(form.token.data or "", owner(city)) \
        if form.validate_on_submit() else None
    if upload is None:
        flash(_("That upload has expired or cannot be used here; upload the file again."),
              "error")
        return redirect(url_for("data_io.import_data", slug=city.slug))
    report = run_import(city, upload.data, save=True)
    if not report.ok:
        return render_import(city, UploadForm(), report, filename=upload.filename)
    discard_upload(form.token.data)
    counts = report.summary()
    flash(_("Imported %(file)s: %(created)d created, %(updated)d updated, %(unchanged)d "
            "unchanged.", file=upload.filename, created=counts["create"],
            updated=counts["update"], unchanged=counts["unchanged"]), "success")
    return redirect(url_for("data_io.import_data", slug=city.slug))


@bp.get("/cities/<slug>/data/export.<any(csv, xlsx):fmt>")
def export_data(slug: str, fmt: str) -> Response:
    """Download every current value of the city in the import format."""
    city = load_city(slug, edit=False)
    data = export_observations(session=get_session(), city=city, fmt=fmt)
    return download(data, fmt, f"{city.slug}-values")


@bp.get("/cities/<slug>/indicators/<path:code>/data/open-sdg.csv")
def export_indicator_open_sdg(slug: str, code: str) -> Response:
    """Download one indicator's values as an Open SDG data file."""
    city = load_city(slug, edit=False)
    indicator = get_indicator(get_session(), city, code) or abort(404)
    return download(export_open_sdg(session=get_session(), city=city, indicator=indicator),
                    "csv", f"{city.slug}-{indicator.code.replace('/', '-')}-open-sdg")
