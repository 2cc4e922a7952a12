"""Alembic environment: the tracker's models, batch mode on SQLite, type comparison."""

import os
from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers every table on SQLModel.metadata)
from tracker.db import make_engine, normalise_url

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)

target_metadata = SQLModel.metadata


def database_url() -> str:
    """Prefer TRACKER_DATABASE_URL for plain alembic runs; the tracker CLI sets the option."""
    if config.attributes.get("configure_logger", True) and os.environ.get("TRACKER_DATABASE_URL"):
        return normalise_url(os.environ["TRACKER_DATABASE_URL"])
    return normalise_url(config.get_main_option("sqlalchemy.url") or "")


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    url = database_url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"), compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations on a live connection (or one handed over by tests)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    """Configure the context on a connection and migrate."""
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
