"""Report pages: ask for a city's or a network's PDF report, watch its run and download it.

Generation never happens in the request: a request records a run (or finds a finished one
made from the same data) and the background worker produces the PDF. Looking at a run fails
it when its worker died or it passed its time limit; a failed run can be retried. When the
queue's broker is down, the request answers 503 and records nothing."""

import io
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from tracker.auth.access import (
    can_edit_city,
    can_manage_network,
    can_read_city_internals,
    deny,
    signed_in_user,
)
from tracker.auth.city_scope import city_route, current_user_id, network_route
from tracker.cities.models import City, Network
from tracker.data.completeness import list_member_cities
from tracker.db import get_session, saved_id
from tracker.pages import render_page
from tracker.reports import comparison, liveness, runs
from tracker.reports.models import ReportKind, ReportRun, RunStatus
from tracker.reports.routes_forms import NETWORK_CHOICE, CityReportForm, NetworkReportForm
from tracker.reports.worker import (
    QueueUnavailable,
    check_queue,
    enqueue_after_request,
)
from tracker.unit_of_work import expect_write_on_read

bp = Blueprint("reports", __name__)

Page = tuple[str, int]
STEPS = {"queued": _l("Waiting for a worker"), "load": _l("Loading the data"),
         "render": _l("Writing the report"), "pdf": _l("Laying out the pages"),
         "store": _l("Saving the PDF"), "done": _l("Ready"), "failed": _l("Failed"),
         **{reason: _l("Failed") for reason in liveness.REASONS}}


# Pages that show runs fail those whose worker stopped: a read that may write, on purpose.
STALE_RUNS = "a report run whose worker stopped is failed when it is looked at"
# What the run page says of a run, kept up to date by its poll (report-progress.js).
RUN_MESSAGES = {RunStatus.QUEUED: _l("The report is being generated."),
                RunStatus.RUNNING: _l("The report is being generated."),
                RunStatus.DONE: _l("The report is ready."),
                RunStatus.FAILED: _l("The report could not be generated.")}


@bp.app_errorhandler(QueueUnavailable)
def queue_unavailable(_error: QueueUnavailable) -> tuple[Any, int]:
    """Answer 503 with a clear message when the queue's broker cannot be reached."""
    message = _("The report queue is not reachable; try again later.")
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return jsonify(error="Service Unavailable", message=message, status=503), 503
    return render_template("errors/error.html", code=503, message=message), 503


def load_run(run_id: int, *, regenerate: bool = False) -> tuple[ReportRun, runs.Target]:
    """Load a run (404) of a city or network this user may read, or regenerate (403); a
    comparison run only by its requester (see tracker.reports.comparison)."""
    session = get_session()
    run = runs.get_run(session, run_id) or abort(404)
    target = runs.target_of(session, run)
    user = signed_in_user()
    if run.kind == ReportKind.COMPARISON:
        allowed = comparison.may_see(user, run)
    elif run.kind == ReportKind.NETWORK:
        allowed = target.network is not None and can_manage_network(user, target.network)
    else:
        check = can_edit_city if regenerate else can_read_city_internals
        allowed = target.city is not None and check(user, target.city)
    if not allowed:
        deny()
    return run, target


def start(target: runs.Target) -> Response:
    """Ask for a report; queue a new run, or go straight to the stored one."""
    check_queue()  # a broker that is down: 503 before anything is recorded
    run, created = runs.request_run(get_session(), target, current_user_id())
    if created:  # the run page says how it goes (a flash would still say so once it is done)
        enqueue_after_request(saved_id(run))
    else:
        flash(_("The data has not changed since this report was made: here it is."), "success")
    return redirect(url_for("reports.show_run", run_id=run.id))


def mark_stale_runs_failed() -> None:
    """Fail the runs whose worker stopped, so that no dead run is listed as running."""
    expect_write_on_read(STALE_RUNS)
    liveness.fail_stale_runs(get_session())


def render_runs(template_args: dict[str, Any], form: FlaskForm, status: int = 200) -> Page:
    """Render a runs page (a network's or a city's) with its form and its runs."""
    return render_page("reports/runs.html", status, form=form, steps=STEPS, **template_args)


@bp.get("/networks/<slug>/reports")
@network_route("manage_network")
def network_runs(network: Network) -> Page:
    """Show the network's report form and its runs (its own and its cities')."""
    form = NetworkReportForm(formdata=None)
    form.set_cities(list_member_cities(get_session(), network))
    return network_page(network, form)


def network_page(network: Network, form: NetworkReportForm, status: int = 200) -> Page:
    """Render the network's reports page."""
    mark_stale_runs_failed()
    rows = runs.list_runs(get_session(), network=network)
    return render_runs({"network": network, "city": None, "rows": rows,
                        "action": url_for("reports.request_network_run", slug=network.slug)},
                       form, status)


