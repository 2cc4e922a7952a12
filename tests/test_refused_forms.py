"""A refused form answers 422 (a stale one 409) on every main form route, keeps what was
typed, and keeps nothing the request wrote (tracker.pages)."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.data_entry.test_grid_routes import grid_world  # noqa: F401  (a fixture)
from tests.factories import Auth
from tests.test_access import World, city_form, world  # noqa: F401  (world is a fixture)
from tracker.auth.models import ApiToken, User
from tracker.cities.models import City, Network
from tracker.climate.models import GhgInventory
from tracker.data.models import Observation
from tracker.db import get_session
from tracker.indicators.models import LocalIndicator
from tracker.pages import render_page
from tracker.plans.models import Plan

TABLES = (User, ApiToken, City, Network, Plan, LocalIndicator, Observation, GhgInventory)

# (who, path, form, a text of the refused page that shows the form was kept or named)
Form = dict[str, Any] | Callable[[World], dict[str, Any]]
REFUSED: list[tuple[str, str, Form, str]] = [
    ("anonymous", "/login", lambda w: {"email": w.users["admin"].email,
                                       "password": "not-the-password"}, "not correct"),
    ("admin", "/account/password", {"current_password": "wrong", "new_password": "x" * 12,
                                    "confirm": "x" * 12}, "not correct"),
    ("admin", "/account/tokens", {"name": ""}, "<form"),
    ("admin", "/users/new", {"email": "not-an-email", "password": "x" * 12, "role": "admin",
                             "city": "", "network": ""}, "not-an-email"),
    ("admin", "/cities/new", {"slug": "bad slug!", "name": "Somewhere", "country_code": "IN",
                              "level": "city", "parent_id": "",
                              "fiscal_year_start_month": 4}, "Somewhere"),
    ("officer_b", "/cities/city-b/edit",
     lambda w: city_form(w.cities["b"], population="-5", name="Typed name"), "Typed name"),
    ("admin", "/networks/new", {"slug": "net-new", "name": ""}, "net-new"),
    ("secretariat_b", "/networks/net-b/edit",
     lambda w: {"name": "", "website": "typed.example", "expected_version": 1},
     "typed.example"),
    ("officer_b", "/cities/city-b/plans/new", {"kind": "sdp", "title": "T", "start_year": 2030,
                                              "end_year": 2020}, 'value="T"'),
    ("officer_b", "/cities/city-b/indicators/new", {"code": "", "name": "Typed indicator"},
     "Typed indicator"),
    ("officer_b", "/cities/city-b/climate/inventories/new", {"year": "", "boundary": "city"},
     "<form"),
    ("officer_b", "/cities/city-b/indicators/B-1/data/cell",
     {"year": "2023", "quarter": "0", "breakdown_key": "", "value": "12,5x",
      "missing_reason": "", "expected_version": ""}, "12,5x"),
    ("officer_b", "/cities/city-b/data/2023",
     lambda w: {f"c-{w.ids['b1'].id}-0-value": "4x", f"c-{w.ids['b1'].id}-0-expected_version": ""},
     'value="4x"'),
    ("secretariat_b", "/networks/net-b/windows", {"year": "2025", "quarter": "0",
                                                  "opens_on": "2025-05-01",
                                                  "due_on": "2025-04-01"}, "<form"),
    ("officer_b", "/cities/city-b/indicators/import", {}, "<form"),
]


def counts(db: Session) -> dict[str, int]:
    """Count the rows of the tables a refused form might have written to."""
    db.expire_all()
    return {model.__name__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in TABLES}


@pytest.mark.parametrize(("who", "path", "form", "kept"), REFUSED,
                         ids=[row[1] for row in REFUSED])
def test_a_refused_form_answers_422_and_writes_nothing(
        who: str, path: str, form: Form, kept: str, grid_world: World,  # noqa: F811
        client: FlaskClient, auth: Auth, db: Session) -> None:
    if who != "anonymous":
        auth.login(grid_world.users[who])
    data = form(grid_world) if callable(form) else form
    before = counts(db)
    response = client.post(path, data=data)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert kept in response.get_data(as_text=True)
    assert counts(db) == before
    shown = client.get(path.removesuffix("/cell") if path.endswith("/cell") else path)
    assert shown.status_code == 200  # the same form, shown rather than refused


def test_a_stale_form_answers_409(grid_world: World, client: FlaskClient,  # noqa: F811
                                  auth: Auth) -> None:
    city = grid_world.cities["b"]
    auth.login(grid_world.users["officer_b"])
    stale = city_form(city, name="Mine", expected_version=city.version - 1 or 99)
    assert client.post("/cities/city-b/edit", data=stale).status_code == 409


@pytest.mark.parametrize(("status", "keep", "stays"), [
    (422, False, False), (409, False, False), (422, True, True), (200, False, True)])
def test_a_refused_page_rolls_back_what_the_request_wrote(
        status: int, keep: bool, stays: bool, app: Flask, db: Session) -> None:
    with app.test_request_context("/"):
        get_session().add(Network(slug="written-then-refused", name="Partial"))
        get_session().flush()
        page, answered = render_page("errors/error.html", status, keep=keep, code=status,
                                     message="Refused")
        assert answered == status and "Refused" in page
        found = get_session().scalar(select(func.count()).select_from(Network)
                                     .where(Network.slug == "written-then-refused"))
        assert found == (1 if stays else 0)
        db.rollback()  # leave nothing behind for the next test
