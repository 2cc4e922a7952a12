"""Trend line chart: a series over years with disaggregations, baseline, targets and projection."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Required, TypedDict

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure, cell
from tracker.charts.marks import legend_item, marker, marker_at
from tracker.charts.numbers import chart_locale
from tracker.charts.scale import LinearScale, format_value, nice_ticks, tick_labels, year_ticks
from tracker.charts.svg import SvgBuilder, num, start_svg
from tracker.charts.text import fit, text_width
from tracker.text_rules import isolate

Number = float | int | Decimal
Point = tuple[int, Number | None]
KnownPoint = tuple[int, Number]
WIDTH, PLOT_HEIGHT = 640, 240
TOP, RIGHT, AXIS_BELOW, LEGEND_ROW = 28, 24, 28, 22
MAX_LABEL = 40
# A y label ends TICK_GAP left of the plot and starts at least EDGE right of the drawing's
# edge, so the margin is the widest label plus both (labels never clip).
TICK_GAP, EDGE, TICK_FONT = 6, 8, 11
# A legend label is at most this wide, so that one entry (30 + label + 16) fits a row even
# beside the widest y labels.
LEGEND_LABEL_WIDTH = 400


class LegendStyle(TypedDict, total=False):
    """How a legend entry is drawn: the keyword arguments of marks.legend_item."""

    colour: Required[str]
    dash: str | None
    shape: str | None
    line: bool


@dataclass(frozen=True)
class Series:
    """A named line: (year, value) points, None marking a gap."""

    name: str
    points: Sequence[Point]


@dataclass(frozen=True)
class Target:
    """A target marker: the value aimed at by a year, with a label (user text)."""

    year: int
    value: Number
    label: str = ""


@dataclass(frozen=True)
class TrendData:
    """All inputs of a trend chart, normalised."""

    main: Series
    extra: Sequence[Series]
    baseline: tuple[int, Number] | None
    targets: Sequence[Target]
    projection: tuple[int, Number] | None
    unit: str


def _values(data: TrendData) -> tuple[list[int], list[float]]:
    """Collect every plotted year and value, to size the axes."""
    pts = [(y, v) for s in (data.main, *data.extra) for y, v in s.points if v is not None]
    pts += [(t.year, t.value) for t in data.targets]
    pts += [p for p in (data.baseline, data.projection) if p is not None]
    return [int(y) for y, _v in pts], [float(v) for _y, v in pts]


def _latest(series: Series) -> tuple[int, Number] | None:
    """Return the last non-missing point of a series."""
    known = [(y, v) for y, v in series.points if v is not None]
    return max(known, key=lambda p: p[0]) if known else None


def segments(points: Sequence[Point]) -> list[list[tuple[int, Number]]]:
    """Split points (sorted by year) into runs without gaps."""
    runs: list[list[tuple[int, Number]]] = [[]]
    for year, value in sorted(points, key=lambda p: p[0]):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((year, value))
    return [r for r in runs if r]


class _Layout:
    """Scales and frame geometry of one trend chart."""

    def __init__(self, years: list[int], values: list[float], legend_rows: int) -> None:
        """Fit the axes to the data: nice y ticks, non-overlapping year ticks."""
        self.ticks = nice_ticks(*_domain(values), 6)
        self.labels = tick_labels(self.ticks)
        self.left = EDGE + TICK_GAP + max(text_width(t, TICK_FONT) for t in self.labels)
        self.bottom = TOP + PLOT_HEIGHT
        self.height = self.bottom + AXIS_BELOW + legend_rows * LEGEND_ROW + 8
        first, last = min(years), max(years)
        if first == last:
            first, last = first - 1, last + 1
        plot_w = WIDTH - RIGHT - self.left
        self.years = year_ticks(first, last, plot_w, 44)
        self.x = LinearScale(first, last, self.left + 8, WIDTH - RIGHT - 8)
        self.y = LinearScale(self.ticks[0], self.ticks[-1], self.bottom, TOP)


def _domain(values: list[float]) -> tuple[float, float]:
    """Return the value range to show, stretched to zero when zero is reasonably near."""
    lo, hi = min(values), max(values)
    if 0 < lo <= hi * 0.5:
        lo = 0.0
    elif hi < 0 and hi >= lo * 0.5:
        hi = 0.0
    return lo, hi


def _axes(b: SvgBuilder, lay: _Layout, unit: str) -> None:
    """Draw grid lines, y tick labels, the unit label and the year axis."""
    b.open("g", class_="chart-axes", fill=pal.MUTED_TEXT, font_size=TICK_FONT)
    for tick, label in zip(lay.ticks, lay.labels, strict=True):
        y = lay.y(tick)
        b.el("line", x1=lay.left, y1=y, x2=WIDTH - RIGHT, y2=y, stroke=pal.GRID_COLOUR,
             stroke_width=1 if tick else 1.5)
        b.el("text", label, x=lay.left - TICK_GAP, y=y + 4, text_anchor="end")
    if unit:
        b.el("text", fit(_truncate(unit, 60), WIDTH - 8, TICK_FONT), x=4, y=TOP - 12)
    b.el("line", x1=lay.left, y1=lay.bottom, x2=WIDTH - RIGHT, y2=lay.bottom,
         stroke=pal.AXIS_COLOUR, stroke_width=1)
    for year in lay.years:
        x = lay.x(year)
        b.el("line", x1=x, y1=lay.bottom, x2=x, y2=lay.bottom + 5, stroke=pal.AXIS_COLOUR)
        b.el("text", str(year), x=x, y=lay.bottom + 18, text_anchor="middle")
    b.close("g")


def _truncate(text: str, limit: int = MAX_LABEL) -> str:
    """Shorten a user label for drawing (the full text stays in the title and data table)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(b: SvgBuilder, lay: _Layout, series: Series, style: tuple[str, str | None, str],
          width: float, tooltips: bool = False) -> None:
    """Draw one series as path runs broken at gaps, with a marker per point."""
    colour, dash, shape = style
    locale = chart_locale()
    b.open("g", class_="chart-series")
    for run in segments(series.points):
        spots = [(year, value, num(lay.x(year)), num(lay.y(value))) for year, value in run]
        d = "L".join(f"{sx} {sy}" for _y, _v, sx, sy in spots)
        b.el("path", d="M" + d, fill="none", stroke=colour, stroke_width=width,
             stroke_dasharray=dash, stroke_linejoin="round")
        for year, value, sx, sy in spots:
            marker_at(b, shape, sx, sy, colour, 3.5,
                      f"{series.name}, {year}: {format_value(value, locale)}" if tooltips
                      else None)
    b.close("g")


