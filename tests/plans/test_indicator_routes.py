"""Local indicator pages: access matrix, an officer's journey, bad input, fixed query counts."""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, select

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
    world,
)
from tracker.audit.models import AuditEvent
from tracker.catalogue.models import SdgIndicator
from tracker.indicators.models import LocalIndicator, SdgRelation
from tracker.indicators.services import align_to_sdg, link_element, set_retired

NOT_FOUND = 404



def definition(targets: tuple[tuple[str, str, str], ...] = (),
               dimensions: tuple[tuple[str, str], ...] = (), **fields: Any) -> dict[str, Any]:
    """A complete definition form: blank optional fields, the given targets and dimensions."""
    data: dict[str, Any] = {
        "code": "WS-1", "name": "Households in informal areas receiving water services",
        "definition": "", "unit_kind": "percent", "unit_label": "", "direction": "higher",
        "band_low": "", "band_high": "", "frequency": "annual", "quarterly_rollup": "last",
        "data_source": "", "department": "", "baseline_year": "", "baseline_value": "",
        "baseline_note": "", "natural_limit": ""}
    rows = list(targets) + [("", "", "")] * 2
    for i, (year, value, label) in enumerate(rows):
        data |= {f"targets-{i}-year": year, f"targets-{i}-value": value,
                 f"targets-{i}-label": label}
    for i, (name, values) in enumerate(list(dimensions) + [("", "")]):
        data |= {f"dimensions-{i}-name": name, f"dimensions-{i}-values": values}
    return data | fields


def sdg(db: Session, code: str) -> SdgIndicator:
    """Return an SDG indicator of the loaded catalogue."""
    found = db.exec(select(SdgIndicator).where(SdgIndicator.code == code)).first()
    assert found is not None
    return found


def audit_count(db: Session) -> int:
    """Count the recorded changes (every indicator service records one)."""
    return db.scalar(select(func.count()).select_from(AuditEvent)) or 0


# ---------------------------------------------------------------- access matrix

@pytest.fixture
def indicator_world(world: World, app: Flask, db: Session, make_plan, make_element,  # noqa: F811  # type: ignore[no-untyped-def]
                    make_indicator) -> World:
    """Give cities A, U and B indicators, and A and B an aligned, linked indicator each."""
    ids = world.ids
    for key in ("a", "b"):
        city = world.cities[key]
        element = make_element(make_plan(city), "1")
        indicator = make_indicator(city, f"{key.upper()}-1")
        with boundary(app, db):
            ids[f"{key}_align"] = align_to_sdg(session=db, indicator=indicator,
                                               sdg_indicator=sdg(db, "6.1.1"),
                                               relation=SdgRelation.PROXY, rationale="",
                                               user_id=None)
            ids[f"{key}_link"] = link_element(session=db, indicator=indicator, element=element,
                                              user_id=None)
        ids[f"{key}_element"], ids[f"{key}1"] = element, indicator
    ids["b_element2"] = make_element(ids["b_element"].plan, "2")
    ids["b_old"] = make_indicator(world.cities["b"], "B-OLD")
    with boundary(app, db):
        set_retired(session=db, indicator=ids["b_old"], retired=True, user_id=None, reason="x")
    ids["u1"] = make_indicator(world.cities["u"], "U-1")
    ids["records"] = [ids["a1"], ids["b1"], ids["b_old"], ids["u1"]]
    return world


READ = expect(OK)
READ_UNPUBLISHED = expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)


B1 = "/cities/city-b/indicators/B-1"
A1 = "/cities/city-a/indicators/A-1"


