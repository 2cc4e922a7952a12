"""`tracker opensdg export`: write a city's approved values as an Open SDG data repository."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker.bulk.cli import find_city
from tracker.db import get_session
from tracker.opensdg.export import DirectoryWriter, export_repository

FOLDER = click.Path(file_okay=False, writable=True, path_type=Path)


@click.command("export")
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--out", type=FOLDER, required=True,
              help="A new or empty folder to write the repository into.")
@with_appcontext
def export_command(slug: str, out: Path) -> None:
    """Export a city's approved values as an Open SDG data repository (data/,
    indicator-config/, config_data.yml)."""
    session = get_session()
    city = find_city(session, slug)
    if out.exists() and any(out.iterdir()):
        raise click.ClickException(_("%(out)s is not empty: choose a new or empty folder.",
                                     out=str(out)))
    summary = export_repository(session, city, DirectoryWriter(out))
    for reason in summary.left_out:
        click.echo(_("Left out: %(reason)s", reason=reason), err=True)
    click.echo(_("Wrote %(files)d files with %(rows)d approved values (as of %(time)s) to "
                 "%(out)s.", files=summary.files, rows=summary.rows, time=summary.stamp,
                 out=str(out)), err=True)
