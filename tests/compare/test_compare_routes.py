"""The comparison page, its exports and reviewer notes: access (a permalink naming cities the
viewer may not read shows nothing of them), drafts only flagged, sorting and filtering, CSV
and XLSX exports, notes, and a fixed number of queries however many cities."""

import csv
import io
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select

from tests.compare.support import measure, put, text
from tests.factories import Auth
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
from tracker.auth.models import Role
from tracker.compare.models import ReviewerNote
from tracker.indicators.models import LocalIndicator

NOT_FOUND, UNPROCESSABLE = 404, 422
ALL = "/compare?cities=city-a,city-b,city-u&goal=6"


@pytest.fixture
def compare_world(world: World, app: Flask, db: Session, make_indicator) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """Give cities A, B and U an indicator aligned to 6.1.1 with values (U's latest a draft)."""
    for key, value in (("a", "40"), ("b", "80"), ("u", "60")):
        measure(app, db, make_indicator, world.cities[key], f"{key.upper()}-1", "6.1.1",
                {2021: value}, name=f"Secret {key.upper()} water")
    u1 = db.exec(select(LocalIndicator).where(LocalIndicator.code == "U-1")).one()
    put(db, u1, {2022: "65"}, status="draft")
    return world


def readers_of(city: str, outcome: Any) -> dict[str, Any]:
    """Who may read a city's internals (notes) gets `outcome`."""
    if city == "a":
        return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_a=outcome,
                      officer_a=outcome, reviewer_a=outcome)
    if city == "u":
        return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_a=outcome,
                      reviewer_a=outcome)
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_b=outcome,
                  officer_b=outcome)


def posters_of(city: str, outcome: Any) -> dict[str, Any]:
    """Reviewers and secretariats of the city's network, and admins, get `outcome`."""
    if city == "b":
        return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_b=outcome)
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_a=outcome,
                  reviewer_a=outcome)


NOTE = {"text": "Check the 2021 source."}
A_NOTES = "/cities/city-a/indicators/A-1/notes"

ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("compare.show", "GET", "/compare", None, expect(OK)),
    ("compare.show", "GET", ALL, None, expect(OK)),
    ("compare.show", "GET", ALL + "&drafts=1&sort=score:city-a&comparable=1", None,
     expect(OK)),
    ("compare.export_csv", "GET", "/compare.csv?cities=city-a,city-u", None, expect(OK)),
    ("compare.export_xlsx", "GET", "/compare.xlsx?network=net-a", None, expect(OK)),
    # A report run of the queue: the answer is its status page (tests/reports/…comparison…).
    ("compare.export_pdf", "GET", "/compare.pdf?cities=city-a,city-b", None, expect(REDIRECT)),
    ("compare.show_notes", "GET", A_NOTES, None, readers_of("a", OK)),
    ("compare.show_notes", "GET", "/cities/city-u/indicators/U-1/notes", None,
     readers_of("u", OK)),
    ("compare.show_notes", "GET", "/cities/city-b/indicators/B-1/notes", None,
     readers_of("b", OK)),
    ("compare.show_notes", "GET", "/cities/city-b/indicators/A-1/notes", None,
     readers_of("b", NOT_FOUND)),  # access is checked before the indicator is looked up
    ("compare.post_note", "POST", A_NOTES, NOTE, posters_of("a", REDIRECT)),
    ("compare.post_note", "POST", "/cities/city-b/indicators/B-1/notes", NOTE,
     posters_of("b", REDIRECT)),
    ("compare.post_note", "POST", A_NOTES, {"text": ""}, posters_of("a", UNPROCESSABLE)),
    ("compare.post_note", "POST", "/cities/nowhere/indicators/A-1/notes", NOTE,
     expect(NOT_FOUND)),
    ("api.compare_json", "GET", "/api/v1/compare?cities=city-a,city-u&goal=6", None,
     expect(OK)),
]


def note_count(db: Session) -> int:
    """How many notes are stored."""
    return len(db.exec(select(ReviewerNote)).all())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, compare_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = note_count(db)
    check_access(row, role, compare_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, UNPROCESSABLE):
        assert note_count(db) == before, "a refused request changed something"


def test_the_matrix_covers_every_compare_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    wanted = {e for e in endpoints if e.startswith("compare.")} | {"api.compare_json"}
    assert wanted == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- what each viewer sees

def test_a_permalink_shows_nothing_of_unreadable_cities(compare_world: World,
                                                        client: FlaskClient, auth: Auth) -> None:
    visitor = text(client.get(ALL))
    assert "Secret A water" not in visitor  # names live in titles; codes are shown
    assert "A-1" in visitor and "B-1" in visitor
    assert "U-1" not in visitor and compare_world.cities["u"].name not in visitor
    csv_text = client.get(ALL.replace("/compare", "/compare.csv")).get_data(as_text=True)
    assert "city-u" not in csv_text and "U-1" not in csv_text
    auth.login(compare_world.users["officer_b"])
    assert "U-1" not in text(client.get(ALL))
    auth.logout()
    auth.login(compare_world.users["reviewer_a"])
    reviewer = text(client.get(ALL))
    assert "U-1" in reviewer and compare_world.cities["u"].name in reviewer