def edit_form(key: str, code: str) -> Callable[[World], dict[str, Any]]:
    """A valid edit of an indicator, from its current version."""
    return lambda w: definition(code=code, name="Renamed indicator",
                                expected_version=w.ids[key].version)


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("indicators.list_indicators", "GET", "/cities/city-b/indicators/", None, READ),
    ("indicators.list_indicators", "GET", "/cities/city-b/indicators/?retired=1", None, READ),
    ("indicators.list_indicators", "GET", "/cities/city-u/indicators/", None, READ_UNPUBLISHED),
    ("indicators.show_indicator", "GET", B1, None, READ),
    ("indicators.show_indicator", "GET", "/cities/city-u/indicators/U-1", None, READ_UNPUBLISHED),
    ("indicators.show_indicator", "GET", "/cities/city-b/indicators/A-1", None,
     expect(NOT_FOUND)),  # another city's indicator under B's address
    ("indicators.new_indicator", "GET", "/cities/city-b/indicators/new", None, edit_b(OK)),
    ("indicators.new_indicator", "POST", "/cities/city-b/indicators/new",
     definition(code="B-NEW"), edit_b(REDIRECT)),
    ("indicators.edit_indicator", "GET", f"{B1}/edit", None, edit_b(OK)),
    ("indicators.edit_indicator", "POST", f"{B1}/edit", edit_form("b1", "B-1"), edit_b(REDIRECT)),
    ("indicators.edit_indicator", "POST", f"{A1}/edit", edit_form("a1", "A-1"), edit_a(REDIRECT)),
    ("indicators.retire_indicator", "POST", f"{B1}/retire", {"reason": "Replaced"},
     edit_b(REDIRECT)),
    ("indicators.retire_indicator", "POST", f"{A1}/retire", {"reason": "Replaced"},
     edit_a(REDIRECT)),
    ("indicators.restore_indicator", "POST", "/cities/city-b/indicators/B-OLD/restore",
     {"reason": ""}, edit_b(REDIRECT)),
    ("indicators.pick_sdg_indicator", "GET", f"{B1}/alignments?q=6.1", None, edit_b(OK)),
    ("indicators.add_alignment", "POST", f"{B1}/alignments",
     {"sdg_code": "6.2.1", "relation": "contextualised", "rationale": "Wards"},
     edit_b(REDIRECT)),
    ("indicators.add_alignment", "POST", f"{A1}/alignments",
     {"sdg_code": "6.2.1", "relation": "proxy", "rationale": ""}, edit_a(REDIRECT)),
    ("indicators.remove_alignment", "POST",
     lambda w: f"{B1}/alignments/{w.ids['b_align'].id}/remove", {}, edit_b(REDIRECT)),
    ("indicators.remove_alignment", "POST",  # city A's alignment under B's address
     lambda w: f"{B1}/alignments/{w.ids['a_align'].id}/remove", {}, edit_b(NOT_FOUND)),
    ("indicators.add_element_link", "POST", f"{B1}/elements",
     lambda w: {"element_id": w.ids["b_element2"].id}, edit_b(REDIRECT)),
    ("indicators.add_element_link", "POST", f"{B1}/elements",  # city A's plan element
     lambda w: {"element_id": w.ids["a_element"].id}, edit_b(NOT_FOUND)),
    ("indicators.remove_element_link", "POST",
     lambda w: f"{B1}/elements/{w.ids['b_link'].id}/remove", {}, edit_b(REDIRECT)),
    ("indicators.remove_element_link", "POST",
     lambda w: f"{B1}/elements/{w.ids['a_link'].id}/remove", {}, edit_b(NOT_FOUND)),
    ("indicators.remove_element_link", "POST",
     lambda w: f"{A1}/elements/{w.ids['a_link'].id}/remove", {}, edit_a(REDIRECT)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2] if isinstance(r[2], str) else r[0]}"
                              for r in ACCESS_MATRIX])
def test_access(row: tuple[Any, ...], role: str, indicator_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = audit_count(db)
    check_access(row, role, indicator_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND):
        assert audit_count(db) == before, "a refused request changed something"


def test_the_matrix_covers_every_indicator_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("indicators.")} == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- an officer's journey

@pytest.fixture
def officer_city(make_city, make_user, auth: Auth):  # type: ignore[no-untyped-def]
    """Sign in an officer of a published city with a fiscal year starting in July."""
    city = make_city(slug="ethekwini", name="eThekwini", fiscal_year_start_month=7)
    auth.login(make_user("officer", city=city))
    return city


