"""The period form: every indicator due for a fiscal year or quarter on one page, saved in one
POST (a refused cell never loses the others), submitted at once; access, grouping, the picker
and a fixed number of queries."""

import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.data_entry.test_grid_routes import (  # noqa: F401  (grid_world is a fixture)
    CONFLICT,
    NOT_FOUND,
    UNPROCESSABLE,
    grid_world,
    row_count,
)
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
from tracker.auth.models import Role
from tracker.catalogue.models import SdgIndicator
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.data.queries import current_fiscal_year
from tracker.indicators.models import IndicatorAlignment, IndicatorElementLink

# ---------------------------------------------------------------- access matrix


def enter_b(outcome: int) -> dict[str, Any]:
    """City B's officers and admins get `outcome`; secretariats only read the form."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, officer_b=outcome)


def enter_a(outcome: int) -> dict[str, Any]:
    """City A's officers and admins get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, officer_a=outcome)


def cells(key: str, value: str, record: str | None = None) -> Any:
    """The form of a period with one cell typed: the total of the world's indicator `key`,
    over the world's observation `record` (from its current version) when given."""
    def build(w: World) -> dict[str, Any]:
        """Fill in the world's ids and versions."""
        ind_id = w.ids[key].id
        version = str(w.ids[record].version) if record else ""
        return {f"c-{ind_id}-0-value": value, f"c-{ind_id}-0-expected_version": version}
    return build


def shown(*records: str) -> Any:
    """The "submit all drafts" form of a page that showed these observations of the world."""
    return lambda w: {f"version-{w.ids[r].id}": str(w.ids[r].version) for r in records}


A, B = "/cities/city-a/data", "/cities/city-b/data"
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("period.pick_period", "GET", A, None, read_a(OK)),
    ("period.pick_period", "GET", B, None, read_b(OK)),
    ("period.pick_period", "GET", "/cities/nowhere/data", None, expect(NOT_FOUND)),
    ("period.show_period", "GET", f"{A}/2023", None, read_a(OK)),
    ("period.show_period", "GET", f"{B}/2023", None, read_b(OK)),
    ("period.show_period", "GET", f"{B}/2023/q2", None, read_b(OK)),
    ("period.show_period", "GET", f"{B}/2023/q5", None, read_b(NOT_FOUND)),
    ("period.show_period", "GET", f"{B}/1800", None, read_b(NOT_FOUND)),
    ("period.show_period", "GET", "/cities/city-u/data/2023", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)),
    ("period.save_period", "POST", f"{B}/2023", cells("b1", "42"), enter_b(REDIRECT)),
    ("period.save_period", "POST", f"{A}/2023", cells("a1", "42"), enter_a(REDIRECT)),
    ("period.save_period", "POST", f"{B}/2020", cells("b1", "7", "b_draft"), enter_b(REDIRECT)),
    ("period.save_period", "POST", f"{B}/2023", cells("b1", "12,5"),
     enter_b(UNPROCESSABLE)),
    ("period.save_period", "POST", f"{B}/2022", cells("b1", "9", "b_approved"),
     enter_b(UNPROCESSABLE)),  # approved values are locked
    ("period.save_period", "POST", f"{B}/2023", cells("a1", "42"),
     enter_b(REDIRECT)),  # A's indicator is not on B's form: nothing saved, nothing changed
    ("period.save_period", "POST", f"{B}/2023/q2", {}, enter_b(REDIRECT)),
    ("period.submit_period", "POST", f"{B}/2020/submit", shown("b_draft"), enter_b(REDIRECT)),
    ("period.submit_period", "POST", f"{A}/2020/submit", shown("a_draft"), enter_a(REDIRECT)),
    ("period.submit_period", "POST", f"{B}/2020/submit", {},  # the draft was not on the page
     enter_b(CONFLICT)),
    ("period.submit_period", "POST", f"{B}/2020/q1/submit", {}, enter_b(REDIRECT)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, grid_world: World,  # noqa: F811
                client: FlaskClient, auth: Auth, db: Session) -> None:
    before = row_count(db)
    check_access(row, role, grid_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, UNPROCESSABLE, CONFLICT):
        assert row_count(db) == before, "a refused request changed something"


def test_the_matrix_covers_every_period_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("period.")} == {r[0] for r in ACCESS_MATRIX}


