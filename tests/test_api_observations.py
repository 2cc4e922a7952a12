"""The observations API: access, filters and pages, exact decimals, all-or-nothing batches
through the grid's checks, stale saves, and CSRF for cookies but not for bearer tokens."""

import json
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.conftest import app_settings
from tests.data_entry.test_grid_routes import grid_world, row_count  # noqa: F401  (fixture)
from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    OK,
    ROLES,
    World,
    check_access,
    expect,
    world,
)
from tracker import create_app
from tracker.auth.models import Role, User
from tracker.auth.sessions import GENERATION_KEY
from tracker.auth.tokens import create_token
from tracker.data.models import Observation
from tracker.data.services import Entry, review_observation, save_observation

CREATED, UNAUTHORISED, NOT_FOUND, CONFLICT, UNPROCESSABLE = 201, 401, 404, 409, 422


def read(*roles: str) -> dict[str, Any]:
    """These roles read the observations; visitors get 401, other users 403."""
    return expect(DENIED, anonymous=UNAUTHORISED, **dict.fromkeys(roles, OK))


def edit(outcome: int, *roles: str) -> dict[str, Any]:
    """These roles (with admins) get `outcome`; visitors 401, other users 403."""
    return expect(DENIED, anonymous=UNAUTHORISED, admin=outcome,
                  **dict.fromkeys(roles, outcome))


def body(**fields: Any) -> Callable[[World], str]:
    """A JSON body saving one observation of the city's indicator (fields override)."""
    return lambda w: json.dumps({"year": 2023, "value": "42.5", **fields})


def over(key: str, indicator: str, **fields: Any) -> Callable[[World], str]:
    """A JSON body saving over one of the world's observations, from its current version."""
    return lambda w: json.dumps({"indicator": indicator, "year": w.ids[key].year, "value": "7",
                                 "expected_version": w.ids[key].version, **fields})


A, B = "/api/v1/cities/city-a/observations", "/api/v1/cities/city-b/observations"
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    # open data: anyone reads a published city's approved values (tests/test_open_data.py
    # checks who sees which); an unpublished city is 404 to those who may not read it
    ("api.list_observations", "GET", B, None, expect(OK)),
    ("api.list_observations", "GET", A, None, expect(OK)),
    ("api.list_observations", "GET", "/api/v1/cities/city-u/observations", None,
     expect(NOT_FOUND, admin=OK, secretariat_a=OK, reviewer_a=OK)),
    ("api.list_observations", "GET", "/api/v1/cities/nowhere/observations", None,
     expect(NOT_FOUND)),
    ("api.save_observations", "POST", B, body(indicator="B-1"),
     edit(CREATED, "secretariat_b", "officer_b")),
    ("api.save_observations", "POST", A, body(indicator="A-1"),
     edit(CREATED, "secretariat_a", "officer_a")),
    ("api.save_observations", "POST", B, body(indicator="A-1"),  # A's indicator, B's city
     edit(UNPROCESSABLE, "secretariat_b", "officer_b")),
    ("api.save_observations", "POST", B, over("b_approved", "B-1"),  # locked
     edit(UNPROCESSABLE, "secretariat_b", "officer_b")),
    ("api.save_observations", "POST", B, over("b_draft", "B-1", expected_version=None),
     edit(CONFLICT, "secretariat_b", "officer_b")),
    ("api.save_observations", "POST", "/api/v1/cities/nowhere/observations",
     body(indicator="B-1"), expect(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2] if isinstance(r[2], str) else r[0]}-{i}"
                              for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, grid_world: World, client: FlaskClient,  # noqa: F811
                auth: Auth, db: Session) -> None:
    before = row_count(db)
    check_access(row, role, grid_world, client, auth, db)
    if row[4][role] != CREATED:
        assert row_count(db) == before, "a refused request changed something"


def test_the_matrix_covers_every_observations_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if "observations" in e} == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- reading