NEW = "/cities/ethekwini/indicators/new"
WS1 = "/cities/ethekwini/indicators/WS-1"
GOOD = definition(baseline_year="2022", baseline_value="62.50", natural_limit="100",
                  baseline_note="Census 2022", data_source="Water and Sanitation unit",
                  targets=(("2026", "75", "IDP 2022/23–2026/27"), ("2030", "100", "SDG")),
                  dimensions=(("sex", "female, male"),))


def page(response: Any) -> str:
    """Return the body of a response as text."""
    return response.get_data(as_text=True)


def field_error(html: str, field_id: str) -> str:
    """Return the error list shown next to a field ('' if none)."""
    found = re.search(rf'<ul class="field__errors" id="{re.escape(field_id)}-error">(.*?)</ul>',
                      html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)) if found else ""


def test_officer_defines_aligns_and_links_an_indicator(  # type: ignore[no-untyped-def]
        officer_city, client: FlaskClient, db: Session, make_plan, make_element) -> None:
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, data=GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith(WS1)
    html = page(client.get(WS1))
    for shown in ("62.5", "Census 2022", "IDP 2022/23–2026/27", "2026/27", "female", "male",
                  "Higher is better", "Change history"):
        assert shown in html
    indicator = db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).one()
    assert [(t.year, str(t.value), t.label) for t in indicator.targets] == [
        (2026, "75", "IDP 2022/23–2026/27"), (2030, "100", "SDG")]
    assert indicator.dimensions[0].values == ["female", "male"]

    assert "6.1.1" in page(client.get(f"{WS1}/alignments?q=6.1.1"))
    response = client.post(f"{WS1}/alignments", data={
        "sdg_code": "6.1.1", "relation": "proxy", "rationale": "Households, not population"})
    assert response.status_code == 302
    element = make_element(make_plan(officer_city), "3",
                           title="Creating a Quality Living Environment")
    assert client.post(f"{WS1}/elements", data={"element_id": element.id}).status_code == 302
    html = page(client.get(WS1))
    assert "6.1.1" in html and "Proxy" in html and "Creating a Quality Living" in html
    assert "Aligned to SDG indicator 6.1.1 as proxy" in html
    listing = page(client.get("/cities/ethekwini/indicators/"))
    assert "WS-1" in listing and "6.1.1" in listing and ">3<" in listing


NO_BREAKDOWN = {k: v for k, v in GOOD.items() if not k.startswith("dimensions-")}


@pytest.mark.usefixtures("officer_city")
def test_officer_edits_an_indicator(client: FlaskClient, db: Session) -> None:
    client.post(NEW, data=NO_BREAKDOWN)
    edit = page(client.get(f"{WS1}/edit"))
    assert 'value="62.5"' in edit and 'value="IDP 2022/23–2026/27"' in edit
    response = client.post(f"{WS1}/edit", data={
        **NO_BREAKDOWN, "name": "Informal households with water services",
        "targets-1-value": "99.5", "expected_version": "1"})
    assert response.status_code == 302
    indicator = db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).one()
    db.refresh(indicator)
    assert indicator.version == 2 and indicator.targets[1].value == Decimal("99.5")
    html = page(client.get(WS1))
    assert "Informal households with water services" in html and "99.5" in html
    assert "Households in informal areas receiving water services → Informal" in html


@pytest.mark.usefixtures("officer_city")
def test_editing_an_indicator_keeps_its_breakdown(client: FlaskClient, db: Session) -> None:
    client.post(NEW, data=GOOD)
    assert 'value="female, male"' in page(client.get(f"{WS1}/edit"))
    response = client.post(f"{WS1}/edit", data={**GOOD, "dimensions-0-values": "female, male, "
                                                "other", "expected_version": "1"})
    assert response.status_code == 302
    indicator = db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).one()
    db.refresh(indicator)
    assert indicator.dimensions[0].values == ["female", "male", "other"]


@pytest.mark.usefixtures("officer_city")
def test_a_stale_edit_is_refused_with_the_newer_values(client: FlaskClient, db: Session) -> None:
    client.post(NEW, data=NO_BREAKDOWN)
    client.post(f"{WS1}/edit", data={**NO_BREAKDOWN, "name": "Saved by a colleague",
                                     "expected_version": "1"})
    response = client.post(f"{WS1}/edit", data={**NO_BREAKDOWN, "name": "My late change",
                                                "expected_version": "1"})
    assert response.status_code == 409
    html = page(response)
    assert "Saved by a colleague" in html and "My late change" in html
    assert 'name="expected_version" type="hidden" value="2"' in html
    indicator = db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).one()
    db.refresh(indicator)
    assert indicator.name == "Saved by a colleague" and indicator.version == 2


