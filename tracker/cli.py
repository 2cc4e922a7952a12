"""The `tracker` command: a Flask CLI group with the tracker's own command groups."""

import click
from flask import Flask

from tracker import create_app
from tracker.cli_errors import TrackerGroup


def create_cli_app() -> Flask:
    """Create the app for the command line."""
    return create_app()


@click.group(cls=TrackerGroup, create_app=create_cli_app, add_version_option=False,
             load_dotenv=False)
def main() -> None:
    """Manage the SDG localisation tracker."""
