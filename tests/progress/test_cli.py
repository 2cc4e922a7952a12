"""`tracker progress series`: the CLI answers what the engine answers."""

import json
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask

from tracker import create_app
from tracker.progress.cli import progress_cli
from tracker.progress.extensions import assess

FALLING = "Year,Value\n2015,20\n2016,19\n2017,18.5\n2018,17\n2019,16\n2020,15\n"


@pytest.fixture(scope="module")
def cli_app() -> Flask:
    """An app with the progress commands; the command reads no database."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": "sqlite://"})
    app.cli.add_command(progress_cli)
    return app


def run(app: Flask, tmp_path: Path, text: str | bytes, *options: str) -> Result:
    """Write the CSV and run `tracker progress series` on it."""
    path = tmp_path / "series.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return app.test_cli_runner().invoke(args=["progress", "series", str(path), *options])


def test_status_and_score(cli_app: Flask, tmp_path: Path) -> None:
    result = run(cli_app, tmp_path, FALLING, "--direction", "lower", "--target", "10")
    engine = assess([(2015, 20), (2016, 19), (2017, 18.5), (2018, 17), (2019, 16),
                     (2020, 15)], direction="lower", targets=[(2030, 10)])
    assert result.exit_code == 0, result.output
    assert result.output == (f"status: {engine.status}\nscore: {engine.score:.4f}\n"
                             "method: cagr\n")
    assert engine.status == "substantial_progress"


def test_json_has_the_intermediates(cli_app: Flask, tmp_path: Path) -> None:
    text = "\ufeffYear;Value\n2015;95\n2017;\n2020;97\n"  # BOM, semicolons, a blank value
    result = run(cli_app, tmp_path, text, "--direction", "higher", "--limit", "100", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    engine = assess([(2015, 95), (2020, 97)], direction="higher", limit=100)
    assert data == json.loads(json.dumps(engine.as_dict()))
    assert (data["status"], data["score"], data["method"]) == ("substantial_progress", 5.0, "cagr")
    assert data["thresholds"]["coefficient"] == pytest.approx(1 - 0.95 ** 4.44)
    for key in ("base_year", "base_value", "latest_year", "latest_value", "target",
                "target_year", "actual_growth", "required_growth", "ratio", "reason"):
        assert key in data


def test_options_reach_the_engine(cli_app: Flask, tmp_path: Path) -> None:
    text = "Year,Value\n2014,5\n2017,3\n2019-20,10\n"
    result = run(cli_app, tmp_path, text, "--direction", "lower", "--base-year", "2016",
                 "--target", "5", "--target-year", "2035", "--json")
    data = json.loads(result.output)
    assert (data["base_year"], data["latest_year"], data["target_year"]) == (2017, 2019, 2035)
    assert data["status"] == "deterioration"


def test_open_sdg_flag_turns_off_the_linear_fallback(cli_app: Flask, tmp_path: Path) -> None:
    text = "Year,Value\n2015,0\n2020,5\n"
    tracker = json.loads(run(cli_app, tmp_path, text, "--direction", "higher", "--json").output)
    reference = json.loads(run(cli_app, tmp_path, text, "--direction", "higher", "--open-sdg",
                               "--json").output)
    assert (tracker["method"], reference["method"]) == ("linear", "cagr")
    assert reference["base_value"] == 0.001


def test_not_available_gives_the_reason(cli_app: Flask, tmp_path: Path) -> None:
    result = run(cli_app, tmp_path, "Year,Value\n2010,20\n2012,18\n", "--direction", "lower")
    assert result.exit_code == 0
    assert result.output == "status: not_available\nscore: none\nreason: no data from 2015 on\n"


@pytest.mark.parametrize(("text", "message"), [
    ("Year,Value\n2015,20\n2016,abc\n", "Row 3: the value 'abc' is not a number"),
    ("Year,Value\n2015,20\n2016,\"1,5\"\n", "Row 3: the value '1,5' is not a number"),
    ("Year,Value\n2015,20\nlast year,19\n", "Row 3: 'last year' is not a year"),
    ("Year,Value\n2015,20\n2016,19\n2015,18\n", "Row 4: a second value for 2015 (first in row 2)"),
    ("Date,Amount\n2015,20\n", "Row 1: the header needs the columns Year and Value"),
    ("", "The file is empty"),
])
def test_bad_rows_are_named(cli_app: Flask, tmp_path: Path, text: str, message: str) -> None:
    result = run(cli_app, tmp_path, text, "--direction", "lower")
    assert result.exit_code != 0
    assert message in result.output


def test_bad_options(cli_app: Flask, tmp_path: Path) -> None:
    assert run(cli_app, tmp_path, FALLING, "--direction", "up").exit_code == 2
    assert run(cli_app, tmp_path, FALLING).exit_code == 2
    bad = run(cli_app, tmp_path, FALLING, "--direction", "lower", "--target", "ten")
    assert bad.exit_code == 2 and "'ten' is not a number" in bad.output


def test_not_utf8_is_refused(cli_app: Flask, tmp_path: Path) -> None:
    result = run(cli_app, tmp_path, "Year,Value\n2015,\xe9\n".encode("latin-1"),
                 "--direction", "lower")
    assert result.exit_code == 1 and "UTF-8" in result.output