def test_drafts_are_counted_only_when_asked_and_only_flagged(compare_world: World,
                                                             client: FlaskClient,
                                                             auth: Auth) -> None:
    auth.login(compare_world.users["reviewer_a"])
    approved = client.get(ALL + "&strict=1").get_data(as_text=True)
    assert "includes draft" not in approved.lower()
    page = client.get(ALL + "&drafts=1")
    html = page.get_data(as_text=True)
    assert "Includes draft or unapproved values" in html  # the marker's explanation
    assert "65 % (2022)" in text(page) and 'href="#why-6-1-1"' in html
    assert "65 % (2022)" not in approved
    assert 'id="why-6-1-1"' in html


@pytest.mark.usefixtures("compare_world")
def test_cells_show_value_year_unit_status_and_score_inputs(
                                                            client: FlaskClient) -> None:
    page = text(client.get("/compare?cities=city-a,city-b&goal=6&min_indicators=1"))
    assert "40 % (2021)" in page and "80 % (2021)" in page
    assert "Score 0" in page and "Score 100" in page
    assert "100 × (40 − 40) / (80 − 40) = 0.0" in page
    assert "Achiever" in page and "Aspirant" in page
    html = client.get("/compare?cities=city-a,city-b&goal=6&min_indicators=1").get_data(
        as_text=True)
    assert html.count('class="chart chart--spark"') == 2
    assert "chart--bars" in html and "chart--heatmap" in html and "chart--trend" in html


def test_thresholds_in_the_url_change_categories(compare_world: World, client: FlaskClient,
                                                 app: Flask, db: Session,
                                                 make_indicator) -> None:
    measure(app, db, make_indicator, compare_world.cities["loose"], "L-1", "6.1.1",
            {2021: "60"})  # scores 50 between A's 40 and B's 80

    def ranking(url: str) -> str:
        """The ranking table's text."""
        return text(client.get(url)).split("Scores and ranking", 1)[1].split("How the")[0]

    base = "/compare?cities=city-a,city-b,city-loose&goal=6&min_indicators=1"
    assert "50.0 1 of 1 indicators Performer" in ranking(base)
    assert "50.0 1 of 1 indicators Aspirant" in ranking(
        base + "&performer=60&front_runner=70&achiever=90")
    assert ranking(base).count("Aspirant") == 1


@pytest.mark.usefixtures("compare_world")
def test_the_form_submits_repeated_cities(client: FlaskClient) -> None:
    page = text(client.get("/compare?cities=city-a&cities=city-b&goal=6"))
    assert "A-1" in page and "B-1" in page


# ---------------------------------------------------------------- exports

def test_the_csv_export_holds_the_matrix_and_scores(compare_world: World, client: FlaskClient,
                                                    make_indicator, app: Flask,
                                                    db: Session) -> None:
    measure(app, db, make_indicator, compare_world.cities["b"], "=B-2", "6.2.1", {2021: "1"},
            name="=HYPERLINK(\"http://evil\")")
    response = client.get("/compare.csv?cities=city-a,city-b&goal=6&min_indicators=1")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    a = next(r for r in rows if r["city"] == "city-a" and r["sdg_indicator"] == "6.1.1")
    assert (a["local_indicator"], a["year"], a["value"], a["unit"]) == ("A-1", "2021", "40", "%")
    assert a["score"] == "0.00" and a["relation"] == "identical"
    evil = next(r for r in rows if r["local_indicator"].endswith("B-2"))
    assert evil["local_indicator"] == "'=B-2" and evil["local_name"].startswith("'=")
    composite = next(r for r in rows if r["city"] == "city-b" and r["goal"] == "all")
    assert composite["score"] == "100.00" and "rank 1" in composite["score_inputs"]


def test_the_pdf_export_holds_the_ranking_and_the_matrix(compare_world: World,
                                                         client: FlaskClient) -> None:
    run_page = client.get("/compare.pdf?cities=city-a,city-b,city-u&goal=6").location
    response = client.get(f"{run_page}/download")  # the test queue ran the job at once
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    names = {key: city.name for key, city in compare_world.cities.items()}
    assert "Scores and ranking" in text and "6.1.1" in text and names["a"] in text
    assert names["u"] not in text  # an unpublished city a visitor may not read shows nothing


