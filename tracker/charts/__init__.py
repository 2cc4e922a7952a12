"""Server-rendered, deterministic, accessible SVG charts (trend, sparkline, goal strip, gauges).

Every render function returns `markupsafe.Markup` holding one complete `<svg>` element. It is
safe to insert unescaped because `tracker.charts.svg` escapes every text and attribute value.
Charts use SVG presentation attributes only: the CSP (`style-src 'self'`) blocks `style=`
attributes, including those inside inline SVG. Ids derive from the caller's `prefix` only, so
give each chart on a page its own prefix (e.g. "trend-11-6-2"). `*_figure` functions bundle
the SVG with its data table for the macros in templates/_partials/charts.html.
"""

from tracker.charts.figure import DataTable, Figure
from tracker.charts.gauge import progress_figure, render_progress_vs_time, render_score_gauge
from tracker.charts.palette import PALETTE, StatusStyle, status_style
from tracker.charts.spark import render_sparkline, sparkline_figure
from tracker.charts.strip import goal_strip_figure, goal_strip_table, render_goal_strip
from tracker.charts.trend import Series, Target, render_trend, trend_figure, trend_table

__all__ = [
    "PALETTE", "DataTable", "Figure", "Series", "StatusStyle", "Target", "goal_strip_figure",
    "goal_strip_table", "progress_figure", "render_goal_strip", "render_progress_vs_time",
    "render_score_gauge", "render_sparkline", "render_trend", "sparkline_figure", "status_style",
    "trend_figure", "trend_table",
]
