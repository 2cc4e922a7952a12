"""Progress pages: access, the statuses they show for seeded values, drafts on request, the
why panel's figures, goal, plan and network views, fixed query counts and the demo cities."""

import math
import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
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
from tracker.auth.models import Role
from tracker.catalogue.models import SdgIndicator
from tracker.cities.models import City
from tracker.data.models import Observation, ObservationStatus
from tracker.indicators.models import LocalIndicator, SdgRelation
from tracker.indicators.services import align_to_sdg, link_element

NOT_FOUND, UNAUTHORISED = 404, 401
RISING = {2015: "40", 2018: "55", 2021: "70"}  # toward 100 by 2030, faster than needed


def put(db: Session, indicator: LocalIndicator, values: dict[int, str],
        status: str = "approved", key: str = "") -> None:
    """Store values of an indicator directly (the review workflow is tested elsewhere)."""
    breakdown = dict([key.split("=")]) if key else {}
    for year, value in values.items():
        db.add(Observation(indicator_id=indicator.id, year=year, quarter=0,
                           breakdown=breakdown, breakdown_key=key, value=Decimal(value),
                           status=ObservationStatus(status)))
    db.flush()


def align(app: Flask, db: Session, indicator: LocalIndicator, code: str) -> None:
    """Align a local indicator to an SDG indicator of the catalogue."""
    sdg = db.exec(select(SdgIndicator).where(SdgIndicator.code == code)).one()
    with boundary(app, db):
        align_to_sdg(session=db, indicator=indicator, sdg_indicator=sdg,
                     relation=SdgRelation.PROXY, rationale="", user_id=None)


def link(app: Flask, db: Session, indicator: LocalIndicator, element: Any) -> None:
    """Record that an indicator measures a plan element."""
    with boundary(app, db):
        link_element(session=db, indicator=indicator, element=element, user_id=None)


def text(response: Any) -> str:
    """A page's text without tags, SVG or runs of spaces (what a reader sees)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


# ---------------------------------------------------------------- access matrix

@pytest.fixture
def progress_world(world: World, app: Flask, db: Session, make_indicator,  # noqa: F811  # type: ignore[no-untyped-def]
                   make_plan) -> World:
    """Give cities A, B and U an indicator with values aligned to 6.1.1, and A and B a plan."""
    for key in ("a", "b", "u"):
        ind = make_indicator(world.cities[key], f"{key.upper()}-1", baseline_year=2015,
                             targets=[{"year": 2030, "value": "100"}])
        put(db, ind, RISING)
        align(app, db, ind, "6.1.1")
    for key in ("a", "b"):
        world.ids[f"plan_{key}"] = make_plan(world.cities[key]).id
    return world


def public(outcome: int = OK) -> dict[str, Any]:
    """Anyone who may read a published city gets `outcome`."""
    return expect(outcome)


def unpublished(outcome: int = OK, anonymous: Any = LOGIN) -> dict[str, Any]:
    """Unpublished city U (network A): admins, network A's secretariat and reviewer."""
    return expect(DENIED, anonymous=anonymous, admin=outcome, secretariat_a=outcome,
                  reviewer_a=outcome)


