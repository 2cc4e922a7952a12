"""Record changes in the audit history (flush only; the caller's unit of work commits)."""

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from tracker.audit.models import AuditEvent
from tracker.errors import check_version, stale_record_message
from tracker.locking import guarded
from tracker.timeutil import utcnow


def snapshot(entity: Any, fields: list[str]) -> dict[str, Any]:
    """Return the current values of the named fields, JSON-ready."""
    return {name: _plain(getattr(entity, name)) for name in fields}


def _plain(value: Any) -> Any:
    """Turn a value into something JSON can hold."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose values differ."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record_change(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    entity: Any,
    changes: dict[str, list[Any]],
    city_id: int | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add one audit event for a change to `entity`."""
    event = AuditEvent(
        user_id=user_id,
        action=action,
        entity_type=type(entity).__name__,
        entity_id=entity.id,
        city_id=city_id,
        changes=changes,
        reason=reason,
    )
    session.add(event)
    session.flush()
    return event


def tracked_update(
    session: Session,
    record: Any,
    apply: Callable[[], object],
    *,
    take: Callable[[], dict[str, Any]],
    version: int | None,
    user_id: int | None,
    city_id: int | None,
) -> dict[str, list[Any]]:
    """Apply a change to a versioned record: refuse stale edits (in Python, then in the
    UPDATE itself), bump the version and keep the change in history when anything differs;
    return the changes."""
    check_version(record, version)
    with guarded(session, stale_record_message):
        before = take()
        apply()
        session.flush()
        changes = diff(before, take())
        if changes:
            record.version += 1
            if hasattr(record, "updated_at"):
                record.updated_at = utcnow()
            record_change(session, user_id=user_id, action="update", entity=record,
                          city_id=city_id, changes=changes)
        session.add(record)
    return changes
