"""A secretariat generates its network's report in a real browser, watches the run's progress
and downloads the PDF (issue 7, done-when). The job runs in a background worker thread, as a
separate worker would, never in the web request."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, Tab
from tests.browser.test_sign_in import sign_in
from tracker.demo.data import DEMO_PASSWORD
from tracker.reports import worker

SECRETARIAT = "secretariat.gcom@demo.sdg-tracker.org"
GENERATION_MS = 90_000  # a three-city network report, laid out in a pool of two processes


@pytest.fixture
def report_worker(live_server: LiveServer, tmp_path: Path) -> Iterator[Path]:
    """Give the live server an in-memory queue drained by a worker thread, and a folder of
    its own for the PDFs; restore the server's configuration afterwards."""
    app = live_server.app
    saved = {key: app.config.get(key) for key in ("REPORT_QUEUE", "REPORTS_DIR")}
    app.config.update(REPORT_QUEUE="memory", REPORTS_DIR=str(tmp_path / "reports"))
    worker.init_worker(app)
    try:
        with worker.ThreadWorker(app):
            yield tmp_path / "reports"
    finally:
        app.config.update(saved)
        worker.init_worker(app)


def test_a_secretariat_generates_watches_and_downloads_a_network_report(
        tab: Tab, report_worker: Path) -> None:
    page = tab.page
    tab.goto("/")
    sign_in(tab, SECRETARIAT, DEMO_PASSWORD)
    tab.goto("/networks/gcom/reports")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Reports of")
    page.get_by_label("Report on").select_option(label="The whole network")
    page.get_by_label("Reporting year").fill("2024")
    page.get_by_label("Paper size").select_option("A4")
    main.get_by_role("button", name="Generate report").click()

    # The status page comes back at once, before the PDF exists; its script polls.
    expect(page).to_have_url(re.compile(r"/reports/runs/\d+$"))
    status_url = page.url
    expect(main).to_contain_text("The report is being generated.")
    download = main.get_by_role("link", name="Download the PDF")
    expect(download).to_be_visible(timeout=GENERATION_MS)
    assert page.url == status_url, "the page updated itself, without navigating"
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(main.locator("[data-run-step]")).to_have_text("Ready")
    # The page's message follows the run: it no longer says the report is being generated.
    expect(main.locator("[data-run-message]")).to_have_text("The report is ready.")
    expect(page.locator("body")).not_to_contain_text("being generated")  # nor a flash
    expect(main.locator("[data-run-refresh]")).to_be_hidden()

    with page.expect_download() as info:
        download.click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000
    assert info.value.suggested_filename.startswith("gcom-2024-network-")
    assert [p.name for p in report_worker.glob("*.pdf")], "the PDF is kept for later"

    tab.goto("/networks/gcom/reports")
    expect(main.get_by_role("table")).to_contain_text("Network report")
    expect(main.get_by_role("link", name="Download")).to_have_count(1)