def plan_path(city: str, plan: str) -> Any:
    """The plan progress address of one of the world's plans, through a city."""
    return lambda w: f"/cities/city-{city}/plans/{w.ids[f'plan_{plan}']}/progress"


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("progress.methodology", "GET", "/progress/methodology", None, public()),
    ("progress.show_city", "GET", "/cities/city-a/progress", None, public()),
    ("progress.show_city", "GET", "/cities/city-a/progress?drafts=1", None, public()),
    ("progress.show_city", "GET", "/cities/city-u/progress", None, unpublished()),
    ("progress.show_city", "GET", "/cities/nowhere/progress", None, expect(NOT_FOUND)),
    ("progress.city_methodology", "GET", "/cities/city-a/progress/methodology", None,
     public()),
    ("progress.city_methodology", "GET", "/cities/city-u/progress/methodology", None,
     unpublished()),
    ("progress.city_methodology", "GET", "/cities/nowhere/progress/methodology", None,
     expect(NOT_FOUND)),
    ("progress.show_goal", "GET", "/cities/city-b/progress/goals/6", None, public()),
    ("progress.show_goal", "GET", "/cities/city-b/progress/goals/18", None,
     expect(NOT_FOUND)),
    ("progress.show_goal", "GET", "/cities/city-u/progress/goals/6", None, unpublished()),
    ("progress.show_plan", "GET", plan_path("a", "a"), None, public()),
    ("progress.show_plan", "GET", plan_path("b", "a"), None, expect(NOT_FOUND)),
    ("progress.show_indicator", "GET", "/cities/city-a/indicators/A-1/progress", None,
     public()),
    ("progress.show_indicator", "GET", "/cities/city-a/indicators/B-1/progress", None,
     expect(NOT_FOUND)),
    ("progress.show_indicator", "GET", "/cities/city-u/indicators/U-1/progress", None,
     unpublished()),
    ("progress.show_network", "GET", "/networks/net-a/progress", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)),
    ("progress.show_network", "GET", "/networks/net-b/progress?drafts=1", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_b=OK)),
    ("progress.show_network", "GET", "/networks/nowhere/progress", None, expect(NOT_FOUND)),
    ("api.city_progress_json", "GET", "/api/v1/cities/city-b/progress", None, public()),
    ("api.city_progress_json", "GET", "/api/v1/cities/city-u/progress?drafts=1", None,
     unpublished(anonymous=UNAUTHORISED)),
    ("api.city_progress_json", "GET", "/api/v1/cities/nowhere/progress", None,
     expect(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2] if isinstance(r[2], str) else r[0]}-{i}"
                              for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, progress_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    check_access(row, role, progress_world, client, auth, db)


def test_the_matrix_covers_every_progress_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    ours = {e for e in endpoints if e.startswith("progress.") or e == "api.city_progress_json"}
    assert ours == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- statuses shown

@pytest.fixture
def city(make_city) -> City:  # type: ignore[no-untyped-def]
    return make_city(slug="river-city", name="River City")


def test_the_city_page_shows_each_indicator_status_and_reason(
        app: Flask, db: Session, client: FlaskClient, city: City, make_indicator) -> None:  # type: ignore[no-untyped-def]
    good = make_indicator(city, "W-1", name="Water access", baseline_year=2015,
                          targets=[{"year": 2030, "value": "70"}])
    put(db, good, RISING)  # reaches its target
    lonely = make_indicator(city, "W-2", name="Lonely value", baseline_year=2015)
    put(db, lonely, {2021: "62"})
    align(app, db, good, "6.1.1")
    page = text(client.get("/cities/river-city/progress"))
    row = page.split("Water access", 2)[-1]
    assert row.lstrip().startswith("✓ Target achieved")
    lonely_row = page.split("Lonely value", 2)[-1]
    assert "– Not available" in lonely_row[:40]
    assert "Fewer than two values from the base year on" in lonely_row
    assert "Goal 6: Clean water and sanitation ✓ Target achieved" in page
    assert "Goal 1: No poverty · Not assessed" in page  # nothing aligned to goal 1
    assert "1 ✓ Target achieved" in page and "1 – Not available" in page  # counts
    assert "Based on approved values only." in page


@pytest.mark.usefixtures("app")
def test_drafts_count_only_when_asked_by_someone_allowed(
        db: Session, client: FlaskClient, auth: Auth, city: City,
        make_indicator, make_user) -> None:  # type: ignore[no-untyped-def]
    ind = make_indicator(city, "D-1", name="Drafty", baseline_year=2015,
                         targets=[{"year": 2030, "value": "100"}])
    put(db, ind, RISING, status="draft")
    url = "/cities/river-city/indicators/D-1/progress"
    assert "There are no counted values." in text(client.get(url))
    visitor = text(client.get(url + "?drafts=1"))  # a visitor may not: the flag is ignored
    assert "There are no counted values." in visitor and "Including unapproved" not in visitor
    auth.login(make_user(Role.OFFICER, city=city))
    drafts = text(client.get(url + "?drafts=1"))
    assert "Including unapproved values." in drafts
    assert "↑ Substantial progress" in drafts and "There are no counted values." not in drafts
    city_page = text(client.get("/cities/river-city/progress?drafts=1"))
    assert "Drafty ↑ Substantial progress" in city_page


