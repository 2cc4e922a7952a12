"""Periods as their sources write them: a label and its kind kept from import to every page,
file and API answer; a calendar indicator's years never relabelled fiscal in a fiscal city;
split years and ranges of years imported, entered and exported as written."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.plans.test_indicator_routes import definition
from tracker.auth.models import Role
from tracker.auth.tokens import create_token
from tracker.data.models import Observation, ObservationChange, PeriodKind
from tracker.data.observation_io import (
    ObservationReport,
    export_observations,
    export_open_sdg,
    import_observations,
)
from tracker.data.period_labels import MAX_YEAR, PeriodRef, parse_period_label, period_text
from tracker.data.queries import list_periods
from tracker.data.services import Entry, review_observation, save_observation
from tracker.progress.services import city_progress
from tracker.reports.content import period_names
from tracker.reports.content_quality import load_observations, quality_data

HEADER = "indicator,period,Sex,value"
SLUG = "april-city"
GRID = f"/cities/{SLUG}/indicators/{{code}}/data"


# ---------------------------------------------------------------- labels, as properties

@st.composite
def written_periods(draw: st.DrawFn) -> PeriodRef:
    """A period as a source writes it, with the reference a reader must get from it."""
    kind = draw(st.sampled_from(list(PeriodKind)))
    year = draw(st.integers(1900, MAX_YEAR - 1))
    if kind == PeriodKind.YEAR:
        return PeriodRef(year, label=str(year))
    if kind == PeriodKind.SPLIT_YEAR:
        end = draw(st.sampled_from([f"{(year + 1) % 100:02d}", str(year + 1)]))
        return PeriodRef(year, kind=kind, label=f"{year}{draw(st.sampled_from('-/–'))}{end}")
    if kind == PeriodKind.RANGE:
        year = draw(st.integers(1900, MAX_YEAR - 2))
        span = draw(st.integers(3, min(49, MAX_YEAR - year + 1)))
        return PeriodRef(year, kind=kind, span_years=span, label=f"{year}-{year + span - 1}")
    quarter = draw(st.integers(1, 4))
    label = draw(st.sampled_from([f"{year} Q{quarter}", f"Q{quarter} {year}", f"{year}-Q{quarter}",
                                  f"{year}/{(year + 1) % 100:02d} Q{quarter}"]))
    return PeriodRef(year, quarter, kind, label=label)


@given(written_periods(), st.booleans())
def test_a_written_label_reads_back_as_the_same_period(ref: PeriodRef, fiscal: bool) -> None:
    assert parse_period_label(period_text(ref, fiscal)) == ref


@given(st.integers(1900, MAX_YEAR - 1), st.integers(0, 4), st.booleans())
def test_a_derived_label_reads_back_as_the_same_cell(year: int, quarter: int,
                                                     fiscal: bool) -> None:
    kind = PeriodKind.QUARTER if quarter else PeriodKind.YEAR
    text = period_text(PeriodRef(year, quarter, kind), fiscal)
    assert parse_period_label(text).key == (year, quarter, 1)
    assert ("/" in text) == fiscal  # "2015/16" only where the years are fiscal


# ---------------------------------------------------------------- a fiscal-April city

@pytest.fixture
def april(make_city, make_indicator, make_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A city whose fiscal year starts in April: a calendar-year indicator by sex, a
    calendar-quarter one, and one on the city's fiscal year (by sex), with an officer."""
    city = make_city(slug=SLUG, fiscal_year_start_month=4)
    sex = [{"name": "Sex", "values": ["female", "male"]}]
    return {
        "city": city,
        "cal": make_indicator(city, "CAL", calendar="calendar", dimensions=sex),
        "calq": make_indicator(city, "CALQ", calendar="calendar", frequency="quarterly"),
        "fis": make_indicator(city, "FIS", dimensions=sex),
        "officer": make_user(Role.OFFICER, city=city),
    }


def run(app: Flask, db: Session, city: Any, data: str | bytes, save: bool = True
        ) -> ObservationReport:
    """Import a file as one unit of work."""
    with boundary(app, db):
        return import_observations(session=db, city=city, user_id=None, save=save,
                                   data=data.encode() if isinstance(data, str) else data)


def enter(app: Flask, db: Session, indicator: Any, year: int, quarter: int = 0) -> None:
    """Enter a value on the grid's service (a cell stored without a label)."""
    with boundary(app, db):
        save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                         entry=Entry(year=year, quarter=quarter, value=Decimal(7)))


