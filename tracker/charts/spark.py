"""Sparkline: a tiny inline trend line with its latest point marked."""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure, cell
from tracker.charts.scale import format_value
from tracker.charts.svg import SVG_NS, SvgBuilder, esc, num, start_svg
from tracker.charts.trend import KnownPoint, Point, clean

PAD = 3
# Trailing zeros of two-decimal coordinates: ".00" whole, or the "0" of ".50".
_TRIM = re.compile(r"\.00(?!\d)|(?<=\.\d)0(?!\d)")
_NEGATIVE_ZERO = re.compile(r"(?<![\d.])-0(?![\d.])")
# The descriptions' patterns, filled in by each sparkline (see Sparklines.words).
WORDS = {"none": _l("No data."), "one": _l("One value: %(value)s (%(year)s)."),
         "span": _l("From %(first)s (%(first_year)s) to %(last)s (%(last_year)s).")}


class Sparklines:
    """Draws sparklines of one size and colour. A page drawing hundreds (the comparison
    matrix) keeps one: each pattern is translated once, the fixed markup written once."""

    def __init__(self, width: int = 120, height: int = 28, colour: str = pal.MAIN_COLOUR
                 ) -> None:
        """Prepare the markup every sparkline of this size and colour repeats."""
        self.width, self.height, self.colour = width, height, colour
        self.translated: dict[str, str] = {}
        self.x_frames: dict[tuple[float, float, float, float], dict[int, str]] = {}
        paint = esc(colour)
        self.line_end = (f'" fill="none" stroke="{paint}" stroke-width="1.5" '
                         'stroke-linejoin="round" stroke-linecap="round"/>')
        self.dot_end, self.mark_end = (f'" r="{r}" fill="{paint}"/>' for r in ("1.25", "2.5"))
        w, h = num(width), num(height)
        self.light_head = (f'<svg xmlns="{SVG_NS}" class="chart chart--spark" viewBox="0 0 {w} '
                           f'{h}" width="{w}" height="{h}" role="img"><title>')

    def words(self, key: str) -> str:
        """A description pattern of WORDS in the current language (gettext is slow per call)."""
        if key not in self.translated:
            self.translated[key] = str(WORDS[key])
        return self.translated[key]

    def describe(self, known: list[KnownPoint], unit: str) -> str:
        """Describe the line in words: first and latest values, or that there is no data."""
        if not known:
            return self.words("none")
        suffix = f" {unit}" if unit else ""
        (y0, v0), (y1, v1) = known[0], known[-1]
        if y0 == y1:
            return self.words("one") % {"value": format_value(v1) + suffix, "year": y1}
        return self.words("span") % {"first": format_value(v0) + suffix, "first_year": y0,
                                     "last": format_value(v1) + suffix, "last_year": y1}

    def __call__(self, points: Iterable[Point], *, title: str, unit: str = "",
                 prefix: str | None = None) -> Markup:
        """A sparkline <svg>; gaps break the line, the last point is marked. With a prefix,
        its title and description are referenced by ids; without (the light variant, for
        pages with hundreds), the title says both and the <svg> has no ids."""
        runs = gapless(clean(points))
        known = [point for run in runs for point in run]
        said = self.describe(known, unit)
        if prefix is None:
            parts = [self.light_head, esc(f"{title} {said}"), "</title>"]
        else:
            parts = self.labelled_head(prefix, title, said)
        parts += self.marks(runs, known) if known else self.no_line()
        parts.append("</svg>")
        return Markup("".join(parts))

    def labelled_head(self, prefix: str, title: str, said: str) -> list[str]:
        """The opening <svg> with its title and description referenced by ids."""
        b = SvgBuilder()
        start_svg(b, prefix=prefix, width=self.width, height=self.height, title=title,
                  desc=said, css_class="chart chart--spark", fixed_size=True)
        return b.parts

    def no_line(self) -> list[str]:
        """A dashed line across: nothing is known."""
        middle = self.height / 2
        return SvgBuilder().el("line", x1=PAD, y1=middle, x2=self.width - PAD, y2=middle,
                               stroke=pal.GRID_COLOUR, stroke_width=1.5,
                               stroke_dasharray="3 3").parts

    def x_texts(self, years: list[int]) -> dict[int, str]:
        """The x coordinates of the years, by year: written once per span of years (the
        cells of a matrix share theirs), trimmed as coordinates() trims."""
        frame = scale(years, PAD, self.width - PAD)
        texts = self.x_frames.setdefault(frame, {})
        xr, xs, xd, x0 = frame
        for year in years:
            if year not in texts:
                texts[year] = coordinates(f"{xr + (year - x0) * xs / xd:.2f}")
        return texts

    def marks(self, runs: list[list[KnownPoint]], known: list[KnownPoint]) -> list[str]:
        """A path per run without gaps (a dot for a lone value), then the latest value marked."""
        xt = self.x_texts([y for y, _v in known])
        yr, ys, yd, y0 = scale([float(v) for _y, v in known], self.height - PAD, PAD)
        out = []
        for run in runs:
            # "x y" pairs joined by "L": the path's data, whose pairs also place the dots
            # (trimming the already trimmed x texts again leaves them as they are).
            xy = coordinates("L".join(f"{xt[a]} "
                                      f"{yr + (float(v) - y0) * ys / yd:.2f}" for a, v in run))
            if len(run) == 1:  # an isolated value between gaps: a dot, since a path needs two
                cx, cy = xy.split(" ")
                out.append(f'<circle cx="{cx}" cy="{cy}{self.dot_end}')
            else:
                out.append(f'<path d="M{xy}{self.line_end}')
        cx, cy = xy.rpartition("L")[2].split(" ")  # the last run ends with the latest value
        out.append(f'<circle cx="{cx}" cy="{cy}{self.mark_end}')
        return out


