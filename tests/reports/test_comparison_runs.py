"""/compare.pdf through the report queue: the request answers the run's status page; the run
shows what its requester may see (a visitor: published cities only), is reused for the same
requester, selection and data, opens only for whoever asked, and visitors are rate-limited."""

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlmodel import Session

from tests.compare.support import put
from tests.compare.test_compare_routes import compare_world  # noqa: F401  (fixture)
from tests.factories import Auth
from tests.test_access import World, world  # noqa: F401  (fixture)
from tracker.indicators.models import LocalIndicator
from tracker.reports.models import ReportKind, ReportRun, RunStatus

PDF = "/compare.pdf?cities=city-a,city-b,city-u&goal=6"


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    """Keep this test's PDFs in its own folder."""
    return {"REPORTS_DIR": str(tmp_path / "reports")}


def comparison_runs(db: Session) -> int:
    """Count the comparison runs."""
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ReportRun).where(
        ReportRun.kind == ReportKind.COMPARISON)) or 0


def ask(client: FlaskClient, db: Session, path: str = PDF) -> ReportRun:
    """Ask for the PDF; return the run whose page the answer sends to."""
    response = client.get(path)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    run_id = int(response.location.rsplit("/", 1)[1])
    db.expire_all()
    run = db.get(ReportRun, run_id)
    assert run is not None
    return run


def pdf_text(client: FlaskClient, run: ReportRun) -> str:
    """The text of a run's PDF, downloaded as its status page offers it."""
    response = client.get(f"/reports/runs/{run.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    day = run.created_at.date().isoformat()  # what was asked for, and when
    assert (f"filename=comparison-goal-6-city-a-city-b-city-u-{day}.pdf"
            in response.headers["Content-Disposition"])
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


@pytest.mark.usefixtures("compare_world")
def test_a_visitor_gets_a_run_of_published_cities_only(client: FlaskClient,
                                                        db: Session) -> None:
    run = ask(client, db)
    assert run.kind == ReportKind.COMPARISON and run.requested_by_id is None
    assert run.status == RunStatus.DONE  # the test queue runs jobs at once
    assert run.selection == "cities=city-a%2Ccity-b%2Ccity-u&goal=6"
    page = client.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    assert "Download the PDF" in page and "data-run-autodownload" in page
    text = pdf_text(client, run)
    assert "Scores and ranking" in text and "A-1" in text and "B-1" in text
    assert "U-1" not in text and "Secret U water" not in text  # unpublished


@pytest.mark.usefixtures("compare_world")
def test_an_unchanged_comparison_is_reused_and_opens_only_for_who_asked(app: Flask,
                                                                        db: Session) -> None:
    first, second, stranger = app.test_client(), app.test_client(), app.test_client()
    run = ask(first, db)
    assert ask(first, db).id == run.id and comparison_runs(db) == 1
    # Another visitor asking for the same comparison gets the same (public) run.
    assert ask(second, db).id == run.id and comparison_runs(db) == 1
    assert second.get(f"/reports/runs/{run.id}/download").status_code == 200
    # A visitor who never asked for it cannot open it (sent to sign in).
    for suffix in ("", "/status.json", "/download"):
        response = stranger.get(f"/reports/runs/{run.id}{suffix}")
        assert response.status_code == 302 and "/login" in response.location


def test_a_signed_in_reader_gets_a_run_of_their_own(
        compare_world: World, client: FlaskClient, auth: Auth, app: Flask,  # noqa: F811
        db: Session) -> None:
    visitors = ask(app.test_client(), db)
    auth.login(compare_world.users["secretariat_a"])
    own = ask(client, db)
    assert own.id != visitors.id and own.requested_by_id == compare_world.users[
        "secretariat_a"].id
    assert "U-1" in pdf_text(client, own)  # network A's secretariat reads city U
    auth.logout()
    auth.login(compare_world.users["officer_b"])
    assert client.get(f"/reports/runs/{own.id}").status_code == 403
    assert app.test_client().get(f"/reports/runs/{own.id}").status_code == 302  # to sign in


@pytest.mark.usefixtures("compare_world")
def test_a_comparison_whose_data_changed_is_generated_again(client: FlaskClient,
                                                            db: Session) -> None:
    first = ask(client, db)
    a1 = db.scalars(select(LocalIndicator).where(LocalIndicator.code == "A-1")).one()
    put(db, a1, {2023: "55"}, status="approved")
    db.commit()
    again = ask(client, db)
    assert again.id != first.id and again.data_hash != first.data_hash
    assert comparison_runs(db) == 2 and again.status == RunStatus.DONE


class TestVisitorRateLimit:
    """Visitors' comparison PDFs are rate-limited; signed-in users are not."""

    @pytest.fixture
    def app_config(self, tmp_path: Path) -> dict[str, Any]:
        return {"REPORTS_DIR": str(tmp_path / "reports"), "RATELIMIT_ENABLED": True,
                "REPORT_ANONYMOUS_RATE_LIMIT": "3 per hour"}

    def test_the_fourth_request_of_a_visitor_is_refused(
            self, compare_world: World, app: Flask, auth: Auth, client: FlaskClient,  # noqa: F811
            db: Session) -> None:
        visitor = app.test_client()
        codes = [visitor.get(PDF).status_code for _ in range(4)]
        assert codes == [302, 302, 302, 429]
        assert comparison_runs(db) == 1  # and the refused one recorded nothing
        auth.login(compare_world.users["reviewer_a"])
        assert [client.get(PDF).status_code for _ in range(5)] == [302] * 5
