"""WeasyPrint renders every chart inline without a warning, and the drawn text reaches the PDF."""

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML

from tests.charts.figures import every_figure

# A plain Jinja environment (autoescaping, gettext as identity) renders the same macros without
# an app or database, so this slow test runs once rather than once per database backend.
JINJA = Environment(loader=FileSystemLoader(Path(__file__).parents[2] / "templates"),
                    autoescape=select_autoescape(default_for_string=True),
                    extensions=["jinja2.ext.i18n"])
JINJA.install_null_translations(newstyle=True)  # type: ignore[attr-defined]

DOC = """<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 1.5cm; font-family: "DejaVu Sans" }
body { font-family: "DejaVu Sans" } .visually-hidden { display: none }</style></head><body>
{% from '_partials/charts.html' import render_chart, render_sparkline %}
{% for name in ['trend', 'strip', 'gauge', 'progress', 'empty'] %}
{{ render_chart(figs[name], table='visible') }}{% endfor %}
<p>Inline {{ render_sparkline(figs.spark) }} sparkline.</p></body></html>"""


def _pdf(html: str, caplog: pytest.LogCaptureFixture) -> tuple[bytes, list[str]]:
    """Render a document to PDF and return it with any WeasyPrint warnings logged."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = HTML(string=html).write_pdf()
    return pdf, [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]


def test_weasyprint_renders_every_chart_without_warnings(
        caplog: pytest.LogCaptureFixture) -> None:
    html = JINJA.from_string(DOC).render(figs=every_figure())
    assert "<script>" not in html
    pdf, warnings = _pdf(html, caplog)
    assert pdf.startswith(b"%PDF") and warnings == []
    # Control: the capture does see WeasyPrint warnings (an image that cannot load).
    _pdf_bad, bad = _pdf('<p>x<img src="missing-chart.png" alt=""></p>', caplog)
    assert bad, "the warning capture is broken"
    if shutil.which("pdftotext"):  # poppler-utils, listed in stack.md; proves SVG text drew
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode()
        for drawn in ("No data", "2030", "Progress made", "Time elapsed", "Baseline", "17"):
            assert drawn in text, drawn
