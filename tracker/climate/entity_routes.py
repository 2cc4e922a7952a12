"""One pattern for targets, hazards, adaptation goals and actions (list, new, edit), plus the
climate profile, past events and adaptive-capacity ratings."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import Session, select
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from tracker.auth.city_scope import city_route, current_user_id
from tracker.cities.forms import submitted_version
from tracker.cities.models import City
from tracker.climate import services as s
from tracker.climate.entity_forms import (
    ActionForm,
    CapacityForm,
    EventForm,
    GoalForm,
    HazardForm,
    ProfileForm,
    TargetForm,
)
from tracker.climate.models import (
    AdaptationGoal,
    ClimateAction,
    ClimateProfile,
    Hazard,
    MitigationTarget,
)
from tracker.climate.routes import (
    CLIMATE,
    Page,
    bp,
    overview_context,
    to_overview,
)
from tracker.climate.vocab import hazard_label
from tracker.db import get_session
from tracker.errors import DomainError, StaleEditError
from tracker.forms import choices
from tracker.pages import form_status, render_page
from tracker.plans.picker import list_pickable_elements

KINDS = "<any(targets, hazards, goals, actions):kind>"


@dataclass(frozen=True)
class Entity:
    """How the generic routes list, create and change one kind of climate record."""

    model: type
    form: type[FlaskForm]
    title: Any  # the list's heading
    noun: Any  # "a mitigation target"
    create: Callable[..., Any]
    update: Callable[..., Any]


ENTITIES = {
    "targets": Entity(MitigationTarget, TargetForm, _l("Mitigation targets"),
                      _l("a mitigation target"),
                      lambda **k: s.create_target(target_in=k.pop("data_in"), **k),
                      lambda **k: s.update_target(target=k.pop("record"),
                                                  target_in=k.pop("data_in"), **k)),
    "hazards": Entity(Hazard, HazardForm, _l("Hazards"), _l("a hazard"),
                      lambda **k: s.create_hazard(hazard_in=k.pop("data_in"), **k),
                      lambda **k: s.update_hazard(hazard=k.pop("record"),
                                                  hazard_in=k.pop("data_in"), **k)),
    "goals": Entity(AdaptationGoal, GoalForm, _l("Adaptation goals"), _l("an adaptation goal"),
                    lambda **k: s.create_goal(goal_in=k.pop("data_in"), **k),
                    lambda **k: s.update_goal(goal=k.pop("record"), goal_in=k.pop("data_in"),
                                              **k)),
    "actions": Entity(ClimateAction, ActionForm, _l("Climate actions"), _l("a climate action"),
                      lambda **k: s.create_action(action_in=k.pop("data_in"), **k),
                      lambda **k: s.update_action(action=k.pop("record"),
                                                  action_in=k.pop("data_in"), **k)),
}


def hazard_choices(session: Session, city: City) -> Any:
    """Offer the city's assessed hazards."""
    rows = session.exec(select(Hazard).where(Hazard.city_id == city.id).order_by(Hazard.hazard))
    return choices((str(h.id), hazard_label(h.hazard)) for h in rows)


def element_choices(session: Session, city: City, record: Any) -> list[SelectChoice]:
    """Offer the elements of the city's current plan revisions, each plan's tree in reading
    order, and the elements the action already links (an older revision's stay valid)."""
    offered = [(element, plan.title) for element, plan in list_pickable_elements(session, city)]
    known = {element.id for element, _title in offered}
    linked = [(e, e.plan.title) for e in (record.elements if record is not None else [])
              if e.id not in known]
    return choices((str(e.id), f"{title} · {'— ' * e.depth}{e.code} {e.title}")
                   for e, title in offered + linked)


def prepare(kind: str, form: Any, city: City, record: Any) -> None:
    """Fill the choices a form offers from the city's data, and an edit's linked records."""
    session = get_session()
    if kind in ("goals", "actions"):
        field = form.hazard_id if kind == "goals" else form.hazard_ids
        field.choices = hazard_choices(session, city)
    if kind == "actions":
        form.element_ids.choices = element_choices(session, city, record)
    if record is None or form.is_submitted():
        return
    form.expected_version.data = str(record.version)
    if kind == "goals":
        form.hazard_id.data = str(record.hazard_id)
    if kind == "actions":
        form.hazard_ids.data = [str(h.id) for h in record.hazards]
        form.element_ids.data = [str(e.id) for e in record.elements]
        form.sdg_targets.data = ", ".join(t.code for t in record.sdg_targets)


def validated_input(kind: str, form: Any) -> Any:
    """Validate the posted form into its Create model, or return None."""
    if not form.validate_on_submit():
        return None
    if kind != "actions":
        return form.to_create()
    try:
        ids = s.target_ids(get_session(), form.target_codes())
    except s.ClimateError as error:
        form.sdg_targets.errors = [*form.sdg_targets.errors, str(error)]
        return None
    return form.to_create(sdg_target_ids=ids)


def render_entity(city: City, kind: str, form: Any, record: Any, status: int | None = None
                  ) -> Page:
    """Render an entity's form; a refused submission answers 422 (409 when stale)."""
    code = status or form_status(form)
    return render_page("climate/entity_form.html", code, city=city, kind=kind, form=form,
                       record=record, entity=ENTITIES[kind], stale=code == 409)


