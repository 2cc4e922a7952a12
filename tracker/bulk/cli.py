"""`tracker plans …`: import and export plan structures and indicator definitions."""

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click
from flask.cli import AppGroup
from sqlmodel import Session

from tracker.bulk import services
from tracker.bulk.formats import FORMATS, MAX_BYTES
from tracker.bulk.report import Action, ImportReport
from tracker.cities.models import City
from tracker.cities.queries import get_city
from tracker.db import get_session
from tracker.plans.models import Plan

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUT = click.Path(dir_okay=False, writable=True, path_type=Path)
LISTED = 200  # changed rows printed one by one; a file of values may change 100 000
T = TypeVar("T")


@click.group("plans", cls=AppGroup)
def plans_cli() -> None:
    """Import and export plan structures and indicator definitions (CSV or XLSX)."""


def find_city(session: Session, slug: str) -> City:
    """Return the city with this slug or stop."""
    city = get_city(session, slug)
    if city is None:
        raise click.ClickException(f"No city {slug!r}.")
    return city


def find_plan(session: Session, city: City, plan_id: int) -> Plan:
    """Return the city's plan with this number or stop."""
    plan = session.get(Plan, plan_id)
    if plan is None or plan.city_id != city.id:
        raise click.ClickException(f"{city.name} has no plan {plan_id}.")
    return plan


def read_file(path: Path) -> bytes:
    """Read an import file, refusing one that is too large before reading it."""
    if path.stat().st_size > MAX_BYTES:
        raise click.ClickException(f"{path.name} is larger than {MAX_BYTES // 2**20} MB.")
    return path.read_bytes()


@contextmanager
def progress_bar(rows: list[T]) -> Iterator[Iterable[T]]:
    """Show a progress bar (on standard error) while the rows are checked."""
    with click.progressbar(rows, label="Checking rows", file=sys.stderr) as bar:
        yield bar


def run_import(session: Session, file: Path, dry_run: bool,
               importer: Callable[[bytes, bool], ImportReport]) -> None:
    """The one import pattern: read FILE, check it (and save it unless a dry run), print
    the problems and exit non-zero with nothing saved, or print what changes and commit."""
    report = importer(read_file(file), not dry_run)
    if not report.ok:
        session.rollback()
        for error in report.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"{len(report.errors)} error(s); nothing saved.")
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    print_changes(report)
    if dry_run:
        session.rollback()
        click.echo("Dry run: nothing saved.")
    else:
        session.commit()


def print_changes(report: ImportReport) -> None:
    """Print the rows that change (the first LISTED of them) and the counts per action."""
    changed = [o for o in report.outcomes if o.action != Action.UNCHANGED]
    for outcome in changed[:LISTED]:
        changes = f" ({', '.join(outcome.changes)})" if outcome.changes else ""
        click.echo(f"Row {outcome.row}: {outcome.action.value} {outcome.code}{changes}")
    if len(changed) > LISTED:
        click.echo(f"… and {len(changed) - LISTED} more changed rows.")
    counts = report.summary()
    click.echo(f"{counts['create']} created, {counts['update']} updated, "
               f"{counts['unchanged']} unchanged.")


@plans_cli.command("import-structure")
@click.argument("file", type=FILE)
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--plan", "plan_id", type=int, required=True, help="The plan's number.")
@click.option("--dry-run", is_flag=True, help="Check and show what would change; save nothing.")
def import_structure(file: Path, slug: str, plan_id: int, dry_run: bool) -> None:
    """Import a plan's elements and SDG alignments from FILE (.csv or .xlsx)."""
    session = get_session()
    plan = find_plan(session, find_city(session, slug), plan_id)
    run_import(session, file, dry_run, lambda data, save: services.import_structure(
        session=session, plan=plan, data=data, user_id=None, save=save))


@plans_cli.command("import-indicators")
@click.argument("file", type=FILE)
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--dry-run", is_flag=True, help="Check and show what would change; save nothing.")
def import_indicators(file: Path, slug: str, dry_run: bool) -> None:
    """Import a city's local indicator definitions from FILE (.csv or .xlsx)."""
    session = get_session()
    city = find_city(session, slug)
    run_import(session, file, dry_run, lambda data, save: services.import_indicators(
        session=session, city=city, data=data, user_id=None, save=save))


def out_format(out: Path) -> str:
    """Return the format named by the output file's suffix."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.ClickException("The output file must end in .csv or .xlsx.")
    return fmt


@plans_cli.command("export-structure")
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--plan", "plan_id", type=int, required=True, help="The plan's number.")
@click.option("--out", type=OUT, required=True, help="The .csv or .xlsx file to write.")
def export_structure(slug: str, plan_id: int, out: Path) -> None:
    """Export a plan's elements and SDG alignments in the import format."""
    session = get_session()
    plan = find_plan(session, find_city(session, slug), plan_id)
    out.write_bytes(services.export_structure(session=session, plan=plan, fmt=out_format(out)))
    click.echo(f"Wrote {out}.")


@plans_cli.command("export-indicators")
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--out", type=OUT, required=True, help="The .csv or .xlsx file to write.")
def export_indicators(slug: str, out: Path) -> None:
    """Export a city's local indicator definitions in the import format."""
    session = get_session()
    data = services.export_indicators(session=session, city=find_city(session, slug),
                                      fmt=out_format(out))
    out.write_bytes(data)
    click.echo(f"Wrote {out}.")
