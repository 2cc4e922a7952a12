"""OpenAPI entries for a city's progress (merged into tracker.api.openapi).

Self-contained on purpose, like plans_openapi: openapi.py imports PATHS and SCHEMAS from here.
"""

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NUMBER = {"type": ["number", "string", "null"],
          "description": "A number; \"inf\" or \"-inf\" where the figure is infinite."}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STR = {"type": ["string", "null"]}
STATUSES = ["target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
            "deterioration", "not_available"]


def obj(properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema whose properties are all required."""
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict[str, Any]) -> dict[str, Any]:
    """An array schema."""
    return {"type": "array", "items": items}


STATUS = {"type": "string", "enum": STATUSES}
ROLLUP = {
    "status": {"type": "string", "enum": [*STATUSES, "insufficient_data"],
               "description": "insufficient_data when fewer than 60 % of the indicators "
                              "have a status."},
    "score": NUMBER, "indicator_count": INT, "with_status": INT,
    "counts": obj({status: INT for status in STATUSES}),
}

SCHEMAS: dict[str, Any] = {
    "ProgressRollup": obj(ROLLUP),
    "ProgressSeries": obj({
        "breakdown": {**STR, "description": "\"\" for the total, else name=value pairs "
                                            "joined by |."},
        "status": STATUS, "score": NUMBER, "direction": STR,
        "method": {"type": ["string", "null"], "enum": ["cagr", "linear", None]},
        "base_year": NULLABLE_INT, "base_value": NUMBER, "latest_year": NULLABLE_INT,
        "latest_value": NUMBER, "target": NUMBER, "target_year": NULLABLE_INT,
        "limit": NUMBER, "sign": NULLABLE_INT, "actual_growth": NUMBER,
        "required_growth": NUMBER, "ratio": NUMBER, "progress_value": NUMBER,
        "thresholds": {"type": ["object", "null"], "properties": {
            "high": NUMBER, "med": NUMBER, "low": NUMBER, "coefficient": NUMBER}},
        "target_achieved": BOOL, "reason": STR, "notes": array(STR),
        "band_low": NUMBER, "band_high": NUMBER, "target_passed": BOOL,
        "target_missed": BOOL, "progress_share": NUMBER, "elapsed_share": NUMBER,
        "year_reached": NULLABLE_INT}),
    "IndicatorProgress": obj({
        "code": STR, "name": STR, "direction": STR, "status": STATUS, "score": NUMBER,
        "sdg_indicators": array(STR), "elements": array(INT),
        "series": array(ref("ProgressSeries"))}),
    "CityProgress": obj({
        "city": STR, "include_drafts": BOOL, "city_rollup": ref("ProgressRollup"),
        "goals": array(obj({"goal": INT, **ROLLUP})),
        "targets": array(obj({"target": STR, **ROLLUP})),
        "elements": array(obj({"element_id": INT, "code": STR, "plan_id": NULLABLE_INT,
                               **ROLLUP})),
        "indicators": array(ref("IndicatorProgress"))}),
}

ERROR = {"description": "Error", "content": {"application/json": {"schema": ref("Error")}}}
PATHS: dict[str, Any] = {"/cities/{slug}/progress": {"get": {
    "summary": "A city's progress: indicators with their inputs, and every roll-up",
    "description": "Statuses follow the Open SDG method (see /progress/methodology). Readable "
                   "by whoever may read the city. drafts=1 counts unapproved values too, for "
                   "those who may see the city's internals; for others it is ignored "
                   "(include_drafts says which values were counted).",
    "parameters": [{"name": "slug", "in": "path", "required": True, "schema": STR},
                   {"name": "drafts", "in": "query", "schema": {"type": "string",
                                                               "enum": ["1"]},
                    "description": "1 to count drafts, submitted and returned values"}],
    "responses": {"200": {"description": "OK", "content": {"application/json": {
        "schema": ref("CityProgress")}}}, "401": ERROR, "403": ERROR, "404": ERROR},
}}}
