"""Status gauges: a score bar, and ESCAP-style progress made versus time elapsed."""

from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import palette as pal
from tracker.charts.figure import DataTable, Figure
from tracker.charts.marks import status_symbol
from tracker.charts.scale import LinearScale, format_value
from tracker.charts.svg import SvgBuilder, start_svg

Number = float | int | Decimal
BAR_X, BAR_W, BAR_H = 130, 260, 16
WIDTH = 480


def percent(share: Number | None) -> str:
    """Format a share (0.42) as a percentage ("42%"); None as "No data"."""
    if share is None:
        return str(_("No data"))
    value = float(share) * 100
    text = f"{value:.0f}" if abs(value) >= 10 or value == 0 else f"{value:.1f}".rstrip("0")
    return text.rstrip(".").replace("-", "\u2212") + "%"


def _bar(b: SvgBuilder, y: float, label: str, value: Number | None, scale: LinearScale,
         colour: str, text: str) -> None:
    """Draw one labelled bar row: track, fill from the zero point to the value, value text."""
    b.el("text", label, x=0, y=y + 12, fill=pal.INK)
    b.el("rect", x=BAR_X, y=y, width=BAR_W, height=BAR_H, rx=3, fill="#ffffff",
         stroke=pal.AXIS_COLOUR, stroke_width=1)
    if value is not None:
        zero = scale(min(max(0.0, scale.d0), scale.d1))
        end = scale(min(max(float(value), scale.d0), scale.d1))
        b.el("rect", x=min(zero, end), y=y + 2, width=abs(end - zero), height=BAR_H - 4,
             fill=colour)
    b.el("text", text, x=BAR_X + BAR_W + 10, y=y + 12, fill=pal.INK, font_weight="bold")


def _status_badge(b: SvgBuilder, style: pal.StatusStyle | None, x: float, y: float) -> None:
    """Draw the status symbol in its colour after a value text, when a status is known."""
    if style is not None:
        status_symbol(b, style.symbol, x, y, 14, style.colour, 2)


def render_score_gauge(score: Number | None, *, prefix: str, title: str,
                       domain: tuple[float, float] = (0.0, 1.0), status: str | None = None,
                       label: str | None = None) -> Markup:
    """Render a horizontal bar gauge of a score in `domain` (a share by default)."""
    style = pal.status_style(status) if status else None
    is_share = tuple(domain) == (0.0, 1.0)
    text = percent(score) if is_share or score is None else format_value(score)
    desc = _("Score: %(value)s.", value=text) + (f" {style.label}." if style else "")
    b = SvgBuilder()
    start_svg(b, prefix=prefix, width=WIDTH, height=24, title=title, desc=desc,
              css_class="chart chart--gauge")
    scale = LinearScale(domain[0], domain[1], BAR_X, BAR_X + BAR_W)
    colour = style.colour if style else pal.MAIN_COLOUR
    _bar(b, 4, label or _("Score"), score, scale, colour, text)
    _status_badge(b, style, BAR_X + BAR_W + 70, 5)
    return b.close("svg").markup()


def render_progress_vs_time(progress: Number | None, elapsed: Number | None, *, prefix: str,
                            title: str, status: str | None = None) -> Markup:
    """Render ESCAP-style bars: share of the needed progress made against time elapsed."""
    style = pal.status_style(status) if status else None
    desc = _("Progress made: %(progress)s of what is needed; time elapsed: %(elapsed)s.",
             progress=percent(progress), elapsed=percent(elapsed))
    b = SvgBuilder()
    start_svg(b, prefix=prefix, width=WIDTH, height=52, title=title,
              desc=desc + (f" {style.label}." if style else ""), css_class="chart chart--gauge")
    scale = LinearScale(0, 1, BAR_X, BAR_X + BAR_W)
    _bar(b, 4, _("Progress made"), progress, scale,
         style.colour if style else pal.MAIN_COLOUR, percent(progress))
    _bar(b, 30, _("Time elapsed"), elapsed, scale, pal.AXIS_COLOUR, percent(elapsed))
    if elapsed is not None:
        x = scale(min(max(float(elapsed), 0.0), 1.0))
        b.el("line", x1=x, y1=1, x2=x, y2=49, stroke=pal.INK, stroke_width=1.5,
             stroke_dasharray="3 2")
    _status_badge(b, style, BAR_X + BAR_W + 70, 5)
    return b.close("svg").markup()


def progress_table(progress: Number | None, elapsed: Number | None, *, caption: str,
                   status: str | None = None) -> DataTable:
    """Build the data table of a progress-versus-time gauge."""
    rows = [[_("Progress made"), percent(progress)], [_("Time elapsed"), percent(elapsed)]]
    if status:
        style = pal.status_style(status)
        rows.append([_("Status"), f"{style.glyph} {style.label}"])
    return DataTable(caption, [_("Measure"), _("Value")], rows)


def progress_figure(progress: Number | None, elapsed: Number | None, *, prefix: str,
                    title: str, status: str | None = None) -> Figure:
    """Render the progress-versus-time gauge with its data table."""
    return Figure(render_progress_vs_time(progress, elapsed, prefix=prefix, title=title,
                                          status=status),
                  progress_table(progress, elapsed, caption=title, status=status))
