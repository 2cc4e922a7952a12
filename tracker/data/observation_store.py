"""What an observation import compares against, loaded in a few queries, and its bulk writes.

A city's values are read as plain tuples (not ORM objects) and written with executemany
INSERTs and UPDATEs: 100 000 values must import in seconds, which per-row ORM saves cannot.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import selectinload
from sqlmodel import Session, SQLModel, col

from tracker.cities.models import City
from tracker.data import observation_copy as copy
from tracker.data.models import (
    MissingReason,
    Observation,
    ObservationStatus,
    PeriodKind,
    ReportingWindow,
    shown_value,
)
from tracker.db import relation
from tracker.errors import StaleEditError
from tracker.indicators.models import LocalIndicator
from tracker.locking import is_unique_violation
from tracker.timeutil import utcnow

IMPORT = "import"
CHECK = "old_version"  # the parameter an UPDATE compares the stored version with
OBSERVATIONS: Table = SQLModel.metadata.tables["observations"]  # Observation's table
CHANGES: Table = SQLModel.metadata.tables["observation_changes"]  # ObservationChange's


@dataclass
class Stored:
    """An observation as stored: what an import compares with and may overwrite."""

    id: int
    version: int
    value: Decimal | None
    reason: MissingReason | None
    comment: str
    source: str
    status: ObservationStatus
    is_deleted: bool


Cell = tuple[int, int, int, int, str]  # indicator id, year, quarter, span_years, breakdown key


@dataclass
class Planned:
    """A checked row: the cell it fills and what it puts there."""

    row: int
    indicator: LocalIndicator
    year: int
    quarter: int
    breakdown: dict[str, str]
    key: str
    value: Decimal | None
    reason: MissingReason | None
    comment: str | None  # None: the file has no such column, keep what is stored
    source: str | None
    span_years: int = 1
    period_label: str = ""  # the period as the file wrote it
    period_kind: PeriodKind = PeriodKind.YEAR
    stored: Stored | None = None
    changes: list[str] = field(default_factory=list)
    indicator_id: int = 0  # copies of the indicator's id and code: ORM reads are slow
    code: str = ""

    def __post_init__(self) -> None:
        """Copy the indicator's id and code."""
        self.indicator_id, self.code = self.indicator.id or 0, self.indicator.code

    @property
    def cell(self) -> Cell:
        """Return the cell the row fills: (indicator id, year, quarter, span, breakdown key)."""
        return self.indicator_id, self.year, self.quarter, self.span_years, self.key


@dataclass
class CityState:
    """A city's indicators (by lower-case code) and stored values (by cell)."""

    indicators: dict[str, LocalIndicator]
    cells: dict[Cell, Stored]
    windows: dict[tuple[int, int], ReportingWindow]
    # indicator id → lower-case dimension name → (name, lower-case value → value)
    dimensions: dict[int | None, dict[str, tuple[str, dict[str, str]]]] = field(
        default_factory=dict)


def dimension_lookup(indicators: list[LocalIndicator]
                     ) -> dict[int | None, dict[str, tuple[str, dict[str, str]]]]:
    """Index each indicator's dimensions and values by their lower-case spelling."""
    return {i.id: {d.name.lower(): (d.name, {v.lower(): v for v in d.values})
                   for d in i.dimensions} for i in indicators}


def load_indicators(session: Session, city: City) -> list[LocalIndicator]:
    """Return the city's indicators with their dimensions, in code order."""
    query = (select(LocalIndicator).where(col(LocalIndicator.city_id) == city.id)
             .options(selectinload(relation(LocalIndicator.dimensions)))
             .order_by(col(LocalIndicator.code)))
    return list(session.scalars(query))


def load_state(session: Session, city: City) -> CityState:
    """Load the city's indicators, every stored value (deleted ones too) and its windows."""
    indicators = load_indicators(session, city)
    obs = Observation
    columns = (obs.indicator_id, obs.year, obs.quarter, obs.span_years, obs.breakdown_key,
               obs.id, obs.version, obs.value, obs.missing_reason, obs.comment, obs.source,
               obs.status, obs.is_deleted)
    query = (select(*map(col, columns))
             .join(LocalIndicator, col(LocalIndicator.id) == obs.indicator_id)
             .where(col(LocalIndicator.city_id) == city.id))
    cells = {(r[0], r[1], r[2], r[3], r[4]): Stored(*r[5:]) for r in session.execute(query)}
    windows = {(w.year, w.quarter): w for w in session.scalars(
        select(ReportingWindow).where(col(ReportingWindow.city_id) == city.id))}
    return CityState({i.code.lower(): i for i in indicators}, cells, windows,
                     dimension_lookup(indicators))


