"""Local indicator pages: list, detail, define and edit, retire, SDG alignment, element links."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from tracker.auth.access import (
    can_edit_city,
    can_read_city_internals,
    signed_in_user,
)
from tracker.auth.city_scope import city_route, current_user_id
from tracker.catalogue.queries import search_catalogue
from tracker.cities.forms import submitted_version
from tracker.cities.models import City
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.forms import choices
from tracker.indicators import presenters, queries, services
from tracker.indicators.forms import (
    AlignmentForm,
    IndicatorForm,
    calendar_choices,
    compare_with_saved,
    initial_data,
)
from tracker.indicators.models import LocalIndicator, SdgRelation
from tracker.indicators.state_forms import ElementLinkForm, RestoreForm, RetireForm
from tracker.pages import form_status, render_page
from tracker.plans.models import period_label
from tracker.plans.picker import list_pickable_elements

bp = Blueprint("indicators", __name__)

INDICATOR = "/cities/<slug>/indicators/<path:code>"
Page = tuple[str, int]


def load_indicator(city: City, code: str) -> LocalIndicator:
    """Load one of the city's indicators by code or answer 404."""
    return queries.get_indicator(get_session(), city, code) or abort(404)


def to_indicator(city: City, indicator: LocalIndicator) -> Response:
    """Redirect to an indicator's page."""
    return redirect(url_for("indicators.show_indicator", slug=city.slug, code=indicator.code))


@bp.context_processor
def indicator_helpers() -> dict[str, Any]:
    """Give the indicator templates their labels and number formatting."""
    return presenters.template_helpers()


@bp.get("/cities/<slug>/indicators/")
@city_route("read_public")
def list_indicators(city: City) -> str:
    """List a city's local indicators (retired ones only when asked for)."""
    include_retired = request.args.get("retired") == "1"
    session = get_session()
    return render_template(
        "indicators/list.html", city=city, include_retired=include_retired,
        views=queries.list_indicators(session, city, include_retired),
        retired_count=queries.count_retired(session, city),
        can_edit=can_edit_city(signed_in_user(), city))


@bp.get(INDICATOR)
@city_route("read_public")
def show_indicator(city: City, code: str) -> Page:
    """Show an indicator's definition, targets, alignments, elements and history."""
    return render_detail(city, load_indicator(city, code))


def render_detail(city: City, indicator: LocalIndicator, status: int = 200,
                  failed: FlaskForm | None = None, **forms: Any) -> Page:
    """Render the detail page; editors get the retire, restore and link forms (`failed` is
    the one whose errors are summed up at the top)."""
    session, user = get_session(), signed_in_user()
    can_edit = can_edit_city(user, city)
    if can_edit:
        forms.setdefault("retire_form", RetireForm())
        forms.setdefault("restore_form", RestoreForm())
        forms.setdefault("link_form", ElementLinkForm())
        forms["link_form"].element_id.choices = element_choices(city)
    history = (queries.list_history(session, indicator)
               if can_read_city_internals(user, city) else None)
    return render_page("indicators/show.html", status, city=city, can_edit=can_edit,
                       view=queries.view_indicator(session, indicator), history=history,
                       failed=failed, **forms)


def element_choices(city: City) -> list[SelectChoice]:
    """Offer the current elements of the city's current plan revisions, grouped by plan,
    each plan's tree in reading order and indented by depth."""
    month = city.fiscal_year_start_month
    return [SelectChoice(element.id, "— " * element.depth + f"{element.code} · {element.title}",
                         optgroup=f"{plan.title} "
                                  f"({period_label(plan.start_year, plan.end_year, month)})")
            for element, plan in list_pickable_elements(get_session(), city)]


def render_form(city: City, indicator: LocalIndicator | None, form: IndicatorForm,
                stale: bool = False) -> Page:
    """Render the definition form; a refused submission answers 422 (409 when stale)."""
    saved = compare_with_saved(form, indicator) if stale and indicator else None
    return render_page("indicators/form.html", form_status(form, stale), city=city,
                       indicator=indicator, form=form, saved=saved)


@bp.route("/cities/<slug>/indicators/new", methods=["GET", "POST"])
@city_route("edit")
def new_indicator(city: City) -> Page | Response:
    """Define a local indicator of the city."""
    form = IndicatorForm()
    form.calendar.choices = calendar_choices(city.fiscal_year_start_month)
    indicator_in = form.validated_definition()
    if indicator_in is None:
        return render_form(city, None, form)
    try:
        indicator = services.create_indicator(session=get_session(), city=city,
                                              indicator_in=indicator_in, user_id=current_user_id())
    except services.IndicatorError as error:
        form.code.errors.append(str(error))
        return render_form(city, None, form)
    flash(_("Indicator %(code)s defined.", code=indicator.code), "success")
    return to_indicator(city, indicator)


@bp.route(f"{INDICATOR}/edit", methods=["GET", "POST"])
@city_route("edit")
def edit_indicator(city: City, code: str) -> Page | Response:
    """Edit a definition; refuse (409) a save that would overwrite a newer one."""
    indicator = load_indicator(city, code)
    form = IndicatorForm(data=None if request.method == "POST" else initial_data(indicator))
    form.calendar.choices = calendar_choices(city.fiscal_year_start_month)
    indicator_in = form.validated_definition()
    if indicator_in is None:
        return render_form(city, indicator, form)
    try:
        services.update_indicator(session=get_session(), indicator=indicator,
                                  indicator_in=indicator_in, version=submitted_version(form),
                                  user_id=current_user_id())
    except StaleEditError as error:
        flash(str(error), "error")
        form.expected_version.data = str(indicator.version)  # saving again applies on top
        return render_form(city, indicator, form, stale=True)
    except services.IndicatorError as error:
        form.code.errors.append(str(error))
        return render_form(city, indicator, form)
    flash(_("Indicator %(code)s saved.", code=indicator.code), "success")
    return to_indicator(city, indicator)


