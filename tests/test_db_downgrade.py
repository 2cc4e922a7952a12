"""`tracker db downgrade` refuses, without --force, to drop tables or columns holding data."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from tests.conftest import BACKENDS, POSTGRES_URL, app_settings, migrate
from tracker import create_app
from tracker.db import make_engine
from tracker.migration_guard import Loss, count_losses

SCHEMA = f"downgrade_guard_{os.getpid()}"
BEFORE_SESSIONS = "06d304dcdd25"  # the revision before users.session_generation


@pytest.fixture(params=BACKENDS)
def scratch(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of each backend of its own, migrated to head (a schema on PostgreSQL)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
    else:
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
        separator = "&" if "?" in POSTGRES_URL else "?"
        engine = make_engine(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{SCHEMA}")
    migrate(engine)
    yield engine
    engine.dispose()
    if request.param != "sqlite":
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


def cli(engine: Engine, *args: str) -> tuple[int, str]:
    """Run `tracker db …` against the engine's database; return exit code and output."""
    app: Flask = create_app(app_settings(engine))
    result = app.test_cli_runner().invoke(args=["db", *args])
    return result.exit_code, result.output


def add_users(engine: Engine, n: int) -> None:
    """Insert n users and one network straight into the database."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO networks (slug, name, description, website, version, "
                          "created_at) VALUES ('net', 'Net', '', '', 1, '2026-01-01')"))
        for i in range(n):
            conn.execute(text(
                "INSERT INTO users (email, name, role, password_hash, is_active, created_at, "
                "session_generation) VALUES (:e, '', 'admin', 'x', true, '2026-01-01', 0)"),
                {"e": f"u{i}@example.org"})


def columns(engine: Engine, table: str) -> set[str]:
    """The columns a table has now."""
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_a_downgrade_dropping_only_empty_tables_and_columns_runs(scratch: Engine) -> None:
    code, output = cli(scratch, "downgrade", BEFORE_SESSIONS)
    assert code == 0, output
    assert "session_generation" not in columns(scratch, "users")


def test_dropping_a_column_with_data_is_refused_until_forced(scratch: Engine) -> None:
    add_users(scratch, 3)
    code, output = cli(scratch, "downgrade", BEFORE_SESSIONS)
    assert code == 1
    assert "column users.session_generation: 3 values" in output
    assert "--force" in output
    assert "session_generation" in columns(scratch, "users")  # nothing was dropped

    code, output = cli(scratch, "downgrade", "--force", BEFORE_SESSIONS)
    assert code == 0, output
    assert "session_generation" not in columns(scratch, "users")


def test_a_downgrade_to_base_names_each_table_with_rows_and_its_count(scratch: Engine) -> None:
    add_users(scratch, 2)
    tables_before = set(inspect(scratch).get_table_names())
    code, output = cli(scratch, "downgrade", "base")
    assert code == 1
    assert "table users: 2 rows" in output and "table networks: 1 rows" in output
    assert "table plans:" not in output  # empty tables hold nothing to lose
    assert "column users." not in output  # the whole table is named once
    assert set(inspect(scratch).get_table_names()) == tables_before

    code, output = cli(scratch, "downgrade", "--force", "base")
    assert code == 0, output
    assert set(inspect(scratch).get_table_names()) <= {"alembic_version"}


def test_relative_and_unknown_revisions(scratch: Engine) -> None:
    code, output = cli(scratch, "downgrade", "nonsense")
    assert code == 1 and "nonsense" in output and "Traceback" not in output
    code, output = cli(scratch, "downgrade", "-1")
    assert code == 0, output


def test_the_rendered_statements_are_counted_against_the_live_tables() -> None:
    engine = make_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT)"))
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
        conn.execute(text("CREATE TABLE empty (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO runs (kind) VALUES ('city'), ('comparison'), "
                          "('comparison'), (NULL)"))
        conn.execute(text("INSERT INTO notes (body) VALUES ('a'), (NULL), ('c')"))
        sql = ("DELETE FROM runs WHERE kind = 'comparison';\n"
               "ALTER TABLE runs DROP COLUMN kind;\n"
               "ALTER TABLE notes DROP COLUMN body;\n"
               "DROP TABLE empty;\nDROP TABLE missing;\nDROP TABLE notes;\n")
        losses = count_losses(conn, sql)
    engine.dispose()
    # notes is dropped whole (its column is not counted twice); empty and missing hold
    # nothing; runs loses its 3 non-null kinds and the 2 comparison rows.
    assert set(losses) == {Loss("table", "notes", 3), Loss("column", "runs.kind", 3),
                           Loss("rows", "runs", 2)}