@pytest.fixture
def city_data(  # type: ignore[no-untyped-def]
        app: Flask, db: Session,  # noqa: ARG001 - the rows live in the session the requests share
        make_network, make_city, make_user, make_indicator) -> dict[str, Any]:
    """A July fiscal-year city with an annual and a quarterly indicator, and its people."""
    network = make_network()
    city = make_city(network=network, fiscal_year_start_month=7, is_published=False)
    annual = make_indicator(city, "WS-1", unit_kind="count",
                            dimensions=[{"name": "sex", "values": ["female", "male"]}],
                            sums_to_total=True)
    quarterly = make_indicator(city, "Q-1", frequency="quarterly", unit_kind="other",
                               unit_label="lpcd")
    return {"city": city, "annual": annual, "quarterly": quarterly,
            "url": f"/api/v1/cities/{city.slug}/observations",
            "officer": make_user(Role.OFFICER, city=city),
            "secretariat": make_user(Role.SECRETARIAT, network=network),
            "reviewer": make_user(Role.REVIEWER, network=network)}


def add(app: Flask, db: Session, indicator: Any, year: int, value: str, quarter: int = 0,
        *actions: str) -> Observation:
    """Save a value and move it through review actions."""
    with boundary(app, db):
        cell = save_observation(session=db, indicator=indicator, user_id=None,
                                expected_version=None,
                                entry=Entry(year=year, quarter=quarter, value=Decimal(value)))
        for action in actions:
            review_observation(session=db, cell=cell, action=action,
                               expected_version=cell.version, user_id=None)
    return cell


def test_filters_pages_and_exact_decimals(app: Flask, db: Session, client: FlaskClient,
                                          auth: Auth, city_data: dict[str, Any]) -> None:
    annual, quarterly, url = city_data["annual"], city_data["quarterly"], city_data["url"]
    for year in (2019, 2020, 2021, 2022):
        add(app, db, annual, year, str(year - 1000))
    add(app, db, quarterly, 2021, "0.1000000001", 2, "submit")
    add(app, db, quarterly, 2021, "99.94", 3)
    auth.login(city_data["reviewer"])

    everything = client.get(url).json
    assert everything["total"] == 6
    assert [(i["indicator"], i["year"], i["quarter"]) for i in everything["items"]] == [
        ("Q-1", 2021, 2), ("Q-1", 2021, 3), ("WS-1", 2019, 0), ("WS-1", 2020, 0),
        ("WS-1", 2021, 0), ("WS-1", 2022, 0)]
    first = everything["items"][0]
    assert first["value"] == "0.1000000001" and first["period"] == "2021/22 Q2"
    assert first["status"] == "submitted" and first["version"] == 2
    assert first["breakdown"] == {} and first["missing_reason"] is None

    def items(query: str) -> list[tuple[str, int, int]]:
        return [(i["indicator"], i["year"], i["quarter"])
                for i in client.get(f"{url}?{query}").json["items"]]

    assert items("indicator=ws-1&from=2020&to=2021") == [("WS-1", 2020, 0), ("WS-1", 2021, 0)]
    assert items("quarter=3") == [("Q-1", 2021, 3)]
    assert items("status=submitted") == [("Q-1", 2021, 2)]
    page = client.get(f"{url}?per_page=4&page=2").json
    assert (page["total"], page["pages"], len(page["items"])) == (6, 2, 2)
    assert page["items"][1]["value"] == "1022"
    for bad in ("status=secret", "from=last", "per_page=0"):
        refused = client.get(f"{url}?{bad}")
        assert refused.status_code == 400 and refused.json["status"] == 400


def test_listing_cost_is_flat(app: Flask, db: Session, client: FlaskClient, auth: Auth,  # type: ignore[no-untyped-def]
                              city_data: dict[str, Any], count_queries) -> None:
    auth.login(city_data["officer"])
    add(app, db, city_data["annual"], 2020, "5")
    with count_queries() as few:
        assert client.get(city_data["url"]).status_code == 200
    for year in range(2010, 2020):
        add(app, db, city_data["annual"], year, "5")
    add(app, db, city_data["quarterly"], 2020, "5", 1)
    with count_queries() as many:
        assert len(client.get(city_data["url"]).json["items"]) == 12
    assert few() == many()


# ---------------------------------------------------------------- saving

def values(db: Session) -> dict[tuple[int, int, str], Decimal | None]:
    """Return every saved value by (year, quarter, breakdown key), fresh."""
    db.expire_all()
    return {(o.year, o.quarter, o.breakdown_key): o.value for o in db.scalars(select(Observation))}


