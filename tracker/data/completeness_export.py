"""The network completeness table as CSV, every member city (filtered and sorted as on the
page), written while the rows come from the database in batches: plain rows from one
aggregate query, so memory stays bounded by the batch, not by the size of the network.

Streamed rather than queued: the table is one aggregated row per city (15 000 cities make
about 1.5 MB of CSV) that the database computes in one query, so there is nothing slow for
a background job to hide; see tests/perf/test_network_lists_bench.py for the figures."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session

from tracker.bulk.formats import escape
from tracker.cities.forms import country_name
from tracker.cities.models import Network
from tracker.data.completeness import PeriodStatus
from tracker.data.completeness_table import TableQuery, table_select
from tracker.data.period_names import derived_label

BATCH = 500  # rows fetched (and CSV lines written) at a time


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


def table_csv(session: Session, network: Network, table: TableQuery) -> Iterator[bytes]:
    """Yield the whole table as UTF-8 CSV (with a byte-order mark, so Excel reads UTF-8),
    one batch of rows at a time."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    yield out.getvalue().encode("utf-8-sig")
    labels = status_labels()
    query = table_select(network, table, plain=True).execution_options(yield_per=BATCH)
    for batch in session.execute(query).partitions():
        out.seek(0)
        out.truncate()
        writer.writerows([escape(cell) for cell in csv_cells(row, table, labels)]
                         for row in batch)
        yield out.getvalue().encode("utf-8")
