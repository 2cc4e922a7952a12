"""Which period comes first (overdue, then open, then closed, never a window not yet open
while another exists), "Nothing due" instead of "100 %", the read-only form of a window not
yet open and the picker's status, due date and counts (issue 15, item 2).

The fixture, worked by hand, at the fixed day 15 October 2027 of a July fiscal-year city:

| period   | window (opens – due)    | annual A-1 / A-2 / A-3          | Q-1  | status       |
|----------|-------------------------|---------------------------------|------|--------------|
| 2025/26  | 2026-07-01 – 2026-09-30 | approved / approved / approved  |      | closed       |
| 2026/27  | 2027-07-01 – 2027-09-30 | submitted / draft / —           |      | overdue (2)  |
| 2027/28 Q1 | 2027-10-01 – 2027-10-31 |                             | —    | open         |
| 2027/28  | 2028-07-01 – 2028-09-30 | — / — / —                       |      | not yet open |
"""

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.factories import Auth, boundary
from tracker.auth.models import Role
from tracker.data import completeness
from tracker.data.models import Observation, ObservationStatus
from tracker.data.windows import WindowIn, set_city_window
from tracker.indicators.models import LocalIndicator
from tracker.reports.content import city_report_context, network_report_context
from tracker.reports.render import render_city_html, render_network_html, render_summary_html

TODAY = date(2027, 10, 15)
NOON = "2027-10-15 12:00 +00:00"
WINDOWS = {(2025, 0): (date(2026, 7, 1), date(2026, 9, 30)),
           (2026, 0): (date(2027, 7, 1), date(2027, 9, 30)),
           (2027, 1): (date(2027, 10, 1), date(2027, 10, 31)),
           (2027, 0): (date(2028, 7, 1), date(2028, 9, 30))}


def add_windows(app: Flask, db: Session, city: Any, periods: list[tuple[int, int]]) -> None:
    """Set these periods' windows (dates from WINDOWS) for the city."""
    for year, quarter in periods:
        opens, due = WINDOWS[(year, quarter)]
        with boundary(app, db):
            set_city_window(session=db, city=city, user_id=None,
                            window_in=WindowIn(year, quarter, opens, due))


def add_cell(app: Flask, db: Session, indicator: Any, year: int, status: str) -> None:
    """Store an indicator's total for a fiscal year in a status."""
    with boundary(app, db):
        db.add(Observation(indicator_id=indicator.id, year=year, value=Decimal("5"),
                           status=ObservationStatus(status)))


@pytest.fixture
def network(make_network) -> Any:  # type: ignore[no-untyped-def]
    """The network of the module's city."""
    return make_network()


@pytest.fixture
def city(app: Flask, db: Session, network: Any, make_city, make_indicator  # type: ignore[no-untyped-def]
         ) -> Any:
    """The July fiscal-year city of the module's table."""
    town = make_city(network=network, name="Urgent Town", fiscal_year_start_month=7)
    annual = [make_indicator(town, code) for code in ("A-1", "A-2", "A-3")]
    make_indicator(town, "Q-1", frequency="quarterly")
    for indicator in annual:
        add_cell(app, db, indicator, 2025, "approved")
    add_cell(app, db, annual[0], 2026, "submitted")
    add_cell(app, db, annual[1], 2026, "draft")
    add_windows(app, db, town, list(WINDOWS))
    return town


