"""Is the database reachable? `/healthz` for load balancers, and one-line CLI errors."""

import logging
import re
from typing import cast

from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from tracker.db import make_engine

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]*:)[^@]*@")


def shown_url(url: str) -> str:
    """Return the database URL with its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD_IN_URL.sub(r"\1***@", url)


def error_reason(error: BaseException, url: str) -> str:
    """Return the first line of a database error, without the URL's password."""
    reason = getattr(error, "orig", None) or error
    line = (str(reason).strip().splitlines() or [type(reason).__name__])[0]
    password = _password(url)
    return line.replace(password, "***") if password else line


def _password(url: str) -> str:
    """Return the password of a URL, or ""."""
    try:
        return make_url(url).password or ""
    except (ArgumentError, ValueError):
        return ""


def check_engine(url: str, timeout: float = CHECK_TIMEOUT_SECONDS) -> Engine:
    """Build an engine that opens a fresh connection per check and gives up after `timeout`."""
    if url.startswith("sqlite"):
        args: dict[str, object] = {"check_same_thread": False, "timeout": timeout}
    elif url.startswith(("postgresql", "postgres")):
        args = {"connect_timeout": max(1, round(timeout))}
    else:
        args = {}
    return make_engine(url, poolclass=NullPool, connect_args=args)


def ping(engine: Engine, timeout: float = CHECK_TIMEOUT_SECONDS) -> None:
    """Run SELECT 1 on a new connection; raise the database's error when it fails."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":  # a hung server must not hang the check
            connection.exec_driver_sql(f"SET statement_timeout = {int(timeout * 1000)}")
        connection.execute(text("SELECT 1"))


def check_database(url: str) -> None:
    """Connect to the database at `url` once, quickly; raise on failure."""
    engine = check_engine(url)
    try:
        ping(engine)
    finally:
        engine.dispose()


def _health_engine(app: Flask) -> Engine:
    """Return the app's engine for health checks, built on first use."""
    if "tracker_health_engine" not in app.extensions:
        app.extensions["tracker_health_engine"] = check_engine(app.config["DATABASE_URL"])
    return cast(Engine, app.extensions["tracker_health_engine"])


def health_response() -> ResponseReturnValue:
    """Answer `{"status": "ok", "database": "ok"}`, or 503 with why the database is down."""
    url = current_app.config["DATABASE_URL"]
    try:
        ping(_health_engine(current_app))
    except (SQLAlchemyError, OSError) as error:
        logger.warning("Health check: database at %s is down: %s", shown_url(url),
                       error_reason(error, url))
        # Visitors learn only what kind of failure; the details stay in the log.
        timed_out = "timeout" in str(error).lower()
        reason = "no answer in time" if timed_out else "cannot connect"
        return jsonify(status="error", database="down", reason=reason), 503
    return jsonify(status="ok", database="ok")
