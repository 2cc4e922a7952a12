"""Climate services: CRF validation, history, optimistic locking, links to plans and SDGs."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.audit.models import AuditEvent
from tracker.cities.models import City
from tracker.climate import services as s
from tracker.climate.models import (
    AdaptationGoalCreate,
    CellIn,
    ClimateActionCreate,
    ClimateActionPublic,
    ClimateProfileCreate,
    GhgInventory,
    HazardCreate,
    InventoryCell,
    InventoryCreate,
    MitigationTargetCreate,
)
from tracker.errors import StaleEditError
from tracker.validation import describe


def inventory_in(**overrides: Any) -> InventoryCreate:
    """A valid calendar-year inventory with two cells."""
    values: dict[str, Any] = {
        "year": 2020, "period_start": date(2020, 1, 1), "period_end": date(2020, 12, 31),
        "cells": [CellIn(row_code="se.residential", scope=1, value=Decimal("100.5")),
               CellIn(row_code="tr.rail", scope=1, notation_key="NO",
                      explanation="No railway in the city")]}
    return InventoryCreate(**{**values, **overrides})


def count(db: Session, model: type) -> int:
    """Count a table's rows."""
    return db.exec(select(func.count()).select_from(model)).one()


def refused(build: Callable[[], Any]) -> str:
    """Return the message of a refused input."""
    with pytest.raises(ValidationError) as error:
        build()
    return describe(error.value)


@pytest.mark.usefixtures("app_ctx")
def test_an_inventory_is_saved_with_cells_and_history(db: Session,
                                                      make_city: Callable[..., City]) -> None:
    city = make_city()
    inventory = s.create_inventory(session=db, city=city, inventory_in=inventory_in(),
                                   user_id=None)
    db.expire_all()
    saved = db.get(GhgInventory, inventory.id)
    assert {(c.row_code, c.scope, c.value, c.notation_key) for c in saved.cells} == {
        ("se.residential", 1, Decimal("100.5"), None), ("tr.rail", 1, None, "NO")}
    event = db.exec(select(AuditEvent).where(AuditEvent.entity_type == "GhgInventory",
                                             AuditEvent.entity_id == inventory.id)).one()
    assert event.action == "create" and event.changes["cell tr.rail/1"][1] == (
        "NO (No railway in the city)")


@pytest.mark.parametrize(("cell", "message"), [
    ({"row_code": "se.residential", "scope": 1, "value": "-5"},
     "Residential buildings, scope 1: emissions cannot be negative"),
    ({"row_code": "tr.aviation", "scope": 2, "notation_key": "IE"},
     "Aviation, scope 2: notation key IE needs an explanation"),
    ({"row_code": "wa.solid", "scope": 1, "value": "3", "notation_key": "NE", "explanation": "x"},
     "Solid waste disposal, scope 1: give a number or a notation key, not both"),
    ({"row_code": "se.fugitive", "scope": 2, "value": "3"},
     "Fugitive emissions, scope 2: this scope is not reported for this row"),
    ({"row_code": "xx.nothing", "scope": 1, "value": "3"}, "unknown CRF row 'xx.nothing'"),
])
def test_bad_cells_are_refused_naming_the_cell(cell: dict[str, Any], message: str) -> None:
    assert message in refused(lambda: CellIn(**cell))


@pytest.mark.usefixtures("app_ctx")
def test_a_refused_inventory_changes_nothing(db: Session,
                                             make_city: Callable[..., City]) -> None:
    make_city()
    before = (count(db, GhgInventory), count(db, InventoryCell), count(db, AuditEvent))
    message = refused(lambda: inventory_in(cells=[
        {"row_code": "se.residential", "scope": 1, "value": "-1"}]))
    assert "emissions cannot be negative" in message
    assert "the accounting period ends before it starts" in refused(
        lambda: inventory_in(period_end=date(2019, 12, 31)))
    assert "given twice" in refused(lambda: inventory_in(cells=[
        CellIn(row_code="wa.solid", scope=1, value=1)] * 2))
    assert "N2X" in refused(lambda: inventory_in(gases=["CO2", "N2X"]))
    assert (count(db, GhgInventory), count(db, InventoryCell), count(db, AuditEvent)) == before


@pytest.mark.usefixtures("app_ctx")
def test_one_inventory_per_year_and_stale_edits_are_refused(
        db: Session, make_city: Callable[..., City]) -> None:
    city = make_city()
    inventory = s.create_inventory(session=db, city=city, inventory_in=inventory_in(),
                                   user_id=None)
    with pytest.raises(s.ClimateError, match="already an inventory for 2020"):
        s.create_inventory(session=db, city=city, inventory_in=inventory_in(), user_id=None)
    changed = inventory_in(cells=[CellIn(row_code="se.residential", scope=1, value="90")])
    with pytest.raises(StaleEditError):
        s.update_inventory(session=db, inventory=inventory, inventory_in=changed, version=7,
                           user_id=None)
    s.update_inventory(session=db, inventory=inventory, inventory_in=changed, version=1,
                       user_id=None)
    assert inventory.version == 2 and [(c.row_code, c.value) for c in inventory.cells] == [
        ("se.residential", Decimal("90"))]
    update = db.exec(select(AuditEvent).where(AuditEvent.entity_id == inventory.id,
                                              AuditEvent.action == "update")).one()
    assert update.changes["cell se.residential/1"] == ["100.5", "90"]
    assert update.changes["cell tr.rail/1"][1] is None


