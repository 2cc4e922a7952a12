"""Web import of a zipped Open SDG repository: upload (a dry run job), then "Import" or, for
a secretariat of the city's network or an admin, "Import and approve"."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker.auth.access import can_review, signed_in_user
from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.data import import_jobs
from tracker.data.import_job_models import ImportJob, ImportKind
from tracker.data.import_queue import start_after_request, start_job
from tracker.db import get_session
from tracker.opensdg.forms import RepositoryUploadForm
from tracker.opensdg.jobs import KINDS, read_counts

bp = Blueprint("opensdg", __name__)


@bp.app_template_global()
def opensdg_job(city: City, job: ImportJob) -> dict[str, Any] | None:
    """Return what an Open SDG job's page adds: counts per indicator, may approve."""
    if job.kind not in KINDS:
        return None
    return {"counts": read_counts(job), "may_approve": can_review(signed_in_user(), city)}


@bp.route("/cities/<slug>/data/import/opensdg", methods=["GET", "POST"])
@city_route("edit")
def upload(city: City) -> Any:
    """Upload a zipped repository and start checking it (a dry run: nothing is saved)."""
    form = RepositoryUploadForm()
    data = form.uploaded_bytes()
    if data is None:
        assert city.id is not None
        jobs = import_jobs.list_recent_jobs(get_session(), city.id, ImportKind.OPENSDG)
        return render_template("opensdg/import.html", city=city, form=form, jobs=jobs), \
            422 if form.errors else 200
    return start_job(ImportKind.OPENSDG, city, data, form.file.data.filename or "")


@bp.post("/cities/<slug>/import-jobs/<int:job_id>/approve")
@city_route("review")
def approve(city: City, job_id: int) -> Response:
    """Import the repository a clean dry run checked, its values approved (a trusted
    import, recorded as such in each value's history)."""
    session = get_session()
    job = session.get(ImportJob, job_id)
    if job is None or job.city_id != city.id:
        abort(404)
    if job.kind != ImportKind.OPENSDG or not FlaskForm().validate_on_submit() or \
            not import_jobs.can_commit(session, job):
        flash(_("That check cannot be imported (it found problems, was imported already or "
                "its file has expired); upload the repository again."), "error")
        return redirect(url_for("import_jobs.show_job", slug=city.slug, job_id=job.id))
    user = signed_in_user()
    commit = import_jobs.create_commit(session=session, source=job,
                                       user_id=user.id if user else None)
    commit.kind = ImportKind.OPENSDG_APPROVE
    session.add(commit)
    start_after_request(commit)
    return redirect(url_for("import_jobs.show_job", slug=city.slug, job_id=commit.id))
