"""Visit every HTML page of the tracker as one user, at two widths, with axe-core.

The pages come from the app's GET rules, their path parameters filled from the database, and
from the same-site links of the pages visited (a few pages per endpoint, so the crawl stays
bounded). Each page is measured at 1 280 px (horizontal overflow, axe WCAG 2.1 A/AA) and at
390 px (horizontal overflow; axe's rule that a scrolling region can be reached by keyboard, as
tables scroll in their own box only on a phone).
"""

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import BrowserContext, Page
from sqlmodel import Session, col, select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect, Rule

from tracker.cities.models import City
from tracker.climate.adaptation_models import Hazard
from tracker.climate.models import GhgInventory
from tracker.data.import_job_models import ImportJob
from tracker.data.models import Observation
from tracker.demo.data import DEMO_PASSWORD
from tracker.indicators.models import LocalIndicator
from tracker.plans.models import Plan, PlanElement
from tracker.reports.models import ReportRun

WIDE, NARROW = 1280, 390
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
AXE_NARROW = {"runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]},
               "resultTypes": ["violations"]}
PAGES_PER_ENDPOINT = 1  # per user: the seeds (pages rich in data) come first
# Answers that are files or data, not pages: an extension in the rule, the JSON API, static.
FILE_RULE = re.compile(r"\.(?:[a-z]+|<[^>]+>)$|^/api/v1/(?!docs$)|^/static/|^/healthz$")
FILE_ENDPOINTS = {"reports.download_run", "evidence.download_evidence", "api.docs_asset"}
# Pages checked for overflow but not by axe, and why.
NO_AXE = {"api.docs": "Swagger UI's own markup (the swagger-ui-py package), not the tracker's"}
AXE = Axe()
# SVG links have an SVGAnimatedString href: resolve the attribute itself.
LINKS = "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"


@dataclass
class PageResult:
    """What one page showed one user."""

    role: str
    url: str
    endpoint: str
    status: int
    scroll_width: dict[int, int] = field(default_factory=dict)  # viewport width → page width
    height_narrow: int = 0
    violations: list[dict[str, Any]] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Describe each overflow and axe violation of the page, naming it."""
        where = f"{self.url} ({self.endpoint}, as {self.role})"
        found = [f"{where}: {width} px wide at {viewport} px"
                 for viewport, width in self.scroll_width.items() if width > viewport]
        for violation in self.violations:
            targets = "; ".join(" ".join(n["target"]) for n in violation["nodes"][:5])
            found.append(f"{where}: axe {violation['id']} ({violation['impact']}, "
                         f"{len(violation['nodes'])} nodes): {targets}")
        return found


def is_page_rule(rule: Rule) -> bool:
    """Tell whether a GET rule answers with an HTML page."""
    return ("GET" in (rule.methods or ()) and not FILE_RULE.search(rule.rule)
            and rule.endpoint not in FILE_ENDPOINTS)


def page_endpoints(url_map: Map) -> set[str]:
    """Return the endpoints of every HTML page rule."""
    return {rule.endpoint for rule in url_map.iter_rules() if is_page_rule(rule)}


@dataclass
class Values:
    """Path parameter values taken from the database for one city."""

    city: str
    network: str
    params: dict[str, list[Any]]


def city_values(session: Session, city_slug: str, network_slug: str) -> Values:
    """Read a value for each path parameter of the city's pages from the database."""
    city_id = session.exec(select(City.id).where(City.slug == city_slug)).one()
    indicators = session.exec(select(LocalIndicator).where(LocalIndicator.city_id == city_id)
                              .order_by(col(LocalIndicator.id))).all()
    observations = session.exec(select(Observation).where(
        col(Observation.indicator_id).in_([i.id for i in indicators]))).all()
    # The indicator with most values: its grid, history and progress pages are the fullest.
    counts = Counter(o.indicator_id for o in observations)
    fullest = max(indicators, key=lambda i: counts[i.id])
    element = session.exec(select(PlanElement).join(Plan).where(Plan.city_id == city_id)
                           .order_by(col(PlanElement.id))).first()

    def ids(column: Any, city_column: Any) -> list[Any]:
        return list(session.exec(select(column).where(city_column == city_id)))[:1]

    return Values(city=city_slug, network=network_slug, params={
        "code": [fullest.code],
        "plan_id": [element.plan_id] if element else [],
        "element_id": [element.id] if element else [],
        "obs_id": [o.id for o in observations if o.indicator_id == fullest.id][:1],
        "hazard_id": ids(Hazard.id, Hazard.city_id),
        "inventory_id": ids(GhgInventory.id, GhgInventory.city_id),
        "job_id": ids(ImportJob.id, ImportJob.city_id),
        "run_id": ids(ReportRun.id, ReportRun.city_id),
        "number": [11], "year": [2024], "quarter": [1],
    })


