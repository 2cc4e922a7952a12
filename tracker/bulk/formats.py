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

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from tracker.errors import DomainError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl (and numpy, which it loads) is imported where a workbook is read or written,
# not at start-up: every web process imported it (~0.2 s CPU).

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5000
# Formatting can make a workbook report a million empty rows; stop reading well before that.
MAX_BLANK_ROWS = 3 * MAX_ROWS
ZIP_MAGIC = b"PK\x03\x04"
BLANK = b" \t\r\n\xef\xbb\xbf"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
CSV_TYPE = "text/csv"  # a mimetype: Werkzeug adds "; charset=utf-8" (once)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

TableRow = tuple[int, list[str]]


class BulkFileError(DomainError):
    """The file cannot be read as a bulk sheet."""


@dataclass
class Table:
    """A sheet's header (lower-case names), its non-blank rows with their row numbers and,
    when asked for, each CSV row's cells as typed (before unescaping) by row number."""

    header: list[str]
    rows: list[TableRow]
    raw: dict[int, list[str]] = field(default_factory=dict)


def read_table(data: bytes, expected: Sequence[str], *, max_rows: int = MAX_ROWS,
               keep_raw: bool = False, max_bytes: int | None = None,
               max_unzipped: int | None = None, header: bool = True,
               header_lines: int = 1) -> Table:
    """Read a CSV or XLSX file into a table; `expected` helps recognise the CSV separator,
    from the best matching of the first `header_lines` lines. Without `header`, every row
    is a row of the table (a sheet whose header lies further down, found by the caller)."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > max_bytes:
        raise BulkFileError(_("The file is larger than %(mb)d MB.", mb=max_bytes // 2**20))
    if not data.strip(BLANK):
        raise BulkFileError(_("The file is empty."))
    raw: dict[int, list[str]] | None = {} if keep_raw else None
    if data.startswith(ZIP_MAGIC):
        rows = read_xlsx(data, max_rows, max_unzipped)
    else:
        rows = read_csv(data, expected, max_rows, raw, header_lines)
    return to_table(rows, raw or {}) if header else Table([], rows, raw or {})


def to_table(rows: list[TableRow], raw: dict[int, list[str]]) -> Table:
    """Take the first row as the header and the other (non-blank) rows as the body."""
    if not rows or rows[0][0] != 1 or not any(rows[0][1]):
        raise BulkFileError(_("The first row must hold the column names."))
    header = [name.lstrip("\ufeff").strip().lower() for name in rows[0][1]]
    raw.pop(1, None)
    return Table(header, rows[1:], raw)


def read_xlsx(data: bytes, max_rows: int = MAX_ROWS, max_unzipped: int | None = None
              ) -> list[TableRow]:
    """Read the values of a workbook's first sheet (formulas as their saved values)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_unzipped_size(data, MAX_UNZIPPED_BYTES if max_unzipped is None else max_unzipped)
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
                           for row in sheet.iter_rows(values_only=True)), max_rows,
                          escaped=False)
    except (AttributeError, KeyError, IndexError, OSError, TypeError, ValueError,
            SyntaxError, zipfile.BadZipFile) as error:  # ParseError: e.g. an entity bomb
        raise unreadable(error) from error
    finally:
        workbook.close()


def check_unzipped_size(data: bytes, max_unzipped: int) -> None:
    """Refuse a zip that is not a valid archive or unpacks to too much (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise unreadable(error) from error
    if unzipped > max_unzipped:
        raise BulkFileError(_("The workbook unpacks to more than %(mb)d MB.",
                              mb=max_unzipped // 2**20))


def unreadable(error: Exception) -> BulkFileError:
    """Return the error for a workbook that cannot be read."""
    return BulkFileError(_("The file is not a readable .xlsx workbook (%(error)s).",
                           error=str(error) or type(error).__name__))


def decode(data: bytes) -> str:
    """Decode UTF-8 text (with or without a BOM), naming the row and byte of a bad sequence."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BulkFileError(_(
            "The file is neither an .xlsx workbook nor UTF-8 text: row %(row)d has an invalid "
            "byte at position %(byte)d of the file; save it as 'CSV UTF-8' or as an Excel "
            "workbook.", row=data.count(b"\n", 0, error.start) + 1,
            byte=error.start + 1)) from error


def read_csv(data: bytes, expected: Sequence[str], max_rows: int = MAX_ROWS,
             raw: dict[int, list[str]] | None = None, header_lines: int = 1
             ) -> list[TableRow]:
    """Read UTF-8 CSV text; pick the separator that makes the header match best."""
    text = decode(data)
    if "\x00" in text:
        raise BulkFileError(_("The file holds binary data; it is not CSV text."))
    delimiter = guess_delimiter(text.split("\n", header_lines)[:header_lines], expected)
    try:
        return limit_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                          max_rows, escaped=True, raw=raw)
    except csv.Error as error:
        raise BulkFileError(_("The file is not valid CSV (%(error)s).", error=error)) from error


def guess_delimiter(lines: Sequence[str], expected: Sequence[str]) -> str:
    """The separator (comma, semicolon or tab, as Excel locales save) that splits one of
    the lines into the most expected column names."""
    wanted = {name.lower() for name in expected}

    def matches(delimiter: str) -> int:
        """How many names the best line gives with this separator."""
        return max(len(wanted & {c.strip().strip('"') for c in line.lower().split(delimiter)})
                   for line in lines)

    return max((",", ";", "\t"), key=matches)


def limit_rows(rows: Iterable[Iterable[str]], max_rows: int, *, escaped: bool,
               raw: dict[int, list[str]] | None = None) -> list[TableRow]:
    """Number the rows of stripped cells, keeping the first and the non-blank ones (and, in
    `raw`, the cells as typed before unescaping)."""
    kept: list[TableRow] = []
    blank = 0
    for number, row in enumerate(rows, start=1):
        stripped = [cell.strip() for cell in row]
        cells = [unescape(cell) for cell in stripped] if escaped else stripped
        if number > 1 and not any(cells):
            blank += 1
        elif len(kept) > max_rows:
            raise too_many_rows(max_rows)
        else:
            kept.append((number, cells))
            if raw is not None:
                raw[number] = stripped
        if blank > MAX_BLANK_ROWS:
            raise too_many_rows(max_rows)
    return kept


def too_many_rows(max_rows: int) -> BulkFileError:
    """Return the error for a sheet of more than `max_rows` rows of data."""
    return BulkFileError(_("The file has more than %(n)d rows.", n=max_rows))


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
    from openpyxl import Workbook

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


def fill_sheet(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[str]],
               wrap: bool = False) -> None:
    """Write a bold header and rows of text; no cell ever becomes a formula."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    for column, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 40 if wrap else 18
    for number, row in enumerate(rows, start=2):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column,
                              value=ILLEGAL_CHARACTERS_RE.sub("", text))
            cell.data_type = "s"  # text, even when it starts with "="
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def content_type(fmt: str) -> str:
    """Return the media type of a format."""
    return XLSX_TYPE if fmt == "xlsx" else CSV_TYPE
