"""Every page of a crawl fits 1 280 px and 390 px screens and has no axe-core (WCAG 2.1 A/AA)
violation (at 1 280 px; at 390 px the scroll regions' rule), for an anonymous visitor, the
administrator and a city officer.

The crawl (tests/browser/crawl.py) visits the pages, one test per user; a failure lists each
page with its endpoint, the user and the problem.
"""

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser
from sqlmodel import Session, select

from tests.browser.conftest import TIMEOUT_MS, LiveServer, demo_app, serving
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

ROLES = {  # role → (email, city, network) ; the officer's city is the demo's fullest
    "anonymous": (None, "ethekwini", "gcom"),
    "admin": ("admin@demo.sdg-tracker.org", "ethekwini", "gcom"),
    "officer": ("officer.ethekwini@demo.sdg-tracker.org", "ethekwini", "gcom"),
}
# First visited, so each stands for its endpoint: the comparison and search with results.
ROOTS = ["/", "/cities/", "/networks/", "/sdg/", "/compare?network=gcom&goal=11",
         "/search?q=water"]
VISITOR_ONLY = {"auth.login"}  # a signed-in user is sent on: the visitor's crawl shows it
ENDPOINTS = sorted(page_endpoints(create_app({"SECRET_KEY": "collect",
                                              "DATABASE_URL": "sqlite://"}).url_map))


@pytest.fixture(scope="session")
def crawl_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo, with a queued import job and report run, on a database of its own."""
    database = tmp_path_factory.mktemp("crawl-db") / "tracker.db"
    app = demo_app(f"sqlite:///{database}")
    add_jobs(app)
    with serving(app) as server:
        yield server


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


# One test per user (xdist may run them side by side; none repeats another's pages); the
# failure lists every page with its endpoint and problem.
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_fits_both_widths_and_has_no_axe_violation(
        chromium_browser: Browser, crawl_server: LiveServer, role: str) -> None:
    pages = crawl_as(chromium_browser, crawl_server.url, crawl_server.app, role, *ROLES[role])
    problems = [f"{r.url} ({r.endpoint}, as {r.role}): HTTP {r.status}"
                for r in pages if r.status >= 500]
    problems += [problem for page in pages for problem in page.problems()]
    if role == "admin":  # the admin may see every page: each endpoint must have been shown
        shown = {r.endpoint for r in pages if r.status == 200}
        problems += [f"{e}: never shown to the admin" for e in ENDPOINTS
                     if e not in shown and e not in VISITOR_ONLY]
    shown_count = sum(r.status == 200 for r in pages)
    assert not problems, f"{len(problems)} problems on {shown_count} pages:\n" + "\n".join(
        problems)
