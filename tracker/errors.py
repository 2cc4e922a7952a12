"""Errors that services raise for the user to read, and the optimistic-locking check."""

from typing import Any

from flask_babel import gettext as _


class DomainError(ValueError):
    """A change was refused; the message says why, naming the field where there is one."""


class StaleEditError(DomainError):
    """Someone else saved the record since this edit began."""


def stale_record_message() -> str:
    """Say that someone else saved the record first."""
    message: str = _("Someone else saved this record while you were editing it. "
                     "Their version is shown; re-apply your changes.")
    return message


def check_version(record: Any, expected: int | None) -> None:
    """Refuse an edit that began before someone else's save (optimistic locking); the
    UPDATE then checks the same version in the database (tracker.locking)."""
    if expected is not None and expected != record.version:
        raise StaleEditError(stale_record_message())
