"""`tracker report city|network …`: write a report PDF from the shell, with a progress bar;
`tracker report retry RUN_ID`: queue a failed run again."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlmodel import select

from tracker.cities.models import City, Network
from tracker.db import get_session
from tracker.reports.jobs import generate_now
from tracker.reports.liveness import fail_stale_runs, retry_run
from tracker.reports.models import ReportKind
from tracker.reports.render import PAGE_SIZES
from tracker.reports.runs import Target, get_run, open_pdf
from tracker.reports.worker import QueueUnavailable, check_queue, enqueue_now, fail_unqueued_run

OUT = click.Path(dir_okay=False, writable=True, path_type=Path)
SIZE = click.Choice(PAGE_SIZES, case_sensitive=False)
QUEUE_DOWN = "The report queue is not reachable; try again later."


@click.group("report", cls=AppGroup)
def report_cli() -> None:
    """Generate CRF-style PDF reports of a city or a network."""


def normal_size(value: str) -> str:
    """Normalise the page size's spelling ("a4" → "A4")."""
    return {size.lower(): size for size in PAGE_SIZES}[value.lower()]


def write_report(target: Target, out: Path) -> None:
    """Generate the report as a recorded run (an unchanged one is reused) under a progress
    bar, and copy its PDF to `out`."""
    session = get_session()
    with click.progressbar(length=100, label="Report", show_pos=True) as bar:
        done = [0]

        def advance(percent: int, _step: str) -> None:
            bar.update(max(0, percent - done[0]))
            done[0] = max(done[0], percent)

        run = generate_now(session, target, None, advance)
        advance(100, "done")
    pdf = open_pdf(run)
    if pdf is None:
        raise click.ClickException(f"The report failed: {run.error or run.status}")
    out.write_bytes(pdf)
    click.echo(f"Wrote {out} ({len(pdf):,} bytes; run {run.id}).")


@report_cli.command("city")
@click.argument("slug")
@click.option("--year", type=int, required=True, help="Reporting (fiscal) year.")
@click.option("--out", type=OUT, required=True, help="The PDF file to write.")
@click.option("--page-size", type=SIZE, default="A4", show_default=True)
@click.option("--network", "network_slug", default=None, help="Network named on the cover.")
def city_command(slug: str, year: int, out: Path, page_size: str,  # noqa: PLR0913
                 network_slug: str | None) -> None:
    """Write the report of city SLUG for a year."""
    session = get_session()
    city = session.exec(select(City).where(City.slug == slug)).first()
    if city is None:
        raise click.ClickException(f"No city {slug!r}.")
    network = find_network(network_slug) if network_slug else None
    write_report(Target(ReportKind.CITY, year, city=city, network=network,
                        page_size=normal_size(page_size)), out)


@report_cli.command("network")
@click.argument("slug")
@click.option("--year", type=int, required=True, help="Reporting (fiscal) year.")
@click.option("--out", type=OUT, required=True, help="The PDF file to write.")
@click.option("--page-size", type=SIZE, default="A4", show_default=True)
def network_command(slug: str, year: int, out: Path, page_size: str) -> None:
    """Write the report of network SLUG (cohort summary, then every city) for a year."""
    network = find_network(slug)
    write_report(Target(ReportKind.NETWORK, year, network=network,
                        page_size=normal_size(page_size)), out)


def find_network(slug: str) -> Network:
    """Return a network by slug, or stop with a message."""
    network = get_session().exec(select(Network).where(Network.slug == slug)).first()
    if network is None:
        raise click.ClickException(f"No network {slug!r}.")
    return network



@report_cli.command("retry")
@click.argument("run_id", type=int)
def retry_command(run_id: int) -> None:
    """Queue the failed run RUN_ID again (a `tracker worker` generates it)."""
    session = get_session()
    run = get_run(session, run_id)
    if run is None:
        raise click.ClickException(f"No report run {run_id}.")
    fail_stale_runs(session, run_id)  # a run whose worker died is failed first
    try:
        check_queue()
    except QueueUnavailable as error:
        raise click.ClickException(QUEUE_DOWN) from error
    if not retry_run(session, run):
        raise click.ClickException(f"Report run {run_id} is {run.status}: only a failed run "
                                   "can be retried.")
    attempt = run.attempts + 1
    session.commit()
    try:
        enqueue_now(run_id)
    except QueueUnavailable as error:
        fail_unqueued_run(run_id)
        session.commit()
        raise click.ClickException(QUEUE_DOWN) from error
    click.echo(f"Report run {run_id} is queued again (attempt {attempt}).")
