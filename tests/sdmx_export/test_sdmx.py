"""SDMX export: messages read back with sdmx1 against a copy of the SDG DSD; every key and
value checked against the tracker's data, every code against the DSD's codelists; what
cannot be mapped is reported; no REF_AREA, no export."""

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sdmx
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session

from tests.factories import boundary
from tests.opensdg_export.support import add_cell, align
from tests.sdmx_export.dsd import CODES, DIMENSIONS, sdg_dsd
from tests.test_access import city_form
from tracker.auth.models import Role
from tracker.cities.models import City
from tracker.data.models import ObservationStatus
from tracker.sdmx.cli import sdmx_cli

FIELDS = ("SERIES", "SEX", "AGE", "FREQ", "TIME_PERIOD", "UNIT_MEASURE", "TIME_DETAIL")
# (SERIES, SEX, AGE, FREQ, TIME_PERIOD, UNIT_MEASURE, TIME_DETAIL) → OBS_VALUE, by hand.
EXPECTED = {
    ("SI_POV_NAHC", "_T", "_T", "A", "2020", "PT", ""): "12.5",
    ("SI_POV_NAHC", "F", "_T", "A", "2020", "PT", ""): "13.0",
    ("SI_POV_NAHC", "_T", "Y15T24", "A", "2021", "PT", ""): "9",
    ("SH_STA_MORT", "_T", "_T", "A", "2015", "NUMBER", "2015-16"): "100",
    ("SH_STA_MORT", "_T", "_T", "Q", "2024-Q2", "PT", ""): "0.000123",
}


@pytest.fixture
def city(app: Flask, db: Session, make_city: Callable[..., City],
         make_indicator: Callable[..., Any]) -> City:
    """A city with a native indicator (its SERIES configured) and an imported one."""
    city = make_city(name="Sdmxton")
    native = make_indicator(city, "POV-1", dimensions=[
        {"name": "Sex", "values": ["female"]}, {"name": "Age", "values": ["15-24"]}])
    imported = make_indicator(city, "MORT", unit_kind="count", dimensions=[
        {"name": n, "values": ["x"]} for n in ("Series", "Units", "GeoCode")])
    with boundary(app, db):
        city.ref_area_code = "710"
        db.add(city)
        align(db, native, "1.2.1")
        native.source_meta = {"SERIES": "SI_POV_NAHC"}
        imported.opensdg_id = "3-2-1"
        db.add_all([native, imported])
        add_cell(db, native, "2020", "12.5")
        add_cell(db, native, "2020", "13.0", {"Sex": "female"})
        add_cell(db, native, "2021", "9", {"Age": "15-24"})
        add_cell(db, native, "2021", "8", {"Age": "teens"})
        add_cell(db, native, "2022", "7", status=ObservationStatus.DRAFT)
        mort = {"Series": "SH_STA_MORT", "Units": "Number"}
        add_cell(db, imported, "2015-16", "100", mort)
        add_cell(db, imported, "2024 Q2", "0.000123", {**mort, "Units": "Percentage"})
        add_cell(db, imported, "2016", "5", {**mort, "Series": "Deaths"})
        add_cell(db, imported, "2017", "6", {**mort, "GeoCode": "E06000023"})
    return city


def read_ml(data: bytes) -> dict[tuple[str, ...], str]:
    """Read an SDMX-ML message with sdmx1; check every code; return key fields → value."""
    message = sdmx.read_sdmx(io.BytesIO(data), structure=sdg_dsd())
    assert isinstance(message, sdmx.message.DataMessage)
    found = {}
    for obs in message.data[0].obs:
        key = {k: v.value for k, v in obs.key.values.items()}
        attributes = {k: v.value for k, v in obs.attached_attribute.items()}
        for name, code in {**key, **attributes}.items():
            if name in CODES:
                assert code in CODES[name], (name, code)
        assert list(key)[:len(DIMENSIONS)] == DIMENSIONS
        assert (key["REPORTING_TYPE"], key["REF_AREA"]) == ("L", "710")
        fields = {**key, **attributes}
        found[tuple(fields.get(f, "") for f in FIELDS)] = str(obs.value)
    assert "as of" in str(message.header.source)
    return found


def export(runner: FlaskCliRunner, city: City, out: Path, fmt: str, *extra: str) -> Any:
    """Run `tracker sdmx export`."""
    return runner.invoke(sdmx_cli, ["export", "--city", city.slug, "--format", fmt,
                                    "--out", str(out), *extra])


def test_ml_message_reads_back_with_every_key_and_value(runner: FlaskCliRunner, city: City,
                                                         tmp_path: Path) -> None:
    result = export(runner, city, tmp_path / "city.xml", "ml")
    assert result.exit_code == 0, result.output
    assert read_ml((tmp_path / "city.xml").read_bytes()) == EXPECTED
    assert "Wrote 5 observations" in result.output
    assert "Left out (1): 1-2-1: Age 'teens' has no AGE code" in result.output
    assert "Left out (1): 3-2-1: no SDMX series code for series 'Deaths'" in result.output
    assert "Left out (1): 3-2-1: GeoCode E06000023 is a sub-area" in result.output


