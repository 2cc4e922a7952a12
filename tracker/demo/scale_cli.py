"""`tracker demo scale`: commit after each chunk of cities, report the pace and the peak
memory, then bring the database's statistics and the stored progress up to date."""

import resource
import time

import click
from sqlmodel import Session

from tracker.db import get_session
from tracker.demo.scale import ScaleError, ScaleTally, analyse, generate
from tracker.demo.scale_values import ScaleSpec
from tracker.progress.stored import TASK_NAME, recompute_stale
from tracker.reports.worker import enqueue_task

# What to do with the new cities' stored progress once their values are in.
PROGRESS_MODES = ("now", "queue", "none")


def peak_memory_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pace(tally: ScaleTally, started: float) -> str:
    """Return the values written so far and their rate."""
    elapsed = max(time.perf_counter() - started, 1e-9)
    return (f"{tally.cities} cities, {tally.values:,} values in {elapsed:.1f} s "
            f"({tally.values / elapsed:,.0f} values/s, {peak_memory_mb():.0f} MB peak)")


def store_progress(session: Session, city_ids: list[int], mode: str) -> str:
    """Compute the new cities' stored progress now (a batch per commit), queue it for the
    worker, or leave it to `tracker progress recompute`; say which."""
    if mode == "now":
        started = time.perf_counter()
        done = recompute_stale(session, city_ids, forget=True)
        return f"Progress stored for {done} cities in {time.perf_counter() - started:.1f} s."
    if mode == "queue":
        enqueue_task(TASK_NAME, city_ids)
        return f"Progress of {len(city_ids)} cities queued for the worker (tracker worker)."
    return ("Progress not stored: run `tracker progress recompute` (the network page says "
            "'recomputing' meanwhile).")


def run_scale(spec: ScaleSpec, progress: str = "now") -> None:
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
    click.echo(store_progress(session, tally.city_ids, progress))
