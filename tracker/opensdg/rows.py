"""Read one Open SDG data file into cells: every row taken, or not taken with the reason.

Columns: `Year` and `Value` (required), `Progress`, observation attributes (declared in
config_data.yml or known by name: COMMENT_OBS, footnotes, …) and every other column a
dimension (`Series`, `Units`, `GeoCode` and any disaggregation, whatever its name). A blank
dimension cell is the total. A row without a value is kept (as a value not available) only
when it carries an attribute, such as a footnote saying why; otherwise it is not taken.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from tracker.data.models import PeriodKind, breakdown_key
from tracker.data.period_labels import PeriodRef, parse_period_label
from tracker.opensdg.mapping import exact_decimal, is_attribute, normalised
from tracker.opensdg.reader import Problem, data_rows
from tracker.opensdg.source import Source
from tracker.opensdg.store import Cell

MAX_KEY, MAX_NAME, MAX_LABEL = 500, 60, 40
MAX_COLUMNS = 200  # Open SDG files have a handful; a wider header is no data file
SPECIAL = {"year", "value", "progress"}
NO_ATTRIBUTES: dict[str, str] = {}
DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?$|^\d{1,2}/\d{1,2}/\d{4}$")


@dataclass
class Columns:
    """Where each kind of column sits in a data file's header."""

    header: list[str]
    year: int
    value: int
    progress: int | None
    dimensions: list[tuple[int, str]]
    attributes: list[tuple[int, str]]

    def named(self, kind: str) -> str | None:
        """Return the header's spelling of Units or Series, if present."""
        return next((name for _i, name in self.dimensions if normalised(name) == kind), None)


@dataclass
class DataFile:
    """A data file's taken cells, what was not taken, and what its dimensions hold."""

    name: str
    columns: Columns | None = None
    cells: list[Cell] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    values: dict[str, dict[str, None]] = field(default_factory=dict)  # ordered value sets

    def refuse(self, row: int, column: str, message: str) -> None:
        """Note a row (or, with row 0, the whole file) not taken."""
        self.problems.append(Problem(self.name, row, column, message))


def classify(header: list[str], declared: set[str]) -> Columns | str:
    """Sort a header's columns into kinds, or say why the file cannot be read."""
    if len(header) > MAX_COLUMNS:
        return str(_("The file has more than %(num)d columns.", num=MAX_COLUMNS))
    names = [name.strip() for name in header]
    folded = [normalised(name) for name in names]
    for required in ("year", "value"):
        if required not in folded:
            return str(_("The file has no %(column)s column.", column=required.capitalize()))
    times = Counter(folded)
    repeated = sorted({n for n, f in zip(names, folded, strict=True) if n and times[f] > 1})
    if repeated:
        return str(_("The column %(name)s appears twice.", name=repeated[0]))
    long = [n for n in names if len(n) > MAX_NAME]
    if long:
        return str(_("The column name %(name)s… is longer than %(num)d characters.",
                     name=long[0][:30], num=MAX_NAME))
    dimensions: list[tuple[int, str]] = []
    attributes: list[tuple[int, str]] = []
    for index, name in enumerate(names):
        if not name or folded[index] in SPECIAL:
            continue
        (attributes if is_attribute(name, declared) else dimensions).append((index, name))
    progress = folded.index("progress") if "progress" in folded else None
    return Columns(names, folded.index("year"), folded.index("value"), progress,
                   dimensions, attributes)


def read_data_file(source: Source, name: str, declared: set[str]) -> DataFile:
    """Read a data file row by row (streamed); the header is row 1. A file that is not
    UTF-8 CSV text is not taken at all (none of its rows), with the reason."""
    data = DataFile(name)
    try:
        read_rows(source, data, declared)
    except (UnicodeDecodeError, csv.Error) as error:
        data.cells, data.values, data.problems = [], {}, []
        reason = _("The file is not UTF-8 text; save it as UTF-8 CSV.") \
            if isinstance(error, UnicodeDecodeError) else str(error)
        data.refuse(0, "", _("Not read: %(reason)s", reason=reason))
    return data


def read_rows(source: Source, data: DataFile, declared: set[str]) -> None:
    """Take a data file's rows into `data`."""
    periods: dict[str, PeriodRef | str] = {}
    seen: dict[tuple[int, int, int, str], int] = {}
    breakdowns: dict[tuple[str, ...], tuple[str, dict[str, str]]] = {}
    for number, row in data_rows(source, data.name):
        if number == 1:
            columns = classify(row, declared)
            if isinstance(columns, str):
                data.refuse(1, "", columns)
                return
            data.columns = columns
            data.values = {n: {} for _i, n in columns.dimensions}
            continue
        data.rows += 1
        assert data.columns is not None
        cell = read_row(data, data.columns, number, row, periods, breakdowns)
        if cell is None:
            continue
        if (first := seen.setdefault(cell.cell, number)) != number:
            data.refuse(number, "", _("The same period and breakdown as row %(row)d; "
                                      "row %(row)d was taken.", row=first))
            continue
        remember_values(data, cell)
        data.cells.append(cell)
    if data.columns is None:
        data.refuse(0, "", _("The file is empty."))


