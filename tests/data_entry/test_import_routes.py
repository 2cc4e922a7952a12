"""The values import and export pages: access for every role, the check-then-save flow through
import jobs, refusals that change nothing, and the downloads."""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import Auth
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
from tracker.bulk.formats import MAX_BYTES
from tracker.data.models import Observation, ObservationChange

NOT_FOUND, UNPROCESSABLE = 404, 422
GOOD = b"indicator,period,sex,value\nB-1,2023,,12.5\nB-1,2023,female,7\n"
BAD = b"indicator,period,sex,value\nB-1,2023,,abc\nB-1,2023,,12\n"


def upload(data: bytes, name: str = "values.csv") -> Any:
    """Return a form builder that uploads a fresh copy of a file."""
    return lambda _w: {"file": (io.BytesIO(data), name)}


def edit(city: str, outcome: int) -> dict[str, Any]:
    """Those who may change city B's (or A's) values get `outcome`."""
    return expect(DENIED, anonymous=LOGIN, admin=outcome, **{f"secretariat_{city}": outcome,
                                                           f"officer_{city}": outcome})


READ_A = expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, officer_a=OK,
                reviewer_a=OK)
READ_B = expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_b=OK, officer_b=OK)
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("data_io.import_data", "GET", "/cities/city-b/data/import", None, edit("b", OK)),
    ("data_io.import_data", "GET", "/cities/city-a/data/import", None, edit("a", OK)),
    ("data_io.import_data", "POST", "/cities/city-b/data/import", upload(GOOD),
     edit("b", REDIRECT)),
    ("data_io.import_data", "POST", "/cities/city-b/data/import", upload(BAD),
     edit("b", REDIRECT)),
    ("data_io.import_data", "GET", "/cities/nowhere/data/import", None, expect(NOT_FOUND)),
    ("data_io.export_data", "GET", "/cities/city-b/data/export.csv", None, READ_B),
    ("data_io.export_data", "GET", "/cities/city-a/data/export.xlsx", None, READ_A),
    ("data_io.export_data", "GET", "/cities/city-u/data/export.csv", None,
     expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)),
    # open data: anyone downloads a published city's approved values (tests/test_open_data.py)
    ("data_io.export_indicator_open_sdg", "GET",
     "/cities/city-b/indicators/B-1/data/open-sdg.csv", None, expect(OK)),
    ("data_io.export_indicator_open_sdg", "GET",
     "/cities/city-a/indicators/A-1/data/open-sdg.csv", None, expect(OK)),
    ("data_io.export_indicator_open_sdg", "GET",
     "/cities/city-u/indicators/U-1/data/open-sdg.csv", None,
     expect(NOT_FOUND, admin=OK, secretariat_a=OK, reviewer_a=OK)),
]


def counts(db: Session) -> tuple[int, int]:
    """Count observations and their history: refusals must change neither."""
    return (db.scalar(select(func.count()).select_from(Observation)) or 0,
            db.scalar(select(func.count()).select_from(ObservationChange)) or 0)


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    """Keep this test's uploads in a folder of its own."""
    return {"INSTANCE_PATH": str(tmp_path)}


@pytest.fixture
def io_world(world: World, make_indicator) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """Give cities A, B and U an indicator each, broken down by sex."""
    for key in ("a", "b", "u"):
        world.ids[f"{key}1"] = make_indicator(
            world.cities[key], f"{key.upper()}-1",
            dimensions=[{"name": "sex", "values": ["female", "male"]}])
    return world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[2]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, io_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    before = counts(db)
    check_access(row, role, io_world, client, auth, db)
    assert counts(db) == before, "a preview, refusal or export changed something"


def test_the_matrix_covers_every_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("data_io.")} == {r[0] for r in ACCESS_MATRIX}


def check_file(client: FlaskClient, data: bytes, name: str = "values.csv") -> tuple[str, Any]:
    """Upload a file for a check; return its job's address and page."""
    response = post_file(client, data, name)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    job_url = response.headers["Location"]
    return job_url, client.get(job_url)


def save(client: FlaskClient, job_url: str) -> Any:
    """Ask to save a checked file (its job's commit button)."""
    return client.post(f"{job_url}/commit")


