"""Completeness of a period (due, entered, submitted, approved, returned, overdue) and the
reporting windows secretariats set, with a fixed number of queries per network."""

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
from tracker.audit.models import AuditEvent
from tracker.auth.models import Role
from tracker.data import completeness
from tracker.data.models import MissingReason, Observation, ObservationStatus, ReportingWindow
from tracker.data.windows import (
    WindowError,
    WindowIn,
    list_network_windows,
    set_city_window,
    set_network_windows,
)

WINDOW_2024 = WindowIn(year=2024, quarter=0, opens_on=date(2025, 1, 1),
                       due_on=date(2025, 3, 31))


def put(app: Flask, db: Session, indicator: Any, status: str = "draft", year: int = 2024,
        quarter: int = 0, key: str = "", deleted: bool = False,
        reason: MissingReason | None = None) -> Observation:
    """Store one cell directly, in the given status."""
    with boundary(app, db):
        cell = Observation(indicator_id=indicator.id, year=year, quarter=quarter,
                           breakdown={"sex": key} if key else {},
                           breakdown_key=f"sex={key}" if key else "",
                           value=None if reason else Decimal("1"), missing_reason=reason,
                           status=ObservationStatus(status), is_deleted=deleted)
        db.add(cell)
        db.flush()
    return cell


def set_window(app: Flask, db: Session, city: Any, window_in: WindowIn = WINDOW_2024
               ) -> ReportingWindow:
    """Set a city's window in a unit of work."""
    with boundary(app, db):
        return set_city_window(session=db, city=city, window_in=window_in, user_id=None)


@pytest.fixture
def city_data(app: Flask, db: Session, make_network, make_city, make_indicator  # type: ignore[no-untyped-def]
              ) -> dict[str, Any]:
    """A calendar-year city with annual indicators in every state for 2024, a quarterly and
    a retired indicator, and a window due on 31 March 2025."""
    city = make_city(network=make_network())
    sex = [{"name": "sex", "values": ["female", "male"]}]
    inds = {code: make_indicator(city, code, dimensions=sex)
            for code in ("A-DRAFT", "A-SUB", "A-APP", "A-RET", "A-NONE", "A-GONE", "A-PART",
                         "A-WHY")}
    inds["Q-1"] = make_indicator(city, "Q-1", frequency="quarterly")
    inds["R-1"] = make_indicator(city, "R-1")
    with boundary(app, db):
        inds["R-1"].is_retired = True
        db.add(inds["R-1"])
    put(app, db, inds["A-DRAFT"])
    put(app, db, inds["A-SUB"], "submitted")
    put(app, db, inds["A-APP"], "approved")
    put(app, db, inds["A-RET"], "returned")
    put(app, db, inds["A-GONE"], deleted=True)  # a deleted value is not entered
    put(app, db, inds["A-PART"], key="female")  # a breakdown alone is not the total
    put(app, db, inds["A-WHY"], reason=MissingReason.NOT_AVAILABLE)  # a reason counts
    put(app, db, inds["A-NONE"], year=2023)  # another year does not count
    put(app, db, inds["Q-1"], "approved", quarter=2)
    put(app, db, inds["R-1"], "approved")
    set_window(app, db, city)
    return {"city": city, "indicators": inds}


def states(result: completeness.Completeness) -> dict[str, tuple[str, bool]]:
    """Return each due indicator's state and overdue flag, by code."""
    return {row.indicator.code: (row.state, row.overdue) for row in result.rows}


def test_counts_a_fiscal_year(city_data: dict[str, Any], db: Session) -> None:
    result = completeness.load_city(db, city_data["city"], 2024, 0, today=date(2025, 3, 31))
    assert [row.indicator.code for row in result.rows] == [
        "A-APP", "A-DRAFT", "A-GONE", "A-NONE", "A-PART", "A-RET", "A-SUB", "A-WHY"]
    assert (result.due, result.entered, result.count("submitted"), result.count("approved"),
            result.count("returned"), result.count("not_entered")) == (8, 5, 1, 1, 1, 3)
    assert result.count("draft") == 2  # A-DRAFT and the reason of A-WHY
    assert result.overdue == 0  # due today: not yet overdue
    assert result.percent == 25  # 2 of 8 submitted or approved
    assert result.window is not None and result.window.due_on == date(2025, 3, 31)
    assert result.label == "2024"


