"""The 17-goal strip: one tile per goal in its official colour, marked with a progress status."""

import functools
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.catalogue.colours import text_colour_on
from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure
from tracker.charts.marks import status_symbol
from tracker.charts.svg import SvgBuilder, safe_href, start_svg

GOALS = range(1, 18)
TILE, GAP, BADGE_R = 44, 6, 10
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
FALLBACK_COLOUR = "#5f6b77"
_text_on = functools.lru_cache(maxsize=64)(text_colour_on)


def _goal_labels(titles: Mapping[int, str]) -> dict[int, str]:
    """Name every goal: "Goal 3: Good health and well-being" (or just "Goal 3")."""
    # Translate each pattern once and fill it in here: gettext per tile costs more than drawing.
    with_title, bare = _("Goal %(number)s: %(title)s"), _("Goal %(number)s")
    return {g: with_title % {"number": g, "title": titles[g]} if titles.get(g) else
            bare % {"number": g} for g in GOALS}


def _styles(statuses: Mapping[int, str | None]) -> dict[int, tuple[pal.StatusStyle, str]]:
    """Return each goal's status style with its label translated once per status."""
    labels = {key: str(style.label) for key, style in pal.PALETTE.items()}
    out = {}
    for goal in GOALS:
        style = pal.status_style(statuses.get(goal))
        out[goal] = (style, labels[style.key])
    return out


def _describe(styles: dict[int, tuple[pal.StatusStyle, str]]) -> str:
    """Count the goals per status, best status first."""
    counts = Counter(label for _style, label in styles.values())
    order = [str(s.label) for s in pal.PALETTE.values()]
    parts = [f"{label}: {counts[label]}" for label in order if counts[label]]
    return str(_("Progress status of the 17 goals.")) + " " + "; ".join(parts) + "."


def _tile(b: SvgBuilder, x: float, y: float, goal: int, colour: str, style: pal.StatusStyle,
          title: str) -> None:
    """Draw one goal tile: colour square, number, status badge and status bar below."""
    b.el("title", title)
    b.el("rect", x=x, y=y, width=TILE, height=TILE, rx=3, fill=colour)
    b.el("text", str(goal), x=x + 5, y=y + 18, fill=_text_on(colour), font_size=16,
         font_weight="bold")
    cx, cy = x + TILE - BADGE_R - 2, y + TILE - BADGE_R - 2
    b.el("circle", cx=cx, cy=cy, r=BADGE_R, fill="#ffffff", stroke=style.colour, stroke_width=2)
    status_symbol(b, style.symbol, cx - 6, cy - 6, 12, style.colour, 2)
    b.el("rect", x=x, y=y + TILE + 3, width=TILE, height=4, rx=1, fill=style.colour)


def render_goal_strip(statuses: Mapping[int, str | None], colours: Mapping[int, str], *,
                      prefix: str, title: str, titles: Mapping[int, str] | None = None,
                      hrefs: Mapping[int, str] | None = None, columns: int = 17) -> Markup:
    """Render the goal strip; with hrefs each tile is a link (and the SVG a group, not an img)."""
    titles, hrefs = titles or {}, hrefs or {}
    columns = max(1, min(columns, 17))
    rows = -(-17 // columns)
    pitch_y = TILE + 7 + GAP
    width, height = columns * TILE + (columns - 1) * GAP, rows * pitch_y - GAP
    links = {g: safe_href(hrefs.get(g)) for g in GOALS}
    styles, labels = _styles(statuses), _goal_labels(titles)
    b = SvgBuilder()
    # Links inside role="img" would be hidden from assistive technology, so use a group then.
    role = "group" if any(links.values()) else "img"
    start_svg(b, prefix=prefix, width=width, height=height, title=title,
              desc=_describe(styles), css_class="chart chart--strip", role=role)
    for i, goal in enumerate(GOALS):
        x, y = (i % columns) * (TILE + GAP), (i // columns) * pitch_y
        colour = colours.get(goal, "")
        colour = colour if _HEX.match(colour) else FALLBACK_COLOUR
        (style, status_label), wrapper = styles[goal], "a" if links[goal] else "g"
        tip = f"{labels[goal]} — {status_label}"
        b.open(wrapper, href=links[goal], class_="chart-goal",
               aria_label=tip if links[goal] else None)
        _tile(b, x, y, goal, colour, style, tip)
        b.close(wrapper)
    return b.close("svg").markup()


def goal_strip_table(statuses: Mapping[int, str | None], *, caption: str,
                     titles: Mapping[int, str] | None = None) -> DataTable:
    """Build the strip's data table: goal and status label (with its symbol glyph)."""
    labels, styles = _goal_labels(titles or {}), _styles(statuses)
    rows = [[labels[g], f"{styles[g][0].glyph} {styles[g][1]}"] for g in GOALS]
    return DataTable(caption, [_("Goal"), _("Status")], rows)


def goal_strip_figure(statuses: Mapping[int, str | None], colours: Mapping[int, str], *,
                      prefix: str, title: str, titles: Mapping[int, str] | None = None,
                      **options: Any) -> Figure:
    """Render the goal strip with its data table."""
    return Figure(render_goal_strip(statuses, colours, prefix=prefix, title=title,
                                    titles=titles, **options),
                  goal_strip_table(statuses, caption=title, titles=titles))
