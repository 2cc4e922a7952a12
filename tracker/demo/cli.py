"""`tracker demo load`: the demo networks, cities and users."""

import click
from flask.cli import AppGroup

from tracker.db import get_session
from tracker.demo.data import DEMO_PASSWORD
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
