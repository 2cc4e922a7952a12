"""Plan pages: a city's plans, their element trees, SDG alignment and the inverse view."""

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.auth.access import can_edit_city, signed_in_user
from tracker.auth.city_scope import city_route, current_user_id
from tracker.catalogue.queries import search_catalogue
from tracker.cities.forms import submitted_version
from tracker.cities.models import City
from tracker.db import get_session
from tracker.errors import DomainError, StaleEditError
from tracker.pages import form_status, render_page
from tracker.plans import queries, tree
from tracker.plans.alignment import add_alignment as align_element
from tracker.plans.alignment import remove_alignment as unalign_element
from tracker.plans.forms import (
    TOP_LEVEL,
    AlignmentForm,
    ElementForm,
    MoveForm,
    NewElementForm,
    PlanForm,
    ReorderForm,
    RestoreForm,
    RetireForm,
    element_choices,
    optional_id,
    plan_choices,
    template_helpers,
)
from tracker.plans.models import MAX_LEVELS, Plan, PlanElement
from tracker.plans.services import add_element, create_plan, update_element, update_plan

bp = Blueprint("plans", __name__)

PLANS = "/cities/<slug>/plans"
PLAN = PLANS + "/<int:plan_id>"
ELEMENT = PLAN + "/elements/<int:element_id>"
PICKER_LIMIT = 25
Page = tuple[str, int]


def load_plan(city: City, plan_id: int) -> Plan:
    """Load one of the city's plans (404 when the plan is another city's)."""
    return queries.get_plan(get_session(), city, plan_id) or abort(404)


def load_element(city: City, plan_id: int, element_id: int) -> tuple[Plan, PlanElement]:
    """Load one of the city's plans and one of the plan's elements (404 when they do not
    match)."""
    plan = load_plan(city, plan_id)
    return plan, queries.get_element(get_session(), plan, element_id) or abort(404)


def to_plan(plan: Plan, element: PlanElement | None = None) -> Response:
    """Redirect to a plan's page, at an element when given."""
    return redirect(url_for("plans.show_plan", slug=(request.view_args or {})["slug"],
                            plan_id=plan.id, retired=request.args.get("retired") or None,
                            _anchor=f"element-{element.id}" if element else None))


def to_element(plan: Plan, element: PlanElement) -> Response:
    """Redirect to an element's page."""
    return redirect(url_for("plans.show_element", slug=(request.view_args or {})["slug"],
                            plan_id=plan.id, element_id=element.id))


bp.context_processor(template_helpers)


@bp.get(PLANS + "/")
@city_route("read_public")
def list_plans(city: City) -> str:
    """List a city's plans with their period, status, revision and parent plan."""
    return render_template("plans/list.html", city=city,
                           rows=queries.list_plans(get_session(), city),
                           can_edit=can_edit_city(signed_in_user(), city))


def fill_parent_plans(form: PlanForm, city: City, plan: Plan | None) -> None:
    """Offer the city's other plans as the parent plan."""
    form.parent_id.choices = plan_choices(queries.list_other_plans(get_session(), city, plan),
                                          city.fiscal_year_start_month)


def render_plan_form(city: City, plan: Plan | None, form: PlanForm, stale: bool = False) -> Page:
    """Render the plan form; a refused submission answers 422 (409 when stale)."""
    return render_page("plans/form.html", form_status(form, stale), city=city, plan=plan,
                       form=form, stale=stale,
                       parent=queries.get_plan(get_session(), city, plan.parent_id or 0)
                       if stale and plan else None)


@bp.route(PLANS + "/new", methods=["GET", "POST"])
@city_route("edit")
def new_plan(city: City) -> Page | Response:
    """Register a plan of the city."""
    form = PlanForm()
    fill_parent_plans(form, city, None)
    plan_in = form.to_create() if form.validate_on_submit() else None
    if plan_in is None:
        return render_plan_form(city, None, form)
    try:
        plan = create_plan(session=get_session(), city=city, plan_in=plan_in,
                           user_id=current_user_id())
    except DomainError as error:
        form.parent_id.errors.append(str(error))
        return render_plan_form(city, None, form)
    flash(_("%(title)s registered.", title=plan.title), "success")
    return to_plan(plan)


