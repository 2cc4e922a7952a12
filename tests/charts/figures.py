"""One figure of every chart type, with hostile user text, for template and PDF tests."""

from decimal import Decimal

from tests.charts.helpers import EVIL
from tracker.charts import (
    Figure,
    goal_strip_figure,
    progress_figure,
    render_score_gauge,
    sparkline_figure,
    trend_figure,
)
from tracker.charts.figure import DataTable

GOAL_COLOURS = {1: "#E5243B", 2: "#DDA63A", 3: "#4C9F38", 4: "#C5192D", 5: "#FF3A21",
                6: "#26BDE2", 7: "#FCC30B", 8: "#A21942", 9: "#FD6925", 10: "#DD1367",
                11: "#FD9D24", 12: "#BF8B2E", 13: "#3F7E44", 14: "#0A97D9", 15: "#56C02B",
                16: "#00689D", 17: "#19486A"}
STATUS_CYCLE = ("target_achieved", "substantial_progress", "moderate_progress",
                "limited_progress", "deterioration", "not_available", "insufficient_data")


def every_figure() -> dict[str, Figure]:
    """Return a trend, sparkline, goal strip, score gauge and progress gauge figure."""
    years = range(2000, 2031)
    trend = trend_figure(
        [(y, Decimal(y - 1990) * Decimal("1.5") if y % 9 else None) for y in years],
        prefix="trend", title=f"Trend {EVIL}", unit="%", name="Total",
        disaggregations=[(f"Group {i} {EVIL}", [(y, y - 1995 + i) for y in years])
                         for i in range(8)],
        baseline=(2000, 15), targets=[(2030, 80, EVIL)], projection=(2030, 60))
    statuses = {g: STATUS_CYCLE[g % len(STATUS_CYCLE)] for g in range(1, 18)}
    gauge = Figure(render_score_gauge(0.4, prefix="score", title="Score", status="deterioration"),
                   DataTable("Score", ["Measure", "Value"], [["Score", "40%"]]))
    return {
        "trend": trend,
        "spark": sparkline_figure([(2015, 1), (2016, None), (2017, 3)], prefix="spark",
                                  title=f"Spark {EVIL}"),
        "strip": goal_strip_figure(statuses, GOAL_COLOURS, prefix="strip", title="Goals",
                                   titles={1: EVIL}, hrefs={g: f"/sdg/goals/{g}" for g in
                                                             range(1, 18)}),
        "gauge": gauge,
        "progress": progress_figure(0.3, 0.6, prefix="progress", title="Progress",
                                    status="limited_progress"),
        "empty": trend_figure([], prefix="empty", title="Empty"),
    }
