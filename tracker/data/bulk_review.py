"""Approve many submitted values at once, each as the reviewer saw it (flush, never commit).

All or nothing: the cells are read with their rows locked (PostgreSQL), any cell that moved
on since the reviewer saw it refuses the whole approval, and the UPDATE itself names every
cell's seen version, so a cell changed between the read and the write matches nothing and
the approval is rolled back too. Each approval is kept in the cell's history, marked "bulk".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import insert, select, tuple_, update
from sqlmodel import Session, col

from tracker.cities.models import City
from tracker.data.models import (
    MissingReason,
    Observation,
    ObservationChange,
    ObservationStatus,
    shown_value,
)
from tracker.errors import DomainError, StaleEditError
from tracker.indicators.models import LocalIndicator
from tracker.timeutil import utcnow

BULK_NOTE = "bulk"
CHUNK = 500  # pairs per UPDATE: well within every backend's parameter limit


@dataclass(frozen=True)
class Problem:
    """A cell that cannot be approved as seen: what the reviewer saw and what it is now."""

    id: int
    seen_version: int
    version: int | None  # None: the city has no such value (or it was deleted)
    status: str

    @property
    def stale(self) -> bool:
        """Did the cell move on since it was seen (rather than never being submitted)?"""
        return self.version != self.seen_version


class BulkApprovalError(DomainError):
    """Some cells cannot be approved as seen (not submitted): nothing was approved."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


class BulkStaleError(StaleEditError):
    """Some cells changed since the reviewer saw them: nothing was approved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(ngettext(
            "%(num)d value changed since you saw it, so nothing was approved. Check it "
            "and try again.",
            "%(num)d values changed since you saw them, so nothing was approved. Check them "
            "and try again.", len(problems)))
        self.problems = problems


def chunks(items: Sequence[tuple[int, int]], size: int = CHUNK) -> Iterable[list[tuple[int, int]]]:
    """Split the pairs into lists of at most `size`."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass(frozen=True)
class Cell:
    """What approving needs of a stored value (read without loading the whole record)."""

    id: int
    version: int
    status: ObservationStatus
    is_deleted: bool
    value: Decimal | None
    missing_reason: MissingReason | None


def lock_cells(session: Session, city: City, ids: Iterable[int]) -> dict[int, Cell]:
    """Read the city's cells with these ids as they are now, holding their rows until commit
    (in id order, so two approvals never deadlock)."""
    found: dict[int, Cell] = {}
    columns = [col(getattr(Observation, name)) for name in Cell.__dataclass_fields__]
    for batch in chunks([(i, 0) for i in sorted(ids)]):
        query = (select(*columns)
                 .join(LocalIndicator, col(LocalIndicator.id) == col(Observation.indicator_id))
                 .where(col(LocalIndicator.city_id) == city.id,
                        col(Observation.id).in_([i for i, _v in batch]))
                 .order_by(col(Observation.id))
                 .with_for_update(of=Observation))
        found.update((row[0], Cell(*row)) for row in session.execute(query))
    return found


def problems_of(cells: dict[int, Cell], seen: dict[int, int]) -> list[Problem]:
    """List the cells not found, changed since seen, deleted, or not submitted."""
    problems = []
    for cell_id, version in sorted(seen.items()):
        cell = cells.get(cell_id)
        if cell is None or cell.is_deleted:
            problems.append(Problem(cell_id, version, None, "" if cell is None else "deleted"))
        elif cell.version != version or cell.status != ObservationStatus.SUBMITTED:
            problems.append(Problem(cell_id, version, cell.version, cell.status.value))
    return problems


def refuse(problems: list[Problem]) -> None:
    """Raise the error that says why nothing was approved: stale cells first."""
    stale = [p for p in problems if p.stale]
    if stale:
        raise BulkStaleError(stale)
    raise BulkApprovalError(ngettext(
        "%(num)d value is not submitted for review, so nothing was approved.",
        "%(num)d values are not submitted for review, so nothing was approved.",
        len(problems)), problems)


def write_approvals(session: Session, pairs: list[tuple[int, int]]) -> int:
    """Approve the cells whose row still holds the seen version; return how many did."""
    done = 0
    for batch in chunks(pairs):
        statement = (update(Observation)
                     # the id list lets the database find the rows by key first
                     .where(col(Observation.id).in_([i for i, _v in batch]),
                            tuple_(col(Observation.id), col(Observation.version)).in_(batch),
                            col(Observation.status) == ObservationStatus.SUBMITTED,
                            col(Observation.is_deleted).is_(False))
                     .values(status=ObservationStatus.APPROVED,
                             version=col(Observation.version) + 1,
                             return_reason="")
                     .execution_options(synchronize_session=False))
        done += session.exec(statement).rowcount
    return done


def log_approvals(session: Session, cells: Iterable[Cell], user_id: int | None) -> None:
    """Keep one history row per approved cell, marked as a bulk approval."""
    now = utcnow()
    rows = [{"observation_id": cell.id, "at": now, "user_id": user_id, "action": "approve",
             "old_value": shown_value(cell.value, cell.missing_reason), "new_value":
             shown_value(cell.value, cell.missing_reason), "old_status": "submitted",
             "new_status": "approved", "note": BULK_NOTE} for cell in cells]
    if rows:
        session.execute(insert(ObservationChange), rows)


def forget(session: Session, ids: dict[int, int]) -> None:
    """Expire the approved values the session holds: the UPDATE bypassed them."""
    for record in list(session.identity_map.values()):
        if isinstance(record, Observation) and record.id in ids:
            session.expire(record)


def approve_seen(*, session: Session, city: City, seen: dict[int, int],
                 user_id: int | None) -> list[tuple[int, int]]:
    """Approve the city's submitted cells {id: version seen}, all or nothing: a cell that
    moved on refuses the whole approval (BulkStaleError), as does one never submitted
    (BulkApprovalError). Return each approved cell's id and new version, by id."""
    if not seen:
        raise BulkApprovalError(_("Choose at least one value to approve."), [])
    cells = lock_cells(session, city, seen)
    problems = problems_of(cells, seen)
    if problems:
        refuse(problems)
    savepoint = session.begin_nested()
    if write_approvals(session, sorted(seen.items())) != len(seen):
        savepoint.rollback()  # a cell changed between the read and the write
        refuse(problems_of(lock_cells(session, city, seen), seen) or [
            Problem(i, v, None, "") for i, v in sorted(seen.items())])
    log_approvals(session, cells.values(), user_id)
    savepoint.commit()
    forget(session, seen)
    return [(cell_id, version + 1) for cell_id, version in sorted(seen.items())]
