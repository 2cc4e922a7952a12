"""The access matrix: every route × every role, including crafted POSTs to other cities."""

import importlib
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth
from tracker.auth.models import Role, User
from tracker.cities.models import City, Network

ROLES = ["anonymous", "admin", "secretariat_a", "secretariat_b", "officer_a", "officer_b",
         "reviewer_a"]
LOGIN = "login"  # a redirect to the sign-in page


@dataclass
class World:
    """Two networks: A holds city A and unpublished city U; B holds city B."""

    networks: dict[str, Network]
    cities: dict[str, City]
    users: dict[str, User]
    ids: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(make_network, make_city, make_user) -> World:  # type: ignore[no-untyped-def]
    net_a, net_b = make_network(slug="net-a"), make_network(slug="net-b")
    cities = {
        "a": make_city(slug="city-a", network=net_a),
        "u": make_city(slug="city-u", network=net_a, is_published=False),
        "b": make_city(slug="city-b", network=net_b),
        "loose": make_city(slug="city-loose"),
    }
    users = {
        "admin": make_user(Role.ADMIN),
        "secretariat_a": make_user(Role.SECRETARIAT, network=net_a),
        "secretariat_b": make_user(Role.SECRETARIAT, network=net_b),
        "officer_a": make_user(Role.OFFICER, city=cities["a"]),
        "officer_b": make_user(Role.OFFICER, city=cities["b"]),
        "reviewer_a": make_user(Role.REVIEWER, network=net_a),
    }
    return World({"a": net_a, "b": net_b}, cities, users)


def city_form(city: City, **changes: Any) -> dict[str, Any]:
    """A complete, valid city profile form."""
    data = {"expected_version": city.version, "name": city.name, "country_code": city.country_code,
            "level": city.level, "parent_id": "", "population": "", "population_year": "",
            "population_source": "", "fiscal_year_start_month": city.fiscal_year_start_month,
            "website": "", "description": "", "is_published": "y" if city.is_published else ""}
    return {**data, **changes}


def expect(default: Any, **overrides: Any) -> dict[str, Any]:
    """Expected outcome per role: a default and the exceptions."""
    return {role: overrides.get(role, default) for role in ROLES}


OK, REDIRECT, DENIED = 200, 302, 403


# Who gets an outcome on a city's internal pages (world cities A and B; network A has the
# reviewer): shared by every domain's access matrix.
def read_a(outcome: Any) -> dict[str, Any]:
    """Those who see city A's internals (its network's reviewer too) get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_a=outcome,
                  officer_a=outcome, reviewer_a=outcome)


def read_b(outcome: Any) -> dict[str, Any]:
    """Those who see city B's internals get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_b=outcome,
                  officer_b=outcome)


def edit_a(outcome: Any) -> dict[str, Any]:
    """Those who may change city A (its officers, its network's secretariat, admins)."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_a=outcome,
                  officer_a=outcome)


def edit_b(outcome: Any) -> dict[str, Any]:
    """Those who may change city B get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_b=outcome,
                  officer_b=outcome)


def review_a(outcome: Any) -> dict[str, Any]:
    """Network A's secretariat and admins get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_a=outcome)


def review_b(outcome: Any) -> dict[str, Any]:
    """Network B's secretariat and admins get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, secretariat_b=outcome)
ADMIN_ONLY_WRITE = expect(DENIED, anonymous=LOGIN, admin=REDIRECT)

