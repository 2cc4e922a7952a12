"""Benchmarks of the SVG charts (run by `make bench`): the median render must stay under 5 ms.

The limit applies to CPU time (`time.process_time`): on a shared 2-core machine running other
test suites, wall time mostly measures waiting for a core. Both medians are printed.
"""

import statistics
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from markupsafe import Markup

from tracker.charts import (
    render_goal_strip,
    render_progress_vs_time,
    render_score_gauge,
    render_sparkline,
    render_trend,
)

RUNS = 300
LIMIT_MS = 5.0
YEARS = range(2000, 2031)
POINTS = [(y, Decimal(y - 1990) * Decimal("1.37") if y % 11 else None) for y in YEARS]
COLOURS = dict.fromkeys(range(1, 18), "#19486A")
STATUSES = {g: ("moderate_progress", "deterioration", None)[g % 3] for g in range(1, 18)}

CHARTS: dict[str, Callable[[], Markup]] = {
    "trend, 15 points": lambda: render_trend(POINTS[:15], prefix="b", title="Water", unit="%"),
    "trend, 31 years × 9 series + refs": lambda: render_trend(
        POINTS, prefix="b", title="Water", unit="%",
        disaggregations=[(f"Group {i}", [(y, y - 1995 + i * 1.1) for y in YEARS])
                         for i in range(8)],
        baseline=(2000, 12), targets=[(2030, 80, "SDG target")], projection=(2030, 60)),
    "trend, no data": lambda: render_trend([], prefix="b", title="Water"),
    "sparkline, 31 points": lambda: render_sparkline(POINTS, prefix="b", title="Water"),
    "goal strip, linked": lambda: render_goal_strip(
        STATUSES, COLOURS, prefix="b", title="Goals",
        hrefs={g: f"/sdg/goals/{g}" for g in range(1, 18)}),
    "score gauge": lambda: render_score_gauge(0.62, prefix="b", title="Score",
                                              status="moderate_progress"),
    "progress vs time": lambda: render_progress_vs_time(0.3, 0.6, prefix="b", title="Progress",
                                                        status="limited_progress"),
}


@pytest.mark.perf
@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_render_time(name: str) -> None:
    render = CHARTS[name]
    render()  # warm up imports and the gettext path
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        svg = render()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    median = statistics.median(cpu)
    print(f"\nBENCH chart {name:<36} median cpu {median:6.3f} ms  wall "
          f"{statistics.median(wall):6.3f} ms  {len(svg):>6} bytes  (n={RUNS})")
    assert median < LIMIT_MS, f"{name} took {median:.2f} ms of CPU"
