"""Keyboard use and form labels."""

from playwright.sync_api import expect

from tests.browser.conftest import Tab


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 1, f"skip link not shown: {box}"

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    assert page.evaluate("location.hash") == "#main"


def test_login_fields_have_accessible_labels(tab: Tab) -> None:
    page = tab.page
    tab.goto("/login")
    email = page.get_by_label("Email")
    password = page.get_by_label("Password")
    expect(email).to_have_attribute("name", "email")
    expect(password).to_have_attribute("name", "password")
    expect(password).to_have_attribute("type", "password")
    expect(page.get_by_role("searchbox",
                           name="Search cities, plans, indicators and the SDGs")).to_be_visible()
    email.focus()
    page.keyboard.type("someone@example.org")
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
