"""The completeness and reporting-window pages: who may see and set what, and the
secretariat's journey of setting a window for the whole network."""

from datetime import date
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
    read_a,
    read_b,
    world,
)
from tracker.audit.models import AuditEvent
from tracker.data.models import ReportingWindow
from tracker.data.windows import WindowIn, set_city_window

NOT_FOUND = 404
UNPROCESSABLE = 422


def window_state(db: Session) -> tuple[Any, ...]:
    """Every window and the number of window changes recorded: refusals change neither."""
    db.expire_all()
    windows = db.execute(select(ReportingWindow.city_id, ReportingWindow.year,
                                ReportingWindow.quarter, ReportingWindow.opens_on,
                                ReportingWindow.due_on)
                         .order_by(ReportingWindow.id)).all()
    events = db.scalar(select(func.count()).select_from(AuditEvent)
                       .where(AuditEvent.entity_type == "ReportingWindow"))
    return tuple(windows), events


@pytest.fixture
def windows_world(world: World, app: Flask, db: Session, make_indicator) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """Give cities A, B and U an indicator and a 2024 window each."""
    for key in ("a", "b", "u"):
        city = world.cities[key]
        make_indicator(city, f"{key.upper()}-1")
        with boundary(app, db):
            set_city_window(session=db, city=city, user_id=None,
                            window_in=WindowIn(2024, 0, date(2025, 1, 1), date(2025, 3, 31)))
    return world


def watch(network: str, outcome: int) -> dict[str, Any]:
    """The network's secretariat (and reviewer, for A) and admins get `outcome`."""
    allowed = {"admin": outcome, f"secretariat_{network}": outcome}
    if network == "a":
        allowed["reviewer_a"] = outcome
    return expect(DENIED, anonymous=LOGIN, **allowed)


