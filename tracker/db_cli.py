"""`tracker db …`: schema migrations through Alembic.

Alembic is imported by the commands that use it, not with this module: every process
(each web worker) registers these commands, and importing Alembic cost ~0.4 s CPU."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.db import get_db
from tracker.resources import resource_path

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

LOSS_LABELS = {"table": "table", "column": "column", "rows": "rows deleted from"}


def alembic_config(url: str | None = None) -> AlembicConfig:
    """Return the Alembic config for this repository and database URL."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(resource_path("alembic.ini")))
    cfg.set_main_option("script_location", str(resource_path("migrations")))
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
    from alembic import command

    command.upgrade(alembic_config(), revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("downgrade", context_settings={"ignore_unknown_options": True})
@click.argument("revision")  # ignore_unknown_options: "-1" is a revision, not an option
@click.option("--force", is_flag=True,
              help="Downgrade even when it drops tables or columns that hold data.")
def downgrade(revision: str, force: bool) -> None:
    """Migrate the schema down to REVISION (e.g. -1 or base); refuse, without --force, a
    downgrade that would drop data, naming the tables and columns and their row counts."""
    from alembic import command
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    cfg = alembic_config()
    try:
        if not force:
            refuse_data_loss(cfg, revision)
        command.downgrade(cfg, revision)
    except (CommandError, RevisionError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database at {revision}.")


def refuse_data_loss(cfg: AlembicConfig, revision: str) -> None:
    """Stop with the list of what the downgrade to REVISION would drop, if anything."""
    from tracker.migration_guard import downgrade_losses

    with get_db().engine.connect() as connection:
        losses = downgrade_losses(cfg, connection, revision)
    if losses:
        lines = [f"  {LOSS_LABELS[loss.kind]} {loss.name}: {loss.count:,} "
                 f"{'values' if loss.kind == 'column' else 'rows'}" for loss in losses]
        raise click.ClickException("\n".join(
            [f"Refusing to downgrade to {revision}: it would drop data."] + lines +
            ["Back the database up, then run again with --force."]))


@db_cli.command("current")
def current() -> None:
    """Show the schema revision of the database."""
    from alembic import command

    command.current(alembic_config(), verbose=False)


@db_cli.command("check")
def check() -> None:
    """Fail if the models and the migrations disagree."""
    from alembic import command

    command.check(alembic_config())
    click.echo("Models and migrations agree.")
