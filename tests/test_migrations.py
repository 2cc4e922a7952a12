"""The schema exists only through migrations, and they agree with the models."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from tests.conftest import BACKENDS, POSTGRES_URL
from tracker.db import make_engine
from tracker.db_cli import alembic_config

SCHEMA = f"migration_roundtrip_{os.getpid()}"  # runs side by side never collide


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each backend (a PostgreSQL schema of its own)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'roundtrip.db'}")
        yield engine
        engine.dispose()
        return
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={SCHEMA}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    admin.dispose()


def run(engine: Engine, action: str, revision: str) -> None:
    """Run an Alembic command on the engine's connection."""
    with engine.begin() as connection:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)


def check(engine: Engine) -> None:
    """Fail if autogenerate would find differences between models and database."""
    with engine.begin() as connection:
        cfg = alembic_config(engine.url.render_as_string(hide_password=False))
        cfg.attributes["connection"] = connection
        command.check(cfg)


def test_upgrade_downgrade_upgrade_and_models_agree(empty_engine: Engine) -> None:
    run(empty_engine, "upgrade", "head")
    tables = set(inspect(empty_engine).get_table_names())
    assert {"cities", "goals", "sdg_indicators", "users"} <= tables
    run(empty_engine, "downgrade", "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    run(empty_engine, "upgrade", "head")
    check(empty_engine)


def test_constraints_follow_the_naming_convention(empty_engine: Engine) -> None:
    run(empty_engine, "upgrade", "head")
    inspector = inspect(empty_engine)
    assert inspector.get_pk_constraint("cities")["name"] == "pk_cities"
    uniques = {u["name"] for u in inspector.get_unique_constraints("network_memberships")}
    assert "uq_network_memberships_network_id_city_id" in uniques
    fks = {fk["name"] for fk in inspector.get_foreign_keys("users")}
    assert "fk_users_city_id_cities" in fks


def test_every_revision_has_a_docstring_and_a_real_downgrade() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    for script in scripts.walk_revisions():
        source = Path(script.path).read_text()
        assert script.doc, script.path
        downgrade = source.split("def downgrade()", 1)[1]
        assert "op." in downgrade, f"{script.path} has an empty downgrade"
