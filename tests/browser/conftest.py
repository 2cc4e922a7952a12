"""A live tracker server with the SDG catalogue and demo data, and a Chromium tab per test.

The server runs in a daemon thread on a free loopback port, on a fresh SQLite file
migrated by Alembic. CSRF protection stays on: the browser submits real forms.
Fixtures are named `live_server`, `chromium_browser` and `tab` so that they never clash
with pytest-playwright's `browser`, `context` and `page`.
"""

import re
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Error, Page
from sqlmodel import Session
from werkzeug.serving import make_server

from tests.chromium import CHROMIUM, CHROMIUM_ARGS, browser_unavailable  # noqa: F401
from tracker import create_app
from tracker.catalogue.loader import read_sdg_framework
from tracker.catalogue.services import apply_revision
from tracker.db import make_engine
from tracker.db_cli import alembic_config
from tracker.demo.services import load_demo

VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 5_000


@dataclass
class LiveServer:
    """The running test server."""

    url: str
    app: Flask

    def __call__(self, path: str = "/") -> str:
        """Return the absolute URL of a path on the server."""
        return self.url + path


def migrate_to_head(url: str) -> None:
    """Create the schema of an empty database through the Alembic migrations."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


def demo_app(database_url: str) -> Flask:
    """Return an app on a freshly migrated database holding the catalogue and the demo."""
    migrate_to_head(database_url)
    app = create_app({
        "SECRET_KEY": "browser-test-secret",
        "DATABASE_URL": database_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # cheap hashes for the demo users
    })
    engine = app.extensions["tracker_db"].engine
    # Inside the app context so that create_user reads the cheap PASSWORD_HASH_METHOD.
    with app.app_context(), Session(engine) as session:
        apply_revision(session, read_sdg_framework(), retire_unlisted=False)
        load_demo(session)
        session.commit()
    return app


@contextmanager
def serving(app: Flask) -> Iterator[LiveServer]:
    """Serve an app on a free loopback port in a daemon thread until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        app.extensions["tracker_db"].engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve the app on a migrated SQLite file with the catalogue and the demo loaded."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'tracker.db'}"
    with serving(demo_app(database_url)) as server:
        yield server


@dataclass
class ConsoleWatch:
    """Console errors (CSP violations included) and uncaught JS errors of one tab."""

    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)
    reported: int = 0

    def allow_status(self, status: int) -> None:
        """Accept Chromium's console error for a response this test expects (e.g. a 403)."""
        self.allowed.append(re.compile(
            rf"^Failed to load resource: the server responded with a status of {status}\b"))

    def on_console(self, message: ConsoleMessage) -> None:
        """Record console errors; CSP violations are logged by Chromium as errors."""
        text = message.text
        if message.type == "error" and not any(p.search(text) for p in self.allowed):
            kind = "CSP violation" if "Content Security Policy" in text else "console error"
            self.problems.append(f"{kind} on {message.page.url if message.page else '?'}: {text}")
        elif "Content Security Policy" in text:  # e.g. report-only warnings
            self.problems.append(f"CSP violation: {text}")

    def report(self) -> str:
        """Describe the problems, and mark them as reported."""
        self.reported = len(self.problems)
        return "The browser reported errors:\n" + "\n".join(self.problems)

    def on_page_error(self, error: Error) -> None:
        """Record an uncaught JavaScript exception."""
        self.problems.append(f"JS error: {error.message}")


@dataclass
class Tab:
    """A page in its own browser context, with the server URL and the console watch."""

    page: Page
    server: LiveServer
    console: ConsoleWatch

    def goto(self, path: str, status: int = 200) -> None:
        """Open a path on the live server and check the status of the response."""
        response = self.page.goto(self.server(path))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"


@pytest.fixture
def tab(chromium_browser: Browser, live_server: LiveServer) -> Iterator[Tab]:
    """A fresh tab with its own cookies; the test fails if the page logs a CSP or JS error."""
    context = chromium_browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch = ConsoleWatch()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_page_error)
    try:
        yield Tab(page=page, server=live_server, console=watch)
    finally:
        context.close()
    # Normally reported by pytest_runtest_call below; this catches any logged while closing.
    if watch.problems[watch.reported:]:
        pytest.fail(watch.report(), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Fail the test itself, not only its teardown, when its tab logged CSP or JS errors."""
    tab = getattr(item, "funcargs", {}).get("tab")
    try:
        result = yield
    except BaseException:
        if isinstance(tab, Tab) and tab.console.problems:
            item.add_report_section("call", "browser console", tab.console.report())
        raise
    if isinstance(tab, Tab) and tab.console.problems:
        pytest.fail(tab.console.report(), pytrace=False)
    return result


def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Mark every test in this directory as a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