def test_the_xlsx_export_has_a_matrix_and_a_scores_sheet(compare_world: World,
                                                         client: FlaskClient) -> None:
    response = client.get("/compare.xlsx?cities=city-a,city-b&goal=6&min_indicators=1")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Matrix", "Scores"]
    scores = [[c.value for c in row] for row in book["Scores"].iter_rows(min_row=2)]
    assert ["city-b", "composite", "100.00", "Achiever", "1", "1 of 1 indicators",
            compare_world.cities["b"].name] in [row[:7] for row in scores]


# ---------------------------------------------------------------- notes

def test_a_reviewer_note_is_seen_by_the_city_officer(compare_world: World, client: FlaskClient,
                                                     auth: Auth) -> None:
    auth.login(compare_world.users["reviewer_a"])
    response = client.post(A_NOTES, data={"text": "<b>Check</b> the 2021 source."})
    assert response.status_code == 302
    auth.logout()
    auth.login(compare_world.users["officer_a"])
    page = client.get(A_NOTES).get_data(as_text=True)
    assert "&lt;b&gt;Check&lt;/b&gt; the 2021 source." in page
    assert "Add a note" not in page  # officers read, they do not post


# ---------------------------------------------------------------- budgets

def test_the_same_number_of_queries_for_two_and_six_cities(
        app: Flask, db: Session, client: FlaskClient, auth: Auth, make_network, make_city,  # type: ignore[no-untyped-def]
        make_indicator, make_user, count_queries) -> None:
    network = make_network(slug="many")
    slugs = []
    for n in range(6):
        city = make_city(network=network, slug=f"many-{n}", is_published=n % 2 == 0)
        slugs.append(city.slug)
        for code, sdg in (("W-1", "6.1.1"), ("W-2", "6.2.1"), ("C-1", "11.6.1")):
            measure(app, db, make_indicator, city, code, sdg, {2020: str(10 + n), 2022:
                                                               str(20 + n)})
    auth.login(make_user(Role.REVIEWER, network=network))
    with count_queries() as few:
        small = client.get(f"/compare?cities={','.join(slugs[:2])}&drafts=1")
    with count_queries() as many:
        large = client.get(f"/compare?cities={','.join(slugs)}&drafts=1")
    assert small.status_code == large.status_code == 200
    assert few() == many()
    assert text(large).count("W-1") == 6


# ---------------------------------------------------------------- escaping

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
UNIT = '<script>"><img onerror=x>'  # unit labels hold 40 characters


class Tags(HTMLParser):
    """The elements and attributes a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_hostile_names_render_escaped_in_every_cell_type(
        app: Flask, db: Session, client: FlaskClient, auth: Auth, make_network, make_city,  # type: ignore[no-untyped-def]
        make_indicator, make_user) -> None:
    network = make_network(slug="hostile-net")
    evil = make_city(network=network, slug="evil", name="Evil " + HOSTILE)
    plain = make_city(network=network, slug="plain", name="Plain")
    # 6.1.1: values and scores; 6.2.1: years far apart (flagged, a row note naming the city,
    # left out of scores); 6.3.1: the hostile city's indicator has no data, the other none.
    measure(app, db, make_indicator, evil, "E-1", "6.1.1", {2020: "10", 2021: "20"},
            name="Name " + HOSTILE, unit_kind="other", unit_label=UNIT)
    measure(app, db, make_indicator, plain, "P-1", "6.1.1", {2021: "30"}, unit_kind="other",
            unit_label=UNIT)
    measure(app, db, make_indicator, evil, "E-2", "6.2.1", {2018: "1"}, name="Name " + HOSTILE)
    measure(app, db, make_indicator, plain, "P-2", "6.2.1", {2021: "2"})
    measure(app, db, make_indicator, evil, "E-3", "6.3.1", {}, name="Name " + HOSTILE)
    auth.login(make_user(Role.REVIEWER, network=network))  # the notes links too
    html = client.get("/compare?cities=evil,plain&goal=6").get_data(as_text=True)
    parser = Tags()
    parser.feed(html)
    assert not [tag for tag, _attrs in parser.tags if tag == "script"]
    assert [a.get("class") for t, a in parser.tags if t == "img"] == ["brand__logo"]
    assert not [attrs for _tag, attrs in parser.tags if "onerror" in attrs]
    # The hostile texts are there, as text: the indicator's name in each of its cells' links,
    # the unit, the city in the sparkline's title and the row's "not like for like" note.
    names = [a["title"] for t, a in parser.tags if t == "a" and a.get("class") == "compare-ind"]
    assert names.count("Name " + HOSTILE) == 3
    page = text(client.get("/compare?cities=evil,plain&goal=6"))
    page = unescape(page)
    assert page.count(f"20 {UNIT} (2021)") == 1 and page.count(f"30 {UNIT} (2021)") == 1
    assert f"Evil {HOSTILE}: trend From 10 {UNIT} (2020)" in unescape(html)
    assert f"Data years more than two years apart: Evil {HOSTILE} (2018)" in page
    assert "No data" in page and "No indicator aligned" in page and "Notes" in page
