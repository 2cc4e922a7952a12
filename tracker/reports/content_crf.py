"""The CRF sections of a city report as plain data: compliance, profile, the inventory in CRF
layout with notation keys and totals, targets, hazards and risk matrix, adaptation, actions."""

from datetime import date
from decimal import Decimal
from typing import Any

from tracker.climate.compliance import Compliance, assess
from tracker.climate.entity_forms import humanise
from tracker.climate.models import GhgInventory
from tracker.climate.presenters import (
    LABEL_LISTS,
    MATRIX_LEVELS,
    PHASE_LABELS,
    PILLARS,
    STATUS_LABELS,
    tco2e,
)
from tracker.climate.queries import CityClimate
from tracker.climate.sectors import NOTATION_KEY_NAMES, SCOPES, SECTOR_NAMES, Sector, rows_of
from tracker.climate.totals import compute_totals, headline, progress_against
from tracker.climate.vocab import hazard_label
from tracker.reports.labels import (
    boundary_label,
    cell_label,
    inventory_status_label,
    sectors_label,
)

LABELS = {name: {key: str(label) for key, label in pairs} for name, pairs in LABEL_LISTS.items()}


def num(value: Decimal | int | None) -> str | None:
    """Write an exact figure as text for the report ("—" is the template's business)."""
    return None if value is None else tco2e(Decimal(value))


def compliance_data(result: Compliance) -> dict[str, Any]:
    """The compliance panel: each pillar's phases with status, deadline and failing checks."""
    pillars = []
    for pillar, phases in PILLARS:
        rows = []
        for phase in phases:
            phase_result = result.phases[phase]
            rows.append({"key": phase.value, "label": str(PHASE_LABELS[phase]),
                         "status": phase_result.status.value,
                         "status_label": str(STATUS_LABELS[phase_result.status]),
                         "deadline": phase_result.deadline.isoformat()
                         if phase_result.deadline else None,
                         "overdue": phase_result.overdue,
                         "failures": [f.message for f in result.failures if f.phase == phase]})
        pillars.append({"name": str(pillar), "phases": rows})
    met = sum(1 for p in result.phases.values() if p.status.value == "met")
    return {"committed_on": result.committed_on.isoformat() if result.committed_on else None,
            "compliant": result.compliant, "met": met, "phases": len(result.phases),
            "pillars": pillars,
            "general": [f.message for f in result.failures if f.phase is None]}


def inventory_rows(inventory: GhgInventory) -> list[dict[str, Any]]:
    """The CRF summary table: each sector's rows with a figure or a notation key per scope."""
    cells = {(c.row_code, c.scope): c for c in inventory.cells}
    totals = compute_totals(inventory.cells)
    sectors = []
    for sector in Sector:
        rows = []
        for row in rows_of(sector):
            scopes = []
            for scope in SCOPES:
                cell = cells.get((row.code, scope))
                scopes.append({"applies": scope in row.scopes,
                               "value": num(cell.value) if cell else None,
                               "key": cell.notation_key.value if cell and cell.notation_key
                               else None,
                               "explanation": cell.explanation if cell else ""})
            rows.append({"code": row.code, "name": row.name, "scopes": scopes})
        subtotal = (totals.generation if sector == Sector.GENERATION
                    else totals.sector_total(sector))
        sectors.append({"key": sector.value, "name": SECTOR_NAMES[sector], "rows": rows,
                        "subtotal": num(subtotal), "in_total": sector != Sector.GENERATION})
    return sectors


def inventory_data(inventory: GhgInventory | None, population: int | None) -> dict | None:
    """The latest inventory: metadata, CRF table, totals and the notation keys it uses."""
    if inventory is None:
        return None
    totals = compute_totals(inventory.cells)
    head = headline(inventory.cells, reported_basic=inventory.reported_basic,
                    reported_basic_plus=inventory.reported_basic_plus,
                    population=None if inventory.population_unconfirmed
                    else inventory.population or population)
    keys = sorted({c.notation_key for c in inventory.cells if c.notation_key})
    explained = [{"cell": cell_label(c.row_code, c.scope), "key": c.notation_key.value,
                  "explanation": c.explanation} for c in inventory.cells if c.notation_key]
    return {"year": inventory.year, "period_start": inventory.period_start.isoformat(),
            "period_end": inventory.period_end.isoformat(),
            "boundary": boundary_label(inventory.boundary.value),
            "boundary_note": inventory.boundary_note,
            "protocol": inventory.protocol, "gwp": inventory.gwp.value.upper(),
            "gases": list(inventory.gases),
            "status": inventory_status_label(inventory.status.value),
            "population": inventory.population, "source": inventory.source,
            "comment": inventory.comment, "sectors": inventory_rows(inventory),
            "scope_totals": [num(totals.by_scope[s]) for s in SCOPES],
            "total": num(totals.total), "basic": num(head.basic),
            "basic_plus": num(head.basic_plus), "basic_per_capita": num(head.basic_per_capita),
            "basic_plus_per_capita": num(head.basic_plus_per_capita),
            "generation": num(totals.generation), "totals_source": head.source,
            "keys": [{"key": k.value, "name": NOTATION_KEY_NAMES[k]} for k in keys],
            "explained": explained}


