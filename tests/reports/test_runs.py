"""Report runs: reuse of unchanged reports, regeneration, the background job's steps, failures,
atomic storage outside the web root, the queue chosen by configuration and `tracker worker`."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import boundary
from tracker import create_app
from tracker.data.services import Entry, save_observation
from tracker.reports import jobs, liveness, runs, worker
from tracker.reports.models import ReportKind, ReportRun, RunStatus
from tracker.reports.worker_cli import worker_cli


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    """Keep this test's PDFs in its own folder."""
    return {"REPORTS_DIR": str(tmp_path / "reports")}


@pytest.fixture
def fake_render(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace HTML rendering and layout by cheap fakes; record each part laid out."""
    from tracker.reports import render

    laid_out: list[str] = []
    monkeypatch.setattr(render, "render_city_html", lambda c: f"<h1>{c['city']['name']}</h1>")
    monkeypatch.setattr(render, "render_summary_html", lambda c: f"<p>{c['city']['name']}</p>")
    monkeypatch.setattr(render, "render_network_html",
                        lambda n: f"<h1>{n['network']['name']} ({len(n['cities'])})</h1>")

    def fake_pdf(html: str, **_: Any) -> bytes:
        laid_out.append(html)
        return tiny_pdf(html)

    monkeypatch.setattr(render, "html_to_pdf", fake_pdf)
    return laid_out


def tiny_pdf(text: str) -> bytes:
    """Return a real one-page PDF (so that parts can be merged) titled with `text`."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def run_count(db: Session) -> int:
    """Count the recorded runs."""
    return db.scalar(select(func.count()).select_from(ReportRun)) or 0


def ask(app: Flask, db: Session, target: runs.Target, user_id: int | None = None
        ) -> tuple[ReportRun, bool]:
    """Ask for a report as a request would, and run the job once it is committed."""
    with boundary(app, db):
        run, created = runs.request_run(db, target, user_id)
    if created:
        with app.app_context():
            worker.enqueue_now(run.id)  # type: ignore[arg-type]
    db.refresh(run)
    return run, created


def add_value(app: Flask, db: Session, indicator: Any, value: str) -> None:
    """Save a value, which changes the data a report shows."""
    with boundary(app, db):
        save_observation(session=db, indicator=indicator, user_id=None, expected_version=None,
                         entry=Entry(year=2024, value=Decimal(value), breakdown={}))


@pytest.mark.usefixtures("fake_render")
def test_a_run_is_generated_in_steps_and_stored_outside_the_web_root(
        app: Flask, db: Session, make_city: Callable[..., Any], make_user: Callable[..., Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    city = make_city(name="Ethekwini")
    user = make_user("admin", name="Ada Admin")
    steps: list[tuple[int, str, str, Any]] = []
    real = liveness.touch

    def spy(session: Session, run_id: int, attempt: int, **values: Any) -> None:
        real(session, run_id, attempt, **values)
        seen = session.get(ReportRun, run_id)
        steps.append((values["progress"], values["step"], str(seen.status), seen.heartbeat_at))

    monkeypatch.setattr(liveness, "touch", spy)
    run, created = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=city), user.id)
    assert created and run.status == RunStatus.DONE and run.progress == 100
    # "load" is written when the worker takes the run; each later step is a heartbeat too.
    assert [s[1] for s in steps] == ["render", "pdf", "store"]
    assert all(status == "running" for _p, _s, status, _beat in steps)
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)
    beats = [beat for *_rest, beat in steps]
    assert beats == sorted(beats) and run.started_at <= beats[0] <= run.heartbeat_at
    assert run.attempts == 1
    assert run.requested_by_id == user.id and run.started_at and run.finished_at
    assert len(run.data_hash) == 64 and run.error == ""
    with app.app_context():
        path = runs.stored_path(run)
        assert path is not None and path.parent == Path(app.config["REPORTS_DIR"])
        assert runs.open_pdf(run) == tiny_pdf("<h1>Ethekwini</h1>")
    assert run.size == path.stat().st_size
    assert len(path.stem) == 32 and "ethekwini" not in path.name  # a random name
    assert not list(path.parent.glob(".*.part"))  # the temporary file was renamed
    assert Path(app.static_folder or "") not in path.parents


def test_an_unchanged_report_is_served_from_the_stored_run(
        app: Flask, db: Session, make_city: Callable[..., Any],
        make_indicator: Callable[..., Any], fake_render: list[str]) -> None:
    city = make_city()
    indicator = make_indicator(city)
    target = runs.Target(ReportKind.CITY, 2024, city=city)
    first, created = ask(app, db, target)
    assert created and len(fake_render) == 1
    again, created = ask(app, db, target)
    assert not created and again.id == first.id and len(fake_render) == 1
    assert run_count(db) == 1
    letter, created = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=city,
                                               page_size="Letter"))
    assert created and letter.id != first.id  # other paper, other PDF
    add_value(app, db, indicator, "12.5")
    changed, created = ask(app, db, target)
    assert created and changed.id not in (first.id, letter.id)
    assert changed.data_hash != first.data_hash
    assert len(fake_render) == 3


