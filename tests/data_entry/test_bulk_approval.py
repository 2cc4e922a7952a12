"""Bulk approval: a secretariat (or an admin) approves a period's, an indicator's, a city's or
chosen submitted values at once, each at the version it saw, on the review page and through
the API. All or nothing: one value that moved on refuses everything (409, listing it); each
approval is kept in history, marked bulk."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session, col

from tests.data_entry.test_grid_routes import grid_world, observe  # noqa: F401  (fixture)
from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    ROLES,
    World,
    check_access,
    expect,
    review_a,
    review_b,
    world,
)
from tests.test_api_observations import csrf_app, signed_in_client  # noqa: F401  (fixture)
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.data.services import review_observation

NOT_FOUND, CONFLICT, UNPROCESSABLE = 404, 409, 422
API = "/api/v1/cities/{slug}/observations/approve"


def pairs(*keys: str) -> Callable[[World], list[dict[str, int]]]:
    """The API body approving the world's observations as they are now."""
    return lambda w: [{"id": w.ids[k].id, "version": w.ids[k].version} for k in keys]


def api_body(*keys: str) -> Callable[[World], str]:
    """A JSON body approving the world's observations."""
    return lambda w: json.dumps(pairs(*keys)(w))


def form_of(*keys: str) -> Callable[[World], dict[str, Any]]:
    """The review page's form approving the world's observations."""
    return lambda w: {"cell": [f"{w.ids[k].id}:{w.ids[k].version}" for k in keys]}


def api_review(outcome: int, city: str) -> dict[str, Any]:
    """The city's reviewers get `outcome`; visitors 401; other users 403."""
    return {**expect(DENIED, anonymous=401), "admin": outcome, f"secretariat_{city}": outcome}


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("review.show_queue", "GET", "/cities/city-a/review", None, review_a(OK)),
    ("review.show_queue", "GET", "/cities/city-b/review?year=2021", None, review_b(OK)),
    ("review.show_queue", "GET", "/cities/city-u/review", None, review_a(OK)),
    ("review.show_queue", "GET", "/cities/nowhere/review", None, expect(NOT_FOUND)),
    ("review.approve_selected", "POST", "/cities/city-b/review/approve",
     form_of("b_submitted"), review_b(REDIRECT)),
    ("review.approve_selected", "POST", "/cities/city-a/review/approve",
     form_of("a_submitted"), review_a(REDIRECT)),
    ("review.approve_selected", "POST", "/cities/city-b/review/approve",  # A's value, B's city
     form_of("a_submitted"), review_b(CONFLICT)),
    ("review.approve_selected", "POST", "/cities/city-b/review/approve",  # a draft
     form_of("b_draft"), review_b(UNPROCESSABLE)),
    ("api.bulk_approve", "POST", API.format(slug="city-b"), api_body("b_submitted"),
     api_review(OK, "b")),
    ("api.bulk_approve", "POST", API.format(slug="city-a"), api_body("a_submitted"),
     api_review(OK, "a")),
    ("api.bulk_approve", "POST", API.format(slug="city-b"), api_body("b_approved"),
     api_review(UNPROCESSABLE, "b")),  # approved already, as seen: not submitted
    ("api.bulk_approve", "POST", API.format(slug="nowhere"), api_body("b_submitted"),
     expect(NOT_FOUND)),
]


def count_rows(db: Session) -> tuple[int, int]:
    """Count approved values and history rows: refusals change neither."""
    approved = select(func.count()).select_from(Observation).where(
        col(Observation.status) == ObservationStatus.APPROVED)
    return db.scalar(approved) or 0, db.scalar(select(func.count()).select_from(
        ObservationChange)) or 0


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2] if isinstance(r[2], str) else r[0]}-{i}"
                              for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, grid_world: World, client: FlaskClient,  # noqa: F811
                auth: Auth, db: Session) -> None:
    before = count_rows(db)
    check_access(row, role, grid_world, client, auth, db)
    if row[4][role] not in (OK, REDIRECT) or row[1] == "GET":
        assert count_rows(db) == before, "a refused request changed something"


# ---------------------------------------------------------------- what gets approved

@pytest.fixture
def queue(grid_world: World, app: Flask, db: Session, make_indicator) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """City A: two indicators with submitted values in 2021 and 2022 (A-1 by sex too), and
    a draft and a returned value that are never approved."""
    ids, city = grid_world.ids, grid_world.cities["a"]
    ids["a2"] = make_indicator(city, "A-2", dimensions=[{"name": "sex",
                                                        "values": ["female", "male"]}])
    for code in ("a1", "a2"):
        for year in (2024, 2025):
            ids[f"{code}_{year}_t"] = observe(app, db, ids[code], year, "submit")
            ids[f"{code}_{year}_f"] = observe(app, db, ids[code], year, "submit",
                                              sex="female")
    ids["a_returned"] = observe(app, db, ids["a1"], 2026, "submit", "return")
    return grid_world