def test_a_cross_city_post_changes_nothing(grid_world: World, client: FlaskClient,  # noqa: F811
                                          auth: Auth, db: Session) -> None:
    auth.login(grid_world.users["officer_b"])
    before = row_count(db)
    response = client.post(f"{B}/2023", data=cells("a1", "42")(grid_world))
    assert response.status_code == 302 and row_count(db) == before


# ---------------------------------------------------------------- the form


@pytest.fixture
def city_form(app: Flask, db: Session, make_network, make_city, make_user, make_plan,  # type: ignore[no-untyped-def]
              make_element, make_indicator) -> dict[str, Any]:
    """A July fiscal-year city in a network: a water indicator by sex in its plan (aligned
    to SDG 6.1.1), an ungrouped count indicator with four years of history, a quarterly
    and a retired indicator; its officer, the network's secretariat."""
    network = make_network()
    city = make_city(network=network, fiscal_year_start_month=7)
    plan = make_plan(city, title="Water Master Plan")
    element = make_element(plan, "W1")
    water = make_indicator(city, "WS-1", baseline_year=2019, baseline_value="40",
                           targets=[{"year": 2020, "value": "50"},
                                    {"year": 2026, "value": "80"}],
                           sums_to_total=True, unit_kind="count", direction="higher",
                           dimensions=[{"name": "sex", "values": ["female", "male"]}])
    homes = make_indicator(city, "HH-1", unit_kind="count")
    make_indicator(city, "Q-1", frequency="quarterly")
    retired = make_indicator(city, "OLD-1")
    with boundary(app, db):
        retired.is_retired = True
        db.add(IndicatorElementLink(indicator_id=water.id, element_id=element.id))
        sdg = db.scalars(select(SdgIndicator).where(SdgIndicator.code == "6.1.1")).one()
        db.add(IndicatorAlignment(indicator_id=water.id, sdg_indicator_id=sdg.id))
        db.add_all(Observation(indicator_id=homes.id, year=year, value=Decimal(value))
                   for year, value in {2019: "100", 2020: "104", 2021: "98", 2022: "101"}.items())
    return {"city": city, "water": water, "homes": homes,
            "officer": make_user(Role.OFFICER, city=city),
            "secretariat": make_user(Role.SECRETARIAT, network=network),
            "url": f"/cities/{city.slug}/data/2023"}


def name(indicator: Any, column: int, field: str = "value") -> str:
    """Return the name of a period-form input."""
    return f"c-{indicator.id}-{column}-{field}"


def stored(db: Session, indicator: Any, year: int = 2023, key: str = "") -> Observation | None:
    """Return the (fresh) live observation of a cell, if any."""
    db.expire_all()
    return db.scalars(select(Observation).where(
        Observation.indicator_id == indicator.id, Observation.year == year,
        Observation.breakdown_key == key, Observation.is_deleted == False)).first()  # noqa: E712


def test_the_form_lists_the_indicators_due_grouped_by_plan(
        city_form: dict[str, Any], client: FlaskClient, auth: Auth) -> None:
    auth.login(city_form["officer"])
    page = client.get(city_form["url"]).get_data(as_text=True)
    assert "Values for 2023/24" in page
    assert page.index("Water Master Plan") < page.index("WS-1") < page.index("Ungrouped")
    assert page.index("Ungrouped") < page.index("HH-1")
    assert "Q-1" not in page and "OLD-1" not in page  # quarterly; retired
    water = city_form["water"]
    for column in range(3):  # total, female, male: one input each
        assert f'name="{name(water, column)}"' in page
        assert f'<label class="period-cell__label" for="{name(water, column)}">' in page
    assert f'name="{name(water, 3)}"' not in page
    assert page.count('inputmode="decimal"') == 4
    assert "80 (2026)" in page  # the nearest target ahead of 2023, not the 2020 one
    assert "40 (2019)" in page  # the baseline
    assert "101</span> (2022/23)" in page  # homes' last value
    by_goal = client.get(f"{city_form['url']}?group=goal").get_data(as_text=True)
    assert by_goal.index("Goal 6") < by_goal.index("WS-1") < by_goal.index("Ungrouped")