def text_of(html: str) -> str:
    """Return the words of an HTML fragment, tags removed, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_count(page: str, words: str) -> int:
    """Count the table rows that contain these words."""
    return sum(words in text_of(row) for row in re.findall(r"<tr\b.*?</tr>", page, re.S))


def row_text(page: str, row_id: str) -> str:
    """Return the words of the table row with this id."""
    found = re.search(rf'<tr id="{row_id}">(.*?)</tr>', page, re.S)
    assert found, f"no row {row_id}"
    return text_of(found.group(1))


# ---------------------------------------------------------------- the order of urgency

def test_periods_are_ordered_overdue_open_closed_then_not_yet_open(city: Any,
                                                                   db: Session) -> None:
    ranked = completeness.urgent_periods(db, city, TODAY)
    assert [(r.year, r.quarter, r.status.value) for r in ranked] == [
        (2026, 0, "overdue"), (2027, 1, "open"), (2025, 0, "closed"), (2027, 0, "not_open")]
    overdue = ranked[0]
    assert (overdue.due, overdue.entered, overdue.overdue) == (3, 2, 2)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2027, 9, 1), (2026, 0)),  # 2026/27 open, due first; Q1 not open yet
    (TODAY, (2026, 0)),  # 2026/27 overdue beats the open Q1 and the future 2027/28
    (date(2028, 7, 15), (2026, 0)),  # still overdue: before the open 2027/28
    (date(2026, 6, 1), (2025, 0)),  # nothing open or closed: the soonest to open
])
def test_the_default_period_is_the_most_urgent(city: Any, db: Session, today: date,
                                               expected: tuple[int, int]) -> None:
    assert completeness.default_period(db, [city], today) == expected


def test_the_longest_overdue_comes_first_and_a_finished_period_is_closed(
        app: Flask, db: Session, make_city, make_indicator) -> None:  # type: ignore[no-untyped-def]
    town = make_city(fiscal_year_start_month=7)
    make_indicator(town, "A-1")
    add_windows(app, db, town, [(2025, 0), (2026, 0)])
    ranked = completeness.urgent_periods(db, town, TODAY)
    assert [(r.year, r.status.value) for r in ranked] == [(2025, "overdue"), (2026, "overdue")]
    nothing = make_city(fiscal_year_start_month=7)  # no indicator: nothing is ever missing
    add_windows(app, db, nothing, [(2025, 0), (2026, 0)])
    ranked = completeness.urgent_periods(db, nothing, TODAY)
    assert [(r.year, r.status.value) for r in ranked] == [(2026, "closed"), (2025, "closed")]


def test_without_windows_the_default_is_the_current_fiscal_year(db: Session, make_city  # type: ignore[no-untyped-def]
                                                                ) -> None:
    july = make_city(fiscal_year_start_month=7)
    assert completeness.default_period(db, [july], date(2026, 6, 30)) == (2025, 0)
    assert completeness.default_period(db, [july], date(2026, 7, 1)) == (2026, 0)


def test_the_city_page_opens_on_the_overdue_year_not_the_future_one(
        city: Any, make_user, client: FlaskClient, auth: Auth) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON, tick=False):
        auth.login(make_user(Role.OFFICER, city=city))
        page = client.get(f"/cities/{city.slug}/completeness").get_data(as_text=True)
    assert "Completeness of Urgent Town, 2026/27" in page
    assert '<dd id="count-due">3</dd>' in page and '<dd id="count-overdue">2</dd>' in page


@pytest.mark.usefixtures("city")
def test_the_network_page_opens_on_the_period_overdue_in_any_city(
        app: Flask, db: Session, network: Any, make_city, make_user,  # type: ignore[no-untyped-def]
        client: FlaskClient, auth: Auth) -> None:
    later = make_city(network=network, name="Later Town", fiscal_year_start_month=7)
    add_windows(app, db, later, [(2027, 0)])  # only a window not yet open
    with time_machine.travel(NOON, tick=False):
        auth.login(make_user(Role.SECRETARIAT, network=network))
        page = client.get(f"/networks/{network.slug}/completeness").get_data(as_text=True)
    header = text_of(page.split('class="page-header__meta">')[1].split("</p>")[0])
    assert header == "Fiscal year starting in 2026"
    assert row_count(page, "Urgent Town") == 1 and "Later Town" in page


# ---------------------------------------------------------------- nothing due

def test_nothing_due_is_not_a_hundred_percent(app: Flask, db: Session, make_network,  # type: ignore[no-untyped-def]
                                              make_city, make_indicator, make_user,
                                              client: FlaskClient, auth: Auth) -> None:
    network = make_network()
    town = make_city(network=network, name="Annual Town", fiscal_year_start_month=7)
    make_indicator(town, "A-1")  # annual only: no quarter has anything due
    add_windows(app, db, town, [(2027, 1)])
    result = completeness.load_city(db, town, 2027, 1, TODAY)
    assert result.due == 0 and result.percent is None
    with time_machine.travel(NOON, tick=False):
        auth.login(make_user(Role.SECRETARIAT, network=network))
        page = client.get(f"/cities/{town.slug}/completeness?year=2027&quarter=1")
        cohort = client.get(f"/networks/{network.slug}/completeness?year=2027&quarter=1")
    city_page, network_page = page.get_data(as_text=True), cohort.get_data(as_text=True)
    assert text_of(city_page.split('<dd id="percent">')[1].split("</dd>")[0]) == "Nothing due"
    assert "100" not in city_page.split('id="summary-title"')[1].split("</dl>")[0]
    assert "Nothing due" in network_page and "100 %" not in network_page


# ---------------------------------------------------------------- a window not yet open

def test_the_form_of_a_window_not_yet_open_is_read_only(db: Session, city: Any,  # type: ignore[no-untyped-def]
                                                        make_user, client: FlaskClient,
                                                        auth: Auth) -> None:
    a_one = db.scalars(select(LocalIndicator).where(LocalIndicator.code == "A-1")).one()
    with time_machine.travel(NOON, tick=False):
        auth.login(make_user(Role.OFFICER, city=city))
        page = client.get(f"/cities/{city.slug}/data/2027").get_data(as_text=True)
        main = page.split('id="main"')[-1]
        assert "This window opens on Jul 1, 2028." in main
        assert "A-1" in main and "Save values" not in main and "Submit all drafts" not in main
        enabled = [tag for tag in re.findall(r"<(?:input|button|textarea|select)\b[^>]*>", main)
                   if "site-search" not in tag and "disabled" not in tag]
        assert enabled == []
        refused = client.post(f"/cities/{city.slug}/data/2027", data={
            f"c-{a_one.id}-0-value": "7", f"c-{a_one.id}-0-expected_version": ""})
        open_page = client.get(f"/cities/{city.slug}/data/2026").get_data(as_text=True)
    assert refused.status_code == 422
    assert "opens on 2028-07-01" in refused.get_data(as_text=True)
    db.expire_all()
    assert db.scalars(select(Observation).where(Observation.year == 2027)).all() == []
    assert "This window opens" not in open_page and "Save values" in open_page


# ---------------------------------------------------------------- the picker

def test_the_picker_shows_status_due_date_and_counts(city: Any, make_user,  # type: ignore[no-untyped-def]
                                                     client: FlaskClient, auth: Auth) -> None:
    with time_machine.travel(NOON, tick=False):
        auth.login(make_user(Role.OFFICER, city=city))
        page = client.get(f"/cities/{city.slug}/data").get_data(as_text=True)
    assert row_text(page, "period-2026-0") == "2026/27 overdue Sep 30, 2027 2 of 3 entered"
    assert row_text(page, "period-2027-1") == "2027/28 Q1 open Oct 31, 2027 0 of 1 entered"
    assert row_text(page, "period-2025-0") == "2025/26 closed Sep 30, 2026 3 of 3 entered"
    assert row_text(page, "period-2027-0") == (
        "2027/28 not yet open Sep 30, 2028 0 of 3 entered")
    assert row_text(page, "period-2023-0") == "2023/24 no window set — 0 of 3 entered"
    # the current fiscal year 2027/28 and the four before it, each with four quarters
    assert len(re.findall(r'<tr id="period-', page)) == 5 * 5
    urgent = text_of(page.split('id="most-urgent">')[1].split("</p>")[0])
    assert urgent == "Most urgent: 2026/27 overdue due on Sep 30, 2027 · 2 of 3 entered"
    assert f'<a href="/cities/{city.slug}/data/2026">2026/27</a>' in page


@pytest.mark.usefixtures("app_ctx")
def test_reports_say_nothing_due_not_a_hundred_percent(db: Session, network: Any,  # type: ignore[no-untyped-def]
                                                       make_city, make_indicator) -> None:
    town = make_city(network=network, name="Quarterly Town", fiscal_year_start_month=7)
    make_indicator(town, "Q-1", frequency="quarterly")  # no annual indicator: a year has none
    city = city_report_context(db, town, 2026)
    cohort = network_report_context(db, network, 2026)
    assert city["quality"]["completeness"]["percent"] is None
    for html in (render_city_html(city), render_summary_html(city),
                 render_network_html(cohort)):
        assert "Nothing due" in html and "100 %" not in html and "None %" not in html