def load_record(kind: str, city: City, record_id: int) -> Any:
    """Load one of the city's records of a kind (404 when it is another city's)."""
    record = get_session().get(ENTITIES[kind].model, record_id)
    if record is None or record.city_id != city.id:
        abort(404)
    return record


@bp.get(CLIMATE + "/" + KINDS + "/")
@city_route("read_internals")
def list_entities(city: City, kind: str) -> str:
    """List one kind of a city's climate records."""
    return render_template("climate/entity_list.html", kind=kind, entity=ENTITIES[kind],
                           **overview_context(city))


@bp.route(CLIMATE + "/" + KINDS + "/new", methods=["GET", "POST"])
@city_route("edit")
def new_entity(city: City, kind: str) -> Page | Response:
    """Add a climate record of one kind."""
    form = ENTITIES[kind].form()
    prepare(kind, form, city, None)
    data_in = validated_input(kind, form)
    if data_in is None:
        return render_entity(city, kind, form, None)
    try:
        ENTITIES[kind].create(session=get_session(), city=city, data_in=data_in,
                              user_id=current_user_id())
    except DomainError as error:
        flash(str(error), "error")
        return render_entity(city, kind, form, None, 422)
    flash(_("Saved."), "success")
    return to_overview(city, kind)


@bp.route(CLIMATE + "/" + KINDS + "/<int:record_id>/edit", methods=["GET", "POST"])
@city_route("edit")
def edit_entity(city: City, kind: str, record_id: int) -> Page | Response:
    """Change a climate record; refuse a save that would overwrite a newer one (409)."""
    record = load_record(kind, city, record_id)
    form = ENTITIES[kind].form(obj=record)
    prepare(kind, form, city, record)
    data_in = validated_input(kind, form)
    if data_in is None:
        return render_entity(city, kind, form, record)
    try:
        ENTITIES[kind].update(session=get_session(), record=record, data_in=data_in,
                              version=submitted_version(form), user_id=current_user_id())
    except StaleEditError as error:
        flash(str(error), "error")
        form.expected_version.data = str(record.version)
        return render_entity(city, kind, form, record, 409)
    except DomainError as error:
        flash(str(error), "error")
        return render_entity(city, kind, form, record, 422)
    flash(_("Saved."), "success")
    return to_overview(city, kind)


def render_simple(city: City, form: Any, title: Any, record: Any = None,
                  status: int | None = None) -> Page:
    """Render a one-off form (profile, past event, capacity rating)."""
    code = status or form_status(form)
    return render_page("climate/simple_form.html", code, city=city, form=form, title=title,
                       record=record, stale=code == 409)


@bp.route(CLIMATE + "/profile", methods=["GET", "POST"])
@city_route("edit")
def edit_profile(city: City) -> Page | Response:
    """Record the city's commitment date and CDP account."""
    profile = get_session().exec(select(ClimateProfile).where(
        ClimateProfile.city_id == city.id)).first()
    form = ProfileForm(obj=profile)
    if profile is not None and not form.is_submitted():
        form.expected_version.data = str(profile.version)
    data_in = form.to_create() if form.validate_on_submit() else None
    if data_in is None:
        return render_simple(city, form, _("Climate commitment"), profile)
    try:
        s.save_profile(session=get_session(), city=city, profile_in=data_in,
                       version=submitted_version(form) if profile else None,
                       user_id=current_user_id())
    except StaleEditError as error:
        flash(str(error), "error")
        if profile is not None:  # (always: only an edit can be stale)
            form.expected_version.data = str(profile.version)
        return render_simple(city, form, _("Climate commitment"), profile, 409)
    except DomainError as error:
        form.cdp_account_number.errors = [*form.cdp_account_number.errors, str(error)]
        return render_simple(city, form, _("Climate commitment"), profile, 422)
    flash(_("Saved."), "success")
    return to_overview(city, "compliance")


@bp.route(CLIMATE + "/hazards/<int:hazard_id>/events/new", methods=["GET", "POST"])
@city_route("edit")
def new_event(city: City, hazard_id: int) -> Page | Response:
    """Record a past event of one of the city's hazards."""
    hazard = load_record("hazards", city, hazard_id)
    form = EventForm()
    title = _("Past event: %(hazard)s", hazard=hazard_label(hazard.hazard))
    data_in = form.to_create() if form.validate_on_submit() else None
    if data_in is None:
        return render_simple(city, form, title)
    s.add_past_event(session=get_session(), hazard=hazard, event_in=data_in,
                     user_id=current_user_id())
    flash(_("Saved."), "success")
    return to_overview(city, "hazards")


@bp.route(CLIMATE + "/capacities", methods=["GET", "POST"])
@city_route("edit")
def rate_capacity(city: City) -> Page | Response:
    """Rate an adaptive-capacity factor (a new rating of a factor replaces the old one)."""
    form = CapacityForm()
    data_in = form.to_create() if form.validate_on_submit() else None
    if data_in is None:
        return render_simple(city, form, _("Rate an adaptive-capacity factor"))
    s.rate_capacity(session=get_session(), city=city, capacity_in=data_in,
                    user_id=current_user_id())
    flash(_("Saved."), "success")
    return to_overview(city, "capacities")

