"""Write a city's approved values as a complete Open SDG data repository: one
`data/indicator_<id>.csv` and `indicator-config/<id>.yml` per indicator, `config_data.yml`
and the metadata schema sdg-build validates against. Files are written one row at a time
to a folder or a zip archive."""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TextIO

import yaml
from flask_babel import gettext as _
from sqlalchemy import String, cast
from sqlmodel import Session, col, select

from tracker.bulk.cells import format_decimal
from tracker.cities.models import City
from tracker.data.models import Observation
from tracker.indicators.models import LocalIndicator
from tracker.indicators.presenters import unit_text
from tracker.opensdg.export_rows import (
    Cell,
    ExportIndicator,
    approved_cells,
    approved_only,
    breakdown_row,
    cell_period,
    dimension_columns,
    export_indicators,
    indicator_fiscal,
    source_value,
    special_name,
)
from tracker.opensdg.export_schema import (
    GRAPH_TYPES,
    METADATA_SCHEMA,
    REPORTING_STATUSES,
    repository_config,
)
from tracker.timeutil import utcnow


class RepositoryWriter(Protocol):
    """Where an export writes its files (a folder, a zip archive)."""

    def text(self, name: str) -> AbstractContextManager[TextIO]:
        """Open a UTF-8 text file of the repository for writing."""
        ...


@dataclass
class DirectoryWriter:
    """Write the repository's files under a folder."""

    root: Path

    @contextmanager
    def text(self, name: str) -> Iterator[TextIO]:
        """Open a file under the folder, creating its parent folders."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as out:
            yield out


@dataclass
class ZipWriter:
    """Write the repository's files into a zip archive, each compressed as it is written."""

    archive: zipfile.ZipFile

    @contextmanager
    def text(self, name: str) -> Iterator[TextIO]:
        """Open a member of the archive."""
        with self.archive.open(name, "w", force_zip64=True) as raw, \
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as out:
            yield out


@dataclass
class ExportSummary:
    """What an export wrote: when, how many files and rows, and what it left out and why."""

    as_of: datetime
    files: int = 0
    rows: int = 0
    left_out: list[str] = field(default_factory=list)
    attributes: set[str] = field(default_factory=set)

    @property
    def stamp(self) -> str:
        """The moment the values were read, in UTC."""
        return f"{self.as_of:%Y-%m-%dT%H:%M:%SZ}"


def approval_note(city: City, summary: ExportSummary) -> str:
    """The note every export carries: whose values, approved as of when."""
    return str(_("Approved values of %(city)s as of %(time)s, exported by the SDG localisation "
             "tracker; drafts and values under review are not included.",
             city=city.name, time=summary.stamp))


@dataclass
class Layout:
    """The columns of one indicator's data file and how a cell fills them."""

    fiscal: bool
    # (column, dimension name) for Series, Units, disaggregations and GeoCode in file order;
    # no dimension name: the column holds `units_text` (a tracker-native unit) in every row.
    dimensions: list[tuple[str, str | None]]
    attributes: list[str]
    units_text: str
    progress: bool

    @property
    def header(self) -> list[str]:
        """Year first, Value last, as sdg-build requires."""
        return ["Year", *(column for column, _name in self.dimensions), *self.attributes,
                *(["Progress"] if self.progress else []), "Value"]

    def row(self, cell: Cell) -> list[str]:
        """One cell as a data row, in header order."""
        named = breakdown_row(cell.breakdown, [name or "" for _c, name in self.dimensions])
        dimensions = [value if name else self.units_text
                      for value, (_column, name) in zip(named, self.dimensions, strict=True)]
        progress = [format_decimal(cell.progress_value)] if self.progress else []
        return [cell_period(cell, self.fiscal), *dimensions,
                *(cell.attributes.get(a, "") for a in self.attributes), *progress,
                source_value(cell)]


def file_dimensions(indicator: LocalIndicator) -> list[tuple[str, str | None]]:
    """The dimension columns in Open SDG's order: Series, Units, disaggregations, GeoCode;
    a tracker-native indicator (not from Open SDG, no Units dimension) gets a Units column."""
    special, disaggregations = dimension_columns(indicator)
    by_column: dict[str, str | None] = {special_name(n): n for n in special}
    if not indicator.opensdg_id and "Units" not in by_column:
        by_column["Units"] = None
    leading = [(c, by_column[c]) for c in ("Series", "Units") if c in by_column]
    geo = [("GeoCode", by_column["GeoCode"])] if "GeoCode" in by_column else []
    return [*leading, *((n, n) for n in disaggregations), *geo]


