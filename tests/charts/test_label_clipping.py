"""Axis labels are drawn whole, inside their chart, where readers see them: in Chromium (every
<text>'s box inside its <svg>'s) and in a WeasyPrint PDF (each label one word of the PDF's text,
placed inside the chart's box). Before, the print chart cut "2,390,000" to "390,000"."""

import html
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.charts.helpers import parse, texts
from tests.charts.test_label_bounds import charts, print_indicator
from tracker.reports.charts import print_trend

BIG, SMALL = [1_950_000, 2_100_000, 2_390_000], [0.000101, 0.000123]
# Each drawing's extents measured inside its <svg>: left, top, right, bottom margins (px).
MEASURE = """svg => { const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
    return [t.textContent, r.left - box.left, r.top - box.top, box.right - r.right,
            box.bottom - r.bottom]; }); }"""


@pytest.fixture(scope="module")
def label_tab(chromium_browser: Browser) -> Iterator[Page]:
    """A tab of the session's Chromium (tests/chromium.py)."""
    page = chromium_browser.new_page(viewport={"width": 900, "height": 900})
    yield page
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("values", [BIG, SMALL], ids=["2390000", "0.000123"])
def test_no_label_reaches_outside_its_chart_in_chromium(label_tab: Page,
                                                        values: list[float]) -> None:
    drawn = charts(values)
    label_tab.set_content("<!doctype html><meta charset='utf-8'><body>" + "".join(
        f"<div style='width:640px;margin:20px'>{svg}</div>" for svg in drawn.values()))
    svgs = label_tab.locator("svg")
    assert svgs.count() == len(drawn)
    reaching_out = [(name, text, margins) for i, name in enumerate(drawn)
                    for text, *margins in svgs.nth(i).evaluate(MEASURE) if min(margins) < -0.5]
    assert reaching_out == []


# The print chart as report.css sizes it (84 × 30.3 mm), placed at a known spot on the page.
LEFT_MM, TOP_MM, WIDTH_MM, HEIGHT_MM, PITCH_MM = 20, 20, 84, 30.3, 50
PDF_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0 }} body {{ margin: 0; font-family: "DejaVu Sans" }}
.box {{ position: absolute; left: {left}mm; width: {width}mm; height: {height}mm }}
.box svg {{ display: block; width: {width}mm; height: {height}mm }}</style></head><body>
{boxes}</body></html>"""
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")


def _pdf_words(svgs: list[str]) -> list[tuple[str, float, float, float, float]]:
    """Print the charts one under another; return the PDF's words with their boxes in mm."""
    from weasyprint import HTML

    boxes = "".join(f"<div class='box' style='top:{TOP_MM + i * PITCH_MM}mm'>{svg}</div>"
                    for i, svg in enumerate(svgs))
    pdf = HTML(string=PDF_PAGE.format(left=LEFT_MM, width=WIDTH_MM, height=HEIGHT_MM,
                                      boxes=boxes)).write_pdf()
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    pt = 25.4 / 72
    return [(html.unescape(m[4]), *(float(m[i]) * pt for i in range(4)))
            for m in WORD.findall(out)]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_print_chart_labels_are_whole_and_inside_the_chart_in_the_pdf() -> None:
    svgs = [str(print_trend(print_indicator(values, id=i), "p"))
            for i, values in enumerate((BIG, SMALL))]
    words = _pdf_words(svgs)
    for i, svg in enumerate(svgs):
        top = TOP_MM + i * PITCH_MM
        box = (LEFT_MM, top, LEFT_MM + WIDTH_MM, top + HEIGHT_MM)
        inside = [w for w, x0, y0, x1, y1 in words
                  if x0 >= box[0] - 0.2 and y0 >= box[1] - 0.2 and x1 <= box[2] + 0.2
                  and y1 <= box[3] + 0.2]
        labels = texts(parse(svg))
        assert [w for w in words if w[0] in labels and w[0] not in inside] == []
        assert set(labels) <= set(inside)
        assert len(labels) >= 6  # four value ticks or more, and the first and last year


def test_the_print_chart_of_2390000_labels_nice_ticks() -> None:
    # Hand-worked: 1.95M … 2.39M at steps of 0.1M fits six ticks, 1.9M … 2.4M.
    root: ET.Element = parse(print_trend(print_indicator(BIG), "p"))
    assert texts(root)[:6] == ["1.9M", "2M", "2.1M", "2.2M", "2.3M", "2.4M"]
