"""JSON API for the review workflow of one observation: submit, approve, return or unlock it
as the caller saw it. The body names that version; a value changed since is refused (409)
with what it holds now, so nothing is ever approved unseen.

Routes live on the API blueprint of tracker.api.routes, which imports this module; access is
the grid's: editors submit, the city's networks' secretariats and admins review.
"""

import json
from typing import Any, NoReturn

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlmodel import col

from tracker.api.blueprint import bp
from tracker.api.docs import api_doc
from tracker.api.observations import observation_json
from tracker.api.schemas import (
    ErrorPublic,
    ObservationPublic,
    ReviewConflict,
    ReviewInput,
    ReviewRefusal,
)
from tracker.auth.access import signed_in_user
from tracker.auth.city_scope import city_route, edit_or_review
from tracker.cities.models import City
from tracker.data import services
from tracker.data.models import Observation
from tracker.db import get_session
from tracker.errors import StaleEditError
from tracker.indicators.models import LocalIndicator

FIELDS = {"version", "reason"}
MAX_REASON = 2000
MAX_VERSION = 2**31 - 1


def load_observation(city: City, obs_id: int) -> tuple[Observation, LocalIndicator]:
    """Load one of the city's observations (404), with its indicator."""
    query = (select(Observation, LocalIndicator)
             .join(LocalIndicator, col(LocalIndicator.id) == col(Observation.indicator_id))
             .where(col(Observation.id) == obs_id, col(LocalIndicator.city_id) == city.id))
    row = get_session().execute(query).first() or abort(404)
    return row[0], row[1]


def refuse(field: str, message: str) -> NoReturn:
    """Answer 422 naming the field that was refused ("" for the whole request)."""
    response = jsonify(error="Unprocessable Entity", message=message, status=422, field=field)
    response.status_code = 422
    abort(response)  # raised: the request writes nothing


def read_review() -> tuple[int, str]:
    """Read {"version": n, "reason": "..."}: 415 unless JSON, 400 unless an object, 422
    naming the field that is wrong."""
    if request.mimetype not in ("", "application/json"):
        abort(415, description="Send the review as application/json.")
    try:
        body: Any = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, RecursionError):
        abort(400, description="The body is not valid JSON.")
    if not isinstance(body, dict):
        abort(400, description='Send an object: {"version": 3, "reason": "..."}.')
    for name in sorted(set(body) - FIELDS):
        refuse(name, _("Unknown field."))
    version, reason = body.get("version"), body.get("reason", "")
    if isinstance(version, bool) or not isinstance(version, int) \
            or not 1 <= version <= MAX_VERSION:
        refuse("version", _("Give the version of the value you saw (a whole number)."))
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        refuse("reason", _("Give text of at most %(n)d characters.", n=MAX_REASON))
    return version, reason


def stale(cell: Observation, indicator: LocalIndicator, city: City, message: str
          ) -> ResponseReturnValue:
    """Answer 409 with what the value holds now."""
    get_session().refresh(cell)
    return jsonify(error="Conflict", message=message, status=409,
                   current=observation_json(cell, indicator, city)), 409


@bp.post("/cities/<slug>/observations/<int:obs_id>/"
         "<any(submit, approve, return, unlock):action>")
@api_doc("Submit, approve, return or unlock one observation, as the caller saw it",
         ObservationPublic, body=(ReviewInput,), secured=True,
         errors={**dict.fromkeys((400, 401, 403, 404, 415), ErrorPublic),
                 409: ReviewConflict, 422: ReviewRefusal},
         description="submit: the city's editors; approve, return, unlock: its networks' "
                     "secretariats and admins. The body names the version the caller saw: a "
                     "value changed since is refused (409) with what it holds now; 422 when "
                     "the value's status does not allow the action, or the reason is missing.")
@city_route(edit_or_review)
def review_observation(city: City, obs_id: int, action: str) -> ResponseReturnValue:
    """Submit (editors), approve, return or unlock (reviewers) one observation as the
    caller saw it: 409 when it changed since, 422 when the action is refused."""
    cell, indicator = load_observation(city, obs_id)
    version, reason = read_review()
    user = signed_in_user()
    try:
        services.review_observation(session=get_session(), cell=cell, action=action,
                                    expected_version=version, reason=reason,
                                    user_id=user.id if user else None)
    except StaleEditError as error:
        return stale(cell, indicator, city, str(error))
    except services.ObservationError as error:
        field = "reason" if action in services.NEEDS_REASON and not reason.strip() else ""
        refuse(field, str(error))
    return observation_json(cell, indicator, city)
