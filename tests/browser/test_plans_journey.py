"""An officer registers a plan, builds and aligns its tree, defines a local indicator, and the
coverage strip and the API reflect it (issue 3, done-when)."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.test_sign_in import sign_in
from tracker.demo.data import DEMO_PASSWORD

OFFICER = "officer.helsinki@demo.sdg-tracker.org"
PLAN = "Baltic Sea Challenge action plan"


def main(page: Page):  # type: ignore[no-untyped-def]
    """The page's main region."""
    return page.get_by_role("main")


def register_plan(tab: Tab) -> str:
    """Register a plan with three levels; return its address."""
    page = tab.page
    tab.goto("/cities/helsinki/plans/")
    main(page).get_by_role("link", name="Register a plan").click()
    page.get_by_label("Kind of plan").select_option(label="Sector plan")
    page.get_by_label("Title").fill(PLAN)
    page.get_by_label("First year").fill("2024")
    page.get_by_label("Last year").fill("2028")
    page.get_by_label("Level names").fill("Theme › Measure › Action")
    main(page).get_by_role("button", name="Register plan").click()
    expect(main(page).get_by_role("heading", level=1)).to_contain_text(PLAN)
    return page.url.split("?")[0]


def add_element(tab: Tab, plan_url: str, code: str, title: str, parent: str | None) -> None:
    """Add an element under a parent chosen by its label in the 'Under' list."""
    page = tab.page
    page.goto(plan_url)
    main(page).get_by_role("link", name="Add an element").click()
    page.get_by_label("Code").fill(code)
    page.get_by_label("Title").fill(title)
    if parent:
        page.get_by_label("Under").select_option(label=parent)
    main(page).get_by_role("button", name="Add element").click()
    expect(main(page)).to_contain_text(title)


def align(tab: Tab, plan_url: str, code: str, title: str, target: str) -> None:
    """Align an element to an SDG target through the picker."""
    page = tab.page
    page.goto(plan_url)
    main(page).get_by_role("link", name=f"{code} {title}", exact=True).click()
    main(page).get_by_label("Words or a code").fill(target)
    main(page).get_by_role("button", name="Search", exact=True).click()
    main(page).get_by_role("button", name=f"Align {code} to {target}", exact=True).click()
    expect(main(page)).to_contain_text(target)


def define_indicator(tab: Tab) -> None:
    """Define an indicator with a baseline, two targets and a sex disaggregation."""
    page = tab.page
    tab.goto("/cities/helsinki/indicators/new")
    page.get_by_label("Code", exact=True).fill("HEL-SEA-1")
    page.get_by_label("Name", exact=True).fill("Residents who use the seashore weekly")
    page.get_by_label("Unit", exact=True).select_option(label="Percent (%)")
    page.get_by_label("Direction", exact=True).select_option(label="Higher is better")
    page.get_by_label("Baseline year").fill("2020")
    page.get_by_label("Baseline value").fill("40")
    for row, (year, value, label) in enumerate([("2025", "55", "Strategy"),
                                                ("2030", "70", "SDG")]):
        page.locator(f'[name="targets-{row}-year"]').fill(year)
        page.locator(f'[name="targets-{row}-value"]').fill(value)
        page.locator(f'[name="targets-{row}-label"]').fill(label)
    page.locator('[name="dimensions-0-name"]').fill("sex")
    page.locator('[name="dimensions-0-values"]').fill("female, male")
    main(page).get_by_role("button", name="Define indicator").click()
    expect(main(page).get_by_role("heading", level=1)).to_contain_text("seashore")
    tab.goto("/cities/helsinki/indicators/HEL-SEA-1/alignments?q=14.1.1")
    main(page).get_by_label("14.1.1").check()
    main(page).get_by_role("button", name="Align", exact=True).click()
    expect(main(page)).to_contain_text("14.1.1")


def test_officer_builds_an_aligned_plan_and_an_indicator(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    sign_in(tab, OFFICER, DEMO_PASSWORD)
    tab.goto("/cities/helsinki/coverage")
    goal_14 = page.locator(".coverage-goal").nth(13)
    expect(goal_14).to_have_attribute("data-state", "none")

    plan_url = register_plan(tab)
    add_element(tab, plan_url, "1", "Clean Baltic Sea", None)
    add_element(tab, plan_url, "1.1", "Cut nutrient loads", "— 1 · Clean Baltic Sea")
    add_element(tab, plan_url, "1.1.1", "Storm-water wetlands", "— — 1.1 · Cut nutrient loads")
    align(tab, plan_url, "1.1.1", "Storm-water wetlands", "14.1")
    align(tab, plan_url, "1", "Clean Baltic Sea", "14.2")
    page.goto(plan_url)
    expect(main(page)).to_contain_text("Action")  # the third level's own name

    tab.goto("/cities/helsinki/coverage")
    expect(page.locator(".coverage-goal").nth(13)).to_have_attribute("data-state", "plans")
    define_indicator(tab)
    tab.goto("/cities/helsinki/coverage")
    expect(page.locator(".coverage-goal").nth(13)).to_have_attribute("data-state", "both")

    plans = page.request.get(tab.server("/api/v1/cities/helsinki/plans?per_page=100")).json()
    plan = next(p for p in plans["items"] if p["title"] == PLAN)
    top = plan["elements"][0]
    assert top["code"] == "1" and top["children"][0]["children"][0]["code"] == "1.1.1"
    assert top["children"][0]["children"][0]["alignments"][0]["sdg_code"] == "14.1"
    body = page.request.get(tab.server("/api/v1/cities/helsinki/indicators?per_page=100")).json()
    ind = next(i for i in body["items"] if i["code"] == "HEL-SEA-1")
    assert [t["year"] for t in ind["targets"]] == [2025, 2030]
    assert ind["dimensions"][0]["values"] == ["female", "male"]
    assert ind["baseline"]["year"] == 2020 and ind["baseline"]["value"] == "40"
    assert ind["sdg_alignments"][0]["sdg_indicator"] == "14.1.1"