def cell_fields(plan: Planned) -> dict[str, Any]:
    """Return the columns a created or updated cell takes from its row."""
    stored = plan.stored
    keep = (stored.comment, stored.source) if stored else ("", "")
    return {"value": plan.value, "missing_reason": plan.reason,
            "comment": keep[0] if plan.comment is None else plan.comment,
            "source": keep[1] if plan.source is None else plan.source,
            "period_label": plan.period_label, "period_kind": plan.period_kind}


# What a cell from a tracker sheet holds of the source-keeping columns (Open SDG imports
# write their own; the period's label and kind come from the row, cell_fields).
SOURCE_DEFAULTS: dict[str, Any] = {"value_text": "", "progress_value": None, "attributes": {}}


def fixed_fields(user_id: int | None, now: Any) -> dict[str, Any]:
    """Return the columns every created or updated cell gets alike."""
    return {"status": ObservationStatus.DRAFT, "is_deleted": False, "return_reason": "",
            "updated_at": now, "updated_by_id": user_id}


def execute_many(session: Session, table: Table, rows: list[dict[str, Any]],
                 fixed: dict[str, Any], key: str = "", check: str = "") -> int:
    """Insert rows (or, given the `key` holding the id, update them; given `check`, the key
    holding a version, only rows still at it) in one go; return how many rows were written.
    Each column is converted with
    the dialect's own converters: `fixed` columns (alike in every row) once, a breakdown once
    per distinct key. SQLAlchemy's per-row parameter handling would triple the time; on
    PostgreSQL the rows are streamed with COPY."""
    if not rows:
        return 0
    connection = session.connection()
    statement: Any = insert(table)
    if key:
        statement = update(table).where(table.c.id == bindparam(key))
    if check:
        statement = statement.where(table.c.version == bindparam(check))
    compiled = statement.compile(dialect=connection.dialect, column_keys=[*rows[0], *fixed])
    names = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
    convert = converters(bind_processors(compiled, connection.dialect), names)
    done = {name: convert[name](value) for name, value in fixed.items()}
    params = [tuple(done[n] if n in done else convert[n](row[n]) for n in names)
              for row in rows]
    if copy.is_postgres(connection):
        if key:
            return copy.copy_update(connection, table, key, check, names, params)
        copy.copy_insert(connection, table, names, params)
        return len(params)
    batch: list[tuple[Any, ...]] | list[dict[str, Any]] = params
    if not compiled.positional:
        batch = [dict(zip(names, p, strict=True)) for p in params]
    # sqlite3 and psycopg add up the rows each statement of an executemany matched.
    return connection.exec_driver_sql(str(compiled), batch).rowcount


def bind_processors(compiled: Any, dialect: Any) -> dict[str, Any]:
    """Return each parameter's converter as the dialect applies it (public type API: the
    type's dialect implementation and its bind processor)."""
    return {name: param.type.dialect_impl(dialect).bind_processor(dialect)
            for name, param in compiled.binds.items()}