def fill(rule: Rule, values: Values) -> str | None:
    """Return the rule's path with each parameter filled, or None when one has no value."""
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if name == "slug":
            return values.network if rule.rule.startswith("/networks/") else values.city
        if name == "code" and rule.rule.startswith("/sdg/"):
            return {"goals": "11", "targets": "11.6", "indicators": "11.6.2"}[
                rule.rule.split("/")[2]]
        if converter.startswith("any("):
            return converter[4:-1].split(",")[0].strip()
        found = values.params.get(name) or []
        if not found:
            raise LookupError(name)
        return str(found[0])

    try:
        return re.sub(r"<(?:([^:>]+):)?([a-z_]+)>", value, rule.rule)
    except LookupError:
        return None


def seeds(app: Flask, values: Values) -> list[str]:
    """Return a URL for every page rule whose parameters the database can fill."""
    urls = [fill(rule, values) for rule in app.url_map.iter_rules() if is_page_rule(rule)]
    return sorted({url for url in urls if url is not None})


@dataclass
class Crawler:
    """Visit pages breadth first as one user; at most PAGES_PER_ENDPOINT per endpoint."""

    app: Flask
    base_url: str
    role: str
    signed_in: bool
    results: list[PageResult] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    per_endpoint: dict[str, int] = field(default_factory=dict)

    def endpoint(self, url: str) -> str | None:
        """Return the page endpoint of a same-site URL, or None for files and other sites."""
        parts = urlsplit(url)
        if url.startswith("http") and not url.startswith(self.base_url):
            return None
        try:
            endpoint, _ = self.app.url_map.bind("localhost").match(parts.path, method="GET")
        except (HTTPException, RequestRedirect):
            return None
        rule = next(self.app.url_map.iter_rules(endpoint))
        return endpoint if is_page_rule(rule) and endpoint not in FILE_ENDPOINTS else None

    def wanted(self, url: str) -> str | None:
        """Return the endpoint of a URL still to visit, or None."""
        path = urlsplit(url)._replace(scheme="", netloc="", fragment="").geturl()
        endpoint = self.endpoint(path)
        if endpoint is None or path in self.seen:
            return None
        if self.per_endpoint.get(endpoint, 0) >= PAGES_PER_ENDPOINT:
            return None
        return endpoint

    def redirected(self, page: Page, path: str, endpoint: str) -> PageResult | None:
        """For a visitor, ask first (no rendering) whether the page sends to the login page."""
        if self.signed_in:
            return None
        response = page.request.get(self.base_url + path, max_redirects=0)
        response.dispose()
        if 300 <= response.status < 400:
            return PageResult(role=self.role, url=path, endpoint=endpoint, status=302)
        return None

    def crawl(self, page: Page, start: list[str]) -> list[PageResult]:
        """Visit the start URLs and the links found on the way."""
        queue = deque(start)
        while queue:
            path = urlsplit(queue.popleft())._replace(scheme="", netloc="", fragment="").geturl()
            endpoint = self.wanted(path)
            if endpoint is None:
                continue
            self.seen.add(path)
            self.per_endpoint[endpoint] = self.per_endpoint.get(endpoint, 0) + 1
            result = self.redirected(page, path, endpoint) or visit(
                page, self.base_url + path, endpoint, self.role)
            self.results.append(result)
            if result.status == 200:
                queue.extend(page.eval_on_selector_all(
                    "a[href]", LINKS))
        return self.results


def visit(page: Page, url: str, endpoint: str, role: str) -> PageResult:
    """Load a page at 1 280 px, measure it and run axe; measure it again at 390 px."""
    page.set_viewport_size({"width": WIDE, "height": 900})
    response = page.goto(url, wait_until="load")
    status = response.status if response else 0
    if response is not None and response.request.redirected_from is not None:
        status = 302  # e.g. to the login page, which is crawled as a page of its own
    result = PageResult(role=role, url="/" + url.split("/", 3)[-1], endpoint=endpoint,
                        status=status)
    if status != 200:
        return result
    result.scroll_width[WIDE] = page.evaluate("document.documentElement.scrollWidth")
    if endpoint not in NO_AXE:
        result.violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    page.set_viewport_size({"width": NARROW, "height": 900})
    result.scroll_width[NARROW] = page.evaluate("document.documentElement.scrollWidth")
    if endpoint not in NO_AXE:  # tables that scroll only on a phone: reachable by keyboard?
        result.violations += AXE.run(page, options=AXE_NARROW).response["violations"]
    result.height_narrow = page.evaluate("document.documentElement.scrollHeight")
    return result


def sign_in(context: BrowserContext, base_url: str, email: str) -> None:
    """Sign a browser context in through the real login form."""
    page = context.new_page()
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{email} could not sign in"
    page.close()