def test_overdue_after_the_due_date(city_data: dict[str, Any], db: Session) -> None:
    result = completeness.load_city(db, city_data["city"], 2024, 0, today=date(2025, 4, 1))
    overdue = {code for code, (_state, late) in states(result).items() if late}
    assert overdue == {"A-DRAFT", "A-RET", "A-NONE", "A-GONE", "A-PART", "A-WHY"}
    assert result.overdue == 6


def test_no_window_means_nothing_overdue(city_data: dict[str, Any], db: Session) -> None:
    result = completeness.load_city(db, city_data["city"], 2023, 0, today=date(2030, 1, 1))
    assert result.window is None and result.overdue == 0
    assert states(result)["A-NONE"] == ("draft", False)


def test_quarters_count_quarterly_indicators_only(city_data: dict[str, Any],
                                                  db: Session) -> None:
    second = completeness.load_city(db, city_data["city"], 2024, 2, today=date(2025, 4, 1))
    assert states(second) == {"Q-1": ("approved", False)} and second.percent == 100
    first = completeness.load_city(db, city_data["city"], 2024, 1)
    assert states(first) == {"Q-1": ("not_entered", False)} and first.percent == 0


def test_overdue_uses_todays_utc_date(city_data: dict[str, Any], db: Session) -> None:
    with time_machine.travel("2025-04-01 00:30 +00:00", tick=False):
        assert completeness.load_city(db, city_data["city"], 2024, 0).overdue == 6
    with time_machine.travel("2025-03-31 23:30 +00:00", tick=False):
        assert completeness.load_city(db, city_data["city"], 2024, 0).overdue == 0


# ---------------------------------------------------------------- windows

@pytest.mark.parametrize(("window_in", "field", "words"), [
    (WindowIn(2024, 0, date(2025, 4, 1), date(2025, 3, 31)), "due_on", "Due on"),
    (WindowIn(1949, 0, date(2025, 1, 1), date(2025, 3, 31)), "year", "Year"),
    (WindowIn(2101, 0, date(2025, 1, 1), date(2025, 3, 31)), "year", "Year"),
    (WindowIn(2024, 5, date(2025, 1, 1), date(2025, 3, 31)), "quarter", "Quarter"),
    (WindowIn(2024, -1, date(2025, 1, 1), date(2025, 3, 31)), "quarter", "Quarter"),
])
@pytest.mark.usefixtures("app_ctx")
def test_bad_windows_are_refused_naming_the_field(db: Session, make_city,  # type: ignore[no-untyped-def]
                                                  window_in: WindowIn, field: str,
                                                  words: str) -> None:
    city = make_city()
    with pytest.raises(WindowError) as refused:
        set_city_window(session=db, city=city, window_in=window_in, user_id=None)
    assert refused.value.field == field and str(refused.value).startswith(words)
    assert db.scalars(select(ReportingWindow)).all() == []


def test_a_one_day_window_is_allowed(app: Flask, db: Session, make_city) -> None:  # type: ignore[no-untyped-def]
    window = set_window(app, db, make_city(), WindowIn(2024, 1, date(2025, 1, 1),
                                                       date(2025, 1, 1)))
    assert window.id is not None and window.quarter == 1


def test_setting_again_moves_the_dates_and_keeps_history(app: Flask, db: Session, make_city,  # type: ignore[no-untyped-def]
                                                         make_user) -> None:
    city = make_city()
    user = make_user(Role.ADMIN)
    first = set_window(app, db, city)
    with boundary(app, db):
        later = WindowIn(2024, 0, date(2025, 1, 1), date(2025, 4, 30))
        second = set_city_window(session=db, city=city, window_in=later, user_id=user.id)
    assert second.id == first.id and second.due_on == date(2025, 4, 30)
    assert second.updated_by_id == user.id
    set_window(app, db, city, later)  # the same dates again: nothing to record
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "ReportingWindow")
                        .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes == {"due_on": ["2025-03-31", "2025-04-30"]}
    assert events[1].city_id == city.id and events[1].user_id == user.id


