"""Background generation of report runs with huey.

The queue is chosen by configuration: `SqliteHuey` (a file under instance/, the embedded
default, no extra server), `RedisHuey` when TRACKER_REDIS_URL / REDIS_URL is set (workers on
several machines), or an in-memory queue run at once (`immediate`, the default in tests).
A web request only records a run; the job is handed to the queue once the request has
committed (so the worker can see the run), and `tracker worker` runs the jobs.
"""

import io
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request_finished
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey
from sqlmodel import Session

from tracker.db import get_session
from tracker.reports.models import ReportKind, ReportRun, RunStatus
from tracker.reports.runs import (
    Target,
    build_context,
    new_file_name,
    reports_dir,
    request_run,
    target_of,
)
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)

EXTENSION = "report_huey"
TASK_NAME = "generate_report"
Progress = Callable[[int, str], None]
_BUILD_LOCK = threading.Lock()
PartResult = tuple[bytes, int, float, float, float]  # PDF, pid, start, end, CPU seconds


def queue_kind(app: Flask) -> str:
    """Return which queue the app uses: immediate, memory, sqlite or redis."""
    if kind := app.config.get("REPORT_QUEUE"):
        return str(kind)
    if app.testing:
        return "immediate"
    return "redis" if app.config.get("REDIS_URL") else "sqlite"


def make_huey(app: Flask) -> Huey:
    """Build the huey instance the configuration asks for."""
    kind = queue_kind(app)
    if kind == "redis":
        return RedisHuey("tracker-reports", url=app.config["REDIS_URL"], results=False)
    if kind == "sqlite":
        path = Path(app.config.get("HUEY_SQLITE_PATH") or Path(app.instance_path) / "huey.db")
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("tracker-reports", filename=str(path), results=False)
    return MemoryHuey("tracker-reports", results=False, immediate=kind == "immediate")


def init_worker(app: Flask) -> None:
    """Prepare the app's queue; it is built on first use (no file is touched before)."""
    app.extensions[EXTENSION] = None
    request_finished.connect(_enqueue_pending, app)


def _build(app: Flask) -> tuple[Huey, Any]:
    """Build the app's huey instance with the report task bound to this app."""
    huey = make_huey(app)

    def generate_report(run_id: int) -> None:
        """Generate one run inside an app context of its own (a session of its own)."""
        with app.app_context():
            execute_run(get_session(), run_id)

    generate_report.__module__ = __name__  # the same task name in web and worker processes
    return huey, huey.task(name=TASK_NAME, retries=0)(generate_report)


def _queue(app: Flask | None = None) -> tuple[Huey, Any]:
    """Return the app's huey instance and report task, building them on first use."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _BUILD_LOCK:
        if app.extensions.get(EXTENSION) is None:
            app.extensions[EXTENSION] = _build(app)
    return app.extensions[EXTENSION]


def app_huey(app: Flask | None = None) -> Huey:
    """Return the app's huey instance."""
    return _queue(app)[0]


def enqueue_now(run_id: int, app: Flask | None = None) -> None:
    """Hand a committed run to the queue."""
    _queue(app)[1](run_id)


def enqueue_after_request(run_id: int) -> None:
    """Hand a run to the queue once this request has committed it."""
    g.setdefault("pending_report_runs", []).append(run_id)


def _enqueue_pending(sender: Flask, response: Response, **_extra: Any) -> None:
    """After a successful request (already committed), queue the runs it recorded."""
    pending = g.pop("pending_report_runs", [])
    if response.status_code < 400:
        for run_id in pending:
            enqueue_now(run_id, sender)


def set_progress(session: Session, run: ReportRun, progress: int, step: str) -> None:
    """Record how far a run got and commit, so that its status page can show it."""
    run.progress, run.step = max(0, min(100, progress)), step
    session.add(run)
    session.commit()


def execute_run(session: Session, run_id: int, on_progress: Progress | None = None
                ) -> ReportRun | None:
    """Generate a queued run: load → render → pdf → store; mark it done or failed."""
    run = session.get(ReportRun, run_id)
    if run is None or run.status != RunStatus.QUEUED:
        return run  # already taken by another worker, or gone

    def progress(percent: int, step: str) -> None:
        set_progress(session, run, percent, step)
        if on_progress is not None:
            on_progress(percent, step)

    run.status, run.started_at = RunStatus.RUNNING, utcnow()
    progress(5, "load")
    try:
        pdf = produce_pdf(session, run, progress)
        progress(95, "store")
        run.file_name, run.size = store_pdf(pdf), len(pdf)
        run.status, run.progress, run.step = RunStatus.DONE, 100, "done"
    except Exception as error:  # noqa: BLE001  (any failure is recorded on the run)
        logger.exception("report run %s failed", run_id)
        session.rollback()
        run = session.get(ReportRun, run_id)
        run.status, run.step = RunStatus.FAILED, "failed"  # type: ignore[union-attr]
        run.error = f"{type(error).__name__}: {error}"[:4000]  # type: ignore[union-attr]
    run.finished_at = utcnow()  # type: ignore[union-attr]
    session.add(run)
    session.commit()
    return run


def requester_name(session: Session, run: ReportRun) -> str:
    """Return the name (or e-mail) of who asked for the run, for the cover."""
    from tracker.auth.models import User

    user = session.get(User, run.requested_by_id) if run.requested_by_id else None
    return (user.name or user.email) if user is not None else ""


