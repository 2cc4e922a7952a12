"""CRF compliance: phases met, failing "shall" checks and deadlines from the commitment."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from tracker.cities.models import City
from tracker.climate import services as s
from tracker.climate.compliance import Phase, Status, add_years, assess
from tracker.climate.models import (
    AdaptationGoal,
    ClimateAction,
    ClimateProfile,
    GhgInventory,
    Hazard,
    InventoryCell,
    MitigationTarget,
)
from tracker.climate.queries import CityClimate, load_city_climate
from tracker.climate.sectors import MANDATORY_SECTORS, rows_of
from tracker.plans.models import Plan, PlanElement

TODAY = date(2023, 6, 1)


def complete_cells(skip: tuple[str, int] | None = None) -> list[InventoryCell]:
    """Fill every BASIC cell of the mandatory sectors (a number, or NO with a reason)."""
    cells = []
    for sector in MANDATORY_SECTORS:
        for row in rows_of(sector):
            for scope in sorted(row.basic_scopes):
                if (row.code, scope) == skip:
                    continue
                cells.append(InventoryCell(row_code=row.code, scope=scope, value=Decimal(10))
                             if scope == 1 else
                             InventoryCell(row_code=row.code, scope=scope, notation_key="NO",
                                           explanation="none"))
    return cells


def inventory(**overrides: Any) -> GhgInventory:
    """A complete 2021 inventory."""
    values: dict[str, Any] = {"year": 2021, "period_start": date(2021, 1, 1),
                              "period_end": date(2021, 12, 31), "gases": ["CO2", "CH4", "N2O"]}
    cells = overrides.pop("cells", None)
    made = GhgInventory(**{**values, **overrides})
    made.cells = complete_cells() if cells is None else cells
    return made


def action(kind: str, adopted: bool = True) -> ClimateAction:
    """An action carried by an element of a plan, adopted with a date or not."""
    plan = Plan(kind="climate_action_plan", title="CAP", start_year=2022, end_year=2030,
                status="adopted" if adopted else "draft",
                adopted_on=date(2022, 5, 1) if adopted else None)
    made = ClimateAction(kind=kind, title=f"{kind} action")
    made.elements = [PlanElement(code="1", title="Element", plan=plan)]
    return made


def compliant_city() -> CityClimate:
    """A city that meets every phase."""
    return CityClimate(
        city=City(name="Test", slug="test", country_code="ZA"),
        profile=ClimateProfile(city_id=1, commitment_date=date(2020, 3, 1)),
        inventories=[inventory()],
        targets=[MitigationTarget(kind="base_year", base_year=2015, target_year=2030,
                                  base_year_emissions=Decimal(1000),
                                  reduction_percent=Decimal(40))],
        hazards=[Hazard(hazard="extreme_heat", current_probability="high",
                        current_consequence="moderate", future_intensity="increase",
                        timeframe="medium_term")],
        goals=[AdaptationGoal(hazard_id=1, description="Cool", target_year=2030)],
        actions=[action("mitigation"), action("adaptation")])


def test_a_city_meeting_every_phase_is_compliant() -> None:
    result = assess(compliant_city(), TODAY)
    assert result.compliant and result.failures == []
    assert {p.status for p in result.phases.values()} == {Status.MET}
    assert result.phases[Phase.INVENTORY].deadline == date(2022, 3, 1)
    assert result.phases[Phase.ADAPTATION_PLAN].deadline == date(2023, 3, 1)


def test_nothing_recorded_means_not_started_and_no_deadlines() -> None:
    result = assess(CityClimate(city=City(name="X", slug="x", country_code="ZA")), TODAY)
    assert not result.compliant
    assert {p.status for p in result.phases.values()} == {Status.NOT_STARTED}
    assert all(p.deadline is None and not p.overdue for p in result.phases.values())
    assert result.failures[0].message.startswith("No commitment date is recorded")


def test_deadlines_count_from_the_commitment_and_flag_overdue_phases() -> None:
    city = compliant_city()
    city.targets, city.hazards = [], []
    result = assess(city, TODAY)
    assert result.phases[Phase.TARGET].overdue  # due 2023-03-01
    assert result.phases[Phase.ASSESSMENT].overdue  # due 2022-03-01
    assert not result.phases[Phase.INVENTORY].overdue
    messages = {(f.phase, f.message) for f in result.failures}
    assert (Phase.TARGET, "Due by 2023-03-01; not met.") in messages
    assert not assess(city, date(2022, 1, 1)).phases[Phase.ASSESSMENT].overdue
    assert add_years(date(2020, 2, 29), 2) == date(2022, 2, 28)


def test_failing_shall_checks_name_what_to_fix() -> None:
    city = compliant_city()
    city.inventories = [inventory(cells=complete_cells(skip=("wa.wastewater", 3)),
                                  gases=["CO2"], period_end=date(2022, 1, 31), year=2018)]
    city.inventories[0].cells.append(InventoryCell(row_code="ippu.process", scope=1,
                                                   notation_key="IE", explanation=" "))
    result = assess(city, TODAY)
    assert result.phases[Phase.INVENTORY].status == Status.PARTIAL
    messages = [f.message for f in result.failures if f.phase == Phase.INVENTORY]
    assert messages == [
        "Waste: Wastewater, scope 3 is blank; give a number or a notation key.",
        "Industrial process, scope 1: notation key IE has no explanation.",
        "The inventory leaves out CH4, N2O (CO2, CH4 and N2O are required).",
        "The accounting period 2021-01-01–2022-01-31 is not one continuous 12 months.",
        "The latest inventory (2018) is more than 3 years old.",
        "Due by 2022-03-01; not met.",
    ]


def test_fiscal_years_count_as_twelve_months_and_totals_alone_do_not_pass() -> None:
    city = compliant_city()
    city.inventories = [inventory(period_start=date(2021, 4, 1), period_end=date(2022, 3, 31))]
    assert assess(city, TODAY).phases[Phase.INVENTORY].status == Status.MET
    city.inventories = [inventory(cells=[], reported_basic=Decimal(5))]
    assert [f.message for f in assess(city, TODAY).failures] == [
        "Only totals are recorded: the CRF sector table is not filled in.",
        "Due by 2022-03-01; not met."]


def test_incomplete_targets_hazards_and_unadopted_plans_are_partial() -> None:
    city = compliant_city()
    city.targets = [MitigationTarget(kind="base_year", target_year=2030, gases=[])]
    city.hazards = [Hazard(hazard="extreme_heat", current_probability="high")]
    city.actions = [action("mitigation", adopted=False), action("adaptation")]
    result = assess(city, TODAY)
    statuses = {p: r.status for p, r in result.phases.items()}
    assert statuses[Phase.TARGET] == statuses[Phase.ASSESSMENT] == Status.PARTIAL
    assert statuses[Phase.MITIGATION_PLAN] == Status.PARTIAL
    assert statuses[Phase.ADAPTATION_PLAN] == Status.MET
    messages = " | ".join(f.message for f in result.failures)
    assert ("the most complete lacks: base year, base-year or reference emissions, reduction, "
            "gases covered") in messages
    assert "No mitigation action is linked to an element of a formally adopted plan" in messages


@pytest.mark.usefixtures("app_ctx")
def test_the_loader_reads_everything_in_a_fixed_number_of_queries(
        db: Session, make_city: Callable[..., City],
        count_queries: Callable[[], Any]) -> None:
    from tests.climate.test_services import inventory_in
    from tracker.climate.models import ClimateActionCreate, HazardCreate

    city = make_city()
    for year in (2019, 2020):
        s.create_inventory(session=db, city=city, user_id=None, inventory_in=inventory_in(
            year=year, period_start=date(year, 1, 1), period_end=date(year, 12, 31)))
    hazard = s.create_hazard(session=db, city=city, user_id=None,
                             hazard_in=HazardCreate(hazard="extreme_heat"))
    for title in ("One", "Two"):
        s.create_action(session=db, city=city, user_id=None, action_in=ClimateActionCreate(
            kind="adaptation", title=title, hazard_ids=[hazard.id],
            sdg_target_ids=s.target_ids(db, ["13.1"])))
    db.expire_all()
    with count_queries() as queries:
        data = load_city_climate(db, city)
        assess(data, TODAY)
        assert [i.year for i in data.inventories] == [2020, 2019]
        assert [len(a.sdg_targets) for a in data.actions] == [1, 1]
    assert queries() == 13  # 8 tables + 5 eager loads, whatever the amount of data
