"""Report pages: access to every route, asking for reports, watching a run, downloading its
PDF, reuse of unchanged reports and regeneration."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.reports.test_runs import (  # noqa: F401  (fixtures)
    app_config,
    ask,
    fake_render,
    run_count,
)
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    ROLES,
    World,
    check_access,
    edit_a,
    edit_b,
    expect,
    read_a,
    read_b,
    review_b,
    world,
)
from tracker.auth.models import Role
from tracker.reports import runs, worker
from tracker.reports.models import ReportKind, ReportRun, RunStatus

NOT_FOUND = 404
UNPROCESSABLE = 422


@pytest.fixture
def report_world(world: World, app: Flask, db: Session,  # noqa: F811
                 fake_render: list[str]  # noqa: ARG001, F811 - swaps WeasyPrint for a fake
                 ) -> World:
    """Give network B, city B and city A a finished report each."""
    app.config["REPORT_PROCESSES"] = 1  # the fake renderer lives in this process only
    ids = world.ids
    ids["b_net"], _ = ask(app, db, runs.Target(ReportKind.NETWORK, 2024,
                                               network=world.networks["b"]))
    ids["b_city"], _ = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=world.cities["b"]))
    ids["a_city"], _ = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=world.cities["a"]))
    ids["b_failed"] = failed_run(app, db, runs.Target(ReportKind.CITY, 2023,
                                                      city=world.cities["b"]))
    ids["a_failed"] = failed_run(app, db, runs.Target(ReportKind.SUMMARY, 2023,
                                                      city=world.cities["a"]))
    ids["net_failed"] = failed_run(app, db, runs.Target(ReportKind.NETWORK, 2023,
                                                        network=world.networks["b"]))
    return world


def failed_run(app: Flask, db: Session, target: runs.Target) -> ReportRun:
    """Record a run whose worker died (as a sweep leaves it)."""
    with boundary(app, db):
        run, _created = runs.request_run(db, target, None)
        run.status, run.step, run.attempts = RunStatus.FAILED, "worker_stopped", 1
    return run


def run_path(key: str, suffix: str = "") -> Callable[[World], str]:
    """The address of one of the world's runs."""
    return lambda w: f"/reports/runs/{w.ids[key].id}{suffix}"


NET_B = "/networks/net-b/reports"
WHOLE = {"subject": "network", "year": "2024", "page_size": "A4"}
CITY_FORM = {"kind": "city", "year": "2024", "page_size": "Letter"}

ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("reports.network_runs", "GET", NET_B, None, review_b(OK)),
    ("reports.network_runs", "GET", "/networks/nowhere/reports", None, expect(NOT_FOUND)),
    ("reports.request_network_run", "POST", NET_B, WHOLE, review_b(REDIRECT)),
    ("reports.request_network_run", "POST", NET_B, WHOLE | {"subject": "city-b"},
     review_b(REDIRECT)),
    ("reports.request_network_run", "POST", NET_B, WHOLE | {"subject": "city-a"},
     review_b(UNPROCESSABLE)),  # not a member of network B
    ("reports.request_network_run", "POST", NET_B, WHOLE | {"year": "20x4"},
     review_b(UNPROCESSABLE)),
    ("reports.request_network_run", "POST", NET_B, WHOLE | {"page_size": "A3"},
     review_b(UNPROCESSABLE)),
    ("reports.city_runs", "GET", "/cities/city-b/reports", None, read_b(OK)),
    ("reports.city_runs", "GET", "/cities/city-a/reports", None, read_a(OK)),
    ("reports.city_runs", "GET", "/cities/nowhere/reports", None, expect(NOT_FOUND)),
    ("reports.request_city_run", "POST", "/cities/city-b/reports", CITY_FORM, read_b(REDIRECT)),
    ("reports.request_city_run", "POST", "/cities/city-a/reports", CITY_FORM | {"kind": "summary"},
     edit_a(REDIRECT)),
    ("reports.request_city_run", "POST", "/cities/city-b/reports", CITY_FORM | {"kind": "network"},
     read_b(UNPROCESSABLE)),
    ("reports.show_run", "GET", run_path("b_city"), None, read_b(OK)),
    ("reports.show_run", "GET", run_path("a_city"), None, read_a(OK)),
    ("reports.show_run", "GET", run_path("b_net"), None, review_b(OK)),
    ("reports.show_run", "GET", "/reports/runs/999999", None, expect(NOT_FOUND)),
    ("reports.run_status", "GET", run_path("b_city", "/status.json"), None, read_b(OK)),
    ("reports.run_status", "GET", run_path("b_net", "/status.json"), None, review_b(OK)),
    ("reports.download_run", "GET", run_path("b_city", "/download"), None, read_b(OK)),
    ("reports.download_run", "GET", run_path("a_city", "/download"), None, read_a(OK)),
    ("reports.download_run", "GET", run_path("b_net", "/download"), None, review_b(OK)),
    ("reports.regenerate_run", "POST", run_path("b_city", "/regenerate"), {},
     read_b(REDIRECT)),
    ("reports.regenerate_run", "POST", run_path("a_city", "/regenerate"), {},
     edit_a(REDIRECT)),
    ("reports.regenerate_run", "POST", run_path("b_net", "/regenerate"), {},
     review_b(REDIRECT)),
    ("reports.retry_run", "POST", run_path("b_failed", "/retry"), {}, edit_b(REDIRECT)),
    ("reports.retry_run", "POST", run_path("a_failed", "/retry"), {}, edit_a(REDIRECT)),
    ("reports.retry_run", "POST", run_path("net_failed", "/retry"), {}, review_b(REDIRECT)),
    ("report_preview.preview", "GET", "/cities/city-a/reports/2024/preview", None, read_a(OK)),
    ("report_preview.preview", "GET", "/cities/city-b/reports/2024/preview", None, read_b(OK)),
    ("report_preview.preview", "GET", "/cities/nowhere/reports/2024/preview", None,
     expect(NOT_FOUND)),
    ("report_preview.preview", "GET", "/cities/city-b/reports/1066/preview", None,
     read_b(NOT_FOUND)),
    ("report_preview.summary", "GET", "/cities/city-a/reports/2024/summary", None, read_a(OK)),
    ("report_preview.tables", "GET", "/cities/city-a/reports/2024/tables.csv", None,
     read_a(OK)),
    ("report_preview.tables", "GET", "/cities/city-b/reports/2024/tables.xlsx", None,
     read_b(OK)),
    ("report_preview.tables", "GET", "/cities/city-b/reports/2024/tables.csv?table=nope",
     None, read_b(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2] if isinstance(r[2], str) else r[0]}-{i}"
                              for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, report_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = run_count(db)
    statuses = run_statuses(db)
    check_access(row, role, report_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, UNPROCESSABLE):
        assert run_count(db) == before, "a refused request recorded a run"
        assert run_statuses(db) == statuses, "a refused request changed a run"