@bp.post(f"{INDICATOR}/retire")
@city_route("edit")
def retire_indicator(city: City, code: str) -> Page | Response:
    """Retire an indicator with a reason; nothing is deleted."""
    return change_retired(city, code, True, RetireForm, "retire_form")


@bp.post(f"{INDICATOR}/restore")
@city_route("edit")
def restore_indicator(city: City, code: str) -> Page | Response:
    """Bring a retired indicator back."""
    return change_retired(city, code, False, RestoreForm, "restore_form")


def change_retired(city: City, code: str, retired: bool,
                   form_class: type[RetireForm] | type[RestoreForm], form_name: str
                   ) -> Page | Response:
    """Retire or restore an indicator when the form is valid and the state changes."""
    indicator = load_indicator(city, code)
    form = form_class()
    if not form.validate_on_submit():
        return render_detail(city, indicator, 422, form, **{form_name: form})
    if indicator.is_retired != retired:
        services.set_retired(session=get_session(), indicator=indicator, retired=retired,
                             user_id=current_user_id(), reason=(form.reason.data or "").strip())
    flash(_("%(code)s retired; it can be restored.", code=indicator.code) if retired
          else _("%(code)s restored.", code=indicator.code), "success")
    return to_indicator(city, indicator)


@bp.get(f"{INDICATOR}/alignments")
@city_route("edit")
def pick_sdg_indicator(city: City, code: str) -> Page:
    """Search the SDG indicators to align the local indicator to."""
    form = AlignmentForm(data={"q": request.args.get("q", "")})
    return render_picker(city, load_indicator(city, code), form)


def render_picker(city: City, indicator: LocalIndicator, form: AlignmentForm,
                  status: int = 200) -> Page:
    """Render the SDG picker with the indicators matching the search."""
    query = (form.q.data or "").strip()[:200]
    found = search_catalogue(get_session(), query, limit=50)[1] if query else []
    form.sdg_code.choices = choices((i.code, f"{i.code} {i.title}") for i in found)
    return render_page("indicators/align.html", status, city=city, form=form, query=query,
                       found=found, view=queries.view_indicator(get_session(), indicator))


@bp.post(f"{INDICATOR}/alignments")
@city_route("edit")
def add_alignment(city: City, code: str) -> Page | Response:
    """Align the indicator to an SDG indicator (or change how it is aligned)."""
    indicator = load_indicator(city, code)
    form = AlignmentForm()
    valid = form.validate_on_submit()
    sdg = queries.get_sdg_indicator(get_session(), form.sdg_code.data or "")
    if form.sdg_code.data and sdg is None:
        form.sdg_code.errors.append(_("No SDG indicator has the code %(code)s.",
                                      code=form.sdg_code.data))
    if not valid or sdg is None:
        return render_picker(city, indicator, form, 422)
    services.align_to_sdg(session=get_session(), indicator=indicator, sdg_indicator=sdg,
                          relation=SdgRelation(form.relation.data),
                          rationale=form.rationale.data or "", user_id=current_user_id())
    flash(_("%(code)s aligned to SDG indicator %(sdg)s.", code=indicator.code, sdg=sdg.code),
          "success")
    return to_indicator(city, indicator)


@bp.post(f"{INDICATOR}/alignments/<int:link_id>/remove")
@city_route("edit")
def remove_alignment(city: City, code: str, link_id: int) -> Response:
    """Remove one of the indicator's SDG alignments."""
    indicator = load_indicator(city, code)
    link = queries.get_sdg_link(get_session(), indicator, link_id) or abort(404)
    services.remove_sdg_alignment(session=get_session(), link=link, user_id=current_user_id())
    flash(_("SDG alignment removed."), "success")
    return to_indicator(city, indicator)


@bp.post(f"{INDICATOR}/elements")
@city_route("edit")
def add_element_link(city: City, code: str) -> Page | Response:
    """Record that the indicator measures one of the city's plan elements."""
    indicator = load_indicator(city, code)
    form = ElementLinkForm()
    if not form.validate_on_submit():
        return render_detail(city, indicator, 422, form, link_form=form)
    element = queries.get_city_element(get_session(), city, form.element_id.data) or abort(404)
    services.link_element(session=get_session(), indicator=indicator, element=element,
                          user_id=current_user_id())
    flash(_("%(code)s now measures plan element %(element)s.", code=indicator.code,
            element=element.code), "success")
    return to_indicator(city, indicator)


@bp.post(f"{INDICATOR}/elements/<int:link_id>/remove")
@city_route("edit")
def remove_element_link(city: City, code: str, link_id: int) -> Response:
    """Remove the link between the indicator and a plan element."""
    indicator = load_indicator(city, code)
    link = queries.get_element_link(get_session(), indicator, link_id) or abort(404)
    services.unlink_element(session=get_session(), link=link, user_id=current_user_id())
    flash(_("Plan element link removed."), "success")
    return to_indicator(city, indicator)
