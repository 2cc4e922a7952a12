"""Read and write bulk sheets as CSV (UTF-8) or XLSX, recognised by content, never executed.

A file that starts with the zip signature is read as an XLSX workbook (first sheet only) with
openpyxl in read-only, values-only mode: a formula is never evaluated, only the value the
spreadsheet program saved with it is read. Anything else must be UTF-8 CSV text, with or without
a byte-order mark, separated by commas (semicolons or tabs, as some Excel locales save, are
recognised from the header). Files over MAX_BYTES, workbooks that unpack to more than
MAX_UNZIPPED_BYTES and sheets of more than MAX_ROWS data rows are refused.

CSV exports escape cells that a spreadsheet would run as a formula (starting with = + - @, a tab
or a carriage return) with a leading apostrophe; a cell that starts with an apostrophe gets one
more. Reading a CSV removes that one apostrophe again, so export → import is lossless.
"""

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from tracker.errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
# Formatting can make a workbook report a million empty rows; stop reading well before that.
MAX_SCANNED_ROWS = 4 * MAX_ROWS
ZIP_MAGIC = b"PK\x03\x04"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


class BulkFileError(DomainError):
    """The file cannot be read as a bulk sheet."""


@dataclass
class Table:
    """A sheet's header (lower-case names) and its non-blank rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(data: bytes, expected: Sequence[str]) -> Table:
    """Read a CSV or XLSX file into a table; `expected` helps recognise the CSV separator."""
    if len(data) > MAX_BYTES:
        raise BulkFileError(_("The file is larger than %(mb)d MB.", mb=MAX_BYTES // 2**20))
    if not data.strip():
        raise BulkFileError(_("The file is empty."))
    rows = read_xlsx(data) if data.startswith(ZIP_MAGIC) else read_csv(data, expected)
    return to_table(rows)


def to_table(rows: list[list[str]]) -> Table:
    """Take the first row as the header and keep the non-blank rows after it."""
    if not rows or not any(rows[0]):
        raise BulkFileError(_("The first row must hold the column names."))
    header = [name.strip().lower() for name in rows[0]]
    body = [(number, cells) for number, cells in enumerate(rows[1:], start=2) if any(cells)]
    if len(body) > MAX_ROWS:
        raise BulkFileError(_("The file has more than %(n)d rows.", n=MAX_ROWS))
    return Table(header, body)


def read_xlsx(data: bytes) -> list[list[str]]:
    """Read the values of a workbook's first sheet (formulas as their saved values)."""
    check_unzipped_size(data)
    try:
        # openpyxl warns about what it drops (styles, data validation); those are not data.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError, SyntaxError,
            zipfile.BadZipFile) as error:
        raise unreadable(error) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read every row
        return limit_rows(([cell_text(v) for v in row]
                           for row in sheet.iter_rows(values_only=True)), escaped=False)
    except (AttributeError, KeyError, IndexError, OSError, TypeError, ValueError,
            SyntaxError, zipfile.BadZipFile) as error:  # ParseError: e.g. an entity bomb
        raise unreadable(error) from error
    finally:
        workbook.close()


def check_unzipped_size(data: bytes) -> None:
    """Refuse a zip that is not a valid archive or unpacks to too much (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise unreadable(error) from error
    if unzipped > MAX_UNZIPPED_BYTES:
        raise BulkFileError(_("The workbook unpacks to more than %(mb)d MB.",
                              mb=MAX_UNZIPPED_BYTES // 2**20))


def unreadable(error: Exception) -> BulkFileError:
    """Return the error for a workbook that cannot be read."""
    return BulkFileError(_("The file is not a readable .xlsx workbook (%(error)s).",
                           error=str(error) or type(error).__name__))


def read_csv(data: bytes, expected: Sequence[str]) -> list[list[str]]:
    """Read UTF-8 CSV text; pick the separator that makes the header match best."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BulkFileError(_("The file is neither an .xlsx workbook nor UTF-8 CSV text; "
                              "save it as 'CSV UTF-8' or as an Excel workbook.")) from error
    if "\x00" in text:
        raise BulkFileError(_("The file holds binary data; it is not CSV text."))
    first = text.split("\n", 1)[0].lower()
    wanted = {name.lower() for name in expected}
    delimiter = max((",", ";", "\t"),
                    key=lambda d: len(wanted & {c.strip().strip('"') for c in first.split(d)}))
    try:
        return limit_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                          escaped=True)
    except csv.Error as error:
        raise BulkFileError(_("The file is not valid CSV (%(error)s).", error=error)) from error


def limit_rows(rows: Iterable[Iterable[str]], *, escaped: bool) -> list[list[str]]:
    """Collect rows of stripped cells, refusing more than MAX_ROWS rows of data."""
    collected: list[list[str]] = []
    filled = 0
    for row in rows:
        cells = [unescape(c).strip() if escaped else c.strip() for c in row]
        filled += any(cells)
        if filled > MAX_ROWS + 1 or len(collected) >= MAX_SCANNED_ROWS:
            raise BulkFileError(_("The file has more than %(n)d rows.", n=MAX_ROWS))
        collected.append(cells)
    return collected


def cell_text(value: object) -> str:
    """Return a workbook cell's value as text (whole numbers without a decimal point)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat()
    return str(value)


def escape(text: str) -> str:
    """Guard a CSV cell that a spreadsheet would run as a formula (CSV injection)."""
    return ESCAPE + text if text.startswith((*FORMULA_STARTS, ESCAPE)) else text


def unescape(text: str) -> str:
    """Undo `escape` on a cell read from CSV."""
    if text.startswith(ESCAPE) and text[1:].startswith((*FORMULA_STARTS, ESCAPE)):
        return text[1:]
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Write rows as UTF-8 CSV with a byte-order mark (so Excel reads it as UTF-8)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([escape(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[str]],
               help_rows: Sequence[Sequence[str]] = ()) -> bytes:
    """Write rows as a workbook of text cells, with an optional Help sheet after the data."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    fill_sheet(sheet, header, rows)
    sheet.freeze_panes = "A2"
    if help_rows:
        fill_sheet(workbook.create_sheet("Help"), help_rows[0], help_rows[1:], wrap=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def fill_sheet(sheet: object, header: Sequence[str], rows: Iterable[Sequence[str]],
               wrap: bool = False) -> None:
    """Write a bold header and rows of text; no cell ever becomes a formula."""
    for column, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=name)  # type: ignore[attr-defined]
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 40 if wrap else 18  # type: ignore[attr-defined]
    for number, row in enumerate(rows, start=2):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column,  # type: ignore[attr-defined]
                              value=ILLEGAL_CHARACTERS_RE.sub("", text))
            cell.data_type = "s"  # text, even when it starts with "="
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def content_type(fmt: str) -> str:
    """Return the media type of a format."""
    return XLSX_TYPE if fmt == "xlsx" else CSV_TYPE
