"""Engine, per-request session and the metadata naming convention."""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol, cast

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import Numeric, String, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine

# Constraint names must be stable from the first migration on: batch mode on SQLite can
# only alter or drop named constraints (stack.md §4.2, pitfall 3).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


CONNECT_TIMEOUT_SECONDS = 10


def normalise_url(url: str) -> str:
    """Select psycopg 3 for plain PostgreSQL URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """Turn foreign keys on: SQLite ignores them per connection otherwise."""
    dbapi_connection.isolation_level = None  # autocommit driver; "begin" below opens ours
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    """Emit BEGIN ourselves: pysqlite's own transaction handling breaks SAVEPOINTs."""
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Build an engine for SQLite or PostgreSQL."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if url.startswith("postgresql") and "connect_timeout" not in url:
        # libpq waits forever for a server that accepts but never answers: give up instead.
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                                  **kwargs.get("connect_args", {})}
    return create_engine(url, **kwargs)


# Statements that cannot change stored data; anything else counts as a write (see note_write).
_READ_ONLY_STATEMENTS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "PRAGMA",
                         "SHOW", "SET", "EXPLAIN")
_WRITES_IN_CTE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
WROTE = "db_wrote"  # key in `g`: a statement of this app context may have written


def note_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    """Mark the app context as having written when a statement may change stored data.

    Every statement counts, whichever way it was sent (an ORM flush, `session.execute`, a
    driver-level batch on `session.connection()`), so a read-only request that wrote can
    never end without its commit: unknown statements count as writes."""
    if has_app_context() and not reads_only(statement):
        g.setdefault(WROTE, True)


def reads_only(statement: str) -> bool:
    """Can this SQL statement not change stored data?"""
    head = statement.lstrip()[:9].upper()
    if head.startswith("WITH"):
        return _WRITES_IN_CTE.search(statement) is None
    return head.startswith(_READ_ONLY_STATEMENTS)


class Database:
    """The app's engine and the factory of its sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session_factory: Callable[[], Session] = lambda: Session(engine)
        # Tests hand every request one shared session inside a rolled-back transaction.
        self.closes_sessions = True


def init_db(app: Flask) -> None:
    """Create the engine from config, watch it for writes, and close the request session on
    teardown."""
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    if not event.contains(engine, "before_cursor_execute", note_write):  # once per engine
        event.listen(engine, "before_cursor_execute", note_write)
    app.extensions["tracker_db"] = Database(engine)
    app.teardown_appcontext(close_session)


def get_db() -> Database:
    """Return the current app's database."""
    return cast(Database, current_app.extensions["tracker_db"])


def get_session() -> Session:
    """Return the session of this request (or app context), opening it on first use."""
    if "db_session" not in g:
        database = get_db()
        session = database.session_factory()
        if not database.closes_sessions:
            # The test's shared session: what the test itself wrote before this request is
            # committed now (to the test's savepoint), so that it does not count as the
            # request's write and a later request's rollback cannot take it away — as with
            # real sessions, where the test's data would have been committed already.
            session.commit()
            g.pop(WROTE, None)
        g.db_session = session
    return cast(Session, g.db_session)


def session_wrote() -> bool:
    """Has this app context written anything (flushing the session's pending changes first)?"""
    session = g.get("db_session")
    if session is not None:
        session.flush()
    return bool(g.get(WROTE))


def commit_session() -> None:
    """Commit the unit of work of this request, if a session was opened."""
    session = g.get("db_session")
    if session is not None:
        if get_db().closes_sessions:
            # This session is thrown away after the request: expiring every loaded object
            # would only cost time (a request that loaded 100 000 rows paid seconds).
            session.expire_on_commit = False
        session.commit()
        g.pop(WROTE, None)


def rollback_session() -> None:
    """Roll back this request's session, if one was opened."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()
        g.pop(WROTE, None)


def end_read_only() -> None:
    """End a request that wrote nothing: no commit; its session closes on teardown."""
    g.db_read_only = True


def close_session(_exc: BaseException | None = None) -> None:
    """Close the session: its transaction ends with nothing committed that was not already.

    A read-only request's session is closed without an explicit rollback (which would expire
    every loaded object first); closing returns the connection, whose transaction ends."""
    session = g.pop("db_session", None)
    if session is None:
        return
    if get_db().closes_sessions:
        session.close()
    elif g.pop("db_read_only", False):
        # The test's shared session: keep what the test wrote before the request, but read
        # afresh afterwards, as the next request's own session would.
        session.expire_all()
    else:
        session.rollback()


class _Stored(Protocol):
    """A record with a database id (SQLModel declares it `int | None` until flushed)."""

    @property
    def id(self) -> int | None: ...


def saved_id(record: _Stored) -> int:
    """Return the id of a record that is in the database (added and flushed)."""
    if record.id is None:
        raise ValueError(f"{type(record).__name__} has no id yet: flush it first")
    return record.id


def stored_id(value: int | None) -> int:
    """Return a primary key read back from the database, where it is never NULL."""
    if value is None:
        raise ValueError("A primary key read from the database is NULL")
    return value


def relation(attribute: object) -> QueryableAttribute[Any]:
    """Return a model's relationship attribute as SQLAlchemy types it, for loader options."""
    # SQLModel declares a relationship with the related model's type (City.parent: City).
    if not isinstance(attribute, QueryableAttribute):
        raise TypeError(f"Not a mapped attribute: {attribute!r}")
    return attribute


def enum_type(enum_cls: type) -> Any:
    """Store an enum as its string values in a VARCHAR (no native database enum type)."""
    from sqlalchemy import Enum

    return Enum(enum_cls, native_enum=False, create_constraint=False, length=40,
                values_callable=lambda members: [m.value for m in members])


class ExactDecimal(TypeDecorator[Decimal]):
    """Store Decimal values exactly, at any precision: unconstrained NUMERIC on PostgreSQL,
    text on SQLite (no float rounding)."""

    impl = Numeric()
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        """Use text on SQLite, which has no exact decimal type."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(48))
        return dialect.type_descriptor(Numeric())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        """Write a Decimal (plain notation on SQLite)."""
        if value is None:
            return None
        value = Decimal(str(value))
        return format(value, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        """Read back a Decimal without trailing zeros."""
        if value is None:
            return None
        return normalise_decimal(Decimal(str(value)))


def normalise_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros but keep integers in plain notation (2.50 → 2.5, 100 → 100)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal
