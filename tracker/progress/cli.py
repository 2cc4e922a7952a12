"""`tracker progress …`: assess a series from a CSV file with the progress engine; bring the
stored progress of cities up to date."""

import json
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlmodel import col

from tracker.bulk.formats import BulkFileError, read_table
from tracker.cities.models import City
from tracker.db import get_session
from tracker.progress.extensions import assess
from tracker.progress.method import DEFAULT_BASE_YEAR, DEFAULT_TARGET_YEAR, first_year
from tracker.progress.result import ProgressInputError, SeriesResult
from tracker.progress.stored import recompute_in_app

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
COLUMNS = ("Year", "Value")


@click.group("progress", cls=AppGroup)
def progress_cli() -> None:
    """Assess progress toward targets (Open SDG method with the tracker's extensions)."""


def parse_year(text: str, row: int) -> int:
    """A year, or a fiscal period such as 2015-16 (its first year), or stop naming the row."""
    try:
        return first_year(text)
    except ProgressInputError as error:
        raise click.ClickException(f"Row {row}: {error}.") from None


def parse_value(text: str, row: int) -> Decimal | None:
    """A number with a decimal point; blank is no value (the row is skipped)."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "," in text:
        raise click.ClickException(f"Row {row}: the value {text!r} is not a number (use a "
                                   "point for decimals and no thousands separators).")
    return value


def header_columns(header: list[str]) -> tuple[int, int]:
    """The positions of the Year and Value columns (any case) or stop."""
    names = [cell.strip().lower() for cell in header]
    missing = [name for name in COLUMNS if name.lower() not in names]
    if missing:
        raise click.ClickException(f"Row 1: the header needs the columns Year and Value "
                                   f"(missing: {', '.join(missing)}).")
    return names.index("year"), names.index("value")


def read_points(path: Path) -> list[tuple[int, Decimal | None]]:
    """Read (year, value) points from a CSV or XLSX file, naming the row of any error."""
    try:
        table = read_table(path.read_bytes(), COLUMNS)
    except BulkFileError as error:
        raise click.ClickException(str(error)) from error
    year_at, value_at = header_columns(table.header)
    points: list[tuple[int, Decimal | None]] = []
    seen: dict[int, int] = {}
    for row, cells in table.rows:
        cells = cells + [""] * (max(year_at, value_at) + 1 - len(cells))
        year = parse_year(cells[year_at], row)
        value = parse_value(cells[value_at], row)
        if year in seen and value is not None:
            raise click.ClickException(f"Row {row}: a second value for {year} "
                                       f"(first in row {seen[year]}).")
        if value is not None:
            seen[year] = row
            points.append((year, value))
    return points


def describe(result: SeriesResult) -> str:
    """The human answer: status and score, and why when not available."""
    score = "none" if result.score is None else f"{result.score:.4f}"
    line = f"status: {result.status}\nscore: {score}"
    if result.method:
        line += f"\nmethod: {result.method}"
    if result.reason:
        line += f"\nreason: {result.reason}"
    return line


@progress_cli.command("series")
@click.argument("file", type=FILE)
@click.option("--direction", type=click.Choice(["higher", "lower"]), required=True,
              help="Which way is better.")
@click.option("--base-year", type=int, default=DEFAULT_BASE_YEAR, show_default=True)
@click.option("--target", type=str, default=None, help="Target value (a number).")
@click.option("--target-year", type=int, default=DEFAULT_TARGET_YEAR, show_default=True)
@click.option("--limit", type=str, default=None, help="Natural limit (used without a target).")
@click.option("--open-sdg", is_flag=True, help="Open SDG exactly: no linear fallback.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def series_command(file: Path, direction: str, base_year: int, target: str | None,
                   target_year: int, limit: str | None, open_sdg: bool, as_json: bool) -> None:
    """Assess the Year,Value series in FILE (CSV) and print its status and score."""
    points = read_points(file)
    target_value = option_number(target, "--target")
    targets = [] if target_value is None else [(target_year, target_value)]
    try:
        result = assess(points, direction=direction, base_year=base_year, targets=targets,
                        limit=option_number(limit, "--limit"), linear_fallback=not open_sdg)
    except ProgressInputError as error:
        raise click.ClickException(str(error)) from error
    click.echo(json.dumps(result.as_dict(), indent=2) if as_json else describe(result))


def option_number(text: str | None, name: str) -> Decimal | None:
    """A numeric option given as text (so that it is read exactly) or stop."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not a number.", param_hint=name) from None
    if not value.is_finite():
        raise click.BadParameter(f"{text!r} is not a number.", param_hint=name)
    return value


@progress_cli.command("recompute")
@click.option("--city", "slugs", multiple=True, help="Only this city (by slug); repeatable.")
def recompute_command(slugs: tuple[str, ...]) -> None:
    """Bring the stored progress of every city (or of the given ones) up to date, as the
    background task does; print how many cities were recomputed and how long it took."""
    session = get_session()
    query = select(col(City.id))
    if slugs:
        query = query.where(col(City.slug).in_(slugs))
    ids = [city_id for city_id in session.scalars(query) if city_id is not None]
    if slugs and len(ids) < len(set(slugs)):
        raise click.ClickException("No such city: check the slugs given.")
    start = time.perf_counter()
    done = recompute_in_app(ids)
    click.echo(f"{done} of {len(ids)} cities recomputed in {time.perf_counter() - start:.1f} s")
