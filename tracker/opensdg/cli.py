"""`tracker opensdg import DIR --city SLUG`: import an Open SDG data repository from the shell."""

import csv
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.auth.models import User
from tracker.bulk.cli import find_city
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.opensdg.importer import OpenSdgReport, import_repository

LISTED = 200  # rows not taken printed one by one; --problems writes them all


@click.group("opensdg", cls=AppGroup)
def opensdg_cli() -> None:
    """Import Open SDG data repositories."""


def find_user(session: Session, email: str) -> User:
    """Return the user with this email or stop."""
    user = session.exec(select(User).where(func.lower(User.email) == email.lower())).first()
    if user is None or not user.is_active:
        raise click.BadParameter(_("no active user %(email)s", email=email), param_hint="--user")
    return user


@opensdg_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--dry-run", is_flag=True, help="Check and show what would change; save nothing.")
@click.option("--approve", is_flag=True,
              help="Approve the values (a secretariat of the city's network or an admin).")
@click.option("--user", "email", help="Who imports (required with --approve).")
@click.option("--problems", type=click.Path(dir_okay=False, path_type=Path),
              help="Write every row not taken to this CSV file.")
def import_command(path: Path, slug: str, dry_run: bool, approve: bool, email: str | None,
                   problems: Path | None) -> None:
    """Import the Open SDG repository at PATH (a folder or a .zip), all or nothing."""
    session = get_session()
    city = find_city(session, slug)
    user = find_user(session, email) if email else None
    if approve and user is None:
        raise click.BadParameter(_("--approve needs --user: a secretariat of the city's "
                                   "network or an admin"), param_hint="--approve")
    try:
        report = import_repository(session, city, path, user, dry_run=dry_run, approve=approve,
                                   progress=show_progress())
    except DomainError as error:
        session.rollback()
        raise click.ClickException(_("%(error)s Nothing saved.", error=str(error))) from error
    print_report(report, problems)
    if not report.ok:
        session.rollback()
        raise click.ClickException(ngettext("%(num)d error; nothing saved.",
                                            "%(num)d errors; nothing saved.",
                                            len(report.errors)))
    if dry_run:
        session.rollback()
        click.echo(_("Dry run: nothing saved."))
    else:
        session.commit()
        click.echo(_("Saved; the values are approved (a trusted import).") if approve
                   else _("Saved; the values are drafts."))


def show_progress() -> Callable[[int, str], None]:
    """Return a callback that shows each new tenth of the progress on standard error."""
    shown: set[tuple[int, str]] = set()

    def show(percent: int, step: str) -> None:
        if (percent // 10, step) not in shown:
            shown.add((percent // 10, step))
            click.echo(f"{step}: {percent}%", err=True)

    return show


def print_report(report: OpenSdgReport, problems: Path | None) -> None:
    """Print the counts per indicator, the rows not taken (the first LISTED) and totals."""
    for error in report.errors:
        click.echo(str(error), err=True)
    click.echo("\t".join([_("indicator"), _("id"), _("definition"), _("rows"), _("taken"),
                          _("not taken"), _("created"), _("updated"), _("unchanged")]))
    for c in report.indicators:
        click.echo(f"{c.code}\t{c.opensdg_id}\t{c.action.value}\t{c.rows}\t{c.taken}\t"
                   f"{c.not_taken}\t{c.created}\t{c.updated}\t{c.unchanged}")
    for problem in report.warnings[:LISTED]:
        click.echo(_("Not taken: %(problem)s", problem=str(problem)), err=True)
    if len(report.warnings) > LISTED:
        click.echo(_("… and %(num)d more not taken (--problems FILE writes them all).",
                     num=len(report.warnings) - LISTED), err=True)
    if problems is not None:
        write_problems(report, problems)
    counts = report.summary()
    rows = sum(c.rows for c in report.indicators)
    click.echo(_("%(indicators)d indicators, %(rows)d rows: %(taken)d taken, %(out)d not "
                 "taken or noted; %(created)d created, %(updated)d updated, %(unchanged)d "
                 "unchanged.", indicators=len(report.indicators), rows=rows,
                 taken=sum(c.taken for c in report.indicators), out=len(report.warnings),
                 created=counts["create"], updated=counts["update"],
                 unchanged=counts["unchanged"]))


def write_problems(report: OpenSdgReport, path: Path) -> None:
    """Write every row not taken (file:column, row, why) as UTF-8 CSV."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_("row"), _("column"), _("message")])
        writer.writerows([p.row, p.column, p.message] for p in report.warnings)
    click.echo(_("Wrote %(path)s.", path=str(path)), err=True)