def scan_extras(session: Session, indicator_id: int) -> tuple[set[str], bool]:
    """The attribute names the indicator's approved cells carry and whether any has a
    Progress value: the header needs them before the rows (two light queries)."""
    texts = session.execute(select(cast(col(Observation.attributes), String)).distinct()
                            .where(*approved_only(indicator_id))).scalars()
    names: set[str] = set()
    for text in texts:
        names.update(json.loads(text) if text else {})
    progress = session.execute(select(col(Observation.id)).where(
        *approved_only(indicator_id), col(Observation.progress_value).is_not(None)).limit(1)
    ).first() is not None
    return names, progress


def plan_layout(session: Session, city: City, item: ExportIndicator) -> Layout:
    """Lay out an indicator's data file from its dimensions and its cells' extras."""
    indicator = item.indicator
    assert indicator.id is not None
    attributes, progress = scan_extras(session, indicator.id)
    return Layout(indicator_fiscal(city, indicator), file_dimensions(indicator),
                  sorted(attributes), unit_text(indicator), progress)


def write_yaml(data: Any, out: TextIO) -> None:
    """Write YAML as written by hand (keys in order, text as it is) with libyaml when the
    install has it: the pure-Python dumper took most of a big repository's export."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    yaml.dump(data, out, Dumper=dumper, allow_unicode=True, sort_keys=False)


def yes_no(value: Any, default: bool) -> bool:
    """A yes/no field as the schema types it (true/false), from the Y/N, yes/no or blank
    that v1 repositories write."""
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in ("y", "yes", "true", "1"):
        return True
    return False if text in ("n", "no", "false", "0") else default


def indicator_meta(city: City, item: ExportIndicator, rows: int) -> dict[str, Any]:
    """The indicator's configuration: its source metadata plus the tracker's own fields,
    with the fields sdg-build requires filled in where the source had none."""
    indicator = item.indicator
    meta: dict[str, Any] = dict(indicator.source_meta)
    meta["indicator_name"] = indicator.name
    meta.setdefault("indicator_number", item.file_id.replace("-", "."))
    meta["published"] = yes_no(meta.get("published"), default=True)
    meta["data_non_statistical"] = yes_no(meta.get("data_non_statistical"), default=False)
    if meta.get("reporting_status") not in REPORTING_STATUSES:
        meta["reporting_status"] = "complete" if rows else "notstarted"
    if meta.get("graph_type") not in GRAPH_TYPES:
        meta["graph_type"] = "line"
    meta["graph_title"] = meta.get("graph_title") or indicator.name
    meta.setdefault("national_geographical_coverage", city.name)
    meta["auto_progress_calculation"] = indicator.auto_progress
    meta["progress_calculation_options"] = list(indicator.progress_options)
    if not indicator.auto_progress and indicator.manual_progress_status:
        meta["progress_status"] = indicator.manual_progress_status
    return meta


def write_indicator(session: Session, city: City, item: ExportIndicator,
                    writer: RepositoryWriter, summary: ExportSummary) -> None:
    """Write one indicator's data file, row by row, then its configuration."""
    layout = plan_layout(session, city, item)
    rows = 0
    with writer.text(f"data/indicator_{item.file_id}.csv") as out:
        sheet = csv.writer(out, lineterminator="\n")
        sheet.writerow(layout.header)
        for cell in approved_cells(session, item.indicator):
            sheet.writerow(layout.row(cell))
            rows += 1
    with writer.text(f"indicator-config/{item.file_id}.yml") as out:
        out.write(f"# {approval_note(city, summary)}\n")
        write_yaml(indicator_meta(city, item, rows), out)
    summary.files += 2
    summary.rows += rows
    summary.attributes.update(layout.attributes)


def export_repository(session: Session, city: City, writer: RepositoryWriter
                      ) -> ExportSummary:
    """Write the city's approved values as an Open SDG data repository."""
    summary = ExportSummary(utcnow())
    items, summary.left_out = export_indicators(session, city)
    for item in items:
        write_indicator(session, city, item, writer, summary)
    note = approval_note(city, summary)
    with writer.text("config_data.yml") as out:
        out.write(f"# {note}\n")
        write_yaml(repository_config(city.name, note, sorted(summary.attributes)), out)
    with writer.text("metadata_schema.yml") as out:
        out.write(f"# {note}\n")
        write_yaml(METADATA_SCHEMA, out)
    with writer.text("README.md") as out:
        out.write(f"# {city.name}\n\n{note}\n")
    summary.files += 3
    return summary


def export_zip(session: Session, city: City, target: Any) -> ExportSummary:
    """Write the repository as a zip archive into a binary file object."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        return export_repository(session, city, ZipWriter(archive))
