"""The indicator grid: access, saving cells, optimistic locking, review workflow, history and
a fixed number of queries."""

from collections.abc import Callable
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
    edit_a,
    edit_b,
    expect,
    read_a,
    read_b,
    review_a,
    review_b,
    world,
)
from tracker.auth.models import Role
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.data.queries import current_fiscal_year, list_columns
from tracker.data.services import Entry, review_observation, save_observation

NOT_FOUND = 404
CONFLICT = 409
UNPROCESSABLE = 422



def observe(app: Flask, db: Session, indicator: Any, year: int, *actions: str,
            **breakdown: str) -> Observation:
    """Save a value in a cell and move it through the given review actions."""
    with boundary(app, db):
        cell = save_observation(session=db, indicator=indicator, user_id=None,
                                expected_version=None,
                                entry=Entry(year=year, value=Decimal("1.5"),
                                            breakdown=breakdown))
        for action in actions:
            review_observation(session=db, cell=cell, action=action,
                               expected_version=cell.version, user_id=None,
                               reason="because")
    return cell


def row_count(db: Session) -> tuple[int, int]:
    """Count observations and their changes: refused requests must change neither."""
    return (db.scalar(select(func.count()).select_from(Observation)) or 0,
            db.scalar(select(func.count()).select_from(ObservationChange)) or 0)


# ---------------------------------------------------------------- access matrix

@pytest.fixture
def grid_world(world: World, app: Flask, db: Session, make_indicator) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """Give cities A, B and U an indicator each, and A and B values in every status."""
    ids = world.ids
    for key in ("a", "b", "u"):
        ids[f"{key}1"] = make_indicator(world.cities[key], f"{key.upper()}-1",
                                        dimensions=[{"name": "sex",
                                                     "values": ["female", "male"]}])
    for key in ("a", "b"):
        ind = ids[f"{key}1"]
        ids[f"{key}_draft"] = observe(app, db, ind, 2020)
        ids[f"{key}_submitted"] = observe(app, db, ind, 2021, "submit")
        ids[f"{key}_approved"] = observe(app, db, ind, 2022, "submit", "approve")
    ids["records"] = [ids[f"{k}_{s}"] for k in "ab" for s in ("draft", "submitted",
                                                              "approved")]
    return world


A1 = "/cities/city-a/indicators/A-1/data"
B1 = "/cities/city-b/indicators/B-1/data"


def cell_path(base: str, key: str, action: str) -> Callable[[World], str]:
    """The address of an action on one of the world's observations."""
    return lambda w: f"{base}/cell/{w.ids[key].id}/{action}"


def new_cell(**fields: Any) -> dict[str, Any]:
    """A valid save of an empty cell."""
    return {"year": "2023", "quarter": "0", "breakdown_key": "", "value": "42.5",
            "missing_reason": "", "comment": "", "expected_version": ""} | fields


def over(key: str, **fields: Any) -> Callable[[World], dict[str, Any]]:
    """A valid save over one of the world's draft observations, from its current version."""
    return lambda w: new_cell(year=str(w.ids[key].year), expected_version=w.ids[key].version,
                              **fields)


REASON = {"reason": "Check the source"}


def seen(key: str, **fields: Any) -> Callable[[World], dict[str, Any]]:
    """A review action on one of the world's observations, as the page showed it."""
    return lambda w: {"version": w.ids[key].version, **fields}


