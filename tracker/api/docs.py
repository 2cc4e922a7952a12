"""The OpenAPI document, generated: each endpoint declares what it answers with `api_doc`
(stored on the view), and the document is built from the app's URL map, those declarations
and the models' JSON schemas. A route without a declaration is left out (a test forbids it).
"""

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import wraps
from http import HTTPStatus
from typing import Any, cast

from flask import Flask, Response, jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from tracker.api.schemas import ErrorPublic

# What an endpoint returns: its declared model (or what validates as it), or a response.
ApiAnswer = BaseModel | ResponseReturnValue
PREFIX = "/api/v1"
REF = "#/components/schemas/{model}"
RULE_ARG = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")
PAGE_PARAMS = (
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query",
     "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
)
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "A personal API token, created at /account/tokens. Requests "
                              "with a token need no CSRF token."},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "session",
               "description": "The browser session; its POSTs need an X-CSRFToken header."},
}


@dataclass(frozen=True)
class Operation:
    """What one endpoint answers: its success model, its errors, parameters and body."""

    summary: str
    response: type[BaseModel]
    status: int = 200
    errors: dict[int, type[BaseModel]] = field(default_factory=dict)
    params: tuple[dict[str, Any], ...] = ()
    body: tuple[type[BaseModel], ...] = ()
    description: str = ""
    secured: bool = False


def api_doc(summary: str, response: type[BaseModel], *, status: int = 200,
            errors: Iterable[int] | dict[int, type[BaseModel]] = (),
            params: Iterable[dict[str, Any]] = (), body: Iterable[type[BaseModel]] = (),
            description: str = "", secured: bool = False
            ) -> Callable[[Callable[..., ApiAnswer]], Callable[..., ResponseReturnValue]]:
    """Declare an endpoint's answers (errors given as codes answer the Error model); its
    success answers are written through the declared model (see respond)."""
    codes: dict[int, type[BaseModel]] = (
        dict(errors) if isinstance(errors, dict) else dict.fromkeys(errors, ErrorPublic))
    operation = Operation(summary, response, status, codes, tuple(params), tuple(body),
                          description, secured)

    def declare(view: Callable[..., ApiAnswer]) -> Callable[..., ResponseReturnValue]:
        @wraps(view)
        def answer(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            return respond(operation, view(*args, **kwargs))

        setattr(answer, "api_doc", operation)  # noqa: B010 (the view's declaration)
        return answer

    return declare


def respond(operation: Operation, answer: Any) -> ResponseReturnValue:
    """Write a view's success answer (records, models or dicts) through the model the
    document declares for it, so the document and the answers cannot drift; any other
    answer (an error, a ready response) goes out as it is."""
    body, *rest = answer if isinstance(answer, tuple) else (answer,)
    status = rest[0] if rest and isinstance(rest[0], int) else operation.status
    if isinstance(body, Response) or status != operation.status:
        return cast(ResponseReturnValue, answer)
    model = operation.response.model_validate(body, from_attributes=True)
    written = jsonify(model.model_dump(mode="json"))
    return cast(ResponseReturnValue, (written, *rest)) if rest else written


def declared(view: Any) -> Operation | None:
    """The declaration of a view, looking through decorators that wrap it."""
    while view is not None:
        if isinstance(found := getattr(view, "api_doc", None), Operation):
            return found
        view = getattr(view, "__wrapped__", None)
    return None


def query_param(name: str, description: str, schema: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    """A query parameter (a string unless a schema is given)."""
    return {"name": name, "in": "query", "description": description,
            "schema": schema or {"type": "string"}}


def path_params(rule: str) -> list[dict[str, Any]]:
    """The path parameters of a Werkzeug rule, typed by their converters."""
    params = []
    for converter, args, name in RULE_ARG.findall(rule):
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer"}
        elif converter == "any":
            schema["enum"] = [arg.strip() for arg in args.split(",")]
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return params


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON media type."""
    return {"application/json": {"schema": schema}}


def ref(model: type[BaseModel]) -> dict[str, str]:
    """A reference to a model's component."""
    return {"$ref": REF.format(model=component_name(model.__name__))}


def component_name(name: str) -> str:
    """A model's name in the document: "CityPublic" is "City"."""
    return name.removesuffix("Public")


def operation_json(op: Operation, rule: str) -> dict[str, Any]:
    """The OpenAPI operation of a declaration on a rule."""
    responses = {str(op.status): {"description": HTTPStatus(op.status).phrase,
                                  "content": json_content(ref(op.response))}}
    for code, model in sorted(op.errors.items()):
        responses[str(code)] = {"description": HTTPStatus(code).phrase,
                                "content": json_content(ref(model))}
    found: dict[str, Any] = {"summary": op.summary, "parameters": [
        *path_params(rule), *op.params], "responses": responses}
    if op.description:
        found["description"] = op.description
    if op.secured:
        found["security"] = [{"bearer": []}, {"cookie": []}]
    if op.body:
        schemas = [ref(model) for model in op.body]
        found["requestBody"] = {"required": True, "content": json_content(
            schemas[0] if len(schemas) == 1 else {"oneOf": schemas})}
    return found


def with_loader_errors(view: Any, operation: Operation | None) -> Operation | None:
    """Add the refusals of the city loader to a view that uses it (it records its access
    level on the view): 401 to API visitors, 403 to signed-in users, 404 for no such city
    (only 404 where the loader conceals refused cities)."""
    if operation is None or getattr(view, "access_level", None) is None:
        return operation
    codes = (404,) if getattr(view, "conceals", False) else (401, 403, 404)
    errors = dict.fromkeys(codes, ErrorPublic) | operation.errors
    return replace(operation, errors=errors)


def api_operations(app: Flask) -> list[tuple[str, str, Operation]]:
    """Every declared (rule, method, declaration) under the API's prefix, in path order."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        operation = with_loader_errors(view, declared(view))
        if rule.rule.startswith(PREFIX + "/") and operation is not None:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((rule.rule, method.lower(), operation))
    return found


def component_schemas(operations: list[Operation]) -> dict[str, Any]:
    """The JSON schemas of every model the operations name, and of the models they use."""
    answers = {m for op in operations for m in (op.response, *op.errors.values())}
    bodies = {model for op in operations for model in op.body}
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (m, "serialization") for m in sorted(answers, key=lambda m: m.__name__)]
    models += [(m, "validation") for m in sorted(bodies, key=lambda m: m.__name__)]
    _, schema = models_json_schema(models, ref_template=REF)
    text = re.sub(r'"#/components/schemas/(\w+?)Public"', r'"#/components/schemas/\1"',
                  json.dumps(schema.get("$defs", {})))
    return {component_name(name): value for name, value in json.loads(text).items()}
