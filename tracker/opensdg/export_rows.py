"""A city's approved values as exports read them: one streamed query per indicator, the
indicator's Open SDG id, and each value and period as its source wrote it."""

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, cast, false
from sqlmodel import Session, col, select

from tracker.bulk.cells import format_decimal
from tracker.cities.models import City
from tracker.data.models import Observation, ObservationStatus, PeriodKind
from tracker.data.period_labels import PeriodRef, is_fiscal, period_text
from tracker.indicators.models import LocalIndicator
from tracker.indicators.queries import IndicatorView, list_indicators

OPEN_SDG_ID = re.compile(r"^\d+-[\da-z]+-\d+(?:-[a-z0-9]+)*$")  # 1-2-1, 1-a-1, 10-x-2
BATCH = 2000  # rows fetched at a time: a big city is never held in memory whole
SPECIAL = {"series": "Series", "units": "Units", "geocode": "GeoCode"}


@dataclass(frozen=True)
class Cell:
    """One approved value (or its absence) of an indicator, without the ORM's bookkeeping."""

    year: int
    quarter: int
    span_years: int
    period_label: str
    period_kind: PeriodKind
    breakdown: dict[str, str]
    value: Decimal | None
    value_text: str
    progress_value: Decimal | None
    attributes: dict[str, str]


@dataclass
class ExportIndicator:
    """An indicator an export writes, under its Open SDG id, with its SDG codes."""

    indicator: LocalIndicator
    file_id: str
    sdg_codes: list[str] = field(default_factory=list)


# The JSON columns come as text and are parsed once per distinct text: an indicator's cells
# repeat a few hundred breakdowns, and decoding each row's JSON was most of an export's time.
COLUMNS: tuple[Any, ...] = (
    col(Observation.year), col(Observation.quarter), col(Observation.span_years),
    col(Observation.period_label), col(Observation.period_kind),
    cast(col(Observation.breakdown), String), col(Observation.value),
    col(Observation.value_text), col(Observation.progress_value),
    cast(col(Observation.attributes), String))
PARSED_KEPT = 10_000  # distinct JSON texts remembered per indicator


def approved_only(indicator_id: int | None) -> tuple[Any, ...]:
    """The filter of an indicator's approved, current cells."""
    return (col(Observation.indicator_id) == indicator_id,
            col(Observation.status) == ObservationStatus.APPROVED,
            col(Observation.is_deleted) == false())


def approved_cells(session: Session, indicator: LocalIndicator) -> Iterator[Cell]:
    """Yield the indicator's approved, current cells in period and breakdown order,
    fetched in batches (plain rows: nothing accumulates in the session)."""
    query = (select(*COLUMNS).where(*approved_only(indicator.id))
             .order_by(col(Observation.year), col(Observation.quarter),
                       col(Observation.span_years), col(Observation.breakdown_key))
             .execution_options(yield_per=BATCH))
    parsed: dict[str, dict[str, str]] = {}
    for row in session.execute(query):
        if len(parsed) > PARSED_KEPT:
            parsed.clear()
        year, quarter, span, label, kind, breakdown, value, text, progress, attributes = row
        yield Cell(year, quarter, span, label, kind, json_dict(breakdown, parsed), value, text,
                   progress, json_dict(attributes, parsed))


def json_dict(text: str | None, parsed: dict[str, dict[str, str]]) -> dict[str, str]:
    """A JSON object column read from its text, decoded once per distinct text."""
    if not text:
        return {}
    if text not in parsed:
        parsed[text] = json.loads(text)
    return parsed[text]


def source_value(cell: Cell) -> str:
    """The value as the source wrote it when that is the stored value, else the canonical
    decimal; blank for a cell without a value."""
    if cell.value is None:
        return ""
    if cell.value_text and as_decimal(cell.value_text) == Decimal(cell.value):
        return cell.value_text
    return format_decimal(Decimal(cell.value))


def as_decimal(text: str) -> Decimal | None:
    """Read a number as written, or None when the text is not one."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def cell_period(cell: Cell, fiscal: bool) -> str:
    """The period as written, else derived (a fiscal "2023/24" written "2023-24")."""
    ref = PeriodRef(cell.year, cell.quarter, cell.period_kind, cell.span_years, cell.period_label)
    text = period_text(ref, fiscal)
    return text if cell.period_label else text.replace("/", "-")


def indicator_fiscal(city: City, indicator: LocalIndicator) -> bool:
    """Are the indicator's unlabelled single years fiscal years?"""
    return is_fiscal(indicator, city.fiscal_year_start_month)


def derived_id(view: IndicatorView) -> str:
    """The Open SDG id: as imported, else the SDG alignment (identical ones first), else
    the indicator's own code when it has the shape of one ("10.x.2"); "" if none."""
    indicator = view.indicator
    if indicator.opensdg_id:
        return indicator.opensdg_id
    links = sorted(view.sdg_links, key=lambda s: s.link.relation != "identical")
    for candidate in [s.code for s in links] + [indicator.code]:
        dashed = candidate.strip().lower().replace(".", "-")
        if OPEN_SDG_ID.match(dashed):
            return dashed
    return ""


def export_indicators(session: Session, city: City) -> tuple[list[ExportIndicator], list[str]]:
    """The city's current indicators under their Open SDG ids, and why any is left out
    (no id, or an id another indicator already has)."""
    chosen: dict[str, ExportIndicator] = {}
    refused: list[str] = []
    for view in list_indicators(session, city):
        file_id = derived_id(view)
        code = view.indicator.code
        if not file_id:
            refused.append(_("%(code)s: no Open SDG id (no SDG alignment, no code like "
                             "11.1.1)", code=code))
        elif file_id in chosen:
            refused.append(_("%(code)s: Open SDG id %(id)s is already %(other)s's",
                             code=code, id=file_id, other=chosen[file_id].indicator.code))
        else:
            chosen[file_id] = ExportIndicator(view.indicator, file_id,
                                              [s.code for s in view.sdg_links])
    return sorted(chosen.values(), key=lambda e: id_sort_key(e.file_id)), refused


def id_sort_key(file_id: str) -> tuple[tuple[int, str], ...]:
    """Order ids as goals, targets and indicators are numbered (2-1-1 before 10-1-1)."""
    return tuple((int(part), "") if part.isdigit() else (10**6, part)
                 for part in file_id.split("-"))


def special_name(name: str) -> str:
    """The Open SDG column a dimension is: Series, Units, GeoCode, or itself."""
    return SPECIAL.get(name.lower(), name)


def dimension_columns(indicator: LocalIndicator) -> tuple[list[str], list[str]]:
    """The indicator's dimension names split into (Series/Units/GeoCode, disaggregations)."""
    names = [d.name for d in indicator.dimensions]
    special = [n for n in names if n.lower() in SPECIAL]
    return special, [n for n in names if n.lower() not in SPECIAL]


def folded(breakdown: dict[str, str]) -> dict[str, str]:
    """A breakdown keyed by lower-case dimension name (names match whatever their case)."""
    return {name.lower(): value for name, value in breakdown.items()}


def breakdown_row(breakdown: dict[str, str], names: Sequence[str]) -> list[str]:
    """The breakdown's value for each dimension name ("" where it is the total)."""
    lower = folded(breakdown)
    return [lower.get(name.lower(), "") for name in names]