def test_target_year_must_follow_base_year_and_reduction_in_range() -> None:
    assert "the target year 2010 is not after the base year 2015" in refused(
        lambda: MitigationTargetCreate(kind="base_year", base_year=2015, target_year=2010))
    assert "reduction_percent" in refused(
        lambda: MitigationTargetCreate(kind="base_year", base_year=2015, target_year=2030,
                                       reduction_percent=120))
    assert "unknown value(s): energy" in refused(
        lambda: MitigationTargetCreate(kind="fixed_level", target_year=2030, sectors=["energy"]))


@pytest.mark.usefixtures("app_ctx")
def test_hazards_come_from_the_typology_once_per_city(db: Session,
                                                      make_city: Callable[..., City]) -> None:
    assert "'heat' is not in the hazard typology" in refused(lambda: HazardCreate(hazard="heat"))
    city = make_city()
    s.create_hazard(session=db, city=city, hazard_in=HazardCreate(hazard="extreme_heat"),
                    user_id=None)
    with pytest.raises(s.ClimateError, match="already in the assessment"):
        s.create_hazard(session=db, city=city, hazard_in=HazardCreate(hazard="extreme_heat"),
                        user_id=None)


@pytest.mark.usefixtures("app_ctx")
def test_goals_and_actions_link_only_the_citys_own_hazards_and_elements(
        db: Session, make_city: Callable[..., City], make_plan: Callable[..., Any],
        make_element: Callable[..., Any]) -> None:
    city, other = make_city(), make_city()
    hazard = s.create_hazard(session=db, city=city, user_id=None,
                             hazard_in=HazardCreate(hazard="flood_sea_level.river_flood"))
    foreign = s.create_hazard(session=db, city=other, user_id=None,
                              hazard_in=HazardCreate(hazard="extreme_heat"))
    with pytest.raises(s.ClimateError, match="one of this city's assessed hazards"):
        s.create_goal(session=db, city=city, user_id=None, goal_in=AdaptationGoalCreate(
            hazard_id=foreign.id, description="Cooler streets"))
    own_element = make_element(make_plan(city), "1")
    other_element = make_element(make_plan(other), "1")
    action = ClimateActionCreate(kind="adaptation", title="Floodplain parks",
                                 element_ids=[own_element.id], hazard_ids=[hazard.id],
                                 sdg_target_ids=s.target_ids(db, ["11.b", "13.1"]))
    saved = s.create_action(session=db, city=city, action_in=action, user_id=None)
    assert {t.code for t in saved.sdg_targets} == {"11.b", "13.1"}
    assert [e.id for e in saved.elements] == [own_element.id] and saved.hazards == [hazard]
    public = ClimateActionPublic.of(saved)
    assert (sorted(public.sdg_targets), public.hazard_ids, public.kind) == (
        ["11.b", "13.1"], [hazard.id], "adaptation")
    with pytest.raises(s.ClimateError, match="elements of this city's plans"):
        s.create_action(session=db, city=city, user_id=None, action_in=action.model_copy(
            update={"element_ids": [other_element.id]}))
    with pytest.raises(s.ClimateError, match="Unknown SDG target"):
        s.target_ids(db, ["99.9"])
    assert "addresses no hazards" in refused(lambda: ClimateActionCreate(
        kind="mitigation", title="Solar", hazard_ids=[hazard.id]))


@pytest.mark.usefixtures("app_ctx")
def test_cdp_account_numbers_belong_to_one_city(db: Session,
                                                make_city: Callable[..., City]) -> None:
    first, second = make_city(), make_city()
    s.save_profile(session=db, city=first, version=None, user_id=None,
                   profile_in=ClimateProfileCreate(cdp_account_number=8242))
    with pytest.raises(s.ClimateError, match="8242 belongs to another city"):
        s.save_profile(session=db, city=second, version=None, user_id=None,
                       profile_in=ClimateProfileCreate(cdp_account_number=8242))
    profile = s.save_profile(session=db, city=first, version=1, user_id=None,
                             profile_in=ClimateProfileCreate(cdp_account_number=8242,
                                                             commitment_date=date(2019, 1, 1)))
    assert profile.version == 2 and profile.commitment_date == date(2019, 1, 1)
