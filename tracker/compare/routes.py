"""The comparison of cities: the page (a GET form; the selection is the permalink), its CSV
and XLSX exports, and reviewers' notes on a city's indicator.

Anyone may compare: cities the viewer may not read are dropped silently, so a shared link
naming them shows nothing of them. `drafts=1` counts unapproved values only for the cities
whose internals the viewer may see, and such cells are flagged.
"""

import io
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker.auth.access import deny, readable_cities_clause, signed_in_user
from tracker.auth.city_scope import city_route
from tracker.bulk.formats import CSV_TYPE, XLSX_TYPE, fill_sheet, write_csv
from tracker.charts import status_style
from tracker.charts.palette import PALETTE
from tracker.cities.models import City
from tracker.compare import chart_views, exports, views
from tracker.compare.file_names import file_name
from tracker.compare.matrix import EMPTY_LABELS, FLAG_LABELS
from tracker.compare.notes import NoteForm, add_note, can_post_note, list_notes
from tracker.compare.queries import list_choices
from tracker.compare.scoring import CATEGORY_LABELS
from tracker.compare.selection import read_selection
from tracker.compare.services import Comparison, compare
from tracker.db import get_session, saved_id
from tracker.extensions import limiter
from tracker.indicators.models import LocalIndicator
from tracker.indicators.presenters import unit_text
from tracker.indicators.queries import get_indicator
from tracker.memory import gc_paused
from tracker.pages import render_page
from tracker.plans.models import PlanKind
from tracker.progress.presenters import decimal_text
from tracker.reports import comparison
from tracker.reports.worker import check_queue, enqueue_after_request
from tracker.timeutil import utcnow

bp = Blueprint("compare", __name__)
NOTES = "/cities/<slug>/indicators/<path:code>/notes"


@bp.context_processor
def compare_helpers() -> dict[str, Any]:
    """Give the comparison templates their labels and formatting helpers."""
    return {"status_style": status_style, "decimal_text": decimal_text, "unit_text": unit_text,
            "flag_labels": FLAG_LABELS, "empty_labels": EMPTY_LABELS,
            "category_labels": CATEGORY_LABELS, "views": views, "chart_views": chart_views,
            "coverage_text": exports.coverage_text, "not_ranked_text": exports.not_ranked_text,
            "glyphs": {key: style.glyph for key, style in PALETTE.items()}}


def selection_args() -> dict[str, str]:
    """The URL parameters, lists joined: the form's checkboxes repeat `cities`."""
    args = request.args.to_dict()
    for key in ("cities", "indicators"):
        args[key] = ",".join(request.args.getlist(key))
    return args


def current_comparison() -> Comparison:
    """Compare what the URL selects, as the signed-in user (or a visitor) may see it."""
    return compare(get_session(), signed_in_user(), read_selection(selection_args()))


@bp.get("/compare")
def show() -> str:
    """Show the selection form and, once cities are chosen, the comparison."""
    # The page builds hundreds of thousands of small acyclic objects (cells, strings):
    # the cyclic collector's rescans of them would cost more than the work itself.
    with gc_paused():
        comparison = current_comparison()
        cities, networks, goals = list_choices(get_session(), readable_cities_clause(
            signed_in_user()))
        texts = views.page_texts()
        cells = views.PageCells(texts, views.url_pattern("progress.show_indicator"),
                                views.url_pattern("compare.show_notes"))
        return render_template("compare/index.html", c=comparison, sel=comparison.selection,
                               all_cities=cities, networks=networks, goals=goals,
                               plan_kinds=list(PlanKind), t=texts, cells=cells)


def attachment(data: bytes, mimetype: str, comparison: Comparison, extension: str
               ) -> Response:
    """Send an export as a download named after what was compared, and when."""
    name = file_name(comparison.selection, extension, utcnow().date())
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/compare.csv")
def export_csv() -> Response:
    """Export the matrix and the scores as CSV (formula-like cells escaped)."""
    comparison = current_comparison()
    rows = exports.export_rows(comparison) + exports.summary_rows(comparison)
    return attachment(write_csv(exports.EXPORT_HEADER, rows), CSV_TYPE, comparison, "csv")


@bp.get("/compare.xlsx")
def export_xlsx() -> Response:
    """Export the matrix and the scores as a workbook of text cells (never formulas)."""
    from openpyxl import Workbook  # here, not at start-up (~0.2 s CPU)

    comparison = current_comparison()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Matrix"
    fill_sheet(sheet, exports.EXPORT_HEADER, exports.export_rows(comparison))
    fill_sheet(workbook.create_sheet("Scores"), exports.SCORE_HEADER,
               exports.score_rows(comparison))
    out = io.BytesIO()
    workbook.save(out)
    return attachment(out.getvalue(), XLSX_TYPE, comparison, "xlsx")


def load_indicator(city: City, code: str) -> LocalIndicator:
    """Load one of the city's indicators (404)."""
    return get_indicator(get_session(), city, code) or abort(404)


def render_notes(city: City, indicator: LocalIndicator, form: NoteForm, status: int = 200
                 ) -> ResponseReturnValue:
    """Render an indicator's notes with the form (for those who may post)."""
    return render_page("compare/notes.html", status, city=city, indicator=indicator, form=form,
                       notes=list_notes(get_session(), indicator),
                       can_post=can_post_note(signed_in_user(), city))


@bp.get(NOTES)
@city_route("read_internals")
def show_notes(city: City, code: str) -> ResponseReturnValue:
    """List the reviewers' notes on a city's indicator."""
    indicator = load_indicator(city, code)
    return render_notes(city, indicator, NoteForm())


@bp.post(NOTES)
@city_route("read_internals")
def post_note(city: City, code: str) -> ResponseReturnValue:
    """Add a reviewer's note to a city's indicator."""
    indicator = load_indicator(city, code)
    user = signed_in_user()
    if user is None or not can_post_note(user, city):
        deny()
    form = NoteForm()
    if not form.validate_on_submit():
        return render_notes(city, indicator, form, 422)
    add_note(get_session(), indicator, user, form.text.data or "")
    flash(_("Note added."), "success")
    return redirect(url_for("compare.show_notes", slug=city.slug, code=indicator.code))


def anonymous_report_limit() -> str:
    """The rate limit of visitors' report requests (TRACKER_REPORT_ANONYMOUS_RATE_LIMIT)."""
    return str(current_app.config.get("REPORT_ANONYMOUS_RATE_LIMIT", "10 per hour"))


@bp.get("/compare.pdf")
@limiter.limit(anonymous_report_limit, exempt_when=lambda: signed_in_user() is not None)
def export_pdf() -> ResponseReturnValue:
    """Ask for the ranking and the matrix as a PDF: a report run of the background queue
    (reused when the data has not changed), made as this viewer may see the comparison;
    answer the run's status page, which polls and then downloads."""
    check_queue()  # a broker that is down: 503 before anything is recorded
    user = signed_in_user()
    run, created = comparison.request_comparison_run(
        get_session(), user, read_selection(selection_args()))
    if user is None:
        comparison.remember_for_visitor(run)
    if created:
        enqueue_after_request(saved_id(run))
    return redirect(url_for("reports.show_run", run_id=run.id))
