"""Every page of a crawl fits 1 280 px and 390 px screens and has no axe-core (WCAG 2.1 A/AA)
violation (at 1 280 px; at 390 px the scroll regions' rule), for an anonymous visitor, the
administrator and a city officer.

One session-wide crawl (tests/browser/crawl.py) visits the pages; each page endpoint is a test
of its own, so a failure names the endpoint and lists its pages, the user and the problem.
"""

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser
from sqlmodel import Session, select

from tests.browser.conftest import TIMEOUT_MS, demo_app, serving
from tests.browser.crawl import (
    Crawler,
    PageResult,
    city_values,
    page_endpoints,
    seeds,
    sign_in,
)
from tracker import create_app
from tracker.auth.models import Role, User
from tracker.cities.models import City
from tracker.data.import_job_models import ImportJob, ImportKind
from tracker.db import saved_id
from tracker.reports.models import ReportKind, ReportRun

# One worker runs the whole crawl (make test uses --dist loadgroup).
pytestmark = pytest.mark.xdist_group("page-crawl")

ROLES = {  # role → (email, city, network) ; the officer's city is the demo's fullest
    "anonymous": (None, "ethekwini", "gcom"),
    "admin": ("admin@demo.sdg-tracker.org", "ethekwini", "gcom"),
    "officer": ("officer.ethekwini@demo.sdg-tracker.org", "ethekwini", "gcom"),
}
# First visited, so each stands for its endpoint: the comparison and search with results.
ROOTS = ["/", "/cities/", "/networks/", "/sdg/", "/compare?network=gcom&goal=11",
         "/search?q=water"]
# Page endpoints the crawl does not visit, and why.
NOT_CRAWLED: dict[str, str] = {}
ENDPOINTS = sorted(page_endpoints(create_app({"SECRET_KEY": "collect",
                                              "DATABASE_URL": "sqlite://"}).url_map))


@pytest.fixture(scope="session")
def crawl(chromium_browser: Browser, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[list[PageResult]]:
    """Crawl the demo as each role; return every page visited."""
    database = tmp_path_factory.mktemp("crawl-db") / "tracker.db"
    app = demo_app(f"sqlite:///{database}")
    add_jobs(app)
    with serving(app) as server:
        results: list[PageResult] = []
        for role, (email, city, network) in ROLES.items():
            results += crawl_as(chromium_browser, server.url, server.app, role, email,
                                city, network)
        yield results


def add_jobs(app: Flask) -> None:
    """Give eThekwini a queued import job and a queued report run, whose pages the demo lacks."""
    with app.app_context(), Session(app.extensions["tracker_db"].engine) as session:
        city = session.exec(select(City).where(City.slug == "ethekwini")).one()
        admin = session.exec(select(User).where(User.role == Role.ADMIN)).first()
        user_id = admin.id if admin else None
        session.add(ImportJob(kind=ImportKind.OBSERVATIONS, city_id=saved_id(city),
                              user_id=user_id, file_name="crawl.csv", original_name="values.csv",
                              file_hash="0" * 64, result_key="crawl"))
        session.add(ReportRun(kind=ReportKind.CITY, city_id=city.id, year=2024,
                              requested_by_id=user_id))
        session.commit()


def crawl_as(browser: Browser, base_url: str, app: Flask, role: str, email: str | None,
             city: str, network: str) -> list[PageResult]:
    """Crawl as one user, in a context of its own."""
    with app.app_context(), Session(app.extensions["tracker_db"].engine) as session:
        start = ROOTS + seeds(app, city_values(session, city, network))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS * 4)
    try:
        if email:
            sign_in(context, base_url, email)
        crawler = Crawler(app=app, base_url=base_url, role=role, signed_in=email is not None)
        return crawler.crawl(context.new_page(), start)
    finally:
        context.close()


def test_the_crawl_reaches_every_page_endpoint(crawl: list[PageResult]) -> None:
    visited = {r.endpoint for r in crawl if r.status == 200}
    missing = set(ENDPOINTS) - visited - set(NOT_CRAWLED)
    assert not missing, f"pages the crawl never showed: {sorted(missing)}"


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e not in NOT_CRAWLED])
def test_page_fits_both_widths_and_has_no_axe_violation(crawl: list[PageResult],
                                                       endpoint: str) -> None:
    visits = [r for r in crawl if r.endpoint == endpoint]
    pages = [r for r in visits if r.status == 200]
    if not pages:
        pytest.fail(f"{endpoint}: not reached (see test_the_crawl_reaches_every_page_endpoint)")
    problems = [f"{r.url} (as {r.role}): HTTP {r.status}" for r in visits if r.status >= 500]
    problems += [p for page in pages for p in page.problems()]
    assert not problems, "\n".join(problems)