def test_secretariats_read_the_form_without_inputs(city_form: dict[str, Any],
                                                  client: FlaskClient, auth: Auth) -> None:
    auth.login(city_form["secretariat"])
    page = client.get(city_form["url"])
    assert page.status_code == 200 and "WS-1" in page.get_data(as_text=True)
    assert "<input" not in page.get_data(as_text=True).split('id="main"')[-1].replace(
        'class="site-search__input"', "")
    assert "Submit all drafts" not in page.get_data(as_text=True)


def test_one_post_saves_every_changed_cell_and_keeps_the_refused_ones(
        city_form: dict[str, Any], client: FlaskClient, auth: Auth, db: Session) -> None:
    water, homes, url = city_form["water"], city_form["homes"], city_form["url"]
    auth.login(city_form["officer"])
    first = {name(water, 0): "10", name(water, 1): "4", name(water, 2): "", name(homes, 0): ""}
    assert client.post(url, data=first).status_code == 302
    assert stored(db, water).value == Decimal("10")
    assert stored(db, water, key="sex=female").value == Decimal("4")
    assert stored(db, water, key="sex=male") is None and stored(db, homes) is None

    changes = db.scalar(select(func.count()).select_from(ObservationChange))
    second = {name(water, 0): "10.0", name(water, 0, "expected_version"): "1",  # unchanged
              name(water, 1): "4x", name(water, 1, "expected_version"): "1",  # not a number
              name(water, 2): "6",  # new, adds up
              name(homes, 0): "250"}  # an outlier against 98–104
    response = client.post(url, data=second)
    page = response.get_data(as_text=True)
    assert response.status_code == 422  # refused cells; the one saved is kept all the same
    assert "Saved 1 value." in page
    assert stored(db, water, key="sex=male").value == Decimal("6")
    assert db.scalar(select(func.count()).select_from(ObservationChange)) == changes + 1
    assert stored(db, water).version == 1 and stored(db, homes) is None
    assert 'value="4x"' in page and 'value="250"' in page  # the typed values stay
    assert "WS-1 · 2023/24 · female:" in page and "HH-1 · 2023/24 · Total: 250 is unusual" in page
    assert f'name="{name(homes, 0, "warning_note")}"' in page
    assert f'name="{name(homes, 0, "follow_up")}"' in page
    assert f'name="{name(water, 1, "warning_note")}"' not in page
    assert page.count(" autofocus") == 1
    assert page.index(" autofocus") > page.index(f'id="{name(water, 1)}"')


def test_a_warned_cell_saves_once_confirmed(city_form: dict[str, Any], client: FlaskClient,
                                            auth: Auth, db: Session) -> None:
    homes, url = city_form["homes"], city_form["url"]
    auth.login(city_form["officer"])
    assert client.post(url, data={name(homes, 0): "250"}).status_code == 422  # nothing saved
    assert stored(db, homes) is None
    flagged = {name(homes, 0): "250", name(homes, 0, "follow_up"): "y"}
    assert client.post(url, data=flagged).status_code == 302
    assert stored(db, homes).follow_up and stored(db, homes).warning_note == ""
    confirm = {name(homes, 0): "260", name(homes, 0, "expected_version"): "1",
               name(homes, 0, "warning_note"): "New estate opened"}
    assert client.post(url, data=confirm).status_code == 302
    assert stored(db, homes).warning_note == "New estate opened"
    assert stored(db, homes).follow_up  # the flag stays until cleared on the grid


def test_a_stale_cell_is_refused_alone(city_form: dict[str, Any], client: FlaskClient,
                                       auth: Auth, db: Session) -> None:
    water, url = city_form["water"], city_form["url"]
    auth.login(city_form["officer"])
    assert client.post(url, data={name(water, 0): "10"}).status_code == 302
    stale = client.post(url, data={name(water, 0): "11", name(water, 1): "4"})  # began empty
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Someone else saved this cell meanwhile" in page
    assert stored(db, water).value == Decimal("10")
    assert stored(db, water, key="sex=female").value == Decimal("4")
    nothing = client.post(url, data={name(water, 0): "12"})
    assert nothing.status_code == 409 and stored(db, water).value == Decimal("10")  # stale only