def converters(processors: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Return each parameter's converter; a breakdown, given as (key, dict), is converted
    once per key."""
    convert = {name: processors.get(name) or (lambda value: value) for name in names}
    if "breakdown" in convert:
        to_json, memo = convert["breakdown"], {}

        def breakdown(pair: tuple[str, dict[str, str]]) -> Any:
            """Convert a breakdown once per key."""
            if pair[0] not in memo:
                memo[pair[0]] = to_json(pair[1])
            return memo[pair[0]]

        convert["breakdown"] = breakdown
    return convert


def insert_cells(session: Session, plans: list[Planned], user_id: int | None, now: Any
                 ) -> list[int]:
    """Insert new cells in one executemany; return their ids in the same order."""
    if not plans:
        return []
    rows = [{"indicator_id": p.indicator_id, "year": p.year, "quarter": p.quarter,
             "span_years": p.span_years, "breakdown": (p.key, p.breakdown),
             "breakdown_key": p.key, **cell_fields(p)}
            for p in plans]
    fixed = {"evidence_url": "", "evidence_id": None, "warning_note": "", "follow_up": False,
             "version": 1, "created_at": now, "created_by_id": user_id, **SOURCE_DEFAULTS,
             **fixed_fields(user_id, now)}
    # A plain executemany, then one query for the ids: RETURNING in parameter order makes
    # SQLite insert row by row. A cell someone else created meanwhile is a duplicate.
    try:
        execute_many(session, OBSERVATIONS, rows, fixed)
    except Exception as error:  # COPY raises the driver's own error, not SQLAlchemy's
        if not is_unique_violation(error):
            raise
        raise StaleEditError(stale_import_message(None)) from error
    ids = new_ids(session, {p.indicator_id for p in plans})
    return [ids[p.cell] for p in plans]


def new_ids(session: Session, indicator_ids: set[int]) -> dict[Cell, int]:
    """Return the ids of the indicators' cells by (indicator, year, quarter, span, key)."""
    table = OBSERVATIONS
    query = select(table.c.indicator_id, table.c.year, table.c.quarter, table.c.span_years,
                   table.c.breakdown_key, table.c.id
                   ).where(table.c.indicator_id.in_(indicator_ids))
    return {(r[0], r[1], r[2], r[3], r[4]): r[5] for r in session.execute(query)}


def update_cells(session: Session, plans: list[Planned], user_id: int | None, now: Any
                 ) -> None:
    """Update changed cells by primary key in one executemany, each one version on; the
    UPDATE matches only a cell still at the version the plan read, so a cell someone else
    saved meanwhile refuses the whole import."""
    rows = [{"cell_id": stored_cell(p).id, "version": stored_cell(p).version + 1,
             CHECK: stored_cell(p).version, **cell_fields(p)} for p in plans]
    written = execute_many(session, OBSERVATIONS, rows, fixed_fields(user_id, now),
                           key="cell_id", check=CHECK)
    if written != len(rows):
        raise StaleEditError(stale_import_message(len(rows) - written))


def stored_cell(plan: Planned) -> Stored:
    """Return what a changed plan's cell held when read (a changed cell was read)."""
    if plan.stored is None:
        raise ValueError(f"{plan.code}: only a cell that was read can change")
    return plan.stored


def stale_import_message(count: int | None) -> str:
    """Say that cells changed since the import read them (how many, when known), and that
    nothing was saved."""
    message: str
    if count is None:
        message = _("Someone else saved values of this file meanwhile. Nothing was saved: "
                    "check the file again.")
        return message
    message = ngettext("%(num)d value in this file was saved by someone else meanwhile. "
                       "Nothing was saved: check the file again.",
                       "%(num)d values in this file were saved by someone else meanwhile. "
                       "Nothing was saved: check the file again.", count)
    return message


def lock_city(session: Session, city_id: int) -> None:
    """Hold the city's row until commit, so two imports into one city write one after the
    other (the later one then finds its cells changed and is refused). SQLite has no row
    locks; its single writer serialises the imports anyway."""
    session.execute(select(col(City.id)).where(col(City.id) == city_id).with_for_update())


def old_state(stored: Stored | None) -> tuple[str, str]:
    """Return a stored cell's value and status as history shows them."""
    if stored is None:
        return "", ""
    shown = "" if stored.is_deleted else shown_value(stored.value, stored.reason)
    return shown, stored.status.value


def apply_plans(session: Session, plans: list[Planned], user_id: int | None) -> None:
    """Write every new and changed cell, with one history row each ("import"), or nothing
    when any of them was saved by someone else since the plan read it (StaleEditError)."""
    now = utcnow()
    new = [p for p in plans if p.stored is None]
    changed = [p for p in plans if p.stored is not None and p.changes]
    if new or changed:
        lock_city(session, (new or changed)[0].indicator.city_id)
    ids = insert_cells(session, new, user_id, now)
    update_cells(session, changed, user_id, now)
    targets = list(zip(ids, new, strict=True)) + [(stored_cell(p).id, p) for p in changed]
    history = []
    for cell_id, plan in targets:
        old = old_state(plan.stored)
        history.append({"observation_id": cell_id, "old_value": old[0],
                        "new_value": shown_value(plan.value, plan.reason)[:80],
                        "old_status": old[1], "note": (plan.comment or "")[:2000]})
    execute_many(session, CHANGES, history,
                 {"at": now, "user_id": user_id, "action": IMPORT,
                  "new_status": ObservationStatus.DRAFT.value})
    session.flush()