# (name, method, path, form, expected); "{x}" placeholders are filled from the world.
MATRIX: list[tuple[str, str, str, Any, dict[str, Any]]] = [
    ("main.home", "GET", "/", None, expect(OK)),
    ("main.health", "GET", "/healthz", None, expect(OK)),
    ("main.my_home", "GET", "/home", None,
     expect(OK, anonymous=LOGIN, secretariat_a=REDIRECT, secretariat_b=REDIRECT,
            reviewer_a=REDIRECT)),
    ("auth.login", "GET", "/login", None, expect(REDIRECT, anonymous=OK)),
    ("auth.logout", "POST", "/logout", {}, expect(REDIRECT, anonymous=LOGIN)),
    ("auth.password", "GET", "/account/password", None, expect(OK, anonymous=LOGIN)),
    ("users.list_users", "GET", "/users/", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, secretariat_b=OK)),
    ("users.new_user", "GET", "/users/new", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, secretariat_b=OK)),
    ("users.disable_user", "POST", "/users/{officer_b}/disable", {},
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT, secretariat_b=REDIRECT)),
    ("users.enable_user", "POST", "/users/{officer_b}/enable", {},
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT, secretariat_b=REDIRECT)),
    ("catalogue.list_goals", "GET", "/sdg/", None, expect(OK)),
    ("catalogue.show_goal", "GET", "/sdg/goals/11", None, expect(OK)),
    ("catalogue.show_target", "GET", "/sdg/targets/11.6", None, expect(OK)),
    ("catalogue.show_indicator", "GET", "/sdg/indicators/11.6.2", None, expect(OK)),
    ("search.site_search", "GET", "/sdg/search?q=water", None, expect(OK)),
    ("catalogue.goal_colours", "GET", "/sdg/goal-colours.css", None, expect(OK)),
    ("cities.list_cities", "GET", "/cities/", None, expect(OK)),
    ("cities.show_city", "GET", "/cities/city-b", None, expect(OK)),
    ("cities.show_city", "GET", "/cities/city-u", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)),
    ("cities.new_city", "GET", "/cities/new", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, secretariat_b=OK)),
    ("cities.new_city", "POST", "/cities/new",
     {"slug": "brand-new", "name": "Brand New", "country_code": "IN", "level": "city",
      "parent_id": "", "fiscal_year_start_month": 4},
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT, secretariat_a=REDIRECT,
            secretariat_b=REDIRECT)),
    ("cities.edit_city", "GET", "/cities/city-b/edit", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_b=OK, officer_b=OK)),
    ("cities.edit_city", "POST", "/cities/city-b/edit", "city_b_form",
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT, secretariat_b=REDIRECT,
            officer_b=REDIRECT)),
    ("cities.edit_city", "POST", "/cities/city-a/edit", "city_a_form",
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT, secretariat_a=REDIRECT,
            officer_a=REDIRECT)),
    ("cities.list_networks", "GET", "/networks/", None, expect(OK)),
    ("cities.show_network", "GET", "/networks/net-b", None, expect(OK)),
    ("cities.new_network", "GET", "/networks/new", None,
     expect(DENIED, anonymous=LOGIN, admin=OK)),
    ("cities.new_network", "POST", "/networks/new", {"slug": "net-new", "name": "New net"},
     ADMIN_ONLY_WRITE),
    ("cities.edit_network", "GET", "/networks/net-b/edit", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_b=OK)),
    ("cities.edit_network", "POST", "/networks/net-b/edit",
     {"name": "Renamed network", "expected_version": 1},
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT, secretariat_b=REDIRECT)),
    ("cities.add_network_member", "POST", "/networks/net-b/members", {"city": "city-loose"},
     ADMIN_ONLY_WRITE),
    ("cities.remove_network_member", "POST", "/networks/net-b/members/city-b/remove", {},
     ADMIN_ONLY_WRITE),
    ("api.openapi", "GET", "/api/v1/openapi.json", None, expect(OK)),
    ("api.docs", "GET", "/api/v1/docs", None, expect(OK)),
    ("api.docs_asset", "GET", "/api/v1/docs/swagger-ui.css", None, expect(OK)),
    ("api.list_goals", "GET", "/api/v1/sdg/goals", None, expect(OK)),
    ("api.list_targets", "GET", "/api/v1/sdg/targets", None, expect(OK)),
    ("api.list_indicators", "GET", "/api/v1/sdg/indicators", None, expect(OK)),
    ("api.get_indicator", "GET", "/api/v1/sdg/indicators/11.6.2", None, expect(OK)),
    ("api.list_networks", "GET", "/api/v1/networks", None, expect(OK)),
    ("api.list_cities", "GET", "/api/v1/cities", None, expect(OK)),
    ("api.show_city", "GET", "/api/v1/cities/city-u", None,
     expect(DENIED, anonymous=401, admin=OK, secretariat_a=OK, reviewer_a=OK)),
]