def delete(key: str, reason: str = "Typed in the wrong year") -> Callable[[World], dict[str, Any]]:
    """A delete of one of the world's observations, from its current version."""
    return lambda w: {"reason": reason, "expected_version": w.ids[key].version}


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("data.show_grid", "GET", B1, None, read_b(OK)),
    ("data.show_grid", "GET", A1, None, read_a(OK)),
    ("data.show_grid", "GET", "/cities/city-u/indicators/U-1/data", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)),
    ("data.show_grid", "GET", "/cities/city-b/indicators/A-1/data", None, read_b(NOT_FOUND)),
    ("data.show_grid", "GET", "/cities/nowhere/indicators/A-1/data", None, expect(NOT_FOUND)),
    ("data.save_cell", "POST", f"{B1}/cell", new_cell(), edit_b(REDIRECT)),
    ("data.save_cell", "POST", f"{A1}/cell", new_cell(), edit_a(REDIRECT)),
    ("data.save_cell", "POST", f"{B1}/cell", over("b_draft", value="7"), edit_b(REDIRECT)),
    ("data.save_cell", "POST", f"{A1}/cell", over("a_draft", value="7"), edit_a(REDIRECT)),
    ("data.save_cell", "POST", f"{B1}/cell", new_cell(value="12,5"), edit_b(UNPROCESSABLE)),
    ("data.save_cell", "POST", f"{B1}/cell", over("b_approved", value="9"),
     edit_b(UNPROCESSABLE)),  # approved values are locked
    ("data.review_cell", "POST", cell_path(B1, "b_draft", "submit"), seen("b_draft"),
     edit_b(REDIRECT)),
    ("data.review_cell", "POST", cell_path(A1, "a_draft", "submit"), seen("a_draft"),
     edit_a(REDIRECT)),
    ("data.review_cell", "POST", cell_path(B1, "a_draft", "submit"),  # A's value, B's page
     seen("a_draft"),
     edit_b(NOT_FOUND)),
    ("data.review_cell", "POST", cell_path(B1, "b_submitted", "approve"),
     seen("b_submitted"),
     review_b(REDIRECT)),
    ("data.review_cell", "POST", cell_path(A1, "a_submitted", "approve"),
     seen("a_submitted"),
     review_a(REDIRECT)),
    ("data.review_cell", "POST", cell_path(B1, "b_submitted", "return"),
     seen("b_submitted", **REASON),
     review_b(REDIRECT)),
    ("data.review_cell", "POST", cell_path(B1, "b_submitted", "return"),
     seen("b_submitted", reason=""),
     review_b(UNPROCESSABLE)),
    ("data.review_cell", "POST", cell_path(B1, "b_approved", "unlock"),
     seen("b_approved", **REASON),
     review_b(REDIRECT)),
    ("data.review_cell", "POST", cell_path(A1, "a_approved", "unlock"),
     seen("a_approved", **REASON),
     review_a(REDIRECT)),
    ("data.review_cell", "POST", cell_path(B1, "a_submitted", "approve"),
     seen("a_submitted"),
     review_b(NOT_FOUND)),
    ("data.delete_cell", "POST", cell_path(B1, "b_draft", "delete"), delete("b_draft"),
     edit_b(REDIRECT)),
    ("data.delete_cell", "POST", cell_path(A1, "a_draft", "delete"), delete("a_draft"),
     edit_a(REDIRECT)),
    ("data.delete_cell", "POST", cell_path(B1, "b_draft", "delete"), delete("b_draft", ""),
     edit_b(UNPROCESSABLE)),  # a delete needs its reason
    ("data.delete_cell", "POST", cell_path(B1, "b_approved", "delete"),
     delete("b_approved"), edit_b(UNPROCESSABLE)),  # approved values are locked
    ("data.delete_cell", "POST", cell_path(B1, "a_draft", "delete"), delete("a_draft"),
     edit_b(NOT_FOUND)),  # A's value through B's page
    ("data.show_history", "GET", cell_path(B1, "b_approved", "history"), None, read_b(OK)),
    ("data.show_history", "GET", cell_path(A1, "a_approved", "history"), None, read_a(OK)),
    ("data.show_history", "GET", cell_path(B1, "a_approved", "history"), None,
     read_b(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2] if isinstance(r[2], str) else r[0]}-{i}"
                              for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, grid_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = row_count(db)
    check_access(row, role, grid_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, UNPROCESSABLE, CONFLICT):
        assert row_count(db) == before, "a refused request changed something"


def test_the_matrix_covers_every_grid_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("data.")} == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- the review journey