@pytest.mark.parametrize("changes,field_id,message", [
    ({"baseline_year": "2022", "targets-0-year": "2019", "targets-0-value": "50"},
     "targets-group", "The 2019 target is before the baseline year 2022."),
    ({"direction": "band"}, "band_low", "A target band needs its lower and upper bounds."),
    ({"direction": "band", "band_low": "10"}, "band_high", "needs its lower and upper bounds"),
    ({"baseline_value": "62,5", "baseline_year": "2022"}, "baseline_value", "Enter a number"),
    ({"targets-1-value": "abc"}, "targets-1-value", "Enter a number"),
    ({"targets-2-year": "2031"}, "targets-2-value", "Give the target value."),
    ({"baseline_year": ""}, "baseline_year", "Give the baseline year with the baseline value."),
    ({"unit_kind": "other"}, "unit_label", "Give the unit"),
    ({"dimensions-0-values": "female, Female"}, "dimensions-0-values", "Values repeat."),
    ({"code": "W S"}, "code", "Start with a letter or digit"),
])
@pytest.mark.usefixtures("officer_city")
def test_bad_input_names_the_field_and_saves_nothing(client: FlaskClient, db: Session,
                                                     changes: dict[str, str], field_id: str,
                                                     message: str) -> None:
    before = audit_count(db)
    response = client.post(NEW, data={**GOOD, **changes})
    assert response.status_code == 422
    html = page(response)
    assert f'href="#{field_id}"' in html, "the error summary links to the field"
    if field_id.endswith("-group"):
        assert message in html
    else:
        assert message in field_error(html, field_id)
    assert audit_count(db) == before
    assert db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).first() is None


@pytest.mark.usefixtures("officer_city")
def test_every_problem_shows_at_once(client: FlaskClient) -> None:
    response = client.post(NEW, data={**GOOD, "natural_limit": "1OO", "direction": "band",
                                      "targets-0-year": "2019"})
    html = page(response)
    assert "Enter a number" in field_error(html, "natural_limit")
    assert "A target band needs its lower and upper bounds." in field_error(html, "band_low")
    assert html.count("error-summary__list") == 1 and 'href="#band_low"' in html


@pytest.mark.usefixtures("officer_city")
def test_a_duplicate_code_is_refused(client: FlaskClient, db: Session) -> None:
    client.post(NEW, data=GOOD)
    before = audit_count(db)
    response = client.post(NEW, data={**GOOD, "code": "ws-1", "name": "Another"})
    assert response.status_code == 422
    assert "already used" in field_error(page(response), "code")
    assert audit_count(db) == before


@pytest.mark.usefixtures("officer_city")
def test_retire_needs_a_reason_then_hides_the_indicator(client: FlaskClient) -> None:
    client.post(NEW, data=GOOD)
    response = client.post(f"{WS1}/retire", data={"reason": ""})
    assert response.status_code == 422 and "Say why" in field_error(page(response), "reason")
    assert 'href="#reason"' in page(response), "the summary at the top links to the reason"
    assert client.post(f"{WS1}/retire", data={"reason": "Replaced by WS-2"}).status_code == 302
    assert ">WS-1</a>" not in page(client.get("/cities/ethekwini/indicators/"))
    listing = page(client.get("/cities/ethekwini/indicators/?retired=1"))
    assert ">WS-1</a>" in listing and "retired" in listing
    assert "Reason: Replaced by WS-2" in page(client.get(WS1))
    assert client.post(f"{WS1}/restore", data={"reason": ""}).status_code == 302
    assert ">WS-1</a>" in page(client.get("/cities/ethekwini/indicators/"))