def run_statuses(db: Session) -> dict[int, str]:
    """Every run's status and attempts, as committed."""
    db.expire_all()
    return {run.id: f"{run.status}/{run.attempts}"  # type: ignore[misc]
            for run in db.scalars(select(ReportRun))}


def test_the_matrix_covers_every_report_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    ours = {e for e in endpoints if e.startswith(("reports.", "report_preview."))}
    assert ours == {r[0] for r in ACCESS_MATRIX}


# ---------------------------------------------------------------- asking, watching, downloading

@pytest.fixture
def secretariat(make_network: Any, make_city: Any, make_user: Any, app: Flask,
                fake_render: list[str]  # noqa: ARG001, F811 - swaps WeasyPrint for a fake
                ) -> dict[str, Any]:
    """A network with two cities and its secretariat."""
    app.config["REPORT_PROCESSES"] = 1
    network = make_network(slug="coast", name="Coastal Cities")
    cities = [make_city(network=network, slug=s, name=s.title()) for s in ("durban", "maputo")]
    return {"network": network, "cities": cities,
            "user": make_user(Role.SECRETARIAT, network=network)}


def newest_run(db: Session) -> ReportRun:
    """Return the newest run."""
    db.expire_all()
    query = select(ReportRun).order_by(ReportRun.id.desc())  # type: ignore[union-attr]
    return db.scalars(query).first()  # type: ignore[return-value]