def post(client: FlaskClient, url: str, payload: Any, token: str | None = None) -> Any:
    """POST JSON to the API, with a bearer token when given."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(url, json=payload, headers=headers)


def test_a_batch_saves_exact_values_and_can_submit(client: FlaskClient, auth: Auth,
                                                   db: Session,
                                                   city_data: dict[str, Any]) -> None:
    auth.login(city_data["officer"])
    batch = json.dumps({"observations": [
        {"indicator": "ws-1", "year": 2023, "value": 10, "source": "census"},
        {"indicator": "WS-1", "year": 2023, "value": "4", "breakdown": {"sex": "female"}},
        {"indicator": "WS-1", "year": 2023, "missing_reason": "confidential",
         "breakdown": {"sex": "male"}, "comment": "withheld"},
        {"indicator": "Q-1", "year": 2023, "quarter": 2, "value": "NUMBER",
         "action": "submit"}]})
    # A JSON number a float cannot hold: the API reads it from its text.
    batch = batch.replace('"NUMBER"', "1234567.0000000001")
    saved = client.post(city_data["url"], data=batch, content_type="application/json")
    assert saved.status_code == 201, saved.json
    items = saved.json["items"]
    assert [i["value"] for i in items] == ["10", "4", None, "1234567.0000000001"]
    assert items[2]["missing_reason"] == "confidential" and items[0]["source"] == "census"
    assert items[3]["status"] == "submitted" and items[3]["period"] == "2023/24 Q2"
    assert values(db) == {(2023, 0, ""): Decimal("10"), (2023, 0, "sex=female"): Decimal("4"),
                          (2023, 0, "sex=male"): None,
                          (2023, 2, ""): Decimal("1234567.0000000001")}


def test_one_refused_item_saves_nothing_and_every_problem_is_listed(
        client: FlaskClient, auth: Auth, db: Session, city_data: dict[str, Any]) -> None:
    auth.login(city_data["officer"])
    refused = post(client, city_data["url"], [
        {"indicator": "WS-1", "year": 2023, "value": "10"},
        {"indicator": "WS-1", "year": 2024, "value": "12,5", "colour": "red"},
        {"indicator": "NOPE", "year": 1800, "value": "1"},
        {"indicator": "WS-1", "year": 2025, "value": "2.5"},  # a count must be whole
        {"indicator": "WS-1", "year": 2023, "quarter": 2, "value": "1"},  # annual
        {"indicator": "WS-1", "year": 2023, "value": "11"},  # the same cell as item 0
        "not an object"])
    assert refused.status_code == UNPROCESSABLE
    problems = {(p["index"], p["field"]) for p in refused.json["problems"]}
    assert problems == {(1, "value"), (1, "colour"), (2, "indicator"), (2, "year"),
                        (3, "value"), (4, ""), (5, ""), (6, "")}
    assert "6 of 7" in refused.json["message"]
    assert values(db) == {}  # item 0 was fine, but the batch is all or nothing


def test_warnings_need_a_note_or_a_follow_up(client: FlaskClient, auth: Auth, db: Session,
                                             city_data: dict[str, Any]) -> None:
    auth.login(city_data["officer"])
    batch = [{"indicator": "WS-1", "year": 2023, "value": "10"},
             {"indicator": "WS-1", "year": 2023, "value": "4", "breakdown": {"sex": "female"}},
             {"indicator": "WS-1", "year": 2023, "value": "5", "breakdown": {"sex": "male"}}]
    held = post(client, city_data["url"], {"observations": batch})
    assert held.status_code == UNPROCESSABLE
    problems = held.json["problems"]
    assert {(p["index"], p["field"], p.get("level")) for p in problems} == {
        (2, "sex", "warning"), (2, "warning_note", None)}
    assert "warning_note" in problems[1]["message"] and "add up to 9" in problems[0]["message"]
    assert values(db) == {}

    batch[2]["warning_note"] = "The rest did not say"
    saved = post(client, city_data["url"], {"observations": batch})
    assert saved.status_code == CREATED
    assert saved.json["items"][2]["warning_note"] == "The rest did not say"


def test_a_stale_save_is_refused_and_the_first_value_survives(
        client: FlaskClient, auth: Auth, db: Session, city_data: dict[str, Any]) -> None:
    auth.login(city_data["officer"])
    first = post(client, city_data["url"], {"indicator": "WS-1", "year": 2023, "value": "10"})
    assert first.status_code == CREATED and first.json["items"][0]["version"] == 1
    stale = post(client, city_data["url"], {"indicator": "WS-1", "year": 2023, "value": "11",
                                            "expected_version": None})
    assert stale.status_code == CONFLICT
    [problem] = stale.json["problems"]
    assert problem["field"] == "expected_version"
    assert problem["current"] == {"value": "10", "version": 1, "status": "draft",
                                  "missing_reason": None}
    assert values(db) == {(2023, 0, ""): Decimal("10")}
    again = post(client, city_data["url"], {"indicator": "WS-1", "year": 2023, "value": "11",
                                            "expected_version": 1})
    assert again.status_code == CREATED and again.json["items"][0]["version"] == 2
    assert values(db) == {(2023, 0, ""): Decimal("11")}


def test_bad_bodies_are_refused(client: FlaskClient, auth: Auth, db: Session,
                                city_data: dict[str, Any]) -> None:
    auth.login(city_data["officer"])
    url = city_data["url"]
    assert client.post(url, data="{not json", content_type="application/json").status_code == 400
    assert post(client, url, {"observations": []}).status_code == 400
    assert post(client, url, [{"indicator": "WS-1", "year": 2000 + i % 20}
                              for i in range(1001)]).status_code == 400
    assert client.post(url, data={"indicator": "WS-1"}).status_code == 415
    assert values(db) == {}


@pytest.mark.parametrize("role", ["reviewer", "other_officer", "anonymous"])
def test_who_may_not_save_writes_nothing(role: str, app: Flask, db: Session,  # type: ignore[no-untyped-def]
                                         city_data: dict[str, Any], make_city,
                                         make_user) -> None:
    users = {"reviewer": city_data["reviewer"],
             "other_officer": make_user(Role.OFFICER, city=make_city())}
    token = None
    if role in users:
        with boundary(app, db):
            token = create_token(session=db, user=users[role], name="t")[1]
    refused = post(app.test_client(), city_data["url"],
                   {"indicator": "WS-1", "year": 2023, "value": "1"}, token)
    assert refused.status_code == (UNAUTHORISED if role == "anonymous" else DENIED)
    assert refused.json["status"] == refused.status_code
    assert values(db) == {}


# ---------------------------------------------------------------- CSRF

@pytest.fixture
def csrf_app(engine: Engine, db: Session) -> Iterator[Flask]:
    """An app that checks CSRF tokens, as in production."""
    app = create_app(app_settings(engine, WTF_CSRF_ENABLED=True))
    database = app.extensions["tracker_db"]
    database.session_factory = lambda: db
    database.closes_sessions = False
    yield app


def signed_in_client(app: Flask, user: User) -> FlaskClient:
    """A client holding a session cookie of the user (signed in without the login form)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[GENERATION_KEY] = user.session_generation
    return client


