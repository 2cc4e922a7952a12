"""Import and export the bulk sheets: dry runs, all-or-nothing saves, and the templates.

An import reads the file and checks every row (all errors are kept, by row and column). A dry
run (save=False) then compares the rows with what is stored and says, row by row, what saving
would create, update (naming the columns) or leave unchanged; it writes nothing. A save, only
when there is no error, applies the rows with the domain services inside a savepoint, using the
same comparisons; if any service refuses a row, the savepoint is rolled back and nothing is
saved. The caller's unit of work commits.
"""

from collections.abc import Callable, Sequence

from sqlmodel import Session

from tracker.bulk import indicator_sheet, plan_sheet
from tracker.bulk.cells import help_rows
from tracker.bulk.formats import BulkFileError, Table, read_table, write_csv, write_xlsx
from tracker.bulk.indicator_import import (
    apply_indicators,
    check_codes,
    load_city_state,
    preview_indicators,
)
from tracker.bulk.lookups import list_city_plans, load_sdg_codes, plan_keys
from tracker.bulk.plan_import import (
    RowFailure,
    apply_structure,
    check_tree,
    load_plan_state,
    preview_structure,
)
from tracker.bulk.report import ImportReport, RowError, RowOutcome
from tracker.cities.models import City
from tracker.db import saved_id
from tracker.plans.models import Plan

STRUCTURE, INDICATORS = "structure", "indicators"
KINDS = (STRUCTURE, INDICATORS)
SHEETS = {STRUCTURE: ("Plan structure", plan_sheet.HEADER, plan_sheet.COLUMNS,
                      plan_sheet.EXAMPLES),
          INDICATORS: ("Indicators", indicator_sheet.HEADER, indicator_sheet.COLUMNS,
                       indicator_sheet.EXAMPLES)}


def import_structure(*, session: Session, plan: Plan, data: bytes, user_id: int | None,
                     save: bool) -> ImportReport:
    """Check a plan structure file and preview (save=False) or apply it."""
    try:
        table = read_table(data, plan_sheet.HEADER)
    except BulkFileError as error:
        return ImportReport(errors=[RowError(0, "", str(error))])
    rows, errors = plan_sheet.parse_structure(table, load_sdg_codes(session))
    state = load_plan_state(session, plan)
    errors += check_tree(rows, state, column_values(table, "code"))
    if errors:
        return ImportReport(errors=sorted(errors, key=lambda e: e.row))
    if not save:
        return ImportReport(outcomes=preview_structure(state, rows))
    return run(session, lambda: apply_structure(session, state, rows, user_id))


def import_indicators(*, session: Session, city: City, data: bytes, user_id: int | None,
                      save: bool) -> ImportReport:
    """Check an indicator definitions file and preview (save=False) or apply it."""
    try:
        table = read_table(data, indicator_sheet.HEADER)
    except BulkFileError as error:
        return ImportReport(errors=[RowError(0, "", str(error))])
    state = load_city_state(session, city)
    rows, errors = indicator_sheet.parse_indicators(table, load_sdg_codes(session), state.places)
    errors += check_codes(rows, state)
    if errors:
        return ImportReport(errors=sorted(errors, key=lambda e: e.row))
    if not save:
        return ImportReport(outcomes=preview_indicators(state, rows))
    return run(session, lambda: apply_indicators(session, state, rows, user_id))


def column_values(table: Table, column: str) -> set[str]:
    """Return the lower-case values of a column (for rows that may not have parsed)."""
    if column not in table.header:
        return set()
    index = table.header.index(column)
    return {cells[index].lower() for _n, cells in table.rows if index < len(cells)}


def run(session: Session, apply: Callable[[], list[RowOutcome]]) -> ImportReport:
    """Apply inside a savepoint, kept only if no row is refused (all or nothing)."""
    savepoint = session.begin_nested()
    try:
        outcomes = apply()
    except RowFailure as failure:
        savepoint.rollback()
        return ImportReport(errors=[failure.error])
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return ImportReport(outcomes=outcomes, saved=True)


def write(fmt: str, kind: str, rows: Sequence[Sequence[str]]) -> bytes:
    """Write rows of a kind of sheet as CSV, or as XLSX with its Help sheet."""
    title, header, columns, _examples = SHEETS[kind]
    if fmt == "csv":
        return write_csv(header, rows)
    return write_xlsx(title, header, rows, help_rows(columns))


def template(kind: str, fmt: str) -> bytes:
    """Return the template of a kind of sheet: its header and two example rows."""
    return write(fmt, kind, SHEETS[kind][3])


def export_structure(*, session: Session, plan: Plan, fmt: str) -> bytes:
    """Export a plan's current elements and their alignments."""
    state = load_plan_state(session, plan)
    rows = plan_sheet.structure_rows(list(state.elements.values()), state.alignments,
                                     load_sdg_codes(session))
    return write(fmt, STRUCTURE, rows)


def export_indicators(*, session: Session, city: City, fmt: str) -> bytes:
    """Export a city's current indicator definitions with their links."""
    state = load_city_state(session, city)
    codes = load_sdg_codes(session)
    rows = []
    for indicator in sorted((i for i in state.indicators.values() if not i.is_retired),
                            key=lambda i: i.code.lower()):
        sdg = [(codes.sort_keys[code], code, link.relation.value)
               for link in state.sdg_links.get(saved_id(indicator), [])
               if (code := codes.indicator_codes[link.sdg_indicator_id])]
        elements = [f"{state.places.keys[e.plan_id]}:{e.code}"
                    for link in state.element_links.get(saved_id(indicator), [])
                    if (e := state.places.by_id.get(link.element_id)) and not e.is_retired]
        rows.append(indicator_sheet.indicator_cells(indicator, sdg, elements))
    return write(fmt, INDICATORS, rows)


def plan_reference(session: Session, plan: Plan) -> str:
    """Return the key that names a plan in indicator sheets (e.g. IDP-2022)."""
    city = session.get(City, plan.city_id)
    assert city is not None
    return plan_keys(list_city_plans(session, city))[saved_id(plan)]


def city_plan_keys(session: Session, city: City) -> list[tuple[str, Plan]]:
    """Return the city's plans with their keys, for the import page."""
    plans = list_city_plans(session, city)
    keys = plan_keys(plans)
    return [(keys[saved_id(p)], p) for p in plans]

