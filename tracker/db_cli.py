"""`tracker db …`: schema migrations through Alembic."""

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import current_app
from flask.cli import AppGroup

from tracker.config import ROOT


def alembic_config(url: str | None = None) -> AlembicConfig:
    """Return the Alembic config for this repository and database URL."""
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    # ConfigParser reads % as interpolation; URLs carry %-escapes (passwords, options).
    url = url or current_app.config["DATABASE_URL"]
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


@click.group("db", cls=AppGroup)
def db_cli() -> None:
    """Create and migrate the database schema."""


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate the schema up to REVISION (default: the newest)."""
    command.upgrade(alembic_config(), revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the schema down to REVISION (e.g. -1 or base)."""
    command.downgrade(alembic_config(), revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("current")
def current() -> None:
    """Show the schema revision of the database."""
    command.current(alembic_config(), verbose=False)


@db_cli.command("check")
def check() -> None:
    """Fail if the models and the migrations disagree."""
    command.check(alembic_config())
    click.echo("Models and migrations agree.")
