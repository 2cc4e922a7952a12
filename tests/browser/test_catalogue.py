"""A visitor browses the SDG catalogue and searches it."""

import re
from urllib.parse import urlencode

from playwright.sync_api import expect

from tests.browser.conftest import Tab

PM_TITLE = ("Annual mean levels of fine particulate matter (e.g. PM2.5 and PM10) in cities "
            "(population weighted)")
GOAL_11_TARGETS = ["11.1", "11.2", "11.3", "11.4", "11.5", "11.6", "11.7", "11.a", "11.b", "11.c"]


def search(tab: Tab, text: str) -> None:
    """Search from the header's search box."""
    banner = tab.page.get_by_role("banner")
    box = banner.get_by_role("searchbox", name="Search cities, plans, indicators and the SDGs")
    box.fill(text)
    box.press("Enter")
    tab.page.wait_for_url(tab.server("/search?" + urlencode({"q": text})))


def test_visitor_browses_goal_11_to_an_indicator_and_searches(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Goals", exact=True).click()
    expect(page).to_have_url(tab.server("/sdg/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Sustainable Development Goals")
    expect(page.get_by_role("list", name="Goals").get_by_role("link")).to_have_count(17)

    page.get_by_role("link", name=re.compile(r"^Goal 11\b")).click()
    expect(page).to_have_url(tab.server("/sdg/goals/11"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Make cities and human settlements")
    targets = page.get_by_role("heading", level=2, name=re.compile(r"^Target 11\."))
    expect(targets).to_have_count(len(GOAL_11_TARGETS))
    codes = [re.sub(r"^Target\s*", "", t.strip()) for t in targets.all_text_contents()]
    assert codes == GOAL_11_TARGETS

    indicator = page.get_by_role("link", name=re.compile(r"^11\.6\.2\b"))
    expect(indicator).to_have_count(1)
    expect(indicator).to_contain_text(PM_TITLE)
    indicator.click()
    expect(page).to_have_url(tab.server("/sdg/indicators/11.6.2"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicator 11.6.2")
    expect(page.get_by_text(PM_TITLE, exact=True)).to_be_visible()
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumbs.get_by_role("link", name="Target 11.6")).to_be_visible()

    search(tab, "11.6.2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    results = page.get_by_role("region", name="SDG indicators").get_by_role("link")
    expect(results).to_have_count(1)
    expect(results).to_contain_text(PM_TITLE)

    search(tab, "wastewater")
    expect(page.get_by_role("status")).to_contain_text("results for “wastewater”")
    results = page.get_by_role("region", name="SDG indicators").get_by_role("link")
    expect(results.filter(has_text=re.compile(r"^\s*6\.3\.1\b"))).to_have_count(1)
    titles = results.all_text_contents()
    assert titles and all("wastewater" in t.lower() for t in titles), titles
    results.filter(has_text="6.3.1").click()
    expect(page).to_have_url(tab.server("/sdg/indicators/6.3.1"))
