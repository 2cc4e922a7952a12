"""Time helpers: the database stores aware UTC datetimes (stack.md §4.2, pitfall 7)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
