"""One-line errors, not tracebacks, when the command line cannot reach the database."""

import functools
import os
from typing import Any

import click
from flask.cli import FlaskGroup, ScriptInfo
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, SQLAlchemyError

from tracker.config import default_database_url
from tracker.health import check_database, error_reason, shown_url

# What a wrong URL (ArgumentError) or an unreachable server raises; any of them may also
# mean something else, so the database is checked again before blaming it.
DATABASE_ERRORS = (OperationalError, InterfaceError, ArgumentError)


class DatabaseUnavailable(click.ClickException):
    """The database cannot be reached: said in one line on stderr, exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        """Print the message alone (no "Error:" prefix, no usage)."""
        click.echo(self.format_message(), err=True, file=file)


def configured_database_url() -> str:
    """Return the database URL the command line's app uses."""
    return os.environ.get("TRACKER_DATABASE_URL") or default_database_url()


def database_problem() -> DatabaseUnavailable | None:
    """Return the one-line error if the configured database cannot be reached, else None."""
    url = configured_database_url()
    try:
        check_database(url)
    except (SQLAlchemyError, OSError) as error:
        return DatabaseUnavailable(
            f"Cannot connect to the database at {shown_url(url)}: {error_reason(error, url)}")
    return None


def checked_run(command: click.Command) -> click.Command:
    """Wrap `run` so that the server does not start on an unreachable database."""
    original = command.callback
    assert original is not None

    @functools.wraps(original)
    def callback(*args: Any, **kwargs: Any) -> Any:
        if problem := database_problem():
            raise problem
        return original(*args, **kwargs)

    wrapped = click.Command(command.name, params=command.params, help=command.help,
                            short_help=command.short_help, callback=callback)
    return wrapped


class TrackerGroup(FlaskGroup):
    """The Flask CLI group, with database errors turned into one line."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; answer an unreachable database with one line and exit code 1."""
        try:
            return super().invoke(ctx)
        except DATABASE_ERRORS:
            if problem := database_problem():
                raise problem from None
            raise  # the database is fine: the error is something else

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List the commands; with a wrong database URL, say so in one line, not a traceback."""
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except DATABASE_ERRORS:
            if problem := database_problem():
                problem.show()
                return click.Group.list_commands(self, ctx)  # the built-in commands only
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """Return the command; `run` checks the database before serving."""
        command = super().get_command(ctx, name)
        return checked_run(command) if name == "run" and command is not None else command