def targets_data(data: CityClimate) -> list[dict[str, Any]]:
    """The mitigation target register with each target's attainment."""
    rows = []
    for target in data.targets:
        progress = progress_against(target, data.inventories)
        rows.append({"kind": LABELS["target_kinds"].get(target.kind.value, target.kind.value),
                     "base_year": target.base_year, "target_year": target.target_year,
                     "reduction": num(target.reduction_percent), "base": num(progress.base),
                     "goal": num(progress.goal), "latest": num(progress.latest),
                     "latest_year": progress.latest_year, "percent": num(progress.percent),
                     "sectors": sectors_label(target.sectors), "description": target.description})
    return rows


def hazards_data(data: CityClimate) -> dict[str, Any]:
    """Hazards, the probability × consequence matrix, adaptive capacity and adaptation goals."""
    levels, changes = LABELS["level_labels"], LABELS["change_labels"]
    hazards = [{"name": hazard_label(h.hazard), "probability": levels[h.current_probability],
                "consequence": levels[h.current_consequence],
                "frequency": changes[h.future_frequency], "intensity": changes[h.future_intensity],
                "timeframe": LABELS["timeframe_labels"].get(h.timeframe or "", "—"),
                "groups": [humanise(g) for g in h.vulnerable_groups],
                "events": [{"on": e.occurred_on.isoformat(), "description": e.description,
                            "deaths": e.deaths, "affected": e.people_affected}
                           for e in h.events]} for h in data.hazards]
    matrix = [{"consequence": levels[c], "cells": [
        [hazard_label(h.hazard) for h in data.hazards
         if h.current_consequence == c and h.current_probability == p]
        for p in MATRIX_LEVELS]} for c in MATRIX_LEVELS]
    names = {h.id: hazard_label(h.hazard) for h in data.hazards}
    goals = [{"hazard": names.get(g.hazard_id, ""), "description": g.description,
              "metric": g.metric, "base_year": g.base_year, "target_year": g.target_year,
              "progress": num(g.progress_percent)} for g in data.goals]
    capacities = [{"factor": humanise(c.factor), "rating": levels[c.rating],
                   "description": c.description} for c in data.capacities]
    return {"hazards": hazards, "matrix": matrix, "levels": [levels[p] for p in MATRIX_LEVELS],
            "goals": goals, "capacities": capacities}


def actions_data(data: CityClimate) -> list[dict[str, Any]]:
    """Mitigation and adaptation actions with status, cost, reduction and their SDG links."""
    return [{"title": a.title, "kind": LABELS["action_kinds"][a.kind.value],
             "status": LABELS["action_statuses"][a.status.value],
             "cost": num(a.total_cost), "currency": a.currency,
             "reduction": num(a.expected_reduction_tco2e),
             "elements": [f"{e.plan.title} · {e.code}" for e in a.elements],
             "sdg_targets": sorted(t.code for t in a.sdg_targets),
             "hazards": [hazard_label(h.hazard) for h in a.hazards]} for a in data.actions]


def crf_data(data: CityClimate, as_of: date, population: int | None) -> dict[str, Any]:
    """Every CRF section of the report, from the loaded climate data."""
    profile = data.profile
    return {"compliance": compliance_data(assess(data, as_of)),
            "regional_covenant": profile.regional_covenant if profile else "",
            "inventory": inventory_data(data.latest_inventory, population),
            "inventory_years": [inv.year for inv in data.inventories],
            "targets": targets_data(data), **hazards_data(data),
            "actions": actions_data(data)}
