"""An Open SDG indicator's stored cells, compared and written in bulk (executemany or COPY).

A cell is (year, quarter, years spanned, breakdown key) within its indicator. Updates match
only a cell still at the version the import read, so a value someone saved meanwhile
refuses the whole import (StaleEditError); every written cell gets one history row.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlmodel import Session

from tracker.data.models import MissingReason, ObservationStatus, PeriodKind, shown_value
from tracker.data.observation_store import (
    CHANGES,
    CHECK,
    OBSERVATIONS,
    execute_many,
    stale_import_message,
)
from tracker.errors import StaleEditError
from tracker.locking import is_unique_violation

CellKey = tuple[int, int, int, str]  # year, quarter, span_years, breakdown key
IMPORT, IMPORT_APPROVE = "import", "import_approve"


@dataclass
class StoredCell:
    """A cell as stored: what a re-import compares with."""

    id: int
    version: int
    value: Decimal | None
    value_text: str
    progress_value: Decimal | None
    attributes: dict[str, str]
    period_label: str
    period_kind: PeriodKind
    missing_reason: MissingReason | None
    status: ObservationStatus
    is_deleted: bool


@dataclass(slots=True)
class Cell:
    """A row taken from a data file: the cell it fills and what it puts there."""

    row: int
    year: int
    quarter: int
    span: int
    key: str
    breakdown: dict[str, str]
    label: str
    kind: PeriodKind
    value: Decimal | None
    value_text: str
    progress: Decimal | None
    attributes: dict[str, str]
    stored: StoredCell | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def cell(self) -> CellKey:
        """Return the cell's key within its indicator."""
        return self.year, self.quarter, self.span, self.key

    @property
    def reason(self) -> MissingReason | None:
        """A row without a value is a value not available."""
        return MissingReason.NOT_AVAILABLE if self.value is None else None


def load_cells(session: Session, indicator_id: int) -> dict[CellKey, StoredCell]:
    """Return an indicator's stored cells (deleted ones too) by key, in one query."""
    t = OBSERVATIONS.c
    query = select(t.year, t.quarter, t.span_years, t.breakdown_key, t.id, t.version, t.value,
                   t.value_text, t.progress_value, t.attributes, t.period_label,
                   t.period_kind, t.missing_reason, t.status, t.is_deleted
                   ).where(t.indicator_id == indicator_id)
    return {(r[0], r[1], r[2], r[3]): StoredCell(*r[4:]) for r in session.execute(query)}


def compare(cell: Cell, approve: bool) -> None:
    """Note what saving changes in a stored cell (nothing: an unchanged row)."""
    stored = cell.stored
    if stored is None:
        return
    pairs = {"value": (stored.value_text, cell.value_text),
             "progress": (stored.progress_value, cell.progress),
             "attributes": (stored.attributes or {}, cell.attributes),
             "period": ((stored.period_label, stored.period_kind), (cell.label, cell.kind)),
             "missing_reason": (stored.missing_reason, cell.reason)}
    cell.changes = [name for name, (old, new) in pairs.items() if old != new]
    if stored.is_deleted:
        cell.changes.append("restored")
    if approve and stored.status != ObservationStatus.APPROVED:
        cell.changes.append("status")


def cell_row(cell: Cell) -> dict[str, Any]:
    """Return the columns a created or updated cell takes from its row."""
    return {"period_label": cell.label, "period_kind": cell.kind, "value": cell.value,
            "value_text": cell.value_text, "progress_value": cell.progress,
            "attributes": cell.attributes, "missing_reason": cell.reason}


def write_cells(session: Session, indicator_id: int, cells: list[Cell], user_id: int | None,
                approve: bool, now: Any) -> None:
    """Insert the new cells and update the changed ones, each with its history row."""
    status = ObservationStatus.APPROVED if approve else ObservationStatus.DRAFT
    fixed = {"status": status, "is_deleted": False, "return_reason": "",
             "updated_at": now, "updated_by_id": user_id}
    new = [c for c in cells if c.stored is None]
    changed = [c for c in cells if c.stored is not None and c.changes]
    insert_cells(session, indicator_id, new, fixed, user_id, now)
    update_cells(session, changed, fixed)
    ids = new_ids(session, indicator_id) if new else {}
    history = [{"observation_id": ids[c.cell] if c.stored is None else c.stored.id,
                "old_value": old_value(c.stored), "new_value": shown_value(
                    c.value, c.reason)[:80],
                "old_status": c.stored.status.value if c.stored else ""}
               for c in new + changed]
    note = _("Trusted import approval (Open SDG repository).") if approve else \
        _("Open SDG repository import.")
    execute_many(session, CHANGES, history, {
        "at": now, "user_id": user_id, "action": IMPORT_APPROVE if approve else IMPORT,
        "new_status": status.value, "note": note})


def old_value(stored: StoredCell | None) -> str:
    """Return a stored cell's value as history shows it."""
    if stored is None or stored.is_deleted:
        return ""
    return shown_value(stored.value, stored.missing_reason)[:80]


def insert_cells(session: Session, indicator_id: int, cells: list[Cell],
                 fixed: dict[str, Any], user_id: int | None, now: Any) -> None:
    """Insert new cells in one executemany (COPY on PostgreSQL)."""
    rows = [{"year": c.year, "quarter": c.quarter, "span_years": c.span,
             "breakdown": (c.key, c.breakdown), "breakdown_key": c.key, **cell_row(c)}
            for c in cells]
    constant = {"indicator_id": indicator_id, "comment": "", "source": "", "evidence_url": "",
                "evidence_id": None, "warning_note": "", "follow_up": False, "version": 1,
                "created_at": now, "created_by_id": user_id, **fixed}
    try:
        execute_many(session, OBSERVATIONS, rows, constant)
    except Exception as error:  # COPY raises the driver's own error, not SQLAlchemy's
        if not is_unique_violation(error):
            raise
        raise StaleEditError(stale_import_message(None)) from error


def update_cells(session: Session, cells: list[Cell], fixed: dict[str, Any]) -> None:
    """Update changed cells by id, each only if still at the version the import read."""
    rows = [{"cell_id": stored.id, "version": stored.version + 1, CHECK: stored.version,
             **cell_row(c)} for c in cells if (stored := c.stored) is not None]
    if len(rows) != len(cells):
        raise ValueError("only cells read from the database can be updated")
    written = execute_many(session, OBSERVATIONS, rows, fixed, key="cell_id", check=CHECK)
    if written != len(rows):
        raise StaleEditError(stale_import_message(len(rows) - written))


def new_ids(session: Session, indicator_id: int) -> dict[CellKey, int]:
    """Return the ids of an indicator's cells by key."""
    t = OBSERVATIONS.c
    query = select(t.year, t.quarter, t.span_years, t.breakdown_key, t.id).where(
        t.indicator_id == indicator_id)
    return {(r[0], r[1], r[2], r[3]): r[4] for r in session.execute(query)}
