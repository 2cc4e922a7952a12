"""Coverage views: access matrix, what the strip and gap lists show, fixed query counts."""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    LOGIN,
    OK,
    ROLES,
    World,
    check_access,
    expect,
    world,
)
from tracker.catalogue.models import SdgIndicator, Target
from tracker.cities.models import City
from tracker.coverage.queries import CoverageState, get_city_coverage
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorDimension,
    IndicatorElementLink,
    IndicatorTarget,
    LocalIndicator,
    SdgRelation,
    UnitKind,
)
from tracker.indicators.services import align_to_sdg
from tracker.indicators.services import set_retired as retire_indicator
from tracker.plans.alignment import add_alignment
from tracker.plans.models import (
    ElementAlignment,
    ElementAlignmentCreate,
    Plan,
    PlanElement,
    PlanKind,
)
from tracker.plans.tree import create_revision, set_retired

NOT_FOUND = 404



# ---------------------------------------------------------------- access matrix

READ_UNPUBLISHED = expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)
# Visitors are asked to sign in (401), as on every API route; signed-in strangers get 403.
API_UNPUBLISHED = expect(DENIED, anonymous=401, admin=OK, secretariat_a=OK, reviewer_a=OK)

ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("coverage.show_coverage", "GET", "/cities/city-b/coverage", None, expect(OK)),
    ("coverage.show_coverage", "GET", "/cities/city-u/coverage", None, READ_UNPUBLISHED),
    ("coverage.show_coverage", "GET", "/cities/nowhere/coverage", None, expect(NOT_FOUND)),
    ("coverage.stylesheet", "GET", "/coverage/coverage.css", None, expect(OK)),
    ("api.list_city_plans", "GET", "/api/v1/cities/city-b/plans", None, expect(OK)),
    ("api.list_city_plans", "GET", "/api/v1/cities/city-u/plans", None, API_UNPUBLISHED),
    ("api.list_city_plans", "GET", "/api/v1/cities/nowhere/plans", None, expect(NOT_FOUND)),
    ("api.list_city_indicators", "GET", "/api/v1/cities/city-b/indicators", None, expect(OK)),
    ("api.list_city_indicators", "GET", "/api/v1/cities/city-u/indicators", None,
     API_UNPUBLISHED),
    ("api.list_city_indicators", "GET", "/api/v1/cities/nowhere/indicators", None,
     expect(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[f"{r[1]} {r[2]}" for r in ACCESS_MATRIX])
def test_access(row: tuple[Any, ...], role: str, world: World, client: FlaskClient,  # noqa: F811
                auth: Auth, db: Session) -> None:
    check_access(row, role, world, client, auth, db)


def test_the_matrix_covers_every_coverage_and_city_api_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()
                 if r.endpoint.startswith("coverage.") or r.rule.startswith("/api/v1/cities/<")}
    # Other city API routes have their own matrices (observations, review, progress, climate).
    elsewhere = {"api.show_city", "api.list_observations", "api.save_observations",
                 "api.review_observation", "api.city_progress_json", "api.show_climate",
                 "api.bulk_approve"}  # bulk approval: tests/data_entry/test_bulk_approval.py
    assert endpoints - elsewhere == {row[0] for row in ACCESS_MATRIX}


# ---------------------------------------------------------------- data builders

def sdg_node(db: Session, code: str) -> Target | SdgIndicator:
    """Return an SDG target or indicator of the loaded catalogue by code."""
    model = SdgIndicator if code.count(".") == 2 else Target
    found = db.exec(select(model).where(model.code == code)).first()
    assert found is not None, code
    return found


def align(app: Flask, db: Session, element: PlanElement, code: str, **kwargs: Any) -> None:
    """Align a plan element to an SDG target or indicator, through the service."""
    node = sdg_node(db, code)
    key = "sdg_indicator_id" if isinstance(node, SdgIndicator) else "target_id"
    with boundary(app, db):
        add_alignment(session=db, element=element, user_id=None,
                      alignment_in=ElementAlignmentCreate(**{key: node.id}, **kwargs))


