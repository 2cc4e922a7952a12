"""Evidence files: recognised by content, size-limited, kept privately under random names,
attached and removed as recorded changes, and served only to those allowed, safely."""

import hashlib
import io
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import func, select
from sqlmodel import Session
from werkzeug.datastructures import FileStorage

from tests.data_entry.test_grid_routes import (  # noqa: F401  (grid_world is a fixture)
    A1,
    B1,
    NOT_FOUND,
    UNPROCESSABLE,
    cell_path,
    edit_a,
    edit_b,
    grid_world,
    observe,
    read_a,
    read_b,
)
from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    ROLES,
    World,
    check_access,
    expect,
    world,
)
from tracker.auth.models import Role
from tracker.data import evidence as files
from tracker.data.models import EvidenceFile, Observation, ObservationChange
from tracker.data.services import ObservationError, attach_evidence, detach_evidence
from tracker.errors import StaleEditError

LIMIT = 64 * 1024
TOO_LARGE = 413
CONFLICT = 409


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    """Keep evidence in the test's own folder, with a small size limit."""
    return {"EVIDENCE_DIR": str(tmp_path / "evidence"), "EVIDENCE_MAX_BYTES": LIMIT}


# ---------------------------------------------------------------- samples

def image(fmt: str) -> bytes:
    """A real 2×2 image in the given Pillow format."""
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def workbook(extra: dict[str, bytes] | None = None) -> bytes:
    """A real .xlsx workbook, with extra zip members added when given."""
    book = Workbook()
    book.active.append(["year", "value"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    if extra:
        with zipfile.ZipFile(out, "a") as archive:
            for name, data in extra.items():
                archive.writestr(name, data)
    return out.getvalue()


def plain_zip() -> bytes:
    """A zip archive that is not a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


PDF = (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
       b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
       b"trailer <</Root 1 0 R>>\n%%EOF\n")
PNG = image("PNG")
CSV = "year,value,note\n2023,42.5,Zürich census\n".encode()
HTML = b"  <!DOCTYPE html><html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'

ACCEPTED = [(PDF, files.PDF), (PNG, files.PNG), (image("JPEG"), files.JPEG),
            (image("GIF"), files.GIF), (image("WEBP"), files.WEBP), (CSV, files.CSV),
            (b"\xef\xbb\xbf" + CSV, files.CSV), (workbook(), files.XLSX)]
REFUSED = {
    "html": HTML,
    "svg": SVG,
    "zip that is not a workbook": plain_zip(),
    "xlsm with vbaProject": workbook({"xl/vbaProject.bin": b"\x00macro"}),
    "broken utf-8": b"year,value\n2023,\xff\xfe42\n",
    "nul bytes": b"year,value\n2023,4\x002\n",
    "empty": b"",
    "executable": b"\x7fELF\x02\x01\x01" + bytes(40),
}


@pytest.mark.parametrize(("data", "media_type"), ACCEPTED,
                         ids=[t for _, t in ACCEPTED])
def test_accepted_types_are_recognised_by_content(data: bytes, media_type: str) -> None:
    assert files.detect_type(io.BytesIO(data)) == media_type


@pytest.mark.parametrize("data", REFUSED.values(), ids=REFUSED.keys())
def test_other_content_is_refused(data: bytes) -> None:
    assert files.detect_type(io.BytesIO(data)) is None


# ---------------------------------------------------------------- one city's journey

@pytest.fixture
def site(app: Flask, db: Session, make_network, make_city, make_user,  # type: ignore[no-untyped-def]
         make_indicator) -> dict[str, Any]:
    """A city in a network with a value, its officer, the network's secretariat and
    reviewer, and the officer of another city."""
    network = make_network()
    city = make_city(network=network)
    indicator = make_indicator(city, "EV-1")
    return {"city": city, "cell": observe(app, db, indicator, 2021),
            "approved": observe(app, db, indicator, 2020, "submit", "approve"),
            "officer": make_user(Role.OFFICER, city=city),
            "secretariat": make_user(Role.SECRETARIAT, network=network),
            "reviewer": make_user(Role.REVIEWER, network=network),
            "stranger": make_user(Role.OFFICER, city=make_city(network=network)),
            "url": f"/cities/{city.slug}/indicators/EV-1/data/cell"}


def upload(data: bytes, name: str, version: Any, mimetype: str = "") -> dict[str, Any]:
    """The form of an upload."""
    return {"file": (io.BytesIO(data), name, mimetype or None),
            "expected_version": str(version)}


def kept(app: Flask) -> list[Path]:
    """List every file in the evidence folder (temporary ones included)."""
    folder = Path(app.config["EVIDENCE_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def evidence_rows(db: Session) -> int:
    """Count the evidence records."""
    return db.scalar(select(func.count()).select_from(EvidenceFile)) or 0


def changes(db: Session, cell: Observation) -> list[ObservationChange]:
    """Return a cell's history, oldest first."""
    return list(db.scalars(select(ObservationChange).where(
        ObservationChange.observation_id == cell.id).order_by(ObservationChange.id)))


def test_upload_keeps_the_file_privately_and_attach_and_remove_are_history(
        app: Flask, site: dict[str, Any], client: FlaskClient, auth: Auth,
        db: Session) -> None:
    cell, url = site["cell"], f"{site['url']}/{site['cell'].id}/evidence"
    auth.login(site["officer"])
    page = client.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'accept=".pdf,.png' in page
    sent = client.post(url, data=upload(PNG, "../../Chart 2021.png", cell.version))
    assert sent.status_code == 302
    db.expire_all()
    evidence = db.get(EvidenceFile, cell.evidence_id)
    assert evidence is not None and cell.version == 2
    assert evidence.media_type == "image/png" and evidence.size == len(PNG)
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence.original_name == "Chart 2021.png" and evidence.uploaded_by_id
    [path] = kept(app)
    assert path.name == evidence.stored_name and len(path.name) == 40
    assert path.read_bytes() == PNG and stat.S_IMODE(path.stat().st_mode) & 0o111 == 0
    static = Path(app.static_folder or "").resolve()
    assert static not in path.resolve().parents and "Chart" not in str(path)
    shown = client.get(url).get_data(as_text=True)
    assert "Chart 2021.png" in shown and site["officer"].email in shown
    auth.logout()
    auth.login(site["reviewer"])  # readers see the file, not the forms
    read = client.get(url).get_data(as_text=True)
    assert f"/evidence/{evidence.id}" in read and "multipart/form-data" not in read
    auth.logout()
    auth.login(site["officer"])

    removed = client.post(f"{url}/remove", data={"expected_version": "2"})
    assert removed.status_code == 302
    db.expire_all()
    assert cell.evidence_id is None and cell.version == 3
    history = changes(db, cell)
    assert [c.action for c in history] == ["create", "evidence", "evidence"]
    assert history[1].note == "Attached Chart 2021.png"
    assert history[2].note == "Removed Chart 2021.png"
    assert history[1].user_id == site["officer"].id and history[1].new_value == "1.5"
    assert path.exists()  # the file stays on record; the history names it


@pytest.mark.parametrize(("data", "name", "mimetype", "found"), [
    (HTML, "report.pdf", "application/pdf", "HTML"),
    (SVG, "chart.png", "image/png", "SVG"),
    (plain_zip(), "data.xlsx", "", "zip archive"),
    (workbook({"xl/vbaProject.bin": b"x"}), "data.xlsm", "", "zip archive"),
    (b"year;value\n\xff\n", "data.csv", "text/csv", "unknown"),
])
def test_a_wrong_type_is_refused_naming_the_file_and_the_type(
        app: Flask, site: dict[str, Any], client: FlaskClient, auth: Auth, db: Session,
        data: bytes, name: str, mimetype: str, found: str) -> None:
    auth.login(site["officer"])
    refused = client.post(f"{site['url']}/{site['cell'].id}/evidence",
                          data=upload(data, name, 1, mimetype))
    assert refused.status_code == UNPROCESSABLE
    text = refused.get_data(as_text=True)
    assert name in text and found in text and (not mimetype or mimetype in text)
    assert evidence_rows(db) == 0 and kept(app) == []
    db.expire_all()
    assert site["cell"].evidence_id is None and site["cell"].version == 1


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(
        app: Flask, site: dict[str, Any], client: FlaskClient, auth: Auth,
        db: Session) -> None:
    auth.login(site["officer"])
    big = CSV * (LIMIT // len(CSV) + 1)
    refused = client.post(f"{site['url']}/{site['cell'].id}/evidence",
                          data=upload(big, "huge.csv", 1))
    assert refused.status_code == TOO_LARGE
    assert "huge.csv is larger than the limit" in refused.get_data(as_text=True)
    assert evidence_rows(db) == 0 and kept(app) == []
    just = client.post(f"{site['url']}/{site['cell'].id}/evidence",
                       data=upload(big[:LIMIT], "just.csv", 1))
    assert just.status_code == 302 and evidence_rows(db) == 1


def test_approved_and_stale_cells_refuse_attaching(
        app: Flask, site: dict[str, Any], client: FlaskClient, auth: Auth,
        db: Session) -> None:
    auth.login(site["officer"])
    approved = site["approved"]
    locked = client.post(f"{site['url']}/{approved.id}/evidence",
                         data=upload(PDF, "a.pdf", approved.version))
    assert locked.status_code == UNPROCESSABLE and "locked" in locked.get_data(as_text=True)
    stale = client.post(f"{site['url']}/{site['cell'].id}/evidence",
                        data=upload(PDF, "b.pdf", 7))
    assert stale.status_code == CONFLICT
    assert "Someone else saved this cell" in stale.get_data(as_text=True)
    assert kept(app) == [] and evidence_rows(db) == 0  # refused uploads are not kept
    db.expire_all()
    assert [c.action for c in changes(db, approved)] == ["create", "submit", "approve"]
    nothing = client.post(f"{site['url']}/{site['cell'].id}/evidence/remove",
                          data={"expected_version": "1"})
    assert nothing.status_code == UNPROCESSABLE


def stored(app: Flask, db: Session, city: Any, data: bytes, name: str) -> EvidenceFile:
    """Keep a file for a city, as an upload would."""
    with boundary(app, db):
        return files.store(db, city, FileStorage(io.BytesIO(data), name), None)


def test_services_refuse_approved_and_stale_cells(app: Flask, db: Session,
                                                  site: dict[str, Any]) -> None:
    evidence = stored(app, db, site["city"], PDF, "a.pdf")
    with app.app_context():
        with pytest.raises(ObservationError, match="locked"):
            attach_evidence(session=db, cell=site["approved"], evidence=evidence,
                            expected_version=site["approved"].version, user_id=None)
        with pytest.raises(StaleEditError):
            attach_evidence(session=db, cell=site["cell"], evidence=evidence,
                            expected_version=0, user_id=None)
        attach_evidence(session=db, cell=site["cell"], evidence=evidence,
                        expected_version=1, user_id=None)
        with pytest.raises(StaleEditError):
            detach_evidence(session=db, cell=site["cell"], expected_version=1, user_id=None)
    assert site["cell"].evidence_id == evidence.id and site["cell"].version == 2


@pytest.mark.parametrize(("data", "name", "media_type", "disposition"), [
    (PNG, "report.pdf", "image/png", 'inline; filename=report.pdf.png'),
    (CSV, "../etc/Zürich data.csv", "text/csv; charset=utf-8", "attachment; filename="),
    (PDF, "report.pdf", "application/pdf", "attachment; filename=report.pdf"),
    (workbook(), "sheet.xlsx", files.XLSX, "attachment; filename=sheet.xlsx"),
])
def test_downloads_are_served_safely(app: Flask, db: Session, site: dict[str, Any],
                                     client: FlaskClient, auth: Auth, data: bytes,
                                     name: str, media_type: str, disposition: str) -> None:
    evidence = stored(app, db, site["city"], data, name)
    auth.login(site["reviewer"])  # the network's reviewer may read the city's evidence
    response = client.get(f"/cities/{site['city'].slug}/evidence/{evidence.id}")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Type"] == media_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["Cache-Control"] == "private"
    header = response.headers["Content-Disposition"]
    assert header.startswith(disposition) and "/" not in header and ".." not in header


def test_only_those_allowed_download(app: Flask, db: Session, site: dict[str, Any],
                                     client: FlaskClient, auth: Auth) -> None:
    evidence = stored(app, db, site["city"], PDF, "a.pdf")
    url = f"/cities/{site['city'].slug}/evidence/{evidence.id}"
    visitor = client.get(url)
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    auth.login(site["stranger"])
    assert client.get(url).status_code == DENIED
    auth.logout()
    for role in ("officer", "secretariat", "reviewer"):
        auth.login(site[role])
        assert client.get(url).status_code == OK, role
        auth.logout()
    Path(app.config["EVIDENCE_DIR"], evidence.stored_name).unlink()
    auth.login(site["officer"])
    assert client.get(url).status_code == NOT_FOUND  # a lost file is not an error page


# ---------------------------------------------------------------- access matrix

@pytest.fixture
def evidence_world(grid_world: World, app: Flask, db: Session) -> World:  # noqa: F811
    """Attach a kept file to the draft values of cities A and B."""
    ids = grid_world.ids
    for key in ("a", "b"):
        evidence = stored(app, db, grid_world.cities[key], PNG, f"{key}.png")
        with boundary(app, db):
            attach_evidence(session=db, cell=ids[f"{key}_draft"], evidence=evidence,
                            expected_version=1, user_id=None)
        ids[f"{key}_evidence"] = evidence
    return grid_world


def send(key: str, data: bytes = PNG) -> Any:
    """An upload over one of the world's values, from its current version."""
    return lambda w: upload(data, "new.png", w.ids[key].version)


def version(key: str) -> Any:
    """The form removing the file of one of the world's values."""
    return lambda w: {"expected_version": str(w.ids[key].version)}


def download(slug: str, key: str) -> Any:
    """The address of one of the world's evidence files, under a city."""
    return lambda w: f"/cities/{slug}/evidence/{w.ids[key].id}"


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("evidence.show_evidence", "GET", cell_path(B1, "b_draft", "evidence"), None, read_b(OK)),
    ("evidence.show_evidence", "GET", cell_path(A1, "a_draft", "evidence"), None, read_a(OK)),
    ("evidence.show_evidence", "GET", cell_path(B1, "a_draft", "evidence"), None,
     read_b(NOT_FOUND)),
    ("evidence.upload_evidence", "POST", cell_path(B1, "b_draft", "evidence"),
     send("b_draft"), edit_b(REDIRECT)),
    ("evidence.upload_evidence", "POST", cell_path(A1, "a_submitted", "evidence"),
     send("a_submitted"), edit_a(REDIRECT)),
    ("evidence.upload_evidence", "POST", cell_path(B1, "b_approved", "evidence"),
     send("b_approved"), edit_b(UNPROCESSABLE)),
    ("evidence.upload_evidence", "POST", cell_path(B1, "b_draft", "evidence"),
     send("b_draft", HTML), edit_b(UNPROCESSABLE)),
    ("evidence.upload_evidence", "POST", cell_path(B1, "a_draft", "evidence"),
     send("a_draft"), edit_b(NOT_FOUND)),
    ("evidence.remove_evidence", "POST", cell_path(B1, "b_draft", "evidence/remove"),
     version("b_draft"), edit_b(REDIRECT)),
    ("evidence.remove_evidence", "POST", cell_path(A1, "a_draft", "evidence/remove"),
     version("a_draft"), edit_a(REDIRECT)),
    ("evidence.remove_evidence", "POST", cell_path(B1, "b_submitted", "evidence/remove"),
     version("b_submitted"), edit_b(UNPROCESSABLE)),  # nothing attached
    ("evidence.download_evidence", "GET", download("city-b", "b_evidence"), None, read_b(OK)),
    ("evidence.download_evidence", "GET", download("city-a", "a_evidence"), None, read_a(OK)),
    ("evidence.download_evidence", "GET", download("city-b", "a_evidence"), None,
     read_b(NOT_FOUND)),  # A's file under B's address
    ("evidence.download_evidence", "GET", "/cities/nowhere/evidence/1", None,
     expect(NOT_FOUND)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[0]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, evidence_world: World, client: FlaskClient,
                auth: Auth, db: Session, app: Flask) -> None:
    before = (evidence_rows(db), kept(app))
    check_access(row, role, evidence_world, client, auth, db)
    if row[4][role] in (DENIED, LOGIN, NOT_FOUND, UNPROCESSABLE):
        assert (evidence_rows(db), kept(app)) == before, "a refused request kept something"


def test_the_matrix_covers_every_evidence_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("evidence.")} == {r[0] for r in ACCESS_MATRIX}