SUBMITTED = [f"{code}_{year}_{part}" for code in ("a1", "a2") for year in (2024, 2025)
             for part in ("t", "f")] + ["a_submitted"]
SCOPES = {  # the review page's filters, and the values each selects (by hand)
    "period": ("year=2024&quarter=0", [k for k in SUBMITTED if "_2024_" in k]),
    "indicator": ("indicator=a-2", [k for k in SUBMITTED if k.startswith("a2_")]),
    "city": ("", SUBMITTED),
}


def statuses(db: Session, w: World) -> dict[str, str]:
    """The status of each of the world's observations now, by key."""
    db.expire_all()
    return {key: db.get(Observation, obs.id).status.value  # type: ignore[union-attr]
            for key, obs in w.ids.items() if isinstance(obs, Observation)}


def listed_pairs(client: FlaskClient, query: str) -> list[str]:
    """The id:version pairs the review page lists (ticked) for a filter."""
    page = client.get(f"/cities/city-a/review?{query}")
    assert page.status_code == 200
    return re.findall(r'name="cell" value="(\d+:\d+)" checked', page.get_data(as_text=True))


def expected_pairs(w: World, keys: list[str]) -> set[str]:
    """The pairs of the given observations at their current versions."""
    return {f"{w.ids[k].id}:{w.ids[k].version}" for k in keys}


@pytest.mark.parametrize("role", ["secretariat_a", "admin"])
@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_the_review_page_approves_a_scope_as_seen(scope: str, role: str, queue: World,
                                                  client: FlaskClient, auth: Auth,
                                                  db: Session) -> None:
    query, keys = SCOPES[scope]
    auth.login(queue.users[role])
    shown = listed_pairs(client, query)
    assert set(shown) == expected_pairs(queue, keys)
    before = statuses(db, queue)
    response = client.post(f"/cities/city-a/review/approve?{query}", data={"cell": shown})
    assert response.status_code == 302
    after = statuses(db, queue)
    assert {k for k in after if after[k] != before[k]} == set(keys)
    assert all(after[k] == "approved" for k in keys)
    history = db.scalars(select(ObservationChange).where(
        col(ObservationChange.note) == "bulk")).all()
    assert sorted(h.observation_id for h in history) == sorted(queue.ids[k].id for k in keys)
    assert {(h.user_id, h.action, h.old_status, h.new_status, h.new_value) for h in history} == {
        (queue.users[role].id, "approve", "submitted", "approved", "1.5")}
    assert listed_pairs(client, query) == []


@pytest.mark.parametrize("role", ["secretariat_a", "admin"])
def test_the_api_approves_chosen_values_and_gives_their_new_versions(
        role: str, queue: World, client: FlaskClient, auth: Auth, db: Session) -> None:
    auth.login(queue.users[role])
    keys = ["a1_2024_f", "a2_2025_t"]
    seen = pairs(*keys)(queue)
    response = client.post(API.format(slug="city-a"), json=seen)
    assert response.status_code == 200, response.json
    assert response.json == {"approved": 2, "items": sorted(
        [{"id": cell["id"], "version": cell["version"] + 1} for cell in seen],
        key=lambda item: item["id"])}
    after = statuses(db, queue)
    assert {k for k, s in after.items() if s == "approved"} == {*keys, "a_approved",
                                                               "b_approved"}


def moved_on(app: Flask, db: Session, w: World, key: str) -> None:
    """Someone returns one of the values after the reviewer's page was drawn."""
    cell = w.ids[key]
    with boundary(app, db):
        review_observation(session=db, cell=cell, action="return",
                           expected_version=cell.version, user_id=None, reason="wrong source")


@pytest.mark.parametrize("via", ["web", "api"])
def test_one_stale_value_refuses_the_whole_approval(via: str, queue: World, app: Flask,
                                                    client: FlaskClient, auth: Auth,
                                                    db: Session) -> None:
    auth.login(queue.users["secretariat_a"])
    seen = {k: (queue.ids[k].id, queue.ids[k].version) for k in SUBMITTED}
    moved_on(app, db, queue, "a2_2024_f")
    before = (statuses(db, queue), count_rows(db))
    if via == "web":
        response = client.post("/cities/city-a/review/approve",
                               data={"cell": [f"{i}:{v}" for i, v in seen.values()]})
        page = response.get_data(as_text=True)
        stale_id, stale_seen = seen["a2_2024_f"]
        assert f"Value {stale_id}: you saw version {stale_seen}; it is now version " \
               f"{stale_seen + 1} (returned)" in page
    else:
        response = client.post(API.format(slug="city-a"),
                               json=[{"id": i, "version": v} for i, v in seen.values()])
        assert response.json["problems"] == [{
            "id": seen["a2_2024_f"][0], "seen_version": seen["a2_2024_f"][1],
            "version": seen["a2_2024_f"][1] + 1, "status": "returned"}]
    assert response.status_code == CONFLICT
    assert (statuses(db, queue), count_rows(db)) == before