def _series_style(index: int) -> tuple[str, str | None, str]:
    """Colour, dash and marker of the index-th disaggregation (cycling after eight)."""
    i = index % len(pal.SERIES_COLOURS)
    return pal.SERIES_COLOURS[i], pal.SERIES_DASHES[i], pal.SERIES_MARKERS[i]


def _references(b: SvgBuilder, lay: _Layout, data: TrendData) -> None:
    """Draw the projection, baseline and target markers."""
    latest = _latest(data.main)
    if data.projection is not None:
        px, py = lay.x(data.projection[0]), lay.y(data.projection[1])
        if latest is not None:
            b.el("line", x1=lay.x(latest[0]), y1=lay.y(latest[1]), x2=px, y2=py,
                 stroke=pal.MAIN_COLOUR, stroke_width=2, stroke_dasharray="5 4")
        marker(b, "circle-open", px, py, pal.MAIN_COLOUR, 4,
               _("Projection, %(year)s: %(value)s", year=data.projection[0],
                 value=format_value(data.projection[1])))
    if data.baseline is not None:
        marker(b, "diamond", lay.x(data.baseline[0]), lay.y(data.baseline[1]), pal.INK, 5,
               _("Baseline, %(year)s: %(value)s", year=data.baseline[0],
                 value=format_value(data.baseline[1])))
    for target in data.targets:
        _target(b, lay, target)


def _target(b: SvgBuilder, lay: _Layout, target: Target) -> None:
    """Draw a target as a bullseye with its (truncated) label beside it."""
    x, y = lay.x(target.year), lay.y(target.value)
    tip = _("Target, %(year)s: %(value)s", year=target.year, value=format_value(target.value))
    b.open("g", class_="chart-target")
    b.open("circle", cx=x, cy=y, r=6, fill="#ffffff", stroke=pal.INK, stroke_width=1.5)
    b.el("title", f"{tip} {isolate(target.label)}".strip()).close("circle")
    b.el("circle", cx=x, cy=y, r=2, fill=pal.INK)
    if target.label:
        label = _truncate(target.label, 28)
        # Right-aligned before the marker, unless that would run off the drawing's left edge.
        before = x - 9 - text_width(label, 11) >= 0
        b.el("text", isolate(label), x=x - 9 if before else x + 9, y=y - 9,
             text_anchor="end" if before else "start", fill=pal.INK, font_size=11)
    b.close("g")


