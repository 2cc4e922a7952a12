"""Bulk set-up pages: upload a sheet (checked, then saved, by an import job), export, and the
templates."""

from typing import Any

from flask import Blueprint, abort, url_for
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from tracker.auth.city_scope import city_route
from tracker.bulk import services
from tracker.bulk.downloads import download
from tracker.bulk.forms import UploadForm
from tracker.bulk.services import INDICATORS, STRUCTURE
from tracker.cities.models import City
from tracker.data.import_job_models import ImportKind
from tracker.data.import_queue import start_job
from tracker.db import get_session
from tracker.pages import render_page
from tracker.plans.models import Plan

bp = Blueprint("bulk", __name__)
Page = tuple[str, int]


def load_plan(city: City, plan_id: int) -> Plan:
    """Load a plan of this city or answer 404."""
    plan = get_session().get(Plan, plan_id)
    if plan is None or plan.city_id != city.id:
        abort(404)
    return plan


def import_url(kind: str, city: City, plan: Plan | None) -> str:
    """Return the address of an import page."""
    if kind == STRUCTURE:
        assert plan is not None
        return url_for("bulk.import_structure", slug=city.slug, plan_id=plan.id)
    return url_for("bulk.import_indicators", slug=city.slug)


def url_or_none(endpoint: str, **values: Any) -> str | None:
    """Return the address of another domain's page, if that page is registered."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def back_url(kind: str, city: City, plan: Plan | None) -> str | None:
    """Return the page an import belongs to: the plan, or the city's indicator list."""
    if kind == STRUCTURE:
        assert plan is not None
        return url_or_none("plans.show_plan", slug=city.slug, plan_id=plan.id)
    return url_or_none("indicators.list_indicators", slug=city.slug)


def render_import(kind: str, city: City, plan: Plan | None, form: UploadForm) -> Page:
    """Render an import page (its upload form); 422 when the upload was refused."""
    session = get_session()
    return render_page(
        "bulk/import.html", 422 if form.errors else 200, kind=kind, city=city, plan=plan,
        form=form,
        plan_keys=services.city_plan_keys(session, city) if kind == INDICATORS else [],
        plan_key=services.plan_reference(session, plan) if plan else "",
        import_url=import_url(kind, city, plan), back_url=back_url(kind, city, plan))


def preview(kind: str, city: City, plan: Plan | None) -> Page | Response:
    """Show the upload form; on upload, start checking the file in an import job."""
    form = UploadForm()
    data = form.uploaded_bytes()
    if data is None:
        return render_import(kind, city, plan, form)
    return start_job(ImportKind(kind), city, data, form.file.data.filename or "", plan)


@bp.route("/cities/<slug>/plans/<int:plan_id>/import", methods=["GET", "POST"])
@city_route("edit")
def import_structure(city: City, plan_id: int) -> Any:
    """Upload a plan structure file and preview what importing it would do."""
    return preview(STRUCTURE, city, load_plan(city, plan_id))


@bp.route("/cities/<slug>/indicators/import", methods=["GET", "POST"])
@city_route("edit")
def import_indicators(city: City) -> Any:
    """Upload an indicator definitions file and preview what importing it would do."""
    return preview(INDICATORS, city, None)


@bp.get("/cities/<slug>/plans/<int:plan_id>/export.<any(csv, xlsx):fmt>")
@city_route("read_public")
def export_structure(city: City, plan_id: int, fmt: str) -> Response:
    """Download a plan's structure in the import format."""
    plan = load_plan(city, plan_id)
    data = services.export_structure(session=get_session(), plan=plan, fmt=fmt)
    return download(data, fmt, f"{city.slug}-{services.plan_reference(get_session(), plan)}"
                               "-structure")


@bp.get("/cities/<slug>/indicators/export.<any(csv, xlsx):fmt>")
@city_route("read_public")
def export_indicators(city: City, fmt: str) -> Response:
    """Download a city's indicator definitions in the import format."""
    data = services.export_indicators(session=get_session(), city=city, fmt=fmt)
    return download(data, fmt, f"{city.slug}-indicators")


@bp.get("/bulk/templates/<any(structure, indicators):kind>.<any(csv, xlsx):fmt>")
def download_template(kind: str, fmt: str) -> Response:
    """Download an empty sheet with two example rows (and, in XLSX, a Help sheet)."""
    return download(services.template(kind, fmt), fmt, f"{kind}-template")
