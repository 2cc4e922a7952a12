"""The CDP open-data importer on messy 2019/2020/2021 fixtures: never crashes, never invents
numbers, reports every skipped or repaired row; and its command line."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.cities.models import City
from tracker.climate.cdp_import import import_cdp
from tracker.climate.cli import climate_cli
from tracker.climate.models import ClimateProfile, GhgInventory, Gwp, MitigationTarget, TargetKind
from tracker.climate.totals import headline
from tracker.errors import DomainError

FIXTURES = Path(__file__).parent / "fixtures"
E2021, E2020, E2019 = (FIXTURES / f"cdp_citywide_emissions_{y}.csv" for y in (2021, 2020, 2019))
T2021 = FIXTURES / "cdp_emissions_reduction_targets_2021.csv"


def inventory_of(db: Session, account: int, year: int) -> GhgInventory:
    """Return the inventory of the city holding a CDP account."""
    profile = db.exec(select(ClimateProfile).where(
        ClimateProfile.cdp_account_number == account)).one()
    return db.exec(select(GhgInventory).where(GhgInventory.city_id == profile.city_id,
                                              GhgInventory.year == year)).one()


def count(db: Session, model: type) -> int:
    """Count a table's rows."""
    return db.exec(select(func.count()).select_from(model)).one()


@pytest.mark.usefixtures("app_ctx")
def test_2021_emissions_file_reports_every_skip_and_repair(db: Session) -> None:
    report = import_cdp(db, E2021.read_bytes())
    lines = report.lines()
    assert report.kind == "emissions" and lines[-1] == (
        "4 created, 0 updated, 0 unchanged, 6 skipped.")
    for expected in [
        "Row 3 (account 863330, Rourkela): skipped: no inventory reported (status: In progress)",
        "Row 5 (account 852524, Westminster City Council): skipped: every emission total is "
        "empty",
        "Row 7 (account 8242, City of Helsinki): skipped: duplicate of row 2 (same account and "
        "inventory year)",
        "Row 8 (account 900002, Atlantis City): skipped: country 'Atlantis' is not recognised",
        "Row 10 (account 859081, City of Sakuragawa): skipped: no inventory reported (status: "
        "blank)",
        "Row 11 (account 900003, Negative Town): skipped: every emission total is empty",
        "Row 11 (account 900003, Negative Town): repaired: Direct emissions (excluding "
        "generation): '-500' is not a usable figure; left empty",
        "Row 2 (account 8242, City of Helsinki): repaired: gas 'N20' read as N2O",
        "Row 4 (account 834167, Kochi Municipal Corporation): repaired: fiscal accounting period "
        "2018-04-01 – 2019-03-31: inventory year taken as 2018, the year it starts",
        "Row 6 (account 900001, Municipalidad de Ejemplo): repaired: Direct emissions (excluding "
        "generation): 'No sabemos' is not a number; left empty",
        "Row 6 (account 900001, Municipalidad de Ejemplo): repaired: Population: 0 read as "
        "unknown",
        "Row 9 (account 74481, Town of Acton, MA): repaired: accounting period 2017-01-01 – "
        "2017-12-30 is not 12 months; kept as reported",
    ]:
        assert expected in lines


@pytest.mark.usefixtures("app_ctx")
def test_figures_are_copied_exactly_and_nothing_is_invented(db: Session) -> None:
    import_cdp(db, E2021.read_bytes())
    helsinki = inventory_of(db, 8242, 2019)
    assert (helsinki.reported_scope1, helsinki.reported_scope2, helsinki.reported_scope3) == (
        Decimal("824063"), Decimal("1785915"), None)
    assert helsinki.reported_generation == Decimal("3233000")
    assert helsinki.gases == ["CO2", "CH4", "N2O"] and helsinki.gwp == Gwp.OTHER
    assert helsinki.population == 655395 and helsinki.cells == []
    assert headline([], reported_basic=helsinki.reported_basic,
                    reported_basic_plus=helsinki.reported_basic_plus,
                    population=helsinki.population).source == "none"  # no BASIC reported
    messy = inventory_of(db, 900001, 2018)
    assert (messy.reported_scope1, messy.reported_scope2, messy.reported_scope3) == (
        None, Decimal("1234567"), Decimal("0"))
    assert messy.population is None and messy.gases == ["CO2", "CH4", "N2O"]
    kochi = inventory_of(db, 834167, 2018)
    assert (kochi.period_start.isoformat(), kochi.period_end.isoformat()) == (
        "2018-04-01", "2019-03-31")
    acton = inventory_of(db, 74481, 2017)
    assert acton.reported_scope1 == Decimal("150000.5")
    assert acton.reported_basic == Decimal("240000.5")


