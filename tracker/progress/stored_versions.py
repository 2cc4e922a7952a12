"""Bump a city's progress data version in the transaction of every change progress reads.

Two session hooks cover every write path without each service having to remember: a flush
that adds, changes or deletes a value, an indicator (definition, baseline, progress rule and
settings, retirement), its targets, SDG alignments or plan links, or a catalogue row; and a
bulk INSERT / UPDATE / DELETE statement on those tables (the bulk approval, the perf builders).
The bump is one database-side upsert, `version = version + 1`, so two concurrent changes
never lose one (PostgreSQL makes the second wait for the first's row, then adds to it).
"""

from collections.abc import Iterable
from itertools import chain
from typing import Any

from flask import g, has_request_context
from sqlalchemy import Select, Table, event, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.dml import Insert
from sqlmodel import col

from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.cities.models import City
from tracker.data.models import Observation
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorElementLink,
    IndicatorTarget,
    LocalIndicator,
)
from tracker.progress.stored_models import ProgressVersion
from tracker.reports.worker import enqueue_task_after_request

BY_INDICATOR = (Observation, IndicatorTarget, IndicatorAlignment, IndicatorElementLink)
CATALOGUE = (Goal, Target, SdgIndicator)
VERSIONS: Table = ProgressVersion.__table__  # type: ignore[attr-defined]
INDICATORS: Table = LocalIndicator.__table__  # type: ignore[attr-defined]
TABLES_BY_INDICATOR = {str(m.__tablename__) for m in BY_INDICATOR}
CATALOGUE_TABLES = {str(m.__tablename__) for m in CATALOGUE}
CHUNK = 1000
RECOMPUTE_TASK = "recompute_progress"  # registered by tracker.progress.stored


def bump(session: Session, cities: Select[Any, Any]) -> list[int]:
    """Add 1 to the version of the cities `cities` selects (city id, 1); return their ids."""
    connection = session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(VERSIONS).from_select(["city_id", "version"], cities)
    statement: Insert = upsert.on_conflict_do_update(
        index_elements=["city_id"], set_={"version": VERSIONS.c.version + 1})
    ids = list(connection.execute(statement.returning(VERSIONS.c.city_id)).scalars())
    if ids and has_request_context():
        recompute_after_request(ids)
    return ids


def recompute_after_request(city_ids: Iterable[int]) -> None:
    """Queue the recomputation of these cities (tracker.progress.stored) once this request
    has committed: one task per request, its set filling until the request ends."""
    pending = g.get("progress_recompute")
    if pending is None:
        pending = g.progress_recompute = set()
        enqueue_task_after_request(RECOMPUTE_TASK, pending)
    pending.update(city_ids)


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[list[int]]:
    """Split ids into lists a statement can bind (SQLite and PostgreSQL cap parameters)."""
    ordered = sorted(set(ids))
    return (ordered[i:i + size] for i in range(0, len(ordered), size))


def bump_cities(session: Session, city_ids: Iterable[int]) -> list[int]:
    """Bump these cities' versions."""
    return [city for part in chunks(city_ids) for city in bump(
        session, select(col(City.id), literal(1)).where(col(City.id).in_(part)))]


def bump_indicators(session: Session, indicator_ids: Iterable[int]) -> list[int]:
    """Bump the versions of these indicators' cities (once each)."""
    cities = {city for part in chunks(indicator_ids) for city in session.connection().execute(
        select(INDICATORS.c.city_id).distinct().where(INDICATORS.c.id.in_(part))).scalars()}
    return bump_cities(session, cities)


def bump_all(session: Session) -> list[int]:
    """Bump every city (a catalogue change may move any indicator's goal)."""
    return bump(session, select(col(City.id), literal(1)).where(col(City.id).is_not(None)))


def changed(session: Session) -> Iterable[object]:
    """The records this flush adds, changes or deletes."""
    dirty = (obj for obj in session.dirty if session.is_modified(obj))
    return chain(session.new, dirty, session.deleted)


@event.listens_for(Session, "after_flush")
def bump_after_flush(session: Session, _context: Any) -> None:
    """Bump the cities whose progress inputs this flush changed."""
    cities: set[int] = set()
    indicators: set[int] = set()
    for obj in changed(session):
        if isinstance(obj, LocalIndicator) and obj.city_id is not None:
            cities.add(obj.city_id)
        elif isinstance(obj, BY_INDICATOR) and obj.indicator_id is not None:
            indicators.add(obj.indicator_id)
        elif isinstance(obj, CATALOGUE):
            bump_all(session)
            return
    if cities:
        bump_cities(session, cities)
    if indicators:
        bump_indicators(session, indicators)


@event.listens_for(Session, "do_orm_execute")
def bump_on_bulk_write(state: ORMExecuteState) -> None:
    """Bump the cities a bulk INSERT / UPDATE / DELETE on a progress input touches."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in CATALOGUE_TABLES:
        bump_all(state.session)
    elif name == INDICATORS.name or name in TABLES_BY_INDICATOR:
        bump_statement(state, table)  # type: ignore[arg-type]


def bump_statement(state: ORMExecuteState, table: Table) -> None:
    """Bump the cities of a bulk statement's rows: by its parameters (INSERT) or by its
    WHERE clause, run as a SELECT before the statement changes the rows (UPDATE, DELETE)."""
    key = "city_id" if table.name == INDICATORS.name else "indicator_id"
    if state.is_insert:
        rows: Any = state.parameters or {}
        ids = {row[key] for row in (rows if isinstance(rows, list) else [rows]) if key in row}
        if ids:
            (bump_cities if key == "city_id" else bump_indicators)(state.session, ids)
        return
    query = select(INDICATORS.c.city_id, literal(1)).distinct()
    if table.name != INDICATORS.name:
        query = query.join(table, table.c.indicator_id == INDICATORS.c.id)
    where = getattr(state.statement, "whereclause", None)
    bump(state.session, query.where(where) if where is not None else query.where(
        INDICATORS.c.id.is_not(None)))
