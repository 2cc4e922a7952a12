"""Configuration read from the environment, with safe defaults for the embedded set-up."""

import os
import secrets
from pathlib import Path

from tracker.resources import SOURCE_DIR, default_instance_path, package_path

ROOT = SOURCE_DIR  # the checkout; an installed copy reads its files via tracker.resources
INSTANCE = Path(os.environ.get("TRACKER_INSTANCE_PATH") or default_instance_path())


def default_database_url() -> str:
    """Return the embedded SQLite database under instance/."""
    return f"sqlite:///{INSTANCE / 'tracker.db'}"


def load_secret_key(instance: Path) -> str:
    """Return TRACKER_SECRET_KEY, or a key generated once and kept in instance/."""
    if key := os.environ.get("TRACKER_SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def env_flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings for a running server; every value can come from the environment."""

    def __init__(self) -> None:
        self.SECRET_KEY = load_secret_key(INSTANCE)
        self.DATABASE_URL = os.environ.get("TRACKER_DATABASE_URL") or default_database_url()
        self.INSTANCE_PATH = str(INSTANCE)
        self.SESSION_COOKIE_SECURE = env_flag("TRACKER_SECURE_COOKIES", True)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.RATELIMIT_STORAGE_URI = os.environ.get("TRACKER_RATELIMIT_STORAGE_URL", "memory://")
        self.REDIS_URL = os.environ.get("TRACKER_REDIS_URL", "")
        self.LOGIN_RATE_LIMIT = os.environ.get("TRACKER_LOGIN_RATE_LIMIT", "5 per minute")
        # Report runs: heartbeat every few seconds; a run silent for the timeout lost its
        # worker, one running past the time limit is stopped (seconds).
        self.REPORT_HEARTBEAT_INTERVAL = float(
            os.environ.get("TRACKER_REPORT_HEARTBEAT_INTERVAL", "5"))
        self.REPORT_HEARTBEAT_TIMEOUT = float(
            os.environ.get("TRACKER_REPORT_HEARTBEAT_TIMEOUT", "60"))
        self.REPORT_TIME_LIMIT = float(os.environ.get("TRACKER_REPORT_TIME_LIMIT", "900"))
        self.REPORT_ANONYMOUS_RATE_LIMIT = os.environ.get(
            "TRACKER_REPORT_ANONYMOUS_RATE_LIMIT", "10 per hour")
        # Import jobs: files up to this size are checked at once, larger ones on the queue;
        # uploads are kept for the TTL, and a job not finished within the limit fails (s).
        self.IMPORT_INLINE_BYTES = int(os.environ.get("TRACKER_IMPORT_INLINE_BYTES", "65536"))
        self.IMPORT_JOB_TTL = float(os.environ.get("TRACKER_IMPORT_JOB_TTL", "172800"))
        self.IMPORT_JOB_TIME_LIMIT = float(os.environ.get("TRACKER_IMPORT_JOB_TIME_LIMIT",
                                                          "1800"))
        # The comparison ranks a city only with scores on at least this many indicators and
        # this share (0.5 = 50 %) of the indicators scored for any city compared.
        self.COMPARE_MIN_INDICATORS = int(os.environ.get("TRACKER_COMPARE_MIN_INDICATORS", "3"))
        self.COMPARE_MIN_SHARE = float(os.environ.get("TRACKER_COMPARE_MIN_SHARE", "0.5"))
        # Proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
        self.PROXY_FIX = int(os.environ.get("TRACKER_PROXY_FIX", "0"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(package_path("translations"))
    API_MAX_PER_PAGE = 500
    TESTING = False


def as_dict(config: object) -> dict[str, object]:
    """Return the upper-case settings of a config object."""
    names = set(dir(config)) | set(vars(config))
    return {name: getattr(config, name) for name in names if name.isupper()}