@pytest.mark.usefixtures("fake_render")
def test_a_stored_run_whose_file_is_gone_is_generated_again(
        app: Flask, db: Session, make_city: Callable[..., Any]) -> None:
    city = make_city()
    target = runs.Target(ReportKind.SUMMARY, 2024, city=city)
    first, _ = ask(app, db, target)
    with app.app_context():
        runs.stored_path(first).unlink()  # type: ignore[union-attr]
    second, created = ask(app, db, target)
    assert created and second.id != first.id and second.status == RunStatus.DONE


@pytest.mark.usefixtures("fake_render")
def test_regenerate_makes_a_new_linked_run_even_when_unchanged(
        app: Flask, db: Session, make_city: Callable[..., Any]) -> None:
    city = make_city()
    first, _ = ask(app, db, runs.Target(ReportKind.CITY, 2023, city=city, page_size="Letter"))
    with boundary(app, db):
        again = runs.regenerate_run(db, first, None)
    assert again.status == RunStatus.QUEUED and again.regenerated_from_id == first.id
    assert (again.kind, again.city_id, again.year, again.page_size) == (
        first.kind, first.city_id, first.year, first.page_size)
    with app.app_context():
        worker.enqueue_now(again.id)  # type: ignore[arg-type]
    db.refresh(again)
    assert again.status == RunStatus.DONE and again.file_name != first.file_name
    assert again.data_hash == first.data_hash


@pytest.mark.usefixtures("fake_render")
def test_a_failing_run_records_its_error(
        app: Flask, db: Session, make_city: Callable[..., Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.reports import render

    def broken(_html: str, **_kw: Any) -> bytes:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    run, created = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=make_city()))
    assert created and run.status == RunStatus.FAILED and run.finished_at is not None
    assert run.error == "RuntimeError: layout exploded" and run.file_name == ""
    with app.app_context():
        assert runs.stored_path(run) is None and runs.open_pdf(run) is None


def test_a_network_report_is_one_document_of_its_cohort_and_every_city(
        app: Flask, db: Session, make_network: Callable[..., Any],
        make_city: Callable[..., Any], fake_render: list[str]) -> None:
    import io

    from pypdf import PdfReader

    network = make_network(name="Coastal Cities")
    for name in ("Durban", "Cape Town", "Maputo"):
        make_city(network=network, name=name)
    app.config["REPORT_PROCESSES"] = 1  # the fakes live in this process only
    run, created = ask(app, db, runs.Target(ReportKind.NETWORK, 2024, network=network))
    assert created and run.status == RunStatus.DONE and run.network_id == network.id
    # One HTML document with the three cities, laid out once: one page numbering.
    assert fake_render == ["<h1>Coastal Cities (3)</h1>"]
    with app.app_context():
        reader = PdfReader(io.BytesIO(runs.open_pdf(run) or b""))
    assert len(reader.pages) == 1


@pytest.mark.usefixtures("fake_render")
def test_runs_are_listed_for_their_network_and_city(
        app: Flask, db: Session, make_network: Callable[..., Any],
        make_city: Callable[..., Any], make_user: Callable[..., Any]) -> None:
    network, other = make_network(), make_network()
    member, outsider = make_city(network=network, name="Member"), make_city(network=other)
    user = make_user("secretariat", network=network, email="sec@example.org")
    app.config["REPORT_PROCESSES"] = 1
    own, _ = ask(app, db, runs.Target(ReportKind.NETWORK, 2024, network=network), user.id)
    city_run, _ = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=member), user.id)
    ask(app, db, runs.Target(ReportKind.CITY, 2024, city=outsider))
    rows = runs.list_runs(db, network=network)
    assert [(r.run.id, r.subject, r.requested_by) for r in rows] == [
        (city_run.id, "Member", "sec@example.org"), (own.id, network.name, "sec@example.org")]
    assert [r.run.id for r in runs.list_runs(db, city=member)] == [city_run.id]


def test_an_unknown_page_size_is_refused(app: Flask, db: Session,
                                         make_city: Callable[..., Any]) -> None:
    with app.app_context(), pytest.raises(ValueError, match="page size"):
        runs.request_run(db, runs.Target(ReportKind.CITY, 2024, city=make_city(),
                                         page_size="A3"), None)


