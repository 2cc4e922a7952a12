"""The review API: submit, approve, return and unlock one observation as the caller saw it —
the grid's access rules, 409 (and nothing changed) when the value changed since, 422 when
the action is refused, and responses that match the OpenAPI document."""

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.data_entry.test_grid_routes import grid_world, row_count  # noqa: F401  (fixture)
from tests.factories import Auth
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    OK,
    ROLES,
    World,
    check_access,
    expect,
    world,
)
from tracker.data.models import Observation, ObservationChange, ObservationStatus

UNAUTHORISED, NOT_FOUND, CONFLICT, UNPROCESSABLE = 401, 404, 409, 422
A, B = "/api/v1/cities/city-a/observations", "/api/v1/cities/city-b/observations"


def editors_b(outcome: int) -> dict[str, Any]:
    """City B's editors (its officer, its network's secretariat, admins) get `outcome`."""
    return expect(DENIED, anonymous=UNAUTHORISED, admin=outcome, secretariat_b=outcome,
                  officer_b=outcome)


def reviewers(outcome: int, network: str = "b") -> dict[str, Any]:
    """The network's secretariat and admins get `outcome`; officers and reviewers 403."""
    return expect(DENIED, anonymous=UNAUTHORISED, admin=outcome,
                  **{f"secretariat_{network}": outcome})


def action(base: str, key: str, name: str) -> Callable[[World], str]:
    """The address of an action on one of the world's observations."""
    return lambda w: f"{base}/{w.ids[key].id}/{name}"


def saw(key: str, offset: int = 0, **fields: Any) -> Callable[[World], str]:
    """A body naming the version of one of the world's observations (minus `offset`: a page
    drawn before its latest change)."""
    return lambda w: json.dumps({"version": w.ids[key].version - offset, **fields})


REASON = {"reason": "Check the source"}
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("api.review_observation", "POST", action(B, "b_draft", "submit"), saw("b_draft"),
     editors_b(OK)),
    ("api.review_observation", "POST", action(B, "b_submitted", "approve"),
     saw("b_submitted"), reviewers(OK)),
    ("api.review_observation", "POST", action(A, "a_submitted", "approve"),
     saw("a_submitted"), reviewers(OK, "a")),
    ("api.review_observation", "POST", action(B, "b_submitted", "return"),
     saw("b_submitted", **REASON), reviewers(OK)),
    ("api.review_observation", "POST", action(B, "b_approved", "unlock"),
     saw("b_approved", **REASON), reviewers(OK)),
    ("api.review_observation", "POST", action(B, "b_submitted", "approve"),
     saw("b_submitted", 1), reviewers(CONFLICT)),  # changed since the caller saw it
    ("api.review_observation", "POST", action(B, "b_draft", "submit"), saw("b_draft", -1),
     editors_b(CONFLICT)),  # a version it never had
    ("api.review_observation", "POST", action(B, "b_submitted", "return"),
     saw("b_submitted"), reviewers(UNPROCESSABLE)),  # no reason
    ("api.review_observation", "POST", action(B, "b_draft", "approve"), saw("b_draft"),
     reviewers(UNPROCESSABLE)),  # not submitted
    ("api.review_observation", "POST", action(B, "b_submitted", "approve"),
     lambda w: json.dumps({"reason": "no version"}), reviewers(UNPROCESSABLE)),
    ("api.review_observation", "POST", action(B, "a_submitted", "approve"),
     saw("a_submitted"), reviewers(NOT_FOUND)),  # A's value through B's address
    ("api.review_observation", "POST", lambda w: "/api/v1/cities/nowhere/observations/1/submit",
     saw("b_draft"), expect(NOT_FOUND)),
]


def state(db: Session, cell: Observation) -> tuple[Any, ...]:
    """What a refused action must leave as it was: value, status, version and history."""
    db.expire_all()
    fresh = db.get(Observation, cell.id)
    assert fresh is not None
    history = db.scalar(select(func.count()).select_from(ObservationChange)
                        .where(ObservationChange.observation_id == cell.id))
    return fresh.value, fresh.status, fresh.version, history


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[f"{r[0]}-{i}"
                                                    for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, grid_world: World, client: FlaskClient,  # noqa: F811
                auth: Auth, db: Session) -> None:
    before = row_count(db)
    check_access(row, role, grid_world, client, auth, db)
    if row[4][role] != OK:
        assert row_count(db) == before, "a refused request changed something"


