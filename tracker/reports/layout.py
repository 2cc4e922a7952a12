"""Laying out a report's HTML parts as PDF: in the worker's process for one part, in a pool of
processes for several (a network's cities), then merged and stored under a random name.

The pool's processes watch their parent: when the worker dies (even by SIGKILL, which runs no
clean-up), they notice within a second that they were handed to another parent and exit, so
no orphan keeps laying out a report nobody waits for."""

import io
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from flask import current_app

from tracker.reports import render
from tracker.reports.runs import new_file_name, reports_dir

# A child of the worker's logger: the benchmarks read the layout statistics there.
logger = logging.getLogger("tracker.reports.worker.layout")

Progress = Callable[[int, str], None]
Check = Callable[[], None]
PartResult = tuple[bytes, int, float, float, float]  # PDF, pid, start, end, CPU seconds
Job = tuple[str, str, str, str]  # HTML, page size, static folder, static URL path
PARENT_CHECK_SECONDS = 0.5
POLL_SECONDS = 0.2


def render_parts(parts: list[tuple[str, str]], *, page_size: str, progress: Progress,
                 check: Check = lambda: None, apart: bool = False) -> list[bytes]:
    """Lay out each part as PDF: in this process when there is one part (unless `apart`),
    otherwise in a pool of processes (WeasyPrint is single-threaded and CPU-bound), reporting
    progress 40→90. `check` runs between parts and while waiting; it raises to stop the job."""
    static = (str(current_app.static_folder), current_app.static_url_path or "/static")
    jobs: list[Job] = [(html, page_size, *static) for _title, html in parts]
    started = time.perf_counter()
    if (len(parts) == 1 and not apart) or processes() == 1:
        results: list[PartResult] = []
        for job in jobs:
            check()
            results.append(_part_pdf(*job))
    else:
        results = _in_pool(jobs, progress, check)
    log_layout(results, time.perf_counter() - started)
    return [pdf for pdf, *_stats in results]


def _in_pool(jobs: list[Job], progress: Progress, check: Check) -> list[PartResult]:
    """Lay out the parts in a pool of processes, in their order; stop them all when `check`
    or `progress` raises (the pool is terminated, never left behind)."""
    results: dict[int, PartResult] = {}
    # spawn, not fork: the parent may be a threaded server or consumer.
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(min(processes(), len(jobs)), initializer=watch_parent,
                        initargs=(os.getpid(),))
    try:
        # The longest parts first, so that no process is left with a long part at the end.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        pending = {i: pool.apply_async(_part_pdf, jobs[i]) for i in order}
        while pending:
            check()
            ready = [i for i, result in pending.items() if result.ready()]
            for i in ready:
                results[i] = pending.pop(i).get()
                progress(40 + 50 * (len(jobs) - len(pending)) // len(jobs), "pdf")
            if not ready:
                next(iter(pending.values())).wait(POLL_SECONDS)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
    return [results[i] for i in range(len(jobs))]


def watch_parent(parent_pid: int) -> None:
    """In a pool process: exit as soon as the worker that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)  # no clean-up to do: the parent that wanted the result is dead

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


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
    # WeasyPrint (~0.5 s CPU to import) loads only where a PDF is made
    from tracker.reports.fetch import StaticOnlyFetcher
    started, cpu = time.time(), time.process_time()
    fetcher = StaticOnlyFetcher(base_url=render.DEFAULT_BASE_URL, static_dir=Path(static_dir),
                                static_path=static_path)
    # Looked up on the module at call time: tests and the slow-worker harness replace it there.
    pdf = render.html_to_pdf(html, base_url=render.DEFAULT_BASE_URL, page_size=page_size,
                             fetcher=fetcher)
    return pdf, os.getpid(), started, time.time(), time.process_time() - cpu


def merge_pdfs(parts: list[tuple[str, str]], pdfs: list[bytes]) -> bytes:
    """Join the parts' PDFs into one, each part a bookmark over its own bookmarks."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for (title, _html), pdf in zip(parts, pdfs, strict=True):
        writer.append(io.BytesIO(pdf), outline_item=title)
    first: Mapping[str, object] = PdfReader(io.BytesIO(pdfs[0])).metadata or {}
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


def discard_pdf(name: str) -> None:
    """Remove a stored PDF that no run will point to (its run was taken away meanwhile)."""
    (reports_dir() / name).unlink(missing_ok=True)
