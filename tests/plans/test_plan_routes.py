"""Plan pages: access matrix, an officer's journey, bad input, stale edits, fixed query counts."""

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
    expect,
    world,
)
from tracker.audit.models import AuditEvent
from tracker.catalogue.models import SdgIndicator, Target
from tracker.plans.alignment import add_alignment
from tracker.plans.models import (
    ElementAlignment,
    ElementAlignmentCreate,
    Plan,
    PlanElement,
    PlanElementCreate,
)
from tracker.plans.services import update_element
from tracker.plans.tree import set_retired

NOT_FOUND = 404



def target(db: Session, code: str) -> Target:
    """Return an SDG target of the loaded catalogue."""
    return db.exec(select(Target).where(Target.code == code)).one()


def sdg(db: Session, code: str) -> SdgIndicator:
    """Return an SDG indicator of the loaded catalogue."""
    return db.exec(select(SdgIndicator).where(SdgIndicator.code == code)).one()


def fingerprint(db: Session) -> tuple[Any, ...]:
    """Return what any plan change would alter: history, plans, tree shape, alignments."""
    db.expire_all()
    elements = db.exec(select(PlanElement.id, PlanElement.parent_id, PlanElement.position,
                              PlanElement.is_retired, PlanElement.version)
                       .order_by(PlanElement.id)).all()
    return (db.scalar(select(func.count()).select_from(AuditEvent)),
            db.exec(select(Plan.id, Plan.version, Plan.status).order_by(Plan.id)).all(),
            tuple(elements),
            db.exec(select(ElementAlignment.id, ElementAlignment.is_primary)
                    .order_by(ElementAlignment.id)).all())


# ---------------------------------------------------------------- access matrix

@pytest.fixture
def plan_world(world: World, app: Flask, db: Session, make_plan, make_element) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """Give cities A, B and U a plan with a small tree, an alignment and a retired element."""
    ids = world.ids
    for key in ("a", "b", "u"):
        plan = make_plan(world.cities[key], title=f"Plan of {key.upper()}")
        one = make_element(plan, "1")
        child = make_element(plan, "1.1", parent=one)
        two = make_element(plan, "2")
        old = make_element(plan, "9")
        with boundary(app, db):
            ids[f"{key}_align"] = add_alignment(
                session=db, element=child, user_id=None,
                alignment_in=ElementAlignmentCreate(target_id=target(db, "11.1").id))
            set_retired(session=db, element=old, retired=True, user_id=None, reason="merged")
        ids |= {f"{key}_plan": plan, f"{key}_one": one, f"{key}_child": child,
                f"{key}_two": two, f"{key}_old": old}
    ids["records"] = [ids[f"{k}_{part}"] for k in "abu" for part in
                      ("plan", "one", "child", "two", "old")]
    return world


READ = expect(OK)
READ_UNPUBLISHED = expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)


def edit(city: str, outcome: int) -> dict[str, Any]:
    """Editors of city A, B or U get `outcome`; everyone else is refused."""
    editors = {"a": ("secretariat_a", "officer_a"), "b": ("secretariat_b", "officer_b"),
               "u": ("secretariat_a",)}[city]
    return expect(DENIED, anonymous=LOGIN, admin=outcome, **dict.fromkeys(editors, outcome))


def plan_url(key: str, suffix: str = "", city: str | None = None) -> Callable[[World], str]:
    """The address of a plan of city `key` (under city `city`'s address when given)."""
    return lambda w: (f"/cities/city-{city or key}/plans/{w.ids[f'{key}_plan'].id}{suffix}")


def element_url(key: str, element: str, suffix: str = "", city: str | None = None,
                plan: str | None = None) -> Callable[[World], str]:
    """The address of an element (under another city's or plan's address when given)."""
    return lambda w: (f"/cities/city-{city or key}/plans/{w.ids[f'{plan or key}_plan'].id}"
                      f"/elements/{w.ids[f'{key}_{element}'].id}{suffix}")


