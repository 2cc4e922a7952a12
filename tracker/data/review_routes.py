"""The review queue: a city's submitted values, by period or indicator, and their approval in
one go. The page lists each value with the version it shows; the form posts those `id:version`
pairs, so a value changed since the page was drawn refuses the whole approval (409)."""

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlmodel import Session, col
from werkzeug.wrappers import Response

from tracker.auth.city_scope import city_route, current_user_id
from tracker.cities.models import City
from tracker.data.bulk_review import BulkApprovalError, BulkStaleError, Problem, approve_seen
from tracker.data.forms import PeriodForm
from tracker.data.models import Observation, ObservationStatus
from tracker.data.period_names import cell_period
from tracker.data.presenters import entry_helpers
from tracker.db import get_session
from tracker.indicators.models import LocalIndicator
from tracker.input_guard import int_arg
from tracker.pages import render_page

bp = Blueprint("review", __name__)
bp.context_processor(entry_helpers)

QUEUE = "/cities/<slug>/review"
Page = tuple[str, int]


@dataclass(frozen=True)
class Filters:
    """Which submitted values the queue lists: one indicator, one year, one quarter."""

    code: str = ""
    year: int | None = None
    quarter: int | None = None

    def args(self) -> dict[str, Any]:
        """The filters as address arguments (those set)."""
        found = {"indicator": self.code, "year": self.year, "quarter": self.quarter}
        return {name: value for name, value in found.items() if value not in ("", None)}


@dataclass(frozen=True)
class Waiting:
    """A submitted value as the queue shows it."""

    cell: Observation
    code: str
    name: str
    period: str


def read_filters() -> Filters:
    """Read the queue's filters from the address (400 for a malformed number)."""
    return Filters(code=request.args.get("indicator", "")[:100].strip(),
                   year=int_arg("year", None, 1, 9999), quarter=int_arg("quarter", None, 0, 4))


def list_waiting(session: Session, city: City, filters: Filters) -> list[Waiting]:
    """Return the city's submitted values the filters select, by indicator and period."""
    query = (select(Observation, LocalIndicator)
             .join(LocalIndicator, col(LocalIndicator.id) == col(Observation.indicator_id))
             .where(col(LocalIndicator.city_id) == city.id,
                    col(Observation.status) == ObservationStatus.SUBMITTED,
                    col(Observation.is_deleted).is_(False)))
    if filters.code:
        query = query.where(func.lower(LocalIndicator.code) == filters.code.lower())
    if filters.year is not None:
        query = query.where(col(Observation.year) == filters.year)
    if filters.quarter is not None:
        query = query.where(col(Observation.quarter) == filters.quarter)
    query = query.order_by(func.lower(LocalIndicator.code), col(Observation.year),
                           col(Observation.quarter), col(Observation.breakdown_key))
    return [Waiting(cell, ind.code, ind.name, cell_period(city, ind, cell))
            for cell, ind in session.execute(query)]


def render_queue(city: City, filters: Filters, status: int = 200,
                 problems: list[Problem] | None = None) -> Page:
    """Render the queue; `problems` name the values that stopped an approval."""
    waiting = list_waiting(get_session(), city, filters)
    return render_page("data/review.html", status, city=city, filters=filters,
                       waiting=waiting, problems=problems or [], form=PeriodForm())


@bp.get(QUEUE)
@city_route("review")
def show_queue(city: City) -> Page:
    """List the city's submitted values (of one period or indicator when filtered), each
    with a box to approve it."""
    return render_queue(city, read_filters())


def posted_pairs() -> dict[int, int] | None:
    """Read the posted `id:version` pairs; None when one is malformed or given twice."""
    seen: dict[int, int] = {}
    for pair in request.form.getlist("cell"):
        ident, _sep, version = pair.partition(":")
        if not all(t.isascii() and t.isdigit() and 0 < len(t) < 11 for t in (ident, version)):
            return None
        if int(ident) in seen:
            return None
        seen[int(ident)] = int(version)
    return seen


@bp.post(f"{QUEUE}/approve")
@city_route("review")
def approve_selected(city: City) -> Page | Response:
    """Approve the ticked values as the page showed them: all or nothing (409 when one
    changed since, 422 when none is ticked or one is not submitted)."""
    filters = read_filters()
    seen = posted_pairs()
    if not PeriodForm().validate_on_submit() or seen is None:
        flash(_("The form expired or was altered; nothing was approved. Try again."), "error")
        return render_queue(city, filters, 422)
    try:
        cells = approve_seen(session=get_session(), city=city, seen=seen,
                             user_id=current_user_id())
    except BulkStaleError as error:
        flash(str(error), "error")
        return render_queue(city, filters, 409, error.problems)
    except BulkApprovalError as error:
        flash(str(error), "error")
        return render_queue(city, filters, 422, error.problems)
    flash(ngettext("Approved %(num)d value.", "Approved %(num)d values.", len(cells)),
          "success")
    return redirect(url_for("review.show_queue", slug=city.slug, **filters.args()))
