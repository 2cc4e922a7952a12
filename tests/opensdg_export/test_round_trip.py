"""Round trip: a random small Open SDG repository, imported (approved) and exported again,
gives back every (indicator, Year label, dimensions, value as written, footnote)."""

import csv
import itertools
import shutil
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from tests.opensdg_export.sdg_rules import validate_repository
from tracker.auth.models import Role
from tracker.cities.models import City
from tracker.data.period_labels import parse_period_label
from tracker.opensdg.export import DirectoryWriter, export_repository
from tracker.opensdg.importer import import_repository

LABELS = ["2015", "2016", "2016-17", "2009-2010", "2017-2019", "2024 Q2", "2023 Q1", "2020"]
IDS = ["1-2-1", "10-x-2", "11-1-1"]
DIMENSIONS = {"Series": ["Poverty rate", "Income"], "Units": ["Percentage", "Number of people"],
              "Sex": ["Female", "Male"], "GeoCode": ["E06000023"]}
FIXED = ["1.50", "0.000123", "-3", "100.0", "12"]
Row = tuple[str, str, str, str]  # Year, dimensions as "name=value;…", value text, footnote


@st.composite
def value_texts(draw: st.DrawFn) -> str:
    """A value as a source writes it, trailing zeros and tiny fractions included."""
    if draw(st.booleans()):
        return draw(st.sampled_from(FIXED))
    scale = draw(st.integers(0, 6))
    return format(Decimal(draw(st.integers(-10**7, 10**7))).scaleb(-scale), "f")


@st.composite
def indicators(draw: st.DrawFn) -> tuple[list[str], list[dict[str, str]]]:
    """One data file: its columns and rows, periods and breakdowns never repeating, a
    headline row (no disaggregation) in every file."""
    columns = [c for c in DIMENSIONS if draw(st.booleans())]
    footnotes = draw(st.booleans())
    choices = {c: (["", *DIMENSIONS[c]] if c in ("Sex", "GeoCode") else DIMENSIONS[c])
               for c in columns}
    cells = st.tuples(st.sampled_from(LABELS),
                      *(st.sampled_from(choices[c]) for c in columns))
    drawn = draw(st.lists(cells, min_size=1, max_size=8,
                          unique_by=lambda t: (parse_period_label(t[0]).key, *t[1:])))
    if "Sex" in columns and all(t[1 + columns.index("Sex")] for t in drawn):
        drawn[0] = tuple(("" if c == "Sex" else v) for c, v in zip(["Year", *columns], drawn[0],
                                                                     strict=True))
    rows = []
    for cell in dict.fromkeys(drawn):  # the headline fix-up may have made a repeat
        row = dict(zip(["Year", *columns], cell, strict=True))
        if footnotes:
            row["COMMENT_OBS"] = draw(st.sampled_from(["", "Provisional", "Revised, 2021"]))
        row["Value"] = draw(value_texts())
        rows.append(row)
    header = ["Year", *columns, *(["COMMENT_OBS"] if footnotes else []), "Value"]
    return header, rows


repositories = st.dictionaries(st.sampled_from(IDS), indicators(), min_size=1, max_size=2)


def write_repository(root: Path, files: dict[str, tuple[list[str], list[dict[str, str]]]]
                     ) -> None:
    """Write the drawn repository in the v2 layout."""
    (root / "data").mkdir(parents=True)
    (root / "indicator-config").mkdir()
    for file_id, (header, rows) in files.items():
        with (root / f"data/indicator_{file_id}.csv").open("w", newline="",
                                                         encoding="utf-8") as out:
            writer = csv.DictWriter(out, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        meta = {"indicator_name": f"Indicator {file_id}", "reporting_status": "complete",
                "published": True}
        (root / f"indicator-config/{file_id}.yml").write_text(yaml.safe_dump(meta), "utf-8")


def observations(root: Path) -> set[tuple[str, Row]]:
    """Every (indicator, row) of a repository's data files, blank dimensions left out."""
    found = set()
    for path in (root / "data").glob("indicator_*.csv"):
        file_id = path.stem.removeprefix("indicator_")
        with path.open(encoding="utf-8", newline="") as source:
            for row in csv.DictReader(source):
                dims = ";".join(f"{k}={v}" for k, v in sorted(row.items())
                                if k in DIMENSIONS and v)
                found.add((file_id, (row["Year"], dims, row["Value"],
                                     row.get("COMMENT_OBS", ""))))
    return found


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=repositories)
def test_round_trip_returns_every_value_with_its_labels(
        app: Flask, db: Session, make_city: Callable[..., City], make_user: Callable[..., Any],
        files: dict[str, Any]) -> None:
    city = make_city()
    admin = make_user(Role.ADMIN)
    work = Path(tempfile.mkdtemp())
    try:
        write_repository(work / "in", files)
        with app.app_context():
            report = import_repository(db, city, work / "in", admin, dry_run=False,
                                       approve=True)
            assert not report.errors, report.errors
            export_repository(db, city, DirectoryWriter(work / "out"))
        assert observations(work / "out") == observations(work / "in")
        assert validate_repository(work / "out") == []
    finally:
        shutil.rmtree(work)


def test_generated_labels_cover_every_period_kind() -> None:
    kinds = {parse_period_label(label).kind for label in LABELS}
    assert {k.value for k in kinds} == {"year", "split", "quarter", "range"}
    assert len(set(itertools.chain(FIXED))) == len(FIXED)
