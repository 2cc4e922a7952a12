"""OpenAPI entries for a city's plans and local indicators (merged into tracker.api.openapi).

Self-contained on purpose: openapi.py imports PATHS and SCHEMAS from here, so this module
imports nothing from it (a test checks the shared pieces stay identical).
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


def obj(properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema whose properties are all required."""
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict[str, Any]) -> dict[str, Any]:
    """An array schema."""
    return {"type": "array", "items": items}


def enum(*values: str) -> dict[str, Any]:
    """A string from a fixed list."""
    return {"type": "string", "enum": list(values)}


PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
]
SLUG = {"name": "slug", "in": "path", "required": True, "schema": STR}

SCHEMAS: dict[str, Any] = {
    "ElementAlignment": obj({
        "sdg_code": STR, "kind": enum("target", "indicator"), "target": STR, "goal": STR,
        "relation": enum("direct", "contributes", "proxy"), "is_primary": BOOL,
        "rationale": STR}),
    "PlanElement": obj({
        "id": INT, "code": STR, "title": STR, "description": STR, "depth": INT,
        "level": {**STR, "description": "The plan's own name for this level of its tree."},
        "department": STR, "budget": NULLABLE_DECIMAL, "is_retired": BOOL,
        "alignments": array(ref("ElementAlignment")), "children": array(ref("PlanElement"))}),
    "Plan": obj({
        "id": INT, "title": STR,
        "kind": enum("integrated_development_plan", "annual_performance_plan",
                     "sdg_localisation_framework", "climate_action_plan",
                     "voluntary_local_review", "sector_plan", "other"),
        "start_year": INT, "end_year": INT,
        "period": {**STR, "description": "On the city's fiscal year, e.g. 2022/23–2026/27."},
        "adopted_on": {"type": ["string", "null"], "format": "date"},
        "status": enum("draft", "adopted", "under_review", "superseded"),
        "source_url": STR, "description": STR, "level_names": array(STR),
        "parent_id": NULLABLE_INT, "revision": INT, "revision_of_id": NULLABLE_INT,
        "is_current": {**BOOL, "description": "The latest revision, and not superseded."},
        "elements": array(ref("PlanElement"))}),
    "IndicatorSdgAlignment": obj({
        "sdg_indicator": STR, "target": STR, "goal": STR,
        "relation": enum("identical", "proxy", "contextualised"), "rationale": STR}),
    "IndicatorElementLink": obj({
        "id": INT, "code": STR, "title": STR, "is_retired": BOOL, "plan_id": INT,
        "plan_title": STR}),
    "LocalIndicator": obj({
        "code": STR, "name": STR, "definition": STR,
        "unit": obj({"kind": enum("percent", "count", "rate_per_1000", "rate_per_100000",
                                  "currency", "tco2e", "other"), "label": STR}),
        "direction": enum("higher", "lower", "band"),
        "band": {"oneOf": [obj({"low": NULLABLE_DECIMAL, "high": NULLABLE_DECIMAL}),
                           {"type": "null"}]},
        "frequency": enum("annual", "quarterly"), "quarterly_rollup": enum("last", "sum", "mean"),
        "is_cumulative": BOOL, "data_source": STR, "department": STR,
        "baseline": obj({"year": NULLABLE_INT, "value": NULLABLE_DECIMAL, "note": STR}),
        "natural_limit": NULLABLE_DECIMAL, "is_retired": BOOL,
        "targets": array(obj({"year": INT, "value": DECIMAL, "label": STR})),
        "dimensions": array(obj({"name": STR, "values": array(STR)})),
        "sdg_alignments": array(ref("IndicatorSdgAlignment")),
        "elements": array(ref("IndicatorElementLink"))}),
}


def page_of(name: str) -> dict[str, Any]:
    """A page of items with its totals."""
    return obj({"items": array(ref(name)), "page": INT, "per_page": INT, "total": INT,
                "pages": INT})


def operation(summary: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A paginated GET on a city, answering JSON; 403 and 404 for cities one may not read."""
    error = {"description": "Error",
             "content": {"application/json": {"schema": ref("Error")}}}
    return {"get": {"summary": summary, "parameters": [SLUG, *PAGE_PARAMS], "responses": {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "400": error, "403": error, "404": error}}}


PATHS: dict[str, Any] = {
    "/cities/{slug}/plans": operation(
        "A city's plans (revisions included) with their element trees and SDG alignments",
        page_of("Plan")),
    "/cities/{slug}/indicators": operation(
        "A city's local indicators: definitions, baselines, targets, breakdowns, alignments",
        page_of("LocalIndicator")),
}
