"""Fixtures: every database test runs on SQLite and, when configured, PostgreSQL."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session
from werkzeug.routing import Rule

from tracker import create_app
from tracker.catalogue.loader import read_sdg_framework
from tracker.catalogue.services import apply_revision
from tracker.db import make_engine
from tracker.db_cli import alembic_config
from tracker.unit_of_work import UnitOfWorkFlask

pytest_plugins = ["tests.factories", "tests.chromium"]


def _memoise_url_builders() -> None:
    """Compile each URL rule's builder once per test process, not once per test app.

    Werkzeug generates and compiles Python source for every rule's URL builder when a rule is
    added; the suite builds a fresh app for every test, and that compiling was two thirds of
    create_app (54 → 15 ms, 8 500 apps). The generated code depends only on what the key
    holds, so a cached builder is the one werkzeug would compile again.
    """
    compile_builder = Rule._compile_builder
    builders: dict[tuple[Any, ...], Any] = {}

    def cached(self: Rule, append_unknown: bool = True) -> Any:
        defaults = tuple(sorted((self.defaults or {}).items(), key=repr))
        key = (self.rule, self.host, self.subdomain, defaults, tuple(self._trace),
               append_unknown)
        try:
            hash(key)
        except TypeError:  # a default that cannot be hashed: compile as werkzeug does
            return compile_builder(self, append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = cached  # type: ignore[method-assign]


_memoise_url_builders()


class TemplateCache(BytecodeCache):
    """Compiled templates kept in memory for the whole test process.

    Every test's app has a Jinja environment of its own, and compiling the templates anew for
    each was a fifth of the suite's time. Jinja checks a template's source checksum before
    using its cached code, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket from memory, if this template was compiled before."""
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template."""
        self.codes[bucket.key] = bucket.bytecode_to_string()


UnitOfWorkFlask.jinja_options = {**UnitOfWorkFlask.jinja_options,
                                 "bytecode_cache": TemplateCache()}

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def migrate(engine: Engine, revision: str = "head", down: bool = False) -> None:
    """Run Alembic on this engine's database."""
    with engine.begin() as connection:
        cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """Return the URL of an empty test database for each backend; on PostgreSQL a schema of
    this test run's own, so runs side by side (or pytest-xdist workers) never collide."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    schema = f"test_run_{os.getpid()}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """Migrate the test database to head and load the SDG catalogue once per backend."""
    engine = make_engine(database_url)
    migrate(engine, "base", down=True)
    migrate(engine)
    app = create_app(app_settings(engine))
    with app.app_context(), Session(engine) as session:
        apply_revision(session, read_sdg_framework(), retire_unlisted=False)
        session.commit()
    yield engine
    migrate(engine, "base", down=True)
    engine.dispose()


def app_settings(engine: Engine, **overrides: Any) -> dict[str, Any]:
    """Return the settings of a test app on this engine."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "ENGINE": engine,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": "localhost",
        **overrides,
    }


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra settings a test module may override."""
    return {}


@pytest.fixture
def app(engine: Engine, db: Session, app_config: dict[str, Any]) -> Iterator[Flask]:
    """A test app whose requests all use the test's rolled-back session."""
    app = create_app(app_settings(engine, **app_config))
    database = app.extensions["tracker_db"]
    database.session_factory = lambda: db
    database.closes_sessions = False
    # No app context is held here: each test request must get a fresh `g`.
    yield app


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An app context, for tests that call services directly."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def count_queries(engine: Engine) -> Callable[[], Any]:
    """Count the SQL statements run inside a `with count_queries() as n:` block."""

    @contextmanager
    def counter() -> Iterator[Callable[[], int]]:
        statements: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Return the repository root."""
    return Path(__file__).resolve().parent.parent