@bp.get(PLAN)
@city_route("read_public")
def show_plan(city: City, plan_id: int) -> str:
    """Show a plan with its element tree and the SDGs each element maps to."""
    plan = load_plan(city, plan_id)
    session = get_session()
    include_retired = request.args.get("retired") == "1"
    return render_template(
        "plans/show.html", city=city, plan=plan, include_retired=include_retired,
        tree=queries.get_plan_tree(session, plan, include_retired),
        family=queries.get_plan_family(session, plan),
        can_edit=can_edit_city(signed_in_user(), city))


@bp.route(PLAN + "/edit", methods=["GET", "POST"])
@city_route("edit")
def edit_plan(city: City, plan_id: int) -> Page | Response:
    """Edit a plan's description; refuse a save that would overwrite a newer one."""
    plan = load_plan(city, plan_id)
    form = PlanForm(obj=plan)
    fill_parent_plans(form, city, plan)
    if not form.is_submitted():
        form.expected_version.data = str(plan.version)
        form.levels.data = " › ".join(plan.level_names)
        form.parent_id.data = str(plan.parent_id or "")
    plan_in = form.to_create() if form.validate_on_submit() else None
    if plan_in is None:
        return render_plan_form(city, plan, form)
    try:
        update_plan(session=get_session(), plan=plan, plan_in=plan_in,
                    version=submitted_version(form), user_id=current_user_id())
    except StaleEditError as error:
        flash(str(error), "error")
        return render_plan_form(city, plan, form, stale=True)
    except DomainError as error:
        form.parent_id.errors.append(str(error))
        return render_plan_form(city, plan, form)
    flash(_("%(title)s saved.", title=plan.title), "success")
    return to_plan(plan)


@bp.post(PLAN + "/revise")
@city_route("edit")
def revise_plan(city: City, plan_id: int) -> Response:
    """Start the plan's next revision (an annual review); the old one stays readable."""
    plan = load_plan(city, plan_id)
    newer = queries.get_plan_family(get_session(), plan).revised_by
    if newer:
        flash(_("This plan already has a newer revision; revise that one."), "error")
        return to_plan(newer[-1])
    new = tree.create_revision(session=get_session(), plan=plan, user_id=current_user_id())
    flash(_("Revision %(n)s of %(title)s started; revision %(old)s is kept as superseded.",
            n=new.revision, title=new.title, old=plan.revision), "success")
    return to_plan(new)


def parent_choices(plan: Plan) -> list[Any]:
    """Offer the plan's current elements that may take a sub-element."""
    return element_choices(plan, [e for e in queries.list_tree_order(get_session(), plan)
                                  if e.depth + 1 < MAX_LEVELS])


def render_element_form(city: City, plan: Plan, element: PlanElement | None, form: ElementForm,
                        stale: bool = False) -> Page:
    """Render the element form; a refused submission answers 422 (409 when stale)."""
    return render_page("plans/element_form.html", form_status(form, stale), city=city,
                       plan=plan, element=element, form=form, stale=stale)


@bp.route(PLAN + "/elements/new", methods=["GET", "POST"])
@city_route("edit")
def new_element(city: City, plan_id: int) -> Page | Response:
    """Add an element to the plan's tree."""
    plan = load_plan(city, plan_id)
    form = NewElementForm()
    form.parent_id.choices = parent_choices(plan)
    if not form.is_submitted():
        form.parent_id.data = request.args.get("parent", TOP_LEVEL)
    element_in = (form.to_create(optional_id(form.parent_id.data))
                  if form.validate_on_submit() else None)
    if element_in is None:
        return render_element_form(city, plan, None, form)
    try:
        element = add_element(session=get_session(), plan=plan, element_in=element_in,
                              user_id=current_user_id())
    except DomainError as error:
        form.code.errors.append(str(error))
        return render_element_form(city, plan, None, form)
    flash(_("%(code)s added.", code=element.code), "success")
    return to_plan(plan, element)