def test_a_network_window_reaches_every_member_city_only(app: Flask, db: Session,  # type: ignore[no-untyped-def]
                                                         make_network, make_city) -> None:
    network, other = make_network(), make_network()
    members = [make_city(network=network, name=f"Member {n}") for n in range(3)]
    outsider = make_city(network=other)
    set_window(app, db, members[0], WindowIn(2024, 0, date(2024, 12, 1), date(2025, 2, 1)))
    with boundary(app, db):
        made = set_network_windows(session=db, network=network, window_in=WINDOW_2024,
                                   user_id=None)
    assert sorted(w.city_id for w in made) == sorted(c.id for c in members)
    listed = list_network_windows(db, network)
    assert {(w.city_id, w.opens_on, w.due_on) for w, _city in listed} == {
        (c.id, date(2025, 1, 1), date(2025, 3, 31)) for c in members}
    assert db.scalars(select(ReportingWindow).where(
        ReportingWindow.city_id == outsider.id)).all() == []


# ---------------------------------------------------------------- pages and queries

def network_of(app: Flask, db: Session, make_network, make_city, make_indicator,  # type: ignore[no-untyped-def]
               size: int) -> Any:
    """A network of `size` cities, each with two annual indicators, one of them entered."""
    network = make_network()
    for n in range(size):
        city = make_city(network=network, name=f"Town {n:02d}")
        first = make_indicator(city, "W-1")
        make_indicator(city, "W-2")
        put(app, db, first, "submitted" if n % 2 else "draft")
        set_window(app, db, city)
    return network


@pytest.mark.parametrize("path", ["/networks/{slug}/completeness?year=2024",
                                  "/networks/{slug}/completeness"])
def test_the_network_page_runs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
        app: Flask, db: Session, make_network, make_city, make_indicator, make_user,
        client: FlaskClient, auth: Auth, count_queries, path: str) -> None:
    counts, pages = [], []
    for size in (2, 6):
        network = network_of(app, db, make_network, make_city, make_indicator, size)
        auth.login(make_user(Role.SECRETARIAT, network=network))
        with count_queries() as queries:  # the windows were due on 31 March 2025
            page = client.get(path.format(slug=network.slug))
        assert page.status_code == 200
        counts.append(queries())
        pages.append(page.get_data(as_text=True))
        auth.logout()
    assert counts[0] == counts[1], counts
    assert pages[1].count("Town ") == 6
    assert pages[1].count(">50 %<") == 3 and pages[1].count(">0 %<") == 3
    assert pages[1].count('class="badge badge--error">2<') == 3  # the draft towns
    assert pages[1].count('class="badge badge--error">1<') == 3  # W-2, never entered


def test_the_city_page_shows_counts_badges_and_links(city_data: dict[str, Any],  # type: ignore[no-untyped-def]
                                                     make_user, client: FlaskClient,
                                                     auth: Auth) -> None:
    city = city_data["city"]
    auth.login(make_user(Role.OFFICER, city=city))
    page = client.get(f"/cities/{city.slug}/completeness").get_data(as_text=True)
    assert "Completeness of" in page and "2024" in page  # the latest year with a window
    assert '<dd id="count-due">8</dd>' in page and '<dd id="count-overdue">6</dd>' in page
    assert '<dd id="count-entered">5</dd>' in page and '<dd id="percent">25 %</dd>' in page
    assert f'href="/cities/{city.slug}/indicators/A-SUB/data"' in page
    assert page.count(">overdue<") == 6 + 1  # each late indicator, and the period itself
    assert "opens 2025-01-01, due 2025-03-31" in page
    assert "Set windows" not in page  # officers only read the windows
    quarter = client.get(f"/cities/{city.slug}/completeness?year=2024&quarter=2")
    assert '<dd id="count-due">1</dd>' in quarter.get_data(as_text=True)
    bad = client.get(f"/cities/{city.slug}/completeness?year=20x4&quarter=9")
    assert bad.status_code == 422 and "Not a valid" in bad.get_data(as_text=True)
