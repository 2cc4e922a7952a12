"""Climate demo data for Bhavnagar, eThekwini and Helsinki.

Every figure here is a synthetic demo value: neither crf.md nor local-plans.md gives these
cities' inventories. Only Helsinki's target year (carbon neutral by 2035) is real.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from tracker.cities.models import City
from tracker.climate import services as s
from tracker.climate.models import (
    CellIn,
    ClimateActionCreate,
    ClimateProfile,
    ClimateProfileCreate,
    Hazard,
    HazardCreate,
    InventoryCreate,
    MitigationTargetCreate,
    PastHazardEventCreate,
)
from tracker.climate.vocab import Change, Level, Timeframe
from tracker.db import saved_id
from tracker.plans.models import Plan, PlanElement

SYNTHETIC = "Synthetic demo value"
NE = ("NE", "Not estimated yet: no activity data (synthetic demo value)")
NO = ("NO", "Does not occur in the city (synthetic demo value)")
IE = ("IE", "Included in commercial buildings (synthetic demo value)")

# row code → scope 1, 2, 3 cells: a tCO2e figure, a (key, explanation) pair, or None (blank).
HELSINKI_CELLS: dict[str, tuple[Any, Any, Any]] = {
    "se.residential": ("210000", "420000", "21000"), "se.commercial": ("90000", "380000", None),
    "se.institutional": (IE, IE, None), "se.industrial": ("60000", "150000", None),
    "se.agriculture": (NO, NO, None), "se.fugitive": (NO, None, None),
    "tr.on_road": ("480000", "12000", "60000"), "tr.rail": (NO, "9000", None),
    "tr.waterborne": ("55000", NO, None), "tr.aviation": (NO, NO, NE),
    "tr.off_road": ("40000", NO, None), "wa.solid": ("30000", None, "5000"),
    "wa.biological": ("4000", None, NO), "wa.incineration": (IE, None, NO),
    "wa.wastewater": ("8000", None, NO), "gen.chp": ("2900000", None, None),
}
ETHEKWINI_CELLS: dict[str, tuple[Any, Any, Any]] = {
    "se.residential": ("350000", "3100000", None), "se.commercial": ("120000", "2600000", None),
    "se.institutional": (NE, NE, None), "se.industrial": ("2400000", "5200000", None),
    "se.agriculture": (NE, NE, None), "se.fugitive": (NE, None, None),
    "tr.on_road": ("4900000", NO, None), "tr.rail": ("25000", "180000", None),
    "tr.waterborne": ("310000", None, None), "tr.aviation": ("140000", None, None),
    "tr.off_road": (NE, NE, None), "wa.solid": ("1100000", None, NO),
    "wa.biological": (NO, None, NO), "wa.incineration": (NE, None, NO),
    "wa.wastewater": ("160000", None, None),  # scope 3 left blank: a failing "shall" check
}
BHAVNAGAR_CELLS: dict[str, tuple[Any, Any, Any]] = {
    "se.residential": ("60000", "240000", None), "se.commercial": ("15000", "90000", None),
    "se.industrial": ("210000", "330000", None), "tr.on_road": ("280000", NO, None),
    "wa.solid": ("70000", None, NE),
}


def cells(table: dict[str, tuple[Any, Any, Any]]) -> list[CellIn]:
    """Turn a demo table into validated cells."""
    out = []
    for code, values in table.items():
        for scope, value in enumerate(values, start=1):
            if isinstance(value, tuple):
                out.append(CellIn(row_code=code, scope=scope, notation_key=value[0],
                                  explanation=value[1]))
            elif value is not None:
                out.append(CellIn(row_code=code, scope=scope, value=value))
    return out


def element_ids(session: Session, city: City, plan_title: str, *codes: str) -> list[int]:
    """Return the ids of a city's plan elements by plan title start and code (missing: none)."""
    query = select(PlanElement).join(Plan).where(
        Plan.city_id == city.id, col(Plan.title).startswith(plan_title),
        col(PlanElement.code).in_(codes))
    return [saved_id(e) for e in session.exec(query)]


