"""A visitor follows the footer's API link to the docs page, which lists every endpoint of the
OpenAPI document, served from the app itself under the strict CSP (no console errors)."""

from playwright.sync_api import expect

from tests.browser.conftest import Tab


def test_the_api_docs_page_lists_every_endpoint(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data API").click()
    expect(page).to_have_url(tab.server("/api/v1/docs"))
    doc = page.request.get(tab.server("/api/v1/openapi.json")).json()
    operations = [(method.upper(), path) for path, item in doc["paths"].items()
                  for method in item]
    blocks = page.locator(".opblock")
    expect(blocks).to_have_count(len(operations), timeout=15_000)
    shown = {(block.locator(".opblock-summary-method").inner_text(),
              block.locator(".opblock-summary-path").inner_text().replace("\u200b", ""))
             for block in blocks.all()}
    assert shown == set(operations)
    expect(page.get_by_role("heading", name="SDG localisation tracker API")).to_be_visible()
    assert page.evaluate("() => performance.getEntriesByType('resource')"
                         ".every(entry => entry.name.startsWith(location.origin))")
