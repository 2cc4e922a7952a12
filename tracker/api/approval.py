"""JSON API for bulk approval: a city's networks' secretariats (and admins) approve many
submitted values at once, each as they saw it. All or nothing: a value that moved on since
refuses the whole request (409, listing it), and the request boundary writes nothing.

Routes live on the API blueprint of tracker.api.routes, which imports this module.
"""

from typing import Any, NoReturn

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from pydantic import ValidationError

from tracker.api.approval_schemas import (
    BulkApprovalInput,
    BulkApprovalPublic,
    BulkApprovalRefusal,
)
from tracker.api.blueprint import bp
from tracker.api.docs import api_doc
from tracker.api.schemas import ErrorPublic
from tracker.auth.city_scope import city_route, current_user_id
from tracker.cities.models import City
from tracker.data.bulk_review import BulkApprovalError, BulkStaleError, Problem, approve_seen
from tracker.db import get_session, rollback_session


def answer(status: int, message: str, **extra: Any) -> NoReturn:
    """Stop the request with a JSON error (nothing is written: the request raised)."""
    name = {409: "Conflict", 422: "Unprocessable Entity"}[status]
    response = jsonify(error=name, message=message, status=status, **extra)
    response.status_code = status
    abort(response)


def read_seen() -> dict[int, int]:
    """Read [{"id": 1, "version": 3}, ...]: 415 unless JSON, 400 unless valid JSON, 422
    naming the first wrong item."""
    if request.mimetype not in ("", "application/json"):
        abort(415, description="Send the values as application/json.")
    try:
        cells = BulkApprovalInput.model_validate_json(request.get_data(cache=True) or b"null")
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":
            abort(400, description="The body is not valid JSON.")
        where = ".".join(str(part) for part in first["loc"])
        answer(422, _("%(where)s: %(problem)s", where=where or _("body"),
                      problem=first["msg"]), field=where, problems=[])
    seen: dict[int, int] = {}
    for index, cell in enumerate(cells.root):
        if cell.id in seen:
            answer(422, _("Value %(id)d is given twice.", id=cell.id), field=f"{index}.id",
                   problems=[])
        seen[cell.id] = cell.version
    return seen


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    """Serialise the values that could not be approved as seen."""
    return [{"id": p.id, "seen_version": p.seen_version, "version": p.version,
             "status": p.status} for p in problems]


@bp.post("/cities/<slug>/observations/approve")
@api_doc("Approve many submitted values at once, as the caller saw them; all or nothing",
         BulkApprovalPublic, body=(BulkApprovalInput,), secured=True,
         errors={**dict.fromkeys((400, 401, 403, 404, 415), ErrorPublic),
                 409: BulkApprovalRefusal, 422: BulkApprovalRefusal},
         description="For the city's networks' secretariats and admins. Send "
                     "[{\"id\": 12, \"version\": 3}, ...] (at most 10 000): each submitted "
                     "value with the version you saw (the review page and GET .../observations"
                     "?status=submitted show them). If any value changed since, nothing is "
                     "approved and the answer (409) lists those values with their versions "
                     "now; 422 when a value is not submitted, is given twice or the body is "
                     "malformed. Each approval is kept in the value's history, marked bulk.")
@city_route("review")
def bulk_approve(city: City) -> ResponseReturnValue:
    """Approve the values sent, each at the version the caller saw: all or nothing."""
    seen = read_seen()
    try:
        cells = approve_seen(session=get_session(), city=city, seen=seen,
                             user_id=current_user_id())
    except BulkStaleError as error:
        rollback_session()
        answer(409, str(error), problems=problems_json(error.problems))
    except BulkApprovalError as error:
        rollback_session()
        answer(422, str(error), problems=problems_json(error.problems))
    return {"approved": len(cells),
            "items": [{"id": cell_id, "version": version} for cell_id, version in cells]}
