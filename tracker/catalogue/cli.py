"""`tracker catalogue …`: load the bundled SDG framework or import the UN's published list."""

from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.catalogue.loader import read_sdg_framework
from tracker.catalogue.queries import current_revision
from tracker.catalogue.services import CatalogueError, LoadReport, apply_revision
from tracker.catalogue.un_import import read_un_framework
from tracker.db import get_session

FULL_FRAMEWORK_GOALS = 17


@click.group("catalogue", cls=AppGroup)
def catalogue_cli() -> None:
    """Load and update the SDG catalogue."""


def print_report(report: LoadReport) -> None:
    """Say what a load changed."""
    created = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
    click.echo(f"Revision {report.revision}: created {created}.")
    for label, codes in (("retitled", report.retitled), ("retired", report.retired),
                         ("reactivated", report.reactivated)):
        if codes:
            click.echo(f"  {len(codes)} {label}: {', '.join(codes)}")


@catalogue_cli.command("load")
def load() -> None:
    """Load the bundled framework (idempotent; never overrides a newer imported revision)."""
    session = get_session()
    record = read_sdg_framework()
    current = current_revision(session)
    if current is not None and current.key != record.key:
        click.echo(f"Revision {current.key} is current; the bundled {record.key} is not loaded.")
        return
    report = apply_revision(session, record, retire_unlisted=False)
    session.commit()
    if report.changed:
        print_report(report)
    else:
        click.echo(f"Catalogue up to date (revision {record.key}).")


@catalogue_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", help="Revision key, e.g. 2025 (default: from the file name).")
@click.option("--title", default="", help="Revision title.")
@click.option("--dry-run", is_flag=True, help="Show what would change; save nothing.")
@click.option("--partial", is_flag=True,
              help="The file lists only part of the framework: add and update, retire nothing.")
def import_file(file: Path, key: str | None, title: str, dry_run: bool, partial: bool) -> None:
    """Import the UN 'Global indicator framework' workbook (.xlsx) or its CSV as a revision."""
    session = get_session()
    try:
        record = read_un_framework(file, key=key, title=title)
        if not partial and len(record.goals) < FULL_FRAMEWORK_GOALS:
            raise CatalogueError(
                f"The file lists {len(record.goals)} of the {FULL_FRAMEWORK_GOALS} goals; a new "
                "revision would retire every indicator it leaves out. Use --partial to add and "
                "update only.")
        report = apply_revision(session, record, retire_unlisted=not partial)
    except CatalogueError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    print_report(report)
    if dry_run:
        session.rollback()
        click.echo("Dry run: nothing saved.")
    else:
        session.commit()
