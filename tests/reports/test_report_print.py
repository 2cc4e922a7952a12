"""Print quality of the PDF reports (issue 15): the network report is one document (pages
numbered through, one contents, the methodology once, one line for a city with nothing to
report), covers name every network, labels are words not codes, no table cell leaves its
page, and the running header names the section at the top of the page."""

import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from tracker.cities.models import City, Network
from tracker.cities.services import add_member
from tracker.climate.adaptation_models import ClimateAction
from tracker.climate.models import GhgInventory
from tracker.compare.selection import read_selection
from tracker.plans.models import Plan
from tracker.reports import jobs, layout, render
from tracker.reports.comparison import comparison_parts, request_comparison_run
from tracker.reports.content import city_report_context, network_report_context
from tracker.reports.models import ReportKind

LONG_NAME = ("The Metropolitan Municipality of the Greater Coastal and Riverine Region of the "
             "Eastern Seaboard and all its Hinterlands")
UNBROKEN = "https://www.durban.gov.za/documents/climate-change-strategy-2019-2030.pdf"
BIG = Decimal("2390000000.5")
TOLERANCE = 0.5  # CSS px


def pdf_pages(pdf: bytes) -> list[str]:
    """Return the text of each page, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def lay_out(html: str) -> Any:
    """Lay out report HTML as WeasyPrint does for the PDF (same fetcher and page size)."""
    from weasyprint import CSS, HTML

    fetcher = render.make_fetcher(render.DEFAULT_BASE_URL)
    size = CSS(string="@page { size: A4; }", url_fetcher=fetcher)
    return HTML(string=html, base_url=render.DEFAULT_BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[size])


def boxes(box: Any) -> Iterator[Any]:
    """Walk a page's boxes in document order (the page's margin boxes left out)."""
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "MarginBox":
            continue
        yield child
        yield from boxes(child)


def cells_off_the_page(document: Any) -> list[str]:
    """Describe every table cell whose border box is not inside its page's content area."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        area = page._page_box
        left, top = area.content_box_x(), area.content_box_y()
        right, bottom = left + area.width, top + area.height
        for box in boxes(area):
            if getattr(box, "element_tag", None) not in ("td", "th"):
                continue
            x, y = box.border_box_x(), box.border_box_y()
            if (x < left - TOLERANCE or y < top - TOLERANCE
                    or x + box.border_width() > right + TOLERANCE
                    or y + box.border_height() > bottom + TOLERANCE):
                found.append(f"page {number}: {text_of(box)[:60]!r} at x {x:.0f}–"
                             f"{x + box.border_width():.0f} (page {left:.0f}–{right:.0f})")
    return found


def text_of(box: Any) -> str:
    """The text inside a box."""
    return " ".join(" ".join(b.text for b in boxes(box) if hasattr(b, "text")).split())


@pytest.fixture
def long_city(demo: Session, ethekwini: City) -> City:
    """eThekwini with a 120-character name, long plan and action titles and an inventory
    whose figures run into the billions."""
    ethekwini.name = LONG_NAME
    assert len(LONG_NAME) == 120
    for plan in demo.exec(select(Plan).where(Plan.city_id == ethekwini.id)).all():
        plan.title = f"{plan.title}: {LONG_NAME}"
    for action in demo.exec(select(ClimateAction).where(
            ClimateAction.city_id == ethekwini.id)).all():
        action.title = f"{LONG_NAME} {action.title} {UNBROKEN}"
        action.total_cost = BIG
        action.expected_reduction_tco2e = BIG
    for inventory in demo.exec(select(GhgInventory).where(
            GhgInventory.city_id == ethekwini.id)).all():
        for cell in inventory.cells:
            if cell.value is not None:
                cell.value = BIG
    demo.flush()
    return ethekwini


def long_sectors(context: dict[str, Any]) -> None:
    """Give every CRF sector of a report a 120-character name (the sector names are the
    CRF's, no user can lengthen them; the layout must hold one all the same)."""
    for city in context.get("cities", [context]):
        for sector in city["crf"]["inventory"]["sectors"] if city["crf"]["inventory"] else []:
            sector["name"] = LONG_NAME


