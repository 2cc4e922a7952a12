"""`tracker data …`: import and export a city's observations."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.bulk.cli import FILE, OUT, find_city, progress_bar, run_import
from tracker.bulk.formats import FORMATS
from tracker.data.observation_io import export_observations, import_observations
from tracker.db import get_session


@click.group("data", cls=AppGroup)
def data_cli() -> None:
    """Import and export indicator values (CSV or XLSX)."""


@data_cli.command("import")
@click.argument("file", type=FILE)
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--dry-run", is_flag=True, help="Check and show what would change; save nothing.")
def import_data(file: Path, slug: str, dry_run: bool) -> None:
    """Import a city's values from FILE (.csv or .xlsx), all or nothing."""
    session = get_session()
    city = find_city(session, slug)
    run_import(session, file, dry_run, lambda data, save: import_observations(
        session=session, city=city, data=data, user_id=None, save=save, progress=progress_bar))


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