@bp.get(ELEMENT)
@city_route("read_public")
def show_element(city: City, plan_id: int, element_id: int) -> Page:
    """Show an element, its alignments and, for editors, the picker and tree actions."""
    plan, element = load_element(city, plan_id, element_id)
    return render_element(city, plan, element)


def render_element(city: City, plan: Plan, element: PlanElement, status: int = 200,
                   **forms: Any) -> Page:
    """Render an element's page; editors get the picker, move and retire forms."""
    session = get_session()
    view = queries.get_element_view(session, plan, element)
    can_edit = can_edit_city(signed_in_user(), city)
    q = (request.args.get("q") or request.form.get("q") or "").strip()[:200]
    targets, indicators = search_catalogue(session, q, PICKER_LIMIT) if can_edit else ([], [])
    if can_edit:  # blank forms, except the one whose refused submission is shown
        forms.setdefault("move_form", MoveForm(formdata=None,
                                               parent_id=str(element.parent_id or TOP_LEVEL)))
        forms["move_form"].parent_id.choices = element_choices(plan, view.move_targets)
        forms.setdefault("retire_form", RetireForm(formdata=None))
        forms.setdefault("restore_form", RestoreForm(formdata=None))
        forms.setdefault("alignment_form", None)
    return render_page("plans/element.html", status, city=city, plan=plan, view=view,
                       can_edit=can_edit, q=q, targets=targets, indicators=indicators,
                       aligned=view.aligned_nodes, **forms)


@bp.route(ELEMENT + "/edit", methods=["GET", "POST"])
@city_route("edit")
def edit_element(city: City, plan_id: int, element_id: int) -> Page | Response:
    """Edit an element; refuse a save that would overwrite a newer one."""
    plan, element = load_element(city, plan_id, element_id)
    form = ElementForm(obj=element)
    if not form.is_submitted():
        form.expected_version.data = str(element.version)
    element_in = form.to_create(element.parent_id) if form.validate_on_submit() else None
    if element_in is None:
        return render_element_form(city, plan, element, form)
    try:
        update_element(session=get_session(), element=element, element_in=element_in,
                       version=submitted_version(form), user_id=current_user_id())
    except StaleEditError as error:
        flash(str(error), "error")
        return render_element_form(city, plan, element, form, stale=True)
    except DomainError as error:
        form.code.errors.append(str(error))
        return render_element_form(city, plan, element, form)
    flash(_("%(code)s saved.", code=element.code), "success")
    return to_element(plan, element)


@bp.post(ELEMENT + "/reorder")
@city_route("edit")
def reorder_element(city: City, plan_id: int, element_id: int) -> Response:
    """Move an element up or down among its siblings."""
    plan, element = load_element(city, plan_id, element_id)
    form = ReorderForm()
    if not form.validate_on_submit():
        abort(400)
    tree.reorder_element(session=get_session(), element=element, offset=form.offset,
                    user_id=current_user_id())
    return to_plan(plan, element)


@bp.post(ELEMENT + "/move")
@city_route("edit")
def move_element(city: City, plan_id: int, element_id: int) -> Page | Response:
    """Put an element, with everything under it, under another parent."""
    plan, element = load_element(city, plan_id, element_id)
    form = MoveForm()
    targets = queries.get_element_view(get_session(), plan, element).move_targets
    form.parent_id.choices = element_choices(plan, targets)
    if form.validate_on_submit():
        parent_id = optional_id(form.parent_id.data)
        parent = queries.get_element(get_session(), plan, parent_id) if parent_id else None
        try:
            tree.move_element(session=get_session(), element=element, new_parent=parent,
                         user_id=current_user_id())
        except DomainError as error:
            form.parent_id.errors.append(str(error))
        else:
            flash(_("%(code)s moved.", code=element.code), "success")
            return to_plan(plan, element)
    return render_element(city, plan, element, 422, move_form=form)


