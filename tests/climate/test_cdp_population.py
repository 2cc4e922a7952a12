"""A CDP population that cannot be the city's (38 201 740 for "Durban", ten times eThekwini)
is kept but flagged: no per-capita figure uses it until someone who may edit the city's
climate data confirms it, on the climate page (POST with CSRF, checked like every edit)."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, col, select

from tests.climate.test_cdp_import import inventory_of
from tests.climate.test_cdp_layouts import DURBAN, FIXTURES, fixture
from tests.factories import Auth, boundary
from tests.test_access import LOGIN, World, world  # noqa: F401  (world is a fixture)
from tracker.api.climate import totals_json
from tracker.audit.models import AuditEvent
from tracker.cities.models import City
from tracker.cities.services import update_city
from tracker.climate.cdp_import import import_cdp
from tracker.climate.cdp_population import confirm_population
from tracker.climate.cli import climate_cli
from tracker.climate.models import ClimateProfile, GhgInventory

WARNING = ("Row 2 (account 35863, eThekwini Metropolitan Municipality): WARNING: population "
           "38 201 740 is more than 5 times the city's previous figure 3 900 000: kept "
           "unconfirmed, not used per inhabitant until someone confirms it on the climate page")


@pytest.fixture
def ethekwini(make_city: Callable[..., City]) -> City:
    """eThekwini with its own population figure, about 3.9 million."""
    return make_city(slug="ethekwini", name="eThekwini", country_code="ZA",
                     alternative_names=["Durban"], population=3_900_000)


@pytest.mark.usefixtures("app_ctx", "ethekwini")
def test_an_implausible_population_gives_no_per_capita_figure_until_confirmed(
        db: Session) -> None:
    report = import_cdp(db, fixture(2018))
    assert WARNING in report.lines()
    inventory = inventory_of(db, DURBAN, 2016)
    assert (inventory.population, inventory.population_unconfirmed) == (38_201_740, True)
    figures = totals_json(inventory)
    assert (figures["basic"], figures["basic_per_capita"]) == ("23000000", None)
    again = import_cdp(db, fixture(2018))  # the same file again changes nothing
    assert again.count("unchanged") == 3 and inventory.population_unconfirmed
    confirm_population(session=db, inventory=inventory, version=inventory.version, user_id=None)
    figures = totals_json(inventory)
    # 23 000 000 / 38 201 740 = 0.60207 and 23 500 000 / 38 201 740 = 0.61516, worked by hand
    assert (figures["basic_per_capita"], figures["basic_plus_per_capita"]) == (
        "0.6021", "0.6152")
    events = db.exec(select(AuditEvent).where(AuditEvent.entity_type == "GhgInventory",
                                              AuditEvent.entity_id == inventory.id)
                     .order_by(col(AuditEvent.id))).all()
    assert [e.changes["population_unconfirmed"] for e in events
            if "population_unconfirmed" in e.changes] == [[False, True], [True, False]]
    third = import_cdp(db, fixture(2018))  # a confirmed figure stays confirmed
    assert WARNING not in third.lines() and not inventory.population_unconfirmed


@pytest.mark.usefixtures("app_ctx")
def test_a_new_city_never_takes_a_population_no_city_has(db: Session) -> None:
    report = import_cdp(db, fixture(2018))
    assert "Row 6 (account 900404, Megalopolis Metropolitan Authority): WARNING: population " \
           "41 000 000 is more than any city holds (over 40 000 000): kept unconfirmed, not " \
           "used per inhabitant until someone confirms it on the climate page" in report.lines()
    megalopolis = inventory_of(db, 900404, 2017)
    assert megalopolis.population_unconfirmed and megalopolis.per_capita_population is None
    assert db.get(City, megalopolis.city_id).population is None  # type: ignore[union-attr]


@pytest.mark.usefixtures("ethekwini")
def test_the_command_line_names_the_row_of_an_implausible_population(
        app: Flask, runner: FlaskCliRunner) -> None:
    app.cli.add_command(climate_cli)
    result = runner.invoke(args=["climate", "import-cdp", str(FIXTURES / "cdp_2018.csv")])
    assert result.exit_code == 0 and WARNING in result.output and "Saved." in result.output


@pytest.fixture
def flagged(world: World, app: Flask, db: Session) -> GhgInventory:  # noqa: F811
    """City A is CDP's "Durban" with 3.9 million people; the 2018 file flags its 2016 figure."""
    with boundary(app, db):
        city = world.cities["a"]
        update_city(session=db, city=city, values={"alternative_names": ["Durban"],
                                                   "population": 3_900_000},
                    version=None, user_id=None)
        import_cdp(db, fixture(2018))
    profile = db.exec(select(ClimateProfile).where(ClimateProfile.city_id == city.id)).one()
    inventory = db.exec(select(GhgInventory).where(GhgInventory.city_id == profile.city_id,
                                                   GhgInventory.year == 2016)).one()
    assert inventory.population_unconfirmed
    return inventory


CONFIRM = "/cities/city-a/climate/inventories/{id}/confirm-population"
ACCESS: dict[str, tuple[Any, bool]] = {  # role: (response, still unconfirmed afterwards)
    "anonymous": (LOGIN, True), "officer_b": (403, True), "officer_a": (302, False),
    "secretariat_a": (302, False), "admin": (302, False)}


@pytest.mark.parametrize("role", sorted(ACCESS))
def test_who_may_confirm_a_population(role: str, world: World, flagged: GhgInventory,  # noqa: F811
                                      client: FlaskClient, auth: Auth, db: Session) -> None:
    if role != "anonymous":
        auth.login(world.users[role])
    response = client.post(CONFIRM.format(id=flagged.id),
                           data={"expected_version": str(flagged.version)})
    expected, still_flagged = ACCESS[role]
    if expected == LOGIN:
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected
    db.expire_all()
    assert db.get(GhgInventory, flagged.id).population_unconfirmed is still_flagged  # type: ignore[union-attr]


def test_the_climate_page_withholds_per_capita_and_offers_the_confirmation(
        world: World, flagged: GhgInventory, client: FlaskClient,  # noqa: F811
        auth: Auth) -> None:
    auth.login(world.users["officer_a"])
    page = client.get("/cities/city-a/climate").get_data(as_text=True)
    assert "the imported population 38,201,740 awaits confirmation" in page
    assert CONFIRM.format(id=flagged.id) in page
    stale = client.post(CONFIRM.format(id=flagged.id), data={"expected_version": "1"},
                        follow_redirects=True)
    assert stale.status_code == 200 and "awaits confirmation" in stale.get_data(as_text=True)
    assert client.get(CONFIRM.format(id=flagged.id)).status_code == 405
    done = client.post(CONFIRM.format(id=flagged.id),
                       data={"expected_version": str(flagged.version)}, follow_redirects=True)
    assert "awaits confirmation" not in done.get_data(as_text=True)