# Each domain's route tests define ACCESS_MATRIX rows of the same shape; every route of the
# app must appear in one of them.
DOMAIN_MATRICES = ["tests.plans.test_plan_routes", "tests.plans.test_indicator_routes",
                   "tests.plans.test_bulk_routes", "tests.plans.test_coverage_routes",
                   "tests.data_entry.test_grid_routes", "tests.data_entry.test_followup",
                   "tests.data_entry.test_evidence", "tests.data_entry.test_completeness_routes",
                   "tests.test_api_tokens", "tests.test_api_observations",
                   "tests.test_api_review",
                   "tests.data_entry.test_import_routes",
                   "tests.data_entry.test_import_jobs", "tests.data_entry.test_period_form",
                   "tests.progress.test_progress_routes", "tests.climate.test_climate_routes",
                   "tests.climate.test_climate_api", "tests.reports.test_report_routes",
                   "tests.compare.test_compare_routes", "tests.test_open_data",
                   "tests.data_entry.test_bulk_approval", "tests.opensdg.test_web",
                   "tests.opensdg_export.test_access_matrix"]


def all_matrix_rows() -> list[tuple[str, str, Any, Any, dict[str, Any]]]:
    """Collect the rows of every access matrix."""
    rows = list(MATRIX)
    for name in DOMAIN_MATRICES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        rows += module.ACCESS_MATRIX
    return rows


def test_the_matrix_covers_every_route(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    covered = {row[0] for row in all_matrix_rows()}
    assert endpoints - covered == set(), "routes missing from the access matrix"


def resolve(world: World, path: Any, form: Any) -> tuple[str, Any]:
    """Fill placeholders in the path and build the form data (callables take the world)."""
    path = path(world) if callable(path) else path.format(officer_b=world.users["officer_b"].id)
    if callable(form):
        form = form(world)
    elif form == "city_b_form":
        form = city_form(world.cities["b"], name="Edited B")
    elif form == "city_a_form":
        form = city_form(world.cities["a"], name="Edited A")
    return path, form


def snapshot_world(world: World, db: Session) -> dict[str, Any]:
    """Return what a refused request must leave unchanged: versions of every tracked record."""
    db.expire_all()
    records = [*world.cities.values(), *world.ids.get("records", [])]
    return {f"{type(r).__name__}:{r.id}": (getattr(r, "name", None), getattr(r, "version", None))
            for r in records}


def check_access(row: tuple[Any, ...], role: str, world: World, client: FlaskClient,
                 auth: Auth, db: Session) -> None:
    """Request the row's route as the role and check the outcome (and that refusals change
    nothing)."""
    _name, method, path, form, expected = row
    if role != "anonymous":
        auth.login(world.users[role])
    path, form = resolve(world, path, form)
    before = snapshot_world(world, db)
    response = client.open(path, method=method, data=form)
    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected[role], response.get_data(as_text=True)[:500]
    if expected[role] in (DENIED, LOGIN):
        assert snapshot_world(world, db) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=[f"{r[1]} {r[2]}" for r in MATRIX])