@pytest.mark.parametrize(("settings", "kind"), [
    ({"TESTING": True}, MemoryHuey),
    ({"REPORT_QUEUE": "sqlite"}, SqliteHuey),
    ({"REPORT_QUEUE": None, "TESTING": False, "REDIS_URL": "redis://127.0.0.1:1/0"}, RedisHuey),
    ({"REPORT_QUEUE": None, "TESTING": False, "REDIS_URL": ""}, SqliteHuey),
])
def test_the_queue_follows_the_configuration(engine: Any, tmp_path: Path,
                                             settings: dict[str, Any], kind: type) -> None:
    from tests.conftest import app_settings

    app = create_app(app_settings(engine, INSTANCE_PATH=str(tmp_path), **settings))
    huey = worker.app_huey(app)
    assert type(huey) is kind
    assert worker.TASK_NAME in " ".join(huey._registry._registry)
    if kind is SqliteHuey:
        assert Path(huey.storage.filename) == Path(app.instance_path) / "huey.db"
    assert huey.immediate is (settings.get("TESTING") is True)


@pytest.mark.usefixtures("fake_render")
def test_the_worker_command_runs_waiting_jobs(
        app: Flask, db: Session, make_city: Callable[..., Any]) -> None:
    app.config["REPORT_QUEUE"] = "memory"
    worker.init_worker(app)  # a queue that waits for a worker
    with boundary(app, db):
        run, _ = runs.request_run(db, runs.Target(ReportKind.CITY, 2024, city=make_city()),
                                  None)
    with app.app_context():
        worker.enqueue_now(run.id)  # type: ignore[arg-type]
    db.refresh(run)
    assert run.status == RunStatus.QUEUED
    result = app.test_cli_runner().invoke(worker_cli, ["--once"])
    assert result.exit_code == 0, result.output
    assert "Ran 1 job(s)." in result.output
    db.refresh(run)
    assert run.status == RunStatus.DONE


def test_the_worker_command_refuses_an_immediate_queue(app: Flask) -> None:
    result = app.test_cli_runner().invoke(worker_cli, ["-w", "2"])
    assert result.exit_code != 0 and "immediate" in result.output


def test_a_real_city_report_end_to_end(app: Flask, db: Session, make_city: Callable[..., Any],
                                       make_indicator: Callable[..., Any]) -> None:
    """The real content, templates and WeasyPrint: a PDF with the city's name."""
    import io

    from pypdf import PdfReader

    city = make_city(name="Ethekwini Metro")
    add_value(app, db, make_indicator(city, "WAT-1", name="Households with piped water"), "81")
    run, created = ask(app, db, runs.Target(ReportKind.CITY, 2024, city=city))
    assert created and run.status == RunStatus.DONE, run.error
    with app.app_context():
        pdf = runs.open_pdf(run) or b""
    assert pdf.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ethekwini Metro" in text


def test_a_report_is_generated_synchronously_for_the_shell(
        app: Flask, db: Session, make_city: Callable[..., Any], fake_render: list[str]) -> None:
    city = make_city(name="Patiala")
    target = runs.Target(ReportKind.CITY, 2024, city=city, page_size="Letter")
    seen: list[tuple[int, str]] = []
    with app.app_context():
        run = jobs.generate_now(db, target, None, lambda p, step: seen.append((p, step)))
        assert run.status == RunStatus.DONE and runs.open_pdf(run) == tiny_pdf("<h1>Patiala</h1>")
        again = jobs.generate_now(db, target, None, lambda p, step: seen.append((p, step)))
    assert again.id == run.id  # unchanged: served from the stored run
    assert [step for _p, step in seen] == ["load", "render", "pdf", "store"]
    assert fake_render == ["<h1>Patiala</h1>"]


@pytest.mark.usefixtures("fake_render")
def test_a_job_queued_by_the_web_app_is_run_by_a_worker_app_on_the_sqlite_queue(
        app: Flask, db: Session, engine: Any, tmp_path: Path,
        make_city: Callable[..., Any]) -> None:
    from tests.conftest import app_settings

    queue = {"REPORT_QUEUE": "sqlite", "HUEY_SQLITE_PATH": str(tmp_path / "huey.db")}
    app.config.update(queue)
    worker.init_worker(app)
    other = create_app(app_settings(engine, REPORTS_DIR=app.config["REPORTS_DIR"], **queue))
    other.extensions["tracker_db"].session_factory = lambda: db  # the worker's own app
    other.extensions["tracker_db"].closes_sessions = False
    with boundary(app, db):
        run, _ = runs.request_run(db, runs.Target(ReportKind.CITY, 2024, city=make_city()),
                                  None)
    with app.app_context():
        worker.enqueue_now(run.id)  # type: ignore[arg-type]
    assert (tmp_path / "huey.db").is_file() and len(worker.app_huey(app)) == 1
    result = other.test_cli_runner().invoke(worker_cli, ["--once"])
    assert "Ran 1 job(s)." in result.output, result.output
    db.refresh(run)
    assert run.status == RunStatus.DONE and len(worker.app_huey(app)) == 0
