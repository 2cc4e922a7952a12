"""What a schema downgrade would destroy: tables, columns and rows that hold data now.

The downgrade is rendered as SQL (Alembic's offline mode, in PostgreSQL's dialect so that
SQLite's batch copies do not hide the drops) and its DROP TABLE, DROP COLUMN and DELETE
statements are counted against the live database. Nothing is changed.
"""

import io
import re
from dataclasses import dataclass

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import column, func, inspect, select, table, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import Executable

DROP_TABLE = re.compile(r"^DROP TABLE (?:IF EXISTS )?\"?(\w+)\"?", re.I | re.M)
DROP_COLUMN = re.compile(r"^ALTER TABLE \"?(\w+)\"? DROP COLUMN \"?(\w+)\"?", re.I | re.M)
DELETE = re.compile(r"^DELETE FROM \"?(\w+)\"?[^;]*", re.I | re.M)


@dataclass(frozen=True)
class Loss:
    """Data a downgrade would drop: what, and how many rows or values."""

    kind: str  # "table", "column" or "rows"
    name: str  # table, or table.column
    count: int


def revisions_to_undo(script: ScriptDirectory, heads: tuple[str, ...], target: str
                      ) -> list[str]:
    """Return the revisions a downgrade from `heads` to `target` undoes, newest first."""
    if len(heads) != 1:
        return []
    return [r.revision for r in script.iterate_revisions(heads[0], target)]


def downgrade_sql(cfg_for: AlembicConfig, script: ScriptDirectory, head: str,
                  undone: list[str]) -> str:
    """Render the downgrade from `head` undoing `undone` as PostgreSQL statements."""
    lower = script.get_revision(undone[-1]).down_revision
    if isinstance(lower, tuple | list):
        raise ValueError("cannot render a downgrade across a merge")
    buffer = io.StringIO()
    cfg = AlembicConfig(cfg_for.config_file_name, output_buffer=buffer)
    for option in ("script_location",):
        cfg.set_main_option(option, cfg_for.get_main_option(option) or "")
    cfg.set_main_option("sqlalchemy.url", "postgresql://")
    cfg.attributes["configure_logger"] = False
    command.downgrade(cfg, f"{head}:{lower or 'base'}", sql=True)
    return buffer.getvalue()


def count_losses(connection: Connection, sql: str) -> list[Loss]:
    """Count the rows and values the statements would drop from the live database."""
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    losses = []
    dropped = [name for name in dict.fromkeys(DROP_TABLE.findall(sql)) if name in tables]
    for name in dropped:
        losses.append(Loss("table", name, _scalar(connection, select(func.count())
                                                  .select_from(table(name)))))
    for name, col in dict.fromkeys(DROP_COLUMN.findall(sql)):
        if name not in tables or name in dropped:  # a dropped table's rows are counted
            continue
        columns = {c["name"] for c in inspector.get_columns(name)}
        if col in columns:
            query = select(func.count(column(col))).select_from(table(name))
            losses.append(Loss("column", f"{name}.{col}", _scalar(connection, query)))
    for statement in DELETE.finditer(sql):
        if statement.group(1) in tables:  # its own WHERE says which rows it deletes
            counted = re.sub(r"^DELETE FROM", "SELECT count(*) FROM", statement.group(0),
                             flags=re.I)
            losses.append(Loss("rows", statement.group(1), _scalar(connection, text(counted))))
    return [loss for loss in losses if loss.count > 0]


def _scalar(connection: Connection, query: Executable) -> int:
    """Run a count."""
    return int(connection.execute(query).scalar_one())


def downgrade_losses(cfg: AlembicConfig, connection: Connection, target: str) -> list[Loss]:
    """Return the data a downgrade of the connected database to `target` would drop."""
    script = ScriptDirectory.from_config(cfg)
    heads = MigrationContext.configure(connection).get_current_heads()
    undone = revisions_to_undo(script, heads, target)
    if not undone:
        return []
    return count_losses(connection, downgrade_sql(cfg, script, heads[0], undone))
