"""City pages: list, profile, create and edit."""

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import select

from tracker.auth.access import (
    can_edit_city,
    can_read_city_internals,
    readable_cities_clause,
    readable_parent,
    require_roles,
    signed_in_user,
)
from tracker.auth.city_scope import city_route, current_user_id
from tracker.auth.models import Role, User
from tracker.cities import queries
from tracker.cities.forms import (
    CityForm,
    CitySearchForm,
    NewCityForm,
    country_choices,
    submitted_version,
)
from tracker.cities.models import City, CityCreate, Network
from tracker.cities.services import CityError, create_city, update_city
from tracker.coverage.queries import get_city_coverage
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.forms import choices
from tracker.pages import render_form
from tracker.paging import page_number, page_of

bp = Blueprint("cities", __name__)


def city_search(network: Network | None = None) -> tuple[CitySearchForm, str, str, int]:
    """Read the search of a city list from the query string: the form, the valid text and
    country, and the status (422 when part of it is refused; the rest still applies)."""
    form = CitySearchForm(formdata=request.args)
    form.offer_countries(queries.list_city_countries(get_session(), signed_in_user(), network))
    status = 200 if form.validate() else 422
    return form, *form.filters(), status


def search_args(q: str, country: str) -> dict[str, str]:
    """Return the search as query-string arguments for the page links (none when empty)."""
    return {name: value for name, value in (("q", q), ("country", country)) if value}


@bp.get("/cities/")
def list_cities() -> tuple[str, int]:
    """List a page of the cities the visitor may read, searched by name or country."""
    form, q, country, status = city_search()
    query = queries.search_cities(signed_in_user(), q, country)
    page = page_of(get_session(), query, page_number())
    return render_template("cities/list.html", cities=page.items, page=page, form=form,
                           search=search_args(q, country)), status


@bp.get("/cities/<slug>")
@city_route("read_public")
def show_city(city: City) -> str:
    """Show a city's profile."""
    user = signed_in_user()
    children = queries.list_child_areas(get_session(), city, user)
    return render_template(
        "cities/show.html", city=city, children=children, parent=readable_parent(user, city),
        coverage=get_city_coverage(get_session(), city),
        can_edit=can_edit_city(user, city), can_see_internals=can_read_city_internals(user, city),
    )


def fill_city_choices(form: CityForm, city: City | None, user: User | None) -> None:
    """Offer countries and, as parent areas, only the cities this user may read: any other
    parent (a crafted POST) is not a valid choice."""
    form.country_code.choices = country_choices()
    query = select(City).where(readable_cities_clause(user)).order_by(func.lower(City.name))
    if city is not None:
        query = query.where(City.id != city.id)
    options = [("", "—")] + [(str(c.id), c.name) for c in get_session().exec(query)]
    if city is not None and city.parent_id and readable_parent(user, city) is None:
        # Saving keeps the current parent, which this editor may not read: named vaguely.
        options.append((str(city.parent_id), _("(unchanged: an area you cannot see)")))
    form.parent_id.choices = choices(options)


def city_values(form: CityForm) -> dict[str, Any]:
    """Collect a city form's profile values."""
    data = {name: field.data for name, field in form._fields.items()
            if name not in {"csrf_token", "expected_version", "slug"}}
    data["parent_id"] = int(data["parent_id"]) if data.get("parent_id") else None
    data["description"] = data.get("description") or ""
    data["population_source"] = data.get("population_source") or ""
    data["website"] = data.get("website") or ""
    return data


def secretariat_network(user: User) -> Network | None:
    """Return the network a secretariat's new city joins."""
    if user.role != Role.SECRETARIAT:
        return None
    return get_session().get(Network, user.network_id)


@bp.route("/cities/new", methods=["GET", "POST"])
@require_roles(Role.ADMIN, Role.SECRETARIAT)
def new_city() -> ResponseReturnValue:
    """Add a city; a secretariat's new city joins its network."""
    user = signed_in_user()
    assert user is not None
    form = NewCityForm()
    fill_city_choices(form, None, user)
    if form.validate_on_submit():
        city_in = CityCreate.model_validate({**city_values(form), "slug": form.slug.data})
        try:
            city = create_city(session=get_session(), city_in=city_in, user_id=user.id,
                               network=secretariat_network(user))
        except CityError as error:
            form.slug.errors.append(str(error))
        else:
            flash(_("%(name)s added.", name=city.name), "success")
            return redirect(url_for("cities.show_city", slug=city.slug))
    return render_form("cities/form.html", form, city=None)


@bp.route("/cities/<slug>/edit", methods=["GET", "POST"])
@city_route("edit")
def edit_city(city: City) -> ResponseReturnValue:
    """Edit a city's profile; refuse a save that would overwrite a newer one."""
    form = CityForm(obj=city)
    fill_city_choices(form, city, signed_in_user())
    if not form.is_submitted():
        form.expected_version.data = str(city.version)
        form.parent_id.data = str(city.parent_id or "")
    if form.validate_on_submit():
        version = submitted_version(form)
        try:
            update_city(session=get_session(), city=city, values=city_values(form),
                        version=version, user_id=current_user_id())
        except StaleEditError as error:
            flash(str(error), "error")
            form.expected_version.data = str(city.version)  # saving again applies on top
            return render_form("cities/form.html", form, city=city, stale=True)
        except (CityError, ValueError) as error:
            flash(str(error), "error")
        else:
            flash(_("%(name)s saved.", name=city.name), "success")
            return redirect(url_for("cities.show_city", slug=city.slug))
    return render_form("cities/form.html", form, city=city)