def produce_pdf(session: Session, run: ReportRun, progress: Progress) -> bytes:
    """Build the run's content, render it to HTML and lay it out as PDF."""
    from tracker.reports.content import report_data_hash

    context = build_context(session, target_of(session, run), requester_name(session, run))
    run.data_hash = report_data_hash(context)
    progress(25, "render")
    parts = html_parts(ReportKind(run.kind), context)
    progress(40, "pdf")
    pdfs = render_parts(parts, page_size=run.page_size, progress=progress)
    return merge_pdfs(parts, pdfs)


def html_parts(kind: ReportKind, context: dict[str, Any]) -> list[tuple[str, str]]:
    """Render a report as (title, HTML) parts: a network report is its cohort summary and
    then one part per city, so that the cities can be laid out in parallel."""
    from tracker.reports import render

    if kind == ReportKind.SUMMARY:
        return [(context["city"]["name"], render.render_summary_html(context))]
    if kind == ReportKind.CITY:
        return [(context["city"]["name"], render.render_city_html(context))]
    cohort = render.render_network_html({**context, "cities": []})
    return [(context["network"]["name"], cohort)] + [
        (city["city"]["name"], render.render_city_html(city)) for city in context["cities"]]


def render_parts(parts: list[tuple[str, str]], *, page_size: str,
                 progress: Progress) -> list[bytes]:
    """Lay out each part as PDF: in this process when there is one part, otherwise in a pool
    of processes (WeasyPrint is single-threaded and CPU-bound), reporting progress 40→90."""
    static = (str(current_app.static_folder), current_app.static_url_path or "/static")
    jobs = [(html, page_size, *static) for _title, html in parts]
    started = time.perf_counter()
    if len(parts) == 1 or processes() == 1:
        results = [_part_pdf(*job) for job in jobs]
    else:
        results = _in_pool(jobs, progress)
    log_layout(results, time.perf_counter() - started)
    return [pdf for pdf, *_stats in results]


def _in_pool(jobs: list[tuple[str, ...]], progress: Progress) -> list[PartResult]:
    """Lay out the parts in a pool of processes, in their order."""
    results: list[Any] = [None] * len(jobs)
    # spawn, not fork: the parent may be a threaded server or consumer.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes(), mp_context=context) as pool:
        # The longest parts first, so that no process is left with a long part at the end.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        futures = {pool.submit(_part_pdf, *jobs[i]): i for i in order}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            progress(40 + 50 * done // len(jobs), "pdf")
    return results


def log_layout(results: list[PartResult], wall: float) -> None:
    """Log how the layout went: parts, processes, CPU and wall time (benchmarks read it)."""
    stats = {"parts": len(results), "pids": sorted({r[1] for r in results}),
             "cpu": sum(r[4] for r in results), "wall": wall,
             "busy": sum(r[3] - r[2] for r in results)}
    logger.info("laid out %(parts)s parts in %(wall).1f s", stats,
                extra={"report_layout": stats})


def _part_pdf(html: str, page_size: str, static_dir: str, static_path: str) -> PartResult:
    """Lay out one part (runs in a pool process: no app context, so the fetcher is built
    here from the static folder); return the PDF, the process id and its timings."""
    from tracker.reports.fetch import StaticOnlyFetcher
    from tracker.reports.render import DEFAULT_BASE_URL, html_to_pdf

    started, cpu = time.time(), time.process_time()
    fetcher = StaticOnlyFetcher(base_url=DEFAULT_BASE_URL, static_dir=Path(static_dir),
                                static_path=static_path)
    pdf = html_to_pdf(html, base_url=DEFAULT_BASE_URL, page_size=page_size, fetcher=fetcher)
    return pdf, os.getpid(), started, time.time(), time.process_time() - cpu


def merge_pdfs(parts: list[tuple[str, str]], pdfs: list[bytes]) -> bytes:
    """Join the parts' PDFs into one, each part a bookmark over its own bookmarks."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for (title, _html), pdf in zip(parts, pdfs, strict=True):
        writer.append(io.BytesIO(pdf), outline_item=title)
    first = PdfReader(io.BytesIO(pdfs[0])).metadata or {}
    writer.add_metadata({k: v for k, v in first.items() if isinstance(v, str)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def processes() -> int:
    """Return how many processes render a network's parts (both cores by default)."""
    configured = current_app.config.get("REPORT_PROCESSES")
    return int(configured) if configured else min(2, os.cpu_count() or 1)


def store_pdf(pdf: bytes) -> str:
    """Write a PDF under a random name atomically (temp file, then rename); return the name."""
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = new_file_name()
    temp = folder / f".{name}.part"
    temp.write_bytes(pdf)
    os.replace(temp, folder / name)
    return name


def generate_now(session: Session, target: Target, user_id: int | None = None,
                 on_progress: Progress | None = None) -> ReportRun:
    """Ask for a report and, unless an unchanged one is stored, generate it in this process
    (the shell command). Commits, like every command."""
    run, created = request_run(session, target, user_id)
    session.commit()
    if created:
        run = execute_run(session, run.id, on_progress) or run  # type: ignore[arg-type]
    return run


class ThreadWorker:
    """A consumer thread inside this process, for an in-memory queue (embedded server, tests)."""

    def __init__(self, app: Flask) -> None:
        """Take the app's (non-immediate) huey instance."""
        self.huey = app_huey(app)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="report-worker", daemon=True)

    def loop(self) -> None:
        """Run queued jobs until stopped."""
        while not self.stop.is_set():
            task = self.huey.dequeue()
            if task is None:
                self.stop.wait(0.1)
                continue
            self.huey.execute(task)

    def __enter__(self) -> "ThreadWorker":
        """Start the thread."""
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop the thread."""
        self.stop.set()
        self.thread.join(timeout=30)
