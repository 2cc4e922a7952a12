"""`tracker report city|network`: write valid PDFs from the shell with a progress bar; the
network report opens with its cohort summary."""

import io
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from pypdf import PdfReader
from sqlmodel import Session, select

from tests.reports.conftest import network_of
from tracker.reports.cli import report_cli
from tracker.reports.content import network_report_context, report_data_hash
from tracker.reports.models import ReportRun
from tracker.reports.render import render_network_html


@pytest.mark.usefixtures("ethekwini")
def test_the_cli_writes_a_city_report_pdf(runner: FlaskCliRunner, demo: Session,
                                          tmp_path: Path) -> None:
    out = tmp_path / "ethekwini.pdf"
    result = runner.invoke(report_cli, ["city", "ethekwini", "--year", "2024", "--out",
                                        str(out), "--page-size", "letter"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "pdf" in result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter
    assert "eThekwini" in reader.pages[0].extract_text()
    runs = demo.exec(select(ReportRun)).all()
    assert [(r.kind.value, r.status.value) for r in runs] == [("city", "done")]  # recorded
    again = runner.invoke(report_cli, ["city", "ethekwini", "--year", "2024", "--out",
                                       str(tmp_path / "again.pdf"), "--page-size", "letter"])
    assert again.exit_code == 0 and len(demo.exec(select(ReportRun)).all()) == 1  # reused
    assert (tmp_path / "again.pdf").read_bytes() == data


@pytest.mark.usefixtures("demo")
def test_the_cli_stops_on_an_unknown_city_or_network(runner: FlaskCliRunner,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = runner.invoke(report_cli, ["city", "atlantis", "--year", "2024", "--out", str(out)])
    assert result.exit_code != 0 and "No city 'atlantis'" in result.output
    result = runner.invoke(report_cli, ["network", "nope", "--year", "2024", "--out", str(out)])
    assert result.exit_code != 0 and "No network 'nope'" in result.output
    assert not out.exists()


def test_the_network_report_opens_with_its_cohort(runner: FlaskCliRunner, demo: Session,
                                                  tmp_path: Path) -> None:
    network = network_of(demo, "gcom")
    context = network_report_context(demo, network, 2024, generated_by="Secretariat")
    names = [row["name"] for row in context["cohort"]]
    assert "eThekwini" in names and len(context["cities"]) == len(names)
    html = render_network_html(context)
    assert "Cohort summary" in html and html.count('class="city-chapter"') == len(names)
    assert report_data_hash(context) == report_data_hash(
        network_report_context(demo, network, 2024))
    out = tmp_path / "gcom.pdf"
    result = runner.invoke(report_cli, ["network", "gcom", "--year", "2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages[:4])
    assert "Cohort summary" in text and "CRF phases met" in text
    assert all(name in text for name in names)