def test_no_table_cell_leaves_its_page(app: Any, demo: Session, long_city: City,
                                       make_network: Callable[..., Network]) -> None:
    city = city_report_context(demo, long_city, 2024)
    long_sectors(city)
    network = make_network(name=LONG_NAME, slug="long-coast")
    with app.app_context():
        add_member(session=demo, network=network, city=long_city, user_id=None)
    demo.flush()
    cohort = network_report_context(demo, network, 2024)
    long_sectors(cohort)
    run, _created = request_comparison_run(demo, None, read_selection(
        {"cities": f"{long_city.slug},helsinki", "goal": "11"}))
    [(_title, comparison)] = comparison_parts(demo, run, lambda _p, _s: None)[0]
    documents = {"city": render.render_city_html(city),
                 "network": render.render_network_html(cohort), "comparison": comparison}
    for name, html in documents.items():
        assert "2,390,000,000.5" in html or name == "comparison", name
        document = lay_out(html)
        assert len(document.pages) > 1, name
        assert cells_off_the_page(document) == [], name


@pytest.fixture
def coast(app: Any, demo: Session, make_network: Callable[..., Network],
          make_city: Callable[..., City]) -> Network:
    """A network of eThekwini (also in GCoM and UCLG), Helsinki and Emptyville, a member
    with nothing at all to report."""
    network = make_network(name="Coastal Test Network", slug="coast-test")
    with app.app_context():
        for slug in ("ethekwini", "helsinki"):
            city = demo.exec(select(City).where(City.slug == slug)).one()
            add_member(session=demo, network=network, city=city, user_id=None)
    demo.flush()
    make_city(network=network, name="Emptyville", slug="emptyville", country_code="ZA")
    return network


def page_of(contents: str, entry: str) -> int:
    """Read the page number the contents give an entry ("eThekwini ....... 4")."""
    found = re.search(re.escape(entry) + r"[ .]*?(\d+)\b", contents)
    assert found, entry
    return int(found.group(1))


def network_pdf(context: dict[str, Any]) -> bytes:
    """Print a network report as the worker does: its parts laid out, then merged."""
    parts = jobs.html_parts(ReportKind.NETWORK, context)
    return layout.merge_pdfs(parts, [render.html_to_pdf(html) for _title, html in parts])


def test_the_network_report_is_one_document(demo: Session, coast: Network) -> None:
    context = network_report_context(demo, coast, 2024)
    pages = pdf_pages(network_pdf(context))
    total = len(pages)
    # One numbering: page k of N, for every k.
    assert [f"Page {k} of {total}" in text for k, text in enumerate(pages, 1)] == [True] * total
    [contents] = [text for text in pages if "Contents Cohort summary" in text]
    for name in ("eThekwini", "Helsinki"):  # each city's entry points at its cover
        cover = pages[page_of(contents, name) - 1]
        assert "SDG AND CLIMATE PROGRESS REPORT" in cover and name in cover
    assert "Emptyville: nothing reported for 2024" in contents
    assert pages[page_of(contents, "Cohort summary") - 1].count(
        "Emptyville: nothing reported for 2024") == 1
    # Emptyville: its contents line and its lines in the cohort summary, no chapter.
    assert len([text for text in pages if "Emptyville" in text]) <= 2
    whole = " ".join(pages)
    assert whole.count("How progress is assessed") == 1  # the methodology, once, at the end
    assert "How progress is assessed" in pages[page_of(contents, "Methodology") - 1]
    assert whole.count("Annex B: Methodology") == 0


