"""The charts under the matrix have a visible title, a description and an HTML legend in a
<figure>/<figcaption> (with the SVG's own <title>); the comparison PDF is laid out like the
city report (cover, contents, method, ranking with coverage, matrix, charts) and speaks in
human labels — city names, "Substantial progress", "Front Runner" — never slugs or enum keys."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.charts.helpers import NS, assert_accessible
from tests.compare.test_coverage_rule import URL, quartet  # noqa: F401  (fixture)

FIGURE = re.compile(r'<figure class="chart-figure compare-chart" id="([^"]+)"'
                    r' aria-labelledby="([^"]+)">(.*?)</figure>', re.S)


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    """Keep this test's PDFs in its own folder."""
    return {"REPORTS_DIR": str(tmp_path / "reports")}


def figures(html: str) -> dict[str, tuple[str, str]]:
    """The page's comparison charts by id: (figcaption HTML, SVG)."""
    out = {}
    for key, labelled_by, body in FIGURE.findall(html):
        caption = body.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
        assert f'id="{labelled_by}"' in caption  # the figure is named by its visible title
        out[key] = (caption, re.search(r"<svg.*?</svg>", body.split("</figcaption>", 1)[1],
                                       re.S).group(0))  # type: ignore[union-attr]
    return out


@pytest.mark.usefixtures("quartet")
def test_each_chart_has_a_visible_title_and_a_legend(client: FlaskClient) -> None:
    shown = figures(client.get(URL + "&trend=6.1.1").get_data(as_text=True))
    assert list(shown) == ["chart-bars", "trend", "chart-heat"]
    names = ["North Riverton", "South Riverton", "East Riverton", "West Riverton"]
    titles = {"chart-bars": "Indicator scores by city", "trend": "6.1.1 over time by city",
              "chart-heat": "Goal scores by city"}
    for key, (caption, svg) in shown.items():
        assert re.search(rf"<h3 [^>]*>{re.escape(titles[key])}</h3>", caption)
        assert assert_accessible(svg).find("svg:title", NS).text == titles[key]  # type: ignore[union-attr]
        assert '<ul class="compare-legend" aria-label="Legend">' in caption
    legend = re.findall(r"</svg> ([^<]+)</li>", shown["chart-bars"][0])
    assert legend == names  # one key per city, in the bars' order
    assert re.findall(r"</svg> ([^<]+)</li>", shown["trend"][0]) == names
    # The heat map shows ranked cities only; its legend names the bands.
    assert re.findall(r"</svg> ([^<]+)</li>", shown["chart-heat"][0]) == [
        "Aspirant (&lt; 50)", "Performer (50–64)", "Front Runner (65–99)", "Achiever (100)"]


def pdf_text(client: FlaskClient) -> tuple[PdfReader, str]:
    """Ask for the comparison PDF (the test queue makes it at once); return it and its text."""
    run_page = client.get(URL.replace("/compare", "/compare.pdf")).location
    response = client.get(f"{run_page}/download")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    return reader, " ".join(" ".join((page.extract_text() or "").split())
                            for page in reader.pages)


@pytest.mark.usefixtures("quartet")
def test_the_pdf_is_laid_out_like_the_city_report_with_human_labels(
        client: FlaskClient) -> None:
    reader, text = pdf_text(client)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert cover.startswith("CITY COMPARISON Comparison of 4 cities")
    assert "North Riverton · South Riverton · East Riverton · West Riverton" in cover
    assert re.search(r"Generated at \d{4}-\d\d-\d\d \d\d:\d\d UTC", cover)
    assert "Ranked from 3 scored indicators and 50 % of the scored indicators" in cover
    contents = " ".join(reader.pages[1].extract_text().split())
    for section in ("Method", "Scores and ranking", "Indicators by city", "Charts"):
        assert section in contents
    assert "ranked only if n is at least 3 and at least 50 % of m" in text
    # The ranking, by hand (tests/compare/test_coverage_rule.py): South 66.7, East 50.0,
    # North 33.3; West not ranked.
    assert "1 South Riverton 66.7 4 of 4 indicators Front Runner" in text
    assert "2 East Riverton 50.0 4 of 4 indicators Performer" in text
    assert "West Riverton Not ranked — coverage 1 of 4" in text
    assert "Substantial progress" in text  # South's 6.1.1: 60 → 80 in two years
    assert "Goal 6: Clean water and sanitation" in text and "Charts" in text
    assert "Indicator scores by city" in text and "Goal scores by city" in text
    for slug in ("rv-north", "rv-south", "rv-east", "rv-west"):
        assert slug not in text
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text), "an enum key or slug is printed"
