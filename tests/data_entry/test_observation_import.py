"""Importing a city's values from a tidy sheet: parsing, every malformed case named by row and
column, all-or-nothing saves with history, and the exports (round trip, formulas, Open SDG)."""

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import boundary
from tracker.bulk.formats import MAX_BYTES
from tracker.bulk.report import Action
from tracker.data.models import MissingReason, Observation, ObservationChange
from tracker.data.observation_io import (
    ObservationReport,
    export_observations,
    export_open_sdg,
    import_observations,
)
from tracker.data.observation_sheet import parse_period
from tracker.data.services import Entry, review_observation, save_observation

HEADER = "indicator,period,sex,value,missing_reason,unit,comment,source"


@pytest.fixture
def city_data(make_city, make_indicator) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A July fiscal-year city with a percent indicator by sex, a count and a quarterly one."""
    city = make_city(slug="val-city", fiscal_year_start_month=7)
    return {
        "city": city,
        "ws": make_indicator(city, "WS-1", dimensions=[{"name": "Sex",
                                                        "values": ["female", "male"]}]),
        "pop": make_indicator(city, "POP", unit_kind="count", direction="higher"),
        "hh": make_indicator(city, "HH-Q", unit_kind="other", unit_label="households",
                             direction="higher", frequency="quarterly"),
    }


def run(app: Flask, db: Session, city: Any, text: str | bytes, save: bool = True
        ) -> ObservationReport:
    """Import a file as one unit of work."""
    data = text.encode() if isinstance(text, str) else text
    with boundary(app, db):
        return import_observations(session=db, city=city, data=data, user_id=None, save=save)


def counts(db: Session) -> tuple[int, int]:
    """Count observations and history rows."""
    return (db.scalar(select(func.count()).select_from(Observation)) or 0,
            db.scalar(select(func.count()).select_from(ObservationChange)) or 0)


def cells(db: Session) -> dict[tuple[str, int, int, str], Observation]:
    """Return the stored cells by (indicator id, year, quarter, key)."""
    db.expire_all()
    return {(o.indicator_id, o.year, o.quarter, o.breakdown_key): o
            for o in db.scalars(select(Observation))}


def messages(report: ObservationReport) -> list[tuple[int, str, str]]:
    """Return the report's errors as (row, column, message)."""
    return [(e.row, e.column, e.message) for e in report.errors]


VALID = f"""{HEADER}
WS-1,2023/24,,55.5,,%,Metered,Utility
WS-1,2023,female,60,,,,
WS-1,2023/24,Male,51,,,,
POP,2022,,1200,,count,,
POP,2021/22,,,not_available,,,
HH-Q,2023/24 Q2,,340,,households,,
"""


@pytest.mark.parametrize(("text", "expected"), [
    ("2023", (2023, 0)), ("2023/24", (2023, 0)), ("2023 Q2", (2023, 2)),
    ("2023/24 Q4", (2023, 4)), ("2023-24", (2023, 0)), ("2099/2100", (2099, 0)),
])
@pytest.mark.usefixtures("app_ctx")
def test_periods_in_both_forms(text: str, expected: tuple[int, int]) -> None:
    ref = parse_period(text)
    assert (ref.year, ref.quarter, ref.label) == (*expected, text)


@pytest.mark.parametrize(("text", "first", "span"), [
    ("2000 - 02", 2000, 3), ("2017-2019", 2017, 3), ("1998-01", 1998, 4), ("2009-2010", 2009, 1),
])
@pytest.mark.usefixtures("app_ctx")
def test_ranges_with_a_two_digit_end_run_into_the_next_century(text: str, first: int,
                                                               span: int) -> None:
    ref = parse_period(text)  # "2000 - 02" is how Bristol writes its rolling three-year means
    assert (ref.year, ref.span_years, ref.last_year) == (first, span, first + span - 1)


@pytest.mark.parametrize("text", ["23", "2023/25", "2015-14", "2023/24 Q2 Q3", "2023 Q5", "FY2023",
                                  "1800", "2023/24Q"])
@pytest.mark.usefixtures("app_ctx")
def test_ill_formed_and_unknown_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def test_a_valid_file_creates_values_with_history(app: Flask, db: Session,
                                                  city_data: dict[str, Any]) -> None:
    report = run(app, db, city_data["city"], VALID)
    assert report.ok and report.saved, report.errors
    assert report.summary() == {"create": 6, "update": 0, "unchanged": 0}
    stored = cells(db)
    ws, pop, hh = city_data["ws"].id, city_data["pop"].id, city_data["hh"].id
    total = stored[(ws, 2023, 0, "")]
    assert (total.value, total.comment, total.source, total.version) == \
        (Decimal("55.5"), "Metered", "Utility", 1)
    assert stored[(ws, 2023, 0, "Sex=male")].breakdown == {"Sex": "male"}
    assert stored[(pop, 2021, 0, "")].missing_reason == MissingReason.NOT_AVAILABLE
    assert stored[(hh, 2023, 2, "")].value == Decimal(340)
    changes = list(db.scalars(select(ObservationChange)))
    assert len(changes) == 6 and {c.action for c in changes} == {"import"}
    assert {c.new_value for c in changes} >= {"55.5", "(not_available)"}


