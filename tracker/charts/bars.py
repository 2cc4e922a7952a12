"""Grouped bar chart: one group per category (e.g. an indicator), one bar per series (e.g. a
city), on a shared 0–max scale. Missing values leave a gap labelled "no value"."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure, cell
from tracker.charts.numbers import chart_locale
from tracker.charts.scale import LinearScale, format_value, nice_ticks, tick_labels
from tracker.charts.svg import SvgBuilder, start_svg
from tracker.charts.text import fit, text_width
from tracker.text_rules import isolate

WIDTH, PLOT_HEIGHT, TOP, BOTTOM, LEGEND_ROW = 640, 200, 16, 40, 20
MAX_LABEL = 18
# The y labels' area is as wide as the widest label plus TICK_GAP and EDGE (never clipped);
# LEFT is its least width, which also lines the legend up with the plot.
LEFT, TICK_GAP, EDGE, LEGEND_LABEL_WIDTH = 44, 6, 4, 480


@dataclass(frozen=True)
class Group:
    """A category and its values, one per series (None: no value)."""

    label: str
    values: Sequence[float | None]


def _short(text: str) -> str:
    """Shorten an axis label."""
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def _describe(groups: Sequence[Group], series: Sequence[str]) -> str:
    """Say what the chart shows, in words."""
    known = sum(1 for g in groups for v in g.values if v is not None)
    return str(_("%(groups)s groups of %(series)s bars; %(known)s values shown.",
                 groups=len(groups), series=len(series), known=known))


def _legend_spots(series: Sequence[str], left: float) -> list[tuple[str, float, int]]:
    """Flow the legend entries over rows: each (fitted name, x, row)."""
    x, row, out = left, 0, []
    for name in series:
        name = fit(name, LEGEND_LABEL_WIDTH)
        width = 20 + text_width(name) + 16
        if x + width > WIDTH and x > left:
            x, row = left, row + 1
        out.append((name, x, row))
        x += width
    return out


def _legend(b: SvgBuilder, spots: list[tuple[str, float, int]], top: float) -> None:
    """Draw the series legend at its flowed positions."""
    for i, (name, x, row) in enumerate(spots):
        y = top + row * LEGEND_ROW
        b.el("rect", x=x, y=y - 8, width=12, height=12,
             fill=pal.SERIES_COLOURS[i % len(pal.SERIES_COLOURS)])
        b.el("text", name, x=x + 18, y=y + 2, fill=pal.INK)


def _bars(b: SvgBuilder, groups: Sequence[Group], series: Sequence[str], y: LinearScale,
          left: float, unit: str) -> None:
    """Draw each group's bars with a tooltip and the group's label under them."""
    slot = (WIDTH - left - 8) / max(len(groups), 1)
    bar = max(min((slot - 8) / max(len(series), 1), 28), 2)
    base, locale = TOP + PLOT_HEIGHT, chart_locale()
    for gi, group in enumerate(groups):
        x0 = left + gi * slot + (slot - bar * len(series)) / 2
        for si, value in enumerate(group.values):
            if value is None:
                continue
            top = y(max(value, 0.0))
            b.open("rect", x=x0 + si * bar, y=top, width=bar - 1, height=max(base - top, 0.5),
                   fill=pal.SERIES_COLOURS[si % len(pal.SERIES_COLOURS)])
            b.el("title", f"{isolate(group.label)} · {isolate(series[si])}: "
                           f"{format_value(value, locale)}{unit}")
            b.close("rect")
        label = _short(group.label)
        # Centred under the group, but never past either edge of the drawing.
        half = text_width(label, 11) / 2
        x = min(max(left + gi * slot + slot / 2, half + EDGE), WIDTH - half - EDGE)
        b.el("text", isolate(label), x=x, y=base + 16, text_anchor="middle",
             fill=pal.MUTED_TEXT, font_size=11)


def _value_axis(b: SvgBuilder, ticks: list[float], labels: list[str], y: LinearScale,
                left: float) -> None:
    """Draw the grid lines and their labels, right-aligned in the measured label area."""
    for tick, label in zip(ticks, labels, strict=True):
        b.el("line", x1=left, y1=y(tick), x2=WIDTH - 8, y2=y(tick), stroke=pal.GRID_COLOUR)
        b.el("text", label, x=left - TICK_GAP, y=y(tick) + 4, text_anchor="end",
             fill=pal.MUTED_TEXT)


def render_grouped_bars(groups: Sequence[Group], series: Sequence[str], *, prefix: str,
                        title: str, unit: str = "", top: float | None = None) -> Markup:
    """Render grouped bars as a responsive <svg>; `top` fixes the scale's maximum."""
    highest = max([v for g in groups for v in g.values if v is not None] or [0.0])
    # Small values keep their own scale (0.000123 is no flat line on a 0–1 axis).
    ticks = nice_ticks(0.0, top if top is not None else (highest if highest > 0 else 1.0))
    labels = tick_labels(ticks)
    left = max(LEFT, EDGE + TICK_GAP + max(text_width(t) for t in labels))
    y = LinearScale(0.0, ticks[-1], TOP + PLOT_HEIGHT, TOP)
    spots = _legend_spots(series, left)
    rows = 1 + max((row for _n, _x, row in spots), default=0)
    height = TOP + PLOT_HEIGHT + BOTTOM + rows * LEGEND_ROW
    b = SvgBuilder()
    start_svg(b, prefix=prefix, width=WIDTH, height=height, title=title,
              desc=_describe(groups, series), css_class="chart chart--bars")
    _value_axis(b, ticks, labels, y, left)
    _bars(b, groups, series, y, left, f" {unit}" if unit else "")
    b.el("line", x1=left, y1=TOP + PLOT_HEIGHT, x2=WIDTH - 8, y2=TOP + PLOT_HEIGHT,
         stroke=pal.AXIS_COLOUR)
    _legend(b, spots, TOP + PLOT_HEIGHT + BOTTOM + 4)
    return b.close("svg").markup()


def bars_table(groups: Sequence[Group], series: Sequence[str], *, caption: str,
               unit: str = "") -> DataTable:
    """The chart's numbers: one row per group, one column per series."""
    suffix = f" ({unit})" if unit else ""
    return DataTable(caption, ["", *(name + suffix for name in series)],
                     [[g.label, *(cell(v) for v in g.values)] for g in groups])


def grouped_bars_figure(groups: Sequence[Group], series: Sequence[str], *, prefix: str,
                        title: str, **options: Any) -> Figure:
    """Render grouped bars with their data table."""
    table = bars_table(groups, series, caption=title, unit=options.get("unit", ""))
    return Figure(render_grouped_bars(groups, series, prefix=prefix, title=title, **options),
                  table)
