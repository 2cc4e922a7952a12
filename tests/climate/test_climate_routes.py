"""Climate pages: access to every route, the CRF inventory form (validation, totals, stale
edits), the entity forms, the compliance panel and the risk matrix."""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    ROLES,
    World,
    check_access,
    edit_a,
    edit_b,
    expect,
    read_a,
    world,
)
from tracker.audit.models import AuditEvent
from tracker.climate import services as s
from tracker.climate.forms import field_name
from tracker.climate.models import (
    AdaptationGoal,
    AdaptationGoalCreate,
    AdaptiveCapacity,
    CellIn,
    ClimateAction,
    ClimateActionCreate,
    ClimateProfile,
    GhgInventory,
    Hazard,
    HazardCreate,
    InventoryCell,
    InventoryCreate,
    MitigationTarget,
    MitigationTargetCreate,
    PastHazardEvent,
)
from tracker.climate.sectors import MANDATORY_SECTORS, rows_of

NOT_FOUND, UNPROCESSABLE, CONFLICT = 404, 422, 409
TABLES = (GhgInventory, InventoryCell, MitigationTarget, Hazard, AdaptationGoal, ClimateAction,
          ClimateProfile, PastHazardEvent, AdaptiveCapacity, AuditEvent)
VERSIONED = (GhgInventory, MitigationTarget, Hazard, AdaptationGoal, ClimateAction)


def state(db: Session) -> tuple[Any, ...]:
    """Count every climate table and sum the versions: a refused request changes neither."""
    db.expire_all()
    counts = tuple(db.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES)
    versions = tuple(db.scalar(select(func.sum(t.version))) or 0 for t in VERSIONED)
    return counts + versions


read_b = edit_b  # network B has no reviewer: B's readers are its editors


def give_climate(db: Session, city: Any) -> dict[str, Any]:
    """Give a city an inventory, a target, a hazard, a goal and an action."""
    inventory_in = InventoryCreate(
        year=2020, period_start=date(2020, 1, 1), period_end=date(2020, 12, 31),
        cells=[CellIn(row_code="se.residential", scope=1, value=Decimal("1000"))])
    inventory = s.create_inventory(session=db, city=city, user_id=None,
                                   inventory_in=inventory_in)
    target = s.create_target(session=db, city=city, user_id=None,
                             target_in=MitigationTargetCreate(
                                 kind="base_year", base_year=2020, target_year=2030,
                                 base_year_emissions=Decimal("1000"),
                                 reduction_percent=Decimal("50")))
    hazard = s.create_hazard(session=db, city=city, user_id=None, hazard_in=HazardCreate(
        hazard="extreme_heat.heat_wave", current_probability="high",
        current_consequence="moderate"))
    goal = s.create_goal(session=db, city=city, user_id=None, goal_in=AdaptationGoalCreate(
        hazard_id=hazard.id, description="Cooler streets", target_year=2030))
    action = s.create_action(session=db, city=city, user_id=None,
                             action_in=ClimateActionCreate(kind="adaptation",
                                                           title="Street trees",
                                                           hazard_ids=[hazard.id]))
    return {"inventory": inventory, "targets": target, "hazards": hazard, "goals": goal,
            "actions": action}


@pytest.fixture
def climate_world(world: World, app: Flask, db: Session) -> World:  # noqa: F811
    """Give cities A and B climate records of every kind."""
    with boundary(app, db):
        for key in ("a", "b"):
            for name, record in give_climate(db, world.cities[key]).items():
                world.ids[f"{key}_{name}"] = record
    return world


def cells(**typed: str) -> dict[str, str]:
    """Posted cells: se_residential_1_value="5" → cell-se.residential-1-value."""
    posted = {}
    for name, value in typed.items():
        code, scope, part = name.rsplit("_", 2)
        posted[f"cell-{code.replace('_', '.', 1)}-{scope}-{part}"] = value
    return posted


def inventory_form(year: int = 2023, version: Any = "", **typed: str) -> dict[str, Any]:
    """A complete inventory form with the given cells."""
    return {"expected_version": version, "year": str(year), "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31", "boundary": "same", "boundary_note": "",
            "protocol": "GPC", "gwp": "AR5", "gwp_note": "", "gases": ["CO2", "CH4", "N2O"],
            "population": "", "population_year": "", "status": "draft", "source": "",
            "comment": ""} | cells(**typed)


def over_inventory(key: str, **changes: Any) -> Callable[[World], dict[str, Any]]:
    """An edit of one of the world's inventories from its current version."""
    return lambda w: inventory_form(2020, w.ids[key].version, **changes)


