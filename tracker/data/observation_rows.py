"""Check the rows of an observation sheet: every problem by row and column, none skipped."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from tracker.bulk.cells import CellError, character_error, parse_decimal
from tracker.bulk.report import RowError
from tracker.data import observation_sheet as sheet_
from tracker.data.checks import HISTORY_YEARS, window_error
from tracker.data.models import MissingReason, ObservationStatus, breakdown_key
from tracker.data.observation_sheet import (
    COMMENT,
    FIXED,
    INDICATOR,
    PERIOD,
    REASON,
    SOURCE,
    TEXT_LIMITS,
    UNIT,
    VALUE,
    Sheet,
    SheetRow,
)
from tracker.data.observation_store import Cell, CityState, Planned
from tracker.data.period_labels import PeriodRef
from tracker.data.period_names import calendar_conflict
from tracker.data.quality import MIN_HISTORY, check_outlier, check_value
from tracker.indicators.models import Frequency, LocalIndicator
from tracker.indicators.presenters import unit_text
from tracker.timeutil import utcnow

REASONS = {reason.value for reason in MissingReason}


@dataclass
class Row:
    """One row's cells by column name, and the problems found in it."""

    number: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        """Note a problem with a cell of this row."""
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str) -> str:
        """Return a cell's text ("" when the column is absent)."""
        return self.cells.get(column, "")


def units_of(indicator: LocalIndicator) -> set[str]:
    """Return the lower-case names the indicator's unit may be given by in a file."""
    names = {unit_text(indicator), indicator.unit_kind.value, indicator.unit_label}
    return {name.strip().lower() for name in names if name.strip()}


def to_row(number: int, header: list[str], cells: list[str], raw: list[str] | None) -> Row:
    """Name a row's cells; report cells beyond the header and unescaped formulas."""
    row = Row(number, {name: cells[i] if i < len(cells) else ""
                       for i, name in enumerate(header) if name})
    for index in range(len(header), len(cells)):
        if cells[index]:
            row.error(f"#{index + 1}", _("A value beyond the last named column."))
    for index, text in enumerate(raw or []):
        if index < len(header) and sheet_.looks_like_formula(text):
            row.error(header[index], _("'%(text)s' looks like a spreadsheet formula; write "
                                       "the value itself, or start text with an apostrophe.",
                                       text=text[:40]))
            row.cells[header[index]] = ""  # reported once, not again as a bad value
    for column, text in row.cells.items():
        if message := character_error(text, column not in (COMMENT, SOURCE)):
            row.error(column, message)
            row.cells[column] = ""  # reported once, not again as an unknown code
    return row


def read_indicator(row: Row, state: CityState) -> LocalIndicator | None:
    """Return the row's indicator, or note why there is none."""
    code = row.text(INDICATOR)
    indicator = state.indicators.get(code.lower()) if code else None
    if not code:
        if INDICATOR not in {e.column for e in row.errors}:
            row.error(INDICATOR, _("This cell must be filled."))
    elif indicator is None:
        row.error(INDICATOR, _("%(code)s is not an indicator code of this city.", code=code))
    elif indicator.is_retired:
        row.error(INDICATOR, _("%(code)s is retired; it takes no new values.", code=code))
        return None
    return indicator


def read_period(row: Row, indicator: LocalIndicator | None) -> PeriodRef | None:
    """Return the row's period as written if it is well formed and one of the indicator's."""
    text = row.text(PERIOD)
    if not text:
        row.error(PERIOD, _("This cell must be filled."))
        return None
    try:
        ref = sheet_.parse_period(text)
    except ValueError as error:
        row.error(PERIOD, str(error))
        return None
    if indicator is not None:
        quarterly = indicator.frequency == Frequency.QUARTERLY
        if ref.quarter and not quarterly:
            row.error(PERIOD, _("%(code)s is annual: give a year, not a quarter.",
                                code=indicator.code))
        elif quarterly and not ref.quarter:
            row.error(PERIOD, _("%(code)s is quarterly: give a quarter such as %(text)s Q1.",
                                code=indicator.code, text=text))
        elif conflict := calendar_conflict(indicator, ref):
            row.error(PERIOD, conflict)
    return ref


def read_breakdown(row: Row, indicator: LocalIndicator | None, dimension_columns: list[str],
                   state: CityState) -> dict[str, str]:
    """Return the row's breakdown with the indicator's own spelling of names and values."""
    known = state.dimensions.get(indicator.id, {}) if indicator else {}
    breakdown = {}
    for column in dimension_columns:
        text = row.cells.get(column, "")
        if not text or indicator is None:
            continue
        dimension = known.get(column)
        if dimension is None:
            row.error(column, _("%(code)s has no breakdown by %(name)s; leave this blank.",
                                code=indicator.code, name=column))
            continue
        name, values = dimension
        value = values.get(text.lower())
        if value is None:
            row.error(column, _("'%(text)s' is not a value of %(name)s; the values are "
                                "%(values)s.", text=text, name=name,
                                values=", ".join(values.values())))
        else:
            breakdown[name] = value
    return breakdown


def read_value(row: Row, indicator: LocalIndicator | None
               ) -> tuple[Decimal | None, MissingReason | None]:
    """Return the value or the reason there is none; note type and quality errors."""
    try:
        value = parse_decimal(row.text(VALUE))
    except CellError as error:
        row.error(VALUE, str(error))
        return None, None
    reason_text = row.text(REASON).lower()
    reason = MissingReason(reason_text) if reason_text in REASONS else None
    if reason_text and reason is None:
        row.error(REASON, _("'%(text)s' is not a reason; use %(reasons)s.",
                            text=row.text(REASON), reasons=", ".join(sorted(REASONS))))
    elif value is not None and reason is not None:
        row.error(REASON, _("Give a value or the reason there is none, not both."))
    elif value is None and reason is None and VALUE not in {e.column for e in row.errors}:
        row.error(VALUE, _("Give a value, or the reason there is none in missing_reason."))
    if value is not None and indicator is not None:
        for finding in check_value(indicator, value):
            row.error(VALUE, finding.message)
    return value, reason