def plan_form(key: str, **changes: Any) -> Callable[[World], dict[str, Any]]:
    """A complete, valid plan form (from the plan's current version when it exists)."""

    def build(w: World) -> dict[str, Any]:
        plan = w.ids.get(f"{key}_plan")
        data = {"kind": "integrated_development_plan", "title": "Edited plan",
                "start_year": "2022", "end_year": "2026", "adopted_on": "", "status": "adopted",
                "source_url": "", "description": "", "levels": "Plan › Programme › Project",
                "parent_id": "", "expected_version": plan.version if plan else ""}
        return data | changes

    return build


def element_form(key: str, element: str, **changes: Any) -> Callable[[World], dict[str, Any]]:
    """A complete, valid element form, from the element's current version."""
    return lambda w: {"code": "1.1", "title": "Edited element", "description": "",
                      "department": "Water", "budget": "1000",
                      "expected_version": w.ids[f"{key}_{element}"].version} | changes


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    # reading: published cities are public; unpublished city U only for its people
    ("plans.list_plans", "GET", "/cities/city-b/plans/", None, READ),
    ("plans.list_plans", "GET", "/cities/city-u/plans/", None, READ_UNPUBLISHED),
    ("plans.show_plan", "GET", plan_url("b"), None, READ),
    ("plans.show_plan", "GET", plan_url("b", "?retired=1"), None, READ),
    ("plans.show_plan", "GET", plan_url("u"), None, READ_UNPUBLISHED),
    ("plans.show_plan", "GET", plan_url("a", city="b"), None, expect(NOT_FOUND)),
    ("plans.show_element", "GET", element_url("b", "child"), None, READ),
    ("plans.show_element", "GET", element_url("b", "child", "?q=water"), None, READ),
    ("plans.show_element", "GET", element_url("u", "child"), None, READ_UNPUBLISHED),
    ("plans.show_element", "GET", element_url("a", "child", plan="b", city="b"), None,
     expect(NOT_FOUND)),  # city A's element under city B's plan
    ("plans.target_plans", "GET", "/sdg/targets/11.1/plans", None, READ),
    ("plans.target_plans", "GET", "/sdg/targets/99.9/plans", None, expect(NOT_FOUND)),
    ("plans.indicator_plans", "GET", "/sdg/indicators/11.1.1/plans", None, READ),
    # editing forms and the picker: editors of the city only
    ("plans.new_plan", "GET", "/cities/city-b/plans/new", None, edit("b", OK)),
    ("plans.edit_plan", "GET", plan_url("b", "/edit"), None, edit("b", OK)),
    ("plans.new_element", "GET", plan_url("b", "/elements/new"), None, edit("b", OK)),
    ("plans.edit_element", "GET", element_url("b", "child", "/edit"), None, edit("b", OK)),
    ("plans.picker_json", "GET", "/cities/city-b/plans/picker.json?q=11.1", None,
     edit("b", OK)),
    # writes, including crafted POSTs to another city's plans and elements
    ("plans.new_plan", "POST", "/cities/city-b/plans/new", plan_form("new"),
     edit("b", REDIRECT)),
    ("plans.new_plan", "POST", "/cities/city-u/plans/new", plan_form("new"),
     edit("u", REDIRECT)),
    ("plans.edit_plan", "POST", plan_url("b", "/edit"), plan_form("b"), edit("b", REDIRECT)),
    ("plans.edit_plan", "POST", plan_url("a", "/edit"), plan_form("a"), edit("a", REDIRECT)),
    ("plans.edit_plan", "POST", plan_url("b", "/edit", city="a"), plan_form("b"),
     edit("a", NOT_FOUND)),  # B's plan under A's address
    ("plans.revise_plan", "POST", plan_url("b", "/revise"), {}, edit("b", REDIRECT)),
    ("plans.revise_plan", "POST", plan_url("u", "/revise"), {}, edit("u", REDIRECT)),
    ("plans.new_element", "POST", plan_url("b", "/elements/new"),
     {"parent_id": "", "code": "3", "title": "New", "description": "", "department": "",
      "budget": ""}, edit("b", REDIRECT)),
    ("plans.new_element", "POST", plan_url("b", "/elements/new"),
     lambda w: {"parent_id": w.ids["a_one"].id, "code": "3", "title": "New"},
     edit("b", 422)),  # a parent from city A's plan is not a valid choice
    ("plans.edit_element", "POST", element_url("b", "child", "/edit"),
     element_form("b", "child"), edit("b", REDIRECT)),
    ("plans.edit_element", "POST", element_url("a", "child", "/edit"),
     element_form("a", "child"), edit("a", REDIRECT)),
    ("plans.reorder_element", "POST", element_url("b", "two", "/reorder"), {"direction": "up"},
     edit("b", REDIRECT)),
    ("plans.reorder_element", "POST", element_url("b", "two", "/reorder", city="a", plan="a"),
     {"direction": "up"}, edit("a", NOT_FOUND)),  # B's element under A's plan
    ("plans.move_element", "POST", element_url("b", "child", "/move"),
     lambda w: {"parent_id": w.ids["b_two"].id}, edit("b", REDIRECT)),
    ("plans.move_element", "POST", element_url("b", "child", "/move"),
     lambda w: {"parent_id": w.ids["a_two"].id}, edit("b", 422)),  # into city A's plan
    ("plans.retire_element", "POST", element_url("b", "two", "/retire"), {"reason": "Done"},
     edit("b", REDIRECT)),
    ("plans.retire_element", "POST", element_url("a", "two", "/retire"), {"reason": "Done"},
     edit("a", REDIRECT)),
    ("plans.restore_element", "POST", element_url("b", "old", "/restore"), {"reason": ""},
     edit("b", REDIRECT)),
    ("plans.add_alignment", "POST", element_url("b", "two", "/alignments"),
     lambda w: {"sdg_indicator_id": w.ids["sdg_6_1_1"], "relation": "proxy"},
     edit("b", REDIRECT)),
    ("plans.add_alignment", "POST", element_url("a", "two", "/alignments"),
     lambda w: {"target_id": w.ids["target_6_1"], "relation": "direct", "is_primary": "y"},
     edit("a", REDIRECT)),
    ("plans.remove_alignment", "POST",
     lambda w: element_url("b", "child", f"/alignments/{w.ids['b_align'].id}/remove")(w), {},
     edit("b", REDIRECT)),
    ("plans.remove_alignment", "POST",  # city A's alignment under B's element
     lambda w: element_url("b", "child", f"/alignments/{w.ids['a_align'].id}/remove")(w), {},
     edit("b", NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[
    f"{r[0]} {r[1]} {r[2] if isinstance(r[2], str) else i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, plan_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    plan_world.ids |= {"sdg_6_1_1": sdg(db, "6.1.1").id, "target_6_1": target(db, "6.1").id}
    before = fingerprint(db)
    check_access(row, role, plan_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, 422):
        assert fingerprint(db) == before, "a refused request changed something"
    elif row[1] == "POST":
        assert fingerprint(db) != before, "an accepted change changed nothing"


def test_the_matrix_covers_every_plans_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("plans.")}
    assert endpoints == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- an officer's journey

@pytest.fixture
def officer_city(make_city, make_user, auth: Auth):  # type: ignore[no-untyped-def]
    """Sign in an officer of a published city with a fiscal year starting in July."""
    city = make_city(slug="ethekwini", name="eThekwini", fiscal_year_start_month=7)
    auth.login(make_user("officer", city=city))
    return city


PLANS = "/cities/ethekwini/plans"
IDP = {"kind": "integrated_development_plan", "title": "2022/23 to 2026/27 IDP",
       "start_year": "2022", "end_year": "2026", "adopted_on": "2022-05-31",
       "status": "adopted", "source_url": "https://www.durban.gov.za/idp.pdf",
       "description": "Five-year plan.", "parent_id": "",
       "levels": "Plan › Strategic focus area › Programme › Project"}


def page(response: Any) -> str:
    """Return a response's HTML."""
    return response.get_data(as_text=True)


def field_error(html: str, field_id: str) -> str:
    """Return the error list rendered next to a field ("" when there is none)."""
    found = re.search(rf'<ul class="field__errors" id="{field_id}-error">(.*?)</ul>', html, re.S)
    return found.group(1) if found else ""


def the_plan(db: Session) -> Plan:
    """Return the only plan of the journey."""
    return db.exec(select(Plan).where(Plan.title == IDP["title"])).one()


def element(db: Session, plan: Plan, code: str) -> PlanElement:
    """Return an element of the plan by code, fresh from the database."""
    db.expire_all()
    return db.exec(select(PlanElement).where(PlanElement.plan_id == plan.id,
                                             PlanElement.code == code)).one()


def add(client: FlaskClient, plan: Plan, code: str, parent: PlanElement | None = None,
        **fields: Any) -> Any:
    """Post the add-element form."""
    data = {"parent_id": parent.id if parent else "", "code": code, "title": f"Element {code}",
            "description": "", "department": "", "budget": ""} | fields
    return client.post(f"{PLANS}/{plan.id}/elements/new", data=data)


@pytest.mark.usefixtures("officer_city")
def test_officer_registers_a_plan_and_builds_its_tree(client: FlaskClient, db: Session) -> None:
    response = client.post(f"{PLANS}/new", data=IDP)
    plan = the_plan(db)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"{PLANS}/{plan.id}")
    assert plan.level_names == ["Plan", "Strategic focus area", "Programme", "Project"]
    html = page(client.get(f"{PLANS}/"))
    assert "2022/23–2026/27" in html and "Adopted" in html and "Integrated development plan" in html

    assert add(client, plan, "1", title="Develop and Sustain our Spatial Environment",
               department="Development Planning").status_code == 302
    one = element(db, plan, "1")
    assert add(client, plan, "1.1", one).status_code == 302
    child = element(db, plan, "1.1")
    assert add(client, plan, "1.1.1", child, budget="2500000.50").status_code == 302
    assert add(client, plan, "2").status_code == 302
    leaf = element(db, plan, "1.1.1")
    assert (leaf.depth, leaf.parent_id, leaf.budget) == (2, child.id, Decimal("2500000.50"))

    html = page(client.get(f"{PLANS}/{plan.id}"))
    for level in ("Plan", "Strategic focus area", "Programme"):
        assert f'<span class="plan-node__level">{level}</span>' in html
    assert "Development Planning" in html and "2,500,000.5" in html
    assert html.index(">1.1.1<") > html.index(">1.1<") > html.index(">1<")


@pytest.fixture
def small_tree(client: FlaskClient, db: Session, officer_city) -> Plan:  # type: ignore[no-untyped-def]  # noqa: ARG001
    """Register the IDP through the pages, with elements 1, 1.1 (under 1) and 2."""
    client.post(f"{PLANS}/new", data=IDP)
    plan = the_plan(db)
    add(client, plan, "1")
    add(client, plan, "1.1", element(db, plan, "1"))
    add(client, plan, "2")
    return plan


def test_officer_aligns_elements_with_the_picker(client: FlaskClient, db: Session,
                                                 small_tree: Plan) -> None:
    plan, child = small_tree, element(db, small_tree, "1.1")
    base = f"{PLANS}/{plan.id}/elements/{child.id}"
    html = page(client.get(f"{base}?q=slums"))
    assert f'name="target_id" value="{target(db, "11.1").id}"' in html
    response = client.post(f"{base}/alignments", data={
        "target_id": target(db, "11.1").id, "relation": "direct", "is_primary": "y",
        "rationale": "Upgrading informal settlements", "q": "slums"})
    assert response.status_code == 302
    assert client.post(f"{base}/alignments", data={
        "sdg_indicator_id": sdg(db, "6.1.1").id, "relation": "proxy"}).status_code == 302
    html = page(client.get(f"{PLANS}/{plan.id}"))
    assert 'class="sdg-badge goal-bg-11"' in html and 'class="sdg-badge goal-bg-6"' in html
    assert "sdg-link--primary" in html and "Direct, primary" in html and "Proxy" in html
    assert "already aligned" in page(client.post(f"{base}/alignments", data={
        "target_id": target(db, "11.1").id, "relation": "contributes"}))
    assert client.get("/cities/ethekwini/plans/picker.json?q=11.1").json[0] == {
        "kind": "target", "id": target(db, "11.1").id, "code": "11.1",
        "title": target(db, "11.1").title, "goal": 11}
    # the inverse view lists the city's plan under the target and the indicator
    html = page(client.get("/sdg/targets/11.1/plans"))
    assert "eThekwini" in html and IDP["title"] in html and "Upgrading informal" in html
    assert "eThekwini" in page(client.get("/sdg/indicators/6.1.1/plans"))
    assert "eThekwini" not in page(client.get("/sdg/targets/6.1/plans"))
    alignment = db.exec(select(ElementAlignment).where(ElementAlignment.target_id ==
                                                       target(db, "11.1").id)).one()
    assert client.post(f"{base}/alignments/{alignment.id}/remove").status_code == 302
    assert "eThekwini" not in page(client.get("/sdg/targets/11.1/plans"))


def test_officer_reorders_moves_and_retires(client: FlaskClient, db: Session,
                                            small_tree: Plan) -> None:
    plan = small_tree
    child, two = element(db, plan, "1.1"), element(db, plan, "2")
    base = f"{PLANS}/{plan.id}/elements"
    assert client.post(f"{base}/{two.id}/reorder", data={"direction": "up"}).status_code == 302
    assert element(db, plan, "2").position < element(db, plan, "1").position
    html = page(client.get(f"{PLANS}/{plan.id}"))
    assert html.index(f'id="element-{two.id}"') < html.index(f'id="element-{child.id}"')
    # move 1.1 under 2; an element cannot move under its own sub-elements
    assert client.post(f"{base}/{child.id}/move", data={"parent_id": two.id}).status_code == 302
    assert element(db, plan, "1.1").parent_id == two.id
    assert f'<option selected value="{two.id}">' in page(client.get(f"{base}/{child.id}"))
    assert client.post(f"{base}/{two.id}/move", data={"parent_id": child.id}).status_code == 422
    # retire 2 with its subtree: hidden unless asked for, then struck through
    assert client.post(f"{base}/{two.id}/retire", data={"reason": ""}).status_code == 422
    assert client.post(f"{base}/{two.id}/retire", data={"reason": "Merged"}).status_code == 302
    assert element(db, plan, "1.1").is_retired
    html = page(client.get(f"{PLANS}/{plan.id}"))
    assert f'id="element-{two.id}"' not in html and "Show 2 retired elements" in html
    html = page(client.get(f"{PLANS}/{plan.id}?retired=1"))
    assert f'class="plan-node plan-node--retired" id="element-{two.id}"' in html
    assert client.post(f"{base}/{two.id}/restore", data={"reason": "Back"}).status_code == 302
    assert not element(db, plan, "1.1").is_retired


@pytest.mark.usefixtures("officer_city")
def test_bad_input_gets_a_message_and_changes_nothing(client: FlaskClient, db: Session) -> None:
    response = client.post(f"{PLANS}/new", data=IDP | {"start_year": "2026", "end_year": "2022"})
    assert response.status_code == 422
    assert "end year is before the start year" in field_error(page(response), "end_year")
    response = client.post(f"{PLANS}/new", data=IDP | {"levels": " › "})
    assert "This field is required" in field_error(page(response), "levels") or \
        "level names" in field_error(page(response), "levels")
    assert db.exec(select(Plan)).all() == []

    client.post(f"{PLANS}/new", data=IDP)
    plan = the_plan(db)
    add(client, plan, "1.1")
    before = fingerprint(db)
    response = add(client, plan, "1.1", title="Again")
    assert response.status_code == 422
    assert "Code 1.1 is already used in this plan" in field_error(page(response), "code")
    response = add(client, plan, "1.2", budget="-5")
    assert response.status_code == 422 and field_error(page(response), "budget")
    response = client.post(f"{PLANS}/{plan.id}/edit", data=IDP | {
        "start_year": "2026", "end_year": "2022", "expected_version": plan.version})
    assert response.status_code == 422
    assert "end year is before the start year" in field_error(page(response), "end_year")
    response = client.post(f"{PLANS}/{plan.id}/elements/{element(db, plan, '1.1').id}"
                           "/alignments", data={"relation": "direct"})
    assert response.status_code == 422 and "one SDG target or one SDG indicator" in page(response)
    assert fingerprint(db) == before


@pytest.mark.usefixtures("officer_city")
def test_a_stale_edit_is_refused_with_the_newer_values(client: FlaskClient, db: Session,
                                                       app: Flask) -> None:
    client.post(f"{PLANS}/new", data=IDP)
    plan = the_plan(db)
    add(client, plan, "1", department="Water")
    one = element(db, plan, "1")
    url = f"{PLANS}/{plan.id}/elements/{one.id}/edit"
    assert f'name="expected_version" type="hidden" value="{one.version}"' in page(client.get(url))
    old_version = one.version
    with boundary(app, db):  # someone else saves first
        update_element(session=db, element=one, version=one.version, user_id=None,
                       element_in=PlanElementCreate(code="1", title="Their title"))
    mine = {"code": "1", "title": "My title", "description": "", "department": "Water",
            "budget": "", "expected_version": old_version}
    response = client.post(url, data=mine)
    assert response.status_code == 409
    html = page(response)
    assert "The values saved now" in html and "Their title" in html and "My title" in html
    assert element(db, plan, "1").title == "Their title"
    # saving again from the refused form applies on top of the newer version
    fresh = element(db, plan, "1").version
    assert client.post(url, data=mine | {"expected_version": fresh}).status_code == 302
    assert element(db, plan, "1").title == "My title"

    response = client.post(f"{PLANS}/{plan.id}/edit", data=IDP | {"expected_version": 0})
    assert response.status_code == 409 and "The values saved now" in page(response)


@pytest.mark.usefixtures("officer_city")
def test_a_revision_keeps_the_old_plan_readable(client: FlaskClient, db: Session) -> None:
    client.post(f"{PLANS}/new", data=IDP)
    plan = the_plan(db)
    add(client, plan, "1")
    response = client.post(f"{PLANS}/{plan.id}/revise")
    db.expire_all()
    new = db.exec(select(Plan).where(Plan.revision_of_id == plan.id)).one()
    assert response.headers["Location"].endswith(f"{PLANS}/{new.id}")
    old_html = page(client.get(f"{PLANS}/{plan.id}"))
    assert "Superseded by revision 2" in old_html and ">1<" in old_html
    new_html = page(client.get(f"{PLANS}/{new.id}"))
    assert "revision of" in new_html and f"{PLANS}/{plan.id}" in new_html
    # revising the superseded revision again is refused, pointing to the newer one
    response = client.post(f"{PLANS}/{plan.id}/revise")
    assert response.headers["Location"].endswith(f"{PLANS}/{new.id}")
    assert len(db.exec(select(Plan)).all()) == 2
    # the parent plan select offers the city's other plans only
    html = page(client.get(f"{PLANS}/{new.id}/edit"))
    assert f'<option value="{plan.id}">' in html and f'<option value="{new.id}">' not in html


# ---------------------------------------------------------------- fixed query counts

@pytest.mark.parametrize("signed_in", [False, True])
def test_the_plan_page_runs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
        client: FlaskClient, db: Session, app: Flask, make_city, make_user, make_plan,
        make_element, auth: Auth, count_queries, signed_in: bool) -> None:
    city = make_city(slug="big")
    if signed_in:
        auth.login(make_user("officer", city=city))
    targets = db.exec(select(Target).order_by(Target.id).limit(60)).all()
    costs = {}
    for size in (5, 60):
        plan = make_plan(city, title=f"Plan {size}")
        parents: list[PlanElement | None] = [None]
        for n in range(size):
            created = make_element(plan, f"E{n}", parent=parents[n // 3], department="D",
                                   budget="10")
            parents.append(created)
            with boundary(app, db):
                add_alignment(session=db, element=created, user_id=None,
                              alignment_in=ElementAlignmentCreate(target_id=targets[n].id,
                                                                  is_primary=n % 2 == 0))
        db.expire_all()
        with count_queries() as n:
            html = page(client.get(f"/cities/big/plans/{plan.id}"))
        assert html.count('class="sdg-badge goal-bg-') == size
        costs[size] = n()
    assert costs[5] == costs[60] <= 9, costs
