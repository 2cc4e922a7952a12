"""CDP City-wide Emissions in every published layout, 2016–2021, and matching CDP's names.

The fixtures (fixtures/cdp_20XX.csv) are invented rows under the exact headers of the
published files as copied in Open-Earth-Foundation/OpenClimate (harmonize/data/raw/
CDP_citywide_emissions_20XX): 2016 (dfed-thx7), 2017 (kyi6-dk5h), 2018 (wii4-buw5), 2019
(542d-zyj8), 2020 (p43t-fbkj), 2021 (tmta-7i7p). The 2018 and 2019 headers are identical,
and so is that of the combined "2018 - 2019" dataset (mkj4-km9s, checked on data.cdp.net),
whose rows mix both years. Each file has a row for CDP's "Durban" account, eThekwini's.
"""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from tests.climate.test_cdp_import import count, inventory_of
from tests.factories import Auth
from tests.test_access import World, city_form, world  # noqa: F401  (world is a fixture)
from tracker.audit.models import AuditEvent
from tracker.cities.models import City
from tracker.cities.services import update_city
from tracker.climate.cdp_import import import_cdp
from tracker.climate.cdp_parse import country_code
from tracker.climate.cli import climate_cli
from tracker.climate.models import GhgInventory

FIXTURES = Path(__file__).parent / "fixtures"
DURBAN = 35863
D = Decimal

# Per layout: (created, skipped, new cities), and per account: inventory year and the
# reported (scope 1, scope 2, scope 3, BASIC, BASIC+) read by hand off the fixture.
LAYOUTS = {
    "2016": ((3, 2, 2), {DURBAN: (2014, D(11500000), D(11000000), None, None, None),
                    900201: (2014, D("100000.25"), D("25000.25"), None, None, None),
                    900202: (2013, None, None, None, None, None)}),
    "2017": ((3, 1, 2), {DURBAN: (2015, D(12000000), D(10500000), None, D(23000000), None),
                    900301: (2014, D(7000000), D(2000000), None, D(9000000), None),
                    900302: (2015, None, None, None, None, None)}),
    "2018": ((3, 2, 2), {DURBAN: (2016, D(12500000), D(10000000), D(500000), D(23000000),
                             D(23500000)),
                    900401: (2016, D(180000), D(0), None, None, None),
                    900404: (2017, D(1000), D(2000), None, None, None)}),
    "2019": ((3, 1, 2), {DURBAN: (2017, D(13000000), D(9000000), D(400000), None, None),
                    900502: (2016, D("1531934.8"), D("1446.5"), D("55751.8"), None, None),
                    900503: (2017, D(5000), D(6000), None, None, None)}),
    "2020": ((2, 1, 1), {DURBAN: (2018, D(12800000), D(8700000), D(350000), None, None),
                    900601: (2018, D(892116), D(269138), None, None, None)}),
    "2021": ((2, 1, 1), {DURBAN: (2019, D(12600000), D(8500000), D(300000), None, None),
                    900701: (2019, D(800000), D(1700000), None, None, None)}),
    "2018_19": ((4, 0, 2), {DURBAN: (2017, D(13000000), D(9000000), D(400000), None, None),
                            900401: (2016, D(180000), D(0), None, None, None),
                            900502: (2016, D("1531934.8"), D("1446.5"), D("55751.8"), None,
                                     None)}),
}


@pytest.fixture
def ethekwini(make_city: Callable[..., City]) -> City:
    """eThekwini as the tracker knows it: CDP calls its account "Durban"."""
    return make_city(slug="ethekwini", name="eThekwini", country_code="ZA",
                     alternative_names=["Durban"], population=3_900_000)


def fixture(year: int | str) -> bytes:
    """The bytes of one year's fixture."""
    return (FIXTURES / f"cdp_{year}.csv").read_bytes()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.usefixtures("app_ctx")
def test_each_layout_imports_its_inventories_with_the_reported_totals(
        db: Session, ethekwini: City, layout: str) -> None:
    (created, skipped, new_cities), expected = LAYOUTS[layout]
    cities = count(db, City)
    report = import_cdp(db, fixture(layout))
    assert (report.kind, report.count("created"), report.count("skipped")) == (
        "emissions", created, skipped), report.lines()
    for account, (inventory_year, *totals) in expected.items():
        inventory = inventory_of(db, account, inventory_year)
        assert [inventory.reported_scope1, inventory.reported_scope2, inventory.reported_scope3,
                inventory.reported_basic, inventory.reported_basic_plus] == totals, account
    assert inventory_of(db, DURBAN, expected[DURBAN][0]).city_id == ethekwini.id
    assert count(db, City) == cities + new_cities  # eThekwini is never created again
    assert db.exec(select(City).where(City.name == "Durban")).first() is None


@pytest.mark.usefixtures("app_ctx", "ethekwini")
def test_2016_reads_the_measurement_date_and_keeps_an_unsplit_total_in_words(
        db: Session) -> None:
    report = import_cdp(db, fixture(2016))
    fiscal = inventory_of(db, 900201, 2014)
    assert (fiscal.period_start.isoformat(), fiscal.period_end.isoformat()) == (
        "2014-04-01", "2015-03-31")
    assert fiscal.gases == ["CO2", "CH4"] and fiscal.population == 50000
    assert "Total emissions reported: 402000 tCO2e (scopes not given)." in inventory_of(
        db, 900202, 2013).comment
    lines = report.lines()
    assert "Row 5 (account 900203, Prefeitura de Vazio): skipped: no emission total (this " \
           "layout has no inventory-status column)" in lines
    assert "Row 6 (account 900204, Ville de Nulle Part): skipped: measurement year 'sometime " \
           "in 2014' is not a date" in lines