@bp.post("/networks/<slug>/reports")
@network_route("manage_network")
def request_network_run(network: Network) -> Page | Response:
    """Ask for the whole network's report or one member city's report."""
    form = NetworkReportForm()
    cities = {c.slug: c for c in list_member_cities(get_session(), network)}
    form.set_cities(list(cities.values()))
    if not form.validate_on_submit():
        return network_page(network, form, 422)
    if form.subject.data == NETWORK_CHOICE:
        target = runs.Target(ReportKind.NETWORK, form.year.data, network=network,
                             page_size=form.page_size.data)
    else:
        target = runs.Target(ReportKind.CITY, form.year.data, city=cities[form.subject.data],
                             network=network, page_size=form.page_size.data)
    return start(target)


@bp.get("/cities/<slug>/reports")
@city_route("read_internals")
def city_runs(city: City) -> Page:
    """Show the city's reports and, for its editors, the form to ask for one."""
    return city_page(city, CityReportForm(formdata=None))


def city_page(city: City, form: CityReportForm, status: int = 200) -> Page:
    """Render the city's reports page."""
    mark_stale_runs_failed()
    rows = runs.list_runs(get_session(), city=city)
    can_request = can_edit_city(signed_in_user(), city)
    return render_runs({"network": None, "city": city, "rows": rows,
                        "action": url_for("reports.request_city_run", slug=city.slug)
                        if can_request else None}, form, status)


@bp.post("/cities/<slug>/reports")
@city_route("edit")
def request_city_run(city: City) -> Page | Response:
    """Ask for the city's full report or its one-page summary."""
    form = CityReportForm()
    if not form.validate_on_submit():
        return city_page(city, form, 422)
    target = runs.Target(ReportKind(form.kind.data), form.year.data, city=city,
                         page_size=form.page_size.data)
    return start(target)


@bp.get("/reports/runs/<int:run_id>")
def show_run(run_id: int) -> str:
    """Show a run: its parameters, its progress and, once done, the download."""
    run, target = load_run(run_id)
    expect_write_on_read(STALE_RUNS)
    liveness.check_run(get_session(), run)
    return render_template("reports/runs_show.html", run=run, target=target, steps=STEPS,
                           form=FlaskForm(formdata=None), can_regenerate=may_redo(run, target),
                           status_info=status_info(run),
                           selection=comparison.selection_of(run).args()
                           if run.kind == ReportKind.COMPARISON else None)


def may_redo(run: ReportRun, target: runs.Target) -> bool:
    """May this user generate a run again or retry it (who may ask for it)?"""
    user = signed_in_user()
    if run.kind == ReportKind.COMPARISON:
        return comparison.may_see(user, run)
    if run.kind == ReportKind.NETWORK:
        return target.network is not None and can_manage_network(user, target.network)
    return target.city is not None and can_edit_city(user, target.city)


def status_info(run: ReportRun) -> dict[str, Any]:
    """Describe a run's state for the status page and its JSON poll."""
    done, failed = run.status == RunStatus.DONE, run.status == RunStatus.FAILED
    reason = liveness.REASONS.get(run.step)
    return {"id": run.id, "status": str(run.status), "progress": run.progress,
            "step": run.step, "step_label": str(STEPS.get(run.step, run.step)),
            "finished": run.status in (RunStatus.DONE, RunStatus.FAILED),
            "download_url": url_for("reports.download_run", run_id=run.id) if done else None,
            "size": run.size, "reason": run.step if failed and reason else "",
            "error": (str(reason) if reason else run.error) if failed else "",
            "message": str(RUN_MESSAGES[run.status])}


@bp.get("/reports/runs/<int:run_id>/status.json")
def run_status(run_id: int) -> Response:
    """Answer a run's progress in JSON, for the status page's poll."""
    run, _target = load_run(run_id)
    expect_write_on_read(STALE_RUNS)
    response = jsonify(status_info(liveness.check_run(get_session(), run)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/reports/runs/<int:run_id>/download")
def download_run(run_id: int) -> Response:
    """Send a finished run's PDF as an attachment."""
    run, _target = load_run(run_id)
    pdf = runs.open_pdf(run)
    if pdf is None:
        abort(404)
    # From memory: a file handle left open by an unread response would leak.
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=runs.download_name(get_session(), run))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/reports/runs/<int:run_id>/regenerate")
def regenerate_run(run_id: int) -> Response:
    """Generate a run again with the same parameters, even if the data has not changed."""
    run, _target = load_run(run_id, regenerate=True)
    if not FlaskForm().validate_on_submit():
        abort(400)
    check_queue()
    new = runs.regenerate_run(get_session(), run, current_user_id())
    if new.kind == ReportKind.COMPARISON and new.requested_by_id is None:
        comparison.remember_for_visitor(new)
    enqueue_after_request(saved_id(new))
    return redirect(url_for("reports.show_run", run_id=new.id))


@bp.post("/reports/runs/<int:run_id>/retry")
def retry_run(run_id: int) -> Response:
    """Queue a failed run again (its worker died, it ran too long or it raised)."""
    run, target = load_run(run_id)
    if not may_redo(run, target):
        deny()
    if not FlaskForm().validate_on_submit():
        abort(400)
    check_queue()
    if liveness.retry_run(get_session(), run):
        enqueue_after_request(saved_id(run))
    else:
        flash(_("Only a failed report can be retried."), "error")
    return redirect(url_for("reports.show_run", run_id=run.id))
