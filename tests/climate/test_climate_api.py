"""The climate API: who may read it, exact decimals, totals, links and compliance."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.climate.test_climate_routes import climate_world, give_climate  # noqa: F401
from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    OK,
    ROLES,
    World,
    check_access,
    expect,
    world,
)
from tracker.climate import services as s
from tracker.climate.models import CellIn, ClimateProfileCreate, InventoryCreate

UNAUTHORISED, NOT_FOUND = 401, 404
B = "/api/v1/cities/city-b/climate"

ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("api.show_climate", "GET", B, None,
     expect(DENIED, anonymous=UNAUTHORISED, admin=OK, secretariat_b=OK, officer_b=OK)),
    ("api.show_climate", "GET", "/api/v1/cities/city-a/climate", None,
     expect(DENIED, anonymous=UNAUTHORISED, admin=OK, secretariat_a=OK, officer_a=OK,
            reviewer_a=OK)),
    ("api.show_climate", "GET", "/api/v1/cities/nowhere/climate", None, expect(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[r[2] for r in ACCESS_MATRIX])
def test_access(row: tuple[Any, ...], role: str, climate_world: World,  # noqa: F811
                client: FlaskClient, auth: Auth, db: Session) -> None:
    check_access(row, role, climate_world, client, auth, db)


@pytest.fixture
def helsinki_like(world: World, app: Flask, db: Session, auth: Auth) -> World:  # noqa: F811
    """City B with a commitment, a detailed inventory and the usual records; admin signed in."""
    city = world.cities["b"]
    with boundary(app, db):
        s.save_profile(session=db, city=city, version=None, user_id=None,
                       profile_in=ClimateProfileCreate(commitment_date=date(2019, 6, 1)))
        s.create_inventory(session=db, city=city, user_id=None, inventory_in=InventoryCreate(
            year=2024, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
            population=1000,
            cells=[CellIn(row_code="se.residential", scope=1, value=Decimal("100.10")),
                   CellIn(row_code="se.residential", scope=3, value=Decimal("10")),
                   CellIn(row_code="ippu.process", scope=1, value=Decimal("0.05")),
                   CellIn(row_code="gen.chp", scope=1, value=Decimal("999")),
                   CellIn(row_code="tr.rail", scope=1, notation_key="NO",
                          explanation="No railway")]))
        for name, record in give_climate(db, city).items():
            world.ids[name] = record
    auth.login(world.users["admin"])
    return world


@pytest.mark.usefixtures("helsinki_like")
def test_inventories_come_with_exact_cells_and_gpc_totals(
                                                          client: FlaskClient) -> None:
    body = client.get(B).json
    latest = body["inventories"][0]
    assert (latest["year"], latest["period_start"]) == (2024, "2024-01-01")
    cells = {(c["row_code"], c["scope"]): c for c in latest["cells"]}
    assert cells[("se.residential", 1)]["value"] == "100.1"
    assert cells[("tr.rail", 1)] | {} == {"row_code": "tr.rail", "scope": 1, "value": None,
                                         "notation_key": "NO", "explanation": "No railway"}
    totals = latest["totals"]
    assert (totals["basic"], totals["basic_plus"], totals["generation"]) == (
        "100.1", "110.15", "999")
    assert totals["basic_per_capita"] == "0.1001"
    assert totals["by_sector"]["stationary_energy"] == {"1": "100.1", "3": "10"}


@pytest.mark.usefixtures("helsinki_like")
def test_targets_actions_hazards_and_compliance(
                                                client: FlaskClient) -> None:
    body = client.get(B).json
    target = body["targets"][0]
    assert (target["kind"], target["base_year"], target["target_year"]) == (
        "base_year", 2020, 2030)
    assert target["progress"]["goal"] == "500"
    hazard = body["hazards"][0]
    assert (hazard["hazard"], hazard["current_probability"]) == ("extreme_heat.heat_wave",
                                                                "high")
    action = body["actions"][0]
    assert action["hazard_ids"] == [hazard["id"]] and action["kind"] == "adaptation"
    compliance = body["compliance"]
    assert compliance["committed_on"] == "2019-06-01"
    phases = {p["phase"]: p for p in compliance["phases"]}
    assert phases["mitigation_target"]["status"] == "met"
    assert phases["mitigation_plan"] == {"phase": "mitigation_plan", "status": "not_started",
                                         "deadline": "2022-06-01", "overdue": True}
    assert any("Stationary energy" in f["message"] and f["phase"] == "mitigation_inventory"
               for f in compliance["failures"])


def test_the_openapi_document_describes_the_climate_route(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    assert "/cities/{slug}/climate" in doc["paths"]
    assert {"CityClimate", "ClimateInventory", "ClimateCompliance"} <= set(
        doc["components"]["schemas"])
