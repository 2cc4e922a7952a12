"""Comparison runs: /compare.pdf as a report run of the background queue.

A comparison shows what its viewer may read, so a run is made for its requester (a visitor's
run as a visitor: published cities only, no drafts) and reused only for the same requester,
selection and data. A visitor's runs are reachable only from the browser session that asked
for them (their ids are kept in the signed session cookie)."""

import hashlib
import json
from urllib.parse import parse_qsl, urlencode

from flask import render_template, session
from sqlmodel import Session, col, select

from tracker.auth.models import Role, User
from tracker.compare import print_context as printed
from tracker.compare.selection import Selection, read_selection
from tracker.compare.services import Comparison, compare
from tracker.reports.models import Progress, ReportKind, ReportRun, RunStatus
from tracker.reports.render import helpers
from tracker.reports.runs import stored_path
from tracker.timeutil import utcnow

VISITOR_RUNS = "comparison_runs"  # the session key of a visitor's comparison runs
VISITOR_RUNS_KEPT = 20


def selection_text(sel: Selection) -> str:
    """Return a selection's URL parameters in a fixed order: the run's `selection`."""
    return urlencode(sorted(sel.args().items()))


def selection_of(run: ReportRun) -> Selection:
    """Return the selection a comparison run was made for."""
    return read_selection(dict(parse_qsl(run.selection)))


def comparison_hash(comparison: Comparison) -> str:
    """Return the hash of what a comparison shows (its cities, matrix, scores and coverage)."""
    shown = {"cities": [[city.slug, city.name] for city in comparison.cities],
             **printed.print_tables(comparison)}
    return hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()


def find_reusable(db: Session, selection: str, user_id: int | None, digest: str
                  ) -> ReportRun | None:
    """Return the newest finished comparison run of this requester, selection and data whose
    file is still there."""
    requester = (col(ReportRun.requested_by_id).is_(None) if user_id is None
                 else col(ReportRun.requested_by_id) == user_id)
    query = (select(ReportRun).where(
        ReportRun.kind == ReportKind.COMPARISON, ReportRun.selection == selection, requester,
        ReportRun.data_hash == digest, ReportRun.status == RunStatus.DONE)
        .order_by(col(ReportRun.id).desc()).limit(5))
    return next((run for run in db.scalars(query) if stored_path(run) is not None), None)


def request_comparison_run(db: Session, user: User | None, sel: Selection
                           ) -> tuple[ReportRun, bool]:
    """Ask for a comparison PDF: a finished run of the same data at once, or a new queued
    run. The flag says whether it must be generated. Flushes only."""
    digest = comparison_hash(compare(db, user, sel))
    text, user_id = selection_text(sel), user.id if user else None
    if (done := find_reusable(db, text, user_id, digest)) is not None:
        return done, False
    run = ReportRun(kind=ReportKind.COMPARISON, year=sel.year or 0, selection=text,
                    data_hash=digest, requested_by_id=user_id, step="queued")
    db.add(run)
    db.flush()
    return run, True


def comparison_parts(db: Session, run: ReportRun, progress: Progress
                     ) -> tuple[list[tuple[str, str]], str]:
    """Build a comparison run's print HTML as its requester may see it; return it as one
    part with the hash of the data it shows."""
    user = db.get(User, run.requested_by_id) if run.requested_by_id else None
    comparison = compare(db, user, selection_of(run))
    progress(25, "render")
    created = utcnow()
    html = render_template("compare/print.html", c=comparison, author=user.email if user else "",
                           created=created.strftime("%Y-%m-%d %H:%M UTC"),
                           p=printed.print_context(comparison), **helpers())
    return [("Comparison", html)], comparison_hash(comparison)


def remember_for_visitor(run: ReportRun) -> None:
    """Let this browser session (a visitor's) open the run."""
    kept = [i for i in session.get(VISITOR_RUNS, []) if i != run.id]
    session[VISITOR_RUNS] = (kept + [run.id])[-VISITOR_RUNS_KEPT:]


def may_see(user: User | None, run: ReportRun) -> bool:
    """May this user (or visitor) open a comparison run: its requester and admins, and for a
    visitor's run the browser session that asked for it."""
    if user is not None and (user.role == Role.ADMIN or run.requested_by_id == user.id):
        return True
    return run.requested_by_id is None and run.id in session.get(VISITOR_RUNS, [])