FORMS: dict[str, Callable[[World, str], dict[str, Any]]] = {
    "targets": lambda w, c: {"kind": "base_year", "base_year": "2019", "target_year": "2035",
                             "base_year_emissions": "900", "reduction_percent": "40",
                             "sectors": ["all"], "gases": ["CO2"]},
    "hazards": lambda w, c: {"hazard": "flood_sea_level.river_flood",
                             "current_probability": "low", "current_consequence": "high",
                             "future_frequency": "increase", "future_intensity": "unknown",
                             "timeframe": "medium_term", "vulnerable_groups": ["elderly"]},
    "goals": lambda w, c: {"hazard_id": str(w.ids[f"{c}_hazards"].id),
                           "description": "Fewer heat deaths", "target_year": "2035"},
    "actions": lambda w, c: {"kind": "mitigation", "title": "Bus electrification", "sector": "",
                             "status": "in_progress", "sdg_targets": "13.2, 7.2",
                             "expected_reduction_tco2e": "120.5"},
}


def new_form(kind: str, city: str) -> Callable[[World], dict[str, Any]]:
    """A valid new record of a kind for a city."""
    return lambda w: FORMS[kind](w, city)


def edit_form(kind: str, city: str, **changes: Any) -> Callable[[World], dict[str, Any]]:
    """A valid edit of the city's record of a kind, from its current version."""
    def build(w: World) -> dict[str, Any]:
        data = FORMS[kind](w, city) | {"expected_version": w.ids[f"{city}_{kind}"].version}
        if kind == "hazards":
            data["hazard"] = "extreme_heat.heat_wave"
        return data | changes
    return build


def record_path(city: str, kind: str, owner: str | None = None) -> Callable[[World], str]:
    """The edit address of `owner`'s record of a kind through `city`'s pages."""
    return lambda w: (f"/cities/city-{city}/climate/{kind}/"
                      f"{w.ids[f'{owner or city}_{kind}'].id}/edit")


B = "/cities/city-b/climate"
A = "/cities/city-a/climate"


def inv_path(city: str, owner: str | None = None) -> Callable[[World], str]:
    """The edit address of `owner`'s inventory through `city`'s pages."""
    return lambda w: (f"/cities/city-{city}/climate/inventories/"
                      f"{w.ids[f'{owner or city}_inventory'].id}/edit")


def event_path(city: str, owner: str | None = None) -> Callable[[World], str]:
    """The new-event address of `owner`'s hazard through `city`'s pages."""
    return lambda w: (f"/cities/city-{city}/climate/hazards/"
                      f"{w.ids[f'{owner or city}_hazards'].id}/events/new")


