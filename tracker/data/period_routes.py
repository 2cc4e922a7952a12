"""The period form (a DHIS2 "data set"): every indicator a city reports for one fiscal year or
quarter on one page, saved in one POST (each cell in its own savepoint), submitted at once;
and the picker of periods."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session
from werkzeug.wrappers import Response

from tracker.auth.access import can_read_city_internals, deny, signed_in_user
from tracker.auth.models import Role, User
from tracker.cities.models import City
from tracker.data import queries, services
from tracker.data.forms import PeriodCellForm, PeriodForm
from tracker.data.models import WHOLE_YEAR
from tracker.data.routes import entry_helpers
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.indicators.queries import get_city

bp = Blueprint("period", __name__)

PICKER = "/cities/<slug>/data"
YEAR = f"{PICKER}/<int:year>"
QUARTER = f"{YEAR}/q<int:quarter>"
RECENT_YEARS = 5  # the picker lists the current fiscal year and the four before it
WHOLE = {"quarter": WHOLE_YEAR}
Page = tuple[str, int]


@dataclass
class Refusal:
    """A cell the save refused: what was typed, why, and whether it only needs confirming."""

    form: PeriodCellForm
    messages: list[str]
    warning: bool = False
    findings: list[Any] = field(default_factory=list)


bp.context_processor(entry_helpers)


def can_enter(user: User | None, city: City) -> bool:
    """May this user enter the city's values on the period form (its officers, admins)?"""
    if user is None:
        return False
    return user.role == Role.ADMIN or (user.role == Role.OFFICER and user.city_id == city.id)


def load_city(slug: str, *, edit: bool = False) -> City:
    """Load a city (404) whose internals the visitor may read (and enter, when `edit`)."""
    user = signed_in_user()
    city = get_city(get_session(), slug) or abort(404)
    if not can_read_city_internals(user, city) or (edit and not can_enter(user, city)):
        deny()
    return city


def check_period(year: int, quarter: int) -> None:
    """Refuse periods that cannot exist (404)."""
    if not (1950 <= year <= 2100 and 0 <= quarter <= 4):
        abort(404)


def period_url(city: City, year: int, quarter: int, **kwargs: Any) -> str:
    """Return the address of a period form."""
    return url_for("period.show_period", slug=city.slug, year=year, quarter=quarter, **kwargs)


@bp.get(PICKER)
def pick_period(slug: str) -> str:
    """List the recent fiscal years (and their quarters when the city reports any quarterly
    indicator), each a link to its form."""
    city = load_city(slug)
    now = queries.current_fiscal_year(city)
    quarters = [1, 2, 3, 4] if queries.has_quarterly(get_session(), city) else []
    years = [(year, queries.period_name(city, year, WHOLE_YEAR),
              [(q, queries.period_name(city, year, q)) for q in quarters])
             for year in range(now, now - RECENT_YEARS, -1)]
    return render_template("data/period_picker.html", city=city, years=years)


def render_period(city: City, year: int, quarter: int, status: int = 200,
                  refused: dict[str, Refusal] | None = None) -> Page:
    """Render the period form; `refused` keeps the typed values of the refused cells."""
    user = signed_in_user()
    by_goal = request.args.get("group") == "goal"
    sections = queries.load_period(get_session(), city, year, quarter, by_goal)
    refused = refused or {}
    first = next(iter(refused), None)
    return render_template(
        "data/period.html", city=city, year=year, quarter=quarter, sections=sections,
        name=queries.period_name(city, year, quarter), refused=refused, first=first,
        by_goal=by_goal, can_enter=can_enter(user, city), form=PeriodForm()), status


@bp.get(YEAR, defaults=WHOLE)
@bp.get(QUARTER)
def show_period(slug: str, year: int, quarter: int) -> Page:
    """Show every indicator due for the period, with an input per cell for its editors."""
    city = load_city(slug)
    check_period(year, quarter)
    return render_period(city, year, quarter)


def cell_prefix(row: queries.PeriodRow, column: queries.Column) -> str:
    """Return the name prefix of a cell's inputs: unique per indicator and breakdown."""
    return f"c-{row.indicator.id}-{column.index}-"


def cell_label(city: City, year: int, quarter: int, row: queries.PeriodRow,
               column: queries.Column) -> str:
    """Name a cell for messages: "WS-1 · 2023/24 · female"."""
    return (f"{row.indicator.code} · {queries.period_name(city, year, quarter)} · "
            f"{column.label or _('Total')}")


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


def save_one(session: Session, city: City, period: tuple[int, int], row: queries.PeriodRow,
             column: queries.Column, form: PeriodCellForm,
             typed: dict[str, Decimal | None]) -> Refusal | None:
    """Save one changed cell in its own savepoint; return why it was refused, if it was.
    `typed` holds the values typed in the row's other cells: the sum rule checks them
    together, so a total and its parts can change in one save."""
    year, quarter = period
    name = cell_label(city, year, quarter, row, column)
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
                expected_version=form.version(), user_id=signed_in_user().id,  # type: ignore[union-attr]
                others=typed)
    except services.NeedsConfirmation as held:
        return Refusal(form, [f"{name}: {f.message}" for f in held.findings], True,
                       held.findings)
    except services.QualityError as error:
        return Refusal(form, [f"{name}: {f.message}" for f in error.findings])
    except (services.ObservationError, StaleEditError) as error:
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
            refusal = save_one(session, city, period, row, column, form, typed)
            saved += refusal is None
            if refusal is not None:
                refused[cell_prefix(row, column)] = refusal
    return saved, refused


@bp.post(YEAR, defaults=WHOLE)
@bp.post(QUARTER)
def save_period(slug: str, year: int, quarter: int) -> Page | Response:
    """Save every changed cell of the period; refused cells never lose the others."""
    city = load_city(slug, edit=True)
    check_period(year, quarter)
    if not PeriodForm().validate_on_submit():
        flash(_("The form expired; enter your values again."), "error")
        return render_period(city, year, quarter, 422)
    saved, refused = save_all(get_session(), city, (year, quarter))
    if saved:
        flash(ngettext("Saved %(num)d value.", "Saved %(num)d values.", saved), "success")
    if refused:
        # 200 when something was saved: the request commits only below 400.
        return render_period(city, year, quarter, 200 if saved else 422, refused)
    if not saved:
        flash(_("Nothing changed."), "info")
    return redirect(period_url(city, year, quarter))


@bp.post(f"{YEAR}/submit", defaults=WHOLE)
@bp.post(f"{QUARTER}/submit")
def submit_period(slug: str, year: int, quarter: int) -> Page | Response:
    """Submit every draft and returned value of the period for review."""
    city = load_city(slug, edit=True)
    check_period(year, quarter)
    if not PeriodForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return render_period(city, year, quarter, 422)
    session, user = get_session(), signed_in_user()
    cells = queries.list_submittable(session, city, year, quarter)
    for cell in cells:
        services.review_observation(session=session, cell=cell, action="submit",
                                    user_id=user.id if user else None)
    if cells:
        flash(ngettext("Submitted %(num)d value for review.",
                       "Submitted %(num)d values for review.", len(cells)), "success")
    else:
        flash(_("There are no drafts to submit in this period."), "info")
    return redirect(period_url(city, year, quarter))
