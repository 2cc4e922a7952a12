"""The oracle itself: a hand-written valid repository passes, and each broken rule is caught."""

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.opensdg_export.sdg_rules import validate_repository

GOOD_CSV = "Year,Series,Sex,COMMENT_OBS,Value\n2015,Rate,,note,1.50\n2015-16,Rate,Female,,2\n"
GOOD_META = {"published": True, "reporting_status": "complete", "indicator_name": "X",
             "data_non_statistical": False, "graph_type": "line", "graph_title": "X",
             "progress_calculation_options": [], "auto_progress_calculation": True}
CONFIG = {"languages": ["en"], "schema_file": "schema.yml",
          "inputs": [{"class": "InputCsvData", "path_pattern": "data/*-*.csv"}]}


def build(root: Path, csv_text: str = GOOD_CSV, meta: dict | None = None,
          name: str = "indicator_1-2-1.csv") -> Path:
    """Write a one-indicator repository."""
    (root / "data").mkdir(parents=True)
    (root / "indicator-config").mkdir()
    (root / "data" / name).write_text(csv_text, encoding="utf-8")
    (root / "indicator-config/1-2-1.yml").write_text(yaml.safe_dump(meta or GOOD_META), "utf-8")
    (root / "config_data.yml").write_text(yaml.safe_dump(CONFIG), "utf-8")
    (root / "schema.yml").write_text(yaml.safe_dump({"prose": {"metadata": {"meta": []}}}),
                                     "utf-8")
    return root


def test_a_valid_repository_passes(tmp_path: Path) -> None:
    assert validate_repository(build(tmp_path)) == []


BROKEN: dict[str, Callable[[Path], Path]] = {
    "not named by SDG id": lambda p: build(p, name="indicator_poverty.csv"),
    "first column is not Year": lambda p: build(p, "Sex,Year,Value\n,2015,1\n"),
    "BOM before Year": lambda p: build(p, "\ufeffYear,Value\n2015,1\n"),
    "last column is not Value": lambda p: build(p, "Year,Value,Sex\n2015,1,\n"),
    "Year does not start with a year": lambda p: build(p, "Year,Value\nFY15,1\n"),
    "Value is not a number": lambda p: build(p, "Year,Value\n2015,n/a\n"),
    "stray whitespace": lambda p: build(p, "Year,Sex,Value\n2015, Female,1\n2015,,1\n"),
    "duplicate row": lambda p: build(p, "Year,Value\n2015,1\n2015,2\n"),
    "no headline row": lambda p: build(p, "Year,Sex,Value\n2015,Female,1\n"),
    "empty row": lambda p: build(p, "Year,Sex,Value\n2015,,1\n,,\n"),
    "reporting_status missing": lambda p: build(p, meta={k: v for k, v in GOOD_META.items()
                                                         if k != "reporting_status"}),
    "graph_type missing": lambda p: build(p, meta={**GOOD_META, "graph_type": ""}),
    "progress options not a list": lambda p: build(
        p, meta={**GOOD_META, "progress_calculation_options": "yes"}),
}


@pytest.mark.parametrize("case", BROKEN)
def test_each_broken_rule_is_caught(tmp_path: Path, case: str) -> None:
    assert validate_repository(BROKEN[case](tmp_path)) != []


def test_a_missing_configuration_file_is_caught(tmp_path: Path) -> None:
    root = build(tmp_path)
    (root / "indicator-config/1-2-1.yml").unlink()
    assert any("no indicator-config" in e for e in validate_repository(root))
