"""Fiscal beside calendar years are flagged (only when a row mixes them), and every export is
named after what was compared and when (issue 15)."""

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.compare.support import measure, text
from tracker.compare.file_names import file_name
from tracker.compare.selection import read_selection
from tracker.compare.services import compare
from tracker.data.models import Observation, ObservationStatus, PeriodKind
from tracker.timeutil import utcnow


@pytest.fixture
def calendars(app: Flask, db: Session, make_city, make_indicator) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Durbanish counts July–June years, Aprilton April–March, Janville calendar years."""
    july = make_city(slug="durbanish", name="Durbanish", fiscal_year_start_month=7)
    april = make_city(slug="aprilton", name="Aprilton", fiscal_year_start_month=4)
    janville = make_city(slug="janville", name="Janville")
    m = measure
    # 6.1.1: fiscal (the cities' own years) beside calendar → flagged.
    m(app, db, make_indicator, july, "D-W", "6.1.1", {2022: "70"})
    m(app, db, make_indicator, janville, "J-W", "6.1.1", {2022: "90"})
    m(app, db, make_indicator, april, "A-W", "6.1.1", {2022: "50"})
    # 6.2.1: two fiscal cities only → not flagged.
    m(app, db, make_indicator, july, "D-S", "6.2.1", {2022: "60"})
    m(app, db, make_indicator, april, "A-S", "6.2.1", {2022: "40"})
    # 6.3.1: the fiscal city's indicator counts calendar years → not flagged.
    m(app, db, make_indicator, july, "D-L", "6.3.1", {2022: "20"}, calendar="calendar")
    m(app, db, make_indicator, janville, "J-L", "6.3.1", {2022: "30"})
    return {"july": july, "april": april, "janville": janville}


def rows_of(db: Session, cities: str) -> dict[str, Any]:
    """The comparison's rows by SDG indicator code."""
    comparison = compare(db, None, read_selection({"cities": cities, "goal": "6"}))
    return {row.sdg.code: row for row in comparison.rows}


@pytest.mark.usefixtures("calendars", "app_ctx")
def test_only_rows_mixing_fiscal_and_calendar_years_are_flagged(db: Session) -> None:
    rows = rows_of(db, "durbanish,aprilton,janville")
    water = rows["6.1.1"]
    assert [(c.city.slug, c.fiscal, c.period) for c in water.cells] == [
        ("durbanish", True, "2022/23"), ("aprilton", True, "2022/23"),
        ("janville", False, "2022")]
    assert all(c.calendar_mixed for c in water.cells)
    assert water.notes["calendar"].startswith(
        "Fiscal years beside calendar years: Durbanish (fiscal 2022/23), Aprilton (fiscal "
        "2022/23) beside Janville (calendar 2022).")
    assert "calendar" not in rows["6.2.1"].notes  # fiscal beside fiscal
    assert not any(c.calendar_mixed for c in rows["6.2.1"].cells)
    assert "calendar" not in rows["6.3.1"].notes  # calendar beside calendar
    # A caveat, not an exclusion: the flagged row is still scored (50…90: 50, 100, 0).
    assert [c.score.value for c in water.cells] == [50.0, 0.0, 100.0]  # type: ignore[union-attr]


def test_a_split_year_written_by_the_source_is_a_fiscal_year(  # type: ignore[no-untyped-def]
        app: Flask, db: Session, make_city, make_indicator, app_ctx: Flask) -> None:  # noqa: ARG001
    bristolish = make_city(slug="bristolish", name="Bristolish")
    janville = make_city(slug="janville", name="Janville")
    imported = measure(app, db, make_indicator, bristolish, "B-W", "6.1.1", {})
    db.add(Observation(indicator_id=imported.id, year=2021, quarter=0, breakdown={},
                       breakdown_key="", value=80, period_label="2021-22",
                       period_kind=PeriodKind.SPLIT_YEAR, status=ObservationStatus.APPROVED))
    db.flush()
    measure(app, db, make_indicator, janville, "J-W", "6.1.1", {2021: "90"})
    water = rows_of(db, "bristolish,janville")["6.1.1"]
    assert [(c.fiscal, c.period) for c in water.cells] == [(True, "2021-22"), (False, "2021")]
    assert "Bristolish (fiscal 2021-22) beside Janville (calendar 2021)" in water.notes[
        "calendar"]


@pytest.mark.usefixtures("calendars")
def test_the_page_and_the_csv_show_the_flag(client: FlaskClient) -> None:
    url = "/compare?cities=durbanish,janville&goal=6"
    html = client.get(url).get_data(as_text=True)
    page = text(client.get(url))
    assert "70 % (2022/23)" in page and "90 % (2022)" in page
    assert page.count("Fiscal and calendar years side by side") == 2  # the two 6.1.1 cells
    assert 'href="#why-6-1-1"' in html and 'id="why-6-1-1"' in html
    assert "Durbanish (fiscal 2022/23) beside Janville (calendar 2022)" in page
    rows = client.get(url.replace("/compare", "/compare.csv")).get_data(as_text=True)
    assert "fiscal 2022/23" in rows and "calendar 2022" in rows


def test_export_file_names_say_what_was_compared_and_when() -> None:
    day = date(2026, 12, 6)

    def name(args: dict[str, str], extension: str = "csv") -> str:
        """The file name of a selection read from URL parameters."""
        return file_name(read_selection(args), extension, day)

    assert name({"cities": "ethekwini,helsinki", "goal": "6"}) == \
        "comparison-goal-6-ethekwini-helsinki-2026-12-06.csv"
    assert name({"cities": "a,b,c,d", "target": "11.6"}, "xlsx") == \
        "comparison-target-11-6-4-cities-2026-12-06.xlsx"
    assert name({"network": "gcom", "indicators": "6.1.1"}, "pdf") == \
        "comparison-indicator-6-1-1-network-gcom-2026-12-06.pdf"
    assert name({"cities": "a,b", "indicators": "6.1.1,11.6.1"}) == \
        "comparison-2-indicators-a-b-2026-12-06.csv"
    assert name({}) == "comparison-all-goals-no-cities-2026-12-06.csv"
    ascii_name = re.compile(r"^[a-z0-9-]+\.(csv|xlsx|pdf)$")
    assert ascii_name.match(name({"cities": "ethekwini", "goal": "17"}))


@pytest.mark.usefixtures("calendars")
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_each_export_is_offered_under_its_own_name(client: FlaskClient,
                                                   extension: str) -> None:
    response = client.get(f"/compare.{extension}?cities=durbanish,janville&goal=6")
    day = utcnow().date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="comparison-goal-6-durbanish-janville-{day}.{extension}"')
