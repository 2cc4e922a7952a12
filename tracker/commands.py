"""The tracker's command groups, attached to each app's CLI by create_app."""

from flask import Flask

from tracker.auth.cli import user_cli
from tracker.bulk.cli import plans_cli
from tracker.catalogue.cli import catalogue_cli
from tracker.cities.cli import city_cli
from tracker.climate.cli import climate_cli
from tracker.data.cli import data_cli
from tracker.db_cli import db_cli
from tracker.demo.cli import demo_cli
from tracker.opensdg.cli import opensdg_cli
from tracker.opensdg.export_cli import export_command as opensdg_export_command
from tracker.progress.cli import progress_cli
from tracker.reports.cli import report_cli
from tracker.reports.worker_cli import worker_cli
from tracker.sdmx.cli import sdmx_cli


def register_commands(app: Flask) -> None:
    """Attach every command group to the app's CLI."""
    for group in (db_cli, catalogue_cli, user_cli, demo_cli, plans_cli, data_cli,
                  progress_cli, climate_cli, report_cli, worker_cli, city_cli, opensdg_cli,
                  sdmx_cli):
        app.cli.add_command(group)
    opensdg_cli.add_command(opensdg_export_command)
