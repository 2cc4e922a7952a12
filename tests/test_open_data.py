"""Open data: anonymous reads of approved values in the observations API, the downloads (CSV,
XLSX, Open SDG CSV) of a city and of one indicator, and who sees drafts. A published city's
approved values are open to anyone; drafts, submitted and returned values never leave the
city's insiders (not as rows, counts or ids); an unpublished city is 404 to outsiders."""

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import update
from sqlmodel import Session, col

from tests.data_entry.test_grid_routes import grid_world, observe  # noqa: F401  (fixture)
from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    OK,
    ROLES,
    World,
    check_access,
    expect,
    world,
)
from tracker.data.models import ObservationChange

NOT_FOUND = 404
STATUSES = ("draft", "submitted", "approved", "returned")
# Who sees each city's internals (an oracle written from the role rules, not the code).
INSIDERS = {"a": {"admin", "secretariat_a", "officer_a", "reviewer_a"},
            "b": {"admin", "secretariat_b", "officer_b"},
            "u": {"admin", "secretariat_a", "reviewer_a"}}
APPROVED_AT = {"a": datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
               "b": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
               "u": datetime(2023, 11, 12, 13, 14, 15, tzinfo=UTC)}
SLUGS = {"a": "city-a", "b": "city-b", "u": "city-u"}


def readers_of(key: str) -> set[str]:
    """Who may read a city at all: everyone for the published ones."""
    return INSIDERS["u"] if key == "u" else set(ROLES)


@pytest.fixture
def open_world(grid_world: World, app: Flask, db: Session) -> World:  # noqa: F811
    """Give cities A, B and U a value in each status (draft 2020, submitted 2021, approved
    2022, returned 2023), each approval at a known time."""
    ids = grid_world.ids
    for key in ("a", "b"):
        ids[f"{key}_returned"] = observe(app, db, ids[f"{key}1"], 2023, "submit", "return")
    for year, status, actions in ((2020, "draft", ()), (2021, "submitted", ("submit",)),
                                  (2022, "approved", ("submit", "approve")),
                                  (2023, "returned", ("submit", "return"))):
        ids[f"u_{status}"] = observe(app, db, ids["u1"], year, *actions)
    with boundary(app, db):
        for key, when in APPROVED_AT.items():
            db.execute(update(ObservationChange)
                       .where(col(ObservationChange.observation_id) == ids[f"{key}_approved"].id,
                              col(ObservationChange.new_status) == "approved")
                       .values(at=when))
    return grid_world


def sees(role: str, key: str) -> set[str]:
    """The statuses a role sees of a city's values (by hand, from the rules)."""
    return set(STATUSES) if role in INSIDERS[key] else {"approved"}


def download_outcomes(key: str) -> dict[str, Any]:
    """Readers of the city download (200); others get 404, never a sign-in page."""
    return {role: OK if role in readers_of(key) else NOT_FOUND for role in ROLES}


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    *[("open_data.city_values", "GET", f"/cities/{slug}/data/values.{fmt}", None,
       download_outcomes(key)) for key, slug in SLUGS.items() for fmt in ("csv", "xlsx")],
    *[("open_data.indicator_values", "GET",
       f"/cities/{slug}/indicators/{key.upper()}-1/data/values.csv", None,
       download_outcomes(key)) for key, slug in SLUGS.items()],
    ("open_data.city_values", "GET", "/cities/nowhere/data/values.csv", None,
     expect(NOT_FOUND)),
    ("search.site_search", "GET", "/search?q=city", None, expect(OK)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[f"{r[1]} {r[2]}" for r in ACCESS_MATRIX])
