"""Climate pages: a city's CRF overview, its GHG inventory form and its risk matrix."""

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.auth.access import can_edit_city, signed_in_user
from tracker.auth.city_scope import city_route, current_user_id
from tracker.cities.forms import submitted_version
from tracker.cities.models import City
from tracker.climate import cdp_population, presenters, queries
from tracker.climate.compliance import assess
from tracker.climate.entity_forms import ConfirmPopulationForm
from tracker.climate.forms import (
    CellTable,
    InventoryForm,
    read_table,
    sectors_in_order,
    table_of,
    to_inventory,
)
from tracker.climate.models import GhgInventory
from tracker.climate.presenters import MATRIX_LEVELS
from tracker.climate.services import ClimateError, create_inventory, update_inventory
from tracker.climate.totals import headline, per_capita, progress_against
from tracker.climate.vocab import Level
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.pages import render_page

bp = Blueprint("climate", __name__)

CLIMATE = "/cities/<slug>/climate"
Page = tuple[str, int]


@bp.context_processor
def climate_helpers() -> dict[str, Any]:
    """Give the climate templates their labels and number formatting."""
    return presenters.template_helpers()


def to_overview(city: City, anchor: str | None = None) -> Response:
    """Redirect to the city's climate overview."""
    return redirect(url_for("climate.overview", slug=city.slug, _anchor=anchor))


def overview_context(city: City) -> dict[str, Any]:
    """Load the city's climate data and work out its totals, progress and compliance."""
    data = queries.load_city_climate(get_session(), city)
    latest = data.latest_inventory
    figures = {inv.id: headline(inv.cells, reported_basic=inv.reported_basic,
                                reported_basic_plus=inv.reported_basic_plus,
                                population=inv.per_capita_population)
               for inv in data.inventories}
    return {"city": city, "data": data, "latest": latest, "figures": figures,
            "latest_table": table_of(latest.cells).totals() if latest else None,
            "progress": {t.id: progress_against(t, data.inventories) for t in data.targets},
            "compliance": assess(data, date.today()),
            "can_edit": can_edit_city(signed_in_user(), city)}


@bp.get(CLIMATE)
@city_route("read_internals")
def overview(city: City) -> str:
    """Show a city's inventory totals, targets, hazards, actions and CRF compliance."""
    return render_template("climate/overview.html", **overview_context(city))


@bp.get(CLIMATE + "/risks")
@city_route("read_internals")
def risks(city: City) -> str:
    """Place the city's hazards on a probability × consequence grid."""
    data = queries.load_city_climate(get_session(), city)
    grid: dict[tuple[str, str], list[Any]] = {}
    unplaced = []
    for hazard in data.hazards:
        spot = (str(hazard.current_consequence), str(hazard.current_probability))
        if Level.UNKNOWN in spot:
            unplaced.append(hazard)
        else:
            grid.setdefault(spot, []).append(hazard)
    return render_template("climate/risks.html", city=city, grid=grid, unplaced=unplaced,
                           levels=MATRIX_LEVELS, can_edit=can_edit_city(signed_in_user(), city))


def render_inventory(city: City, inventory: GhgInventory | None, form: InventoryForm,
                     table: CellTable, status: int = 200) -> Page:
    """Render the inventory form with its CRF table and the totals of what it holds."""
    totals = table.totals()
    population = form.population.data if isinstance(form.population.data, int) else None
    if inventory is not None and inventory.population_unconfirmed and \
            population == inventory.population:
        population = None  # the imported figure awaits confirmation
    return render_page(
        "climate/inventory_form.html", status, city=city, inventory=inventory, form=form,
        table=table,
        totals=totals, sectors=sectors_in_order(), stale=status == 409,
        heading=_("Edit inventory %(year)s", year=inventory.year) if inventory
        else _("Enter a greenhouse-gas inventory"),
        per_capita=(per_capita(totals.basic, population),
                    per_capita(totals.basic_plus, population)))


@bp.route(CLIMATE + "/inventories/new", methods=["GET", "POST"])
@city_route("edit")
def new_inventory(city: City) -> Page | Response:
    """Record a GHG inventory: header and CRF table; refuse it whole when a cell is wrong."""
    form = InventoryForm()
    if not form.is_submitted():
        form.population.data = form.population.data or city.population
        return render_inventory(city, None, form, CellTable())
    table = read_table(request.form)
    inventory_in = to_inventory(form, table)
    if inventory_in is None:
        return render_inventory(city, None, form, table, 422)
    try:
        create_inventory(session=get_session(), city=city, inventory_in=inventory_in,
                         user_id=current_user_id())
    except ClimateError as error:
        form.year.errors = [*form.year.errors, str(error)]
        return render_inventory(city, None, form, table, 422)
    flash(_("Inventory %(year)s saved.", year=inventory_in.year), "success")
    return to_overview(city, "inventory")


@bp.route(CLIMATE + "/inventories/<int:inventory_id>/edit", methods=["GET", "POST"])
@city_route("edit")
def edit_inventory(city: City, inventory_id: int) -> Page | Response:
    """Change an inventory; refuse a save that would overwrite a newer one (409)."""
    inventory = get_session().get(GhgInventory, inventory_id)
    if inventory is None or inventory.city_id != city.id:
        abort(404)
    form = InventoryForm(obj=inventory)
    if not form.is_submitted():
        form.expected_version.data = str(inventory.version)
        return render_inventory(city, inventory, form, table_of(inventory.cells))
    table = read_table(request.form)
    inventory_in = to_inventory(form, table)
    if inventory_in is None:
        return render_inventory(city, inventory, form, table, 422)
    try:
        update_inventory(session=get_session(), inventory=inventory, inventory_in=inventory_in,
                         version=submitted_version(form), user_id=current_user_id())
    except StaleEditError as error:
        flash(str(error), "error")
        form.expected_version.data = str(inventory.version)
        return render_inventory(city, inventory, form, table, 409)
    except ClimateError as error:
        form.year.errors = [*form.year.errors, str(error)]
        return render_inventory(city, inventory, form, table, 422)
    flash(_("Inventory %(year)s saved.", year=inventory.year), "success")
    return to_overview(city, "inventory")


@bp.post(CLIMATE + "/inventories/<int:inventory_id>/confirm-population")
@city_route("edit")
def confirm_population(city: City, inventory_id: int) -> Response:
    """Accept an imported population flagged as implausible: per-capita figures use it."""
    inventory = get_session().get(GhgInventory, inventory_id)
    if inventory is None or inventory.city_id != city.id:
        abort(404)
    form = ConfirmPopulationForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        cdp_population.confirm_population(session=get_session(), inventory=inventory,
                                          version=submitted_version(form),
                                          user_id=current_user_id())
    except (StaleEditError, ClimateError) as error:  # the page shows the current state
        flash(str(error), "error")
    else:
        flash(_("Population of inventory %(year)s confirmed: per-inhabitant figures use it.",
                year=inventory.year), "success")
    return to_overview(city, "inventory")