def test_a_secretariat_asks_for_the_network_report_and_downloads_it(
        secretariat: dict[str, Any], client: FlaskClient, auth: Auth, db: Session,
        fake_render: list[str]) -> None:  # noqa: F811
    auth.login(secretariat["user"])
    page = client.get("/networks/coast/reports").get_data(as_text=True)
    assert 'value="durban"' in page and 'value="maputo"' in page and "No report" in page
    response = client.post("/networks/coast/reports", data=WHOLE)
    run = newest_run(db)
    assert response.headers["Location"].endswith(f"/reports/runs/{run.id}")
    assert run.status == RunStatus.DONE and run.requested_by_id == secretariat["user"].id
    assert fake_render == ["<h1>Coastal Cities (2)</h1>"]  # one document, both cities
    show = client.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    assert f'/reports/runs/{run.id}/download' in show and "<script>" not in show
    assert "js/report-progress.js" in show
    assert "The report is ready." in show and "being generated" not in show  # it is done
    status = client.get(f"/reports/runs/{run.id}/status.json").get_json()
    assert status["status"] == "done" and status["progress"] == 100 and status["finished"]
    assert status["message"] == "The report is ready."
    assert status["download_url"].endswith(f"/reports/runs/{run.id}/download")
    pdf = client.get(status["download_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == (
        f"attachment; filename=coast-2024-network-{run.id}.pdf")
    assert pdf.data.startswith(b"%PDF-")
    listing = client.get("/networks/coast/reports").get_data(as_text=True)
    assert f"/reports/runs/{run.id}/download" in listing and "Coastal Cities" in listing


def test_asking_again_for_unchanged_data_serves_the_stored_run(
        secretariat: dict[str, Any], client: FlaskClient, auth: Auth, db: Session,
        fake_render: list[str]) -> None:  # noqa: F811
    auth.login(secretariat["user"])
    client.post("/networks/coast/reports", data=WHOLE | {"subject": "durban"})
    first, count = newest_run(db), run_count(db)
    response = client.post("/networks/coast/reports", data=WHOLE | {"subject": "durban"},
                           follow_redirects=True)
    assert response.request.path == f"/reports/runs/{first.id}"
    assert "has not changed" in response.get_data(as_text=True)
    assert run_count(db) == count and len(fake_render) == 1
    again = client.post(f"/reports/runs/{first.id}/regenerate")
    second = newest_run(db)
    assert again.headers["Location"].endswith(f"/reports/runs/{second.id}")
    assert second.regenerated_from_id == first.id and second.status == RunStatus.DONE
    assert len(fake_render) == 2


def test_a_queued_run_shows_its_progress_and_no_download(
        secretariat: dict[str, Any], client: FlaskClient, auth: Auth, db: Session,
        app: Flask) -> None:
    app.config["REPORT_QUEUE"] = "memory"
    worker.init_worker(app)  # jobs wait for a worker
    auth.login(secretariat["user"])
    client.post("/networks/coast/reports", data=WHOLE)
    run = newest_run(db)
    assert run.status == RunStatus.QUEUED and len(worker.app_huey(app)) == 1  # handed over
    status = client.get(f"/reports/runs/{run.id}/status.json").get_json()
    assert status == {"id": run.id, "status": "queued", "progress": 0, "step": "queued",
                      "step_label": "Waiting for a worker", "finished": False,
                      "download_url": None, "size": None, "error": "", "reason": "",
                      "message": "The report is being generated."}
    page = client.get(f"/reports/runs/{run.id}").get_data(as_text=True)
    assert "Refresh" in page and "Generate again" not in page
    assert client.get(f"/reports/runs/{run.id}/download").status_code == 404


@pytest.mark.usefixtures("db")
def test_a_refused_request_queues_nothing(
        secretariat: dict[str, Any], client: FlaskClient, auth: Auth,
        app: Flask) -> None:
    app.config["REPORT_QUEUE"] = "memory"
    worker.init_worker(app)
    auth.login(secretariat["user"])
    assert client.post("/networks/coast/reports", data=WHOLE | {"year": ""}).status_code == 422
    assert len(worker.app_huey(app)) == 0


@pytest.mark.usefixtures("app")
def test_a_city_officer_asks_for_the_summary_of_their_city(
        db: Session, client: FlaskClient, auth: Auth, make_city: Any,
        make_user: Any, fake_render: list[str]) -> None:  # noqa: F811
    city = make_city(slug="durban", name="Durban")
    auth.login(make_user(Role.OFFICER, city=city))
    response = client.post("/cities/durban/reports", data=CITY_FORM | {"kind": "summary"})
    run = newest_run(db)
    assert response.status_code == 302
    assert (run.kind, run.city_id, run.page_size) == ("summary", city.id, "Letter")
    assert fake_render == ["<p>Durban</p>"]
    page = client.get("/cities/durban/reports").get_data(as_text=True)
    assert "Progress summary: Durban" in page and "Generate report" in page


def test_a_reviewer_sees_city_reports_without_the_form(
        report_world: World, client: FlaskClient, auth: Auth) -> None:
    auth.login(report_world.users["reviewer_a"])
    page = client.get("/cities/city-a/reports").get_data(as_text=True)
    assert f"/reports/runs/{report_world.ids['a_city'].id}/download" in page
    assert "Generate report" not in page


def test_the_runs_page_runs_a_fixed_number_of_queries(
        secretariat: dict[str, Any], client: FlaskClient, auth: Auth, app: Flask, db: Session,
        count_queries: Any) -> None:
    auth.login(secretariat["user"])
    client.post("/networks/coast/reports", data=WHOLE)
    with count_queries() as one:
        client.get("/networks/coast/reports")
    for city in secretariat["cities"]:
        ask(app, db, runs.Target(ReportKind.CITY, 2023, city=city))
    with count_queries() as three:
        client.get("/networks/coast/reports")
    assert one() == three()


def test_the_report_shows_in_the_browser_and_its_tables_download(
        report_world: World, client: FlaskClient, auth: Auth) -> None:
    auth.login(report_world.users["officer_b"])
    name = report_world.cities["b"].name
    page = client.get("/cities/city-b/reports/2024/preview").get_data(as_text=True)
    assert name in page and "report.css" in page and "progress report 2024" in page
    summary = client.get("/cities/city-b/reports/2024/summary").get_data(as_text=True)
    assert name in summary
    table = client.get("/cities/city-b/reports/2024/tables.csv?table=goals")
    assert table.status_code == 200 and table.mimetype == "text/csv"
    assert "attachment" in table.headers["Content-Disposition"]
    workbook = client.get("/cities/city-b/reports/2024/tables.xlsx").data
    assert workbook.startswith(b"PK")