@pytest.fixture
def journey(make_network, make_city, make_user, make_indicator) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A July fiscal-year city in a network, its officer and secretariat, and an indicator
    broken down by sex."""
    network = make_network()
    city = make_city(network=network, fiscal_year_start_month=7)
    indicator = make_indicator(city, "WS-1", baseline_year=2020, baseline_value="40",
                               targets=[{"year": 2026, "value": "80"}],
                               dimensions=[{"name": "sex", "values": ["female", "male"]}])
    return {"city": city, "indicator": indicator, "officer": make_user(Role.OFFICER, city=city),
            "secretariat": make_user(Role.SECRETARIAT, network=network),
            "url": f"/cities/{city.slug}/indicators/WS-1/data"}


def cell(db: Session, year: int, key: str = "") -> Observation:
    """Return the (fresh) observation of a cell."""
    db.expire_all()
    found = db.scalars(select(Observation).where(Observation.year == year,
                                                 Observation.breakdown_key == key)).one()
    return found


def shown(db: Session, year: int = 2023, **fields: Any) -> dict[str, Any]:
    """A review action's form on a cell as the page shows it now (its current version)."""
    return {"version": cell(db, year).version, **fields}


def test_officer_and_secretariat_take_a_value_through_review(
        journey: dict[str, Any], client: FlaskClient, auth: Auth, db: Session) -> None:
    url = journey["url"]
    auth.login(journey["officer"])
    page = client.get(url).get_data(as_text=True)
    assert "2020/21" in page and "female · " not in page and "female" in page and "80" in page

    assert client.post(f"{url}/cell", data=new_cell(value="10")).status_code == 302
    assert client.post(f"{url}/cell", data=new_cell(breakdown_key="sex=female",
                                                    value="4")).status_code == 302
    total = cell(db, 2023)
    assert total.value == Decimal("10") and cell(db, 2023, "sex=female").value == Decimal("4")

    stale = client.post(f"{url}/cell", data=new_cell(value="11"))  # began when the cell was empty
    assert stale.status_code == 409
    assert "Someone else saved this cell meanwhile" in stale.get_data(as_text=True)
    assert "now holds 10" in stale.get_data(as_text=True)
    bad = client.post(f"{url}/cell", data=new_cell(value="12,5", expected_version="1"))
    assert bad.status_code == 422 and "2023/24 · Total" in bad.get_data(as_text=True)
    assert cell(db, 2023).value == Decimal("10") and cell(db, 2023).version == 1

    assert client.post(f"{url}/cell/{total.id}/submit", data=shown(db)).status_code == 302
    assert cell(db, 2023).status == ObservationStatus.SUBMITTED

    auth.logout()
    auth.login(journey["secretariat"])
    assert client.post(f"{url}/cell/{total.id}/return",
                       data=shown(db, reason="")).status_code == 422
    assert client.post(f"{url}/cell/{total.id}/return",
                       data=shown(db, reason="Source missing")).status_code == 302
    assert cell(db, 2023).status == ObservationStatus.RETURNED

    auth.logout()
    auth.login(journey["officer"])
    assert "Returned: Source missing" in client.get(url).get_data(as_text=True)
    fixed = new_cell(value="10.5", comment="census 2022", expected_version=cell(db, 2023).version)
    assert client.post(f"{url}/cell", data=fixed).status_code == 302
    assert client.post(f"{url}/cell/{total.id}/submit", data=shown(db)).status_code == 302
    assert client.post(f"{url}/cell/{total.id}/approve",
                       data=shown(db)).status_code == 403  # officers can't

    auth.logout()
    auth.login(journey["secretariat"])
    assert client.post(f"{url}/cell/{total.id}/approve", data=shown(db)).status_code == 302
    assert cell(db, 2023).status == ObservationStatus.APPROVED

    auth.logout()
    auth.login(journey["officer"])
    locked = client.post(f"{url}/cell", data=new_cell(value="99",
                                                      expected_version=cell(db, 2023).version))
    assert locked.status_code == 422 and "locked" in locked.get_data(as_text=True)
    assert cell(db, 2023).value == Decimal("10.5")
    assert 'id="cell-2023-0-0-value"' not in client.get(url).get_data(as_text=True)

    history = client.get(f"{url}/cell/{total.id}/history").get_data(as_text=True)
    steps = ["create", "submit", "return", "update", "submit", "approve"]
    positions = [history.index(f">{step}<", history.index(f">{steps[i - 1]}<") + 1 if i else 0)
                 for i, step in enumerate(steps)]
    assert positions == sorted(positions)
    assert "Source missing" in history and "10 → 10.5" in history
    assert journey["secretariat"].email in history and journey["officer"].email in history