def test_csv_message_holds_the_same_observations(runner: FlaskCliRunner, city: City,
                                                 tmp_path: Path) -> None:
    assert export(runner, city, tmp_path / "city.csv", "csv").exit_code == 0
    with (tmp_path / "city.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    assert {r["DATAFLOW"] for r in rows} == {"IAEG-SDGs:DF_SDG_GLH(1.0)"}
    assert {tuple(r[f] for f in FIELDS): r["OBS_VALUE"] for r in rows} == EXPECTED
    for row in rows:
        assert all(row[d] in CODES[d] | ({"710"} if d == "REF_AREA" else set())
                   for d in DIMENSIONS)


def test_reporting_type_n(runner: FlaskCliRunner, city: City, tmp_path: Path) -> None:
    assert export(runner, city, tmp_path / "n.csv", "csv", "--reporting-type", "N"
                  ).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "n.csv").read_text("utf-8"))))
    assert {r["REPORTING_TYPE"] for r in rows} == {"N"}


def test_no_ref_area_no_export(app: Flask, db: Session, runner: FlaskCliRunner,
                               client: FlaskClient, city: City, tmp_path: Path) -> None:
    with boundary(app, db):
        city.ref_area_code = ""
        db.add(city)
    result = export(runner, city, tmp_path / "x.xml", "ml")
    assert result.exit_code != 0
    assert "Sdmxton has no SDMX reference area code (REF_AREA)" in result.output
    assert not (tmp_path / "x.xml").exists()
    response = client.get(f"/cities/{city.slug}/sdmx.xml")
    assert response.status_code == 422
    assert b"no SDMX reference area code" in response.data


@pytest.mark.parametrize(("code", "ok"), [("ZA_CPT", True), ("710", True), ("cape town", False)])
def test_ref_area_command(runner: FlaskCliRunner, db: Session, city: City, code: str,
                          ok: bool) -> None:
    result = runner.invoke(sdmx_cli, ["ref-area", "--city", city.slug, code])
    assert (result.exit_code == 0) is ok, result.output
    db.refresh(city)
    assert city.ref_area_code == (code if ok else "710")


def test_download_matches_the_cli(client: FlaskClient, city: City) -> None:
    response = client.get(f"/cities/{city.slug}/sdmx.xml")
    data = response.get_data()
    response.close()
    assert response.status_code == 200
    assert response.headers["X-Values-Left-Out"] == "3"
    assert read_ml(data) == EXPECTED


def test_unpublished_city_is_not_found(app: Flask, db: Session, client: FlaskClient,
                                       city: City) -> None:
    with boundary(app, db):
        city.is_published = False
        db.add(city)
    assert client.get(f"/cities/{city.slug}/sdmx.csv").status_code == 404


@pytest.mark.parametrize(("code", "status", "saved"), [
    ("ZA_CPT", 302, "ZA_CPT"), ("", 302, ""), ("cape town", 422, "710")])
def test_city_form_edits_the_ref_area(db: Session, client: FlaskClient, auth: Any,
                                      make_user: Callable[..., Any], city: City, code: str,
                                      status: int, saved: str) -> None:
    auth.login(make_user(Role.ADMIN))
    response = client.post(f"/cities/{city.slug}/edit",
                           data=city_form(city, ref_area_code=code))
    assert response.status_code == status
    db.refresh(city)
    assert city.ref_area_code == saved


@pytest.mark.parametrize("code", ["710", ""])
def test_city_page_links_the_exports(app: Flask, db: Session, client: FlaskClient, city: City,
                                     code: str) -> None:
    with boundary(app, db):
        city.ref_area_code = code
        db.add(city)
    page = client.get(f"/cities/{city.slug}").get_data(as_text=True)
    assert f"/cities/{city.slug}/open-sdg.zip" in page
    assert (f"/cities/{city.slug}/sdmx.xml" in page) is bool(code)
    assert (f"/cities/{city.slug}/sdmx.csv" in page) is bool(code)


def test_series_command_configures_an_indicator(runner: FlaskCliRunner, city: City,
                                                tmp_path: Path) -> None:
    result = runner.invoke(sdmx_cli, ["series", "--city", city.slug, "--indicator", "POV-1",
                                      "SH_STA_MORT"])
    assert result.exit_code == 0, result.output
    assert export(runner, city, tmp_path / "s.csv", "csv").exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text("utf-8"))))
    assert {r["SERIES"] for r in rows} == {"SH_STA_MORT"}  # both indicators now
    bad = runner.invoke(sdmx_cli, ["series", "--city", city.slug, "--indicator", "POV-1",
                                   "poverty"])
    assert bad.exit_code != 0 and "not poverty" in bad.output
    missing = runner.invoke(sdmx_cli, ["series", "--city", city.slug, "--indicator", "NOPE",
                                       "X"])
    assert missing.exit_code != 0 and "No indicator NOPE" in missing.output
