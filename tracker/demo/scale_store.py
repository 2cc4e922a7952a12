"""Bulk writes of `tracker demo scale`: rows as driver-ready tuples, COPY on PostgreSQL and
executemany on SQLite; an observation's history row is copied from it inside the database.

Millions of values cannot go through ORM objects (about 0.3 ms each); here a row costs a
tuple. Columns a generated row does not set take the model's own defaults, read once from a
transient instance, so a column added later with a default needs no change here.
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Table, bindparam, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from tracker.data.observation_copy import is_postgres, quoted


def table_of(model: type[SQLModel]) -> Table:
    """Return a table model's table."""
    table = SQLModel.metadata.tables[str(model.__tablename__)]
    return table


def ready(connection: Connection, table: Table, name: str, value: Any) -> Any:
    """Return a value as the driver takes it (JSON as text, enums as their values, dates as
    the dialect stores them)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date) and not is_postgres(connection):
        dialect = connection.dialect
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        return process(value) if process else value
    return value


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: Any) -> str:
    """Return a driver-ready value as a field of COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    return str(value)  # numbers; dates and aware datetimes in ISO form


class RowWriter:
    """Write rows of one table: the varying columns given per row, the rest constant. On
    PostgreSQL rows become COPY text at once (the constant columns formatted only once)."""

    def __init__(self, connection: Connection, table: Table, varying: Sequence[str],
                 constants: dict[str, Any]) -> None:
        """Convert the constant columns once for this connection's driver."""
        self.connection, self.table = connection, table
        self.names = [*varying, *constants]
        self.tail = tuple(ready(connection, table, n, v) for n, v in constants.items())
        self.copy = is_postgres(connection)
        self.tail_text = "".join("\t" + copy_text(v) for v in self.tail)
        self.pending: list[Any] = []
        self.written = 0

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Keep rows (tuples of the varying columns, driver-ready) for the next flush."""
        if self.copy:
            tail = self.tail_text + "\n"
            self.pending.extend("\t".join(map(copy_text, row)) + tail for row in rows)
        else:
            tail_row = self.tail
            self.pending.extend(row + tail_row for row in rows)

    def flush(self) -> None:
        """Insert the kept rows in one COPY (PostgreSQL) or executemany (SQLite)."""
        rows, self.pending = self.pending, []
        if not rows:
            return
        if self.copy:
            copy_text_rows(self.connection, self.table.name, self.names, rows)
        else:
            marks = ", ".join("?" for _ in self.names)
            self.connection.exec_driver_sql(
                f"INSERT INTO {self.table.name} ({', '.join(self.names)}) VALUES ({marks})",
                rows)
        self.written += len(rows)

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert rows now."""
        self.add(rows)
        self.flush()


def copy_text_rows(connection: Connection, table: str, names: Sequence[str],
                   lines: list[str]) -> None:
    """Stream lines of COPY text into a table."""
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({quoted(connection, names)}) FROM STDIN") as copy:
        for start in range(0, len(lines), 10_000):
            copy.write("".join(lines[start:start + 10_000]))


def model_defaults(record: SQLModel, table: Table, skip: Iterable[str]) -> dict[str, Any]:
    """Return the columns of a transient record as stored, but the id and `skip`."""
    left_out = {"id", *skip}
    return {c.name: getattr(record, c.name) for c in table.columns if c.name not in left_out}


def copy_history(connection: Connection, observations: Table, changes: Table,
                 city_ids: Sequence[int], fixed: dict[str, Any]) -> int:
    """Give every observation of these cities one history row: its value (or the reason for
    none) as history shows it, and the `fixed` columns; return the rows added."""
    # A text statement: SQLAlchemy's INSERT … FROM SELECT reports no row count on psycopg.
    names = list(fixed)
    statement = text(
        f"INSERT INTO {changes.name} (observation_id, new_value, {', '.join(names)}) "
        f"SELECT o.id, COALESCE(CAST(o.value AS VARCHAR(80)), '(' || o.missing_reason || ')'), "
        f"{', '.join(':' + n for n in names)} FROM {observations.name} o "
        "JOIN local_indicators i ON i.id = o.indicator_id WHERE i.city_id IN :cities"
    ).bindparams(bindparam("cities", expanding=True),
                 *(bindparam(n, type_=changes.c[n].type) for n in names))
    result = connection.execute(statement, {"cities": list(city_ids), **fixed})
    return int(result.rowcount)