def test_a_reason_instead_of_a_value_and_both_refused(journey: dict[str, Any],
                                                      client: FlaskClient, auth: Auth,
                                                      db: Session) -> None:
    url = journey["url"]
    auth.login(journey["officer"])
    both = client.post(f"{url}/cell", data=new_cell(missing_reason="confidential"))
    assert both.status_code == 422
    reason = new_cell(value="", missing_reason="confidential", breakdown_key="sex=male")
    assert client.post(f"{url}/cell", data=reason).status_code == 302
    assert cell(db, 2023, "sex=male").missing_reason == "confidential"
    assert "Confidential" in client.get(url).get_data(as_text=True)
    unknown = client.post(f"{url}/cell", data=new_cell(breakdown_key="sex=other"))
    assert unknown.status_code == 422 and row_count(db)[0] == 1


# ---------------------------------------------------------------- rows, columns, queries

def test_columns_are_the_total_and_each_breakdown_value(make_city, make_indicator) -> None:  # type: ignore[no-untyped-def]
    indicator = make_indicator(make_city(), "X-1", dimensions=[
        {"name": "sex", "values": ["female", "male"]},
        {"name": "age", "values": ["0-14", "15-64", "65+"]}])
    columns = list_columns(indicator)
    assert [c.key for c in columns] == ["", "sex=female", "sex=male", "age=0-14", "age=15-64",
                                        "age=65+"]  # each value its own cell, no cross product
    assert columns[1].label == "female" and columns[1].breakdown == {"sex": "female"}
    assert [c.index for c in columns] == list(range(6))


def test_quarterly_indicators_get_a_row_per_quarter(make_city, make_indicator, make_user,  # type: ignore[no-untyped-def]
                                                    client: FlaskClient, auth: Auth) -> None:
    city = make_city(fiscal_year_start_month=4)
    this_year = current_fiscal_year(city)
    make_indicator(city, "Q-1", frequency="quarterly", baseline_year=this_year - 1)
    auth.login(make_user(Role.OFFICER, city=city))
    page = client.get(f"/cities/{city.slug}/indicators/Q-1/data").get_data(as_text=True)
    label = f"{this_year - 1}/{this_year % 100:02d}"
    assert all(f"{label} Q{q}" in page for q in (1, 2, 3, 4))
    annual = client.post(f"/cities/{city.slug}/indicators/Q-1/data/cell", data=new_cell())
    assert annual.status_code == 422 and "quarterly" in annual.get_data(as_text=True)


def fill(app: Flask, db: Session, indicator: Any, years: list[int], keys: list[str]) -> None:
    """Store a value in every cell of the given years and breakdown values."""
    with boundary(app, db):
        db.add_all(Observation(indicator_id=indicator.id, year=year, value=Decimal(n),
                               breakdown={"ward": key} if key else {},
                               breakdown_key=f"ward={key}" if key else "")
                   for n, (year, key) in enumerate((y, k) for y in years for k in keys))


def test_the_grid_runs_a_fixed_number_of_queries(app: Flask, db: Session, make_city,  # type: ignore[no-untyped-def]
                                                 make_indicator, make_user,
                                                 client: FlaskClient, auth: Auth,
                                                 count_queries) -> None:
    city = make_city()
    now = current_fiscal_year(city)
    small = make_indicator(city, "S-1", baseline_year=now - 1)
    wards = [f"w{n:02d}" for n in range(19)]
    big = make_indicator(city, "B-1", baseline_year=now - 9,
                         dimensions=[{"name": "ward", "values": wards}])
    fill(app, db, small, [now - 1, now], [""])
    fill(app, db, big, list(range(now - 9, now + 1)), ["", *wards])
    auth.login(make_user(Role.OFFICER, city=city))
    counts, cells = [], []
    for code in ("S-1", "B-1", "S-1"):
        with count_queries() as queries:
            page = client.get(f"/cities/{city.slug}/indicators/{code}/data")
        assert page.status_code == 200
        counts.append(queries())
        cells.append(page.get_data(as_text=True).count('class="table__strong"'))
    assert counts[0] == counts[1] == counts[2], counts
    assert cells[:2] == [2 + 2, 10 * 20 + 3]  # every cell, and the last totals above
