"""The period form (a DHIS2 "data set"): every indicator a city reports for one fiscal year or
quarter on one page, saved in one POST (each cell in its own savepoint), submitted at once;
and the picker of periods."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlmodel import Session
from werkzeug.wrappers import Response

from tracker.auth.access import can_enter_values, required_user, signed_in_user
from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.data import completeness, queries, services
from tracker.data.forms import PeriodCellForm, PeriodForm
from tracker.data.models import WHOLE_YEAR, ObservationStatus
from tracker.data.presenters import entry_helpers
from tracker.db import get_session, saved_id
from tracker.errors import StaleEditError
from tracker.pages import render_page
from tracker.timeutil import utcnow

bp = Blueprint("period", __name__)

PICKER = "/cities/<slug>/data"
YEAR = f"{PICKER}/<int:year>"
QUARTER = f"{YEAR}/q<int:quarter>"
WHOLE = {"quarter": WHOLE_YEAR}
SUBMITTABLE = (ObservationStatus.DRAFT, ObservationStatus.RETURNED)
Page = tuple[str, int]


@dataclass
class Refusal:
    """A cell the save refused: what was typed, why, and whether it only needs confirming."""

    form: PeriodCellForm
    messages: list[str]
    warning: bool = False
    findings: list[Any] = field(default_factory=list)
    stale: bool = False  # someone else saved the cell since the page was drawn


bp.context_processor(entry_helpers)


@bp.context_processor
def date_helpers() -> dict[str, Any]:
    """Give the templates the locale's date format ("Sep 30, 2027")."""
    return {"format_date": format_date}


def check_period(year: int, quarter: int) -> None:
    """Refuse periods that cannot exist (404)."""
    if not (1950 <= year <= 2100 and 0 <= quarter <= 4):
        abort(404)


def period_url(city: City, year: int, quarter: int, **kwargs: Any) -> str:
    """Return the address of a period form."""
    return url_for("period.show_period", slug=city.slug, year=year, quarter=quarter, **kwargs)


@bp.get(PICKER)
@city_route("read_internals")
def pick_period(city: City) -> str:
    """List the recent fiscal years (and their quarters when the city reports any quarterly
    indicator) and every period with a window, each with its status, due date and counts,
    the most urgent one first."""
    periods = completeness.picker_periods(get_session(), city, utcnow().date())
    urgent = sorted((p for p in periods if p.window is not None), key=completeness.urgency)
    return render_template("data/period_picker.html", city=city, periods=periods,
                           urgent=urgent[0] if urgent else None)


def opening_notice(standing: completeness.Completeness) -> str | None:
    """Say when the period's window opens, if it is not open yet (the form is read-only)."""
    if standing.window is None or standing.status != completeness.PeriodStatus.NOT_OPEN:
        return None
    notice: str = _("This window opens on %(day)s.", day=format_date(standing.window.opens_on))
    return notice


def render_period(city: City, year: int, quarter: int, status: int = 200,
                  refused: dict[str, Refusal] | None = None, changed: list[str] | None = None,
                  keep: bool = False) -> Page:
    """Render the period form; `refused` keeps the typed values of the refused cells,
    `changed` names the values not submitted because they changed since the page was drawn,
    and `keep` lets what the request did save commit with a refused page. Before the
    period's window opens the form is read-only and says when it opens."""
    user = signed_in_user()
    by_goal = request.args.get("group") == "goal"
    session = get_session()
    sections = queries.load_period(session, city, year, quarter, by_goal)
    standing = completeness.load_city(session, city, year, quarter, utcnow().date())
    opens = opening_notice(standing)
    refused = refused or {}
    first = next(iter(refused), None)
    return render_page(
        "data/period.html", status, keep=keep, city=city, year=year, quarter=quarter,
        sections=sections, name=queries.period_name(city, year, quarter), refused=refused,
        first=first, changed=changed or [], by_goal=by_goal, form=PeriodForm(),
        can_enter=can_enter_values(user, city) and opens is None, opens=opens,
        standing=standing)


@bp.get(YEAR, defaults=WHOLE)
@bp.get(QUARTER)
@city_route("read_internals")
def show_period(city: City, year: int, quarter: int) -> Page:
    """Show every indicator due for the period, with an input per cell for its editors."""
    check_period(year, quarter)
    return render_period(city, year, quarter)


def cell_prefix(row: queries.PeriodRow, column: queries.Column) -> str:
    """Return the name prefix of a cell's inputs: unique per indicator and breakdown."""
    return f"c-{row.indicator.id}-{column.index}-"


def cell_label(row: queries.PeriodRow, column: queries.Column) -> str:
    """Name a cell for messages: "WS-1 · 2023/24 · female" (the period as its indicator
    names it)."""
    return f"{row.indicator.code} · {row.period} · {column.label or _('Total')}"


def changed_form(row: queries.PeriodRow, column: queries.Column) -> PeriodCellForm | None:
    """Return the cell's form when it was posted and changes the cell, else None."""
    prefix = cell_prefix(row, column)
    if f"{prefix}value" not in request.form:
        return None  # not on the page the officer saw
    form = PeriodCellForm(request.form, prefix=prefix)
    if not form.validate():
        return form
    typed, cell = form.typed(), row.cells.get(column.key)
    if typed is None:
        return form if cell is not None and cell.value is not None else None
    return None if cell is not None and cell.value == typed else form