def populate(db: Session, city: City, *, elements: int, indicators: int, title: str = "Plan"
             ) -> Plan:
    """Add a plan with `elements` aligned elements (a three-level tree) and `indicators`
    aligned, linked local indicators with targets and a breakdown (fast, without services)."""
    plan = Plan(city_id=city.id, kind=PlanKind.IDP, title=title, start_year=2022, end_year=2026,
                level_names=["Plan", "Programme", "Project"])
    db.add(plan)
    db.flush()
    target_ids = list(db.exec(select(Target.id).order_by(Target.sort_key)))
    sdg_ids = list(db.exec(select(SdgIndicator.id).order_by(SdgIndicator.sort_key)))
    roots, made = max(1, elements // 50), []
    for i in range(elements):
        parent = None if i < roots else made[(i - roots) // 7]
        made.append(PlanElement(plan_id=plan.id, code=f"{title}-{i}", title=f"Element {i}",
                                parent_id=parent.id if parent else None, position=i,
                                depth=parent.depth + 1 if parent else 0,
                                department="Planning", budget=Decimal("1000.25")))
        db.add(made[-1])
        db.flush()
    db.add_all(ElementAlignment(element_id=e.id, target_id=target_ids[i % len(target_ids)],
                                is_primary=True) for i, e in enumerate(made))
    db.add_all(ElementAlignment(element_id=e.id, sdg_indicator_id=sdg_ids[i % len(sdg_ids)])
               for i, e in enumerate(made) if i % 3 == 0)
    for j in range(indicators):
        add_indicator(db, city, f"{title}-I{j}", sdg_ids[(j * 7) % len(sdg_ids)],
                      made[j % len(made)] if made else None, with_target=j % 4 != 0)
    db.flush()
    return plan


def add_indicator(db: Session, city: City, code: str, sdg_id: int,
                  element: PlanElement | None, with_target: bool = True) -> LocalIndicator:
    """Add an aligned local indicator with a baseline, targets and a breakdown."""
    indicator = LocalIndicator(
        city_id=city.id, code=code, name=f"Indicator {code}", unit_kind=UnitKind.PERCENT,
        direction="higher", baseline_year=2020 if with_target else None,
        baseline_value=Decimal("12.5") if with_target else None,
        targets=[IndicatorTarget(year=2026, value=Decimal("40")),
                 IndicatorTarget(year=2030, value=Decimal("60"))] if with_target else [],
        dimensions=[IndicatorDimension(name="sex", values=["female", "male"])])
    db.add(indicator)
    db.flush()
    db.add(IndicatorAlignment(indicator_id=indicator.id, sdg_indicator_id=sdg_id,
                              relation=SdgRelation.PROXY))
    if element is not None:
        db.add(IndicatorElementLink(indicator_id=indicator.id, element_id=element.id))
    return indicator


# ---------------------------------------------------------------- what the views show

@pytest.fixture
def ethekwini(app: Flask, db: Session, make_city, make_plan, make_element,  # type: ignore[no-untyped-def]
              make_indicator) -> City:
    """A July-fiscal-year city with a revised IDP, an SDBIP under it and some indicators."""
    city = make_city(slug="ethekwini", name="eThekwini", fiscal_year_start_month=7)
    idp = make_plan(city, title="Integrated Development Plan 2022/23–2026/27")
    water = make_element(idp, "3", title="Creating a Quality Living Environment")
    align(app, db, water, "6.1", relation="direct", is_primary=True)
    align(app, db, make_element(idp, "3.1", parent=water, title="Refuse removal"), "11.6.1")
    align(app, db, make_element(idp, "4", title="Retired plan"), "5.1")
    db.refresh(idp)  # create_revision copies the plan with model_dump: load it after the commit
    with boundary(app, db):
        new_idp = create_revision(session=db, plan=idp, user_id=None)
    retired = db.exec(select(PlanElement).where(PlanElement.plan_id == new_idp.id,
                                                PlanElement.code == "4")).one()
    with boundary(app, db):
        set_retired(session=db, element=retired, retired=True, user_id=None)
    align(app, db, make_element(idp, "9", title="Only in the old revision"), "7.1")
    sdbip = make_plan(city, title="SDBIP 2023/24", kind="annual_performance_plan",
                      start_year=2023, end_year=2023, parent_id=new_idp.id)
    make_element(sdbip, "3A", title="Water sub-unit")
    make_indicator(city, "WS-1", baseline_year=2022, baseline_value="62.5",
                   targets=[{"year": 2026, "value": "75"}])
    make_indicator(city, "RD-1", name="Road deaths", unit_kind="rate_per_100000",
                   direction="lower", baseline_note="New KPI – No baseline")
    make_indicator(city, "BAND-1", direction="band", band_low="20", band_high="30",
                   baseline_year=2022, baseline_value="25")
    old = make_indicator(city, "OLD-1", baseline_year=2022, baseline_value="1",
                         targets=[{"year": 2026, "value": "2"}])
    with boundary(app, db):
        for code, ind in (("6.1.1", "WS-1"), ("3.6.1", "RD-1"), ("4.1.1", "OLD-1")):
            local = db.exec(select(LocalIndicator).where(LocalIndicator.code == ind)).one()
            align_to_sdg(session=db, indicator=local, sdg_indicator=sdg_node(db, code),  # type: ignore[arg-type]
                         relation=SdgRelation.PROXY, rationale="", user_id=None)
        retire_indicator(session=db, indicator=old, retired=True, user_id=None)
    return city


def states(html: str) -> dict[int, str]:
    """Read the coverage strip: goal number → state."""
    found = re.findall(r'data-state="(\w+)">\s*<span class="coverage-goal__number[^"]*">'
                       r'<span class="visually-hidden">Goal</span> (\d+)', html)
    return {int(number): state for state, number in found}


@pytest.mark.usefixtures("app_ctx")
def test_coverage_counts_current_elements_and_indicators_only(ethekwini: City,
                                                              db: Session) -> None:
    coverage = get_city_coverage(db, ethekwini)
    by_goal = {g.goal.number: g.state for g in coverage.goals}
    assert len(by_goal) == 17
    assert by_goal[6] == CoverageState.BOTH  # plan element on 6.1, indicator on 6.1.1
    assert by_goal[11] == CoverageState.PLANS  # element aligned to the SDG indicator 11.6.1
    assert by_goal[3] == CoverageState.INDICATORS
    assert by_goal[5] == CoverageState.NONE  # only a retired element
    assert by_goal[7] == CoverageState.NONE  # only the superseded revision
    assert by_goal[4] == CoverageState.NONE  # only a retired indicator
    assert [g.code for g in coverage.target_gaps] == ["11.6"]
    assert coverage.target_gaps[0].elements[0].code == "3.1"
    assert [i.code for i in coverage.no_target] == ["RD-1"]  # a band counts as a target
    assert [i.code for i in coverage.no_baseline] == ["RD-1"]
    assert (coverage.element_count, coverage.aligned_element_count) == (3, 2)  # 3, 3.1, 3A
    assert coverage.aligned_indicator_count == 2


@pytest.mark.usefixtures("app_ctx")
def test_a_revised_or_superseded_plan_does_not_count_whatever_its_status(  # type: ignore[no-untyped-def]
        app: Flask, db: Session, make_city, make_plan, make_element) -> None:
    city = make_city(fiscal_year_start_month=4)
    revised = make_plan(city, title="Revised")
    align(app, db, make_element(revised, "1"), "2.1")
    db.refresh(revised)
    with boundary(app, db):
        newer = create_revision(session=db, plan=revised, user_id=None)
        revised.status = "adopted"  # put back by hand: the later revision still replaces it
        db.add(revised)
    align(app, db, make_element(revised, "2"), "7.1")
    dropped = make_plan(city, title="Dropped", status="superseded")
    align(app, db, make_element(dropped, "1"), "9.1")
    coverage = get_city_coverage(db, city)
    by_goal = {g.goal.number: g.state for g in coverage.goals}
    assert by_goal[2] == CoverageState.PLANS
    assert by_goal[7] == by_goal[9] == CoverageState.NONE
    assert [row.plan.id for row in coverage.plans] == [newer.id]
    assert [row.plan.title for row in coverage.superseded] == ["Dropped"]
    assert coverage.plans[0].period == "2022/23–2026/27"


@pytest.mark.usefixtures("ethekwini")
def test_coverage_page_shows_plans_strip_legend_and_gaps(client: FlaskClient) -> None:
    html = client.get("/cities/ethekwini/coverage").get_data(as_text=True)
    strip = states(html)
    assert strip[6] == "both" and strip[11] == "plans" and strip[3] == "indicators"
    assert strip[5] == "none" and len(strip) == 17
    for text in ("Plans and indicators", "Plans only", "Indicators only", "Not covered",
                 "filled with the goal’s colour", "dashed border"):
        assert text in html, text
    assert 'class="coverage-goal coverage-goal--both goal-bg-6 goal-border-6"' in html
    assert "2022/23–2026/27" in html and "revision 2" in html and "1 earlier revision" in html
    assert "Under review" in html and "Superseded" in html
    assert "under Integrated Development Plan 2022/23–2026/27" in html  # the SDBIP
    assert html.index("Integrated Development Plan") < html.index("SDBIP 2023/24")
    gaps = html[html.index('id="target-gaps-title"'):]
    assert ">11.6<" in gaps and "Refuse removal" in gaps and ">6.1<" not in gaps
    assert "New KPI – No baseline" in html and "OLD-1" not in html
    assert "/coverage/coverage.css" in html


def test_a_city_with_no_plans_has_an_empty_strip(make_city, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    make_city(slug="empty-city")
    html = client.get("/cities/empty-city/coverage").get_data(as_text=True)
    assert set(states(html).values()) == {"none"}
    assert "No current plans are registered" in html
    assert "0 of 17 goals touched by plans, 0 by local indicators." in html


def test_the_city_page_macro_renders_the_coverage_block(ethekwini: City, app: Flask,  # type: ignore[no-untyped-def]
                                                        db: Session) -> None:
    with app.test_request_context("/cities/ethekwini"):
        html = render_template_string(
            "{% from 'coverage/_city_coverage.html' import render_city_coverage %}"
            "{{ render_city_coverage(city, coverage) }}",
            city=ethekwini, coverage=get_city_coverage(db, ethekwini))
    assert len(states(html)) == 17 and "Legend" in html
    assert 'href="/cities/ethekwini/coverage"' in html
    assert "Targets with no local indicator" in html and "SDBIP 2023/24" in html


@pytest.mark.usefixtures("ethekwini")
def test_the_city_page_includes_the_coverage_block(client: FlaskClient) -> None:
    html = client.get("/cities/ethekwini").get_data(as_text=True)
    assert "coverage-strip" in html and states(html)[6] == "both"


# ---------------------------------------------------------------- fixed query counts

def queries_for(client: FlaskClient, count_queries: Callable[[], Any], path: str) -> int:
    """Count the statements one GET runs (after a warm-up request)."""
    client.get(path)
    with count_queries() as n:
        response = client.get(path)
    assert response.status_code == 200, path
    return int(n())


PATHS = ["/cities/{slug}", "/cities/{slug}/coverage", "/api/v1/cities/{slug}/plans",
         "/api/v1/cities/{slug}/indicators"]


@pytest.mark.parametrize("path", PATHS)
def test_query_count_does_not_grow_with_the_data(path: str, app: Flask, db: Session,  # type: ignore[no-untyped-def]
                                                 make_city, client: FlaskClient,
                                                 count_queries) -> None:
    small, large = make_city(slug="small-city"), make_city(slug="large-city")
    with boundary(app, db):
        populate(db, small, elements=3, indicators=1)
        first = populate(db, large, elements=80, indicators=25)
        populate(db, large, elements=20, indicators=5, title="Other")
        create_revision(session=db, plan=first, user_id=None)
    counts = [queries_for(client, count_queries, path.format(slug=slug))
              for slug in ("small-city", "large-city")]
    assert counts[0] == counts[1], f"{path}: {counts}"
    assert counts[0] <= 12, f"{path} runs {counts[0]} queries"
