"""Open SDG export: the files a city's approved values become, checked against hand-written
expectations and sdg-build's documented rules; the CLI and the zip download."""

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.opensdg_export.sdg_rules import validate_repository
from tests.opensdg_export.support import add_cell, add_plain_cell, align
from tracker.auth.models import Role
from tracker.cities.models import City
from tracker.data.models import ObservationStatus
from tracker.opensdg.export import DirectoryWriter, export_repository
from tracker.opensdg.export_cli import export_command

DRAFT, SUBMITTED = ObservationStatus.DRAFT, ObservationStatus.SUBMITTED
SERIES = {"Series": "Poverty rate", "Units": "Percentage"}


@pytest.fixture
def city(app: Flask, db: Session, make_city: Callable[..., City],
         make_indicator: Callable[..., Any]) -> City:
    """A city with a native indicator, an imported one, one without an id and one whose
    code is its id; approved, draft and submitted values."""
    city = make_city(name="Exportville")
    native = make_indicator(city, "POV-1", dimensions=[{"name": "Sex",
                                                        "values": ["female", "male"]}])
    imported = make_indicator(city, "REDUCE-X", unit_kind="other", unit_label="people",
                              dimensions=[{"name": n, "values": ["x"]}
                                          for n in ("Age", "GeoCode", "Series", "Units")])
    local = make_indicator(city, "LOCAL-1")
    shaped = make_indicator(city, "11.1.1")
    with boundary(app, db):
        align(db, native, "1.2.1")
        add_plain_cell(db, native, 2020, "12.5")
        add_cell(db, native, "2021", "12.50")
        add_cell(db, native, "2021", "13", {"Sex": "female"})
        add_cell(db, native, "2022", "11", status=DRAFT)
        add_cell(db, native, "2019", "9", {"Sex": "male"}, status=SUBMITTED)
        imported.opensdg_id = "10-x-2"
        imported.source_meta = {"SDG_GOAL": "Goal 10", "reporting_status": "inprogress",
                                "data_non_statistical": "N", "graph_type": ""}
        imported.progress_options = [{"series": "Poverty rate", "direction": "negative"}]
        imported.auto_progress = False
        imported.manual_progress_status = "moderate_progress"
        db.add(imported)
        add_cell(db, imported, "2009-2010", "0.000123", SERIES,
                 attributes={"COMMENT_OBS": "Provisional"}, progress_value=Decimal("0.5"))
        add_cell(db, imported, "2015", None, SERIES)
        add_cell(db, imported, "2017-2019", "1.50", {**SERIES, "Age": "15-24"})
        add_cell(db, imported, "2024 Q2", "-3", {**SERIES, "GeoCode": "E06000023"})
        add_cell(db, local, "2020", "1")
        add_cell(db, shaped, "2020", "40.0")
    return city


EXPECTED = {
    "data/indicator_1-2-1.csv": "Year,Units,Sex,Value\n2020,%,,12.5\n2021,%,,12.50\n"
                                "2021,%,female,13\n",
    "data/indicator_10-x-2.csv": "Year,Series,Units,Age,GeoCode,COMMENT_OBS,Progress,Value\n"
                                 "2009-2010,Poverty rate,Percentage,,,Provisional,0.5,0.000123\n"
                                 "2015,Poverty rate,Percentage,,,,,\n"
                                 "2017-2019,Poverty rate,Percentage,15-24,,,,1.50\n"
                                 "2024 Q2,Poverty rate,Percentage,,E06000023,,,-3\n",
    "data/indicator_11-1-1.csv": "Year,Units,Value\n2020,%,40.0\n",
}


def export_to(app: Flask, db: Session, city: City, root: Path) -> Any:
    """Export the city into a folder."""
    with app.app_context():
        return export_repository(db, city, DirectoryWriter(root))


def test_data_files_hold_approved_values_as_written(app: Flask, db: Session, city: City,
                                                    tmp_path: Path) -> None:
    summary = export_to(app, db, city, tmp_path)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob("data/*")) == \
        sorted(EXPECTED)
    for name, text in EXPECTED.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text, name
    assert summary.rows == 8
    assert summary.left_out == ["LOCAL-1: no Open SDG id (no SDG alignment, no code like "
                                "11.1.1)"]
    assert validate_repository(tmp_path) == []


def test_indicator_config_carries_source_meta_and_progress(app: Flask, db: Session,
                                                          city: City, tmp_path: Path) -> None:
    summary = export_to(app, db, city, tmp_path)
    text = (tmp_path / "indicator-config/10-x-2.yml").read_text(encoding="utf-8")
    assert text.startswith(f"# Approved values of Exportville as of {summary.stamp}")
    meta = yaml.safe_load(text)
    assert meta["SDG_GOAL"] == "Goal 10"
    assert meta["reporting_status"] == "inprogress"  # the source's, not a default
    assert meta["indicator_name"] == "Indicator REDUCE-X"
    assert meta["indicator_number"] == "10.x.2"
    assert meta["progress_calculation_options"] == [{"series": "Poverty rate",
                                                     "direction": "negative"}]
    assert meta["auto_progress_calculation"] is False
    assert (meta["data_non_statistical"], meta["graph_type"]) == (False, "line")  # v1 "N", ""
    assert meta["progress_status"] == "moderate_progress"
    native = yaml.safe_load((tmp_path / "indicator-config/1-2-1.yml").read_text("utf-8"))
    assert (native["reporting_status"], native["auto_progress_calculation"]) == ("complete", True)


