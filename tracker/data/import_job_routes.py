"""Import job pages: a check's (or a save's) progress, its report, the save button and the
download of every problem. Only those who may change the city see or act on its jobs."""

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker.auth.access import signed_in_user
from tracker.auth.city_scope import city_route
from tracker.bulk.formats import CSV_TYPE
from tracker.bulk.report import Action, RowError, RowOutcome
from tracker.cities.models import City
from tracker.data import import_jobs
from tracker.data.import_job_models import ImportJob, ImportKind, JobStatus
from tracker.data.import_queue import start_after_request
from tracker.db import get_session
from tracker.unit_of_work import expect_write_on_read

bp = Blueprint("import_jobs", __name__)

STEPS = {"": _l("Waiting for a worker"), "read": _l("Reading the file"),
         "check": _l("Checking every row"), "report": _l("Preparing the report"),
         "save": _l("Saving"), "done": _l("Finished"), "failed": _l("Failed")}


def load_job(city: City, job_id: int) -> ImportJob:
    """Load one of the city's import jobs (404)."""
    session = get_session()
    job = session.get(ImportJob, job_id)
    if job is None or job.city_id != city.id:
        abort(404)
    # A read that may write: the job's pages fail a job left waiting past its time limit.
    expect_write_on_read("an import job past its time limit is failed")
    return import_jobs.fail_if_stale(session, job)


def import_url(city: City, job: ImportJob) -> str:
    """Return the upload page of the job's kind of sheet."""
    if job.kind == ImportKind.STRUCTURE:
        return url_for("bulk.import_structure", slug=city.slug, plan_id=job.plan_id)
    if job.kind == ImportKind.INDICATORS:
        return url_for("bulk.import_indicators", slug=city.slug)
    if job.kind in (ImportKind.OPENSDG, ImportKind.OPENSDG_APPROVE):
        return url_for("opensdg.upload", slug=city.slug)
    return url_for("data_io.import_data", slug=city.slug)


def status_info(city: City, job: ImportJob) -> dict[str, Any]:
    """Describe a job's state for its page and its JSON poll."""
    return {"id": job.id, "status": str(job.status), "progress": job.progress,
            "step": job.step, "step_label": str(STEPS.get(job.step, job.step)),
            "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
            "error": job.error if job.status == JobStatus.FAILED else "",
            "page_url": url_for("import_jobs.show_job", slug=city.slug, job_id=job.id)}


def results_of(job: ImportJob) -> dict[str, Any] | None:
    """Return the first problems and changed rows of a finished job, as report objects."""
    results = import_jobs.read_results(job) if job.status == JobStatus.DONE else None
    if results is None:
        return None
    return {"errors": [RowError(*e) for e in results["errors"]],
            "warnings": [RowError(*w) for w in results["warnings"]],
            "changed": [RowOutcome(r, code, label, Action(action), changes)
                        for r, code, label, action, changes in results["changed"]]}


@bp.get("/cities/<slug>/import-jobs/<int:job_id>")
@city_route("edit")
def show_job(city: City, job_id: int) -> str:
    """Show a job's progress and, once it ran, its report (and the save button)."""
    job = load_job(city, job_id)
    session = get_session()
    source = session.get(ImportJob, job.source_job_id) if job.source_job_id else None
    return render_template(
        "data/import_job.html", city=city, job=job, source=source, Action=Action,
        info=status_info(city, job), results=results_of(job), limit=import_jobs.PAGE_LIMIT,
        commit=import_jobs.find_commit(session, job) if job.is_dry_run else None,
        can_commit=import_jobs.can_commit(session, job), form=FlaskForm(),
        import_url=import_url(city, job))


@bp.get("/cities/<slug>/import-jobs/<int:job_id>/status.json")
@city_route("edit")
def job_status(city: City, job_id: int) -> Response:
    """Answer a job's progress in JSON, for its page's poll."""
    job = load_job(city, job_id)
    response = jsonify(status_info(city, job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/cities/<slug>/import-jobs/<int:job_id>/commit")
@city_route("edit")
def commit_job(city: City, job_id: int) -> Response:
    """Save the file a clean dry run checked, in a job that checks everything again."""
    job = load_job(city, job_id)
    session = get_session()
    if not FlaskForm().validate_on_submit() or not import_jobs.can_commit(session, job):
        flash(_("That check cannot be saved (it found problems, was saved already or its "
                "file has expired); upload the file again."), "error")
        return redirect(url_for("import_jobs.show_job", slug=city.slug, job_id=job.id))
    user = signed_in_user()
    commit = import_jobs.create_commit(session=session, source=job,
                                       user_id=user.id if user else None)
    start_after_request(commit)
    return redirect(url_for("import_jobs.show_job", slug=city.slug, job_id=commit.id))


@bp.get("/cities/<slug>/import-jobs/<int:job_id>/<any(errors, warnings):which>.csv")
@city_route("edit")
def download_problems(city: City, job_id: int, which: str) -> Response:
    """Download every problem (or warning) of a job as CSV: row, column, message."""
    job = load_job(city, job_id)
    problems = import_jobs.read_problems(job, which) if job.status == JobStatus.DONE else None
    if problems is None:
        abort(404)
    name = f"{city.slug}-import-{job.id}-{which}.csv"
    response = Response(import_jobs.problems_csv(problems), mimetype=CSV_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
