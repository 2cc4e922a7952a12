"""Refuse hostile input before any view runs: control characters in the address, the query,
form fields and JSON bodies; JSON nested too deep or too big; path numbers beyond INTEGER.

Path and query problems answer 400, form fields and JSON 422, each naming the field, so the
database never sees a NUL (PostgreSQL cannot store one and psycopg raises) or a lone
surrogate, and no parser recurses until it overflows the stack.
"""

import json
import re
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

from flask import Flask, Request, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    RequestEntityTooLarge,
    UnprocessableEntity,
    UnsupportedMediaType,
)
from werkzeug.routing import IntegerConverter, Map

from tracker.text_rules import bad_character, printable

MAX_PATH_INT = 2**31 - 1  # the databases' INTEGER; a larger id can name no record
JSON_MAX_DEPTH = 32
JSON_MAX_BYTES = 8 * 1024 * 1024
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
JSON_TYPES = {"", "application/json"}
WHOLE = re.compile(r"-?[0-9]{1,12}", re.ASCII)
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
STEP = [0] * 256
STEP[ord("[")] = STEP[ord("{")] = 1
STEP[ord("]")] = STEP[ord("}")] = -1


class Refusal(HTTPException):
    """A refused input; `field` names the parameter or field at fault."""

    code: int  # set by the werkzeug exception each kind below derives from

    def __init__(self, field: str, description: str) -> None:
        super().__init__(description=description)
        self.field = field


class BadInput(Refusal, BadRequest):
    """A bad path part or query parameter (400)."""


class UnprocessableInput(Refusal, UnprocessableEntity):
    """A bad form field or JSON value (422)."""


class UnsupportedInput(Refusal, UnsupportedMediaType):
    """A body of a kind this address does not take (415)."""


class TooLargeInput(Refusal, RequestEntityTooLarge):
    """A JSON body over the size limit (413)."""


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` path parts up to the databases' INTEGER: a larger number is a 404, not an
    overflow in the driver."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_PATH_INT, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def json_depth(data: bytes) -> int:
    """Return how deeply a JSON text nests arrays and objects, without parsing it."""
    brackets = JSON_STRING.sub(b"", data).translate(None, NOT_BRACKET)
    return max(accumulate(STEP[b] for b in brackets), default=0)


def check_json_shape(data: bytes) -> None:
    """Refuse a JSON body over the size limit (413) or nested too deeply (400)."""
    limit = current_app.config["JSON_MAX_BYTES"]
    if len(data) > limit:
        raise TooLargeInput("body", _("The JSON body is larger than %(n)d bytes.", n=limit))
    depth = current_app.config["JSON_MAX_DEPTH"]
    if json_depth(data) > depth:
        raise BadInput("body", _("The JSON body nests more than %(n)d levels deep.", n=depth))


class GuardedRequest(Request):
    """A request whose JSON body is checked for size and depth before it is parsed."""

    def get_json(self, force: bool = False, silent: bool = False,
                 cache: bool = True) -> Any:
        """Parse the JSON body after the shape check (which is never silent)."""
        if force or self.is_json:
            check_json_shape(self.get_data(cache=True))
        return super().get_json(force=force, silent=silent, cache=cache)


def refuse_text(kind: type[Refusal], where: str, name: str, text: str) -> None:
    """Raise `kind` naming the field when its text holds a forbidden character."""
    if (char := bad_character(text)) is None:
        return
    field = printable(name)
    messages = {
        "path": _("“%(field)s” in the address contains a character that is not allowed "
                  "(%(char)s).", field=field, char=char),
        "query": _("The query parameter “%(field)s” contains a character that is not allowed "
                   "(%(char)s).", field=field, char=char),
        "form": _("The field “%(field)s” contains a character that is not allowed (%(char)s).",
                  field=field, char=char),
    }
    raise kind(field, messages[where])


def check_pairs(pairs: Iterable[tuple[str, str]], kind: type[Refusal], where: str) -> None:
    """Check the names and the values of a multi-dict's items."""
    for name, value in pairs:
        refuse_text(kind, where, name, name)
        refuse_text(kind, where, name, value)


def json_strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield (field path, text) for every key and string inside a parsed JSON value."""
    if isinstance(value, str):
        yield path or "body", value
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            yield inner, str(key)
            yield from json_strings(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from json_strings(item, f"{path}[{index}]")


def check_json_body() -> None:
    """Check a JSON body's shape and its strings; leave invalid JSON to the view (400)."""
    data = request.get_data(cache=True)
    if not data:
        return
    check_json_shape(data)
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        return
    check_pairs(json_strings(body), UnprocessableInput, "form")


def check_body() -> None:
    """Check form fields and file names, or a JSON body (JSON only where the API takes it)."""
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        check_pairs(request.form.items(multi=True), UnprocessableInput, "form")
        files = ((name, upload.filename or "") for name, upload in request.files.items(multi=True))
        check_pairs(files, UnprocessableInput, "form")
    elif request.path.startswith("/api/") and request.mimetype in JSON_TYPES:
        check_json_body()
    elif request.is_json and request.content_length:
        raise UnsupportedInput("body", _("This address takes a form, not JSON."))


def guard_request() -> None:
    """Refuse control characters in the address, the query and the body before any view."""
    path_parts = (request.view_args or {"path": request.path}).items()
    check_pairs(((name, str(value)) for name, value in path_parts), BadInput, "path")
    check_pairs(request.args.items(multi=True), BadInput, "query")
    if request.method in BODY_METHODS:
        check_body()


def render_refusal(error: Refusal) -> ResponseReturnValue:
    """Answer a refused input: JSON on the API, the error page elsewhere, naming the field."""
    code = error.code
    message = error.description
    if request.path.startswith("/api/"):
        return jsonify(error=error.name, message=message,
                       field=error.field, status=code), code
    return render_template("errors/error.html", code=code, message=message), code


def int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    """Read a whole-number query parameter from `low` to `high` (400 naming it otherwise)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not WHOLE.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadInput(name, _("The query parameter “%(field)s” must be a whole number from "
                               "%(low)d to %(high)d.", field=name, low=low, high=high))
    return int(raw)


def register_input_guards(app: Flask) -> None:
    """Install the guards; call before the blueprints, whose rules use the `int` converter."""
    app.config.setdefault("JSON_MAX_DEPTH", JSON_MAX_DEPTH)
    app.config.setdefault("JSON_MAX_BYTES", JSON_MAX_BYTES)
    app.request_class = GuardedRequest
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(guard_request)
    for kind in (BadInput, UnprocessableInput, UnsupportedInput, TooLargeInput):
        app.register_error_handler(kind, render_refusal)
