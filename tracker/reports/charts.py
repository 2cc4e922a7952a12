"""A compact trend chart for print: the total series, baseline, targets and projection with
few axis labels (four to six value ticks, the first and last year). Text inside SVG is what
costs WeasyPrint most time (a full trend chart has about 15 labels), so the printed legend is
HTML text under the chart instead. Value ticks and labels come from tracker.charts.scale, as
on the pages, and the label area is as wide as the widest label (never clipped)."""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.marks import marker
from tracker.charts.scale import LinearScale, format_value, nice_ticks, tick_labels
from tracker.charts.svg import SvgBuilder, num, start_svg
from tracker.charts.text import text_width
from tracker.charts.trend import segments

# report.css sizes the drawing 84 × 30.3 mm, the same 360:130 shape.
WIDTH, HEIGHT = 360, 130
RIGHT, TOP, BOTTOM = 10, 8, 18
EDGE, TICK_GAP, FONT = 2, 4, 10


@dataclass(frozen=True)
class Axes:
    """The x (years) and y (values) scales, the value ticks and their labels."""

    x: LinearScale
    y: LinearScale
    ticks: list[float]
    labels: list[str]

    @property
    def left(self) -> float:
        """Where the plot starts: right of the value labels."""
        return self.x.r0


def chart_points(indicator: dict[str, Any]) -> tuple[list[tuple[int, float]], list[Any]]:
    """The total series' known points and the target points."""
    series = [(int(y), float(v)) for y, v in total_points(indicator) if v is not None]
    targets = [(int(t["year"]), float(t["value"])) for t in indicator["targets"]]
    return series, targets


def total_points(indicator: dict[str, Any]) -> list[tuple[int, float | None]]:
    """The total series with its gaps (None), which break the line."""
    return [(int(y), v) for y, v in indicator["series"].get("", [])]


def scales(points: list[tuple[int, float]]) -> Axes:
    """Fit the axes: years, and values (from zero when all are positive) on nice ticks."""
    years, values = [p[0] for p in points], [p[1] for p in points]
    low, high = min(values), max(values)
    low = 0.0 if low > 0 and low < 0.5 * high else low
    ticks = nice_ticks(low, high)
    labels = tick_labels(ticks)
    left = EDGE + TICK_GAP + max(text_width(label, FONT) for label in labels)
    return Axes(LinearScale(min(years), max(years) if max(years) > min(years) else min(years) + 1,
                            left, WIDTH - RIGHT),
                LinearScale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP), ticks, labels)


def axes(b: SvgBuilder, ax: Axes) -> None:
    """Frame, a grid line and label per value tick, and the first and last year."""
    for tick, label in zip(ax.ticks, ax.labels, strict=True):
        b.el("line", x1=ax.left, x2=WIDTH - RIGHT, y1=ax.y(tick), y2=ax.y(tick),
             stroke=pal.GRID_COLOUR, stroke_width=0.8)
        b.el("text", label, x=ax.left - TICK_GAP, y=ax.y(tick) + 3.5, text_anchor="end",
             font_size=FONT, fill=pal.MUTED_TEXT)
    b.el("line", x1=ax.left, x2=ax.left, y1=TOP, y2=HEIGHT - BOTTOM, stroke=pal.AXIS_COLOUR)
    b.el("text", str(int(ax.x.d0)), x=ax.left, y=HEIGHT - 4, font_size=FONT,
         fill=pal.MUTED_TEXT)
    b.el("text", str(int(ax.x.d1)), x=WIDTH - RIGHT, y=HEIGHT - 4, text_anchor="end",
         font_size=FONT, fill=pal.MUTED_TEXT)


def references(b: SvgBuilder, ax: Axes, baseline: Any, projection: Any,
               series: list[tuple[int, float]]) -> None:
    """The baseline as a dashed level and the projection as a dotted line to the target year."""
    x, y = ax.x, ax.y
    if baseline:
        b.el("line", x1=ax.left, x2=WIDTH - RIGHT, y1=y(baseline[1]), y2=y(baseline[1]),
             stroke=pal.AXIS_COLOUR, stroke_width=1, stroke_dasharray="4 3")
    if projection:
        b.el("line", x1=x(series[-1][0]), y1=y(series[-1][1]), x2=x(projection[0]),
             y2=y(projection[1]), stroke=pal.MAIN_COLOUR, stroke_width=1.2,
             stroke_dasharray="2 3")


def print_trend(indicator: dict[str, Any], prefix: str) -> Markup:
    """Draw an indicator's compact trend chart (an empty frame when it has no values)."""
    series, targets = chart_points(indicator)
    baseline = ((indicator["baseline_year"], indicator["baseline_value"])
                if indicator["baseline_year"] and indicator["baseline_value"] is not None
                else None)
    projection = tuple(indicator["projection"]) if indicator["projection"] else None
    every = series + targets + [p for p in (baseline, projection) if p]
    b = SvgBuilder()
    start_svg(b, prefix=f"{prefix}trend-{indicator['id']}", width=WIDTH, height=HEIGHT,
              title=f"{indicator['code']} {indicator['name']}", desc=describe(series, targets),
              css_class="chart chart--print-trend")
    if not every:
        return b.close("svg").markup()
    ax = scales(every)
    x, y = ax.x, ax.y
    axes(b, ax)
    references(b, ax, baseline, projection if series else None, series)
    for run in segments(total_points(indicator)):
        if len(run) > 1:
            b.el("path", d="".join(("M" if i == 0 else "L") + f"{num(x(a))} {num(y(v))}"
                                   for i, (a, v) in enumerate(run)),
                 fill="none", stroke=pal.MAIN_COLOUR, stroke_width=2)
    for year, value in series:
        marker(b, "circle", x(year), y(value), pal.MAIN_COLOUR, 2.6)
    for year, value in targets:
        marker(b, "diamond", x(year), y(value), pal.INK, 4.5)
    return b.close("svg").markup()


def describe(series: list[tuple[int, float]], targets: list[tuple[int, float]]) -> str:
    """Say what the chart shows, for readers of the SVG's description."""
    if not series:
        return str(_("No counted value."))
    (y0, v0), (y1, v1) = series[0], series[-1]
    text: str = _("From %(a)s (%(ay)s) to %(b)s (%(by)s).", a=format_value(v0), ay=y0,
             b=format_value(v1), by=y1)
    if targets:
        text += " " + _("Target %(v)s by %(y)s.", v=format_value(targets[-1][1]),
                        y=targets[-1][0])
    return text
