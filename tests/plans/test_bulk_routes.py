"""Bulk import and export pages: access for every role, the check-then-save flow through
import jobs, downloads."""

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import Auth
from tests.plans.test_bulk_support import (  # noqa: F401  (app_fixture is a fixture)
    INDICATORS_CSV,
    STRUCTURE_BAD,
    STRUCTURE_CSV,
    counts,
    export,
)
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
from tracker.bulk import formats
from tracker.plans.models import Plan, PlanElement

NOT_FOUND = 404
# The sample indicators without their element links, valid in any city.
UNLINKED_INDICATORS = INDICATORS_CSV.replace(b"IDP-2022:3.1; IDP-2022:3.1.1", b"").replace(
    b"IDP-2022:3.2", b"")
EDIT_B = expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_b=OK, officer_b=OK)
SAVE_B = expect(DENIED, anonymous=LOGIN, admin=REDIRECT, secretariat_b=REDIRECT,
                officer_b=REDIRECT)
READ_U = expect(DENIED, anonymous=LOGIN, admin=OK, secretariat_a=OK, reviewer_a=OK)
OTHER_CITY_PLAN = expect(DENIED, anonymous=LOGIN, admin=NOT_FOUND, secretariat_b=NOT_FOUND,
                         officer_b=NOT_FOUND)


def plan_path(city: str, plan: str, rest: str) -> Any:
    """Return a path builder for a plan page of the world."""
    return lambda w: f"/cities/city-{city}/plans/{w.ids[plan]}/{rest}"


def upload(data: bytes, name: str) -> Any:
    """Return a form builder that uploads a fresh copy of a file."""
    return lambda _w: {"file": (io.BytesIO(data), name)}


ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("bulk.import_structure", "GET", plan_path("b", "plan_b", "import"), None, EDIT_B),
    ("bulk.import_structure", "POST", plan_path("b", "plan_b", "import"),
     upload(STRUCTURE_CSV, "plan.csv"), SAVE_B),
    ("bulk.import_structure", "GET", plan_path("b", "plan_a", "import"), None, OTHER_CITY_PLAN),
    ("bulk.import_indicators", "GET", "/cities/city-b/indicators/import", None, EDIT_B),
    ("bulk.import_indicators", "POST", "/cities/city-b/indicators/import",
     upload(UNLINKED_INDICATORS, "indicators.csv"), SAVE_B),
    ("bulk.export_structure", "GET", plan_path("b", "plan_b", "export.csv"), None, expect(OK)),
    ("bulk.export_structure", "GET", plan_path("b", "plan_b", "export.xlsx"), None, expect(OK)),
    ("bulk.export_structure", "GET", plan_path("u", "plan_u", "export.csv"), None, READ_U),
    ("bulk.export_indicators", "GET", "/cities/city-b/indicators/export.xlsx", None, expect(OK)),
    ("bulk.export_indicators", "GET", "/cities/city-u/indicators/export.csv", None, READ_U),
    ("bulk.download_template", "GET", "/bulk/templates/structure.xlsx", None, expect(OK)),
    ("bulk.download_template", "GET", "/bulk/templates/indicators.csv", None, expect(OK)),
]


@pytest.fixture
def app_config(tmp_path: Any) -> dict[str, Any]:
    """Keep uploads in the test's own instance folder."""
    return {"INSTANCE_PATH": str(tmp_path)}


@pytest.fixture
def bulk_world(world: World, make_plan, make_element,  # type: ignore[no-untyped-def]  # noqa: F811
               make_indicator) -> World:
    """The access world with a plan in cities A, B and U, and records of city B."""
    plan_b = make_plan(world.cities["b"])
    element = make_element(plan_b, "1")
    indicator = make_indicator(world.cities["b"], "IND-B")
    world.ids.update(plan_a=make_plan(world.cities["a"]).id, plan_b=plan_b.id,
                     plan_u=make_plan(world.cities["u"]).id)
    world.ids["records"] = [plan_b, element, indicator]
    return world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[f"{r[1]} {r[0]}" for r in ACCESS_MATRIX])