def test_a_dry_run_writes_nothing(app: Flask, db: Session, city_data: dict[str, Any]) -> None:
    before = counts(db)
    report = run(app, db, city_data["city"], VALID, save=False)
    assert report.ok and not report.saved
    assert report.count(Action.CREATE) == 6
    assert counts(db) == before


def test_updates_unchanged_and_versions(app: Flask, db: Session,
                                       city_data: dict[str, Any]) -> None:
    run(app, db, city_data["city"], VALID)
    changed = VALID.replace("POP,2022,,1200", "POP,2022,,1300")
    report = run(app, db, city_data["city"], changed)
    assert report.summary() == {"create": 0, "update": 1, "unchanged": 5}
    assert [o.changes for o in report.outcomes if o.action == Action.UPDATE] == [["value"]]
    cell = cells(db)[(city_data["pop"].id, 2022, 0, "")]
    assert (cell.value, cell.version) == (Decimal(1300), 2)
    history = list(db.scalars(select(ObservationChange)
                              .where(ObservationChange.observation_id == cell.id)
                              .order_by(ObservationChange.id)))
    assert [(h.old_value, h.new_value) for h in history] == [("", "1200"), ("1200", "1300")]


def assert_refused(app: Flask, db: Session, city: Any, text: str | bytes
                   ) -> list[tuple[int, str, str]]:
    """Import a bad file: it must be refused and change nothing; return its errors."""
    before = counts(db)
    report = run(app, db, city, text)
    assert not report.ok and not report.saved
    assert counts(db) == before
    return messages(report)


def test_every_problem_is_named_by_row_and_column(app: Flask, db: Session,
                                                  city_data: dict[str, Any]) -> None:
    text = f"""{HEADER}
NOPE,2023,,1,,,,
WS-1,2023,,12.5.1,,,,
WS-1,FY23,,10,,,,
WS-1,2023 Q1,,10,,,,
HH-Q,2023,,10,,,,
WS-1,2023,,120,,,,
POP,2023,,3.5,,,,
WS-1,2022,,10,,kg,,
WS-1,2022,unknown,10,,,,
POP,2022,female,10,,,,
POP,2020,,10,not_available,,,
POP,2019,,,,,,
WS-1,2021,,=SUM(A1),,,,
WS-1,2021,,10,,,=HYPERLINK(x),
POP,2018,,5,,,,
POP,2018/19,,6,,,,
"""
    errors = assert_refused(app, db, city_data["city"], text)
    where = {(row, column) for row, column, _m in errors}
    assert where == {(2, "indicator"), (3, "value"), (4, "period"), (5, "period"),
                     (6, "period"), (7, "value"), (8, "value"), (9, "unit"), (10, "sex"),
                     (11, "sex"), (12, "missing_reason"), (13, "value"), (14, "value"),
                     (15, "comment"), (17, "indicator")}
    text_of = {(row, column): message for row, column, message in errors}
    assert "NOPE" in text_of[(2, "indicator")]
    assert "12.5.1" in text_of[(3, "value")]
    assert "annual" in text_of[(5, "period")] and "quarterly" in text_of[(6, "period")]
    assert "percentage" in text_of[(7, "value")] and "whole" in text_of[(8, "value")]
    assert "formula" in text_of[(14, "value")] and "formula" in text_of[(15, "comment")]
    assert "Row 17 and row 16" in text_of[(17, "indicator")]


def test_approved_cells_are_locked(app: Flask, db: Session, city_data: dict[str, Any]) -> None:
    with boundary(app, db):
        cell = save_observation(session=db, indicator=city_data["pop"], user_id=None,
                                expected_version=None, entry=Entry(year=2022, value=Decimal(5)))
        for action in ("submit", "approve"):
            review_observation(session=db, cell=cell, action=action,
                               expected_version=cell.version, user_id=None)
    same = "indicator,period,value\nPOP,2022,5\n"
    assert run(app, db, city_data["city"], same).summary()["unchanged"] == 1
    errors = assert_refused(app, db, city_data["city"], "indicator,period,value\nPOP,2022,6\n")
    assert errors[0][:2] == (2, "value") and "approved" in errors[0][2]


