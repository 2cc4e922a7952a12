"""The eThekwini 2024 report: every section and its key numbers in the PDF text, contents,
metadata, page size, and the CSV/XLSX and one-page summary products."""

import io
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session

from tracker.cities.models import City
from tracker.climate.presenters import tco2e
from tracker.climate.queries import load_city_climate
from tracker.climate.totals import compute_totals
from tracker.reports.content import city_report_context, report_data_hash
from tracker.reports.render import (
    html_to_pdf,
    render_city_html,
    render_city_pdf,
    render_summary_html,
)
from tracker.reports.tables import report_tables_csv, report_tables_xlsx

SECTIONS = ("Contents", "CRF compliance", "City profile", "Plans and their SDG alignment",
            "SDG progress summary", "Progress by goal", "Greenhouse-gas inventory",
            "CRF summary table", "TOTAL BASIC", "TOTAL BASIC+", "Mitigation targets",
            "Climate risks and vulnerability", "Risk matrix", "Adaptive capacity",
            "Adaptation goals", "Climate actions and their SDG links",
            "Annex A: Data quality", "Values not counted (not approved)",
            "Outliers confirmed", "Annex B: Methodology", "How progress is assessed",
            "Annex C: Sources")


@pytest.fixture
def report(demo: Session, ethekwini: City) -> dict[str, Any]:
    """eThekwini's 2024 report data."""
    return city_report_context(demo, ethekwini, 2024, generated_by="Test Secretariat")


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    """Return the reader and the whole text of a PDF (whitespace collapsed)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return reader, text


def test_the_city_report_pdf_holds_every_section_with_its_numbers(
        demo: Session, ethekwini: City, report: dict[str, Any]) -> None:
    reader, text = pdf_text(html_to_pdf(render_city_html(report)))
    for heading in SECTIONS:
        assert heading in text, heading
    assert "eThekwini" in text and "Reporting year 2024" in text
    assert "Test Secretariat" in text and "Data as of" in text
    basic = compute_totals(load_city_climate(demo, ethekwini).latest_inventory.cells).basic
    assert tco2e(basic) in text  # e.g. 20,585,000: the BASIC total, computed from the cells
    water = next(i for g in report["goals"] for i in g["indicators"] if i["code"] == "KPI-WATER")
    assert water["latest_value"] == 236000.0 and "236,000 (2022)" in text
    assert "Goal 11: Make cities and human settlements" in text
    assert "Page 2 of" in text  # running footer with the page total
    assert reader.metadata.title == "eThekwini: SDG and climate progress report 2024"
    assert reader.metadata.author == "eThekwini"
    assert reader.trailer["/Root"]["/Lang"] == "en"  # from <html lang>
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "CRF compliance" in titles and "Annex C: Sources" in titles  # PDF bookmarks


def test_the_contents_give_each_section_its_page(report: dict[str, Any]) -> None:
    reader, _text = pdf_text(html_to_pdf(render_city_html(report)))
    contents = " ".join(reader.pages[1].extract_text().split())
    assert contents.startswith("Contents")
    pages = {}
    for number, page in enumerate(reader.pages[2:], start=3):
        lines = (page.extract_text() or "").splitlines()
        for heading in ("Greenhouse-gas inventory", "Annex A: Data quality", "CRF compliance"):
            if heading in lines[:3] and heading not in pages:
                pages[heading] = number
    assert len(pages) == 3
    for heading, number in pages.items():  # "Heading ....... 9", from target-counter
        assert contents.split(heading, 1)[1].lstrip(" .").startswith(f"{number} "), heading


@pytest.mark.parametrize(("size", "points"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_the_page_size_is_a4_or_letter(demo: Session, ethekwini: City, size: str,
                                       points: tuple[int, int]) -> None:
    reader = PdfReader(io.BytesIO(render_city_pdf(demo, ethekwini, 2024, size)))
    box = reader.pages[3].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points
    with pytest.raises(ValueError, match="page size"):
        html_to_pdf("<p>x</p>", page_size="A3")


def test_the_same_data_gives_the_same_hash(demo: Session, ethekwini: City,
                                           report: dict[str, Any]) -> None:
    again = city_report_context(demo, ethekwini, 2024, generated_by="Someone else")
    assert report_data_hash(again) == report_data_hash(report)
    assert report_data_hash(city_report_context(demo, ethekwini, 2019)) != report_data_hash(
        report)
    ethekwini.population = 4_000_000
    demo.flush()
    assert report_data_hash(city_report_context(demo, ethekwini, 2024)) != report_data_hash(
        report)


def test_the_report_is_loaded_in_a_bounded_number_of_queries(
        demo: Session, ethekwini: City, count_queries: Any) -> None:
    from sqlmodel import select

    helsinki = demo.exec(select(City).where(City.slug == "helsinki")).one()
    counts = []
    for city in (ethekwini, helsinki):
        demo.expunge_all()  # as a new worker job would: nothing already loaded
        city = demo.merge(city, load=False)
        with count_queries() as n:
            city_report_context(demo, city, 2024)
        counts.append(n())
    # The same fixed queries whatever the city holds (one of them its networks, for the cover).
    assert counts[0] == counts[1] <= 28


def test_the_one_page_summary_fits_one_page(report: dict[str, Any]) -> None:
    html = render_summary_html(report)
    assert "progress summary 2024" in html
    reader, text = pdf_text(html_to_pdf(html))
    assert len(reader.pages) == 1
    assert "TOTAL BASIC" in text and "Indicators by status" in text


def test_the_tables_export_as_csv_and_xlsx(report: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    csv = report_tables_csv(report).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Goal,Code,Indicator")
    assert "KPI-WATER" in csv
    report["goals"][0]["indicators"][0]["name"] = "=HYPERLINK(\"http://evil\")"
    assert "'=HYPERLINK" in report_tables_csv(report).decode("utf-8-sig")
    inventory = report_tables_csv(report, "inventory").decode("utf-8-sig")
    assert "Residential buildings" in inventory
    book = load_workbook(io.BytesIO(report_tables_xlsx(report)))
    assert book.sheetnames == ["indicators", "goals", "inventory", "targets", "actions"]
    assert book["indicators"]["C2"].data_type == "s"


def test_the_quality_annex_lists_excluded_values_and_confirmed_outliers(
        demo: Session, ethekwini: City) -> None:
    from sqlmodel import select

    from tracker.data.models import Observation, ObservationStatus
    from tracker.indicators.models import LocalIndicator

    rows = demo.exec(select(Observation).join(LocalIndicator).where(
        LocalIndicator.city_id == ethekwini.id, Observation.year <= 2024)).all()
    unapproved = [o for o in rows if o.value is not None and not o.is_deleted
                  and o.status != ObservationStatus.APPROVED]
    flagged = rows[0]
    flagged.warning_note = "Checked with the water department: a new *meter* census."
    flagged.follow_up = True
    demo.flush()
    context = city_report_context(demo, ethekwini, 2024)
    quality = context["quality"]
    assert len(quality["excluded"]) == len(unapproved) > 0
    assert [o["note"] for o in quality["outliers"]] == [flagged.warning_note]
    html = render_city_html(context)
    assert "Checked with the water department" in html and "(flagged for follow-up)" in html
    assert f"{len(unapproved)} values up to 2024 are left out" in html
    element = next(i for g in context["goals"] for i in g["indicators"] if i["elements"])
    assert f"Measures {element['elements'][0]['plan']}" in html
