"""Grouped bar chart: one group per category (e.g. an indicator), one bar per series (e.g. a
city), on a shared 0–max scale. Missing values leave a gap labelled "no value"."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure, cell
from tracker.charts.marks import text_width
from tracker.charts.scale import LinearScale, format_value, nice_ticks, tick_labels
from tracker.charts.svg import SvgBuilder, start_svg
from tracker.text_rules import isolate

WIDTH, PLOT_HEIGHT, LEFT, TOP, BOTTOM, LEGEND_ROW = 640, 200, 44, 16, 40, 20
MAX_LABEL = 18


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


def _legend(b: SvgBuilder, series: Sequence[str], top: float) -> float:
    """Draw the series legend, flowing over rows; return the height used."""
    x: float = LEFT
    row = 0
    for i, name in enumerate(series):
        width = 20 + text_width(name) + 16
        if x + width > WIDTH and x > LEFT:
            x, row = LEFT, row + 1
        y = top + row * LEGEND_ROW
        b.el("rect", x=x, y=y - 8, width=12, height=12,
             fill=pal.SERIES_COLOURS[i % len(pal.SERIES_COLOURS)])
        b.el("text", name, x=x + 18, y=y + 2, fill=pal.INK)
        x += width
    return (row + 1) * LEGEND_ROW


def _bars(b: SvgBuilder, groups: Sequence[Group], series: Sequence[str], y: LinearScale,
          unit: str) -> None:
    """Draw each group's bars with a tooltip and the group's label under them."""
    slot = (WIDTH - LEFT - 8) / max(len(groups), 1)
    bar = max(min((slot - 8) / max(len(series), 1), 28), 2)
    base = TOP + PLOT_HEIGHT
    for gi, group in enumerate(groups):
        x0 = LEFT + gi * slot + (slot - bar * len(series)) / 2
        for si, value in enumerate(group.values):
            if value is None:
                continue
            top = y(max(value, 0.0))
            b.open("rect", x=x0 + si * bar, y=top, width=bar - 1, height=max(base - top, 0.5),
                   fill=pal.SERIES_COLOURS[si % len(pal.SERIES_COLOURS)])
            b.el("title", f"{isolate(group.label)} · {isolate(series[si])}: "
                           f"{format_value(value)}{unit}")
            b.close("rect")
        b.el("text", isolate(_short(group.label)), x=LEFT + gi * slot + slot / 2, y=base + 16,
             text_anchor="middle", fill=pal.MUTED_TEXT, font_size=11)


def render_grouped_bars(groups: Sequence[Group], series: Sequence[str], *, prefix: str,
                        title: str, unit: str = "", top: float | None = None) -> Markup:
    """Render grouped bars as a responsive <svg>; `top` fixes the scale's maximum."""
    highest = max([v for g in groups for v in g.values if v is not None] or [0.0])
    ticks = nice_ticks(0.0, top if top is not None else max(highest, 1.0), 5)
    y = LinearScale(0.0, ticks[-1], TOP + PLOT_HEIGHT, TOP)
    rows = 1 + int(sum(20 + text_width(s) + 16 for s in series) // (WIDTH - LEFT))
    height = TOP + PLOT_HEIGHT + BOTTOM + rows * LEGEND_ROW
    b = SvgBuilder()
    start_svg(b, prefix=prefix, width=WIDTH, height=height, title=title,
              desc=_describe(groups, series), css_class="chart chart--bars")
    for tick, label in zip(ticks, tick_labels(ticks), strict=True):
        b.el("line", x1=LEFT, y1=y(tick), x2=WIDTH - 8, y2=y(tick), stroke=pal.GRID_COLOUR)
        b.el("text", label, x=LEFT - 6, y=y(tick) + 4, text_anchor="end", fill=pal.MUTED_TEXT)
    _bars(b, groups, series, y, f" {unit}" if unit else "")
    b.el("line", x1=LEFT, y1=TOP + PLOT_HEIGHT, x2=WIDTH - 8, y2=TOP + PLOT_HEIGHT,
         stroke=pal.AXIS_COLOUR)
    _legend(b, series, TOP + PLOT_HEIGHT + BOTTOM + 4)
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