def test_a_bom_is_read_transparently(app: Flask, db: Session,
                                     city_data: dict[str, Any]) -> None:
    report = run(app, db, city_data["city"], "\ufeffindicator;period;value\r\nPOP;2022;7\r\n")
    assert report.ok, report.errors
    assert cells(db)[(city_data["pop"].id, 2022, 0, "")].value == Decimal(7)


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"\xef\xbb\xbf\r\n", "empty"),
    (b"x" * (MAX_BYTES + 1), "larger than"),
    (b"indicator,period,value\nPOP,2022,7\nPOP,2023,\xff\xfe\n", "row 3"),
    (b"indicator,value\nPOP,7\n", "missing"),
    (b"indicator,period,value,colour\nPOP,2022,7,red\n", "Unknown column"),
    (b"PK\x03\x04not a zip", "xlsx"),
])
def test_unreadable_files_are_refused(app: Flask, db: Session, city_data: dict[str, Any],
                                      data: bytes, words: str) -> None:
    errors = assert_refused(app, db, city_data["city"], data)
    assert words in " ".join(message for _r, _c, message in errors)


def test_one_error_stops_every_row(app: Flask, db: Session, city_data: dict[str, Any]) -> None:
    assert_refused(app, db, city_data["city"], VALID + "POP,2030,,-1,,,,\n")


def test_outliers_warn_without_blocking(app: Flask, db: Session,
                                        city_data: dict[str, Any]) -> None:
    rows = "".join(f"POP,{year},{100 + year % 3}\n" for year in range(2010, 2020))
    report = run(app, db, city_data["city"], f"indicator,period,value\n{rows}POP,2020,9000\n")
    assert report.ok and report.saved
    assert [(w.row, w.column) for w in report.warnings] == [(12, "value")]


# --------------------------------------------------------------------------- export


def read_csv(data: bytes) -> list[list[str]]:
    """Parse exported CSV."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_round_trips_in_csv_and_xlsx(app: Flask, db: Session,
                                            city_data: dict[str, Any]) -> None:
    run(app, db, city_data["city"], VALID)
    for fmt in ("csv", "xlsx"):
        with boundary(app, db):
            data = export_observations(session=db, city=city_data["city"], fmt=fmt)
        report = run(app, db, city_data["city"], data, save=False)
        assert report.ok, report.errors
        assert report.summary() == {"create": 0, "update": 0, "unchanged": 6}
    with boundary(app, db):
        rows = read_csv(export_observations(session=db, city=city_data["city"], fmt="csv"))
    assert rows[0] == ["indicator", "period", "Sex", "value", "missing_reason", "unit",
                       "comment", "source"]
    assert ["HH-Q", "2023/24 Q2", "", "340", "", "households", "", ""] in rows


def test_export_neutralises_formulas_but_not_numbers(app: Flask, db: Session, make_indicator,  # type: ignore[no-untyped-def]
                                                     city_data: dict[str, Any]) -> None:
    make_indicator(city_data["city"], "CO2", unit_kind="tco2e", direction="lower")
    run(app, db, city_data["city"],
        "indicator,period,value,comment,source\nCO2,2022,-5,'=cmd|x,'@SUM(1)\n")
    with boundary(app, db):
        data = export_observations(session=db, city=city_data["city"], fmt="csv")
        book = export_observations(session=db, city=city_data["city"], fmt="xlsx")
    # The period as the file wrote it (the export once relabelled "2022" as "2022/23").
    assert ["CO2", "2022", "", "-5", "", "tCO2e", "'=cmd|x", "'@SUM(1)"] in read_csv(data)
    sheet = load_workbook(io.BytesIO(book)).worksheets[0]
    row = [c for c in sheet.iter_rows(min_row=2, values_only=True) if c[0] == "CO2"][0]
    assert row[3] == -5 and row[6] == "=cmd|x"
    assert [c.data_type for c in sheet[2]][6] == "s"  # text, never a formula


def test_open_sdg_columns(app: Flask, db: Session, city_data: dict[str, Any]) -> None:
    run(app, db, city_data["city"], VALID)
    with boundary(app, db):
        data = export_open_sdg(session=db, city=city_data["city"], indicator=city_data["ws"])
    rows = read_csv(data)
    assert rows[0] == ["Year", "Sex", "Units", "Value"]
    # Each Year as the file wrote it (the export once rewrote them all as "2023-24").
    assert sorted(rows[1:]) == [["2023", "female", "%", "60"], ["2023/24", "", "%", "55.5"],
                                ["2023/24", "male", "%", "51"]]


def test_xlsx_files_are_read(app: Flask, db: Session, city_data: dict[str, Any]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Indicator", "Period", "Value"])
    sheet.append(["POP", 2022, 41])
    out = io.BytesIO()
    book.save(out)
    assert run(app, db, city_data["city"], out.getvalue()).ok
    assert cells(db)[(city_data["pop"].id, 2022, 0, "")].value == Decimal(41)
