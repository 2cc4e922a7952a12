"""`tracker worker`: run the background jobs of the configured queue (SQLite file or Redis)."""

import click
from flask import current_app
from flask.cli import with_appcontext
from huey.api import Huey

from tracker.reports.worker import app_huey, queue_kind, sweep_stale_runs


@click.command("worker")
@click.option("-w", "--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads; each renders one report at a time.")
@click.option("--once", is_flag=True, help="Run the jobs waiting now, then stop.")
@with_appcontext
def worker_cli(workers: int, once: bool) -> None:
    """Run the background workers (huey consumer) until interrupted."""
    kind = queue_kind(current_app)
    if kind == "immediate":
        raise click.UsageError("The report queue runs jobs at once (REPORT_QUEUE=immediate): "
                               "there is nothing for a worker to do.")
    huey = app_huey()
    # Runs left `running` by a worker that died are failed before new work starts.
    if stale := sweep_stale_runs():
        click.echo(f"Marked {stale} report run(s) whose worker had stopped as failed.")
    if once:
        click.echo(f"Ran {drain(huey)} job(s).")
        return
    click.echo(f"Worker on the {kind} queue with {workers} worker(s).")
    # Threads, not processes: each job already lays out a network's parts in a process pool.
    # The scheduler runs the minutely sweep of stale runs.
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


def drain(huey: Huey) -> int:
    """Run every job waiting in the queue in this process; return how many ran."""
    count = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        count += 1
    return count
