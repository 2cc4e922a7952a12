"""OpenAPI entries for the comparison of cities (merged into tracker.api.openapi).

Self-contained on purpose, like progress_openapi: openapi.py imports PATHS and SCHEMAS."""

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NUMBER = {"type": ["number", "string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
NULLABLE_STR = {"type": ["string", "null"]}
FLAGS = ["unit", "relation", "years", "drafts"]
CATEGORIES = ["aspirant", "performer", "front_runner", "achiever", None]


def obj(properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema whose properties are all required."""
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict[str, Any]) -> dict[str, Any]:
    """An array schema."""
    return {"type": "array", "items": items}


SCORE = obj({"value": NUMBER, "x": NUMBER, "min": NUMBER, "max": NUMBER, "target": NUMBER,
             "direction": STR, "formula": STR})
SCHEMAS: dict[str, Any] = {
    "CompareCell": obj({
        "city": STR, "empty": {"type": ["string", "null"],
                               "enum": ["no_indicator", "no_data", None]},
        "indicators": array(obj({"code": STR, "name": STR, "relation": STR})),
        "indicator": NULLABLE_STR, "relation": NULLABLE_STR, "unit_kind": NULLABLE_STR,
        "unit_label": NULLABLE_STR, "year": NULLABLE_INT, "value": NUMBER,
        "status": NULLABLE_STR, "series": array(array(NUMBER)), "drafts_included": BOOL,
        "flags": array({"type": "string", "enum": FLAGS}),
        "score": {"oneOf": [SCORE, {"type": "null"}]}, "excluded": NULLABLE_STR}),
    "CompareRow": obj({
        "sdg_indicator": STR, "title": STR, "target": STR, "goal": INT, "comparable": BOOL,
        "notes": {"type": "object", "additionalProperties": STR},
        "cells": array(ref("CompareCell"))}),
    "CompareStanding": obj({
        "city": STR, "name": STR, "composite": NUMBER,
        "category": {"type": ["string", "null"], "enum": CATEGORIES}, "rank": NULLABLE_INT,
        "goals": array(obj({"goal": INT, "score": NUMBER,
                            "category": {"type": ["string", "null"], "enum": CATEGORIES}}))}),
    "Comparison": obj({
        "cities": array(obj({"slug": STR, "name": STR, "include_drafts": BOOL})),
        "scope": obj({"goal": NULLABLE_INT, "target": NULLABLE_STR, "indicators": array(STR),
                      "plan_kind": NULLABLE_STR, "year": NULLABLE_INT, "bounds": STR,
                      "strict": BOOL}),
        "thresholds": obj({"performer": INT, "front_runner": INT, "achiever": INT}),
        "rows": array(ref("CompareRow")), "scores": array(ref("CompareStanding"))}),
}


def param(name: str, description: str) -> dict[str, Any]:
    """A string query parameter."""
    return {"name": name, "in": "query", "description": description, "schema": STR}


PATHS: dict[str, Any] = {"/compare": {"get": {
    "summary": "Cities side by side: the matrix, its like-for-like flags and the scores",
    "description": "Cities the caller may not read are left out silently. Scores follow the "
                   "NITI Aayog SDG Urban Index (0–100 between the cohort's worst and best, "
                   "goal = mean, composite = mean of goals); flagged cells are left out.",
    "parameters": [param("cities", "City slugs, comma-separated"),
                   param("network", "A network slug (its readable cities)"),
                   param("goal", "Goal number, e.g. 11"), param("target", "Target, e.g. 11.6"),
                   param("indicators", "SDG indicator codes, comma-separated"),
                   param("plan_kind", "Only indicators measuring a plan of this kind"),
                   param("year", "A year; the latest value when absent"),
                   param("drafts", "1 to count unapproved values where the caller may"),
                   param("bounds", "cohort (default) or targets"),
                   param("strict", "1 to leave proxy alignments out of scores"),
                   param("performer", "Lowest Performer score (default 50)"),
                   param("front_runner", "Lowest Front Runner score (default 65)"),
                   param("achiever", "Lowest Achiever score (default 100)")],
    "responses": {"200": {"description": "OK", "content": {"application/json": {
        "schema": ref("Comparison")}}}},
}}}
