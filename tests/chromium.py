"""One headless Chromium per test session, shared by every test that drives a browser: a
second Playwright (sync API) in the same process would fail while the first runs."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; no `playwright install` needed
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


def browser_unavailable(reason: str) -> None:
    """Skip locally, but fail in CI: browser tests may not be skipped there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (browser tests may not be skipped in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once per test session."""
    if not CHROMIUM.exists():
        browser_unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