def test_config_says_as_of_and_lists_attribute_columns(app: Flask, db: Session, city: City,
                                                      tmp_path: Path) -> None:
    summary = export_to(app, db, city, tmp_path)
    for name in ("config_data.yml", "metadata_schema.yml", "README.md"):
        assert f"as of {summary.stamp}" in (tmp_path / name).read_text("utf-8"), name
    config = yaml.safe_load((tmp_path / "config_data.yml").read_text("utf-8"))
    assert "COMMENT_OBS" in config["indicator_options"]["observation_attributes"]
    assert "Progress" in config["indicator_options"]["non_disaggregation_columns"]


@pytest.mark.parametrize(("start_month", "calendar", "expected"), [
    (7, None, "2023-24"),          # the city's fiscal year, derived
    (7, "calendar", "2023"),       # the indicator's own calendar wins
    (1, None, "2023"),
])
def test_unlabelled_years_follow_the_indicator_calendar(
        app: Flask, db: Session, make_city: Callable[..., City],
        make_indicator: Callable[..., Any], tmp_path: Path, start_month: int,
        calendar: str | None, expected: str) -> None:
    city = make_city(fiscal_year_start_month=start_month)
    indicator = make_indicator(city, "1.1.1")
    with boundary(app, db):
        indicator.calendar = calendar
        db.add(indicator)
        add_plain_cell(db, indicator, 2023, "5")
        add_cell(db, indicator, "2015", "4")  # a label as written is never relabelled
    export_to(app, db, city, tmp_path)
    rows = (tmp_path / "data/indicator_1-1-1.csv").read_text("utf-8").splitlines()
    assert rows[1:] == ["2015,%,4", f"{expected},%,5"]


def test_two_indicators_with_one_id_keep_the_first(app: Flask, db: Session, city: City,
                                                   make_indicator: Callable[..., Any],
                                                   tmp_path: Path) -> None:
    other = make_indicator(city, "POV-2")
    with boundary(app, db):
        align(db, other, "1.2.1")
        add_cell(db, other, "2020", "99")
    summary = export_to(app, db, city, tmp_path)
    assert "POV-2: Open SDG id 1-2-1 is already POV-1's" in summary.left_out
    assert "99" not in (tmp_path / "data/indicator_1-2-1.csv").read_text("utf-8")


def test_cli_writes_the_repository(runner: FlaskCliRunner, city: City, tmp_path: Path) -> None:
    out = tmp_path / "repo"
    result = runner.invoke(export_command, ["--city", city.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 9 files with 8 approved values" in result.output
    assert "Left out: LOCAL-1" in result.output
    assert validate_repository(out) == []
    again = runner.invoke(export_command, ["--city", city.slug, "--out", str(out)])
    assert again.exit_code != 0 and "is not empty" in again.output
    missing = runner.invoke(export_command, ["--city", "nowhere", "--out", str(tmp_path / "x")])
    assert missing.exit_code != 0 and "No city 'nowhere'" in missing.output


def fetch(client: FlaskClient, url: str) -> Any:
    """GET a download and close the response (a server closes it after sending: the
    archive's temporary file goes with it)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def unzip(data: bytes, root: Path) -> Path:
    """Extract a downloaded archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(root)
    return root


def test_anonymous_visitor_downloads_a_published_city(client: FlaskClient, city: City,
                                                      tmp_path: Path) -> None:
    response = fetch(client, f"/cities/{city.slug}/open-sdg.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    root = unzip(response.data, tmp_path)
    assert validate_repository(root) == []
    for name, text in EXPECTED.items():
        assert (root / name).read_text(encoding="utf-8") == text
    stamp = response.headers["X-Approved-As-Of"]
    assert f"as of {stamp}" in (root / "config_data.yml").read_text("utf-8")


@pytest.mark.parametrize(("who", "status"), [
    (None, 404), ("other_officer", 404), ("officer", 200), ("admin", 200)])
def test_unpublished_city_only_for_its_readers(
        app: Flask, db: Session, client: FlaskClient, auth: Auth, city: City,
        make_city: Callable[..., City], make_user: Callable[..., Any], who: str | None,
        status: int) -> None:
    with boundary(app, db):
        city.is_published = False
        db.add(city)
    users = {"officer": lambda: make_user(Role.OFFICER, city=city),
             "other_officer": lambda: make_user(Role.OFFICER, city=make_city()),
             "admin": lambda: make_user(Role.ADMIN)}
    if who is not None:
        auth.login(users[who]())
    assert fetch(client, f"/cities/{city.slug}/open-sdg.zip").status_code == status


def test_letter_targets_give_their_ids(app: Flask, db: Session, make_city: Callable[..., City],
                                       make_indicator: Callable[..., Any],
                                       tmp_path: Path) -> None:
    city = make_city()
    indicator = make_indicator(city, "FIN-1")
    with boundary(app, db):
        align(db, indicator, "1.a.1")
        add_cell(db, indicator, "2020", "3")
    export_to(app, db, city, tmp_path)
    assert (tmp_path / "data/indicator_1-a-1.csv").exists()
    assert validate_repository(tmp_path) == []