def _legend_entries(data: TrendData) -> list[tuple[str, LegendStyle]]:
    """List legend entries (label, drawing options); empty when a plain single line is shown."""
    entries: list[tuple[str, LegendStyle]] = []
    if data.extra or data.baseline or data.targets or data.projection:
        entries.append((data.main.name, {"colour": pal.MAIN_COLOUR, "shape": "circle"}))
    for i, series in enumerate(data.extra):
        colour, dash, shape = _series_style(i)
        entries.append((series.name, {"colour": colour, "dash": dash, "shape": shape}))
    if data.baseline is not None:
        entries.append((_("Baseline"), {"colour": pal.INK, "shape": "diamond", "line": False}))
    if data.targets:
        entries.append((_("Target"), {"colour": pal.INK, "shape": "circle-open", "line": False}))
    if data.projection is not None:
        entries.append((_("Projection"), {"colour": pal.MAIN_COLOUR, "dash": "5 4"}))
    return [(fit(_truncate(label), LEGEND_LABEL_WIDTH), opts) for label, opts in entries]


def _legend_positions(entries: list[tuple[str, LegendStyle]],
                      left: float) -> list[tuple[float, int]]:
    """Flow legend entries into rows; return each entry's x and row number."""
    x, row, out = left, 0, []
    for label, _opts in entries:
        w = 30 + text_width(label) + 16
        if x + w > WIDTH - RIGHT and x > left:
            x, row = left, row + 1
        out.append((x, row))
        x += w
    return out


def _describe(data: TrendData, years: list[int]) -> str:
    """Write the chart's text description: span, latest value and reference points."""
    parts = [_("Line chart from %(first)s to %(last)s.", first=min(years), last=max(years))]
    latest = _latest(data.main)
    unit = f" {data.unit}" if data.unit else ""
    if latest is not None:
        parts.append(_("Latest value: %(value)s (%(year)s).", year=latest[0],
                       value=format_value(latest[1]) + unit))
    if data.baseline is not None:
        parts.append(_("Baseline: %(value)s (%(year)s).", year=data.baseline[0],
                       value=format_value(data.baseline[1]) + unit))
    for t in data.targets:
        parts.append(_("Target: %(value)s by %(year)s.", year=t.year,
                       value=format_value(t.value) + unit) + (f" {t.label}" if t.label else ""))
    if data.projection is not None:
        parts.append(_("Projected: %(value)s in %(year)s.", year=data.projection[0],
                       value=format_value(data.projection[1]) + unit))
    if data.extra:
        parts.append(_("Series: %(names)s.", names=", ".join(s.name for s in data.extra)))
    return " ".join(parts)


def clean(points: Iterable[Point]) -> list[Point]:
    """Sort points by year, turning NaN and infinite values into gaps."""
    return sorted(((int(y), v if _finite(v) else None) for y, v in points), key=lambda p: p[0])


def _normalise(points: Iterable[Point], name: str | None, disaggregations: Iterable,
               baseline: tuple | None, targets: Iterable, projection: tuple | None,
               unit: str) -> TrendData:
    """Turn loose inputs (tuples or Series/Target objects) into a TrendData."""
    extra = [Series(s.name, clean(s.points)) if isinstance(s, Series) else
             Series(str(s[0]), clean(s[1])) for s in disaggregations]
    tgts = [t if isinstance(t, Target) else Target(int(t[0]), t[1], str(t[2] if len(t) > 2 else ""))
            for t in targets]
    tgts = [t for t in tgts if _finite(t.value)]
    baseline = baseline if baseline is not None and _finite(baseline[1]) else None
    projection = projection if projection is not None and _finite(projection[1]) else None
    return TrendData(Series(name or _("Value"), clean(points)), extra, baseline, tgts,
                     projection, unit)


def _finite(value: Number | None) -> bool:
    """Whether a value can be drawn (not None, NaN or infinite)."""
    return value is not None and math.isfinite(float(value))