def test_bearer_posts_need_no_csrf_token(csrf_app: Flask, db: Session,
                                         city_data: dict[str, Any]) -> None:
    with boundary(csrf_app, db):
        _token, plain = create_token(session=db, user=city_data["officer"], name="script")
    saved = post(csrf_app.test_client(), city_data["url"],
                 {"indicator": "WS-1", "year": 2023, "value": "3"}, plain)
    assert saved.status_code == CREATED, saved.json
    assert values(db) == {(2023, 0, ""): Decimal("3")}


def test_cookie_posts_need_a_csrf_token(csrf_app: Flask, db: Session,
                                        city_data: dict[str, Any]) -> None:
    client = signed_in_client(csrf_app, city_data["officer"])
    payload = {"indicator": "WS-1", "year": 2023, "value": "3"}
    refused = post(client, city_data["url"], payload)
    assert refused.status_code == 400 and "CSRF" in refused.json["message"]
    assert values(db) == {}

    page = client.get("/account/tokens").get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    csrf_token = csrf_token or re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf_token is not None
    saved = client.post(city_data["url"], json=payload,
                        headers={"X-CSRFToken": csrf_token.group(1)})
    assert saved.status_code == CREATED
    assert values(db) == {(2023, 0, ""): Decimal("3")}


def test_the_openapi_document_describes_reading_and_saving(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    path = doc["paths"]["/cities/{slug}/observations"]
    assert {"get", "post"} <= set(path)
    assert {"409", "422", "201"} <= set(path["post"]["responses"])
    assert {p["name"] for p in path["get"]["parameters"]} >= {"indicator", "from", "to",
                                                              "quarter", "status"}
    assert "bearer" in doc["components"]["securitySchemes"]
    value = doc["components"]["schemas"]["Observation"]["properties"]["value"]
    assert sorted(option["type"] for option in value["anyOf"]) == ["null", "string"]
