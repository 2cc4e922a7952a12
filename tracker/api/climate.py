"""JSON read API of a city's climate data: inventories (with cells and totals), targets,
hazards, adaptation goals, actions and CRF compliance.

Routes live on the API blueprint of tracker.api.routes, which imports this module. The data
is read in a fixed number of queries (`load_city_climate`); decimals are strings, so values
stay exact.
"""

from datetime import date
from typing import Any

from flask.typing import ResponseReturnValue

from tracker.api.blueprint import bp
from tracker.api.climate_schemas import CityClimate
from tracker.api.docs import api_doc
from tracker.api.observations import decimal_text
from tracker.auth.city_scope import city_route
from tracker.cities.models import City
from tracker.climate.compliance import Compliance, assess
from tracker.climate.models import (
    AdaptationGoalPublic,
    ClimateActionPublic,
    GhgInventory,
    HazardPublic,
    InventoryPublic,
    MitigationTargetPublic,
)
from tracker.climate.queries import load_city_climate
from tracker.climate.totals import compute_totals, headline, progress_against
from tracker.db import get_session


def totals_json(inventory: GhgInventory) -> dict[str, Any]:
    """Return an inventory's computed totals, by sector and scope, and its headline figures."""
    totals = compute_totals(inventory.cells)
    head = headline(inventory.cells, reported_basic=inventory.reported_basic,
                    reported_basic_plus=inventory.reported_basic_plus,
                    population=inventory.per_capita_population)
    return {
        "basic": decimal_text(head.basic), "basic_plus": decimal_text(head.basic_plus),
        "basic_per_capita": decimal_text(head.basic_per_capita),
        "basic_plus_per_capita": decimal_text(head.basic_plus_per_capita),
        "source": head.source, "generation": decimal_text(totals.generation),
        "by_sector": {str(sector): {str(scope): decimal_text(value)
                                    for scope, value in sorted(scopes.items())}
                      for sector, scopes in totals.by_sector.items()},
    }


def inventory_json(inventory: GhgInventory) -> dict[str, Any]:
    """Return an inventory with its cells and totals."""
    data = InventoryPublic.model_validate(inventory).model_dump(mode="json")
    return {**data, "totals": totals_json(inventory)}


def compliance_json(result: Compliance) -> dict[str, Any]:
    """Return the CRF compliance: phases with deadlines, and the failing checks."""
    return {
        "committed_on": result.committed_on.isoformat() if result.committed_on else None,
        "compliant": result.compliant,
        "phases": [{"phase": str(p.phase), "status": str(p.status),
                    "deadline": p.deadline.isoformat() if p.deadline else None,
                    "overdue": p.overdue} for p in result.phases.values()],
        "failures": [{"phase": str(f.phase) if f.phase else None, "code": f.code,
                      "message": f.message} for f in result.failures],
    }


@bp.get("/cities/<slug>/climate")
@api_doc("A city's GHG inventories (CRF cells and BASIC/BASIC+ totals), targets, hazards, "
         "adaptation goals, actions and CRF compliance (readers of the city's internal data)",
         CityClimate, errors=(401, 403, 404), secured=True)
@city_route("read_internals")
def show_climate(city: City) -> ResponseReturnValue:
    """Return a city's climate data and its CRF compliance (readers of its internals)."""
    data = load_city_climate(get_session(), city)
    targets = []
    for target in data.targets:
        progress = progress_against(target, data.inventories)
        targets.append({**MitigationTargetPublic.model_validate(target).model_dump(mode="json"),
                        "progress": {"base": decimal_text(progress.base),
                                     "latest_year": progress.latest_year,
                                     "latest": decimal_text(progress.latest),
                                     "goal": decimal_text(progress.goal),
                                     "percent": decimal_text(progress.percent)}})
    return {
        "city": city.slug,
        "commitment_date": (data.profile.commitment_date.isoformat()
                            if data.profile and data.profile.commitment_date else None),
        "inventories": [inventory_json(inv) for inv in data.inventories],
        "targets": targets,
        "hazards": [{**HazardPublic.model_validate(h).model_dump(mode="json"),
                     "events": [e.model_dump(mode="json", exclude={"hazard_id"})
                                for e in h.events]} for h in data.hazards],
        "adaptive_capacity": [{"factor": c.factor, "rating": str(c.rating),
                               "description": c.description} for c in data.capacities],
        "goals": [AdaptationGoalPublic.model_validate(g).model_dump(mode="json")
                  for g in data.goals],
        "actions": [ClimateActionPublic.of(a).model_dump(mode="json") for a in data.actions],
        "compliance": compliance_json(assess(data, date.today())),
    }
