"""The indicator grid: periods × breakdowns, one small form per cell, the review actions and
each cell's history."""


from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.auth.access import (
    can_edit_city,
    can_review,
    signed_in_user,
)
from tracker.auth.city_scope import city_route, current_user_id, edit_or_review
from tracker.cities.models import City
from tracker.data import queries, services
from tracker.data.forms import (
    CellForm,
    DeleteForm,
    ReviewActionForm,
    version_of,
)
from tracker.data.models import Observation
from tracker.data.period_labels import PeriodRef
from tracker.data.period_names import cell_period, entered_ref, ref_period
from tracker.data.presenters import column_label, entry_helpers
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.indicators.models import Frequency, LocalIndicator
from tracker.indicators.queries import get_indicator
from tracker.pages import render_page

bp = Blueprint("data", __name__)

GRID = "/cities/<slug>/indicators/<path:code>/data"
CELL = f"{GRID}/cell/<int:obs_id>"
Page = tuple[str, int]


bp.context_processor(entry_helpers)


def load_indicator(city: City, code: str) -> LocalIndicator:
    """Load one of the city's indicators (404)."""
    return get_indicator(get_session(), city, code) or abort(404)


def to_grid(city: City, indicator: LocalIndicator, anchor: str | None = None) -> Response:
    """Redirect to the grid, at a cell when given."""
    return redirect(url_for("data.show_grid", slug=city.slug, code=indicator.code,
                            _anchor=anchor))


def cell_name(city: City, indicator: LocalIndicator, cell: Observation | CellForm,
              label: str) -> str:
    """Name a stored cell (or one being entered) for messages: "2023/24 · female",
    "2024 Q2 · Total", "2017-2019 · Total"."""
    if isinstance(cell, Observation):
        period = cell_period(city, indicator, cell)
    else:
        period = ref_period(city, indicator, form_ref(cell))
    return f"{period} · {label or _('Total')}"


def form_ref(form: CellForm) -> PeriodRef:
    """The period a cell form names (its row's label when that label is one of it)."""
    year, quarter, span = form.period()
    try:
        return entered_ref(year, quarter, span, form.period_label.data or "")
    except ValueError:
        return entered_ref(year, quarter, span)


def cell_anchor(form: CellForm, column: queries.Column) -> str:
    """The id of a grid cell, as templates/data/_cell.html draws it."""
    year, quarter, span = form.period()
    return f"cell-{year}-{quarter}-{f'{span}y-' if span > 1 else ''}{column.index}"


def render_grid(city: City, indicator: LocalIndicator, status: int = 200,
                errors: list[str] | None = None, failed: CellForm | None = None,
                warnings: list[str] | None = None) -> Page:
    """Render the grid; `errors` name the refused cell, `failed` keeps what was typed, and
    `warnings` (a value held back until confirmed) add the fields to confirm it."""
    user = signed_in_user()
    grid = queries.load_grid(get_session(), city, indicator)
    return render_page("data/grid.html", status, city=city, grid=grid, errors=errors or [],
                       warnings=warnings or [], failed=failed,
                       can_edit=can_edit_city(user, city), can_review=can_review(user, city))


@bp.get(GRID)
@city_route("read_internals")
def show_grid(city: City, code: str) -> Page:
    """Show an indicator's values: periods × breakdowns, with a form per cell for editors."""
    indicator = load_indicator(city, code)
    return render_grid(city, indicator)


def cell_errors(city: City, indicator: LocalIndicator, form: CellForm,
                column: queries.Column | None) -> list[str]:
    """Check a cell form; return its errors, each naming the cell."""
    form.validate_on_submit()
    errors = [f"{field.label.text}: {error}" for field in form for error in field.errors]
    _year, quarter, _span = form.period()
    if column is None:
        errors.append(_("%(code)s has no such breakdown.", code=indicator.code))
    if indicator.frequency == Frequency.QUARTERLY and not quarter:
        errors.append(_("%(code)s is quarterly: choose a quarter.", code=indicator.code))
    if form.year.errors or form.span_years.errors:
        return errors
    name = cell_name(city, indicator, form, column.label if column else "?")
    return [f"{name}: {error}" for error in errors]


