"""Turn report data into print HTML (Jinja templates in templates/reports/) and into PDF with
WeasyPrint, fetching nothing but the app's own static files and `data:` URIs."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.charts import Figure, goal_strip_figure, status_style
from tracker.charts.palette import PALETTE, STATUS_KEYS
from tracker.progress.presenters import breakdown_label, number_text
from tracker.reports.charts import print_trend
from tracker.reports.content import city_report_context, has_content
from tracker.reports.narrative import render_markdown

if TYPE_CHECKING:  # WeasyPrint (~0.5 s CPU to import) loads only where a PDF is made
    from tracker.reports.fetch import StaticOnlyFetcher

PAGE_SIZES = ("A4", "Letter")
DEFAULT_BASE_URL = "http://report.invalid/"  # a host that cannot resolve: nothing leaves


def static_url(filename: str) -> str:
    """The path of a static file (no request needed, unlike url_for in a worker)."""
    return f"{current_app.static_url_path}/{filename}"


def goal_strip(summary: dict[str, Any], prefix: str) -> Figure:
    """The 17-goal strip of a city's statuses."""
    return goal_strip_figure({int(g): s for g, s in summary["goal_statuses"].items()},
                             {int(g): c for g, c in summary["goal_colours"].items()},
                             prefix=f"{prefix}strip", title=_("Progress by SDG"),
                             titles={int(g): t for g, t in summary["goal_titles"].items()})


def number(value: float | int | None) -> str:
    """A figure as the report shows it ("—" for none)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return number_text(float(value))


def percent(share: float | None) -> str:
    """A share as a whole percentage."""
    return "—" if share is None else f"{share * 100:.0f} %"


def css_string(text: str) -> str:
    """Quote text as a CSS string (escaped: a translation cannot end the string or the
    style element)."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n' else ch for ch in text)
    return f'"{escaped}"'


def page_css() -> Markup:
    """The page footer's "Page X of Y" in the report's language, as an @page rule."""
    marks = {"\x01": "counter(page)", "\x02": "counter(pages)"}
    text = _("Page %(page)s of %(pages)s", page="\x01", pages="\x02")
    pieces = [marks.get(piece) or css_string(piece)
              for piece in re.split("([\x01\x02])", text) if piece]
    rule = f"@page {{ @bottom-right {{ content: {' '.join(pieces)}; }} }}"
    return Markup(rule)  # noqa: S704 - every piece is a CSS-escaped string or a counter


def language() -> str:
    """The report's language (the <html lang> WeasyPrint writes into the PDF)."""
    locale = get_locale()
    return str(locale.language) if locale else "en"


def helpers() -> dict[str, Any]:
    """What every report template may call."""
    return {"lang": language(), "md": render_markdown, "status_style": status_style,
            "print_trend": print_trend,
            "goal_strip": goal_strip, "number": number, "percent": percent,
            "static_url": static_url, "status_styles": [PALETTE[k] for k in STATUS_KEYS],
            "breakdown_label": breakdown_label, "has_content": has_content,
            "page_css": page_css}


def render_city_html(context: dict[str, Any]) -> str:
    """The city report as print HTML (also a browser preview)."""
    return render_template("reports/city.html", c=context, **helpers())


def render_network_html(context: dict[str, Any]) -> str:
    """The network report as one document: cover, contents, cohort summary, each city with
    something to report, the methodology once."""
    silent = [c["city"]["name"] for c in context["cities"] if not has_content(c)]
    return render_template("reports/network.html", n=context, silent=silent, **helpers())


def render_summary_html(context: dict[str, Any]) -> str:
    """A city's one-page progress summary."""
    return render_template("reports/summary.html", c=context, **helpers())


def make_fetcher(base_url: str) -> StaticOnlyFetcher:
    """The allow-list fetcher for this app's static folder."""
    from tracker.reports.fetch import StaticOnlyFetcher
    return StaticOnlyFetcher(base_url=base_url, static_dir=Path(current_app.static_folder or ""),
                             static_path=current_app.static_url_path or "/static")


def html_to_pdf(html: str, *, base_url: str = DEFAULT_BASE_URL, page_size: str = "A4",
                fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Lay out report HTML and write the PDF; only static files and data: URIs are fetched."""
    from weasyprint import CSS, HTML

    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}")
    fetcher = fetcher or make_fetcher(base_url)
    size = CSS(string=f"@page {{ size: {page_size}; }}", url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=[size])
    out = io.BytesIO()
    document.write_pdf(out)
    return out.getvalue()


def render_city_pdf(session: Any, city: Any, year: int, page_size: str = "A4", *,
                    network: Any = None, generated_by: str = "") -> bytes:
    """Load, render and print a city report in one call."""
    context = city_report_context(session, city, year, network=network,
                                  generated_by=generated_by)
    return html_to_pdf(render_city_html(context), page_size=page_size)
