"""Read a tidy observation sheet (one row per value) from CSV or XLSX bytes.

The bulk set-up sheets stop at 5 000 rows; a city's values run to 100 000 and more, so this
reads with the bulk reader (size limit, BOM, escaping, zip bomb check) but allows more rows,
and keeps each CSV row's raw text too, so that a cell a spreadsheet would run as a formula can
be reported rather than silently imported.
"""

import re

from flask_babel import gettext as _

from tracker.bulk.formats import ESCAPE, Table, TableRow, read_table
from tracker.bulk.report import RowError
from tracker.data.period_labels import PeriodRef, parse_period_label

MAX_ROWS = 250_000
INDICATOR, PERIOD, VALUE, REASON = "indicator", "period", "value", "missing_reason"
UNIT, COMMENT, SOURCE = "unit", "comment", "source"
REQUIRED = (INDICATOR, PERIOD, VALUE)
FIXED = (INDICATOR, PERIOD, VALUE, REASON, UNIT, COMMENT, SOURCE)
TEXT_LIMITS = {COMMENT: 2000, SOURCE: 300}
FORMULA_RE = re.compile(r"^(?:[=@]|[+-](?!\d|\.\d))")

Sheet = Table
SheetRow = TableRow


def read_sheet(data: bytes) -> Sheet:
    """Read a CSV or XLSX observation sheet, refusing files over the bulk size limit."""
    return read_table(data, FIXED, max_rows=MAX_ROWS, keep_raw=True)


def looks_like_formula(raw: str) -> bool:
    """Would a spreadsheet run this raw CSV cell as a formula (and it was not escaped)?"""
    return not raw.startswith(ESCAPE) and FORMULA_RE.match(raw) is not None


def parse_period(text: str) -> PeriodRef:
    """Read a period as its source wrote it: "2023", "2023/24", "2009-2010", "2017-2019",
    "2023 Q2", "2023/24 Q2" (its first year, quarter, kind, span and label)."""
    return parse_period_label(text)


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
    return {index for _n, cells in sheet.rows
            for index, cell in enumerate(cells, start=1) if cell}
