"""An officer enters a GHG inventory in the CRF table, watches BASIC/BASIC+ add up while
typing, and sees the CRF compliance panel move as the inventory, a target and a plan link
are added (issue 6, done-when)."""

from decimal import Decimal

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Tab
from tests.browser.test_sign_in import sign_in
from tracker.climate.presenters import tco2e
from tracker.climate.sectors import MANDATORY_SECTORS, rows_of
from tracker.demo.data import DEMO_PASSWORD

OFFICER = "officer.patiala@demo.sdg-tracker.org"  # Patiala has no climate data in the demo
CLIMATE = "/cities/patiala/climate"


def main(page: Page) -> Locator:
    """The page's main region."""
    return page.get_by_role("main")


def phase(page: Page, name: str) -> Locator:
    """The status badge of one CRF phase in the compliance panel."""
    return page.locator(f'[data-phase="{name}"] [data-status]')


def cell(page: Page, row: str, scope: int) -> Locator:
    """The number input of one cell of the CRF table."""
    return page.locator(f'[name="cell-{row}-{scope}-value"]')


def enter_inventory(tab: Tab) -> None:
    """Fill in the header and every mandatory cell, checking the live totals on the way."""
    page = tab.page
    main(page).get_by_role("link", name="Enter an inventory").click()
    page.get_by_label("Inventory year").fill("2024")
    page.get_by_label("Accounting period starts").fill("2024-01-01")
    page.get_by_label("Accounting period ends").fill("2024-12-31")
    cell(page, "se.residential", 1).fill("1000")
    expect(page.locator("#total-basic")).to_have_text("1,000")
    expect(page.locator("#subtotal-stationary_energy")).to_have_text("1,000")
    cell(page, "se.residential", 3).fill("50.5")  # T&D losses: BASIC+ only
    cell(page, "ippu.process", 1).fill("200")  # IPPU: BASIC+ only
    cell(page, "gen.electricity", 1).fill("9000")  # generation: in neither total
    expect(page.locator("#total-basic")).to_have_text("1,000")
    expect(page.locator("#total-basic-plus")).to_have_text("1,250.5")
    expect(page.locator("#total-generation")).to_have_text("9,000")
    filled = 1
    for sector in MANDATORY_SECTORS:
        for row in rows_of(sector):
            for scope in sorted(row.basic_scopes):
                if (row.code, scope) != ("se.residential", 1):
                    cell(page, row.code, scope).fill("0.1")
                    filled += 1
    basic = tco2e(Decimal(1000) + Decimal("0.1") * (filled - 1))
    expect(page.locator("#total-basic")).to_have_text(basic)
    main(page).get_by_role("button", name="Save inventory").click()
    expect(main(page).locator("#overview-basic")).to_have_text(f"{basic} tCO2e")


def add_target(tab: Tab) -> None:
    """Add a base-year target."""
    page = tab.page
    main(page).get_by_role("link", name="Add a target").click()
    page.get_by_label("Type of target").select_option(label="Base year emissions")
    page.get_by_label("Base year", exact=True).fill("2024")
    page.get_by_label("Base year emissions (tCO2e)").fill("1200")
    page.get_by_label("Target year", exact=True).fill("2035")
    page.get_by_label("Reduction (%)").fill("45")
    main(page).get_by_role("button", name="Save").click()


def register_adopted_plan(tab: Tab) -> None:
    """Register an adopted climate action plan with one element."""
    page = tab.page
    tab.goto("/cities/patiala/plans/new")
    page.get_by_label("Kind of plan").select_option(label="Climate action plan")
    page.get_by_label("Title").fill("Patiala Climate Action Plan")
    page.get_by_label("First year").fill("2024")
    page.get_by_label("Last year").fill("2030")
    page.get_by_label("Adopted on").fill("2024-03-01")
    page.get_by_label("Status").select_option(label="Adopted")
    page.get_by_label("Level names").fill("Measure")
    main(page).get_by_role("button", name="Register plan").click()
    main(page).get_by_role("link", name="Add an element").click()
    page.get_by_label("Code").fill("M1")
    page.get_by_label("Title").fill("Electric city buses")
    main(page).get_by_role("button", name="Add element").click()
    expect(main(page)).to_contain_text("Electric city buses")


def add_linked_action(tab: Tab) -> None:
    """Add a mitigation action carried by the plan's element and serving SDG 13.2."""
    page = tab.page
    tab.goto(CLIMATE)
    main(page).get_by_role("link", name="Add an action").click()
    page.get_by_label("Kind of action").select_option(label="Mitigation")
    page.get_by_label("Title").fill("Electrify the bus fleet")
    page.get_by_label("Plan elements").select_option(
        label="Patiala Climate Action Plan · M1 Electric city buses")
    page.get_by_label("SDG targets").fill("13.2, 7.2")
    main(page).get_by_role("button", name="Save").click()


def test_an_officer_builds_the_mitigation_pillar(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    sign_in(tab, OFFICER, DEMO_PASSWORD)
    tab.goto(CLIMATE)
    for name in ("mitigation_inventory", "mitigation_target", "mitigation_plan"):
        expect(phase(page, name)).to_have_text("Not started")

    enter_inventory(tab)
    expect(phase(page, "mitigation_inventory")).to_have_text("Met")
    expect(phase(page, "mitigation_target")).to_have_text("Not started")

    add_target(tab)
    expect(phase(page, "mitigation_target")).to_have_text("Met")
    expect(phase(page, "mitigation_plan")).to_have_text("Not started")

    register_adopted_plan(tab)
    add_linked_action(tab)
    expect(phase(page, "mitigation_plan")).to_have_text("Met")
    expect(main(page)).to_contain_text("Patiala Climate Action Plan · M1")