@bp.post(ELEMENT + "/retire")
@city_route("edit")
def retire_element(city: City, plan_id: int, element_id: int) -> Page | Response:
    """Retire an element and its sub-elements, with a reason; nothing is deleted."""
    return change_retired(city, plan_id, element_id, retired=True)


@bp.post(ELEMENT + "/restore")
@city_route("edit")
def restore_element(city: City, plan_id: int, element_id: int) -> Page | Response:
    """Bring a retired element and its sub-elements back."""
    return change_retired(city, plan_id, element_id, retired=False)


def change_retired(city: City, plan_id: int, element_id: int, *,
                   retired: bool) -> Page | Response:
    """Retire or restore an element with the reason given in the form."""
    plan, element = load_element(city, plan_id, element_id)
    form, name = (RetireForm(), "retire_form") if retired else (RestoreForm(), "restore_form")
    if not form.validate_on_submit():
        return render_element(city, plan, element, 422, **{name: form})
    tree.set_retired(session=get_session(), element=element, retired=retired,
                     user_id=current_user_id(), reason=form.reason.data or "")
    flash(_("%(code)s retired, with everything under it.", code=element.code) if retired
          else _("%(code)s restored.", code=element.code), "success")
    return to_element(plan, element)


@bp.post(ELEMENT + "/alignments")
@city_route("edit")
def add_alignment(city: City, plan_id: int, element_id: int) -> Page | Response:
    """Align an element to an SDG target or indicator chosen in the picker."""
    plan, element = load_element(city, plan_id, element_id)
    form = AlignmentForm()
    alignment_in = form.to_create() if form.validate_on_submit() else None
    if alignment_in is not None:
        try:
            align_element(session=get_session(), element=element, alignment_in=alignment_in,
                          user_id=current_user_id())
        except DomainError as error:
            form.relation.errors.append(str(error))
        else:
            flash(_("%(code)s aligned.", code=element.code), "success")
            return to_element(plan, element)
    return render_element(city, plan, element, 422, alignment_form=form)


@bp.post(ELEMENT + "/alignments/<int:alignment_id>/remove")
@city_route("edit")
def remove_alignment(city: City, plan_id: int, element_id: int, alignment_id: int) -> Response:
    """Remove one of an element's alignments (kept in the history)."""
    plan, element = load_element(city, plan_id, element_id)
    alignment = queries.get_alignment(get_session(), element, alignment_id) or abort(404)
    unalign_element(session=get_session(), alignment=alignment, user_id=current_user_id())
    flash(_("Alignment removed."), "success")
    return to_element(plan, element)


@bp.get(PLANS + "/picker.json")
@city_route("edit")
def picker_json(city: City) -> Response:  # noqa: ARG001 (only the check needs it)
    """Return the SDG targets and indicators matching `q`, for the live picker."""
    q = (request.args.get("q") or "").strip()[:200]
    return jsonify(queries.list_picker_items(get_session(), q, PICKER_LIMIT))


@bp.get("/sdg/targets/<code>/plans")
def target_plans(code: str) -> str:
    """Show which cities' plans address an SDG target."""
    target = queries.find_target(get_session(), code) or abort(404)
    return render_addressing(target, "target", target.goal, target_id=target.id)


@bp.get("/sdg/indicators/<code>/plans")
def indicator_plans(code: str) -> str:
    """Show which cities' plans address an SDG indicator."""
    indicator = queries.find_indicator(get_session(), code) or abort(404)
    return render_addressing(indicator, "indicator", indicator.target.goal,
                             sdg_indicator_id=indicator.id)


def render_addressing(node: Any, kind: str, goal: Any, **where: int | None) -> str:
    """Render the inverse view: the readable cities and plans aligned to `node`."""
    cities = queries.list_plans_addressing(get_session(), signed_in_user(), **where)
    return render_template("plans/sdg_plans.html", node=node, kind=kind, goal=goal,
                           cities=cities)
