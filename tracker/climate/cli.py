"""`tracker climate …`: import CDP open data."""

from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.climate.cdp_import import ATTRIBUTION, import_cdp
from tracker.db import get_session
from tracker.errors import DomainError

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
MAX_BYTES = 50 * 2**20


@click.group("climate", cls=AppGroup)
def climate_cli() -> None:
    """Climate data: GHG inventories, targets, risks and actions (CRF)."""


@climate_cli.command("import-cdp")
@click.argument("file", type=FILE)
@click.option("--dry-run", is_flag=True, help="Check and report; save nothing.")
def import_cdp_command(file: Path, dry_run: bool) -> None:
    """Import a CDP open-data City-wide Emissions (2016–2021) or 2021 Targets CSV."""
    if file.stat().st_size > MAX_BYTES:
        raise click.ClickException(f"{file.name} is larger than {MAX_BYTES // 2**20} MB.")
    session = get_session()
    try:
        report = import_cdp(session, file.read_bytes())
    except DomainError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(f"{file.name}: CDP {report.kind} file.")
    for line in report.lines():
        click.echo(line)
    if skipped := report.all_data_skipped():
        session.rollback()
        raise click.ClickException(
            f"Nothing saved: all {skipped} rows holding {report.kind} data were skipped (the "
            "reasons are above). Is this a layout the importer does not read yet?")
    if dry_run:
        session.rollback()
        click.echo("Dry run: nothing saved.")
        return
    if not report.count("created") + report.count("updated"):
        session.rollback()
        click.echo("Nothing to save: no row adds or changes anything.")
        return
    session.commit()
    click.echo(f"Saved. {ATTRIBUTION}.")
