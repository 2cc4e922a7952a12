"""An officer opens the data-entry picker: the overdue period comes first, with its status and
due date, ahead of a later window not yet open; that later period's form is read-only and
says when it opens (issue 15, item 2)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.browser.conftest import LiveServer, Tab
from tests.browser.test_sign_in import sign_in
from tracker.cities.models import City
from tracker.data.windows import WindowIn, set_city_window
from tracker.demo.data import DEMO_PASSWORD
from tracker.indicators.models import LocalIndicatorCreate
from tracker.indicators.services import create_indicator

OFFICER = "officer.bhavnagar@demo.sdg-tracker.org"  # April fiscal years: "2025/26"
TODAY = date.today()
THIS_YEAR = TODAY.year if TODAY.month >= 4 else TODAY.year - 1
LATE, LATER = THIS_YEAR - 1, THIS_YEAR + 1
LATE_DUE = TODAY - timedelta(days=10)
LATER_OPENS = TODAY + timedelta(days=200)


def label(year: int) -> str:
    """Name an April fiscal year as the tracker does ("2025/26")."""
    return f"{year}/{(year + 1) % 100:02d}"


def day_text(day: date) -> str:
    """Write a day as English's medium date format does ("Jul 1, 2028")."""
    return f"{day:%b} {day.day}, {day.year}"


@pytest.fixture
def windows(live_server: LiveServer) -> None:
    """Give Bhavnagar an annual indicator never entered, a window of last fiscal year due
    ten days ago and one of next fiscal year opening in 200 days."""
    app = live_server.app
    engine = app.extensions["tracker_db"].engine
    with app.app_context(), Session(engine) as session:
        city = session.exec(select(City).where(City.slug == "bhavnagar")).one()
        create_indicator(session=session, city=city, user_id=None, indicator_in=(
            LocalIndicatorCreate(code="PICK-1", name="Picker indicator", unit_kind="count",
                                 direction="higher")))
        for year, opens, due in ((LATE, LATE_DUE - timedelta(days=60), LATE_DUE),
                                 (LATER, LATER_OPENS, LATER_OPENS + timedelta(days=90))):
            set_city_window(session=session, city=city, user_id=None,
                            window_in=WindowIn(year, 0, opens, due))
        session.commit()


@pytest.mark.usefixtures("windows")
def test_the_picker_leads_to_the_overdue_period_and_a_future_form_is_read_only(
        tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    sign_in(tab, OFFICER, DEMO_PASSWORD)
    tab.goto("/cities/bhavnagar/data")
    main = page.get_by_role("main")
    urgent = main.locator("#most-urgent")
    expect(urgent).to_contain_text(f"Most urgent: {label(LATE)} overdue due on "
                                   f"{day_text(LATE_DUE)}")
    late_row = main.get_by_role("row").filter(has_text=label(LATE)).first
    expect(late_row).to_contain_text("overdue")
    expect(main.get_by_role("row").filter(has_text=label(LATER)).first).to_contain_text(
        "not yet open")

    urgent.get_by_role("link", name=label(LATE)).click()
    expect(main.get_by_role("heading", level=1)).to_have_text(f"Values for {label(LATE)}")
    expect(main.locator("#period-standing")).to_contain_text(
        f"overdue due on {day_text(LATE_DUE)}")

    tab.goto(f"/cities/bhavnagar/data/{LATER}")
    expect(main).to_contain_text(f"This window opens on {day_text(LATER_OPENS)}.")
    expect(main.get_by_text("PICK-1", exact=True)).to_be_visible()
    expect(main.get_by_role("textbox")).to_have_count(0)
    expect(main.get_by_role("button", name="Save values")).to_have_count(0)