def test_covers_and_tables_print_words_not_codes(demo: Session, coast: Network) -> None:
    context = network_report_context(demo, coast, 2024)
    pages = pdf_pages(network_pdf(context))
    [cover] = [text for text in pages
               if "SDG AND CLIMATE PROGRESS REPORT" in text and "eThekwini" in text]
    for network in ("Global Covenant of Mayors for Climate & Energy", "Coastal Test Network",
                    "United Cities and Local Governments (UCLG)"):
        assert network in cover, network
    whole = " ".join(pages)
    assert "eThekwini, South Africa" in whole and "Country South Africa" in whole
    assert "ZA" not in re.sub(r"[A-Z]{3,}", "", whole)  # no country code (words in capitals aside)
    assert re.findall(r"\b[a-z]{2,}\.[a-z_]+ / \d", whole) == []  # "se.agriculture / 1"
    assert "Inventory boundary Same as the administrative boundary" in whole
    assert "Stationary energy: " in whole  # a notation key's cell, by sector and row


def test_one_indicator_is_due_in_the_singular(demo: Session, make_city: Callable[..., City],
                                              make_indicator: Callable[..., Any]) -> None:
    city = make_city(name="Oneville", slug="oneville")
    make_indicator(city, "ONE-1")
    context = city_report_context(demo, city, 2024)
    assert context["quality"]["completeness"]["due"] == 1
    text = " ".join(pdf_pages(render.html_to_pdf(render.render_city_html(context))))
    assert "1 indicator due;" in text and "1 indicators" not in text
    assert "1 indicator is tracked" in text


def margin_text(page: Any, where: str) -> str:
    """The text of one of a page's margin boxes ("@top-right")."""
    for box in page._page_box.children:
        if getattr(box, "at_keyword", None) == where:
            return " ".join(" ".join(b.text for b in _all(box) if hasattr(b, "text")).split())
    return ""


def _all(box: Any) -> Iterator[Any]:
    """Every box inside a box."""
    for child in getattr(box, "children", ()):
        yield child
        yield from _all(child)


def section_at_top(document: Any) -> list[str]:
    """For each page, the section its first line belongs to, worked out from where the
    section headings were laid out: the heading on the first line if one is there, else the
    last heading on an earlier page."""
    current, found = "", []
    for page in document.pages:
        first_line = True
        top = current
        for box in boxes(page._page_box):
            if type(box).__name__ != "LineBox":
                continue
            heading = getattr(box, "_h2", None)
            if first_line and heading is not None:
                top = heading
            first_line = False
        found.append(top)
        current = last_heading(page, current)
    return found


def last_heading(page: Any, current: str) -> str:
    """The last section heading laid out on a page (or the one before, if none)."""
    for box in section_headings(page._page_box):
        current = text_of(box)
    return current


def section_headings(box: Any) -> Iterator[Any]:
    """A report section's h2 boxes: the first child of a section whose id names a section
    (not the contents' title, not the methodology's inner headings)."""
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "MarginBox":
            continue
        element = getattr(box, "element", None)
        if (getattr(child, "element_tag", None) == "h2" and element is not None
                and re.search(r"(^|-)sec-|^net-cohort$", element.get("id") or "")):
            yield child
        yield from section_headings(child)


def mark_heading_lines(document: Any) -> None:
    """Tag each line box inside a section heading with the heading's text."""
    for page in document.pages:
        for box in section_headings(page._page_box):
            for line in _all(box):
                if type(line).__name__ == "LineBox":
                    line._h2 = text_of(box)


def test_the_running_header_names_the_section_at_the_top_of_the_page(
        report_context: dict[str, Any]) -> None:
    document = lay_out(render.render_city_html(report_context))
    mark_heading_lines(document)
    expected = section_at_top(document)
    shown = [margin_text(page, "@top-right") for page in document.pages]
    assert shown[2:] == expected[2:]  # the cover and the contents have no section
    assert len(set(expected)) > 8  # many sections, some starting lower on a page


@pytest.fixture
def report_context(demo: Session, ethekwini: City) -> dict[str, Any]:
    """eThekwini's 2024 report data."""
    return city_report_context(demo, ethekwini, 2024)


def test_the_one_page_summary_names_every_network(report_context: dict[str, Any]) -> None:
    html = render.render_summary_html(report_context)  # eThekwini: GCoM and UCLG (demo data)
    assert ("Networks: Global Covenant of Mayors for Climate &amp; Energy; United Cities and "
            "Local Governments (UCLG)") in html
