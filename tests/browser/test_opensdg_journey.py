"""A network secretariat uploads a zipped Open SDG repository in a real browser: the check runs
on the background queue while the job page follows its progress, shows the rows per
indicator and the rows not taken; "Import and approve" saves every value approved; then an
anonymous visitor downloads the city's values from the city page."""

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize, expect
from sqlmodel import Session, select

from tests.browser.conftest import VIEWPORT, LiveServer, Tab
from tests.browser.test_import_job_journey import JOB_MS, import_worker  # noqa: F401
from tests.browser.test_sign_in import sign_in
from tests.opensdg.conftest import REPOS, zip_folder
from tracker.cities.models import CityCreate, Network
from tracker.cities.services import create_city
from tracker.data.models import Observation, ObservationStatus
from tracker.demo.data import DEMO_PASSWORD
from tracker.indicators.models import LocalIndicator

SECRETARIAT = "secretariat.gcom@demo.sdg-tracker.org"
SLUG = "opensdg-journey"


@pytest.fixture
def journey_city(live_server: LiveServer) -> int:
    """Add a published city to the GCoM network; return its id."""
    app = live_server.app
    with app.app_context(), Session(app.extensions["tracker_db"].engine) as session:
        network = session.exec(select(Network).where(Network.slug == "gcom")).one()
        city = create_city(session=session, user_id=None, network=network, city_in=CityCreate(
            slug=SLUG, name="Testville", country_code="GB", is_published=True))
        session.commit()
        assert city.id is not None
        return city.id


def statuses(live_server: LiveServer, city_id: int) -> list[ObservationStatus]:
    """Return the statuses of the city's values."""
    with Session(live_server.app.extensions["tracker_db"].engine) as session:
        return list(session.exec(select(Observation.status).join(
            LocalIndicator, LocalIndicator.id == Observation.indicator_id).where(  # type: ignore[arg-type]
            LocalIndicator.city_id == city_id)).all())


def test_a_secretariat_imports_and_approves_a_repository_and_a_visitor_downloads_it(
        tab: Tab, import_worker: Callable[[], None], journey_city: int,  # noqa: F811
        live_server: LiveServer, chromium_browser: Browser, tmp_path: Path) -> None:
    page = tab.page
    upload = tmp_path / "testville-data.zip"
    upload.write_bytes(zip_folder(REPOS / "v1", top="testville-data-main/"))
    tab.goto("/")
    sign_in(tab, SECRETARIAT, DEMO_PASSWORD)
    tab.goto(f"/cities/{SLUG}/data/import")
    main = page.get_by_role("main")
    main.get_by_label("Zipped repository").set_input_files(str(upload))
    main.get_by_role("button", name="Check the repository").click()

    expect(page).to_have_url(re.compile(rf"/cities/{SLUG}/import-jobs/\d+$"))
    expect(page.locator("progress")).to_be_visible()
    expect(main.locator("[data-job-step]")).to_have_text("Waiting for a worker")
    import_worker()
    expect(main).to_contain_text("Saving would create 9", timeout=JOB_MS)
    table = main.get_by_role("table", name="Rows per indicator")
    expect(table.get_by_role("row", name=re.compile(r"^11\.6\.2 "))).to_contain_text(
        "data/indicator_11-6-2.csv")
    expect(main).to_contain_text("'2019 - 18' is not a range of years")  # a row not taken
    assert statuses(live_server, journey_city) == []
    main.get_by_role("button", name="Import and approve").click()
    expect(main).to_contain_text("9 created, 0 updated", timeout=JOB_MS)
    assert set(statuses(live_server, journey_city)) == {ObservationStatus.APPROVED}

    visitor = chromium_browser.new_context(
        viewport=ViewportSize(width=VIEWPORT["width"], height=VIEWPORT["height"]),
        base_url=live_server.url)
    try:
        anonymous = visitor.new_page()
        anonymous.goto(live_server(f"/cities/{SLUG}"))
        with anonymous.expect_download() as info:
            anonymous.get_by_role("link", name="Download the values (CSV)").click()
        text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    finally:
        visitor.close()
    rows = list(csv.reader(io.StringIO(text)))
    cells = {cell for row in rows for cell in row}
    assert {"11.6.2", "11.1.1.a", "12.5", "2016-17"} <= cells, rows[:5]
    assert any("Southville" in cell for cell in cells), rows[:5]