def remember_values(data: DataFile, cell: Cell) -> None:
    """Add a taken cell's dimension values to their ordered sets."""
    for name, value in cell.breakdown.items():
        data.values[name].setdefault(value, None)


def read_row(data: DataFile, columns: Columns, number: int, row: list[str],
             periods: dict[str, PeriodRef | str],
             breakdowns: dict[tuple[str, ...], tuple[str, dict[str, str]]]) -> Cell | None:
    """Return a row's cell, or None after noting why the row is not taken."""
    if not any(text.strip() for text in row):
        data.refuse(number, "", _("An empty row."))
        return None
    if any(text.strip() for text in row[len(columns.header):]):
        data.refuse(number, "", _("A value beyond the last named column."))
        return None
    cells = row + [""] * (len(columns.header) - len(row))
    period = period_of(cells[columns.year], periods)
    if isinstance(period, str):
        data.refuse(number, columns.header[columns.year], period)
        return None
    attributes = {name: cells[i] for i, name in columns.attributes if cells[i].strip()} \
        or NO_ATTRIBUTES
    numbers = read_numbers(data, columns, number, cells, bool(attributes))
    if numbers is None:
        return None
    found = breakdown_of(columns, cells, breakdowns)
    if len(found[0]) > MAX_KEY:
        data.refuse(number, "", _("The breakdown is longer than %(num)d characters.",
                                  num=MAX_KEY))
        return None
    value, progress = numbers
    return Cell(number, period.year, period.quarter, period.span_years, found[0], found[1],
                period.label, period.kind, value, cells[columns.value].strip(), progress,
                attributes)


def period_of(text: str, periods: dict[str, PeriodRef | str]) -> PeriodRef | str:
    """Return a Year cell's period, or why it is none (each label parsed once per file)."""
    if text not in periods:
        try:
            ref = parse_period_label(text)
            periods[text] = ref if len(ref.label) <= MAX_LABEL else _(
                "The period label is longer than %(num)d characters.", num=MAX_LABEL)
        except ValueError as error:
            periods[text] = period_error(text, error)
    return periods[text]


def period_error(text: str, error: ValueError) -> str:
    """Say why a Year cell is no period the tracker keeps."""
    if not text.strip():
        return str(_("The Year is blank."))
    if DATE_RE.match(text.strip()):
        return str(_("'%(text)s' is a date: the tracker keeps years, split years, ranges of "
                     "years and quarters, not days.", text=text.strip()))
    return str(error)


def read_numbers(data: DataFile, columns: Columns, number: int, cells: list[str],
                 has_attributes: bool) -> tuple[Decimal | None, Decimal | None] | None:
    """Return a row's value and Progress, or None after noting why the row is not taken."""
    text = cells[columns.value]
    value_name = columns.header[columns.value]
    if not text.strip() and not has_attributes:
        data.refuse(number, value_name, _("No value, and no footnote or other attribute "
                                          "to keep: Open SDG shows nothing for this row."))
        return None
    progress = None
    try:
        value = exact_decimal(text) if text.strip() else None
    except ValueError as error:
        data.refuse(number, value_name, str(error))
        return None
    if columns.progress is not None and cells[columns.progress].strip():
        try:
            progress = exact_decimal(cells[columns.progress])
        except ValueError as error:
            data.refuse(number, columns.header[columns.progress], str(error))
            return None
    return value, progress


def breakdown_of(columns: Columns, cells: list[str],
                 cache: dict[tuple[str, ...], tuple[str, dict[str, str]]]
                 ) -> tuple[str, dict[str, str]]:
    """Return a row's breakdown key and dimension values (blank cells are totals), shared
    between rows of the same breakdown."""
    values = tuple(cells[i] for i, _name in columns.dimensions)
    if values not in cache:
        breakdown = {name: cells[i] for i, name in columns.dimensions if cells[i].strip()}
        cache[values] = breakdown_key(breakdown), breakdown
    return cache[values]


def split_years_only(cells: list[Cell]) -> bool:
    """Are all of a file's periods split years ("2015-16"): a fiscal calendar?"""
    return bool(cells) and all(c.kind == PeriodKind.SPLIT_YEAR for c in cells)
