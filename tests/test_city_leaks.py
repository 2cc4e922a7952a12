"""An unpublished city is never named to those who may not read it: not as a parent area on
public pages or in the API, not in the parent-area picker, and not through a crafted POST."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.factories import Auth, boundary
from tests.test_access import ROLES, World, city_form, world  # noqa: F401  (world is a fixture)
from tracker.cities.models import City

HIDDEN_NAME, HIDDEN_SLUG = "Bhavnagar Hidden", "city-u"
# Network A holds the unpublished city U: its secretariat and reviewer read it, as do admins.
READERS = {"admin", "secretariat_a", "reviewer_a"}
# Pages and endpoints that show a city's parent area or list cities; city A's parent is U.
SHOWING_PARENTS = ["/", "/cities/", "/cities/city-a", "/networks/net-a", "/api/v1/cities",
                   "/api/v1/cities?network=net-a", "/api/v1/cities/city-a",
                   "/cities/city-a/edit", "/cities/new", "/cities/city-b/edit"]


@pytest.fixture
def leak_world(world: World, app: Flask, db: Session) -> World:  # noqa: F811
    """Make the unpublished city U the parent area of the published city A."""
    with boundary(app, db):
        hidden, city_a = world.cities["u"], world.cities["a"]
        hidden.name = HIDDEN_NAME
        city_a.parent_id = hidden.id
        db.add_all([hidden, city_a])
    return world


def get_as(client: FlaskClient, auth: Auth, w: World, role: str, path: str) -> Any:
    """Request a page as the role."""
    if role != "anonymous":
        auth.login(w.users[role])
    return client.get(path)


@pytest.mark.parametrize("role", [role for role in ROLES if role not in READERS])
@pytest.mark.parametrize("path", SHOWING_PARENTS)
def test_the_unpublished_parent_is_named_only_to_its_readers(
        path: str, role: str, leak_world: World, client: FlaskClient, auth: Auth) -> None:
    response = get_as(client, auth, leak_world, role, path)
    body = response.get_data(as_text=True)
    assert HIDDEN_NAME not in body, (role, path)
    assert f'"{HIDDEN_SLUG}"' not in body and f"/cities/{HIDDEN_SLUG}" not in body, (role, path)


@pytest.mark.parametrize("role", sorted(READERS))
@pytest.mark.parametrize("path", ["/cities/city-a", "/cities/", "/networks/net-a"])
def test_readers_still_see_the_parent_area(path: str, role: str, leak_world: World,
                                           client: FlaskClient, auth: Auth) -> None:
    response = get_as(client, auth, leak_world, role, path)
    assert response.status_code == 200
    assert HIDDEN_NAME in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "parent"), [("anonymous", None), ("officer_a", None),
                                              ("officer_b", None), ("secretariat_b", None),
                                              ("reviewer_a", HIDDEN_SLUG),
                                              ("admin", HIDDEN_SLUG)])
def test_the_api_gives_the_parent_only_to_its_readers(
        role: str, parent: str | None, leak_world: World, client: FlaskClient,
        auth: Auth) -> None:
    one = get_as(client, auth, leak_world, role, "/api/v1/cities/city-a").json
    assert one["parent"] == parent
    listed = {c["slug"]: c for c in client.get("/api/v1/cities").json["items"]}
    assert listed["city-a"]["parent"] == parent


def parent_options(body: str) -> str:
    """The HTML of the parent-area <select>."""
    start = body.index('name="parent_id"')
    return body[start:body.index("</select>", start)]


@pytest.mark.parametrize(("role", "path", "offered"), [
    ("admin", "/cities/new", True), ("secretariat_a", "/cities/new", True),
    ("secretariat_b", "/cities/new", False), ("secretariat_b", "/cities/city-b/edit", False),
    ("officer_b", "/cities/city-b/edit", False), ("officer_a", "/cities/city-a/edit", False),
    ("secretariat_a", "/cities/city-a/edit", True),
])
def test_the_picker_offers_only_readable_cities(
        role: str, path: str, offered: bool, leak_world: World, client: FlaskClient,
        auth: Auth, db: Session) -> None:
    response = get_as(client, auth, leak_world, role, path)
    assert response.status_code == 200
    options = parent_options(response.get_data(as_text=True))
    hidden_id = leak_world.cities["u"].id
    assert (HIDDEN_NAME in options) is offered
    edited = path.split("/")[2] if path.endswith("/edit") else None
    published = db.exec(select(City.id).where(City.is_published, City.slug != edited)).all()
    assert published and all(f'value="{city_id}"' in options for city_id in published)
    if role == "officer_a":  # A's own parent stays choosable, unnamed
        assert f'value="{hidden_id}"' in options and HIDDEN_NAME not in options


@pytest.mark.parametrize(("role", "path", "form"), [
    ("secretariat_b", "/cities/new", "new"),
    ("officer_b", "/cities/city-b/edit", "edit_b"),
    ("secretariat_b", "/cities/city-b/edit", "edit_b"),
])
def test_a_crafted_post_naming_an_unreadable_parent_is_refused(
        role: str, path: str, form: str, leak_world: World, client: FlaskClient,
        auth: Auth, db: Session) -> None:
    hidden_id = leak_world.cities["u"].id
    data = (city_form(leak_world.cities["b"], parent_id=hidden_id) if form == "edit_b" else
            {"slug": "sneaky", "name": "Sneaky", "country_code": "IN", "level": "city",
             "parent_id": hidden_id, "fiscal_year_start_month": 4})
    auth.login(leak_world.users[role])
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert HIDDEN_NAME not in response.get_data(as_text=True)
    db.expire_all()
    assert db.exec(select(City).where(City.slug == "sneaky")).first() is None
    assert db.get(City, leak_world.cities["b"].id).parent_id is None  # type: ignore[union-attr]


def test_an_editor_who_cannot_read_the_parent_keeps_it_when_saving(
        leak_world: World, client: FlaskClient, auth: Auth, db: Session) -> None:
    city_a, hidden = leak_world.cities["a"], leak_world.cities["u"]
    auth.login(leak_world.users["officer_a"])
    response = client.post("/cities/city-a/edit",
                           data=city_form(city_a, parent_id=hidden.id, population=1200))
    assert response.status_code == 302
    db.expire_all()
    saved = db.get(City, city_a.id)
    assert saved is not None and saved.parent_id == hidden.id and saved.population == 1200
