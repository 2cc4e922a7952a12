"""`tracker sdmx …`: export a city's approved values as SDMX; set its REF_AREA code."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from tracker.bulk.cli import OUT, find_city
from tracker.db import get_session
from tracker.indicators.queries import get_indicator
from tracker.sdmx.codes import CODE, REPORTING_TYPES
from tracker.sdmx.export import SdmxError
from tracker.sdmx.writers import FORMATS, export_sdmx


@click.group("sdmx", cls=AppGroup)
def sdmx_cli() -> None:
    """Exchange a city's values as SDMX (global SDG DSD)."""


@sdmx_cli.command("export")
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="ml", show_default=True,
              help="SDMX-ML 2.1 generic data or SDMX-CSV.")
@click.option("--out", type=OUT, required=True, help="The file to write.")
@click.option("--reporting-type", type=click.Choice(REPORTING_TYPES), default="L",
              show_default=True, help="REPORTING_TYPE: L (local) or N (national).")
def export_command(slug: str, fmt: str, out: Path, reporting_type: str) -> None:
    """Export a city's approved values as an SDMX message."""
    session = get_session()
    city = find_city(session, slug)
    try:
        with out.open("w", encoding="utf-8", newline="") as target:
            report = export_sdmx(session, city, fmt, reporting_type, target)
    except SdmxError as error:
        out.unlink(missing_ok=True)
        raise click.ClickException(str(error)) from error
    for reason, count in sorted(report.left_out.items()):
        click.echo(_("Left out (%(count)d): %(reason)s", count=count, reason=reason), err=True)
    click.echo(_("Wrote %(count)d observations (approved values as of %(time)s) to %(out)s.",
                 count=report.observations, time=report.stamp, out=str(out)), err=True)


@sdmx_cli.command("ref-area")
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.argument("code")
def ref_area_command(slug: str, code: str) -> None:
    """Set the city's SDMX reference area code (REF_AREA), e.g. a national area code."""
    session = get_session()
    city = find_city(session, slug)
    if not CODE.match(code.strip()):
        raise click.ClickException(_("A REF_AREA code is 1–50 capital letters, digits or "
                                     "underscores, not %(code)s.", code=code))
    city.ref_area_code = code.strip()
    session.add(city)
    session.commit()
    click.echo(_("%(city)s reports as REF_AREA %(code)s.", city=city.name,
                 code=city.ref_area_code), err=True)


@sdmx_cli.command("series")
@click.option("--city", "slug", required=True, help="The city's address name.")
@click.option("--indicator", "code", required=True, help="The local indicator's code.")
@click.argument("series")
def series_command(slug: str, code: str, series: str) -> None:
    """Set the SDMX SERIES code of an indicator's values that have no Series code of their
    own (kept as SERIES in its Open SDG metadata)."""
    session = get_session()
    indicator = get_indicator(session, find_city(session, slug), code)
    if indicator is None:
        raise click.ClickException(_("No indicator %(code)s.", code=code))
    if not CODE.match(series.strip()):
        raise click.ClickException(_("A SERIES code is 1–50 capital letters, digits or "
                                     "underscores, not %(code)s.", code=series))
    indicator.source_meta = {**(indicator.source_meta or {}), "SERIES": series.strip()}
    session.add(indicator)
    session.commit()
    click.echo(_("%(code)s reports as SERIES %(series)s.", code=indicator.code,
                 series=series.strip()), err=True)
