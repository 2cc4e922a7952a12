"""Read a tidy observation sheet (one row per value) from CSV or XLSX bytes.

The bulk set-up sheets stop at 5 000 rows; a city's values run to 100 000 and more, so this
reader keeps the bulk size limit (MAX_BYTES) and the bulk cell helpers (BOM, escaping, zip
bomb check) but allows more rows. CSV cells keep their raw text too, so that a cell a
spreadsheet would run as a formula can be reported rather than silently imported.
"""

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tracker.bulk.formats import (
    ESCAPE,
    MAX_BYTES,
    ZIP_MAGIC,
    BulkFileError,
    cell_text,
    check_unzipped_size,
    unescape,
    unreadable,
)
from tracker.bulk.report import RowError

MAX_ROWS = 250_000
INDICATOR, PERIOD, VALUE, REASON = "indicator", "period", "value", "missing_reason"
UNIT, COMMENT, SOURCE = "unit", "comment", "source"
REQUIRED = (INDICATOR, PERIOD, VALUE)
FIXED = (INDICATOR, PERIOD, VALUE, REASON, UNIT, COMMENT, SOURCE)
TEXT_LIMITS = {COMMENT: 2000, SOURCE: 300}
# "2023", "2023/24", "2023-24", each optionally followed by " Q2" (fiscal quarter).
PERIOD_RE = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?(?:\s*-?\s*Q([1-4]))?$",
                       re.IGNORECASE)
FORMULA_RE = re.compile(r"^(?:[=@]|[+-](?!\d|\.\d))")
MIN_YEAR, MAX_YEAR = 1900, 2100


SheetRow = tuple[int, list[str], list[str] | None]


@dataclass
class Sheet:
    """A sheet's lower-case header and its non-blank rows (number, cells, raw CSV cells)."""

    header: list[str]
    rows: list[SheetRow]


def read_sheet(data: bytes) -> Sheet:
    """Read a CSV or XLSX observation sheet, refusing files over the bulk size limit."""
    if len(data) > MAX_BYTES:
        raise BulkFileError(_("The file is larger than %(mb)d MB.", mb=MAX_BYTES // 2**20))
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise BulkFileError(_("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        return to_sheet([(cells, None) for cells in read_workbook(data)])
    return to_sheet(read_text(data))


def to_sheet(rows: list[tuple[list[str], list[str] | None]]) -> Sheet:
    """Take the first row as the header and keep the non-blank rows after it."""
    if not rows or not any(rows[0][0]):
        raise BulkFileError(_("The first row must hold the column names."))
    header = [name.strip().lstrip("\ufeff").strip().lower() for name in rows[0][0]]
    body = [(number, cells, raw) for number, (cells, raw) in enumerate(rows[1:], start=2)
            if any(cells)]
    if len(body) > MAX_ROWS:
        raise BulkFileError(_("The file has more than %(n)d rows.", n=MAX_ROWS))
    return Sheet(header, body)


def decode(data: bytes) -> str:
    """Decode UTF-8 text (with or without a BOM), naming the row and byte of a bad sequence."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise BulkFileError(_(
            "The file is not UTF-8 text: row %(row)d has an invalid byte at position "
            "%(byte)d of the file; save it as 'CSV UTF-8' or as an Excel workbook.",
            row=row, byte=error.start + 1)) from error


def read_text(data: bytes) -> list[tuple[list[str], list[str] | None]]:
    """Read UTF-8 CSV; pick the separator that makes the header match best."""
    text = decode(data)
    if "\x00" in text:
        raise BulkFileError(_("The file holds binary data; it is not CSV text."))
    first = text.split("\n", 1)[0].lower()
    delimiter = max((",", ";", "\t"), key=lambda d: len(
        set(FIXED) & {c.strip().strip('"') for c in first.split(d)}))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for raw in reader:
            stripped = [cell.strip() for cell in raw]
            rows.append(([unescape(cell) for cell in stripped], stripped))
            if len(rows) > MAX_ROWS + 1:
                raise BulkFileError(_("The file has more than %(n)d rows.", n=MAX_ROWS))
    except csv.Error as error:
        raise BulkFileError(_("The file is not valid CSV (%(error)s).", error=error)) from error
    return rows


def read_workbook(data: bytes) -> list[list[str]]:
    """Read the values of a workbook's first sheet (formulas as their saved values)."""
    check_unzipped_size(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError, SyntaxError,
            zipfile.BadZipFile) as error:
        raise unreadable(error) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([cell_text(value).strip() for value in row])
            if len(rows) > MAX_ROWS + 1:
                raise BulkFileError(_("The file has more than %(n)d rows.", n=MAX_ROWS))
        return rows
    except (AttributeError, KeyError, IndexError, OSError, TypeError, ValueError,
            SyntaxError, zipfile.BadZipFile) as error:
        raise unreadable(error) from error
    finally:
        workbook.close()


def looks_like_formula(raw: str) -> bool:
    """Would a spreadsheet run this raw CSV cell as a formula (and it was not escaped)?"""
    return not raw.startswith(ESCAPE) and FORMULA_RE.match(raw) is not None


def parse_period(text: str) -> tuple[int, int]:
    """Read "2023", "2023/24", "2023 Q2" or "2023/24 Q2" as (start year, quarter 0–4)."""
    match = PERIOD_RE.match(text.strip())
    if match is None:
        raise ValueError(_("'%(text)s' is not a period; write a fiscal year such as 2023 or "
                           "2023/24, or a quarter such as 2023/24 Q2.", text=text))
    year, end, quarter = int(match[1]), match[2], int(match[3] or 0)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_("%(year)d is not a year this tracker knows.", year=year))
    if end is not None and int(end) % 10 ** len(end) != (year + 1) % 10 ** len(end):
        raise ValueError(_("'%(text)s' is not a fiscal year: it must end the year after it "
                           "starts (e.g. %(year)d/%(next)02d).", text=text, year=year,
                           next=(year + 1) % 100))
    return year, quarter


def check_columns(sheet: Sheet, dimensions: set[str]) -> list[RowError]:
    """Every required column is present, none twice, and every other is a dimension name."""
    errors = [RowError(1, name, _("This column is missing."))
              for name in REQUIRED if name not in sheet.header]
    # Messages translated once and the filled columns found in one pass: a header of 200 000
    # columns must be answered in well under a second.
    twice, unnamed = _("This column appears twice."), _("Values in a column without a name.")
    unknown = _("Unknown column: it is neither one of %(names)s nor a disaggregation "
                "dimension of this city's indicators.", names=", ".join(FIXED))
    filled = filled_columns(sheet) if "" in sheet.header else set()
    seen: set[str] = set()
    for index, name in enumerate(sheet.header, start=1):
        if name in seen:
            errors.append(RowError(1, name, twice))
        elif not name and index in filled:
            errors.append(RowError(1, f"#{index}", unnamed))
        elif name and name not in FIXED and name not in dimensions:
            errors.append(RowError(1, name, unknown))
        seen.add(name)
    return errors


def filled_columns(sheet: Sheet) -> set[int]:
    """Return the (1-based) numbers of the columns that hold a value in some row."""
    return {index for _n, cells, _r in sheet.rows
            for index, cell in enumerate(cells, start=1) if cell}
