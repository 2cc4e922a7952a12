"""The follow-up list: flagged values of a city, who may see it and clear a flag, and the
cleared flag kept in the value's history."""

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

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
    world,
)
from tracker.data.models import Observation, ObservationChange
from tracker.data.services import Entry, save_observation

NOT_FOUND, BAD = 404, 400


def flag(app: Flask, db: Session, indicator: Any, year: int, follow_up: bool = True
         ) -> Observation:
    """Save a value, flagged for follow-up unless told otherwise."""
    with boundary(app, db):
        return save_observation(session=db, indicator=indicator, user_id=None,
                                expected_version=None,
                                entry=Entry(year=year, value=Decimal("12"), follow_up=follow_up,
                                            comment=f"note {year}"))


@pytest.fixture
def flag_world(world: World, app: Flask, db: Session, make_indicator) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """Cities A and B each with a flagged and an unflagged value."""
    for key in ("a", "b"):
        indicator = make_indicator(world.cities[key], f"{key.upper()}-1")
        world.ids[f"{key}_flagged"] = flag(app, db, indicator, 2022)
        world.ids[f"{key}_plain"] = flag(app, db, indicator, 2023, follow_up=False)
    return world


def read(city: str, outcome: int) -> dict[str, Any]:
    """Who may read a city's internals gets `outcome`."""
    readers = {"a": ("secretariat_a", "officer_a", "reviewer_a"),
               "b": ("secretariat_b", "officer_b")}[city]
    return expect(DENIED, anonymous=LOGIN, admin=outcome, **dict.fromkeys(readers, outcome))


def clear_of(city: str, key: str) -> Any:
    """The address that clears one of the world's values' flags."""
    return lambda w: f"/cities/city-{city}/follow-up/{w.ids[key].id}/clear"


def editors(city: str, outcome: int) -> dict[str, Any]:
    """The city's officers, its network's secretariat and admins get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome,
                  **dict.fromkeys((f"secretariat_{city}", f"officer_{city}"), outcome))


NOTE = {"reason": "Checked with the utility"}
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("followup.list_flagged", "GET", "/cities/city-a/follow-up", None, read("a", OK)),
    ("followup.list_flagged", "GET", "/cities/city-b/follow-up", None, read("b", OK)),
    ("followup.list_flagged", "GET", "/cities/nowhere/follow-up", None, expect(NOT_FOUND)),
    ("followup.clear", "POST", clear_of("a", "a_flagged"), NOTE, editors("a", REDIRECT)),
    ("followup.clear", "POST", clear_of("b", "b_flagged"), NOTE, editors("b", REDIRECT)),
    ("followup.clear", "POST", clear_of("b", "a_flagged"), NOTE, editors("b", NOT_FOUND)),
    ("followup.clear", "POST", clear_of("b", "b_plain"), NOTE, editors("b", BAD)),
]


def counts(db: Session) -> tuple[int, int]:
    """Count flagged values and changes: refused requests change neither."""
    return (db.scalar(select(func.count()).select_from(Observation)
                      .where(Observation.follow_up == True)) or 0,  # noqa: E712
            db.scalar(select(func.count()).select_from(ObservationChange)) or 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[f"{r[1]}-{i}" for i, r
                                                    in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, flag_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = counts(db)
    check_access(row, role, flag_world, client, auth, db)
    if row[4][role] not in (OK, REDIRECT):
        assert counts(db) == before, "a refused request changed something"


def test_the_list_shows_only_flagged_values_and_clearing_is_recorded(
        flag_world: World, client: FlaskClient, auth: Auth, db: Session) -> None:
    auth.login(flag_world.users["officer_a"])
    page = client.get("/cities/city-a/follow-up").get_data(as_text=True)
    assert "note 2022" in page and "note 2023" not in page and "B-1" not in page
    flagged = flag_world.ids["a_flagged"]
    response = client.post(f"/cities/city-a/follow-up/{flagged.id}/clear", data=NOTE)
    assert response.status_code == 302
    db.expire_all()
    assert not flagged.follow_up and flagged.version == 2
    change = db.scalars(select(ObservationChange).where(
        ObservationChange.observation_id == flagged.id)
        .order_by(ObservationChange.id.desc())).first()
    assert change is not None and (change.action, change.note) == ("follow-up", NOTE["reason"])
    assert "No value of" in client.get("/cities/city-a/follow-up").get_data(as_text=True)


def test_the_list_runs_a_fixed_number_of_queries(flag_world: World, client: FlaskClient,
                                                 auth: Auth, app: Flask, db: Session,
                                                 make_indicator, count_queries) -> None:  # type: ignore[no-untyped-def]
    auth.login(flag_world.users["officer_a"])
    client.get("/cities/city-a/follow-up")
    with count_queries() as few:
        client.get("/cities/city-a/follow-up")
    for n in range(2, 6):
        flag(app, db, make_indicator(flag_world.cities["a"], f"X-{n}",
                                     dimensions=[{"name": "sex", "values": ["f", "m"]}]), 2020)
    with count_queries() as many:
        client.get("/cities/city-a/follow-up")
    assert many() == few()