# ---------------------------------------------------------------- stale and done


def post(client: FlaskClient, cell: Observation, name: str, **body: Any) -> Any:
    """Post one review action on a world observation of city B."""
    return client.post(f"{B}/{cell.id}/{name}", json=body)


@pytest.mark.parametrize(("key", "name", "reviewer", "target"), [
    ("b_draft", "submit", "officer_b", ObservationStatus.SUBMITTED),
    ("b_submitted", "approve", "secretariat_b", ObservationStatus.APPROVED),
    ("b_submitted", "return", "secretariat_b", ObservationStatus.RETURNED),
    ("b_approved", "unlock", "secretariat_b", ObservationStatus.DRAFT),
])
def test_a_stale_version_changes_nothing_and_the_right_one_acts(
        key: str, name: str, reviewer: str, target: ObservationStatus, grid_world: World,  # noqa: F811
        client: FlaskClient, auth: Auth, db: Session) -> None:
    cell = grid_world.ids[key]
    auth.login(grid_world.users[reviewer])
    before = state(db, cell)
    # the caller's page was drawn one change ago (a draft at 1: a version it never had)
    seen = before[2] - 1 if before[2] > 1 else before[2] + 1
    stale = post(client, cell, name, version=seen, reason="Checked")
    assert stale.status_code == CONFLICT
    assert stale.json["current"]["version"] == before[2]
    assert stale.json["current"]["status"] == before[1].value
    assert stale.json["current"]["value"] == format(before[0], "f")
    assert f"version {before[2]}" in stale.json["message"]
    assert state(db, cell) == before
    done = post(client, cell, name, version=before[2], reason="Checked")
    assert done.status_code == OK, done.json
    after = state(db, cell)
    assert after == (before[0], target, before[2] + 1, before[3] + 1)
    assert done.json["status"] == target.value and done.json["version"] == before[2] + 1


def test_a_value_saved_after_the_reviewer_looked_is_not_approved(
        grid_world: World, client: FlaskClient, auth: Auth, db: Session) -> None:  # noqa: F811
    cell = grid_world.ids["b_submitted"]
    seen = cell.version
    auth.login(grid_world.users["officer_b"])
    saved = client.post(B, json={
        "indicator": "B-1", "year": cell.year, "value": "99", "expected_version": seen,
        "warning_note": "A new survey"})
    assert saved.status_code == 201, saved.json
    auth.logout()
    auth.login(grid_world.users["secretariat_b"])
    refused = post(client, cell, "approve", version=seen)
    assert refused.status_code == CONFLICT
    assert refused.json["current"]["value"] == "99"
    assert refused.json["current"]["status"] == "draft"
    assert state(db, cell)[1] == ObservationStatus.DRAFT


# ---------------------------------------------------------------- the OpenAPI document


def check_schema(doc: dict[str, Any], response: Any, status: int) -> None:
    """Validate a response against the schema the document gives its status."""
    operation = doc["paths"]["/cities/{slug}/observations/{obs_id}/{action}"]["post"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json, {**schema, "components": doc["components"]},
                        cls=jsonschema.Draft202012Validator)


def test_the_openapi_document_describes_the_review_actions(
        grid_world: World, client: FlaskClient, auth: Auth) -> None:  # noqa: F811
    doc = client.get("/api/v1/openapi.json").json
    operation = doc["paths"]["/cities/{slug}/observations/{obs_id}/{action}"]["post"]
    assert {"200", "409", "422", "401", "403", "404"} <= set(operation["responses"])
    action_param = next(p for p in operation["parameters"] if p["name"] == "action")
    assert set(action_param["schema"]["enum"]) == {"submit", "approve", "return", "unlock"}
    cell = grid_world.ids["b_submitted"]
    auth.login(grid_world.users["secretariat_b"])
    answers = [(post(client, cell, "approve", version=cell.version - 1), CONFLICT),
               (post(client, cell, "return", version=cell.version), UNPROCESSABLE),
               (post(client, cell, "approve", version=cell.version), OK)]
    for response, status in answers:
        assert response.status_code == status
        check_schema(doc, response, status)
    with pytest.raises(jsonschema.ValidationError):  # the check itself can fail
        check_schema(doc, answers[1][0], OK)