def test_alignment_and_link_can_be_removed(officer_city, client: FlaskClient,  # type: ignore[no-untyped-def]
                                           make_plan, make_element) -> None:
    client.post(NEW, data=GOOD)
    element = make_element(make_plan(officer_city), "3")
    client.post(f"{WS1}/alignments", data={"sdg_code": "6.1.1", "relation": "proxy"})
    client.post(f"{WS1}/elements", data={"element_id": element.id})
    view = page(client.get(WS1))
    align_id = re.search(r"/alignments/(\d+)/remove", view).group(1)  # type: ignore[union-attr]
    link_id = re.search(r"/elements/(\d+)/remove", view).group(1)  # type: ignore[union-attr]
    assert client.post(f"{WS1}/alignments/{align_id}/remove").status_code == 302
    assert client.post(f"{WS1}/elements/{link_id}/remove").status_code == 302
    view = page(client.get(WS1))
    assert "Not aligned to any SDG indicator yet." in view
    assert "Not linked to any plan element yet." in view
    assert "Alignment to SDG indicator 6.1.1 removed." in view


@pytest.mark.usefixtures("officer_city")
def test_an_unknown_sdg_code_is_refused(client: FlaskClient) -> None:
    client.post(NEW, data=GOOD)
    response = client.post(f"{WS1}/alignments", data={"sdg_code": "99.9.9", "relation": "proxy"})
    assert response.status_code == 422 and "No SDG indicator has the code 99.9.9" in page(response)


@pytest.mark.usefixtures("officer_city")
def test_visitors_see_the_definition_but_not_the_history(client: FlaskClient, auth: Auth) -> None:
    client.post(NEW, data=GOOD)
    auth.logout()
    html = page(client.get(WS1))
    assert "Census 2022" in html and "Change history" not in html and "Edit definition" not in html


# ---------------------------------------------------------------- fixed query counts

def add_indicators(app: Flask, db: Session, city: Any, element: Any, start: int, count: int,
                   make_indicator: Callable[..., LocalIndicator]) -> None:
    """Define indicators with targets, a dimension, an SDG alignment and an element link."""
    for n in range(start, start + count):
        indicator = make_indicator(city, f"Q-{n:03d}", baseline_year=2020, baseline_value="5",
                                   targets=[{"year": 2026, "value": "10"},
                                            {"year": 2030, "value": "20"}],
                                   dimensions=[{"name": "sex", "values": ["female", "male"]}])
        with boundary(app, db):
            align_to_sdg(session=db, indicator=indicator, sdg_indicator=sdg(db, "6.1.1"),
                         relation=SdgRelation.PROXY, rationale="", user_id=None)
            link_element(session=db, indicator=indicator, element=element, user_id=None)


def test_the_list_runs_the_same_queries_for_3_and_30_indicators(  # type: ignore[no-untyped-def]
        officer_city, app: Flask, client: FlaskClient, db: Session, make_plan, make_element,
        make_indicator, count_queries) -> None:
    element = make_element(make_plan(officer_city), "1")
    counts = []
    for start, count in ((0, 3), (3, 27)):
        add_indicators(app, db, officer_city, element, start, count, make_indicator)
        with count_queries() as queries:
            html = page(client.get("/cities/ethekwini/indicators/"))
        assert html.count("6.1.1</a>") == start + count
        counts.append(queries())
    assert counts[0] == counts[1], counts



def test_the_detail_page_runs_the_same_queries_however_much_it_shows(  # type: ignore[no-untyped-def]
        officer_city, app: Flask, client: FlaskClient, db: Session, make_plan, make_element,
        make_indicator, count_queries) -> None:
    plan = make_plan(officer_city)
    indicator = make_indicator(officer_city, "Q-1", targets=[{"year": 2030, "value": "1"}])
    counts = []
    for codes in (["1"], ["2", "3", "4", "5", "6"]):
        with boundary(app, db):
            for code in codes:
                link_element(session=db, indicator=indicator, user_id=None,
                             element=make_element(plan, code))
                align_to_sdg(session=db, indicator=indicator, sdg_indicator=sdg(db, f"6.{code}.1"),
                             relation=SdgRelation.PROXY, rationale="", user_id=None)
        with count_queries() as queries:
            assert client.get("/cities/ethekwini/indicators/Q-1").status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1], counts
