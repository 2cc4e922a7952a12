"""Evidence behind a value: a cell's evidence page, uploading and removing its file, and
serving a kept file only to those who may see the city's internals."""

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response
from wtforms import HiddenField

from tracker import pages
from tracker.auth.access import can_edit_city, signed_in_user
from tracker.auth.city_scope import city_route, current_user_id
from tracker.cities.models import City
from tracker.data import evidence as files
from tracker.data import queries, services
from tracker.data.models import EvidenceFile, Observation
from tracker.data.presenters import column_label
from tracker.data.routes import CELL, cell_name, load_indicator
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.forms import TrackerForm
from tracker.indicators.models import LocalIndicator
from tracker.text_rules import whole_number

bp = Blueprint("evidence", __name__)

EVIDENCE = f"{CELL}/evidence"
Page = tuple[str, int]


class VersionForm(TrackerForm):
    """Remove a cell's file, from the version the page showed."""

    expected_version = HiddenField(_l("Version"))

    def version(self) -> int | None:
        """Return the version the change began from."""
        return whole_number(self.expected_version.data)


class EvidenceForm(VersionForm):
    """Attach a file to a cell (it replaces the file attached before)."""

    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file."))],
                     description=_l("A PDF, an image (PNG, JPEG, GIF, WebP), a CSV file (UTF-8) "
                                    "or an .xlsx workbook without macros."))


def load_cell(city: City, code: str, obs_id: int) -> tuple[LocalIndicator, Observation]:
    """Load one of the city's indicators and one of its cells (404)."""
    indicator = load_indicator(city, code)
    return indicator, queries.get_observation(get_session(), indicator, obs_id) or abort(404)


def render_page(city: City, indicator: LocalIndicator, cell: Observation, status: int = 200,
                errors: list[str] | None = None, form: EvidenceForm | None = None) -> Page:
    """Render a cell's evidence page, with the forms for editors."""
    return pages.render_page(
        "data/evidence.html", status, city=city, indicator=indicator, cell=cell,
        name=cell_name(city, indicator, cell, column_label(indicator, cell)),
        attached=files.get_cell_evidence(get_session(), cell), errors=errors or [],
        form=form or EvidenceForm(formdata=None), remove_form=VersionForm(formdata=None),
        accept=files.ACCEPT, limit_mb=f"{files.max_bytes() / 2**20:g}",
        can_edit=can_edit_city(signed_in_user(), city))


def to_page(city: City, indicator: LocalIndicator, cell: Observation) -> Response:
    """Redirect to a cell's evidence page."""
    return redirect(url_for("evidence.show_evidence", slug=city.slug, code=indicator.code,
                            obs_id=cell.id))


@bp.get(EVIDENCE)
@city_route("read_internals")
def show_evidence(city: City, code: str, obs_id: int) -> Page:
    """Show a cell's evidence (link or file) and, for editors, the upload form."""
    indicator, cell = load_cell(city, code, obs_id)
    return render_page(city, indicator, cell)


@bp.post(EVIDENCE)
@city_route("edit")
def upload_evidence(city: City, code: str, obs_id: int) -> Page | Response:
    """Check and keep an uploaded file, and attach it to the cell (replacing any before)."""
    indicator, cell = load_cell(city, code, obs_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        errors = [str(e) for field in form for e in field.errors]
        return render_page(city, indicator, cell, 422, errors, form)
    try:
        evidence = files.store(get_session(), city, form.file.data, signed_in_user())
    except files.EvidenceTooLarge as error:
        return render_page(city, indicator, cell, 413, [str(error)], form)
    except files.EvidenceError as error:
        return render_page(city, indicator, cell, 422, [str(error)], form)
    return attach(city, indicator, cell, evidence, form)


def attach(city: City, indicator: LocalIndicator, cell: Observation, evidence: EvidenceFile,
           form: EvidenceForm) -> Page | Response:
    """Attach a kept file to the cell; on refusal delete it again (the record rolls back)."""
    try:
        services.attach_evidence(session=get_session(), cell=cell, evidence=evidence,
                                 expected_version=form.version(), user_id=current_user_id())
    except (services.ObservationError, StaleEditError) as error:
        files.discard(evidence)
        status = 409 if isinstance(error, StaleEditError) else 422
        return render_page(city, indicator, cell, status, [str(error)], form)
    flash(_("Attached %(file)s.", file=evidence.original_name), "success")
    return to_page(city, indicator, cell)


@bp.post(f"{EVIDENCE}/remove")
@city_route("edit")
def remove_evidence(city: City, code: str, obs_id: int) -> Page | Response:
    """Detach the cell's file (it stays on record, named in the history)."""
    indicator, cell = load_cell(city, code, obs_id)
    form = VersionForm()
    if not form.validate_on_submit():
        return render_page(city, indicator, cell, 422, [_("Try again.")])
    try:
        services.detach_evidence(session=get_session(), cell=cell,
                                 expected_version=form.version(), user_id=current_user_id())
    except (services.ObservationError, StaleEditError) as error:
        status = 409 if isinstance(error, StaleEditError) else 422
        return render_page(city, indicator, cell, status, [str(error)])
    flash(_("The file was removed from this value."), "success")
    return to_page(city, indicator, cell)


@bp.get("/cities/<slug>/evidence/<int:evidence_id>")
@city_route("read_internals")
def download_evidence(city: City, evidence_id: int) -> Any:
    """Send a kept file to someone who may see the city's internals, never to be run."""
    evidence = files.get_evidence(get_session(), city, evidence_id) or abort(404)
    path = files.file_path(evidence) or abort(404)
    # read whole (at most EVIDENCE_MAX_BYTES): no open file handle outlives the request
    response = send_file(io.BytesIO(path.read_bytes()), mimetype=evidence.media_type,
                         as_attachment=evidence.media_type not in files.INLINE_TYPES,
                         download_name=files.download_name(evidence), etag=evidence.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private"
    return response
