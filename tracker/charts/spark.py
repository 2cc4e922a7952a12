"""Sparkline: a tiny inline trend line with its latest point marked."""

from collections.abc import Iterable

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure, cell
from tracker.charts.scale import LinearScale, format_value
from tracker.charts.svg import SvgBuilder, num, start_svg
from tracker.charts.trend import Point, clean, segments

PAD = 3


def _describe(known: list, unit: str) -> str:
    """Describe the line in words: first and latest values, or that there is no data."""
    if not known:
        return _("No data.")
    suffix = f" {unit}" if unit else ""
    (y0, v0), (y1, v1) = known[0], known[-1]
    if y0 == y1:
        return _("One value: %(value)s (%(year)s).", value=format_value(v1) + suffix, year=y1)
    return _("From %(first)s (%(first_year)s) to %(last)s (%(last_year)s).",
             first=format_value(v0) + suffix, first_year=y0,
             last=format_value(v1) + suffix, last_year=y1)


def render_sparkline(points: Iterable[Point], *, prefix: str, title: str, unit: str = "",
                     width: int = 120, height: int = 28, colour: str = pal.MAIN_COLOUR) -> Markup:
    """Render a sparkline <svg> of fixed size; gaps break the line, the last point is marked."""
    points = clean(points)
    known = [(y, v) for y, v in points if v is not None]
    b = SvgBuilder()
    start_svg(b, prefix=prefix, width=width, height=height, title=title,
              desc=_describe(known, unit), css_class="chart chart--spark", fixed_size=True)
    if not known:
        b.el("line", x1=PAD, y1=height / 2, x2=width - PAD, y2=height / 2,
             stroke=pal.GRID_COLOUR, stroke_width=1.5, stroke_dasharray="3 3")
        return b.close("svg").markup()
    years, values = [y for y, _v in known], [float(v) for _y, v in known]
    x = LinearScale(min(years), max(years), PAD, width - PAD)
    y = LinearScale(min(values), max(values), height - PAD, PAD)
    for run in segments(points):
        d = "".join(("M" if i == 0 else "L") + f"{num(x(a))} {num(y(v))}"
                    for i, (a, v) in enumerate(run))
        if len(run) == 1:  # an isolated value between gaps: a dot, since a path needs two
            b.el("circle", cx=x(run[0][0]), cy=y(run[0][1]), r=1.25, fill=colour)
        else:
            b.el("path", d=d, fill="none", stroke=colour, stroke_width=1.5,
                 stroke_linejoin="round", stroke_linecap="round")
    last_year, last_value = known[-1]
    b.el("circle", cx=x(last_year), cy=y(last_value), r=2.5, fill=colour)
    return b.close("svg").markup()


def sparkline_figure(points: Iterable[Point], *, prefix: str, title: str, unit: str = "",
                     **options) -> Figure:
    """Render a sparkline with a two-column data table."""
    points = sorted(points, key=lambda p: p[0])
    suffix = f" ({unit})" if unit else ""
    table = DataTable(title, [_("Year"), _("Value") + suffix],
                      [[str(yr), cell(v)] for yr, v in points])
    return Figure(render_sparkline(points, prefix=prefix, title=title, unit=unit, **options),
                  table)
