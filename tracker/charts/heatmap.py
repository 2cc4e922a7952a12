"""Heat map: rows × columns of 0–100 scores, each tile coloured by band and labelled with its
rounded score (so colour never carries the meaning alone); empty tiles say "–"."""

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure, cell
from tracker.charts.svg import SvgBuilder, start_svg
from tracker.charts.text import fit, text_width

TILE_W, TILE_H, TOP, MAX_LABEL = 72, 28, 40, 26
# Bands from low to high (each colour ≥ 3:1 against white text is not needed: the label is
# drawn in ink on a light tile or white on a dark one).
BANDS = ((50, "#f3d2c4", "#1b2631"), (65, "#f5e3a3", "#1b2631"),
         (100, "#a9d8b5", "#1b2631"), (101, "#0e6b33", "#ffffff"))
EMPTY = "#f4f6f8"


def band(value: float) -> tuple[str, str]:
    """Return the fill and text colours of a score (categories' default thresholds)."""
    rounded = int(value + 0.5)
    for limit, fill, ink in BANDS:
        if rounded < limit:
            return fill, ink
    return BANDS[-1][1], BANDS[-1][2]


def _short(text: str) -> str:
    """Shorten a label."""
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def render_heatmap(rows: Sequence[str], columns: Sequence[str],
                   values: Sequence[Sequence[float | None]], *, prefix: str,
                   title: str) -> Markup:
    """Render the heat map as a responsive <svg>."""
    # Row labels end 8 left of the tiles and start at least 4 from the drawing's edge.
    left = 12 + max([text_width(_short(r)) for r in rows] or [40.0])
    width = left + TILE_W * max(len(columns), 1) + 8
    height = TOP + TILE_H * max(len(rows), 1) + 8
    known = sum(1 for r in values for v in r if v is not None)
    b = SvgBuilder()
    start_svg(b, prefix=prefix, width=width, height=height, title=title,
              desc=_("%(rows)s rows by %(columns)s columns; %(known)s scores.",
                     rows=len(rows), columns=len(columns), known=known),
              css_class="chart chart--heatmap")
    for ci, name in enumerate(columns):
        b.el("text", fit(_short(name)[:10], TILE_W - 4, 11), x=left + ci * TILE_W + TILE_W / 2,
             y=TOP - 10,
             text_anchor="middle", fill=pal.INK, font_size=11)
    for ri, (label, row) in enumerate(zip(rows, values, strict=True)):
        y = TOP + ri * TILE_H
        b.el("text", _short(label), x=left - 8, y=y + TILE_H / 2 + 4, text_anchor="end",
             fill=pal.INK)
        for ci, value in enumerate(row):
            _tile(b, left + ci * TILE_W, y, value, f"{label} · {columns[ci]}")
    return b.close("svg").markup()


def _tile(b: SvgBuilder, x: float, y: float, value: float | None, name: str) -> None:
    """Draw one tile with its rounded score (or "–") and a tooltip."""
    fill, ink = band(value) if value is not None else (EMPTY, pal.MUTED_TEXT)
    text = "–" if value is None else str(int(value + 0.5))
    b.open("g")
    b.el("title", f"{name}: {text}")
    b.el("rect", x=x + 1, y=y + 1, width=TILE_W - 2, height=TILE_H - 2, fill=fill, rx=3)
    b.el("text", text, x=x + TILE_W / 2, y=y + TILE_H / 2 + 4, text_anchor="middle", fill=ink)
    b.close("g")


def heatmap_figure(rows: Sequence[str], columns: Sequence[str],
                   values: Sequence[Sequence[float | None]], *, prefix: str,
                   title: str) -> Figure:
    """Render the heat map with its data table."""
    table = DataTable(title, ["", *columns],
                      [[label, *(cell(None if v is None else round(v, 1)) for v in row)]
                       for label, row in zip(rows, values, strict=True)])
    return Figure(render_heatmap(rows, columns, values, prefix=prefix, title=title), table)
