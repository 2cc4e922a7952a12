"""Open SDG import on the web: upload a zipped repository (a dry run job with its counts per
indicator and every row not taken), then "Import" (drafts) or, for the city's network
secretariat and admins, "Import and approve"; unsafe zips refused; who may do what."""

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import Auth
from tests.opensdg.conftest import zip_folder
from tests.test_access import (  # noqa: F401  (world is a fixture)
    OK,
    ROLES,
    World,
    check_access,
    edit_a,
    edit_b,
    expect,
    review_b,
    world,
)
from tracker.data.import_job_models import ImportJob, ImportKind, JobStatus
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.indicators.models import LocalIndicator

NOT_FOUND = 404

ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("opensdg.upload", "GET", "/cities/city-b/data/import/opensdg", None, edit_b(OK)),
    ("opensdg.upload", "GET", "/cities/city-a/data/import/opensdg", None, edit_a(OK)),
    ("opensdg.approve", "POST", "/cities/city-b/import-jobs/999999/approve", {},
     review_b(NOT_FOUND)),
]


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    """Keep this test's uploads in a folder of its own."""
    return {"INSTANCE_PATH": str(tmp_path / "instance")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[0]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, world: World, client: FlaskClient,  # noqa: F811
                auth: Auth, db: Session) -> None:
    check_access(row, role, world, client, auth, db)


def upload(client: FlaskClient, city: str, data: bytes, name: str = "repo.zip") -> Any:
    """Upload a zip to the city's Open SDG import (encoded in memory)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post(f"/cities/{city}/data/import/opensdg", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def latest_job(db: Session) -> ImportJob:
    """Return the newest import job."""
    job = db.scalars(select(ImportJob).order_by(col(ImportJob.id).desc())).first()
    assert job is not None
    return job


def indicator_count(db: Session, city_id: int) -> int:
    """Count a city's local indicators."""
    return len(db.exec(select(LocalIndicator.id).where(
        LocalIndicator.city_id == city_id)).all())


def city_values(db: Session, city_id: int) -> list[Observation]:
    """Return a city's observations."""
    return list(db.scalars(select(Observation).join(
        LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id).where(
        LocalIndicator.city_id == city_id)))


def test_an_officer_checks_a_zipped_repository_then_imports_drafts(
        client: FlaskClient, auth: Auth, make_city: Any, make_user: Any, db: Session,
        repo: Any) -> None:
    city = make_city(slug="testville")
    auth.login(make_user("officer", city=city))
    response = upload(client, "testville", zip_folder(repo("v2"), top="testville-data-main/"))
    assert response.status_code == 302
    job = latest_job(db)
    assert (job.kind, job.status, job.is_dry_run) == (ImportKind.OPENSDG, JobStatus.DONE, True)
    assert (job.created_count, job.error_count) == (19, 0)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "10.x.2" in page and "data/indicator_1-2-1.csv" in page
    assert "Import and approve" not in page and ">Import</button>" in page
    problems = client.get(f"/cities/testville/import-jobs/{job.id}/warnings.csv")
    text = problems.get_data(as_text=True)
    assert "data/indicator_1-2-1.csv:Value" in text and "outside the numbers" in text
    assert indicator_count(db, city.id) == 0
    saved = client.post(f"/cities/testville/import-jobs/{job.id}/commit")
    assert saved.status_code == 302
    commit = latest_job(db)
    assert commit.is_saved and commit.created_count == 19
    assert indicator_count(db, city.id) == 3
    assert {v.status for v in city_values(db, city.id)} == {ObservationStatus.DRAFT}


def test_the_network_secretariat_imports_and_approves(
        client: FlaskClient, auth: Auth, make_city: Any, make_network: Any, make_user: Any,
        db: Session, repo: Any) -> None:
    network = make_network()
    city = make_city(slug="airtown", network=network)
    auth.login(make_user("secretariat", network=network))
    upload(client, "airtown", zip_folder(repo("v1")))
    job = latest_job(db)
    page = client.get(f"/cities/airtown/import-jobs/{job.id}").get_data(as_text=True)
    assert "Import and approve" in page
    response = client.post(f"/cities/airtown/import-jobs/{job.id}/approve")
    assert response.status_code == 302
    commit = latest_job(db)
    assert (commit.kind, commit.is_saved, commit.created_count) == (
        ImportKind.OPENSDG_APPROVE, True, 9)
    values = city_values(db, city.id)
    assert len(values) == 9 and {v.status for v in values} == {ObservationStatus.APPROVED}
    actions = set(db.scalars(select(ObservationChange.action).where(
        col(ObservationChange.observation_id).in_([v.id for v in values]))))
    assert actions == {"import_approve"}
    again = client.post(f"/cities/airtown/import-jobs/{job.id}/approve")
    assert again.status_code == 302 and latest_job(db).id == commit.id  # once only


def test_an_officer_cannot_approve(client: FlaskClient, auth: Auth, make_city: Any,
                                   make_network: Any, make_user: Any, db: Session,
                                   repo: Any) -> None:
    network = make_network()
    city = make_city(slug="officetown", network=network)
    auth.login(make_user("officer", city=city))
    upload(client, "officetown", zip_folder(repo("v1")))
    job = latest_job(db)
    assert client.post(f"/cities/officetown/import-jobs/{job.id}/approve").status_code == 403
    assert latest_job(db).id == job.id and indicator_count(db, city.id) == 0


def evil_zip(name: str, data: bytes = b"Year,Value\n2015,1\n", symlink: bool = False) -> bytes:
    """Return a zip with one crafted member."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name)
        if symlink:
            info.external_attr = 0o120777 << 16
        archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.mark.parametrize(("data", "reason"), [
    (evil_zip("../data/indicator_1-1-1.csv"), "outside the repository"),
    (evil_zip("/data/indicator_1-1-1.csv"), "outside the repository"),
    (evil_zip("data/indicator_1-1-1.csv", b"/etc/passwd", symlink=True), "symbolic link"),
    (evil_zip("data/indicator_1-1-1.csv", b"Year,Value\n" + b"2015,1\n" * 400_000),
     "zip bomb"),
    (evil_zip("data/readme.txt", b"hello"), "No data files"),
])
def test_unsafe_or_empty_zips_are_refused_with_the_reason(
        client: FlaskClient, auth: Auth, make_city: Any, make_user: Any, db: Session,
        data: bytes, reason: str) -> None:
    city = make_city(slug="safetown")
    auth.login(make_user("admin"))
    assert upload(client, "safetown", data).status_code == 302
    job = latest_job(db)
    assert job.status == JobStatus.DONE and job.error_count == 1
    page = client.get(f"/cities/safetown/import-jobs/{job.id}").get_data(as_text=True)
    assert reason in page and ">Import</button>" not in page
    assert indicator_count(db, city.id) == 0


def test_a_file_that_is_not_a_zip_is_refused_on_the_form(
        client: FlaskClient, auth: Auth, make_city: Any, make_user: Any) -> None:
    city = make_city(slug="plaintown")
    auth.login(make_user("officer", city=city))
    response = upload(client, "plaintown", b"Year,Value\n2015,1\n", name="data.csv")
    assert response.status_code == 422 and "not a zip file" in response.get_data(as_text=True)


def test_the_values_import_page_offers_the_repository_upload(
        client: FlaskClient, auth: Auth, make_city: Any, make_user: Any) -> None:
    city = make_city(slug="formtown")
    auth.login(make_user("officer", city=city))
    page = client.get("/cities/formtown/data/import").get_data(as_text=True)
    assert 'action="/cities/formtown/data/import/opensdg"' in page
    assert "Check the repository" in page
