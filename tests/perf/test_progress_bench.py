"""Benchmark of the pure progress engine (run by `make bench`): statuses for 10 000 series of
10 years each. The issue's budget is under 1 s for a whole report run, reading from the
database included; this measures the computing part alone (median of RUNS runs)."""

import random
import statistics
import time

import pytest

from tracker.progress.extensions import assess
from tracker.progress.result import STATUSES

RUNS = 5
SERIES = 10_000
LIMIT_MS = 1000
Case = tuple[list[tuple[int, float]], str, list[tuple[int, float]]]


def make_series(seed: int = 2030) -> list[Case]:
    """Random walks from 2015 to 2024, half with a 2030 target, some crossing zero."""
    rnd = random.Random(seed)
    out = []
    for n in range(SERIES):
        value = rnd.uniform(-20, 100) if n % 10 == 0 else rnd.uniform(1, 100)
        points = []
        for year in range(2015, 2025):
            points.append((year, round(value, 2)))
            value *= rnd.uniform(0.9, 1.1)
        targets = [(2030, rnd.uniform(1, 120))] if n % 2 else []
        out.append((points, rnd.choice(["higher", "lower"]), targets))
    return out


@pytest.mark.perf
def test_progress_engine_time() -> None:
    data = make_series()
    times, cpu_times = [], []
    for _ in range(RUNS):
        start, cpu_start = time.perf_counter(), time.process_time()
        results = [assess(points, direction=direction, targets=targets)
                   for points, direction, targets in data]
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
    assert len(results) == SERIES and {r.status for r in results} <= set(STATUSES)
    assert len({r.status for r in results}) >= 4  # a realistic mix, not one easy path
    median = statistics.median(times)
    line = (f"\nBENCH progress engine: {SERIES} series x 10 years, median {median:.1f} ms "
            f"(n={RUNS}, min {min(times):.1f}, max {max(times):.1f}; "
            f"CPU median {statistics.median(cpu_times):.1f} ms)")
    print(line)  # noqa: T201
    assert median < LIMIT_MS, f"the engine took {median:.1f} ms"
