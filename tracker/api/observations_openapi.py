"""OpenAPI entries for a city's observations and the API's bearer tokens (merged into
tracker.api.openapi). The shared pieces come from plans_openapi, which imports nothing."""

from typing import Any

from tracker.api.plans_openapi import (
    BOOL,
    INT,
    NULLABLE_DECIMAL,
    NULLABLE_INT,
    NULLABLE_STR,
    PAGE_PARAMS,
    SLUG,
    STR,
    array,
    enum,
    obj,
    page_of,
    ref,
)

STATUSES = ("draft", "submitted", "approved", "returned")
REASONS = ("not_available", "not_applicable", "confidential")
BREAKDOWN = {"type": "object", "additionalProperties": STR,
             "description": "Breakdown name → value, e.g. {\"sex\": \"female\"}; {} is the total."}
NULLABLE_REASON = {"type": ["string", "null"], "enum": [*REASONS, None]}

SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "A personal API token, created at /account/tokens. Requests "
                              "with a token need no CSRF token."},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "session",
               "description": "The browser session; its POSTs need an X-CSRFToken header."},
}
SECURITY = [{"bearer": []}, {"cookie": []}]

SCHEMAS: dict[str, Any] = {
    "Observation": obj({
        "id": INT, "indicator": STR, "year": {**INT, "description": "The calendar year the "
                                                                  "city's fiscal year starts in."},
        "quarter": {**INT, "description": "0 for the whole fiscal year, else 1–4."},
        "period": {**STR, "description": "e.g. 2023/24 or 2023/24 Q2."},
        "breakdown": BREAKDOWN, "value": NULLABLE_DECIMAL, "missing_reason": NULLABLE_REASON,
        "comment": STR, "source": STR, "status": enum(*STATUSES), "version": INT,
        "follow_up": BOOL, "warning_note": STR, "return_reason": STR,
        "updated_at": {"type": "string", "format": "date-time"}}),
    "ObservationInput": {"type": "object", "required": ["indicator", "year"],
                         "additionalProperties": False, "properties": {
        "indicator": STR, "year": INT, "quarter": {**INT, "minimum": 0, "maximum": 4,
                                                   "default": 0},
        "breakdown": BREAKDOWN,
        "value": {"type": ["string", "number", "null"],
                  "description": "An exact decimal; numbers are read from their text, "
                                 "never through binary floating point."},
        "missing_reason": NULLABLE_REASON, "comment": STR, "source": STR,
        "expected_version": {**NULLABLE_INT, "description": "The version the edit began "
                                                            "from; null for an empty cell."},
        "warning_note": {**STR, "description": "Why a value that drew a warning stands."},
        "follow_up": BOOL,
        "action": {"type": ["string", "null"], "enum": ["submit", None],
                   "description": "Submit the value for review after saving it."}}},
    "ObservationProblem": {"type": "object", "required": ["index", "field", "message"],
                           "properties": {
        "index": INT, "field": {**STR, "description": "\"\" when about the whole item."},
        "message": STR, "level": enum("error", "warning"), "code": STR,
        "current": {"description": "On 409: what the cell holds now.",
                    "oneOf": [obj({"value": NULLABLE_DECIMAL, "version": INT, "status": STR,
                                   "missing_reason": NULLABLE_STR}), {"type": "null"}]}}},
    "ObservationRefusal": obj({"error": STR, "message": STR, "status": INT,
                               "problems": array(ref("ObservationProblem"))}),
    "ReviewInput": {"type": "object", "required": ["version"], "additionalProperties": False,
                    "properties": {
        "version": {**INT, "minimum": 1, "description": "The version of the value the caller "
                                                        "saw; a value changed since is refused."},
        "reason": {**STR, "maxLength": 2000, "description": "Required to return or unlock."}}},
    "ReviewConflict": obj({"error": STR, "message": STR, "status": INT,
                           "current": ref("Observation")}),
    "ReviewRefusal": obj({"error": STR, "message": STR, "status": INT,
                          "field": {**STR, "description": "The refused field; \"\" for the "
                                                          "action itself."}}),
}


def query_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter."""
    return {"name": name, "in": "query", "description": description, "schema": schema}


def answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON response."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = answer("Error", ref("Error"))
LIST = {
    "summary": "A city's observations (drafts and reviews included)",
    "description": "For those who may see the city's internals: its officers, its "
                   "networks' secretariats and reviewers, admins.",
    "security": SECURITY,
    "parameters": [SLUG, *PAGE_PARAMS,
                   query_param("indicator", "Indicator code", STR),
                   query_param("from", "First fiscal year (inclusive)", INT),
                   query_param("to", "Last fiscal year (inclusive)", INT),
                   query_param("quarter", "0 for whole years, 1–4 for a quarter", INT),
                   query_param("status", "Review status", enum(*STATUSES))],
    "responses": {"200": answer("OK", page_of("Observation")), "400": ERROR, "401": ERROR,
                  "403": ERROR, "404": ERROR},
}
SAVE = {
    "summary": "Save observations as drafts (optionally submitting them); all or nothing",
    "description": "For the city's editors (its officers, its networks' secretariats, admins). "
                   "Send one object or {\"observations\": [...]} (at most 1000). Values are "
                   "checked as in the grid; if any item is refused nothing is saved.",
    "security": SECURITY,
    "parameters": [SLUG],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
        ref("ObservationInput"),
        obj({"observations": array(ref("ObservationInput"))})]}}}},
    "responses": {"201": answer("Saved", obj({"items": array(ref("Observation"))})),
                  "400": ERROR, "401": ERROR, "403": ERROR, "404": ERROR, "415": ERROR,
                  "409": answer("A cell changed meanwhile; nothing was saved",
                                ref("ObservationRefusal")),
                  "422": answer("Refused; nothing was saved", ref("ObservationRefusal"))},
}

ACTION = {"name": "action", "in": "path", "required": True,
          "schema": enum("submit", "approve", "return", "unlock")}
REVIEW = {
    "summary": "Submit, approve, return or unlock one observation, as the caller saw it",
    "description": "submit: the city's editors; approve, return, unlock: its networks' "
                   "secretariats and admins. The body names the version the caller saw: a "
                   "value changed since is refused (409) with what it holds now.",
    "security": SECURITY,
    "parameters": [SLUG, {"name": "obs_id", "in": "path", "required": True, "schema": INT},
                   ACTION],
    "requestBody": {"required": True,
                    "content": {"application/json": {"schema": ref("ReviewInput")}}},
    "responses": {"200": answer("Done", ref("Observation")), "400": ERROR, "401": ERROR,
                  "403": ERROR, "404": ERROR, "415": ERROR,
                  "409": answer("The value changed since the caller saw it; nothing was done",
                                ref("ReviewConflict")),
                  "422": answer("Refused (the value's status does not allow the action, or "
                                "the reason is missing)", ref("ReviewRefusal"))},
}

PATHS: dict[str, Any] = {"/cities/{slug}/observations": {"get": LIST, "post": SAVE},
                         "/cities/{slug}/observations/{obs_id}/{action}": {"post": REVIEW}}
