"""Admins and secretariats list, add, disable and enable user accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select
from werkzeug.wrappers import Response

from tracker.auth.access import deny, editable_cities_clause, require_roles, required_user
from tracker.auth.models import Role, User
from tracker.auth.services import UserError, create_user, set_active
from tracker.cities.models import City, Network
from tracker.db import get_session
from tracker.forms import choices
from tracker.pages import render_form
from tracker.users.forms import ROLE_LABELS, UserForm
from tracker.users.queries import can_manage_user, list_managed_users

bp = Blueprint("users", __name__, url_prefix="/users")
MANAGERS = (Role.ADMIN, Role.SECRETARIAT)


@bp.get("/")
@require_roles(*MANAGERS)
def list_users() -> str:
    """List the accounts the signed-in manager may manage."""
    users = list_managed_users(get_session(), required_user())
    return render_template("users/list.html", users=users, role_labels=ROLE_LABELS)


def fill_choices(form: UserForm, manager: User) -> None:
    """Offer only the roles, cities and networks within the manager's reach."""
    session = get_session()
    roles = list(Role) if manager.role == Role.ADMIN else [Role.OFFICER, Role.SECRETARIAT,
                                                             Role.REVIEWER]
    form.role.choices = choices((r.value, ROLE_LABELS[r]) for r in roles)
    cities = session.exec(select(City).where(editable_cities_clause(manager))
                          .order_by(func.lower(City.name)))
    form.city.choices = choices([("", "—")] + [(c.slug, c.name) for c in cities])
    networks = select(Network).order_by(Network.name)
    if manager.role != Role.ADMIN:
        networks = networks.where(Network.id == manager.network_id)
    form.network.choices = choices([("", "—")] + [(n.slug, n.name)
                                                   for n in session.exec(networks)])


@bp.route("/new", methods=["GET", "POST"])
@require_roles(*MANAGERS)
def new_user() -> tuple[str, int] | Response:
    """Add a user within the manager's reach."""
    manager = required_user()
    form = UserForm()
    fill_choices(form, manager)
    if form.validate_on_submit():
        session = get_session()
        city = session.exec(select(City).where(City.slug == form.city.data)).first()
        network = session.exec(select(Network).where(Network.slug == form.network.data)).first()
        try:
            user = create_user(
                session=session, email=form.email.data or "", password=form.password.data or "",
                role=Role(form.role.data), name=form.name.data or "", city=city,
                network=network, created_by=manager,
            )
        except UserError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("User %(email)s added.", email=user.email), "success")
            return redirect(url_for("users.list_users"))
    return render_form("users/new.html", form)


def toggle_user(user_id: int, is_active: bool) -> Response:
    """Enable or disable an account the manager may manage."""
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    if not can_manage_user(session, required_user(), user):
        deny()
    set_active(session=session, user=user, is_active=is_active)
    message = _("%(email)s enabled.") if is_active else _("%(email)s disabled.")
    flash(message % {"email": user.email}, "success")
    return redirect(url_for("users.list_users"))


@bp.post("/<int:user_id>/disable")
@require_roles(*MANAGERS)
def disable_user(user_id: int) -> Response:
    """Disable a user's login."""
    return toggle_user(user_id, False)


@bp.post("/<int:user_id>/enable")
@require_roles(*MANAGERS)
def enable_user(user_id: int) -> Response:
    """Enable a user's login again."""
    return toggle_user(user_id, True)
