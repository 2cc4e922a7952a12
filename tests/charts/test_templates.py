"""The charts.html macros: chart plus escaped data table, status badges, no inline styles."""

import re

import pytest
from flask import render_template_string

from tests.charts.figures import every_figure
from tests.charts.helpers import EVIL
from tracker.charts import PALETTE

PAGE = """{% from '_partials/charts.html' import render_chart, render_sparkline,
  render_status_badge, render_status_legend %}
{{ render_chart(figs.trend, caption=caption) }}
{{ render_chart(figs.strip, table='hidden') }}
{{ render_chart(figs.gauge, table='visible') }}
{{ render_chart(figs.empty, table='none') }}
<p>Water {{ render_sparkline(figs.spark, with_table=true) }}</p>
{{ render_status_badge(styles.moderate_progress) }}
{{ render_status_legend(styles.values(), label='Statuses') }}"""


def _render() -> str:
    """Render every macro once."""
    return render_template_string(PAGE, figs=every_figure(), styles=PALETTE, caption=EVIL)


@pytest.mark.usefixtures("app_ctx")
def test_macros_render_chart_and_escaped_table() -> None:
    html = _render()
    assert html.count("<svg ") == 5 and html.count("<figure") == 4
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<details class="chart-data">' in html and "<summary>Show the data</summary>" in html
    assert '<table class="chart-table visually-hidden">' in html  # strip, table='hidden'
    assert '<th scope="row">2000</th>' in html and "<th scope=\"col\">Year</th>" in html
    assert "<dt>Target</dt>" in html  # trend notes


@pytest.mark.usefixtures("app_ctx")
def test_macros_write_no_inline_style_or_script() -> None:
    html = _render()
    assert not re.search(r"\sstyle=", html) and "<script" not in html


@pytest.mark.usefixtures("app_ctx")
def test_status_badge_shows_symbol_and_text() -> None:
    html = _render()
    assert ('<span class="status-badge status--moderate-progress"><span class="status-badge__'
            'symbol" aria-hidden="true">↗</span> Moderate progress</span>') in html
    assert html.count('class="status-badge ') == 1 + len(PALETTE)