def test_a_total_and_its_parts_change_together(city_form: dict[str, Any],
                                               client: FlaskClient, auth: Auth,
                                               db: Session) -> None:
    water, url = city_form["water"], city_form["url"]
    auth.login(city_form["officer"])
    assert client.post(url, data={name(water, 0): "10", name(water, 1): "4",
                                  name(water, 2): "6"}).status_code == 302
    versions = {name(water, c, "expected_version"): "1" for c in range(3)}
    both = {name(water, 0): "12", name(water, 1): "5", name(water, 2): "7", **versions}
    assert client.post(url, data=both).status_code == 302  # no sum warning in between
    assert [stored(db, water, key=k).value for k in ("", "sex=female", "sex=male")] == [
        Decimal("12"), Decimal("5"), Decimal("7")]
    assert {stored(db, water, key=k).warning_note for k in ("", "sex=female", "sex=male")} == {
        ""}  # checked together: no warning to explain
    wrong = {name(water, 1): "6", name(water, 1, "expected_version"): "2"}
    page = client.post(url, data=wrong).get_data(as_text=True)
    assert "add up to 13, not to the total 12" in page


def submit_form(client: FlaskClient, url: str) -> dict[str, str]:
    """Read the "submit all drafts" form of the period page as it is drawn now."""
    page = client.get(url).get_data(as_text=True)
    return dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page))


def test_submit_all_submits_the_period_drafts(city_form: dict[str, Any],
                                              client: FlaskClient, auth: Auth,
                                              db: Session) -> None:
    water, homes, url = city_form["water"], city_form["homes"], city_form["url"]
    auth.login(city_form["officer"])
    assert client.post(url, data={name(water, 0): "10", name(water, 1): "4",
                                  name(water, 2): "6"}).status_code == 302
    assert client.post(f"{url}/submit", data=submit_form(client, url)).status_code == 302
    assert {stored(db, water, key=k).status for k in ("", "sex=female", "sex=male")} == {
        ObservationStatus.SUBMITTED}
    assert stored(db, homes, year=2022).status == ObservationStatus.DRAFT  # another period
    again = client.post(f"{url}/submit", follow_redirects=True)
    assert "There are no drafts to submit" in again.get_data(as_text=True)


def test_quarterly_forms_and_the_picker(city_form: dict[str, Any], client: FlaskClient,
                                        auth: Auth) -> None:
    auth.login(city_form["officer"])
    city = city_form["city"]
    quarter = client.get(f"/cities/{city.slug}/data/2023/q2").get_data(as_text=True)
    assert "Values for 2023/24 Q2" in quarter and "Q-1" in quarter and "WS-1" not in quarter
    picker = client.get(f"/cities/{city.slug}/data").get_data(as_text=True)
    now = current_fiscal_year(city)
    assert f'href="/cities/{city.slug}/data/{now}"' in picker
    assert f'href="/cities/{city.slug}/data/{now - 4}/q3"' in picker


def populate(app: Flask, db: Session, make_indicator: Any, city: Any, count: int,
             years: list[int]) -> None:
    """Define `count` indicators broken down by 19 wards, with a value in every cell of
    every year."""
    wards = [f"w{n:02d}" for n in range(19)]
    indicators = [make_indicator(city, f"N-{n}", unit_kind="count",
                                 dimensions=[{"name": "ward", "values": wards}])
                  for n in range(count)]
    with boundary(app, db):
        db.add_all(Observation(indicator_id=ind.id, year=year, value=Decimal(n + year),
                               breakdown={"ward": key} if key else {},
                               breakdown_key=f"ward={key}" if key else "")
                   for ind in indicators for year in years
                   for n, key in enumerate(["", *wards]))


def test_the_form_runs_a_fixed_number_of_queries(app: Flask, db: Session, make_city,  # type: ignore[no-untyped-def]
                                                 make_indicator, make_user,
                                                 client: FlaskClient, auth: Auth,
                                                 count_queries) -> None:
    small, big = make_city(), make_city()
    populate(app, db, make_indicator, small, 2, [2022, 2023])
    populate(app, db, make_indicator, big, 10, list(range(2014, 2024)))
    counts = []
    for city, inputs in ((small, 2 * 20), (big, 10 * 20)):
        auth.login(make_user(Role.ADMIN))
        with count_queries() as queries:
            page = client.get(f"/cities/{city.slug}/data/2023")
        assert page.status_code == 200
        assert page.get_data(as_text=True).count('inputmode="decimal"') == inputs
        counts.append(queries())
        auth.logout()
    assert counts[0] == counts[1], counts