@bp.post(f"{GRID}/cell")
@city_route("edit")
def save_cell(city: City, code: str) -> Page | Response:
    """Save one cell as a draft; refuse bad input (422) and stale saves (409)."""
    indicator = load_indicator(city, code)
    form = CellForm()
    column = queries.find_column(indicator, form.breakdown_key.data or "")
    errors = cell_errors(city, indicator, form, column)
    if errors or column is None:
        return render_grid(city, indicator, 422, errors, form)
    name = cell_name(city, indicator, form, column.label)
    try:
        services.save_observation(session=get_session(), indicator=indicator,
                                  entry=form.entry(column.breakdown),
                                  expected_version=form.version(), user_id=current_user_id())
    except StaleEditError as error:
        return render_stale(city, indicator, form, column, str(error))
    except services.NeedsConfirmation as held:
        return render_grid(city, indicator, 422, failed=form,
                           warnings=[f"{name}: {f.message}" for f in held.findings])
    except services.QualityError as error:
        return render_grid(city, indicator, 422,
                           [f"{name}: {f.message}" for f in error.findings], form)
    except services.ObservationError as error:
        return render_grid(city, indicator, 422, [f"{name}: {error}"], form)
    flash(_("Saved %(cell)s.", cell=name), "success")
    return to_grid(city, indicator, cell_anchor(form, column))


@bp.post(f"{CELL}/delete")
@city_route("edit")
def delete_cell(city: City, code: str, obs_id: int) -> Page | Response:
    """Delete a value (a recorded change with a reason); approved values are locked."""
    indicator = load_indicator(city, code)
    cell = queries.get_observation(get_session(), indicator, obs_id) or abort(404)
    if cell.is_deleted:
        abort(404)
    form = DeleteForm()
    name = cell_name(city, indicator, cell, column_label(indicator, cell))
    if not form.validate_on_submit():
        errors = [f"{name}: {error}" for error in form.reason.errors or [_("Try again.")]]
        return render_grid(city, indicator, 422, errors)
    try:
        services.delete_observation(session=get_session(), cell=cell,
                                    expected_version=version_of(form.expected_version) or 0,
                                    user_id=current_user_id(), reason=form.reason.data or "")
    except (services.ObservationError, StaleEditError) as error:  # locked, or stale
        return render_grid(city, indicator, 409 if isinstance(error, StaleEditError) else 422,
                           [f"{name}: {error}"])
    flash(_("Deleted %(cell)s.", cell=name), "success")
    return to_grid(city, indicator)


def render_stale(city: City, indicator: LocalIndicator, form: CellForm,
                 column: queries.Column, message: str) -> Page:
    """Show the newer value of a cell someone else saved meanwhile (409), with the typed
    value and a form to save it over the newer one."""
    year, quarter, span = form.period()
    cell = services.find_cell(get_session(), indicator, year, quarter, column.key,
                              span_years=span)
    return render_page("data/stale.html", 409, city=city, indicator=indicator, form=form,
                       cell=cell, message=message,
                       name=cell_name(city, indicator, form, column.label))


@bp.post(f"{CELL}/<any(submit, approve, return, unlock):action>")
@city_route(edit_or_review)
def review_cell(city: City, code: str, obs_id: int, action: str) -> Page | Response:
    """Submit a value (editors), or approve, return or unlock it (secretariats, admins), as
    the page showed it: a value changed since is refused (409) and shown as it is now."""
    indicator = load_indicator(city, code)
    cell = queries.get_observation(get_session(), indicator, obs_id) or abort(404)
    form = ReviewActionForm()
    name = cell_name(city, indicator, cell, column_label(indicator, cell))
    if not form.validate_on_submit():
        errors = [f"{name}: {error}" for field in (form.reason, form.version)
                  for error in field.errors] or [f"{name}: " + _("Try again.")]
        return render_grid(city, indicator, 422, errors)
    try:
        services.review_observation(session=get_session(), cell=cell, action=action,
                                    expected_version=form.version.data or 0,
                                    user_id=current_user_id(), reason=form.reason.data or "")
    except StaleEditError as error:
        return render_grid(city, indicator, 409, [f"{name}: {error}"])
    except services.ObservationError as error:
        return render_grid(city, indicator, 422, [f"{name}: {error}"])
    flash(review_message(action, name), "success")
    return to_grid(city, indicator)


def review_message(action: str, name: str) -> str:
    """Say what a review action did."""
    messages: dict[str, str] = {
        "submit": _("%(cell)s submitted for review.", cell=name),
        "approve": _("%(cell)s approved and locked.", cell=name),
        "return": _("%(cell)s returned to the city.", cell=name),
        "unlock": _("%(cell)s unlocked; it is a draft again.", cell=name)}
    return messages[action]


@bp.get(f"{CELL}/history")
@city_route("read_internals")
def show_history(city: City, code: str, obs_id: int) -> str:
    """List every change to a cell: who, when, old → new value and status, and why."""
    indicator = load_indicator(city, code)
    cell = queries.get_observation(get_session(), indicator, obs_id) or abort(404)
    return render_template("data/history.html", city=city, indicator=indicator, cell=cell,
                           name=cell_name(city, indicator, cell,
                                          column_label(indicator, cell)),
                           changes=queries.list_changes(get_session(), cell))
