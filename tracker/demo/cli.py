"""`tracker demo load`: the demo networks, cities and users; `tracker demo scale`: a large
synthetic network for benchmarks (tracker.demo.scale_cli)."""

from typing import Any

import click
from flask.cli import AppGroup

from tracker.db import get_session
from tracker.demo.data import DEMO_PASSWORD
from tracker.demo.scale_cli import PROGRESS_MODES, run_scale
from tracker.demo.scale_values import ScaleSpec
from tracker.demo.services import load_demo


@click.group("demo", cls=AppGroup)
def demo_cli() -> None:
    """Demo data."""


@demo_cli.command("load")
def load() -> None:
    """Create the demo networks, cities and users (idempotent) and print the logins."""
    session = get_session()
    report = load_demo(session)
    session.commit()
    click.echo(f"Demo data: {len(report.created)} records created." if report.created
               else "Demo data already loaded.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, role, scope in report.logins:
        click.echo(f"  {role:<12} {email:<42} {scope}")


@demo_cli.command("scale")
@click.option("--network", required=True, help="Network slug (created when missing).")
@click.option("--cities", type=int, required=True, help="Number of cities.")
@click.option("--indicators", type=int, required=True, help="Indicators per city.")
@click.option("--years", type=int, required=True, help="Years of values per indicator.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--first-year", type=int, default=2015, show_default=True)
@click.option("--chunk", type=int, default=100, show_default=True,
              help="Cities written (and committed) at a time.")
@click.option("--progress", type=click.Choice(PROGRESS_MODES), default="now",
              show_default=True, help="Stored progress: compute now, queue it, or not.")
def scale(progress: str, **options: Any) -> None:
    """Generate a network of synthetic cities with approved values (for benchmarks)."""
    run_scale(ScaleSpec(**options), progress)