def test_access(row: tuple[Any, ...], role: str, bulk_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    check_access(row, role, bulk_world, client, auth, db)


def job_page(client: FlaskClient, response: Any) -> tuple[str, str]:
    """Follow an upload to its import job; return the job's address and page."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    job_url = response.headers["Location"]
    assert "/import-jobs/" in job_url
    return job_url, client.get(job_url).get_data(as_text=True)


def codes(db: Session, plan_id: int) -> set[str]:
    """Return the codes of a plan's elements."""
    return set(db.scalars(select(PlanElement.code).where(PlanElement.plan_id == plan_id)))


def preview(client: FlaskClient, path: str, data: bytes, name: str = "plan.csv") -> Any:
    """Upload a file for its dry run."""
    # Encoded in memory: the test client spools a large body to a file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), name)})
    return client.post(path, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_preview_then_save_imports_every_row(bulk_world: World, client: FlaskClient,
                                             auth: Auth, db: Session) -> None:
    auth.login(bulk_world.users["officer_b"])
    path = f"/cities/city-b/plans/{bulk_world.ids['plan_b']}/import"
    page = client.get(path).get_data(as_text=True)
    assert "Check the file" in page and "/bulk/templates/structure.xlsx" in page
    job_url, html = job_page(client, preview(client, path, STRUCTURE_CSV))
    assert "Nothing has been saved yet" in html
    assert html.count(">Create<") == 5 and "Save all rows" in html
    assert f'href="{path}"' in html  # back to this plan's import page
    assert codes(db, bulk_world.ids["plan_b"]) == {"1"}
    response = client.post(f"{job_url}/commit")
    assert response.status_code == 302
    assert codes(db, bulk_world.ids["plan_b"]) == {"1", "3", "3.1", "3.1.1", "3.2", "5"}
    assert "5 created, 0 updated, 0 unchanged" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    again = client.post(f"{job_url}/commit")
    assert again.headers["Location"] == job_url  # saved once; the check offers no second save


def test_a_preview_with_errors_lists_them_and_offers_no_save(bulk_world: World,
                                                            client: FlaskClient, auth: Auth,
                                                            db: Session) -> None:
    auth.login(bulk_world.users["officer_b"])
    before = counts(db)
    path = f"/cities/city-b/plans/{bulk_world.ids['plan_b']}/import"
    assert client.post(path, data={}).status_code == 422  # no file
    job_url, html = job_page(client, preview(client, path, STRUCTURE_BAD))
    assert "11 problems were found; nothing has been saved" in html
    assert "&#39;12,5&#39; is not a number" in html and "Save all rows" not in html
    assert client.post(f"{job_url}/commit").headers["Location"] == job_url
    assert counts(db) == before


def test_a_job_is_acted_on_only_by_its_citys_editors(bulk_world: World,
                                                    client: FlaskClient, auth: Auth,
                                                    db: Session) -> None:
    plan_path_b = f"/cities/city-b/plans/{bulk_world.ids['plan_b']}/import"
    auth.login(bulk_world.users["officer_b"])
    job_url, _html = job_page(client, preview(client, plan_path_b, STRUCTURE_CSV))
    auth.logout()
    auth.login(bulk_world.users["officer_a"])
    assert client.post(f"{job_url}/commit").status_code == 403
    auth.logout()
    auth.login(bulk_world.users["admin"])
    crafted = job_url.replace("/cities/city-b/", "/cities/city-a/")
    assert client.post(f"{crafted}/commit").status_code == 404
    assert codes(db, bulk_world.ids["plan_b"]) == {"1"}


def test_posts_need_the_csrf_token(bulk_world: World, app: Flask, client: FlaskClient,
                                   auth: Auth, db: Session) -> None:
    auth.login(bulk_world.users["officer_b"])
    path = f"/cities/city-b/plans/{bulk_world.ids['plan_b']}/import"
    job_url, _html = job_page(client, preview(client, path, STRUCTURE_CSV))
    app.config["WTF_CSRF_ENABLED"] = True
    assert preview(client, path, STRUCTURE_CSV).status_code == 400
    assert client.post(f"{job_url}/commit").status_code == 400
    assert codes(db, bulk_world.ids["plan_b"]) == {"1"}
    assert 'name="csrf_token"' in client.get(path).get_data(as_text=True)
    assert 'name="csrf_token"' in client.get(job_url).get_data(as_text=True)


def test_indicator_import_page_lists_plan_keys_and_saves(bulk_world: World,  # type: ignore[no-untyped-def]
                                                        client: FlaskClient, auth: Auth,
                                                        make_plan) -> None:
    make_plan(bulk_world.cities["b"], kind="integrated_development_plan", start_year=2022,
              title="Second IDP")
    auth.login(bulk_world.users["secretariat_b"])
    plan_b = bulk_world.ids["plan_b"]
    job_url, _html = job_page(client, preview(
        client, f"/cities/city-b/plans/{plan_b}/import", STRUCTURE_CSV))
    client.post(f"{job_url}/commit")
    page = client.get("/cities/city-b/indicators/import").get_data(as_text=True)
    assert "IDP-2022-2" in page and "Second IDP" in page
    _job, html = job_page(client, preview(client, "/cities/city-b/indicators/import",
                                          INDICATORS_CSV.replace(b"IDP-2022:", b"IDP-2022-2:")))
    assert "Unknown plan" not in html  # the second IDP has no elements: they are unknown
    assert "has no current element" in html


def test_a_large_upload_is_refused_with_a_message(bulk_world: World, client: FlaskClient,
                                                 auth: Auth) -> None:
    auth.login(bulk_world.users["officer_b"])
    html = preview(client, "/cities/city-b/indicators/import",
                   b"x" * (formats.MAX_BYTES + 10)).get_data(as_text=True)
    assert "larger than 5 MB" in html


def test_exports_download_the_import_format(bulk_world: World, app: Flask,
                                            client: FlaskClient, db: Session) -> None:
    plan_b = bulk_world.ids["plan_b"]
    response = client.get(f"/cities/city-b/plans/{plan_b}/export.csv")
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == \
        "private, no-store"
    assert response.headers["Content-Disposition"] == \
        "attachment; filename=city-b-IDP-2022-structure.csv"
    plan = db.get(Plan, plan_b)
    assert response.data == export(app, db, plan)
    response = client.get("/cities/city-b/indicators/export.xlsx")
    assert response.mimetype == formats.XLSX_TYPE and response.data.startswith(formats.ZIP_MAGIC)
    assert b"IND-B" in client.get("/cities/city-b/indicators/export.csv").data
    template = client.get("/bulk/templates/indicators.csv")
    assert template.data.decode("utf-8-sig").startswith("code,name,definition,unit_kind")
    assert client.get("/bulk/templates/other.csv").status_code == 404