@pytest.mark.usefixtures("app_ctx", "ethekwini")
def test_2017_without_a_status_column_imports_every_row_holding_totals(db: Session) -> None:
    report = import_cdp(db, fixture(2017))
    assert [r.outcome for r in report.rows] == ["created", "created", "created", "skipped"]
    assert "Total emissions reported: 3400000 tCO2e (Total Scope 1 and Scope 2)." in \
        inventory_of(db, 900302, 2015).comment


@pytest.mark.usefixtures("app_ctx", "ethekwini")
def test_2018_not_applicable_is_a_blank_and_gpc_gases_are_the_seven(db: Session) -> None:
    report = import_cdp(db, fixture(2018))
    assert not any("Not Applicable" in line for line in report.lines())
    assert inventory_of(db, 900401, 2016).reported_basic is None
    assert inventory_of(db, DURBAN, 2016).gases == [
        "CO2", "CH4", "N2O", "HFCs", "PFCs", "SF6", "NF3"]


def test_cli_exits_non_zero_when_every_row_with_data_is_skipped(
        app: Flask, runner: FlaskCliRunner, db: Session, tmp_path: Path) -> None:
    app.cli.add_command(climate_cli)
    lines = fixture(2017).decode().splitlines()
    bad = tmp_path / "cdp_2017_unknown_countries.csv"  # every row's country is unknown
    bad.write_text("\n".join([lines[0], *(line.replace(",South Africa,", ",Atlantis,")
                                          .replace(",Spain,", ",Atlantis,")
                                          .replace(",USA,", ",Atlantis,")
                                          for line in lines[1:])]) + "\n")
    before = (count(db, City), count(db, GhgInventory))
    for args in ([], ["--dry-run"]):
        result = runner.invoke(args=["climate", "import-cdp", str(bad), *args])
        assert result.exit_code == 1, result.output
        assert "Nothing saved: all 3 rows holding emissions data were skipped" in result.output
        assert "Saved." not in result.output
        assert "skipped: country 'Atlantis' is not recognised" in result.output
    assert (count(db, City), count(db, GhgInventory)) == before


@pytest.mark.usefixtures("app_ctx")
def test_durban_matches_by_alternative_name_then_by_account_number(
        db: Session, ethekwini: City) -> None:
    import_cdp(db, fixture(2018))
    assert inventory_of(db, DURBAN, 2016).city_id == ethekwini.id  # by "Durban"
    update_city(session=db, city=ethekwini, values={"alternative_names": []}, version=None,
                user_id=None)
    cities = count(db, City)
    import_cdp(db, fixture(2019))  # no alternative name left: the account number decides
    assert inventory_of(db, DURBAN, 2017).city_id == ethekwini.id
    assert count(db, City) == cities + 2  # Villa Ejemplo and Blankton only


@pytest.mark.usefixtures("app_ctx")
def test_names_match_without_case_or_accents_within_the_country(
        db: Session, make_city: Callable[..., City]) -> None:
    villa = make_city(name="Municipalidad de Villa Ejémplo", country_code="AR")
    make_city(name="Blankton", country_code="IE")  # same name, another country
    cities = count(db, City)
    import_cdp(db, fixture(2019))
    assert inventory_of(db, 900502, 2016).city_id == villa.id
    assert count(db, City) == cities + 2  # Durban (no eThekwini here) and the British Blankton


def test_alternative_names_are_edited_on_the_city_form_and_shown(
        world: World, client: FlaskClient, auth: Auth, db: Session) -> None:  # noqa: F811
    city = world.cities["b"]
    auth.login(world.users["officer_b"])
    form = city_form(city, alternative_names="Durban\n  \nPort Natal \ndurban\n")
    assert client.post("/cities/city-b/edit", data=form).status_code == 302
    db.expire_all()
    assert db.get(City, city.id).alternative_names == ["Durban", "Port Natal"]  # type: ignore[union-attr]
    page = client.get("/cities/city-b").get_data(as_text=True)
    assert "Durban, Port Natal" in page
    edit = client.get("/cities/city-b/edit").get_data(as_text=True)
    assert "Durban\nPort Natal</textarea>" in edit
    changes = [e.changes for e in db.exec(select(AuditEvent).where(
        AuditEvent.entity_type == "City", AuditEvent.entity_id == city.id))]
    assert {"alternative_names": ["", "Durban; Port Natal"]} in [
        {k: v for k, v in c.items() if k == "alternative_names"} for c in changes]
    too_long = city_form(db.get(City, city.id), alternative_names="x" * 201)  # type: ignore[arg-type]
    response = client.post("/cities/city-b/edit", data=too_long)
    assert response.status_code in (200, 422)
    assert "Each name may have at most 200 characters." in response.get_data(as_text=True)


@pytest.mark.parametrize(("name", "code"), [
    ("USA", "US"), ("Taiwan", "TW"), ("Taiwan, Greater China", "TW"), ("Russia", "RU"),
    ("China, Hong Kong Special Administrative Region", "HK"), ("Swaziland", "SZ"),
    ("Cape Verde", "CV"), ("Ivory Coast", "CI"), ("Macedonia", "MK"), ("Palestine", "PS")])
def test_country_names_of_every_year_are_read(name: str, code: str) -> None:
    assert country_code(name) == code  # ISO 3166-1 codes, looked up by hand