def exported(app: Flask, db: Session, city: Any, fmt: str) -> list[list[str]]:
    """The city's export (CSV or XLSX) as rows of text."""
    with boundary(app, db):
        data = export_observations(session=db, city=city, fmt=fmt)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


def periods_of(rows: list[list[str]], code: str) -> list[str]:
    """The period column of an indicator's exported rows, in file order."""
    return [row[1] for row in rows[1:] if row[0] == code]


def test_a_calendar_indicator_keeps_calendar_years_in_a_fiscal_city(
        app: Flask, db: Session, april: dict[str, Any], client: FlaskClient,
        auth: Auth) -> None:
    report = run(app, db, april["city"], f"{HEADER}\nCAL,2015,,40\nCALQ,2024 Q2,,3\n")
    assert report.ok and report.saved, report.errors
    enter(app, db, april["cal"], 2016)   # no label: the indicator's calendar names it
    enter(app, db, april["fis"], 2016)   # the city's fiscal year
    rows = exported(app, db, april["city"], "csv")
    assert periods_of(rows, "CAL") == ["2015", "2016"]
    assert periods_of(rows, "CALQ") == ["2024 Q2"]
    assert periods_of(rows, "FIS") == ["2016/17"]

    auth.login(april["officer"])
    grid = client.get(GRID.format(code="CAL")).get_data(as_text=True)
    assert ">2015<" in grid and ">2016<" in grid
    assert "2015/16" not in grid and "2016/17" not in grid
    quarters = client.get(GRID.format(code="CALQ")).get_data(as_text=True)
    assert "2024 Q2" in quarters and "2024/25" not in quarters
    answer = client.get(f"/api/v1/cities/{SLUG}/observations").get_json()
    assert sorted((i["indicator"], i["period"]) for i in answer["items"]) == [
        ("CAL", "2015"), ("CAL", "2016"), ("CALQ", "2024 Q2"), ("FIS", "2016/17")]
    # The export reads back as the same cells, unchanged.
    again = "\n".join(",".join(row) for row in exported(app, db, april["city"], "csv"))
    assert run(app, db, april["city"], again, save=False).summary() == {
        "create": 0, "update": 0, "unchanged": 4}


def test_the_grid_reaches_the_current_year_of_the_indicators_calendar(
        app: Flask, april: dict[str, Any]) -> None:
    february = date(2027, 2, 1)  # calendar year 2027, fiscal year 2026/27 (April)
    with app.app_context():
        calendar = list_periods(april["city"], april["cal"], [], february)
        fiscal = list_periods(april["city"], april["fis"], [], february)
    assert [p.label for p in calendar[:2]] == ["2027", "2026"]
    assert [p.label for p in fiscal[:2]] == ["2026/27", "2025/26"]


WRITTEN = ["2009-2010", "2017-2019", "2017", "2015-16", "2012/2013"]


def sheet_bytes(fmt: str, rows: list[list[str]]) -> bytes:
    """A sheet in CSV or XLSX holding these rows under the import header."""
    header = HEADER.split(",")
    if fmt == "csv":
        return "\n".join(",".join(row) for row in [header, *rows]).encode()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt_in", ["csv", "xlsx"])
def test_split_years_and_ranges_round_trip_as_written(
        app: Flask, db: Session, april: dict[str, Any], fmt_in: str) -> None:
    rows = [["FIS", label, "", str(n)] for n, label in enumerate(WRITTEN, start=1)]
    report = run(app, db, april["city"], sheet_bytes(fmt_in, rows))
    assert report.ok and report.summary()["create"] == len(WRITTEN), report.errors
    stored = {o.period_label: o for o in db.scalars(select(Observation))}
    assert [(stored[w].year, stored[w].span_years, stored[w].period_kind) for w in WRITTEN] == [
        (2009, 1, PeriodKind.SPLIT_YEAR), (2017, 3, PeriodKind.RANGE), (2017, 1, PeriodKind.YEAR),
        (2015, 1, PeriodKind.SPLIT_YEAR), (2012, 1, PeriodKind.SPLIT_YEAR)]
    by_value = {label: str(n) for n, label in enumerate(WRITTEN, start=1)}
    for fmt_out in ("csv", "xlsx"):
        out = [row for row in exported(app, db, april["city"], fmt_out)[1:] if row[0] == "FIS"]
        assert sorted((row[1], row[3]) for row in out) == sorted(by_value.items())
    with boundary(app, db):
        open_sdg = export_open_sdg(session=db, city=april["city"], indicator=april["fis"])
    years = [row[0] for row in csv.reader(io.StringIO(open_sdg.decode("utf-8-sig")))][1:]
    assert sorted(years) == sorted(WRITTEN)


