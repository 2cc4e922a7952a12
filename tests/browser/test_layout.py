"""Full-page screenshots, and no horizontal scrolling on a narrow screen."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import Tab

NARROW = 400


def screenshot(tab: Tab, path: Path) -> None:
    """Save a full-page screenshot and check that it is not empty."""
    tab.page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000, f"{path.name} looks empty"


def test_full_page_screenshots(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    for name, path, heading in [
        ("home", "/", "Localise the Sustainable Development Goals"),
        ("goal-11", "/sdg/goals/11", "Make cities and human settlements"),
        ("city", "/cities/ethekwini", "eThekwini"),
    ]:
        tab.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        screenshot(tab, tmp_path / f"{name}.png")


def test_home_page_fits_a_narrow_screen(tab: Tab, tmp_path: Path) -> None:
    page = tab.page
    page.set_viewport_size({"width": NARROW, "height": 800})
    tab.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(tab, tmp_path / "home-narrow.png")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= NARROW, f"horizontal overflow at {NARROW}px: scrollWidth {scroll_width}"
