"""Network pages: list, show, create, edit and manage members."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from tracker.auth.access import (
    can_manage_network,
    can_watch_network,
    require_roles,
    signed_in_user,
)
from tracker.auth.city_scope import current_user_id, network_route
from tracker.auth.models import Role
from tracker.cities import queries
from tracker.cities.forms import MemberForm, NetworkForm, NewNetworkForm, submitted_version
from tracker.cities.models import Network, NetworkCreate
from tracker.cities.routes import bp, city_search, search_args
from tracker.cities.services import (
    CityError,
    add_member,
    create_network,
    remove_member,
    update_network,
)
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.forms import choices
from tracker.pages import render_form
from tracker.paging import page_number, page_of


def member_choices(network: Network) -> list[SelectChoice]:
    """Offer the cities that are not yet members of the network."""
    cities = queries.list_non_member_cities(get_session(), network)
    return choices((c.slug, c.name) for c in cities)


@bp.get("/networks/")
def list_networks() -> str:
    """List the networks and how many cities each has."""
    return render_template("networks/list.html", networks=queries.list_networks(get_session()))


@bp.get("/networks/<slug>")
@network_route("read_public")
def show_network(network: Network) -> tuple[str, int]:
    """Show a network and a page of the member cities the visitor may read, searched."""
    user = signed_in_user()
    form_search, q, country, status = city_search(network)
    query = queries.search_network_cities(network, user, q, country)
    page = page_of(get_session(), query, page_number())
    can_manage = can_manage_network(user, network)
    form = None
    if user is not None and user.role == Role.ADMIN:
        form = MemberForm()
        form.city.choices = member_choices(network)
    return render_template("networks/show.html", network=network, cities=page.items,
                           page=page, form=form_search, search=search_args(q, country),
                           can_manage=can_manage, member_form=form,
                           can_watch=can_watch_network(user, network)), status


@bp.route("/networks/new", methods=["GET", "POST"])
@require_roles(Role.ADMIN)
def new_network() -> tuple[str, int] | Response:
    """Add a network."""
    form = NewNetworkForm()
    if form.validate_on_submit():
        network_in = NetworkCreate(slug=form.slug.data or "", name=form.name.data or "",
                                   website=form.website.data or "",
                                   description=form.description.data or "")
        try:
            network = create_network(session=get_session(), network_in=network_in,
                                     user_id=current_user_id())
        except CityError as error:
            form.slug.errors.append(str(error))
        else:
            flash(_("%(name)s added.", name=network.name), "success")
            return redirect(url_for("cities.show_network", slug=network.slug))
    return render_form("networks/form.html", form, network=None)


@bp.route("/networks/<slug>/edit", methods=["GET", "POST"])
@network_route("manage_network")
def edit_network(network: Network) -> tuple[str, int] | Response:
    """Edit a network's description (its secretariat or an admin)."""
    form = NetworkForm(obj=network)
    if not form.is_submitted():
        form.expected_version.data = str(network.version)
    if form.validate_on_submit():
        values = {"name": form.name.data, "website": form.website.data or "",
                  "description": form.description.data or ""}
        version = submitted_version(form)
        try:
            update_network(session=get_session(), network=network, values=values,
                           version=version, user_id=current_user_id())
        except StaleEditError as error:
            flash(str(error), "error")
            form.expected_version.data = str(network.version)  # saving again applies on top
            return render_form("networks/form.html", form, network=network, stale=True)
        else:
            flash(_("%(name)s saved.", name=network.name), "success")
            return redirect(url_for("cities.show_network", slug=network.slug))
    return render_form("networks/form.html", form, network=network)


@bp.post("/networks/<slug>/members")
@require_roles(Role.ADMIN)
@network_route("manage_network")
def add_network_member(network: Network) -> Response:
    """Add an existing city to a network (admins only: membership grants a secretariat rights)."""
    form = MemberForm()
    form.city.choices = member_choices(network)
    if not form.validate_on_submit():
        abort(400)
    city = queries.get_city(get_session(), form.city.data or "") or abort(404)
    add_member(session=get_session(), network=network, city=city, user_id=current_user_id())
    flash(_("%(city)s joined %(network)s.", city=city.name, network=network.name), "success")
    return redirect(url_for("cities.show_network", slug=network.slug))


@bp.post("/networks/<slug>/members/<city_slug>/remove")
@require_roles(Role.ADMIN)
@network_route("manage_network")
def remove_network_member(network: Network, city_slug: str) -> Response:
    """Remove a city from a network."""
    city = queries.get_city(get_session(), city_slug) or abort(404)
    try:
        remove_member(session=get_session(), network=network, city=city, user_id=current_user_id())
    except CityError:
        abort(404)
    flash(_("%(city)s left %(network)s.", city=city.name, network=network.name), "success")
    return redirect(url_for("cities.show_network", slug=network.slug))
