"""The network completeness table as CSV or XLSX, every member city (filtered and sorted as
on the page), written while the rows come from the database in batches: plain rows from one
aggregate query, so memory stays bounded by the batch, not by the size of the network (the
CSV is streamed to the client; the workbook is written row by row by openpyxl's write-only
mode into a temporary file, then sent).

Streamed rather than queued: the table is one aggregated row per city (15 000 cities make
about 1.5 MB of CSV) that the database computes in one query, so there is nothing slow for
a background job to hide; see tests/perf/test_network_lists_bench.py for the figures."""

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlmodel import Session

from tracker.bulk.formats import escape
from tracker.cities.forms import country_name
from tracker.cities.models import Network
from tracker.data.completeness import PeriodStatus
from tracker.data.completeness_table import TableQuery, table_select
from tracker.data.period_names import derived_label

BATCH = 500  # rows fetched (and CSV lines written) at a time
NUMBERS = range(8, 14)  # the columns Due … Percent complete: numbers in the workbook
SPOOL_BYTES = 8 * 2**20  # a workbook larger than this goes to disk while it is written


def period_slug(table: TableQuery) -> str:
    """Name the period in a file name: "2024" or "2024-q2"."""
    return f"{table.year}-q{table.quarter}" if table.quarter else str(table.year)


def header() -> list[str]:
    """Return the CSV's column names."""
    return [_("City"), _("Slug"), _("Country code"), _("Country"), _("Period"),
            _("Window opens"), _("Window due"), _("Status"), _("Due"), _("Entered"),
            _("Submitted"), _("Approved"), _("Overdue"), _("Percent complete")]


def status_labels() -> dict[str, str]:
    """Name each period status as the page does."""
    return {PeriodStatus.OVERDUE: _("overdue"), PeriodStatus.OPEN: _("open"),
            PeriodStatus.CLOSED: _("closed"), PeriodStatus.NOT_OPEN: _("not yet open"),
            PeriodStatus.NO_WINDOW: _("no window set")}


def csv_cells(row: Any, table: TableQuery, labels: dict[str, str]) -> list[str]:
    """Write one plain row of table_select(plain=True) as CSV cells."""
    name, slug, country, start, opens, due_on, due, entered, submitted, approved, overdue, \
        status = row
    done = int(submitted) + int(approved)
    percent = str(round(100 * done / due)) if due else ""
    return [name, slug, country, country_name(country),
            derived_label(table.year, table.quarter, start != 1),
            opens.isoformat() if opens else "", due_on.isoformat() if due_on else "",
            labels.get(status, status), str(due), str(entered), str(submitted), str(approved),
            str(overdue), percent]


def plain_batches(session: Session, network: Network, table: TableQuery
                  ) -> Iterator[list[list[str]]]:
    """Yield the whole table's rows as cells, a batch at a time."""
    labels = status_labels()
    query = table_select(network, table, plain=True).execution_options(yield_per=BATCH)
    for batch in session.execute(query).partitions():
        yield [csv_cells(row, table, labels) for row in batch]


def table_csv(session: Session, network: Network, table: TableQuery) -> Iterator[bytes]:
    """Yield the whole table as UTF-8 CSV (with a byte-order mark, so Excel reads UTF-8),
    one batch of rows at a time."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    yield out.getvalue().encode("utf-8-sig")
    for batch in plain_batches(session, network, table):
        out.seek(0)
        out.truncate()
        writer.writerows([escape(cell) for cell in cells] for cells in batch)
        yield out.getvalue().encode("utf-8")


def sheet_cell(sheet: WriteOnlyWorksheet, column: int, text: str, bold: bool = False
               ) -> WriteOnlyCell:
    """Make a workbook cell: a number in the number columns, else text that never becomes
    a formula."""
    if column in NUMBERS and text.isascii() and text.isdigit():
        return WriteOnlyCell(sheet, value=int(text))
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def table_xlsx(session: Session, network: Network, table: TableQuery) -> bytes:
    """Write the whole table as a workbook, row by row (through a temporary file: only the
    compressed workbook is ever held whole, about 70 bytes a city)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Completeness")[:31])
    sheet.freeze_panes = "A2"
    sheet.append([sheet_cell(sheet, -1, name, bold=True) for name in header()])
    for batch in plain_batches(session, network, table):
        for cells in batch:
            sheet.append([sheet_cell(sheet, i, text) for i, text in enumerate(cells)])
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        workbook.save(out)
        out.seek(0)
        return out.read()
