"""Shared marks: data markers in eight shapes, status symbols and legend entries."""

import functools
import re

from tracker.charts.palette import SYMBOL_PATHS
from tracker.charts.svg import SvgBuilder, esc, num
from tracker.charts.text import text_width

# Marker outlines relative to the centre, for a size (radius) of 1; scaled per marker size.
_SHAPES = {
    "square": "m-1 -1h2v2h-2z",
    "triangle": "m0 -1.2l1.1 2h-2.2z",
    "triangle-down": "m0 1.2l1.1 -2h-2.2z",
    "diamond": "m0 -1.3l1.3 1.3l-1.3 1.3l-1.3 -1.3z",
    "plus": "m-1.2 0h2.4m-1.2 -1.2v2.4",
    "cross": "m-0.9 -0.9l1.8 1.8m-1.8 0l1.8 -1.8",
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=256)
def marker_parts(shape: str, colour: str, size: float) -> tuple[str, str, str, str]:
    """Precompute a marker's markup around its centre (markers are the hot path of charts)."""
    colour = esc(colour)
    if shape in ("circle", "circle-open"):
        fill = "#ffffff" if shape == "circle-open" else colour
        return ('<circle cx="', '" cy="', f'" r="{num(size)}" fill="{fill}" stroke="{colour}" '
                'stroke-width="1.5"', "circle")
    outline = _NUMBER.sub(lambda m: num(float(m.group()) * size), _SHAPES.get(shape, _SHAPES[
        "square"]))
    paint = (f'fill="none" stroke="{colour}" stroke-width="2"' if shape in ("plus", "cross")
             else f'fill="{colour}" stroke="{colour}" stroke-width="1"')
    return '<path d="M', " ", f'{outline}" {paint}', "path"


def marker_at(b: SvgBuilder, shape: str, sx: str, sy: str, colour: str, size: float = 3.5,
              title: str | None = None) -> None:
    """Draw a marker at already formatted coordinates, with an optional tooltip title."""
    head, mid, attrs, tag = marker_parts(shape, colour, size)
    end = "/>" if title is None else f"><title>{esc(title)}</title></{tag}>"
    b.parts.append(f"{head}{sx}{mid}{sy}{attrs}{end}")


def marker(b: SvgBuilder, shape: str, x: float, y: float, colour: str, size: float = 3.5,
           title: str | None = None) -> None:
    """Draw one data marker centred on (x, y), optionally with a tooltip title."""
    marker_at(b, shape, num(x), num(y), colour, size, title)


def status_symbol(b: SvgBuilder, symbol: str, x: float, y: float, size: float, colour: str,
                  stroke_width: float = 1.6) -> None:
    """Draw a status symbol (see palette.SYMBOL_PATHS) scaled into a size × size box at (x, y)."""
    scale = size / 10
    b.el("path", d=SYMBOL_PATHS[symbol], fill="none", stroke=colour,
         stroke_width=stroke_width / scale, stroke_linecap="round", stroke_linejoin="round",
         transform=f"translate({num(x)} {num(y)}) scale({num(scale)})")


def legend_item(b: SvgBuilder, x: float, y: float, label: str, colour: str,
                dash: str | None = None, shape: str | None = None, line: bool = True) -> float:
    """Draw one legend entry (line sample, marker, label) at (x, y); return its width."""
    if line:
        b.el("line", x1=x, y1=y, x2=x + 24, y2=y, stroke=colour, stroke_width=2,
             stroke_dasharray=dash)
    if shape:
        marker(b, shape, x + 12, y, colour)
    b.el("text", label, x=x + 30, y=y + 4, fill="#1b2631")
    return 30 + text_width(label) + 16
