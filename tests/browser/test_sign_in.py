"""Signing in through the login form, editing one's own city, and being refused others."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Tab
from tracker.demo.data import DEMO_PASSWORD

OFFICER = "officer.ethekwini@demo.sdg-tracker.org"


def sign_in(tab: Tab, email: str, password: str) -> None:
    """Open the login page from the header and submit the form."""
    page = tab.page
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page).to_have_url(tab.server("/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def flash(page: Page) -> Locator:
    """The status message shown after an action."""
    return page.get_by_role("main").get_by_role("status").first


def test_officer_edits_own_city_and_is_refused_another(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    sign_in(tab, OFFICER, DEMO_PASSWORD)
    expect(page).to_have_url(tab.server("/home"))  # the officer's own home, not the public one
    expect(page.get_by_role("heading", level=1)).to_have_text("eThekwini")
    for section in ("Values returned to you", "Overdue periods", "Windows opening soon",
                    "Values to follow up", "Recent changes in eThekwini"):
        expect(page.get_by_role("heading", level=2, name=re.compile(section))).to_be_visible()
    expect(page.get_by_role("link", name="My home")).to_have_attribute("aria-current", "page")
    expect(flash(page)).to_contain_text(f"Signed in as {OFFICER}")
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {OFFICER}")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cities").click()
    page.get_by_role("main").get_by_role("link", name="eThekwini", exact=True).click()
    expect(page).to_have_url(tab.server("/cities/ethekwini"))
    page.get_by_role("link", name=re.compile(r"^Edit profile")).click()
    expect(page).to_have_url(tab.server("/cities/ethekwini/edit"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit eThekwini")

    population = page.get_by_label("Population", exact=True)
    expect(population).to_have_value("3300000")
    population.fill("3456789")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(tab.server("/cities/ethekwini"))
    expect(flash(page)).to_contain_text("eThekwini saved.")
    population_row = page.get_by_role("term").filter(has_text="Population").locator("xpath=..")
    expect(population_row.get_by_role("definition")).to_contain_text("3,456,789")

    tab.console.allow_status(403)  # Chromium logs the refused page's status as an error
    tab.goto("/cities/helsinki/edit", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to see or change this.")
    expect(page.get_by_label("Name", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(tab.server("/"))
    expect(flash(page)).to_contain_text("Signed out, on every device.")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_wrong_password_shows_an_error_and_stays_on_the_login_page(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    tab.console.allow_status(422)  # a refused sign-in answers 422; Chromium logs it as an error
    sign_in(tab, OFFICER, "not-the-password")
    expect(page).to_have_url(tab.server("/login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("The email or password is not correct.").first).to_be_visible()
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email")).to_have_value(OFFICER)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