ENTITY_ROWS: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    row for kind in ("targets", "hazards", "goals", "actions") for row in (
        ("climate.list_entities", "GET", f"{B}/{kind}/", None, read_b(OK)),
        ("climate.new_entity", "GET", f"{B}/{kind}/new", None, edit_b(OK)),
        ("climate.new_entity", "POST", f"{B}/{kind}/new", new_form(kind, "b"),
         edit_b(REDIRECT)),
        ("climate.new_entity", "POST", f"{A}/{kind}/new", new_form(kind, "a"),
         edit_a(REDIRECT)),
        ("climate.edit_entity", "GET", record_path("b", kind), None, edit_b(OK)),
        ("climate.edit_entity", "POST", record_path("b", kind), edit_form(kind, "b"),
         edit_b(REDIRECT)),
        ("climate.edit_entity", "POST", record_path("b", kind),
         edit_form(kind, "b", expected_version="0"), edit_b(CONFLICT)),
        ("climate.edit_entity", "POST", record_path("b", kind, "a"), edit_form(kind, "a"),
         edit_b(NOT_FOUND)),
    )]

ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("climate.overview", "GET", B, None, read_b(OK)),
    ("climate.overview", "GET", A, None, read_a(OK)),
    ("climate.overview", "GET", "/cities/nowhere/climate", None, expect(NOT_FOUND)),
    ("climate.risks", "GET", f"{B}/risks", None, read_b(OK)),
    ("climate.risks", "GET", f"{A}/risks", None, read_a(OK)),
    ("climate.new_inventory", "GET", f"{B}/inventories/new", None, edit_b(OK)),
    ("climate.new_inventory", "POST", f"{B}/inventories/new",
     inventory_form(se_residential_1_value="5"), edit_b(REDIRECT)),
    ("climate.new_inventory", "POST", f"{A}/inventories/new",
     inventory_form(se_residential_1_value="5"), edit_a(REDIRECT)),
    ("climate.new_inventory", "POST", f"{B}/inventories/new",
     inventory_form(se_residential_1_value="-5"), edit_b(UNPROCESSABLE)),
    ("climate.edit_inventory", "GET", inv_path("b"), None, edit_b(OK)),
    ("climate.edit_inventory", "POST", inv_path("b"),
     over_inventory("b_inventory", se_residential_1_value="7"), edit_b(REDIRECT)),
    ("climate.edit_inventory", "POST", inv_path("a"),
     over_inventory("a_inventory", se_residential_1_value="7"), edit_a(REDIRECT)),
    ("climate.edit_inventory", "POST", inv_path("b"),
     inventory_form(2020, "0", se_residential_1_value="7"), edit_b(CONFLICT)),
    ("climate.edit_inventory", "POST", inv_path("b", "a"),
     over_inventory("a_inventory", se_residential_1_value="7"), edit_b(NOT_FOUND)),
    # Confirming a flagged population: the whole matrix is in test_cdp_population.py.
    ("climate.confirm_population", "POST",
     lambda w: f"{B}/inventories/{w.ids['a_inventory'].id}/confirm-population",
     {"expected_version": "1"}, edit_b(NOT_FOUND)),
    *ENTITY_ROWS,
    ("climate.edit_profile", "GET", f"{B}/profile", None, edit_b(OK)),
    ("climate.edit_profile", "POST", f"{B}/profile", {"commitment_date": "2019-05-01"},
     edit_b(REDIRECT)),
    ("climate.edit_profile", "POST", f"{B}/profile", {"commitment_date": "someday"},
     edit_b(UNPROCESSABLE)),
    ("climate.new_event", "GET", event_path("b"), None, edit_b(OK)),
    ("climate.new_event", "POST", event_path("b"), {"occurred_on": "2022-07-01", "deaths": "3"},
     edit_b(REDIRECT)),
    ("climate.new_event", "POST", event_path("b", "a"), {"occurred_on": "2022-07-01"},
     edit_b(NOT_FOUND)),
    ("climate.rate_capacity", "GET", f"{B}/capacities", None, edit_b(OK)),
    ("climate.rate_capacity", "POST", f"{B}/capacities",
     {"factor": "healthcare", "rating": "low"}, edit_b(REDIRECT)),
    ("climate.rate_capacity", "POST", f"{A}/capacities",
     {"factor": "healthcare", "rating": "low"}, edit_a(REDIRECT)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[0]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, climate_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = state(db)
    check_access(row, role, climate_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, UNPROCESSABLE, CONFLICT):
        assert state(db) == before, "a refused request changed something"
    elif row[1] == "POST":
        assert state(db) != before, "an accepted save changed nothing"


def test_the_matrix_covers_every_climate_route(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("climate.")} == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- behaviour

def phase_status(html: str, phase: str) -> str:
    """Read a phase's status from the compliance panel."""
    found = re.search(rf'data-phase="{phase}".*?data-status="(\w+)"', html, re.S)
    assert found, f"no {phase} in the panel"
    return found.group(1)


def mandatory_cells() -> dict[str, str]:
    """Every BASIC cell of the mandatory sectors, filled (what the CRF's "shall" asks)."""
    return {field_name(row.code, scope, "value"): "1" for sector in MANDATORY_SECTORS
            for row in rows_of(sector) for scope in row.basic_scopes}


@pytest.fixture
def officer_b(climate_world: World, auth: Auth) -> World:
    """Sign in as city B's officer."""
    auth.login(climate_world.users["officer_b"])
    return climate_world


@pytest.mark.usefixtures("officer_b")
def test_invalid_cells_are_refused_whole_with_every_typed_value_kept(
        client: FlaskClient, db: Session) -> None:
    before = state(db)
    response = client.post(f"{B}/inventories/new", data=inventory_form(
        se_residential_1_value="-5", tr_rail_1_key="IE", tr_rail_1_note="",
        tr_aviation_2_value="12", tr_aviation_2_key="NO", tr_aviation_2_note="none",
        wa_solid_1_value="3 000.5"))
    html = response.get_data(as_text=True)
    assert response.status_code == UNPROCESSABLE
    assert "Residential buildings, scope 1: emissions cannot be negative" in html
    assert "Rail, scope 1: notation key IE needs an explanation" in html
    assert "Aviation, scope 2: give a number or a notation key, not both" in html
    assert 'name="cell-se.residential-1-value" value="-5"' in html
    assert 'name="cell-tr.aviation-2-note" value="none"' in html
    assert '<option value="IE" title="Included Elsewhere" selected>' in html
    assert 'id="total-basic">3,000.5<' in html  # the valid cell still counts
    assert state(db) == before


def test_totals_follow_the_gpc_rules_and_show_after_save(officer_b: World,
                                                         client: FlaskClient) -> None:
    response = client.post(f"{B}/inventories/new", data=inventory_form(
        2024, se_residential_1_value="100", se_residential_3_value="10",
        wa_solid_3_value="5", ippu_process_1_value="20.25", gen_electricity_1_value="1000",
        tr_rail_1_key="NO", tr_rail_1_note="No railway"))
    assert response.status_code == REDIRECT
    html = client.get(B).get_data(as_text=True)
    assert 'id="overview-basic">105 tCO2e' in html
    assert 'id="overview-basic-plus">135.25 tCO2e' in html
    assert "1,000 tCO2e" in html  # generation, shown apart
    inventory = officer_b.ids["b_inventory"]
    edit = client.get(f"{B}/inventories/{inventory.id}/edit").get_data(as_text=True)
    assert 'id="total-basic">1,000<' in edit


def test_a_stale_inventory_save_is_refused_and_keeps_the_typed_values(
        officer_b: World, client: FlaskClient, db: Session) -> None:
    inventory = officer_b.ids["b_inventory"]
    start = inventory.version
    form = inventory_form(2020, start, se_residential_1_value="42")
    assert client.post(f"{B}/inventories/{inventory.id}/edit", data=form).status_code == REDIRECT
    before = state(db)
    response = client.post(f"{B}/inventories/{inventory.id}/edit",
                           data=form | cells(se_residential_1_value="43"))
    html = response.get_data(as_text=True)
    assert response.status_code == CONFLICT
    assert "Someone else saved this inventory" in html
    assert 'name="cell-se.residential-1-value" value="43"' in html
    assert f'name="expected_version" type="hidden" value="{start + 1}"' in html
    assert state(db) == before


def test_a_target_year_before_its_base_year_is_refused(officer_b: World,
                                                       client: FlaskClient, db: Session) -> None:
    before = state(db)
    response = client.post(f"{B}/targets/new", data=FORMS["targets"](officer_b, "b") | {
        "base_year": "2030", "target_year": "2025"})
    assert response.status_code == UNPROCESSABLE
    assert "the target year 2025 is not after the base year 2030" in response.get_data(
        as_text=True)
    assert state(db) == before


def test_an_unknown_sdg_target_is_refused(officer_b: World, client: FlaskClient,
                                          db: Session) -> None:
    before = state(db)
    response = client.post(f"{B}/actions/new", data=FORMS["actions"](officer_b, "b") | {
        "sdg_targets": "13.2, 99.9"})
    assert response.status_code == UNPROCESSABLE
    assert "Unknown SDG target(s): 99.9" in response.get_data(as_text=True)
    assert state(db) == before


def test_the_compliance_panel_follows_inventory_target_and_plan(
        world: World, auth: Auth, client: FlaskClient, make_plan: Any,  # noqa: F811
        make_element: Any) -> None:
    auth.login(world.users["officer_b"])
    city = world.cities["b"]
    html = client.get(B).get_data(as_text=True)
    assert [phase_status(html, p) for p in ("mitigation_inventory", "mitigation_target",
                                            "mitigation_plan")] == ["not_started"] * 3
    client.post(f"{B}/inventories/new", data=inventory_form(2024) | mandatory_cells())
    html = client.get(B).get_data(as_text=True)
    assert phase_status(html, "mitigation_inventory") == "met"
    assert phase_status(html, "mitigation_target") == "not_started"
    client.post(f"{B}/targets/new", data=FORMS["targets"](world, "b"))
    assert phase_status(client.get(B).get_data(as_text=True), "mitigation_target") == "met"
    plan = make_plan(city, title="Climate action plan", status="adopted",
                     adopted_on=date(2023, 3, 1))
    element = make_element(plan, "1")
    response = client.post(f"{B}/actions/new", data=FORMS["actions"](world, "b") | {
        "element_ids": [str(element.id)]})
    assert response.status_code == REDIRECT
    html = client.get(B).get_data(as_text=True)
    assert phase_status(html, "mitigation_plan") == "met"
    assert "Climate action plan · 1" in html and "13.2, 7.2" in html


@pytest.mark.usefixtures("officer_b")
def test_the_risk_matrix_places_each_hazard_by_consequence_and_probability(
        client: FlaskClient) -> None:
    html = client.get(f"{B}/risks").get_data(as_text=True)
    cell = re.search(r'data-consequence="moderate" data-probability="high">(.*?)</td>', html,
                     re.S)
    assert cell and "Extreme heat: heat wave" in cell.group(1)
    assert html.count("Extreme heat: heat wave") == 1
