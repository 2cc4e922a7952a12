"""sdg-build's documented rules for an Open SDG data repository, written independently of the
tracker (sdg-build is not on PyPI): the test oracle every export is checked against.

Sources: open-sdg docs (data-format.md: Year first, Value last, blank = total, headline rows;
indicator-configuration.md: required fields), sdg-build check_csv.py (headers, numeric Value,
no stray whitespace, no empty rows) and SchemaInputOpenSdg (published and reporting_status
required; data_non_statistical for complete indicators; graph_title and graph_type for charts).
"""

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = re.compile(r"^indicator_(\d+-[\da-z]+-\d+(?:-[a-z0-9]+)*)\.csv$")
NON_DISAGGREGATION = {"Year", "Units", "Series", "Value", "GeoCode", "Observation status",
                      "Unit multiplier", "Unit measure", "UNIT_MEASURE", "SERIES",
                      "COMMENT_TS", "DATA_LAST_UPDATE"}
STATUSES = {"complete", "inprogress", "notstarted", "notapplicable"}
GRAPH_TYPES = {"line", "bar", "binary"}


def _is_number(text: str) -> bool:
    """Does a cell hold a finite number?"""
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def load_config(root: Path) -> tuple[dict[str, Any], list[str]]:
    """Read config_data.yml and check what a build needs from it."""
    path = root / "config_data.yml"
    if not path.exists():
        return {}, ["config_data.yml missing"]
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = []
    if not config.get("languages"):
        errors.append("config_data.yml: no languages")
    patterns = [i.get("path_pattern") for i in config.get("inputs", [])]
    if "data/*-*.csv" not in patterns:
        errors.append("config_data.yml: no CSV data input")
    schema = root / config.get("schema_file", "_prose.yml")
    if not schema.exists() or "prose" not in yaml.safe_load(schema.read_text("utf-8")):
        errors.append(f"schema file {schema.name} missing or not a Prose.io schema")
    return config, errors


def not_disaggregations(config: dict[str, Any]) -> set[str]:
    """The columns that are not disaggregations under this configuration."""
    options = config.get("indicator_options", {})
    return (NON_DISAGGREGATION | set(options.get("non_disaggregation_columns", []))
            | set(options.get("observation_attributes", ["COMMENT_OBS", "SOURCE_DETAIL"])))


def check_header(name: str, header: list[str]) -> list[str]:
    """Year first, Value last, no stray whitespace, no repeated column."""
    errors = []
    if not header or header[0] != "Year":
        errors.append(f"{name}: first column is not Year")
    if not header or header[-1] != "Value":
        errors.append(f"{name}: last column is not Value")
    errors += [f"{name}: column {c!r} has stray whitespace" for c in header if c != c.strip()]
    if len(set(header)) != len(header):
        errors.append(f"{name}: a column repeats")
    return errors


def check_row(name: str, number: int, row: dict[str, str]) -> list[str]:
    """Year parses, Value (and Progress) numeric or blank, no stray whitespace or empty row."""
    errors = []
    if not any(row.values()):
        errors.append(f"{name} row {number}: empty row")
    if not row["Year"][:4].isdigit():
        errors.append(f"{name} row {number}: Year {row['Year']!r} does not start with a year")
    for column in ("Value", "Progress"):
        if row.get(column) and not _is_number(row[column]):
            errors.append(f"{name} row {number}: {column} {row[column]!r} is not a number")
    errors += [f"{name} row {number}: {c} has stray whitespace"
               for c, v in row.items() if v != v.strip()]
    return errors


def check_data_file(path: Path, ignored: set[str]) -> list[str]:
    """Every rule of one data file."""
    name = path.name
    if not DATA_FILE.match(name):
        return [f"{name}: not named indicator_<goal>-<target>-<indicator>.csv"]
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        header = next(reader, [])
        errors = check_header(name, header)
        if errors:
            return errors
        keys: set[tuple[str, ...]] = set()
        headline = False
        disaggregations = [c for c in header if c not in ignored and c != "Progress"]
        for number, cells in enumerate(reader, start=2):
            if len(cells) != len(header):
                errors.append(f"{name} row {number}: {len(cells)} cells, {len(header)} columns")
                continue
            row = dict(zip(header, cells, strict=True))
            errors += check_row(name, number, row)
            key = tuple(v for c, v in row.items() if c not in ("Value", "Progress"))
            if key in keys:
                errors.append(f"{name} row {number}: duplicate row")
            keys.add(key)
            headline = headline or not any(row[c] for c in disaggregations)
    if keys and not headline:
        errors.append(f"{name}: no headline row (every disaggregation blank)")
    return errors


def check_meta(path: Path) -> list[str]:
    """The indicator configuration fields sdg-build requires."""
    name = path.name
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        return [f"{name}: not a mapping"]
    errors = [f"{name}: {f} missing" for f in ("published", "reporting_status",
                                                "indicator_name") if f not in meta]
    if meta.get("reporting_status") not in STATUSES:
        errors.append(f"{name}: reporting_status {meta.get('reporting_status')!r}")
    complete = meta.get("reporting_status") == "complete"
    if complete and not isinstance(meta.get("data_non_statistical"), bool):
        errors.append(f"{name}: data_non_statistical missing")
    if complete and meta.get("published") is True and meta.get("data_non_statistical") is False:
        if not meta.get("graph_title") or meta.get("graph_type") not in GRAPH_TYPES:
            errors.append(f"{name}: graph_title or graph_type missing")
    if not isinstance(meta.get("progress_calculation_options", []), list):
        errors.append(f"{name}: progress_calculation_options is not a list")
    if not isinstance(meta.get("auto_progress_calculation", True), bool):
        errors.append(f"{name}: auto_progress_calculation is not true/false")
    return errors


def validate_repository(root: Path) -> list[str]:
    """Every rule over a whole repository; [] when sdg-build would accept it."""
    config, errors = load_config(root)
    ignored = not_disaggregations(config)
    data_files = sorted((root / "data").glob("*.csv"))
    if not data_files:
        errors.append("no data files")
    for path in data_files:
        errors += check_data_file(path, ignored)
        match = DATA_FILE.match(path.name)
        meta = root / "indicator-config" / f"{match[1]}.yml" if match else None
        if meta is not None and not meta.exists():
            errors.append(f"{path.name}: no indicator-config/{match[1] if match else ''}.yml")
        elif meta is not None:
            errors += check_meta(meta)
    return errors
