"""Import and export a city's observations as a tidy sheet (one row per value).

An import reads the file and checks every row, keeping every problem by row and column. A dry
run (save=False) then says how many cells saving would create, update or leave unchanged and
writes nothing. A save, only when there is no error, writes every new and changed cell with
bulk statements inside a savepoint (all or nothing) and one history row per cell; the caller's
unit of work commits. Outliers are warnings: listed, never blocking.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from tracker.bulk.cells import format_decimal
from tracker.bulk.formats import BulkFileError, escape
from tracker.bulk.report import Action, ImportReport, RowError, RowOutcome
from tracker.cities.models import City
from tracker.data.models import Observation
from tracker.data.observation_rows import check_sheet, outlier_warnings
from tracker.data.observation_sheet import FIXED, SheetRow, check_columns, read_sheet
from tracker.data.observation_store import Planned, apply_plans, load_indicators, load_state
from tracker.data.period_names import cell_period
from tracker.indicators.models import LocalIndicator
from tracker.indicators.presenters import unit_text
from tracker.memory import gc_paused

if TYPE_CHECKING:
    from openpyxl.cell.cell import WriteOnlyCell
    from openpyxl.styles import Font

# openpyxl (and numpy, which it loads) is imported where a workbook is read or written,
# not at start-up: every web process imported it (~0.2 s CPU).

Progress = Callable[[list[SheetRow]], AbstractContextManager[Iterable[SheetRow]]]
CELLS, ROWS = "cells", "rows"


@dataclass
class ObservationReport(ImportReport):
    """An import report (its warnings are outliers) with the fingerprint of the stored cells
    it read (a save can insist on finding them as a dry run saw them)."""

    state_hash: str = ""


def import_observations(*, session: Session, city: City, data: bytes, user_id: int | None,
                        save: bool, progress: Progress | None = None,
                        expected_state: str | None = None) -> ObservationReport:
    """Check a city's observation sheet and preview (save=False) or apply it; with
    `expected_state` (a dry run's state_hash) refuse to save if any cell the file touches
    was saved since that dry run."""
    with gc_paused():
        return run_import(session, city, data, user_id, save, progress, expected_state)


def state_hash(plans: list[Planned]) -> str:
    """Fingerprint the stored version (or absence) of every cell the plans touch."""
    digest = hashlib.sha256()
    for plan in plans:
        stored = plan.stored
        digest.update(f"{plan.cell}:{stored.version if stored else 0}\n".encode())
    return digest.hexdigest()


def run_import(session: Session, city: City, data: bytes, user_id: int | None, save: bool,
               progress: Progress | None, expected_state: str | None = None
               ) -> ObservationReport:
    """Read, check and (when saving) apply a sheet, all or nothing."""
    try:
        sheet = read_sheet(data)
    except BulkFileError as error:
        return ObservationReport(errors=[RowError(0, "", str(error))])
    state = load_state(session, city)
    dimensions = {d.name.lower() for i in state.indicators.values() for d in i.dimensions}
    errors = check_columns(sheet, dimensions)
    if errors:
        return ObservationReport(errors=errors)
    with (progress or nullcontext)(sheet.rows) as rows:
        plans, errors = check_sheet(sheet, state, rows)
    if errors:
        return ObservationReport(errors=sorted(errors, key=lambda e: (e.row, e.column)))
    fingerprint = state_hash(plans)
    if save and expected_state is not None and expected_state != fingerprint:
        return ObservationReport(errors=[RowError(0, "", _(
            "Values this file changes were saved by someone else after it was checked; "
            "nothing was saved. Check the file again to see them."))])
    report = ObservationReport(outcomes=[outcome(p) for p in plans],
                               warnings=outlier_warnings(plans, state), state_hash=fingerprint)
    if save:
        savepoint = session.begin_nested()
        try:
            apply_plans(session, plans, user_id)
        except BaseException:
            savepoint.rollback()
            raise
        savepoint.commit()
        report.saved = True
    return report


def outcome(plan: Planned) -> RowOutcome:
    """Say what saving does with a checked row (its period as the file wrote it)."""
    action = Action.CREATE if plan.stored is None else \
        Action.UPDATE if plan.changes else Action.UNCHANGED
    label = " · ".join([plan.period_label, *plan.breakdown.values()])
    return RowOutcome(plan.row, plan.code, label, action,
                      plan.changes if action == Action.UPDATE else [])


# --------------------------------------------------------------------------- export


def dimension_names(indicators: Sequence[LocalIndicator]) -> list[str]:
    """Return every dimension name of the indicators once (first spelling), in order."""
    names: dict[str, str] = {}
    for indicator in indicators:
        for dimension in indicator.dimensions:
            names.setdefault(dimension.name.lower(), dimension.name)
    return [name for name in names.values() if name.lower() not in FIXED]


def list_city_observations(session: Session, indicators: Sequence[LocalIndicator]
                           ) -> list[Observation]:
    """Return the indicators' current (non-deleted) observations in one query."""
    if not indicators:
        return []
    query = (select(Observation)
             .where(col(Observation.indicator_id).in_([i.id for i in indicators]),
                    Observation.is_deleted == False)  # noqa: E712  (SQL, not Python)
             .order_by(col(Observation.indicator_id), col(Observation.year),
                       col(Observation.quarter), col(Observation.span_years),
                       col(Observation.breakdown_key)))
    return list(session.scalars(query))


def tidy_rows(city: City, indicators: Sequence[LocalIndicator], cells: list[Observation],
              dimensions: list[str]) -> Iterator[list[str | Decimal]]:
    """Yield one row per observation in the import format (values as exact decimals)."""
    by_id = {i.id: i for i in indicators}
    units = {i.id: unit_text(i) for i in indicators}
    for cell in cells:
        breakdown = {name.lower(): value for name, value in cell.breakdown.items()}
        value: str | Decimal = "" if cell.value is None else Decimal(cell.value)
        indicator = by_id[cell.indicator_id]
        yield [indicator.code, cell_period(city, indicator, cell),
               *(breakdown.get(name.lower(), "") for name in dimensions), value,
               cell.missing_reason.value if cell.missing_reason else "",
               units[cell.indicator_id], cell.comment, cell.source]


def export_observations(*, session: Session, city: City, fmt: str) -> bytes:
    """Export the city's current observations as a tidy sheet the import reads back."""
    indicators = sorted(load_indicators(session, city), key=lambda i: i.code.lower())
    dimensions = dimension_names(indicators)
    header = ["indicator", "period", *dimensions, "value", "missing_reason", "unit",
              "comment", "source"]
    rows = tidy_rows(city, indicators, list_city_observations(session, indicators), dimensions)
    if fmt == "xlsx":
        return write_xlsx(_("Values"), header, rows)
    return write_csv(header, rows)


def open_sdg_rows(city: City, indicator: LocalIndicator, cells: list[Observation]
                  ) -> Iterator[list[str | Decimal]]:
    """Yield Open SDG rows: year, one cell per dimension (blank for totals), units, value."""
    unit = unit_text(indicator)
    for cell in cells:
        if cell.value is None:
            continue  # Open SDG has no reason for a missing value: leave the row out
        # A label as written goes out as written; a derived one in Open SDG's spelling.
        year = cell.period_label or cell_period(city, indicator, cell).replace("/", "-")
        yield [year, *(cell.breakdown.get(d.name, "") for d in indicator.dimensions), unit,
               Decimal(cell.value)]


def export_open_sdg(*, session: Session, city: City, indicator: LocalIndicator) -> bytes:
    """Export one indicator's values as an Open SDG data file."""
    header = ["Year", *(d.name for d in indicator.dimensions), "Units", "Value"]
    return write_csv(header, open_sdg_rows(city, indicator,
                                           list_city_observations(session, [indicator])))


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str | Decimal]]) -> bytes:
    """Write UTF-8 CSV with a BOM; text is escaped against formulas, numbers stay numbers."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape(name) for name in header])
    writer.writerows([format_decimal(c) if isinstance(c, Decimal) else escape(c) for c in row]
                     for row in rows)
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[str | Decimal]]
               ) -> bytes:
    """Write a workbook: text cells typed as text (never a formula), values as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    text_cell = text_cells(sheet)
    sheet.append([text_cell(name, bold) for name in header])
    for row in rows:
        sheet.append([c if isinstance(c, Decimal) else text_cell(c) for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def text_cells(sheet: object) -> Callable[..., WriteOnlyCell]:
    """Return a maker of the sheet's cells that hold text even when it starts with "=" (no
    formula is written); openpyxl is imported once here, not per cell."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell

    def text_cell(text: str, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    return text_cell