@pytest.mark.usefixtures("app")
def test_the_why_panel_shows_the_figures(db: Session, client: FlaskClient,  # type: ignore[no-untyped-def]
                                         city: City, make_indicator) -> None:
    make_indicator(city, "W-1", baseline_year=2015, natural_limit="100",
                   targets=[{"year": 2030, "value": "100"}],
                   dimensions=[{"name": "sex", "values": ["female", "male"]}])
    ind = db.exec(select(LocalIndicator).where(LocalIndicator.code == "W-1")).one()
    put(db, ind, RISING)
    put(db, ind, {2015: "40", 2021: "30"}, key="sex=female")
    page = text(client.get("/cities/river-city/indicators/W-1/progress"))
    actual, required = (70 / 40) ** (1 / 6) - 1, (100 / 40) ** (1 / 15) - 1
    assert "Base 40 in 2015" in page and "Latest 70 in 2021" in page
    assert "Target 100 in 2030" in page
    assert "Method Compound annual growth rate (CAGR)" in page
    assert f"Actual growth {actual * 100:.1f} % a year" in page
    assert f"Required growth {required * 100:.1f} % a year" in page
    assert f"Ratio (actual ÷ required) {actual / required:.4g}" in page
    assert "Natural limit 100" in page
    progress = (70 - 40) / (100 - 40)
    assert f"Progress made {progress * 100:.0f} %" in page and "Time elapsed 40 %" in page
    reached = 2021 + math.ceil(math.log(100 / 70) / math.log(1 + actual))
    assert f"Target reached in {reached}" in page
    assert "female ↓ Deterioration" in page  # each breakdown's status
    assert "Projection" in page  # the trend chart's data table notes the projection


@pytest.mark.usefixtures("app")
def test_a_linear_rate_says_why(db: Session, client: FlaskClient, city: City,  # type: ignore[no-untyped-def]
                                make_indicator) -> None:
    ind = make_indicator(city, "N-1", unit_kind="count", baseline_year=2015,
                         targets=[{"year": 2030, "value": "20"}])
    put(db, ind, {2015: "-10", 2021: "5"})
    page = text(client.get("/cities/river-city/indicators/N-1/progress"))
    assert "Method Linear rate (change a year)" in page
    assert "A linear rate was used instead of CAGR" in page
    assert "Actual growth 2.5 a year" in page  # (5 − −10) / 6


def test_the_goal_page_lists_targets_and_indicators(
        app: Flask, db: Session, client: FlaskClient, city: City, make_indicator) -> None:  # type: ignore[no-untyped-def]
    rising = make_indicator(city, "W-1", name="Rising", baseline_year=2015,
                            targets=[{"year": 2030, "value": "70"}])
    put(db, rising, RISING)
    empty = make_indicator(city, "W-2", name="Empty", baseline_year=2015)
    align(app, db, rising, "6.1.1")
    align(app, db, empty, "6.2.1")
    page = text(client.get("/cities/river-city/progress/goals/6"))
    assert "6.1 " in page and "6.2 " in page
    row_61 = page.split("6.1 ", 1)[1]
    assert "✓ Target achieved 5 1 ✓ Target achieved" in row_61[:400]
    row_62 = page.split("6.2 ", 1)[1]
    assert "… Insufficient data — 1 – Not available" in row_62[:400]
    assert "Rising ✓ Target achieved" in page and "Empty – Not available" in page
    assert "Not assessed" in text(client.get("/cities/river-city/progress/goals/3"))


def test_the_plan_view_rolls_up_to_ancestors(
        app: Flask, db: Session, client: FlaskClient, city: City, make_indicator,  # type: ignore[no-untyped-def]
        make_plan, make_element) -> None:
    plan = make_plan(city)
    top = make_element(plan, "1", title="Water for all")
    child = make_element(plan, "1.1", parent=top, title="Standpipes")
    make_element(plan, "2", title="Unmeasured")
    ind = make_indicator(city, "W-1", baseline_year=2015,
                         targets=[{"year": 2030, "value": "70"}])
    put(db, ind, RISING)
    link(app, db, ind, child)
    page = text(client.get(f"/cities/river-city/plans/{plan.id}/progress"))
    assert "1 Water for all ✓ Target achieved" in page  # through its child
    assert "1.1 Standpipes ✓ Target achieved" in page
    assert "2 Unmeasured · Not assessed" in page


