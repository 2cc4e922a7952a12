"""The OpenAPI 3.1 document of the API, generated from the endpoints' declarations."""

from typing import Any

from flask import Flask

from tracker.api.docs import (
    PREFIX,
    RULE_ARG,
    SECURITY_SCHEMES,
    api_operations,
    component_schemas,
    operation_json,
)

INFO = {
    "title": "SDG localisation tracker API", "version": "1",
    "description": "Read access to the SDG catalogue and to what cities publish. Signed-in "
                   "users (session cookie, or a personal API token sent as "
                   "`Authorization: Bearer …`, created at /account/tokens) also see what "
                   "their role allows, and officers may save and review their city's "
                   "observations.",
}


def openapi_path(rule: str) -> str:
    """A Werkzeug rule as an OpenAPI path: /api/v1/cities/<slug> → /cities/{slug}."""
    return RULE_ARG.sub(lambda m: "{" + m.group(3) + "}", rule.removeprefix(PREFIX))


def openapi_document(app: Flask) -> dict[str, Any]:
    """Return the OpenAPI document of the app, built once: its routes no longer change."""
    if "tracker_openapi" not in app.extensions:
        app.extensions["tracker_openapi"] = build_document(app)
    document: dict[str, Any] = app.extensions["tracker_openapi"]
    return document


def build_document(app: Flask) -> dict[str, Any]:
    """Build the whole OpenAPI document of the app's API routes."""
    operations = api_operations(app)
    paths: dict[str, Any] = {}
    for rule, method, operation in operations:
        paths.setdefault(openapi_path(rule), {})[method] = operation_json(operation, rule)
    return {
        "openapi": "3.1.0", "info": INFO, "servers": [{"url": PREFIX}], "paths": paths,
        "components": {"schemas": component_schemas([op for _, _, op in operations]),
                       "securitySchemes": SECURITY_SCHEMES},
    }
