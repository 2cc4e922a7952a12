"""Operations: /healthz, client addresses behind proxies, the shared-memory rate-limit
warning and one-line errors for an unreachable database."""

import logging
import socket
import time
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy.engine import Engine

from tests.conftest import app_settings
from tracker import create_app, operations
from tracker.cli import main as tracker_cli
from tracker.health import CHECK_TIMEOUT_SECONDS
from tracker.operations import gunicorn_workers

# Port 1 on the loopback: nothing listens there, so connections are refused at once.
DOWN_URL = "postgresql://tracker:s3cret-pass@127.0.0.1:1/tracker"
TRIED, LIMITED = "refused", "limited"


def test_healthz_says_the_database_is_ok(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("url", [DOWN_URL, "sqlite:////nonexistent/folder/tracker.db"])
def test_healthz_answers_503_quickly_when_the_database_is_down(engine: Engine, url: str) -> None:
    app = create_app(app_settings(engine, DATABASE_URL=url))
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json["status"] == "error" and response.json["database"] == "down"
    assert response.json["reason"]
    body = response.get_data(as_text=True)
    assert "s3cret" not in body and "127.0.0.1" not in body and "nonexistent" not in body


def test_healthz_gives_up_on_a_server_that_never_answers(engine: Engine) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"postgresql://tracker@127.0.0.1:{silent.getsockname()[1]}/tracker"
        app = create_app(app_settings(engine, DATABASE_URL=url))
        started = time.monotonic()
        response = app.test_client().get("/healthz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json["reason"] == "no answer in time"
    assert elapsed < 2 * CHECK_TIMEOUT_SECONDS + 1  # libpq may try twice (SSL, then not)


def bad_logins(app: Flask, address: str, email: str, n: int) -> list[str]:
    """Send n wrong-password logins through the proxy for `address`: which were refused by
    the rate limit ("limited", 429) and which were checked ("refused", the form again)."""
    client = app.test_client()
    codes = [client.post("/login", data={"email": email, "password": "wrong"},
                         headers={"X-Forwarded-For": address}).status_code for _ in range(n)]
    assert all(code in (200, 422, 429) for code in codes), codes
    return ["limited" if code == 429 else "refused" for code in codes]


def limited_app(engine: Engine, proxies: int) -> Flask:
    """An app with a login limit of 2 a minute, behind `proxies` trusted proxies."""
    return create_app(app_settings(engine, RATELIMIT_ENABLED=True, PROXY_FIX=proxies,
                                   LOGIN_RATE_LIMIT="2 per minute"))


def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(engine: Engine) -> None:
    app = limited_app(engine, proxies=1)
    assert bad_logins(app, "203.0.113.7", "first@example.org", 3) == [TRIED, TRIED, LIMITED]
    # Same proxy (same remote address), another client and account: not limited.
    assert bad_logins(app, "198.51.100.9", "second@example.org", 2) == [TRIED, TRIED]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(engine: Engine) -> None:
    app = limited_app(engine, proxies=0)
    assert bad_logins(app, "203.0.113.7", "first@example.org", 2) == [TRIED, TRIED]
    # A forged header does not buy a fresh limit: the address is the proxy's.
    assert bad_logins(app, "198.51.100.9", "second@example.org", 1) == [LIMITED]


def test_a_negative_proxy_count_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="TRACKER_PROXY_FIX"):
        create_app(app_settings(engine, PROXY_FIX=-1))


@pytest.mark.parametrize(("args", "workers"), [
    ([], 1), (["-w", "4"], 4), (["--workers", "3"], 3), (["--workers=5"], 5), (["-w2"], 2),
    (["-w", "4", "--bind", "x", "--workers", "2"], 2), (["--max-requests", "1000"], 1),
])
def test_gunicorn_worker_counts_are_read_from_its_arguments(args: list[str], workers: int
                                                            ) -> None:
    assert gunicorn_workers(args) == workers


@pytest.fixture
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Forget earlier warnings, and any worker count of the machine running the tests."""
    monkeypatch.setattr(operations, "_warned", set())
    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.argv", ["pytest"])
    return monkeypatch


def warnings_at_start(engine: Engine, caplog: pytest.LogCaptureFixture, **settings: Any
                      ) -> list[str]:
    """Create an app with rate limits on; return the warnings logged about them."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tracker.operations"):
        create_app(app_settings(engine, RATELIMIT_ENABLED=True, **settings))
    return [r.getMessage() for r in caplog.records if r.name == "tracker.operations"]


def test_several_workers_on_memory_storage_are_warned_about_once(
        engine: Engine, caplog: pytest.LogCaptureFixture, fresh_warnings: pytest.MonkeyPatch
) -> None:
    assert warnings_at_start(engine, caplog) == []  # one process: memory:// is right
    fresh_warnings.setattr("sys.argv", ["/srv/.venv/bin/gunicorn", "--workers", "4",
                                        "tracker:create_app()"])
    [warning] = warnings_at_start(engine, caplog)
    assert "memory://" in warning and "4 worker processes" in warning
    assert warnings_at_start(engine, caplog) == []  # once per process


@pytest.mark.parametrize(("env", "storage", "warned"), [
    ({"WEB_CONCURRENCY": "3"}, "memory://", True),
    ({"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:8000 -w 2"}, "memory://", True),
    ({"WEB_CONCURRENCY": "1"}, "memory://", False),
    ({"WEB_CONCURRENCY": "3"}, "redis://127.0.0.1:6379/0", False),
])
def test_the_warning_follows_the_worker_count_and_storage(
        engine: Engine, caplog: pytest.LogCaptureFixture, fresh_warnings: pytest.MonkeyPatch,
        env: dict[str, str], storage: str, warned: bool) -> None:
    for name, value in env.items():
        fresh_warnings.setenv(name, value)
    assert bool(warnings_at_start(engine, caplog, RATELIMIT_STORAGE_URI=storage)) is warned


@pytest.mark.parametrize("args", [["db", "current"], ["db", "upgrade"], ["demo", "load"],
                                  ["run"]])
def test_an_unreachable_database_gives_one_line_and_exit_code_1(args: list[str]) -> None:
    result = CliRunner().invoke(tracker_cli, args, env={"TRACKER_DATABASE_URL": DOWN_URL})
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(
        "Cannot connect to the database at postgresql://tracker:***@127.0.0.1:1/tracker: ")
    assert "s3cret" not in result.output


def test_a_wrong_database_url_gives_one_line_too() -> None:
    result = CliRunner().invoke(tracker_cli, ["db", "current"],
                                env={"TRACKER_DATABASE_URL": "postgersql://u:pw@db/x"})
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Cannot connect to the database at postgersql://u:***@db/x:"
                                     " Can't load plugin: sqlalchemy.dialects:postgersql")