def test_preview_then_save(io_world: World, client: FlaskClient, auth: Auth,
                           db: Session) -> None:
    auth.login(io_world.users["officer_b"])
    before = counts(db)
    job_url, response = check_file(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "create 2, update 0 and leave 0" in page
    assert f'action="{job_url}/commit"' in page
    assert counts(db) == before  # the preview saved nothing
    response = save(client, job_url)
    assert response.status_code == 302 and response.headers["Location"] != job_url
    assert "2 created, 0 updated" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    assert counts(db) == (before[0] + 2, before[1] + 2)
    values = {o.breakdown_key: o.value for o in db.scalars(select(Observation))}
    assert values == {"": 12.5, "sex=female": 7}
    again = save(client, job_url)
    assert again.status_code == 302 and again.headers["Location"] == job_url
    assert counts(db) == (before[0] + 2, before[1] + 2)


def test_a_job_is_saved_only_by_its_citys_editors(io_world: World, client: FlaskClient,
                                                  auth: Auth, db: Session) -> None:
    auth.login(io_world.users["officer_b"])
    job_url, _page = check_file(client, GOOD)
    auth.logout()
    auth.login(io_world.users["officer_a"])
    assert save(client, job_url).status_code == 403
    crafted = job_url.replace("/cities/city-b/", "/cities/city-a/")
    assert save(client, crafted).status_code == 404
    assert counts(db) == (0, 0)


def test_problems_are_listed_and_nothing_saved(io_world: World, client: FlaskClient,
                                               auth: Auth, db: Session) -> None:
    auth.login(io_world.users["officer_b"])
    job_url, response = check_file(client, BAD + b"X-9,2023/25,,1\n", "v.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "3 problems were found" in page
    assert "&#39;abc&#39; is not a number" in page and "X-9" in page and "2023/25" in page
    assert "/commit" not in page and counts(db) == (0, 0)
    assert save(client, job_url).status_code == 302 and counts(db) == (0, 0)


def post_file(client: FlaskClient, data: bytes, name: str = "values.csv") -> Any:
    """Upload a file, encoded in memory (the test client spools large bodies to a file it
    never closes)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post("/cities/city-b/data/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_a_file_over_the_limit_is_refused(io_world: World, client: FlaskClient, auth: Auth,
                                          db: Session) -> None:
    auth.login(io_world.users["officer_b"])
    response = post_file(client, GOOD + b"#" * MAX_BYTES)
    assert response.status_code == 422 and "larger than 5 MB" in response.get_data(as_text=True)
    assert counts(db) == (0, 0)


class Huge(io.RawIOBase):
    """A 100 MB request body that is never built: it counts what is read of it."""

    size = 100 * 2**20

    def __init__(self) -> None:
        self.position = 0
        self.read_bytes = 0

    def readable(self) -> bool:
        """It can be read."""
        return True

    def seekable(self) -> bool:
        """The test client measures it by seeking."""
        return True

    def tell(self) -> int:
        """Say where reading is."""
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move within the pretended 100 MB."""
        self.position = offset + (self.size if whence == io.SEEK_END else
                                  self.position if whence == io.SEEK_CUR else 0)
        return self.position

    def readinto(self, buffer: Any) -> int:
        """Fill the buffer with filler bytes."""
        count = min(len(buffer), self.size - self.position)
        buffer[:count] = b"x" * count
        self.position += count
        self.read_bytes += count
        return count


def test_a_100_mb_upload_is_refused_unread(io_world: World, client: FlaskClient,
                                           auth: Auth, db: Session) -> None:
    auth.login(io_world.users["officer_b"])
    body = Huge()
    response = client.post("/cities/city-b/data/import", input_stream=body,
                           content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
    assert body.read_bytes < 2**20 and counts(db) == (0, 0)


def test_exports_download_the_values(io_world: World, client: FlaskClient, auth: Auth) -> None:
    auth.login(io_world.users["officer_b"])
    save(client, check_file(client, GOOD)[0])
    response = client.get("/cities/city-b/data/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["indicator", "period", "sex", "value"]
    assert sorted(rows[1:]) == [["B-1", "2023", "", "12.5", "", "%", "", ""],
                                ["B-1", "2023", "female", "7", "", "%", "", ""]]
    sdg = client.get("/cities/city-b/indicators/B-1/data/open-sdg.csv")
    assert sdg.get_data().decode("utf-8-sig").splitlines()[0] == "Year,sex,Units,Value"


def test_the_preview_lists_warnings_and_changes(io_world: World, client: FlaskClient,
                                                auth: Auth, db: Session) -> None:
    auth.login(io_world.users["officer_b"])
    history = "".join(f"B-1,{year},,{50 + year % 2}\n" for year in range(2010, 2020))
    save(client, check_file(client, f"indicator,period,sex,value\n{history}".encode())[0])
    _job, response = check_file(client, b"indicator,period,sex,value\nB-1,2019,,99\nB-1,2020,,3\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "update 1 and leave 0" in page and "2 values look unusual" in page
    assert page.count('<th scope="row">2</th>') == 2  # a warning and a changed row
    assert counts(db)[0] == 10