CITIES: dict[str, dict[str, Any]] = {
    "helsinki": {
        "committed": date(2019, 6, 1), "cells": HELSINKI_CELLS,
        "inventory": {"year": 2021, "period_start": date(2021, 1, 1),
                      "period_end": date(2021, 12, 31), "population": 665000,
                      "population_year": 2021},
        "targets": [{"kind": "base_year", "base_year": 2018, "base_year_emissions": "2390000",
                     "target_year": 2035, "reduction_percent": "80",
                     "description": "Carbon-neutral Helsinki 2035: the target year is real; "
                                    f"the figures are a {SYNTHETIC}."}],
        "hazards": [("extreme_precipitation.rain_storm", "moderate", "moderate", "increase"),
                    ("flood_sea_level.coastal_flood", "low", "high", "increase"),
                    ("extreme_heat.heat_wave", "low", "moderate", "increase")],
        "actions": [("mitigation", "District heating without coal", "stationary_energy",
                     ("Helsinki City Strategy", "4"), ("13.2", "7.2"), "in_progress")],
    },
    "ethekwini": {
        "committed": date(2018, 3, 1), "cells": ETHEKWINI_CELLS,
        "inventory": {"year": 2019, "period_start": date(2019, 7, 1),
                      "period_end": date(2020, 6, 30), "population": 3300000},
        "targets": [{"kind": "baseline_scenario", "base_year": 2015, "target_year": 2030,
                     "bau_emissions": "30000000", "reduction_percent": "40",
                     "description": f"{SYNTHETIC}."}],
        "hazards": [("flood_sea_level.river_flood", "high", "high", "increase"),
                    ("flood_sea_level.coastal_flood", "moderate", "high", "increase"),
                    ("water_scarcity", "moderate", "moderate", "unknown")],
        "actions": [("adaptation", "Restore river floodplains", "water",
                     ("eThekwini Integrated Development Plan", "1"), ("11.b", "13.1"),
                     "planned")],
    },
    "bhavnagar": {
        "committed": date(2021, 1, 15), "cells": BHAVNAGAR_CELLS,
        "inventory": {"year": 2022, "period_start": date(2022, 4, 1),
                      "period_end": date(2023, 3, 31), "population": 600000},
        "targets": [{"kind": "fixed_level", "target_year": 2030, "reduction_percent": None,
                     "description": f"{SYNTHETIC}: no target year emissions yet."}],
        "hazards": [("extreme_heat.heat_wave", "high", "high", "increase"),
                    ("storm_wind.cyclone", "moderate", "high", "increase"),
                    ("chemical_change.salt_water_intrusion", "moderate", "moderate",
                     "increase")],
        "actions": [("adaptation", "Heat action plan: cooling centres", "health",
                     ("Bhavnagar Climate Action Plan", "5"), ("13.1", "11.b"), "planned"),
                    ("mitigation", "Rooftop solar on municipal buildings", "stationary_energy",
                     ("Bhavnagar Climate Action Plan", "1"), ("7.2", "13.2"), "planned")],
    },
}


def _hazards(session: Session, city: City, specs: list[tuple[str, ...]]) -> dict[str, int]:
    """Create the demo hazards; return their ids by code."""
    ids = {}
    for code, probability, consequence, change in specs:
        hazard = s.create_hazard(session=session, city=city, user_id=None, hazard_in=HazardCreate(
            hazard=code, current_probability=Level(probability),
            current_consequence=Level(consequence), future_intensity=Change(change),
            future_frequency=Change(change), timeframe=Timeframe.MEDIUM,
            affected_sectors=["water", "health"], vulnerable_groups=["elderly", "low_income"],
            impact_description=f"{SYNTHETIC}."))
        ids[code] = saved_id(hazard)
    first = session.get(Hazard, next(iter(ids.values()))) if ids else None
    if first is not None:
        s.add_past_event(session=session, hazard=first, user_id=None,
                         event_in=PastHazardEventCreate(occurred_on=date(2022, 4, 11),
                                                        deaths=0, people_affected=1200,
                                                        description=f"{SYNTHETIC}."))
    return ids


def _actions(session: Session, city: City, specs: list[tuple[Any, ...]],
             hazard_ids: dict[str, int]) -> None:
    """Create the demo actions with their plan elements and SDG targets."""
    for kind, title, sector, (plan_title, code), sdg, status in specs:
        s.create_action(session=session, city=city, user_id=None, action_in=ClimateActionCreate(
            kind=kind, title=title, sector=sector, status=status,
            description=f"{SYNTHETIC}.", total_cost=Decimal("1000000"), currency="USD",
            expected_reduction_tco2e=Decimal("25000") if kind == "mitigation" else None,
            element_ids=element_ids(session, city, plan_title, code),
            sdg_target_ids=s.target_ids(session, list(sdg)),
            hazard_ids=list(hazard_ids.values())[:1] if kind == "adaptation" else []))


def load_city(session: Session, city: City, spec: dict[str, Any]) -> None:
    """Give one city its demo profile, inventory, targets, hazards and actions."""
    s.save_profile(session=session, city=city, version=None, user_id=None,
                   profile_in=ClimateProfileCreate(commitment_date=spec["committed"],
                                                   note=f"Commitment date: {SYNTHETIC}."))
    s.create_inventory(session=session, city=city, user_id=None, inventory_in=InventoryCreate(
        **spec["inventory"], cells=cells(spec["cells"]), source=SYNTHETIC,
        comment=f"Every figure is a {SYNTHETIC}."))
    for target in spec["targets"]:
        s.create_target(session=session, city=city, user_id=None,
                        target_in=MitigationTargetCreate(**target, source=SYNTHETIC))
    _actions(session, city, spec["actions"], _hazards(session, city, spec["hazards"]))


def load_climate_demo(session: Session) -> list[str]:
    """Load the climate demo for the demo cities that have no climate profile yet."""
    created = []
    for slug, spec in CITIES.items():
        city = session.exec(select(City).where(City.slug == slug)).first()
        if city is None or session.exec(select(ClimateProfile.id).where(
                ClimateProfile.city_id == city.id)).first() is not None:
            continue
        load_city(session, city, spec)
        created.append(f"climate data of {city.name}")
    session.flush()
    return created
