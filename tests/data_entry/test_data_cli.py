"""`tracker data import` and `tracker data export`: dry runs, refusals that exit non-zero and
save nothing, saves, and exports."""

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.data.models import Observation, ObservationChange

GOOD = "indicator,period,value,comment\nCLI-1,2022,10,first\nCLI-1,2023,12,\n"


@pytest.fixture
def cli_city(make_city, make_indicator) -> Any:  # type: ignore[no-untyped-def]
    """A city with one count indicator."""
    city = make_city(slug="cli-city")
    make_indicator(city, "CLI-1", unit_kind="count")
    return city


def counts(db: Session) -> tuple[int, int]:
    """Count observations and their history."""
    return (db.scalar(select(func.count()).select_from(Observation)) or 0,
            db.scalar(select(func.count()).select_from(ObservationChange)) or 0)


def write(tmp_path: Path, text: str | bytes, name: str = "values.csv") -> str:
    """Write an import file and return its path."""
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


@pytest.mark.usefixtures("cli_city")
def test_a_dry_run_reports_and_saves_nothing(runner: FlaskCliRunner,
                                             db: Session, tmp_path: Path) -> None:
    result = runner.invoke(args=["data", "import", write(tmp_path, GOOD), "--city", "cli-city",
                                 "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged." in result.output
    assert "Dry run: nothing saved." in result.output
    assert counts(db) == (0, 0)


@pytest.mark.usefixtures("cli_city")
def test_errors_exit_non_zero_and_save_nothing(runner: FlaskCliRunner,
                                               db: Session, tmp_path: Path) -> None:
    bad = GOOD + "CLI-1,2024,1.5,\nXX,2024,1,\n"
    result = runner.invoke(args=["data", "import", write(tmp_path, bad), "--city", "cli-city"])
    assert result.exit_code != 0
    assert "Row 4, column value: A count is a whole number" in result.output
    assert "Row 5, column indicator: XX is not an indicator code" in result.output
    assert "2 error(s); nothing saved." in result.output
    assert counts(db) == (0, 0)


@pytest.mark.usefixtures("cli_city")
def test_an_import_saves_and_commits(runner: FlaskCliRunner, db: Session,
                                     tmp_path: Path) -> None:
    result = runner.invoke(args=["data", "import", write(tmp_path, GOOD), "--city", "cli-city"])
    assert result.exit_code == 0, result.output
    assert "Checking rows" in result.output  # the progress bar
    assert counts(db) == (2, 2)
    again = runner.invoke(args=["data", "import", write(tmp_path, GOOD), "--city", "cli-city"])
    assert "0 created, 0 updated, 2 unchanged." in again.output
    assert counts(db) == (2, 2)


@pytest.mark.usefixtures("cli_city")
def test_a_huge_file_is_refused_unread(runner: FlaskCliRunner, db: Session,
                                       tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(100 * 2**20)  # a sparse 100 MB file
    result = runner.invoke(args=["data", "import", str(path), "--city", "cli-city"])
    assert result.exit_code != 0 and "larger than 5 MB" in result.output
    assert counts(db) == (0, 0)


def test_an_unknown_city_stops(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["data", "import", write(tmp_path, GOOD), "--city", "nowhere"])
    assert result.exit_code != 0 and "No city 'nowhere'" in result.output


@pytest.mark.usefixtures("cli_city")
def test_export_writes_csv_and_xlsx(runner: FlaskCliRunner,
                                    tmp_path: Path) -> None:
    runner.invoke(args=["data", "import", write(tmp_path, GOOD), "--city", "cli-city"])
    result = runner.invoke(args=["data", "export", "--city", "cli-city"])
    assert result.exit_code == 0
    lines = result.stdout_bytes.decode("utf-8-sig").splitlines()
    assert lines[0] == "indicator,period,value,missing_reason,unit,comment,source"
    assert lines[1:] == ["CLI-1,2022,10,,Count,first,", "CLI-1,2023,12,,Count,,"]
    out = tmp_path / "values.xlsx"
    result = runner.invoke(args=["data", "export", "--city", "cli-city", "--format", "xlsx",
                                 "-o", str(out)])
    assert result.exit_code == 0
    sheet = load_workbook(io.BytesIO(out.read_bytes())).worksheets[0]
    assert [c.value for c in sheet[2]][:3] == ["CLI-1", "2022", 10]


@pytest.mark.usefixtures("cli_city")
def test_the_changed_rows_are_listed_up_to_a_limit(runner: FlaskCliRunner, db: Session,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.bulk import cli

    monkeypatch.setattr(cli, "LISTED", 1)
    result = runner.invoke(args=["data", "import", write(tmp_path, GOOD), "--city", "cli-city"])
    assert result.exit_code == 0, result.output
    assert "Row 2: create CLI-1" in result.output and "Row 3:" not in result.output
    assert "… and 1 more changed rows." in result.output
    assert counts(db) == (2, 2)