# ---------------------------------------------------------------- networks and budgets

def network_of(make_network, make_city, make_indicator, app: Flask, db: Session,  # type: ignore[no-untyped-def]
               cities: int, slug: str) -> Any:
    """A network of cities, each with two indicators with values aligned to goal 6."""
    network = make_network(slug=slug)
    for n in range(cities):
        city = make_city(network=network, slug=f"{slug}-{n}", name=f"{slug} city {n}")
        for code in ("W-1", "W-2"):
            ind = make_indicator(city, code, baseline_year=2015,
                                 targets=[{"year": 2030, "value": "70"}])
            put(db, ind, RISING)
            align(app, db, ind, "6.1.1")
    return network


def test_the_network_grid_in_fixed_queries(
        app: Flask, db: Session, client: FlaskClient, auth: Auth, make_network, make_city,  # type: ignore[no-untyped-def]
        make_indicator, make_user, count_queries) -> None:
    small = network_of(make_network, make_city, make_indicator, app, db, 2, "small")
    network_of(make_network, make_city, make_indicator, app, db, 5, "large")
    auth.login(make_user(Role.ADMIN))
    for slug in ("small", "large"):  # the first view queues the computation (run at once)
        client.get(f"/networks/{slug}/progress")
    with count_queries() as few:
        page = client.get("/networks/small/progress")
    with count_queries() as many:
        large = client.get("/networks/large/progress")
    assert few() == many()
    assert small.name in text(page)
    cells = text(large).split("large city 0", 1)[1]
    assert cells.lstrip().startswith("✓ Target achieved")  # overall, then per goal
    assert cells.count("✓ Target achieved") >= 2 and "· Not assessed" in cells
    assert text(large).count("large city") == 5


def test_the_city_page_runs_a_fixed_number_of_queries(
        app: Flask, db: Session, client: FlaskClient, city: City, make_indicator,  # type: ignore[no-untyped-def]
        make_plan, make_element, count_queries) -> None:
    plan = make_plan(city)
    element = make_element(plan, "1")

    def add(n: int) -> None:
        ind = make_indicator(city, f"K-{n}", baseline_year=2015, dimensions=[
            {"name": "sex", "values": ["female", "male"]}])
        put(db, ind, RISING)
        put(db, ind, {2015: "1", 2020: "2"}, key="sex=female")
        align(app, db, ind, f"{1 + n % 17}.1.1")
        link(app, db, ind, element)

    for n in range(2):
        add(n)
    with count_queries() as few:
        assert client.get("/cities/river-city/progress").status_code == 200
    for n in range(2, 12):
        add(n)
    with count_queries() as many:
        page = client.get("/cities/river-city/progress")
    assert page.status_code == 200 and few() == many(), (few(), many())
    assert many() <= 10, many()  # city, 6 for the progress, goals: 8 today
    assert text(page).count("K-1") >= 1


# ---------------------------------------------------------------- the demo

def test_the_demo_cities_progress_pages_render(app: Flask, db: Session, client: FlaskClient,  # type: ignore[no-untyped-def]
                                               auth: Auth, make_user) -> None:
    from tracker.demo.services import load_demo

    with boundary(app, db):
        load_demo(db)
    auth.login(make_user(Role.ADMIN))
    cities = db.exec(select(City)).all()
    shown = 0
    for city in cities:
        page = client.get(f"/cities/{city.slug}/progress")
        assert page.status_code == 200, city.slug
        words = text(page)
        for ind in db.exec(select(LocalIndicator).where(LocalIndicator.city_id == city.id,
                                                        LocalIndicator.is_retired == False)):  # noqa: E712
            shown += 1
            row = words.split(f"{ind.code} {ind.name}")[-1][:300]
            assert any(style in row for style in ("✓", "↑", "↗", "→", "↓", "–")), ind.code
            if row.lstrip().startswith("– Not available"):
                assert "." in row.split("Not available", 1)[1][:200], ind.code  # a reason
    assert shown > 0