def test_a_range_and_its_first_year_are_two_periods_but_a_range_twice_is_a_duplicate(
        app: Flask, db: Session, april: dict[str, Any]) -> None:
    two = run(app, db, april["city"], f"{HEADER}\nFIS,2017-2019,,5\nFIS,2017,,6\n", save=False)
    assert two.ok and two.summary()["create"] == 2
    twice = run(app, db, april["city"], f"{HEADER}\nFIS,2017-2019,,5\nFIS,2017-2019,,6\n")
    assert [(e.row, e.column) for e in twice.errors] == [(3, "indicator")]
    assert "row 2" in twice.errors[0].message.lower()
    assert db.scalar(select(func.count()).select_from(Observation)) == 0


def test_a_dry_run_of_written_periods_writes_nothing(app: Flask, db: Session,
                                                    april: dict[str, Any]) -> None:
    report = run(app, db, april["city"], f"{HEADER}\nFIS,2009-2010,,1\nFIS,2017-2019,female,2\n",
                 save=False)
    assert report.ok and not report.saved
    assert [o.label for o in report.outcomes] == ["2009-2010", "2017-2019 · female"]
    assert db.scalar(select(func.count()).select_from(Observation)) == 0
    assert db.scalar(select(func.count()).select_from(ObservationChange)) == 0


@pytest.mark.parametrize(("code", "label"), [("CAL", "2015-16"), ("CAL", "2015/2016"),
                                             ("CALQ", "2024-25 Q2")])
def test_a_split_year_is_refused_for_a_calendar_year_indicator(
        app: Flask, db: Session, april: dict[str, Any], code: str, label: str) -> None:
    report = run(app, db, april["city"], f"{HEADER}\nFIS,2015-16,,1\n{code},{label},,2\n")
    assert [(e.row, e.column) for e in report.errors] == [(3, "period")]
    assert label in report.errors[0].message and "calendar years" in report.errors[0].message
    assert db.scalar(select(func.count()).select_from(Observation)) == 0  # all or nothing


@pytest.mark.usefixtures("april")
def test_written_periods_round_trip_through_the_command_line(runner: FlaskCliRunner,
                                                              tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f"{HEADER}\nFIS,2009-2010,,1\nFIS,2017-2019,,2\nCAL,2015,,3\n")
    imported = runner.invoke(args=["data", "import", str(source), "--city", SLUG])
    assert imported.exit_code == 0, imported.output
    out = tmp_path / "out.csv"
    assert runner.invoke(args=["data", "export", "--city", SLUG, "-o", str(out)]).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted((row[0], row[1]) for row in rows[1:]) == [
        ("CAL", "2015"), ("FIS", "2009-2010"), ("FIS", "2017-2019")]


def test_the_report_annex_names_each_period_as_its_indicator_does(
        app: Flask, db: Session, april: dict[str, Any]) -> None:
    assert run(app, db, april["city"], f"{HEADER}\nCAL,2015,,3\nFIS,2017-2019,,2\n").ok
    enter(app, db, april["fis"], 2016)
    with boundary(app, db):
        rows = load_observations(db, [april["city"].id], 2030)
        progress = city_progress(db, april["city"])
        quality = quality_data(rows, {}, period_names(april["city"], progress))
    assert sorted(r["period"] for r in quality["excluded"]) == ["2015", "2016/17", "2017-2019"]


# ---------------------------------------------------------------- the web and the API

