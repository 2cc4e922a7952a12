"""Chromium draws the charts under the site's CSP, with the accessible names we intend."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from playwright.sync_api import Browser, Page

from tests.charts.figures import every_figure
from tracker.security import CONTENT_SECURITY_POLICY

# A <meta> CSP cannot carry frame-ancestors (Chromium logs an error for it), so drop that one.
CSP = "; ".join(d for d in CONTENT_SECURITY_POLICY.split("; ") if "frame-ancestors" not in d)
JINJA = Environment(loader=FileSystemLoader(Path(__file__).parents[2] / "templates"),
                    autoescape=select_autoescape(default_for_string=True),
                    extensions=["jinja2.ext.i18n"])
JINJA.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}"></head><body>
{% from '_partials/charts.html' import render_chart, render_sparkline %}
{% for name in ['trend', 'strip', 'gauge', 'progress', 'empty'] %}
<div class="box">{{ render_chart(figs[name]) }}</div>{% endfor %}
<p>{{ render_sparkline(figs.spark) }}</p>{{ extra }}</body></html>"""


@pytest.fixture(scope="module")
def chart_tab(chromium_browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A tab of the session's Chromium (tests/chromium.py) and its console errors."""
    page, errors = chromium_browser.new_page(viewport={"width": 1000, "height": 800}), []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page, errors
    page.close()


def _load(chart_tab: tuple[Page, list[str]], extra: str = "") -> list[str]:
    """Show the chart page and return the console errors it logged."""
    page, errors = chart_tab
    errors.clear()
    page.set_content(JINJA.from_string(PAGE).render(figs=every_figure(), csp=CSP,
                                                    extra=Markup(extra)))
    page.wait_for_timeout(100)
    return list(errors)


@pytest.mark.browser
def test_charts_render_under_the_csp_with_accessible_names(
        chart_tab: tuple[Page, list[str]]) -> None:
    assert _load(chart_tab) == []
    page = chart_tab[0]
    figs = every_figure()
    for name in ("trend", "gauge", "progress", "empty", "spark"):
        title = figs[name].table.caption if name not in ("gauge",) else "Score"
        assert page.get_by_role("img", name=title, exact=True).count() == 1, name
    assert page.get_by_role("group", name="Goals", exact=True).count() == 1
    assert page.get_by_role("link", name="Goal 2 — Moderate progress").count() == 1
    trend = page.locator("svg.chart--trend").first
    box, view = trend.bounding_box(), (trend.get_attribute("viewBox") or "").split()
    assert box is not None and box["width"] > 600
    assert box["height"] == pytest.approx(box["width"] * float(view[3]) / float(view[2]), abs=1)


@pytest.mark.browser
def test_control_a_style_attribute_is_refused(chart_tab: tuple[Page, list[str]]) -> None:
    errors = _load(chart_tab, '<svg><rect width="5" height="5" style="fill:red"/></svg>')
    assert any("Content Security Policy" in e for e in errors)