def save_one(session: Session, period: tuple[int, int], row: queries.PeriodRow,
             column: queries.Column, form: PeriodCellForm,
             typed: dict[str, Decimal | None]) -> Refusal | None:
    """Save one changed cell in its own savepoint; return why it was refused, if it was.
    `typed` holds the values typed in the row's other cells: the sum rule checks them
    together, so a total and its parts can change in one save."""
    year, quarter = period
    name = cell_label(row, column)
    if not form.validate():
        return Refusal(form, [f"{name}: {e}" for errors in form.errors.values() for e in errors])
    if form.typed() is None:
        return Refusal(form, [f"{name}: " + _("To remove a value, delete it on the "
                                              "indicator's grid.")])
    cell = row.cells.get(column.key)
    try:
        with session.begin_nested():
            services.save_observation(
                session=session, indicator=row.indicator,
                entry=form.entry(year, quarter, column.breakdown, cell),
                expected_version=form.version(), user_id=required_user().id,
                others=typed)
    except services.NeedsConfirmation as held:
        return Refusal(form, [f"{name}: {f.message}" for f in held.findings], True,
                       held.findings)
    except services.QualityError as error:
        return Refusal(form, [f"{name}: {f.message}" for f in error.findings])
    except StaleEditError as error:
        return Refusal(form, [f"{name}: {error}"], stale=True)
    except services.ObservationError as error:
        return Refusal(form, [f"{name}: {error}"])
    return None


def save_all(session: Session, city: City, period: tuple[int, int]
             ) -> tuple[int, dict[str, Refusal]]:
    """Save every changed cell; return how many were saved and the refused ones."""
    sections = queries.load_period(session, city, *period)
    saved, refused = 0, {}
    for row in (row for section in sections for row in section.rows):
        changed = [(column, form) for column in row.columns
                   if (form := changed_form(row, column)) is not None]
        typed = {column.key: form.typed() for column, form in changed if form.validate()}
        for column, form in changed:
            refusal = save_one(session, period, row, column, form, typed)
            saved += refusal is None
            if refusal is not None:
                refused[cell_prefix(row, column)] = refusal
    return saved, refused


@bp.post(YEAR, defaults=WHOLE)
@bp.post(QUARTER)
@city_route("enter")
def save_period(city: City, year: int, quarter: int) -> Page | Response:
    """Save every changed cell of the period; refused cells never lose the others."""
    check_period(year, quarter)
    if not PeriodForm().validate_on_submit():
        flash(_("The form expired; enter your values again."), "error")
        return render_period(city, year, quarter, 422)
    saved, refused = save_all(get_session(), city, (year, quarter))
    if saved:
        flash(ngettext("Saved %(num)d value.", "Saved %(num)d values.", saved), "success")
    if refused:
        # The accepted cells were saved in their own savepoints: they stay (keep).
        status = 409 if all(refusal.stale for refusal in refused.values()) else 422
        return render_period(city, year, quarter, status, refused, keep=True)
    if not saved:
        flash(_("Nothing changed."), "info")
    return redirect(period_url(city, year, quarter))


def shown_versions() -> dict[int, int]:
    """Read the versions of the values the page showed (its `version-<id>` fields)."""
    versions = {}
    for name, raw in request.form.items():
        ident = name.removeprefix("version-")
        if ident != name and all(t.isascii() and t.isdigit() and len(t) < 11
                                 for t in (ident, raw)):
            versions[int(ident)] = int(raw)
    return versions


def submit_shown(session: Session, city: City, period: tuple[int, int],
                 versions: dict[int, int]) -> tuple[int, list[str]]:
    """Submit the period's drafts and returned values as the page showed them; return how
    many were submitted and name those that changed since (or were not on the page)."""
    submitted, changed = 0, []
    for row in (row for section in queries.load_period(session, city, *period)
                for row in section.rows):
        for column in row.columns:
            cell = row.cells.get(column.key)
            if cell is None or cell.status not in SUBMITTABLE:
                continue
            try:
                services.review_observation(session=session, cell=cell, action="submit",
                                            expected_version=versions.get(saved_id(cell), 0),
                                            user_id=required_user().id)
                submitted += 1
            except StaleEditError as error:
                changed.append(f"{cell_label(row, column)}: {error}")
    return submitted, changed


@bp.post(f"{YEAR}/submit", defaults=WHOLE)
@bp.post(f"{QUARTER}/submit")
@city_route("enter")
def submit_period(city: City, year: int, quarter: int) -> Page | Response:
    """Submit every draft and returned value of the period for review, as the page showed
    them: values changed since are not submitted, and are listed (409)."""
    check_period(year, quarter)
    if not PeriodForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return render_period(city, year, quarter, 422)
    submitted, changed = submit_shown(get_session(), city, (year, quarter), shown_versions())
    if submitted:
        flash(ngettext("Submitted %(num)d value for review.",
                       "Submitted %(num)d values for review.", submitted), "success")
    if changed:  # those submitted stay submitted (keep)
        return render_period(city, year, quarter, 409, changed=changed, keep=True)
    if not submitted:
        flash(_("There are no drafts to submit in this period."), "info")
    return redirect(period_url(city, year, quarter))
