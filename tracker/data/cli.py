"""`tracker data …`: import and export a city's observations."""

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.bulk.cli import FILE, OUT, find_city, read_file
from tracker.bulk.formats import FORMATS
from tracker.data.observation_io import export_observations, import_observations
from tracker.data.observation_sheet import SheetRow
from tracker.db import get_session


@click.group("data", cls=AppGroup)
def data_cli() -> None:
    """Import and export indicator values (CSV or XLSX)."""


@contextmanager
def progress_bar(rows: list[SheetRow]) -> Iterator[Iterable[SheetRow]]:
    """Show a progress bar (on standard error) while the rows are checked."""
    with click.progressbar(rows, label="Checking rows", file=sys.stderr) as bar:
        yield bar


@data_cli.command("import")
@click.argument("file", type=FILE)
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--dry-run", is_flag=True, help="Check and show what would change; save nothing.")
def import_data(file: Path, slug: str, dry_run: bool) -> None:
    """Import a city's values from FILE (.csv or .xlsx), all or nothing."""
    session = get_session()
    report = import_observations(session=session, city=find_city(session, slug),
                                 data=read_file(file), user_id=None, save=not dry_run,
                                 progress=progress_bar)
    if not report.ok:
        session.rollback()
        for error in report.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"{len(report.errors)} error(s); nothing saved.")
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    counts = report.summary()
    click.echo(f"{counts['create']} created, {counts['update']} updated, "
               f"{counts['unchanged']} unchanged.")
    if dry_run:
        session.rollback()
        click.echo("Dry run: nothing saved.")
    else:
        session.commit()


@data_cli.command("export")
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="The file format.")
@click.option("-o", "--out", type=OUT, help="The file to write (default: standard output).")
def export_data(slug: str, fmt: str, out: Path | None) -> None:
    """Export a city's current values in the import format."""
    session = get_session()
    data = export_observations(session=session, city=find_city(session, slug), fmt=fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out.write_bytes(data)
    click.echo(f"Wrote {out}.", err=True)