def check_texts(row: Row, indicator: LocalIndicator | None) -> None:
    """The unit, when given, is the indicator's; comments and sources fit their fields."""
    unit = row.text(UNIT)
    if unit and indicator is not None and unit.lower() not in units_of(indicator):
        row.error(UNIT, _("'%(unit)s' is not the unit of %(code)s, which is %(expected)s.",
                          unit=unit, code=indicator.code, expected=unit_text(indicator)))
    for column, limit in TEXT_LIMITS.items():
        if len(row.text(column)) > limit:
            row.error(column, _("At most %(n)d characters.", n=limit))


def plan_row(row: Row, state: CityState, header: list[str], dimension_columns: list[str]
             ) -> Planned | None:
    """Check one row; return what it would store, or None when it has errors."""
    indicator = read_indicator(row, state)
    period = read_period(row, indicator)
    breakdown = read_breakdown(row, indicator, dimension_columns, state)
    value, reason = read_value(row, indicator)
    check_texts(row, indicator)
    if row.errors or indicator is None or period is None:
        return None
    return Planned(row.number, indicator, period.year, period.quarter, breakdown,
                   breakdown_key(breakdown), value, reason,
                   row.text(COMMENT) if COMMENT in header else None,
                   row.text(SOURCE) if SOURCE in header else None,
                   span_years=period.span_years, period_label=period.label,
                   period_kind=period.kind)


def check_plans(plans: list[Planned], state: CityState) -> list[RowError]:
    """Refuse repeated cells, changes to approved cells and periods not open yet."""
    errors: list[RowError] = []
    first: dict[Cell, int] = {}
    today = utcnow().date()
    for plan in plans:
        cell = plan.cell
        if cell in first:
            errors.append(RowError(plan.row, INDICATOR, _(
                "Row %(row)d and row %(first)d give the same indicator, period and breakdown.",
                row=plan.row, first=first[cell])))
            continue
        first[cell] = plan.row
        plan.stored = state.cells.get(cell)
        plan.changes = changed_columns(plan)
        stored = plan.stored
        if stored and plan.changes and stored.status == ObservationStatus.APPROVED \
                and not stored.is_deleted:
            errors.append(RowError(plan.row, VALUE, _(
                "This value is approved and locked; a secretariat must unlock it first.")))
        window = window_error(state.windows.get((plan.year, plan.quarter)), today)
        if window:
            errors.append(RowError(plan.row, PERIOD, window))
    return errors


def changed_columns(plan: Planned) -> list[str]:
    """Name the columns a row changes in its stored cell (all, for a deleted or new cell).
    The same period written another way ("2022" for "2022/23") changes nothing: a file
    re-imported leaves its cells, approved ones included, as they are; a cell it does
    change takes the label as this file writes it."""
    stored = plan.stored
    if stored is None or stored.is_deleted:
        return [VALUE]
    changes = []
    if stored.value != plan.value or stored.reason != plan.reason:
        changes.append(VALUE if plan.value is not None else REASON)
    if plan.comment is not None and plan.comment != stored.comment:
        changes.append(COMMENT)
    if plan.source is not None and plan.source != stored.source:
        changes.append(SOURCE)
    return changes


def outlier_warnings(plans: list[Planned], state: CityState) -> list[RowError]:
    """Warn (without blocking) about values unusual against the cell's other years."""
    series: dict[tuple[int, int, int, str], dict[int, Decimal]] = defaultdict(dict)
    for (ind, year, quarter, span, key), stored in state.cells.items():
        if not stored.is_deleted and stored.value is not None:
            series[(ind, quarter, span, key)][year] = stored.value
    for plan in plans:
        line = series[(plan.indicator_id, plan.quarter, plan.span_years, plan.key)]
        line.pop(plan.year, None)
        if plan.value is not None:
            line[plan.year] = plan.value
    warnings = []
    kinds = {ind.id: ind.unit_kind for ind in state.indicators.values()}
    for plan in plans:
        line = series[(plan.indicator_id, plan.quarter, plan.span_years, plan.key)]
        if plan.value is None or len(line) <= MIN_HISTORY:  # the value itself is in line
            continue
        history = [line[y] for y in sorted(line, reverse=True) if y != plan.year]
        finding = check_outlier(plan.value, history[:HISTORY_YEARS],
                                kind=kinds.get(plan.indicator_id))
        if finding is not None:
            warnings.append(RowError(plan.row, VALUE, finding.message))
    return warnings


def check_sheet(sheet: Sheet, state: CityState, rows: Iterable[SheetRow] | None = None
                ) -> tuple[list[Planned], list[RowError]]:
    """Check every row of a sheet (or `rows`, the same wrapped in a progress bar); return
    the planned cells and every error."""
    plans: list[Planned] = []
    errors: list[RowError] = []
    dimension_columns = [c for c in sheet.header if c and c not in FIXED]
    for number, cells in sheet.rows if rows is None else rows:
        row = to_row(number, sheet.header, cells, sheet.raw.get(number))
        plan = plan_row(row, state, sheet.header, dimension_columns)
        errors += row.errors
        if plan is not None:
            plans.append(plan)
    return plans, errors + check_plans(plans, state)
