"""An officer's home after sign-in: their city, the tasks waiting (returned values, overdue
periods, follow-ups), windows opening soon and recent changes; other roles land sensibly.
Every count below is worked out by hand from the fixture."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth
from tracker.auth.models import Role, User
from tracker.cities.models import City
from tracker.data.models import (
    Observation,
    ObservationChange,
    ObservationStatus,
    ReportingWindow,
)
from tracker.main.queries import load_home

TODAY = date.today()
RETURNED, SUBMITTED, APPROVED, DRAFT = (ObservationStatus.RETURNED, ObservationStatus.SUBMITTED,
                                        ObservationStatus.APPROVED, ObservationStatus.DRAFT)


@dataclass
class Town:
    """City A with its officer, and city B whose tasks must never show in A's home."""

    city: City
    officer: User
    other: City


def cell(db: Session, indicator, year: int, status: ObservationStatus, **kwargs) -> Observation:  # type: ignore[no-untyped-def]
    """Store a value directly (the home only reads)."""
    obs = Observation(indicator_id=indicator.id, year=year, value=Decimal(kwargs.pop("value", 5)),
                      status=status, **kwargs)
    db.add(obs)
    db.flush()
    return obs


@pytest.fixture
def town(db: Session, make_city, make_user, make_indicator) -> Town:  # type: ignore[no-untyped-def]
    """City A: two annual indicators and a quarterly one; windows for 2023 (all approved),
    2024 (one due indicator not submitted: overdue), one opening in 10 days, one in 60 days
    and one open now; a returned value, a deleted returned value, a follow-up flag and 12
    changes. City B holds a returned value and a change of its own."""
    city, other = make_city(name="Ashford"), make_city(name="Bexley")
    officer = make_user(Role.OFFICER, city=city)
    annual1 = make_indicator(city, "A-1", unit_kind="count")
    annual2 = make_indicator(city, "A-2")
    quarterly = make_indicator(city, "A-Q", frequency="quarterly")
    foreign = make_indicator(other, "B-1")
    past = TODAY - timedelta(days=100)
    for year in (2023, 2024):
        db.add(ReportingWindow(city_id=city.id, year=year, opens_on=past - timedelta(days=30),
                               due_on=past))
    db.add(ReportingWindow(city_id=city.id, year=2030, opens_on=TODAY + timedelta(days=10),
                           due_on=TODAY + timedelta(days=70)))
    db.add(ReportingWindow(city_id=city.id, year=2031, opens_on=TODAY + timedelta(days=60),
                           due_on=TODAY + timedelta(days=90)))
    db.add(ReportingWindow(city_id=city.id, year=2029, opens_on=TODAY - timedelta(days=5),
                           due_on=TODAY + timedelta(days=5)))
    db.add(ReportingWindow(city_id=other.id, year=2024, opens_on=past - timedelta(days=30),
                           due_on=past))
    cell(db, annual1, 2023, APPROVED)
    cell(db, annual2, 2023, APPROVED)
    cell(db, annual1, 2024, SUBMITTED)
    cell(db, annual2, 2024, DRAFT)
    cell(db, quarterly, 2024, DRAFT, quarter=1)  # quarterly: not due for the year's window
    cell(db, annual2, 2022, RETURNED, return_reason="Check the source")
    cell(db, annual1, 2021, RETURNED, is_deleted=True)
    flagged = cell(db, annual1, 2022, DRAFT, follow_up=True, warning_note="A new school opened")
    cell(db, foreign, 2022, RETURNED, return_reason="Not ours")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(12):
        db.add(ObservationChange(observation_id=flagged.id, at=start + timedelta(hours=n),
                                 action="update", old_value=str(n), new_value=str(n + 1)))
    foreign_cell = cell(db, foreign, 2020, DRAFT)
    db.add(ObservationChange(observation_id=foreign_cell.id, at=start + timedelta(days=9),
                             action="create", new_value="999"))
    db.commit()
    return Town(city, officer, other)


@pytest.mark.usefixtures("app_ctx")
def test_the_home_reads_the_tasks_of_the_officers_city(db: Session, town: Town,
                                                       count_queries) -> None:  # type: ignore[no-untyped-def]
    assert town.city.name  # loaded again after the fixture's commit, before counting
    with count_queries() as queries:
        home = load_home(db, town.city, TODAY)
    # 1 returned (the deleted one and city B's do not count); 2024 overdue with 1 of its
    # 2 annual indicators not submitted (2023 all approved; the quarterly one is not due);
    # only the window opening in 10 days is soon; one follow-up; the 10 newest of 12 changes.
    assert [(t.indicator.code, t.cell.year) for t in home.returned] == [("A-2", 2022)]
    assert [(t.window.year, t.missing) for t in home.overdue] == [(2024, 1)]
    assert [t.window.year for t in home.opening] == [2030]
    assert [(t.indicator.code, t.cell.year) for t in home.follow_ups] == [("A-1", 2022)]
    assert [c.change.new_value for c in home.changes] == [str(n) for n in range(12, 2, -1)]
    assert home.task_count == 3
    assert queries() == 7  # windows, indicators, done totals, returned, follow-ups (+1), changes


def test_sign_in_lands_an_officer_on_their_home(client: FlaskClient, auth: Auth,
                                                town: Town) -> None:
    response = auth.login(town.officer)
    assert response.headers["Location"] == "/home"
    page = client.get("/home").get_data(as_text=True)
    assert "Ashford" in page and "Bexley" not in page
    assert "3 tasks wait for you." in page
    assert "Check the source" in page and "Not ours" not in page
    assert "A new school opened" in page
    assert "999" not in page  # city B's change


def test_sign_in_respects_next(client: FlaskClient, town: Town) -> None:
    response = client.post("/login?next=/cities/", data={"email": town.officer.email,
                                                          "password": "correct-horse-battery"})
    assert response.headers["Location"] == "/cities/"


def test_other_roles_land_where_their_work_is(client: FlaskClient, auth: Auth, make_user,  # type: ignore[no-untyped-def]
                                              make_network) -> None:
    network = make_network(slug="net-home")
    assert client.get("/home").status_code == 302  # visitors sign in first
    assert "/login" in client.get("/home").headers["Location"]
    auth.login(make_user(Role.SECRETARIAT, network=network))
    assert client.get("/home").headers["Location"] == "/networks/net-home/completeness"
    auth.logout()
    auth.login(make_user(Role.REVIEWER, network=network))
    assert client.get("/home").headers["Location"] == "/networks/net-home"
    auth.logout()
    auth.login(make_user(Role.ADMIN))
    page = client.get("/home").get_data(as_text=True)
    assert "/users/" in page and "/networks/" in page