@pytest.mark.usefixtures("app_ctx")
def test_reimporting_changes_nothing(db: Session) -> None:
    import_cdp(db, E2021.read_bytes())
    before = (count(db, City), count(db, GhgInventory), count(db, ClimateProfile))
    again = import_cdp(db, E2021.read_bytes())
    assert again.lines()[-1] == "0 created, 0 updated, 4 unchanged, 6 skipped."
    assert (count(db, City), count(db, GhgInventory), count(db, ClimateProfile)) == before


@pytest.mark.usefixtures("app_ctx")
def test_cities_are_matched_by_account_then_name_and_country(
        db: Session, make_city: Callable[..., City]) -> None:
    durban = make_city(name="eThekwini", country_code="ZA")
    cities = count(db, City)
    report = import_cdp(db, E2019.read_bytes())
    assert "Created city eThekwini (ZA)" not in report.lines()
    assert count(db, City) == cities + 1  # only Wellfleet is new
    inventory = inventory_of(db, 900010, 2016)
    assert inventory.city_id == durban.id and inventory.boundary == "larger"
    assert inventory.reported_scope1 == Decimal("20100000.25")
    assert "Row 4 (account 73754, Panaji): skipped: accounting year '-' is not a period of two " \
           "dates" in report.lines()
    wellfleet = inventory_of(db, 832838, 2017)  # GPC-format totals only
    assert (wellfleet.reported_scope1, wellfleet.reported_basic_plus) == (
        Decimal("12422.55"), Decimal("41786.99"))
    assert wellfleet.comment.startswith("Scope totals from the GPC-format columns.")


@pytest.mark.usefixtures("app_ctx")
def test_2020_file_follows_the_account_across_years(db: Session) -> None:
    import_cdp(db, E2021.read_bytes())
    report = import_cdp(db, E2020.read_bytes())
    assert report.lines()[-1] == "3 created, 0 updated, 0 unchanged, 1 skipped."
    assert inventory_of(db, 8242, 2018).city_id == inventory_of(db, 8242, 2019).city_id
    assert "Row 5 (account 35449, Stadt Zürich): repaired: Primary Protocol Comment: text cut " \
           "to 3900 characters" in report.lines()
    assert inventory_of(db, 74508, 2019).boundary == "smaller"


@pytest.mark.usefixtures("app_ctx")
def test_2021_targets_file(db: Session) -> None:
    report = import_cdp(db, T2021.read_bytes())
    lines = report.lines()
    assert report.kind == "targets" and lines[-1] == (
        "4 created, 0 updated, 0 unchanged, 5 skipped.")
    for expected in [
        "Row 3 (account 850538, Prefeitura de Treze Tílias): skipped: target type 'No target' "
        "is not one of the four CRF types",
        "Row 6 (account 900020, Backwards City): skipped: the target year 2010 is not after the "
        "base year 2015",
        "Row 8 (account 31169, Government of Hong Kong Special Administrative Region): repaired: "
        "Percentage reduction target: '65-70' is not a number; left empty",
        "Row 9 (account 8242, City of Helsinki): skipped: duplicate of row 2 (same account and "
        "target)",
        "Row 10 (account 54328, City of Niigata): skipped: no target year",
    ]:
        assert expected in lines
    targets = {t.kind: t for t in db.exec(select(MitigationTarget))}
    base = targets[TargetKind.BASE_YEAR]
    assert (base.base_year, base.base_year_emissions, base.reduction_percent, base.target_year,
            base.reported_percent_achieved, base.sectors, base.gases) == (
        1990, Decimal("3500000"), Decimal("80"), 2035, Decimal("45.5"), ["all"], [])
    fixed = targets[TargetKind.FIXED_LEVEL]
    assert (fixed.base_year, fixed.target_year_emissions, fixed.sectors) == (
        None, Decimal("3600"), ["waste"])
    assert targets[TargetKind.INTENSITY].sectors == []
    assert targets[TargetKind.BASELINE_SCENARIO].reduction_percent is None


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe garbage", b"a,b,c\n1,2,3\n",
                                  b"Year Reported to CDP,Accounting year\n\"unclosed"])
