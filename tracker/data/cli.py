"""`tracker data …`: import and export a city's observations."""

import click
from flask.cli import AppGroup


@click.group("data", cls=AppGroup)
def data_cli() -> None:
    """Import and export indicator values (CSV or XLSX)."""
