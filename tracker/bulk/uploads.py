"""Keep an uploaded file between its dry run and its save, server-side, under a random token.

The file and a note of who uploaded it for which city, plan and kind of sheet are written to
the instance folder. Only the token travels through the browser, and it only opens the file for
the same user, city, plan and kind, before it expires. No path ever comes from the client.
"""

import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

logger = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
DEFAULT_TTL = 3600  # seconds; BULK_UPLOAD_TTL overrides it


@dataclass(frozen=True)
class Owner:
    """Who may use an upload, and for what."""

    user_id: int
    city_id: int
    kind: str
    plan_id: int | None = None


@dataclass(frozen=True)
class Upload:
    """A kept file and the name it was uploaded under."""

    data: bytes
    filename: str


def upload_dir() -> Path:
    """Return the folder of kept uploads (created on first use, private to the server)."""
    folder = Path(current_app.instance_path) / "bulk-uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def ttl() -> float:
    """Return how long an upload is kept."""
    return float(current_app.config.get("BULK_UPLOAD_TTL", DEFAULT_TTL))


def store_upload(data: bytes, filename: str, owner: Owner) -> str:
    """Keep a file for its owner; return the token that opens it."""
    purge_expired()
    token = secrets.token_urlsafe(32)
    folder = upload_dir()
    note = {"owner": vars(owner), "filename": filename[:200], "created_at": time.time()}
    for path, content in ((folder / f"{token}.bin", data),
                          (folder / f"{token}.json", json.dumps(note).encode())):
        path.write_bytes(content)
        path.chmod(0o600)
    return token


def load_upload(token: str, owner: Owner) -> Upload | None:
    """Return the kept file if the token is well formed, current and the owner's."""
    if not TOKEN.match(token or ""):
        return None
    folder = upload_dir()
    try:
        note = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if time.time() - float(note.get("created_at", 0)) > ttl():
        discard_upload(token)
        return None
    if note.get("owner") != vars(owner):
        logger.warning("Upload %s refused for %s", token[:6], owner)
        return None
    return Upload(data, str(note.get("filename", "")))


def discard_upload(token: str) -> None:
    """Delete a kept file."""
    if TOKEN.match(token or ""):
        for suffix in (".bin", ".json"):
            (upload_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def purge_expired() -> None:
    """Delete kept files older than their time to live."""
    limit = time.time() - ttl()
    for path in upload_dir().glob("*.*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