@pytest.mark.parametrize(("body", "status", "field"), [
    ([], UNPROCESSABLE, ""),
    ({"id": 1, "version": 1}, UNPROCESSABLE, ""),
    ([{"id": 1}], UNPROCESSABLE, "0.version"),
    ([{"id": "1", "version": 1, "colour": "red"}], UNPROCESSABLE, "0.colour"),
    ([{"id": 0, "version": 1}], UNPROCESSABLE, "0.id"),
    ("twice", UNPROCESSABLE, "1.id"),
    ("draft", UNPROCESSABLE, None),
    ("not json", 400, None),
])
def test_malformed_requests_are_refused_naming_the_item(body: Any, status: int,
                                                        field: str | None, queue: World,
                                                        client: FlaskClient, auth: Auth,
                                                        db: Session) -> None:
    auth.login(queue.users["secretariat_a"])
    one = {"id": queue.ids["a_submitted"].id, "version": queue.ids["a_submitted"].version}
    before = count_rows(db)
    url = API.format(slug="city-a")
    if body == "not json":
        response = client.post(url, data="[{", content_type="application/json")
    else:
        special = {"twice": [one, one],
                   "draft": [one, {"id": queue.ids["a_draft"].id,
                                   "version": queue.ids["a_draft"].version}]}
        payload = special[body] if isinstance(body, str) else body
        response = client.post(url, json=payload)
    assert response.status_code == status, response.json
    if field is not None:
        assert response.json["field"] == field
    if body == "draft":
        assert [p["status"] for p in response.json["problems"]] == ["draft"]
    assert count_rows(db) == before


def test_an_empty_web_approval_is_refused(queue: World, client: FlaskClient, auth: Auth,
                                          db: Session) -> None:
    auth.login(queue.users["secretariat_a"])
    before = count_rows(db)
    for form in ({}, {"cell": ["12:x"]}, {"cell": ["1:1", "1:2"]}):
        assert client.post("/cities/city-a/review/approve", data=form).status_code == 422
    assert count_rows(db) == before


def test_the_review_pages_link_the_queue(queue: World, client: FlaskClient,
                                         auth: Auth) -> None:
    auth.login(queue.users["secretariat_a"])
    assert "/cities/city-a/review" in client.get("/cities/city-a").get_data(as_text=True)
    grid = client.get("/cities/city-a/indicators/A-1/data").get_data(as_text=True)
    assert "/cities/city-a/review?indicator=A-1" in grid
    period = client.get("/cities/city-a/data/2024").get_data(as_text=True)
    assert "/cities/city-a/review?year=2024&amp;quarter=0" in period
    auth.logout()
    auth.login(queue.users["officer_a"])
    assert "/cities/city-a/review" not in client.get("/cities/city-a").get_data(as_text=True)


# ---------------------------------------------------------------- CSRF

def test_posts_without_a_csrf_token_approve_nothing(csrf_app: Flask, queue: World,  # noqa: F811
                                                    db: Session) -> None:
    client = signed_in_client(csrf_app, queue.users["secretariat_a"])
    before = count_rows(db)
    seen = pairs("a_submitted")(queue)
    assert client.post(API.format(slug="city-a"), json=seen).status_code == 400
    web = client.post("/cities/city-a/review/approve", data=form_of("a_submitted")(queue))
    assert web.status_code in (400, 422)
    assert count_rows(db) == before
    page = client.get("/cities/city-a/review").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    done = client.post("/cities/city-a/review/approve",
                       data={**form_of("a_submitted")(queue), "csrf_token": token.group(1)})
    assert done.status_code == 302 and count_rows(db)[0] == before[0] + 1


def test_the_review_page_costs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
        queue: World, app: Flask, db: Session, client: FlaskClient, auth: Auth,
        count_queries) -> None:
    auth.login(queue.users["secretariat_a"])
    with count_queries() as few:
        assert len(listed_pairs(client, "year=2024")) == 4
    for year in range(2030, 2040):
        observe(app, db, queue.ids["a2"], year, "submit", sex="male")
    with count_queries() as many:
        assert len(listed_pairs(client, "")) == len(SUBMITTED) + 10
    assert few() == many()