def test_access(row: tuple[Any, ...], role: str, world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    check_access(row, role, world, client, auth, db)


# Who passes each access level on the world's cities and networks, written out by hand from
# the role rules: an oracle independent of the predicates in tracker.auth.access.
EVERYONE = set(ROLES)
LEVEL_ROLES: dict[str, dict[str, set[str]]] = {
    "read_public": {"city-a": EVERYONE, "city-b": EVERYONE,
                    "city-u": {"admin", "secretariat_a", "reviewer_a"},
                    "net-a": EVERYONE, "net-b": EVERYONE},
    "read_internals": {"city-a": {"admin", "secretariat_a", "officer_a", "reviewer_a"},
                       "city-b": {"admin", "secretariat_b", "officer_b"},
                       "city-u": {"admin", "secretariat_a", "reviewer_a"}},
    "edit": {"city-a": {"admin", "secretariat_a", "officer_a"},
             "city-b": {"admin", "secretariat_b", "officer_b"},
             "city-u": {"admin", "secretariat_a"}},
    "enter": {"city-a": {"admin", "officer_a"}, "city-b": {"admin", "officer_b"},
              "city-u": {"admin"}},
    "review": {"city-a": {"admin", "secretariat_a"}, "city-b": {"admin", "secretariat_b"},
               "city-u": {"admin", "secretariat_a"}},
    "watch_network": {"net-a": {"admin", "secretariat_a", "reviewer_a"},
                      "net-b": {"admin", "secretariat_b"}},
    "manage_network": {"net-a": {"admin", "secretariat_a"}, "net-b": {"admin", "secretariat_b"}},
}
# Views that check more than their level, and why: their rows may let fewer roles through.
NARROWER = {
    "compare.post_note": "only reviewers, secretariats and admins write notes",
    "cities.add_network_member": "admins only: membership grants a secretariat rights",
    "cities.remove_network_member": "admins only: membership grants a secretariat rights",
}
REFUSED = (DENIED, LOGIN, 401)


def scoped_endpoints(app: Flask) -> dict[str, str]:
    """Return every city- or network-scoped endpoint (its address names a slug), by rule."""
    return {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()
            if "<slug>" in rule.rule}


def test_every_city_and_network_route_declares_its_access_level(app: Flask) -> None:
    for rule, endpoint in scoped_endpoints(app).items():
        level = getattr(app.view_functions[endpoint], "access_level", None)
        assert level is not None, f"{rule} is not decorated with city_route / network_route"
        assert callable(level) or level in LEVEL_ROLES, (rule, level)


class Anything:
    """Stands for a world record in a row's path, when only the slug matters."""

    id = 1

    def __getattr__(self, _name: str) -> "Anything":
        return self

    def __getitem__(self, _key: Any) -> "Anything":
        return self

    def __format__(self, _spec: str) -> str:
        return "1"


def row_scope(app: Flask, row: tuple[Any, ...]) -> tuple[str, str, dict[str, Any]] | None:
    """Return the endpoint, slug and arguments a row requests, or None when it is not on
    one of the world's cities or networks."""
    _name, method, path, _form, _expected = row
    if callable(path):
        path = path(Anything())
    else:
        path = path.replace("{officer_b}", "1")
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, args = adapter.match(path.split("?")[0], method=method)
    except Exception:  # noqa: BLE001  (a row aimed at a missing route answers 404 or 405)
        return None
    slug = args.pop("slug", None)
    if slug not in LEVEL_ROLES["read_public"]:
        return None
    return endpoint, slug, args


def test_each_route_lets_through_exactly_its_levels_roles(app: Flask) -> None:
    from tracker.auth.city_scope import level_of

    checked: set[str] = set()
    bad = []
    for row in all_matrix_rows():
        scope = row_scope(app, row)
        if scope is None:
            continue
        endpoint, slug, args = scope
        level = level_of(app.view_functions[endpoint], **args)
        allowed = {role for role, outcome in row[4].items() if outcome not in REFUSED}
        expected = LEVEL_ROLES[level][slug]
        if getattr(app.view_functions[endpoint], "conceals", False):
            # open data answers those its level refuses 404, as if the city did not exist
            if any(row[4][role] not in (*REFUSED, 404) for role in EVERYONE - expected):
                bad.append((row[:3], level, sorted(EVERYONE - expected)))
        elif endpoint in NARROWER:
            assert allowed <= expected, (row[:3], level)
        elif allowed != expected:
            bad.append((row[:3], level, sorted(allowed ^ expected)))
        checked.add(endpoint)
    assert bad == []
    assert set(scoped_endpoints(app).values()) - checked == set(), "scoped routes never checked"