def manage(network: str, outcome: int) -> dict[str, Any]:
    """The network's secretariat and admins get `outcome`; everyone else is refused."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, **{f"secretariat_{network}": outcome})


def window_form(**fields: Any) -> dict[str, Any]:
    """A valid window: fiscal year 2025, open from January, due at the end of March 2026."""
    return {"year": "2025", "quarter": "0", "opens_on": "2026-01-01",
            "due_on": "2026-03-31"} | fields


LATE = window_form(due_on="2025-12-31")  # due before it opens
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("completeness.show_city", "GET", "/cities/city-b/completeness", None, read_b(OK)),
    ("completeness.show_city", "GET", "/cities/city-a/completeness?year=2024&quarter=2", None,
     read_a(OK)),
    ("completeness.show_city", "GET", "/cities/city-u/completeness", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)),
    ("completeness.show_city", "GET", "/cities/city-a/completeness?year=abc", None,
     read_a(UNPROCESSABLE)),
    ("completeness.show_city", "GET", "/cities/nowhere/completeness", None, expect(NOT_FOUND)),
    ("completeness.show_network", "GET", "/networks/net-b/completeness", None,
     watch("b", OK)),
    ("completeness.show_network", "GET", "/networks/net-a/completeness?year=2024", None,
     watch("a", OK)),
    ("completeness.show_network", "GET", "/networks/net-a/completeness?quarter=7", None,
     watch("a", UNPROCESSABLE)),
    ("completeness.show_network", "GET", "/networks/nowhere/completeness", None,
     expect(NOT_FOUND)),
    ("completeness.show_network", "GET", "/networks/net-a/completeness?sort=x&page=2", None,
     watch("a", UNPROCESSABLE)),
    ("completeness.export_network", "GET", "/networks/net-b/completeness.csv", None,
     watch("b", OK)),
    ("completeness.export_network", "GET", "/networks/net-a/completeness.csv?show=overdue",
     None, watch("a", OK)),
    ("completeness.export_network", "GET", "/networks/nowhere/completeness.csv", None,
     expect(NOT_FOUND)),
    ("completeness.export_network", "GET", "/networks/net-a/completeness.xlsx", None,
     watch("a", OK)),
    ("completeness.export_network", "GET", "/networks/net-b/completeness.xlsx?year=2024",
     None, watch("b", OK)),
    ("completeness.network_windows", "GET", "/networks/net-b/windows", None, manage("b", OK)),
    ("completeness.network_windows", "GET", "/networks/net-a/windows", None, manage("a", OK)),
    ("completeness.network_windows", "POST", "/networks/net-b/windows", window_form(),
     manage("b", REDIRECT)),
    ("completeness.network_windows", "POST", "/networks/net-a/windows",
     window_form(quarter="3"), manage("a", REDIRECT)),
    ("completeness.network_windows", "POST", "/networks/net-b/windows", LATE,
     manage("b", UNPROCESSABLE)),
    ("completeness.network_windows", "POST", "/networks/nowhere/windows", window_form(),
     expect(NOT_FOUND)),
    ("completeness.city_windows", "GET", "/cities/city-b/windows", None, manage("b", OK)),
    ("completeness.city_windows", "GET", "/cities/city-u/windows", None, manage("a", OK)),
    ("completeness.city_windows", "POST", "/cities/city-b/windows", window_form(),
     manage("b", REDIRECT)),
    ("completeness.city_windows", "POST", "/cities/city-a/windows",
     window_form(due_on="2026-02-28"), manage("a", REDIRECT)),
    ("completeness.city_windows", "POST", "/cities/city-b/windows", window_form(year="1900"),
     manage("b", UNPROCESSABLE)),
    ("completeness.city_windows", "POST", "/cities/city-loose/windows", window_form(),
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT)),
    ("completeness.city_windows", "POST", "/cities/nowhere/windows", window_form(),
     expect(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, windows_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = window_state(db)
    check_access(row, role, windows_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, UNPROCESSABLE):
        assert window_state(db) == before, "a refused request changed something"
    elif row[1] == "POST":
        assert window_state(db) != before, "an accepted window changed nothing"


def test_the_matrix_covers_every_completeness_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("completeness.")} == {
        r[0] for r in ACCESS_MATRIX}
    methods = {(r.endpoint, m) for r in app.url_map.iter_rules()
               if r.endpoint.startswith("completeness.") for m in r.methods or ()
               if m in ("GET", "POST")}
    assert methods == {(r[0], r[1]) for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- the secretariat's journey

def test_a_secretariat_sets_a_window_for_the_whole_network(
        windows_world: World, client: FlaskClient, auth: Auth, db: Session) -> None:
    w = windows_world
    auth.login(w.users["secretariat_a"])
    refused = client.post("/networks/net-a/windows", data=LATE)
    assert refused.status_code == 422
    assert "The due date is before the opening date." in refused.get_data(as_text=True)
    done = client.post("/networks/net-a/windows", data=window_form(), follow_redirects=True)
    assert done.status_code == 200 and "Window saved for every city" in done.get_data(
        as_text=True)
    db.expire_all()
    set_for = set(db.scalars(select(ReportingWindow.city_id).where(ReportingWindow.year == 2025)))
    assert set_for == {w.cities["a"].id, w.cities["u"].id}  # not B, not the loose city

    moved = client.post("/cities/city-a/windows", data=window_form(due_on="2026-04-30"))
    assert moved.status_code == 302
    db.expire_all()
    dues = dict(db.execute(select(ReportingWindow.city_id, ReportingWindow.due_on)
                           .where(ReportingWindow.year == 2025)).all())
    assert dues == {w.cities["a"].id: date(2026, 4, 30), w.cities["u"].id: date(2026, 3, 31)}
    page = client.get("/cities/city-a/completeness?year=2025").get_data(as_text=True)
    assert "opens 2026-01-01, due 2026-04-30" in page and "Set windows" in page
    listing = client.get("/networks/net-a/windows").get_data(as_text=True)
    assert listing.count("due 2026-") == 2 and "due 2025-03-31" in listing


def test_reviewers_see_the_windows_read_only(windows_world: World, client: FlaskClient,
                                             auth: Auth) -> None:
    auth.login(windows_world.users["reviewer_a"])
    page = client.get("/cities/city-a/completeness").get_data(as_text=True)
    assert "opens 2025-01-01, due 2025-03-31" in page  # the default: latest year with a window
    assert "Set windows" not in page and "/cities/city-a/windows" not in page
    network = client.get("/networks/net-a/completeness").get_data(as_text=True)
    assert "city-a" in network and "city-b" not in network and "Set windows" not in network
