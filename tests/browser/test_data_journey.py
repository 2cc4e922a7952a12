"""An officer fills a period form, confirms an outlier with a note and submits every draft; a
network secretariat returns one value, the officer fixes and resubmits it, the secretariat
approves it, and the cell's history shows every step (issue 4, done-when)."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from tests.browser.conftest import LiveServer, Tab
from tests.browser.test_sign_in import sign_in
from tracker.cities.models import City
from tracker.data.models import Observation, ObservationStatus
from tracker.demo.data import DEMO_PASSWORD
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator

OFFICER = "officer.helsinki@demo.sdg-tracker.org"
SECRETARIAT = "secretariat.gcom@demo.sdg-tracker.org"  # Helsinki is in GCoM
YEAR = 2016  # Helsinki's fiscal year is the calendar year: the period is named "2016"
FORM = f"/cities/helsinki/data/{YEAR}"


def main(page: Page):  # type: ignore[no-untyped-def]
    """The page's main region."""
    return page.get_by_role("main")


@pytest.fixture
def indicators(live_server: LiveServer) -> None:
    """Define three annual Helsinki indicators; the first has five past years of values."""
    app = live_server.app
    engine = app.extensions["tracker_db"].engine
    with app.app_context(), Session(engine) as session:
        city = session.exec(select(City).where(City.slug == "helsinki")).one()
        for code, kwargs in (("JRN-1", {"unit_kind": "count"}),
                             ("JRN-2", {"unit_kind": "percent"}),
                             ("JRN-3", {"unit_kind": "count", "sums_to_total": True,
                                        "dimensions": [{"name": "sex",
                                                        "values": ["female", "male"]}]})):
            create_indicator(session=session, city=city, user_id=None,
                             indicator_in=LocalIndicatorCreate(
                                 code=code, name=f"Journey indicator {code}",
                                 direction="higher", **kwargs))
        first = session.exec(select(LocalIndicator).where(LocalIndicator.code == "JRN-1")).one()
        session.add_all(Observation(indicator_id=first.id, year=year, value=Decimal(value))  # type: ignore[arg-type]
                        for year, value in zip(range(YEAR - 5, YEAR),
                                               ("100", "104", "98", "101", "103"), strict=True))
        session.commit()


def status_of(live_server: LiveServer, code: str, key: str = "") -> ObservationStatus:
    """Return the stored status of a journey cell."""
    engine = live_server.app.extensions["tracker_db"].engine
    with Session(engine) as session:
        return session.exec(select(Observation.status).join(
            LocalIndicator, LocalIndicator.id == Observation.indicator_id).where(  # type: ignore[arg-type]
            LocalIndicator.code == code, Observation.year == YEAR,
            Observation.breakdown_key == key)).one()


def switch_user(tab: Tab, email: str) -> None:
    """Sign out whoever is signed in, then sign in as `email`."""
    tab.goto("/")
    sign_out = tab.page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    sign_in(tab, email, DEMO_PASSWORD)


def review(tab: Tab, action: str, reason: str = "") -> None:
    """Approve or return JRN-2's value of the year on its grid."""
    tab.goto("/cities/helsinki/indicators/JRN-2/data")
    cell = tab.page.locator(f"#cell-{YEAR}-0-0")
    if reason:
        cell.locator(f"#cell-{YEAR}-0-0-{action}-reason").fill(reason)
    cell.get_by_role("button", name=action.capitalize(), exact=True).click()


def fill_and_confirm(tab: Tab) -> None:
    """As the officer, fill the period form; confirm the outlier the save holds back."""
    page = tab.page
    tab.goto(FORM)
    tab.console.allow_status(422)  # the held-back outlier makes the save answer 422 (refused)
    expect(main(page).get_by_role("heading", level=1)).to_contain_text(f"Values for {YEAR}")
    values = {"JRN-1 · Total": "400", "JRN-2 · Total": "40", "JRN-3 · Total": "10",
              "JRN-3 · female": "4", "JRN-3 · male": "6"}
    for label, value in values.items():
        main(page).get_by_label(label, exact=True).fill(value)
    main(page).get_by_label("JRN-3 · male", exact=True).press("Enter")  # submits the form

    expect(main(page)).to_contain_text("Saved 4 values.")
    expect(main(page).get_by_role("alert")).to_contain_text(
        f"JRN-1 · {YEAR} · Total: 400 is unusual")
    expect(main(page).get_by_label("JRN-1 · Total", exact=True)).to_have_value("400")
    note = main(page).get_by_label("Why this value stands (JRN-1 · Total)")
    expect(note).to_be_focused()  # the first refused cell takes the focus
    note.fill("A new district joined the city")
    main(page).get_by_role("button", name="Save values").click()
    expect(main(page)).to_contain_text("Saved 1 value.")
    expect(main(page)).to_contain_text("Why it stands: A new district joined the city")


def fix_and_resubmit(tab: Tab) -> None:
    """As the officer, correct the returned value on the period form and submit it again."""
    page = tab.page
    tab.goto(FORM)
    expect(main(page)).to_contain_text("Returned: The survey gives 42 %")
    main(page).get_by_label("JRN-2 · Total", exact=True).fill("42")
    main(page).get_by_role("button", name="Save values").click()
    expect(main(page)).to_contain_text("Saved 1 value.")
    submit_all(tab, "Submitted 1 value for review.")


def submit_all(tab: Tab, message: str) -> None:
    """Submit every draft of the period from its form."""
    main(tab.page).get_by_role("button", name="Submit all drafts for this period").click()
    expect(main(tab.page)).to_contain_text(message)


def check_history(tab: Tab) -> None:
    """Open the cell's history from the grid: every step, who took it, and the reasons."""
    page = tab.page
    page.locator(f"#cell-{YEAR}-0-0").get_by_role("link", name="History").click()
    rows = main(page).locator("tbody tr")
    expect(rows).to_have_count(6)
    steps = [("create", OFFICER, "— → 40"), ("submit", OFFICER, ""),
             ("return", SECRETARIAT, "The survey gives 42 %"), ("update", OFFICER, "40 → 42"),
             ("submit", OFFICER, ""), ("approve", SECRETARIAT, "")]
    for row, (action, who, text) in enumerate(steps):
        expect(rows.nth(row)).to_contain_text(action)
        expect(rows.nth(row)).to_contain_text(who)
        if text:
            expect(rows.nth(row)).to_contain_text(text)


@pytest.mark.usefixtures("indicators")
def test_a_period_goes_through_entry_and_review(tab: Tab, live_server: LiveServer) -> None:
    page = tab.page
    switch_user(tab, OFFICER)
    fill_and_confirm(tab)
    submit_all(tab, "Submitted 5 values for review.")
    assert status_of(live_server, "JRN-1") == ObservationStatus.SUBMITTED

    switch_user(tab, SECRETARIAT)
    tab.goto(FORM)
    expect(main(page)).to_contain_text("JRN-2")
    expect(main(page).get_by_label("JRN-2 · Total", exact=True)).to_have_count(0)  # reads only
    review(tab, "return", "The survey gives 42 %")
    expect(main(page)).to_contain_text("returned to the city")
    assert status_of(live_server, "JRN-2") == ObservationStatus.RETURNED

    switch_user(tab, OFFICER)
    fix_and_resubmit(tab)

    switch_user(tab, SECRETARIAT)
    review(tab, "approve")
    expect(main(page)).to_contain_text("approved and locked")
    assert status_of(live_server, "JRN-2") == ObservationStatus.APPROVED
    check_history(tab)