@pytest.mark.usefixtures("app_ctx")
def test_files_that_are_not_cdp_files_are_refused_not_crashed(db: Session,
                                                              data: bytes) -> None:
    try:
        report = import_cdp(db, data)
    except DomainError as error:
        assert "not a CDP City-wide Emissions or Emissions Reduction Targets CSV" in str(error)
    else:
        assert report.count("created") == 0


@pytest.fixture
def cli(app: Flask, runner: FlaskCliRunner) -> FlaskCliRunner:
    """A CLI runner with the climate commands registered."""
    app.cli.add_command(climate_cli)
    return runner


def test_cli_dry_run_saves_nothing_and_the_real_run_commits(cli: FlaskCliRunner,
                                                            db: Session) -> None:
    before = count(db, GhgInventory)
    dry = cli.invoke(args=["climate", "import-cdp", str(E2021), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Row 5 (account 852524, Westminster City Council): skipped: every emission total " \
           "is empty" in dry.output
    assert "Dry run: nothing saved." in dry.output and count(db, GhgInventory) == before
    real = cli.invoke(args=["climate", "import-cdp", str(E2021)])
    assert real.exit_code == 0 and "Saved." in real.output
    assert count(db, GhgInventory) == before + 4


def test_cli_refuses_an_unrecognised_file(cli: FlaskCliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "other.csv"
    bad.write_text("name,value\nx,1\n")
    result = cli.invoke(args=["climate", "import-cdp", str(bad)])
    assert result.exit_code == 1 and "columns are not recognised" in result.output


GARBAGE = ["1e999", "NaN", "-Infinity", "12.5.3", "1e30", "9" * 40, "—", "١٢٣", "0x10",
           "\u00a0", "99999999999999"]


@pytest.mark.usefixtures("app_ctx")
def test_garbage_in_every_numeric_cell_never_crashes_nor_stores_a_guess(
        db: Session) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(E2021.read_text(encoding="utf-8-sig"))))
    for i, row in enumerate(rows[1:]):
        for column in (1, 14, 15, 17, 19, 23, 24, 28, 29):
            row[column] = GARBAGE[(i + column) % len(GARBAGE)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    report = import_cdp(db, out.getvalue().encode())
    assert len(report.rows) == 10
    assert not any("could not be saved" in r.reason for r in report.rows)
    assert any("'1e999' is not a usable figure" in note for r in report.rows for note in r.repairs)
    stored = [v for inv in db.exec(select(GhgInventory)) for v in (
        inv.reported_scope1, inv.reported_scope2, inv.reported_scope3, inv.reported_basic,
        inv.reported_basic_plus, inv.reported_generation) if v is not None]
    assert all(v < Decimal(10) ** 17 for v in stored)
    assert set(stored) <= {Decimal("123"), Decimal("99999999999999"), Decimal("443742"),
                           Decimal("20104"), Decimal("824063"), Decimal("1785915"),
                           Decimal("1234567"), Decimal("0"), Decimal("90000"),
                           Decimal("150000.5"), Decimal("3233000")}