def render_trend(points: Iterable[Point], *, prefix: str, title: str, unit: str = "",
                 name: str | None = None, disaggregations: Iterable = (),
                 baseline: tuple[int, Number] | None = None, targets: Iterable = (),
                 projection: tuple[int, Number] | None = None, desc: str | None = None) -> Markup:
    """Render a trend line chart as a complete, responsive <svg>."""
    data = _normalise(points, name, disaggregations, baseline, targets, projection, unit)
    years, values = _values(data)
    b = SvgBuilder()
    if not values:
        return _empty(b, prefix, title, desc)
    entries = _legend_entries(data)
    lay = _Layout(years, values, 0)
    spots = _legend_positions(entries, lay.left)
    lay = _Layout(years, values, (spots[-1][1] + 1) if spots else 0)
    start_svg(b, prefix=prefix, width=WIDTH, height=lay.height, title=title,
              desc=desc or _describe(data, years), css_class="chart chart--trend")
    _axes(b, lay, unit)
    _references(b, lay, data)
    for i, series in reversed(list(enumerate(data.extra))):
        _line(b, lay, series, _series_style(i), 2)
    # Only the main series' points get tooltips: a title per point of every series costs
    # more time than the whole chart budget, and the data table holds every value anyway.
    _line(b, lay, data.main, (pal.MAIN_COLOUR, None, "circle"), 2.5, tooltips=True)
    _legend(b, entries, spots, lay.bottom + AXIS_BELOW + 12)
    return b.close("svg").markup()


def _legend(b: SvgBuilder, entries: list[tuple[str, LegendStyle]], spots: list[tuple[float, int]],
            top: float) -> None:
    """Draw the legend entries at their flowed positions."""
    if not entries:
        return
    b.open("g", class_="chart-legend", font_size=12)
    for (label, opts), (x, row) in zip(entries, spots, strict=True):
        legend_item(b, x, top + row * LEGEND_ROW, label, **opts)
    b.close("g")


def _empty(b: SvgBuilder, prefix: str, title: str, desc: str | None) -> Markup:
    """Render an empty frame saying "No data"."""
    height = TOP + PLOT_HEIGHT + AXIS_BELOW
    start_svg(b, prefix=prefix, width=WIDTH, height=height, title=title,
              desc=desc or _("No data."), css_class="chart chart--trend chart--empty")
    b.el("rect", x=0.5, y=0.5, width=WIDTH - 1, height=height - 1, fill="#ffffff",
         stroke=pal.GRID_COLOUR, rx=4)
    b.el("text", _("No data"), x=WIDTH / 2, y=height / 2, text_anchor="middle",
         fill=pal.MUTED_TEXT, font_size=16)
    return b.close("svg").markup()


def trend_table(points: Iterable[Point], *, caption: str, unit: str = "",
                name: str | None = None, disaggregations: Iterable = (),
                baseline: tuple[int, Number] | None = None, targets: Iterable = (),
                projection: tuple[int, Number] | None = None) -> DataTable:
    """Build the data table of a trend chart: one row per year, one column per series."""
    data = _normalise(points, name, disaggregations, baseline, targets, projection, unit)
    series = [data.main, *data.extra]
    by_series = [dict(s.points) for s in series]
    years = sorted({int(y) for s in series for y, _v in s.points})
    rows = [[str(y), *(cell(m.get(y)) for m in by_series)] for y in years]
    suffix = f" ({unit})" if unit else ""
    notes = []
    if data.baseline is not None:
        notes.append((_("Baseline"), f"{cell(data.baseline[1])} ({data.baseline[0]})"))
    notes += [(_("Target"), f"{cell(t.value)} ({t.year}) {t.label}".strip()) for t in data.targets]
    if data.projection is not None:
        notes.append((_("Projection"), f"{cell(data.projection[1])} ({data.projection[0]})"))
    return DataTable(caption, [_("Year"), *(s.name + suffix for s in series)], rows, notes)


def trend_figure(points: Iterable[Point], *, prefix: str, title: str, **options: Any) -> Figure:
    """Render a trend chart together with its data table (captioned with the title)."""
    points = list(points)
    table_opts = {k: v for k, v in options.items() if k != "desc"}
    return Figure(render_trend(points, prefix=prefix, title=title, **options),
                  trend_table(points, caption=title, **table_opts))
