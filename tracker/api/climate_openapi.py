"""OpenAPI entries for a city's climate data (merged into tracker.api.openapi).

Self-contained like plans_openapi: openapi.py imports PATHS and SCHEMAS from here.
"""

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STR = {"type": ["string", "null"]}
DECIMAL = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$",
           "description": "An exact decimal written as a string, e.g. \"99.94\"."}
NULLABLE_DECIMAL = {**DECIMAL, "type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
STR_LIST = {"type": "array", "items": STR}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict[str, Any]) -> dict[str, Any]:
    """An array schema."""
    return {"type": "array", "items": items}


def loose(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """An object schema listing its main properties (more may come)."""
    return {"type": "object", "properties": properties, "required": required}


SCHEMAS: dict[str, Any] = {
    "ClimateCell": loose({"row_code": STR, "scope": INT, "value": NULLABLE_DECIMAL,
                         "notation_key": {"type": ["string", "null"],
                                          "enum": ["NO", "IE", "NE", "C", None]},
                         "explanation": STR},
                        ["row_code", "scope", "value", "notation_key", "explanation"]),
    "ClimateTotals": loose({
        "basic": NULLABLE_DECIMAL, "basic_plus": NULLABLE_DECIMAL,
        "basic_per_capita": NULLABLE_DECIMAL, "basic_plus_per_capita": NULLABLE_DECIMAL,
        "source": {"type": "string", "enum": ["cells", "reported", "none"]},
        "generation": DECIMAL,
        "by_sector": {"type": "object", "description": "sector → scope → tCO2e",
                      "additionalProperties": {"type": "object",
                                               "additionalProperties": DECIMAL}}},
        ["basic", "basic_plus", "source", "generation", "by_sector"]),
    "ClimateInventory": loose({
        "id": INT, "year": INT, "period_start": DATE, "period_end": DATE, "boundary": STR,
        "protocol": STR, "gwp": STR, "gases": STR_LIST, "population": NULLABLE_INT,
        "status": STR, "version": INT, "cells": array(ref("ClimateCell")),
        "totals": ref("ClimateTotals")},
        ["id", "year", "period_start", "period_end", "gases", "cells", "totals"]),
    "ClimateTarget": loose({
        "id": INT, "kind": {"type": "string", "enum": ["base_year", "fixed_level",
                                                       "base_year_intensity",
                                                       "baseline_scenario"]},
        "base_year": NULLABLE_INT, "target_year": INT, "reduction_percent": NULLABLE_DECIMAL,
        "base_year_emissions": NULLABLE_DECIMAL, "sectors": STR_LIST, "gases": STR_LIST,
        "progress": loose({"base": NULLABLE_DECIMAL, "latest_year": NULLABLE_INT,
                           "latest": NULLABLE_DECIMAL, "goal": NULLABLE_DECIMAL,
                           "percent": NULLABLE_DECIMAL},
                          ["base", "latest_year", "latest", "goal", "percent"])},
        ["id", "kind", "target_year", "progress"]),
    "ClimateHazard": loose({
        "id": INT, "hazard": STR, "current_probability": STR, "current_consequence": STR,
        "future_intensity": STR, "future_frequency": STR, "timeframe": NULLABLE_STR,
        "affected_sectors": STR_LIST, "vulnerable_groups": STR_LIST,
        "events": array({"type": "object"})}, ["id", "hazard", "events"]),
    "ClimateAction": loose({
        "id": INT, "kind": {"type": "string", "enum": ["mitigation", "adaptation"]},
        "title": STR, "status": STR, "total_cost": NULLABLE_DECIMAL,
        "expected_reduction_tco2e": NULLABLE_DECIMAL, "element_ids": array(INT),
        "sdg_targets": STR_LIST, "hazard_ids": array(INT)},
        ["id", "kind", "title", "element_ids", "sdg_targets", "hazard_ids"]),
    "ClimateCompliance": loose({
        "committed_on": NULLABLE_DATE, "compliant": BOOL,
        "phases": array(loose({"phase": STR, "status": {"type": "string", "enum": [
            "met", "partially_met", "not_started"]}, "deadline": NULLABLE_DATE,
            "overdue": BOOL}, ["phase", "status", "deadline", "overdue"])),
        "failures": array(loose({"phase": NULLABLE_STR, "code": STR, "message": STR},
                                ["phase", "code", "message"]))},
        ["committed_on", "compliant", "phases", "failures"]),
    "CityClimate": loose({
        "city": STR, "commitment_date": NULLABLE_DATE,
        "inventories": array(ref("ClimateInventory")), "targets": array(ref("ClimateTarget")),
        "hazards": array(ref("ClimateHazard")), "adaptive_capacity": array({"type": "object"}),
        "goals": array({"type": "object"}), "actions": array(ref("ClimateAction")),
        "compliance": ref("ClimateCompliance")},
        ["city", "inventories", "targets", "hazards", "goals", "actions", "compliance"]),
}

ERROR = {"description": "Error", "content": {"application/json": {"schema": ref("Error")}}}

PATHS: dict[str, Any] = {
    "/cities/{slug}/climate": {"get": {
        "summary": "A city's GHG inventories (CRF cells and BASIC/BASIC+ totals), targets, "
                   "hazards, adaptation goals, actions and CRF compliance (readers of the "
                   "city's internal data)",
        "parameters": [{"name": "slug", "in": "path", "required": True, "schema": STR}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": ref("CityClimate")}}}, "401": ERROR, "403": ERROR, "404": ERROR}}},
}