def gapless(points: list[Point]) -> list[list[KnownPoint]]:
    """Split points sorted by year into runs without gaps (None values)."""
    runs: list[list[KnownPoint]] = [[]]
    for year, value in points:
        if value is None:
            runs.append([])
        else:
            runs[-1].append((year, value))
    return [run for run in runs if run]


def scale(domain: Sequence[float], r0: float, r1: float) -> tuple[float, float, float, float]:
    """Map the domain onto r0…r1 (a lone value to the middle) as r0 + (v - d0) * span / dspan:
    LinearScale's arithmetic, so coordinates match the other charts' digit for digit."""
    d0, d1 = min(domain), max(domain)
    if d0 == d1:
        return (r0 + r1) / 2, 0.0, 1.0, d0
    return r0, r1 - r0, d1 - d0, d0


def coordinates(text: str) -> str:
    """Trim coordinates written with two decimals as svg.num does (3.50 → 3.5, 19.00 → 19,
    -0.00 → 0), in one pass over a sparkline's text instead of a call per number."""
    text = _TRIM.sub("", text)
    if "-0" in text:
        text = _NEGATIVE_ZERO.sub("0", text)
    if "n" in text:  # nan or inf
        raise ValueError(f"not a finite coordinate: {text!r}")
    return text


def render_sparkline(points: Iterable[Point], *, prefix: str | None, title: str,
                     unit: str = "", width: int = 120, height: int = 28,
                     colour: str = pal.MAIN_COLOUR) -> Markup:
    """Render a sparkline <svg> of fixed size (see Sparklines; prefix None: the light one)."""
    return Sparklines(width, height, colour)(points, title=title, unit=unit, prefix=prefix)


def sparkline_figure(points: Iterable[Point], *, prefix: str, title: str, unit: str = "",
                     **options: Any) -> Figure:
    """Render a sparkline with a two-column data table."""
    points = sorted(points, key=lambda p: p[0])
    suffix = f" ({unit})" if unit else ""
    table = DataTable(title, [_("Year"), _("Value") + suffix],
                      [[str(yr), cell(v)] for yr, v in points])
    return Figure(render_sparkline(points, prefix=prefix, title=title, unit=unit, **options),
                  table)
