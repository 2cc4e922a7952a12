"""The OpenAPI 3.1 document of the read API, built from small schema helpers."""

from typing import Any

from tracker.api import (
    climate_openapi,
    compare_openapi,
    observations_openapi,
    plans_openapi,
    progress_openapi,
)

STR = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}
INT = {"type": "integer"}
NULLABLE_INT = {"type": ["integer", "null"]}


def obj(properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema whose properties are all required."""
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name: str) -> dict[str, Any]:
    """A page of items with its totals."""
    return obj({"items": {"type": "array", "items": ref(name)}, "page": INT, "per_page": INT,
                "total": INT, "pages": INT})


SCHEMAS: dict[str, Any] = {
    "Goal": obj({"code": STR, "title": STR, "short_title": STR, "colour": STR}),
    "Target": obj({"code": STR, "title": STR, "goal": STR}),
    "Indicator": obj({"code": STR, "title": STR, "target": STR, "goal": STR, "tier": STR,
                      "custodians": STR, "repeat_of": NULLABLE_STR,
                      "status": {"type": "string", "enum": ["active", "retired"]}, "note": STR}),
    "Network": obj({"slug": STR, "name": STR, "description": STR, "website": STR,
                    "city_count": INT}),
    "City": obj({"slug": STR, "name": STR, "country_code": STR, "level": STR,
                 "population": NULLABLE_INT, "population_year": NULLABLE_INT,
                 "population_source": STR, "fiscal_year_start_month": INT, "website": STR,
                 "description": STR, "is_published": {"type": "boolean"},
                 "parent": NULLABLE_STR, "networks": {"type": "array", "items": STR}}),
    "Error": obj({"error": STR, "message": STR, "status": INT}),
}

PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
]


def query_param(name: str, description: str, **schema: Any) -> dict[str, Any]:
    """A string query parameter."""
    return {"name": name, "in": "query", "description": description,
            "schema": {"type": "string", **schema}}


def operation(summary: str, schema: dict[str, Any], params: list[dict[str, Any]] | None = None,
              errors: tuple[int, ...] = (400,)) -> dict[str, Any]:
    """A GET operation answering JSON."""
    responses = {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    for code in errors:
        responses[str(code)] = {"description": "Error",
                                "content": {"application/json": {"schema": ref("Error")}}}
    return {"get": {"summary": summary, "parameters": params or [], "responses": responses}}


def slug_param(name: str) -> dict[str, Any]:
    """A path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": STR}


def paths() -> dict[str, Any]:
    """Every path of the API."""
    return {
        "/sdg/goals": operation("List the 17 goals", page_of("Goal"), PAGE_PARAMS),
        "/sdg/targets": operation("List the targets", page_of("Target"),
                                  [*PAGE_PARAMS, query_param("goal", "Goal code, e.g. 11")]),
        "/sdg/indicators": operation("List the indicators", page_of("Indicator"), [
            *PAGE_PARAMS, query_param("goal", "Goal code, e.g. 11"),
            query_param("target", "Target code, e.g. 11.6"),
            query_param("status", "active or retired", enum=["active", "retired"])]),
        "/sdg/indicators/{code}": operation("One indicator", ref("Indicator"),
                                            [slug_param("code")], errors=(404,)),
        "/networks": operation("List the networks", page_of("Network"), PAGE_PARAMS),
        "/cities": operation("List the cities the caller may read", page_of("City"),
                             [*PAGE_PARAMS, query_param("network", "Network slug")]),
        "/cities/{slug}": operation("One city's public profile", ref("City"),
                                    [slug_param("slug")], errors=(403, 404)),
    }


def openapi_document() -> dict[str, Any]:
    """Return the whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "SDG localisation tracker API", "version": "1",
                 "description": "Read access to the SDG catalogue and to what cities publish. "
                                "Signed-in users (session cookie, or a personal API token "
                                "sent as `Authorization: Bearer …`, created at "
                                "/account/tokens) also see what their role allows, and "
                                "officers may save their city's observations."},
        "servers": [{"url": "/api/v1"}],
        "paths": {**paths(), **plans_openapi.PATHS, **observations_openapi.PATHS,
                  **progress_openapi.PATHS, **compare_openapi.PATHS,
                  **climate_openapi.PATHS},
        "components": {"schemas": {**SCHEMAS, **plans_openapi.SCHEMAS,
                                   **observations_openapi.SCHEMAS, **progress_openapi.SCHEMAS,
                                   **compare_openapi.SCHEMAS, **climate_openapi.SCHEMAS},
                       "securitySchemes": observations_openapi.SECURITY_SCHEMES},
    }
