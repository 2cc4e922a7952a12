"""`tracker demo scale`: commit after each chunk of cities, report the pace and the peak
memory, then bring the database's statistics (and stored progress, where kept) up to date."""

import resource
import time

import click

from tracker.db import get_session
from tracker.demo.scale import ScaleError, ScaleTally, analyse, finish_progress, generate
from tracker.demo.scale_values import ScaleSpec


def peak_memory_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pace(tally: ScaleTally, started: float) -> str:
    """Return the values written so far and their rate."""
    elapsed = max(time.perf_counter() - started, 1e-9)
    return (f"{tally.cities} cities, {tally.values:,} values in {elapsed:.1f} s "
            f"({tally.values / elapsed:,.0f} values/s, {peak_memory_mb():.0f} MB peak)")


def run_scale(spec: ScaleSpec) -> None:
    """Generate the scale set, committing each chunk; a refusal is one line, exit code 1."""
    session = get_session()
    started = time.perf_counter()
    tally = ScaleTally()
    try:
        for tally in generate(session, spec):
            session.commit()
            click.echo(pace(tally, started))
    except ScaleError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    analyse(session)
    session.commit()
    click.echo(f"Loaded: {pace(tally, started)}; {tally.indicators:,} indicators, "
               f"{tally.history:,} history rows.")
    click.echo(finish_progress(tally.cities))
