"""Optimistic locking enforced by the database.

Every versioned table maps its `version` column as SQLAlchemy's `version_id_col`, managed by
the services (`version_id_generator=False`, so `record.version += 1` keeps working): each
UPDATE then says `WHERE id = … AND version = <the version loaded>`, and a row someone else
changed meanwhile matches nothing. The services first compare the version the client saw with
the loaded one, so the database checks the client's version. `guarded` turns the refusal (and
a duplicate of a unique record, such as two first saves of one cell) into `StaleEditError`
inside a savepoint, leaving the session usable to show the newer value.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import declared_attr
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from tracker.errors import StaleEditError

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE for a duplicate key
SERIALISATION_FAILURES = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock


class Versioned:
    """Mixin for a table model with a `version` column: the UPDATE itself checks it."""

    @declared_attr.directive
    def __mapper_args__(cls: Any) -> dict[str, Any]:  # noqa: N805  (a declared attribute)
        """Map `version` as the version counter the services increment."""
        # `cls` is the table model being mapped (not this mixin): it has a __table__.
        return {"version_id_col": cls.__table__.c.version,
                "version_id_generator": False}


def is_unique_violation(error: BaseException) -> bool:
    """Is this a duplicate key (a unique constraint refused the row)?"""
    orig = getattr(error, "orig", error)  # SQLAlchemy's error wraps the driver's
    if getattr(orig, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    return isinstance(error, IntegrityError) and "UNIQUE constraint failed" in str(orig)


def is_busy(error: BaseException) -> bool:
    """Was this write refused only because another one was under way (trying again is safe)?"""
    orig = getattr(error, "orig", error)
    return "database is locked" in str(orig) or \
        getattr(orig, "sqlstate", None) in SERIALISATION_FAILURES


def is_write_conflict(error: BaseException) -> bool:
    """Did the database refuse a write because someone else wrote the same record first?"""
    return isinstance(error, StaleDataError) or is_unique_violation(error)


@contextmanager
def guarded(session: Session, message: Callable[[], str]) -> Iterator[None]:
    """Write inside a savepoint and flush; when the database refuses the write as stale (or
    as a duplicate), roll the savepoint back and raise StaleEditError(message())."""
    savepoint = session.begin_nested()
    try:
        yield
        session.flush()
    except Exception as error:
        savepoint.rollback()
        if is_write_conflict(error):
            raise StaleEditError(message()) from error
        raise
    savepoint.commit()
