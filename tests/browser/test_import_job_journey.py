"""An officer uploads a values file in a real browser: the check runs on the background queue
(a worker thread, never the web request), the job page's script follows its progress and
shows the preview when done; saving runs a second job the same way."""

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, func, select

from tests.browser.conftest import LiveServer, Tab
from tests.browser.test_sign_in import sign_in
from tracker.cities.models import City
from tracker.data.models import Observation
from tracker.demo.data import DEMO_PASSWORD
from tracker.indicators.models import LocalIndicatorCreate
from tracker.indicators.services import create_indicator
from tracker.reports import worker

OFFICER = "officer.helsinki@demo.sdg-tracker.org"
WARDS = 20
JOB_MS = 60_000


@pytest.fixture
def import_worker(live_server: LiveServer, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Give the live server an in-memory queue, every file on the queue, and an instance
    folder of its own; yield the function that starts a worker thread draining the queue.
    Restore the server's configuration afterwards."""
    app = live_server.app
    saved = {key: app.config.get(key) for key in ("REPORT_QUEUE", "IMPORT_INLINE_BYTES")}
    saved_instance = app.instance_path
    app.config.update(REPORT_QUEUE="memory", IMPORT_INLINE_BYTES=0)
    app.instance_path = str(tmp_path)
    worker.init_worker(app)
    with ExitStack() as stack:
        try:
            yield lambda: stack.enter_context(worker.ThreadWorker(app))
        finally:
            stack.close()
            app.config.update(saved)
            app.instance_path = saved_instance
            worker.init_worker(app)


@pytest.fixture
def ward_indicator(live_server: LiveServer) -> int:
    """Define a Helsinki count indicator by ward; return its id."""
    app = live_server.app
    with app.app_context(), Session(app.extensions["tracker_db"].engine) as session:
        city = session.exec(select(City).where(City.slug == "helsinki")).one()
        indicator = create_indicator(session=session, city=city, user_id=None,
                                     indicator_in=LocalIndicatorCreate(
                                         code="JOB-1", name="Job journey", unit_kind="count",
                                         direction="higher", dimensions=[{
                                             "name": "ward",
                                             "values": [f"w{w}" for w in range(WARDS)]}]))
        session.commit()
        assert indicator.id is not None
        return indicator.id


def stored(live_server: LiveServer, indicator_id: int) -> int:
    """Count the indicator's stored values."""
    with Session(live_server.app.extensions["tracker_db"].engine) as session:
        return session.exec(select(func.count()).select_from(Observation).where(
            Observation.indicator_id == indicator_id)).one()


def test_an_officer_checks_then_saves_a_file_through_background_jobs(
        tab: Tab, import_worker: Callable[[], None], ward_indicator: int,
        live_server: LiveServer, tmp_path: Path) -> None:
    page = tab.page
    lines = ["indicator,period,ward,value"] + [
        f"JOB-1,{year},{f'w{w}' if w >= 0 else ''},{100 + w}"
        for year in range(2010, 2016) for w in range(-1, WARDS)]
    upload = tmp_path / "values.csv"
    upload.write_text("\n".join(lines) + "\n")
    rows = len(lines) - 1
    tab.goto("/")
    sign_in(tab, OFFICER, DEMO_PASSWORD)
    tab.goto("/cities/helsinki/data/import")
    main = page.get_by_role("main")
    main.get_by_label("File", exact=True).set_input_files(str(upload))
    main.get_by_role("button", name="Check the file").click()

    # The job waits on the queue: the page shows its progress bar and polls.
    expect(page).to_have_url(re.compile(r"/cities/helsinki/import-jobs/\d+$"))
    job_url = page.url
    expect(page.locator("progress")).to_be_visible()
    expect(main.locator("[data-job-step]")).to_have_text("Waiting for a worker")
    import_worker()  # a worker comes: the page notices the end and shows the report
    expect(main).to_contain_text(f"Saving would create {rows}", timeout=JOB_MS)
    assert page.url == job_url and stored(live_server, ward_indicator) == 0
    main.get_by_role("button", name="Save all rows").click()
    expect(main).to_contain_text(f"{rows} created, 0 updated", timeout=JOB_MS)
    expect(page.locator("progress")).to_have_count(0)
    assert page.url != job_url and stored(live_server, ward_indicator) == rows
