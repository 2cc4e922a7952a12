"""Deployment steps of create_app: client addresses behind proxies, shared rate limits."""

import logging
import os
import shlex
import sys
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

logger = logging.getLogger(__name__)
_warned: set[str] = set()  # storages already warned about in this process


def register_proxy_fix(app: Flask) -> None:
    """Trust TRACKER_PROXY_FIX proxies' X-Forwarded-For/-Proto/-Host (0: trust none)."""
    trusted = int(app.config.get("PROXY_FIX", 0) or 0)
    if trusted < 0:
        raise ValueError("TRACKER_PROXY_FIX must be 0 or a number of trusted proxies")
    if trusted:
        # Without it every client has the proxy's address: one login limit for all.
        # Flask's documented way to add WSGI middleware; mypy refuses assigning to a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted,  # type: ignore[method-assign]
                                x_host=trusted)


def _int(value: str | None) -> int:
    """Read a count; anything else counts as 1."""
    return int(value) if value and value.strip().isdigit() else 1


def gunicorn_workers(args: list[str]) -> int:
    """Return the last --workers/-w count in gunicorn arguments (1 when absent)."""
    count = 1
    for i, arg in enumerate(args):
        if arg in ("-w", "--workers") and i + 1 < len(args):
            count = _int(args[i + 1])
        elif arg.startswith("--workers="):
            count = _int(arg.partition("=")[2])
        elif arg.startswith("-w") and arg[2:].isdigit():
            count = int(arg[2:])
    return count


def server_processes() -> int:
    """How many worker processes this server appears to run: gunicorn's command line,
    GUNICORN_CMD_ARGS or WEB_CONCURRENCY (gunicorn's default worker count); else 1."""
    args = shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))
    if Path(sys.argv[0]).name.startswith("gunicorn"):
        args += sys.argv[1:]
    workers = gunicorn_workers(args)
    return workers if workers > 1 else _int(os.environ.get("WEB_CONCURRENCY"))


def check_rate_limit_storage(app: Flask) -> None:
    """Warn (once per process) when several workers would each count logins in memory."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    if not storage.startswith("memory://") or not app.config.get("RATELIMIT_ENABLED", True):
        return
    processes = server_processes()
    if processes > 1 and storage not in _warned:
        _warned.add(storage)
        logger.warning(
            "The login rate limit is kept in memory (memory://) while the server runs %d "
            "worker processes: each counts on its own, so the limit is %d times too lax. "
            "Set TRACKER_RATELIMIT_STORAGE_URL=redis://…", processes, processes)