def test_a_value_is_entered_into_a_range_of_years_on_the_grid(
        app: Flask, db: Session, april: dict[str, Any], client: FlaskClient,
        auth: Auth) -> None:
    assert run(app, db, april["city"], f"{HEADER}\nFIS,2017-2019,,5\nFIS,2017,,6\n").ok
    auth.login(april["officer"])
    url = GRID.format(code="FIS")
    page = client.get(url).get_data(as_text=True)
    assert '<th scope="row">2017-2019</th>' in page and 'id="cell-2017-0-3y-1"' in page
    response = client.post(f"{url}/cell", data={
        "year": "2017", "quarter": "0", "span_years": "3", "period_label": "2017-2019",
        "breakdown_key": "Sex=female", "value": "4", "expected_version": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "#cell-2017-0-3y-1")
    db.expire_all()
    cells = {(o.span_years, o.breakdown_key): o for o in db.scalars(select(Observation))}
    assert (cells[(3, "Sex=female")].value, cells[(3, "Sex=female")].period_label) == (
        Decimal(4), "2017-2019")
    assert (3, "") in cells and (1, "") in cells and (1, "Sex=female") not in cells
    form = client.get(f"/cities/{SLUG}/data/2017").get_data(as_text=True)
    assert "2017-2019 · female" in form  # listed read-only, entered on the grid


def test_the_review_queue_names_each_period_as_its_indicator_does(  # type: ignore[no-untyped-def]
        app: Flask, db: Session, make_network, make_city, make_indicator, make_user,
        client: FlaskClient, auth: Auth) -> None:
    network = make_network()
    city = make_city(network=network, slug="queue-city", fiscal_year_start_month=4)
    cal = make_indicator(city, "CAL", calendar="calendar")
    make_indicator(city, "FIS")
    assert run(app, db, city, "indicator,period,value\nCAL,2015,3\nFIS,2017-2019,2\n").ok
    enter(app, db, cal, 2016)  # no label: the indicator's calendar names it
    with boundary(app, db):
        for cell in db.scalars(select(Observation)):
            review_observation(session=db, cell=cell, action="submit",
                               expected_version=cell.version, user_id=None)
    auth.login(make_user(Role.SECRETARIAT, network=network))
    page = client.get("/cities/queue-city/review").get_data(as_text=True)
    for period in ("2015", "2016", "2017-2019"):
        assert f"<td>{period}</td>" in page
    assert "2015/16" not in page and "2016/17" not in page


def test_a_range_of_years_is_saved_through_the_api(app: Flask, db: Session,
                                                   april: dict[str, Any],
                                                   client: FlaskClient) -> None:
    with boundary(app, db):
        token = create_token(session=db, user=april["officer"], name="script")[1]
    response = client.post(f"/api/v1/cities/{SLUG}/observations",
                           headers={"Authorization": f"Bearer {token}"},
                           json={"observations": [
                               {"indicator": "FIS", "period": "2017-2019", "value": "3"},
                               {"indicator": "CAL", "period": "2015", "value": "2"}]})
    assert response.status_code == 201, response.get_json()
    items = response.get_json()["items"]
    assert [(i["period"], i["year"], i["span_years"]) for i in items] == [
        ("2017-2019", 2017, 3), ("2015", 2015, 1)]
    refused = client.post(f"/api/v1/cities/{SLUG}/observations",
                          headers={"Authorization": f"Bearer {token}"},
                          json={"indicator": "CAL", "period": "2015-16", "value": "2"})
    assert refused.status_code == 422
    assert "calendar years" in refused.get_json()["problems"][0]["message"]


def test_the_calendar_choice_on_the_form_changes_the_grid(  # type: ignore[no-untyped-def]
        make_city, make_user, client: FlaskClient, auth: Auth) -> None:
    city = make_city(slug="ethekwini", fiscal_year_start_month=4)
    auth.login(make_user(Role.OFFICER, city=city))
    base = "/cities/ethekwini/indicators"
    assert client.post(f"{base}/new", data=definition()).status_code == 302
    grid = f"{base}/WS-1/data"
    assert client.post(f"{grid}/cell", data={"year": "2016", "quarter": "0", "value": "3",
                                             "breakdown_key": "",
                                             "expected_version": ""}).status_code == 302
    assert ">2016/17<" in client.get(grid).get_data(as_text=True)
    form = client.get(f"{base}/WS-1/edit").get_data(as_text=True)
    for choice in ("As the city", "Calendar year", "starting April"):
        assert choice in form
    saved = client.post(f"{base}/WS-1/edit", data=definition(calendar="calendar",
                                                             expected_version="1"))
    assert saved.status_code == 302
    page = client.get(grid).get_data(as_text=True)
    assert ">2016<" in page and "2016/17" not in page
    edit = client.get(f"{base}/WS-1/edit").get_data(as_text=True)
    assert re.search(r'<option (value="calendar" selected|selected value="calendar")', edit)
