"""Safety: narratives are sanitised Markdown, and WeasyPrint's fetcher serves only the app's
static files and data: URIs — a hostile narrative leaves no trace of a file or a request."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from tracker.cities.models import City
from tracker.indicators.models import LocalIndicator
from tracker.reports.content import city_report_context
from tracker.reports.fetch import BlockedResource, StaticOnlyFetcher
from tracker.reports.narrative import render_markdown
from tracker.reports.render import DEFAULT_BASE_URL, html_to_pdf, make_fetcher, render_city_html

HOSTILE = ('Water for all.\n\n<img src="file:///etc/passwd">\n\n[x](http://evil.example/)\n\n'
           '<link rel="attachment" href="file:///etc/passwd">\n\n![p](file:///etc/passwd)\n\n'
           '<script>alert(1)</script> **bold** <span style="color:red">red</span>')
SECRET = Path("/etc/passwd").read_text()[:40] if Path("/etc/passwd").exists() else "root:x:0:0"


def assert_clean_pdf(pdf: bytes) -> None:
    """No file content, no attachment, no external link in the PDF."""
    assert SECRET.encode() not in pdf and b"root:x:0" not in pdf
    assert b"/EmbeddedFile" not in pdf and b"/Filespec" not in pdf
    assert b"evil.example" not in pdf  # no link annotation to it
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments


def test_markdown_narratives_keep_text_and_lose_every_resource() -> None:
    html = str(render_markdown(HOSTILE))
    assert "<strong>bold</strong>" in html
    for bad in ("<img", "<link", "<a ", "<script", "<span"):
        assert bad not in html, bad
    assert not re.search(r"<[^>]*\s(style|src|href)=", html)  # no attribute on any tag
    assert "&lt;img src=" in html  # raw HTML typed in a narrative stays visible text
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_a_hostile_narrative_fetches_nothing_and_leaves_no_trace(
        demo: Session, ethekwini: City) -> None:
    water = demo.exec(select(LocalIndicator).where(LocalIndicator.city_id == ethekwini.id,
                                                   LocalIndicator.code == "KPI-WATER")).one()
    water.definition = HOSTILE
    ethekwini.description = HOSTILE
    demo.flush()
    html = render_city_html(city_report_context(demo, ethekwini, 2024))
    assert "Water for all." in html and "<strong>bold</strong>" in html
    fetcher = make_fetcher(DEFAULT_BASE_URL)
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert fetcher.requested == [DEFAULT_BASE_URL + "static/css/report.css"]
    assert_clean_pdf(pdf)


@pytest.mark.usefixtures("app_ctx")
def test_raw_html_resources_are_blocked_by_the_fetcher() -> None:
    html = ('<html><head><link rel="stylesheet" href="/static/css/report.css">'
            '<link rel="attachment" href="file:///etc/passwd">'
            '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/"></head>'
            '<body><h1>Hostile</h1><img src="file:///etc/passwd"><img src="/etc/passwd">'
            '<img src="/static/../__init__.py"><img src="https://evil.example/x.png">'
            '<img src="data:image/svg+xml;utf8,<svg xmlns=%22http://www.w3.org/2000/svg%22/>">'
            '</body></html>')
    fetcher = make_fetcher(DEFAULT_BASE_URL)
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert_clean_pdf(pdf)
    assert any(url.startswith("data:") for url in fetcher.requested)
    assert "file:///etc/passwd" in fetcher.requested  # asked, and refused


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://169.254.169.254/", "https://evil.example/a.css",
    DEFAULT_BASE_URL + "etc/passwd", DEFAULT_BASE_URL + "static/../__init__.py",
    DEFAULT_BASE_URL + "static/%2e%2e/__init__.py", DEFAULT_BASE_URL + "static/css/nope.css",
    "http://other.invalid/static/css/report.css", "ftp://evil.example/x"])
@pytest.mark.usefixtures("app_ctx")
def test_the_fetcher_refuses_everything_but_our_static_files(url: str) -> None:
    fetcher = make_fetcher(DEFAULT_BASE_URL)
    with pytest.raises(BlockedResource):
        fetcher.fetch(url)


@pytest.mark.usefixtures("app_ctx")
def test_the_fetcher_serves_static_files_and_data_uris() -> None:
    fetcher = make_fetcher(DEFAULT_BASE_URL)
    css = fetcher.fetch(DEFAULT_BASE_URL + "static/css/report.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert isinstance(fetcher, StaticOnlyFetcher)