def test_access(row: tuple[Any, ...], role: str, open_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    check_access(row, role, open_world, client, auth, db)


def sign_in(auth: Auth, w: World, role: str) -> None:
    """Sign in as the role (visitors stay signed out)."""
    if role != "anonymous":
        auth.login(w.users[role])


# ---------------------------------------------------------------- the observations API

@pytest.mark.parametrize("key", ["a", "b", "u"])
@pytest.mark.parametrize("role", ROLES)
def test_the_api_shows_outsiders_approved_values_only(role: str, key: str, open_world: World,
                                                      client: FlaskClient, auth: Auth) -> None:
    sign_in(auth, open_world, role)
    response = client.get(f"/api/v1/cities/{SLUGS[key]}/observations?per_page=500")
    if role not in readers_of(key):
        assert response.status_code == NOT_FOUND
        body = response.get_data(as_text=True)
        assert "city-u" not in body and '"items"' not in body
        return
    assert response.status_code == 200
    items = response.json["items"]
    expected = {open_world.ids[f"{key}_{status}"].id for status in sees(role, key)}
    assert {item["id"] for item in items} == expected
    assert {item["status"] for item in items} == sees(role, key)
    assert response.json["total"] == len(expected)


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
@pytest.mark.usefixtures("open_world")
def test_a_status_filter_never_reveals_drafts_to_visitors(status: str,
                                                          client: FlaskClient) -> None:
    page = client.get(f"/api/v1/cities/city-a/observations?status={status}").json
    assert (page["total"], page["items"], page["pages"]) == (0, [], 0)
    approved = client.get("/api/v1/cities/city-a/observations?status=approved&from=2022").json
    assert [(i["year"], i["value"]) for i in approved["items"]] == [(2022, "1.5")]


def test_the_document_says_what_visitors_get(client: FlaskClient) -> None:
    operation = client.get("/api/v1/openapi.json").json["paths"][
        "/cities/{slug}/observations"]["get"]
    assert "approved values" in operation["description"]
    assert {"401", "403"}.isdisjoint(operation["responses"])
    assert {"200", "400", "404"} <= set(operation["responses"])


# ---------------------------------------------------------------- downloads

def read_csv(data: bytes) -> list[list[str]]:
    """Parse a downloaded CSV."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[str]]:
    """Parse a downloaded workbook's first sheet as text."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def rows_of(response: Any, fmt: str) -> list[list[str]]:
    """The rows of a download, whatever its format."""
    return read_xlsx(response.get_data()) if fmt == "xlsx" else read_csv(response.get_data())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("scope", ["city", "indicator"])
@pytest.mark.parametrize("key", ["a", "b"])
@pytest.mark.parametrize("role", ROLES)
def test_downloads_hold_approved_values_for_outsiders_and_mark_drafts_for_insiders(
        role: str, key: str, scope: str, fmt: str, open_world: World, client: FlaskClient,
        auth: Auth) -> None:
    sign_in(auth, open_world, role)
    base = f"/cities/{SLUGS[key]}"
    url = (f"{base}/data/values.{fmt}" if scope == "city"
           else f"{base}/indicators/{key.upper()}-1/data/values.{fmt}")
    response = client.get(url)
    assert response.status_code == 200
    when = APPROVED_AT[key]
    name = response.headers["Content-Disposition"]
    assert f"as-of-{when.strftime('%Y%m%dT%H%M%SZ')}.{fmt}" in name
    rows = rows_of(response, fmt)
    note, header, body = rows[0][0], rows[1], rows[2:]
    assert f"Approved values as of {when:%Y-%m-%d %H:%M:%S} UTC" in note
    insider = role in INSIDERS[key]
    assert header[:8] == ["indicator", "indicator_name", "period", "breakdown", "value",
                          "missing_reason", "unit", "source"]
    assert (header[-1] == "status") is insider
    assert all(row[0] == f"{key.upper()}-1" and row[4] == "1.5" for row in body)
    if insider:
        assert sorted(row[-1] for row in body) == sorted(STATUSES)
        assert "private" in response.headers["Cache-Control"]
    else:
        assert len(body) == 1 and len(body[0]) == 8  # the approved value alone, no status
        assert body[0][:4] == [f"{key.upper()}-1", f"Indicator {key.upper()}-1", "2022", ""]
        assert "public" in response.headers["Cache-Control"]


@pytest.mark.parametrize("role", ROLES)
def test_the_open_sdg_file_holds_approved_values_only(role: str, open_world: World,
                                                      client: FlaskClient, auth: Auth) -> None:
    sign_in(auth, open_world, role)
    response = client.get("/cities/city-a/indicators/A-1/data/open-sdg.csv")
    assert response.status_code == 200
    rows = read_csv(response.get_data())
    assert rows[0] == ["Year", "sex", "Units", "Value"]
    assert [row[-1] for row in rows[1:]] == ["1.5"]  # one approved value of four
    assert "approved-as-of-20240506T070809Z" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_citys_downloads_are_404_to_outsiders(role: str, open_world: World,
                                                             client: FlaskClient,
                                                             auth: Auth) -> None:
    sign_in(auth, open_world, role)
    for url in ("/cities/city-u/data/values.csv", "/cities/city-u/indicators/U-1/data/values.xlsx",
                "/cities/city-u/indicators/U-1/data/open-sdg.csv"):
        response = client.get(url)
        assert response.status_code == (200 if role in INSIDERS["u"] else NOT_FOUND), url


def test_a_city_without_approvals_says_so(app: Flask, client: FlaskClient, make_city,  # type: ignore[no-untyped-def]
                                          make_indicator, db: Session) -> None:
    city = make_city(slug="fresh")
    observe(app, db, make_indicator(city, "F-1"), 2020, "submit")
    response = client.get("/cities/fresh/data/values.csv")
    rows = read_csv(response.get_data())
    assert rows[0] == ["# Approved values as of none yet."] and rows[2:] == []
    assert "approved-as-of-none.csv" in response.headers["Content-Disposition"]


@pytest.mark.usefixtures("open_world")
def test_the_city_page_links_the_downloads_and_the_nav_the_api_docs(
        client: FlaskClient) -> None:
    page = client.get("/cities/city-a").get_data(as_text=True)
    assert "/cities/city-a/data/values.csv" in page and "/cities/city-a/data/values.xlsx" in page
    assert 'href="/api/v1/docs"' in page and "API docs" in page
    assert client.get("/api/v1/docs").status_code == 200
