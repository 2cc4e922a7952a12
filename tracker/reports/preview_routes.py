"""A city's report in the browser: the full report and the one-page summary as HTML (the
same templates the PDF is made from), and the report's tables as CSV or XLSX."""

from flask import Blueprint, Response, abort, request
from flask_babel import gettext as _

from tracker.auth.access import signed_in_user
from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.db import get_session
from tracker.reports.content import city_report_context
from tracker.reports.render import render_city_html, render_summary_html
from tracker.reports.tables import TABLES, report_tables_csv, report_tables_xlsx
from tracker.timeutil import utcnow

bp = Blueprint("report_preview", __name__)
BASE = "/cities/<slug>/reports/<int:year>"


def context_of(city: City, year: int) -> dict:
    """Load the report content of a city's year (only sensible years)."""
    if not 1990 <= year <= utcnow().year + 1:
        abort(404)
    user = signed_in_user()
    return city_report_context(get_session(), city, year,
                               generated_by=user.email if user else "")


@bp.get(f"{BASE}/preview")
@city_route("read_internals")
def preview(city: City, year: int) -> str:
    """Show the full report as HTML: what the PDF will hold."""
    return render_city_html(context_of(city, year))


@bp.get(f"{BASE}/summary")
@city_route("read_internals")
def summary(city: City, year: int) -> str:
    """Show the one-page progress summary as HTML."""
    return render_summary_html(context_of(city, year))


@bp.get(f"{BASE}/tables.<any(csv, xlsx):fmt>")
@city_route("read_internals")
def tables(city: City, year: int, fmt: str) -> Response:
    """Download the report's tables: one table as CSV (`?table=`), or all as a workbook."""
    context = context_of(city, year)
    if fmt == "xlsx":
        data, mimetype = report_tables_xlsx(context), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        table = request.args.get("table", "indicators")
        if table not in TABLES:
            abort(404, _("No such table."))
        data, mimetype = report_tables_csv(context, table), "text/csv"
    name = f"{city.slug}-{year}-report.{fmt}"
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
