"""The one place a stored period becomes the text a page, file, report or API answer shows.

A cell shows the label its source wrote ("2009-2010", "2017-2019", "2024 Q2"); a cell stored
without one (entered on the grid) shows the label its indicator's calendar gives: "2015" for
a calendar year, "2015/16" for the fiscal year of a city whose year starts in April. Only
where there is no indicator (a reporting window, a period form's heading) does the city's
fiscal year name the period.
"""

import re
from typing import Protocol

from flask_babel import gettext as _

from tracker.cities.models import City
from tracker.data.models import WHOLE_YEAR, PeriodKind
from tracker.data.period_labels import (
    PeriodRef,
    derived_label,
    is_fiscal,
    parse_period_label,
    period_text,
)
from tracker.indicators.models import LocalIndicator, PeriodCalendar

SPLIT_QUARTER_RE = re.compile(r"^\s*\d{4}\s*[-/–]\s*\d{2,4}\s*[- ]?\s*Q", re.IGNORECASE)


class PeriodCell(Protocol):
    """Anything that holds a stored period: an observation, a grid row."""

    year: int
    quarter: int
    period_label: str
    period_kind: PeriodKind
    span_years: int


def cell_ref(cell: PeriodCell) -> PeriodRef:
    """The period a stored cell holds."""
    return PeriodRef(cell.year, cell.quarter, PeriodKind(cell.period_kind), cell.span_years,
                     cell.period_label)


def cell_period(city: City, indicator: LocalIndicator, cell: PeriodCell) -> str:
    """What every page, file and answer shows for a cell's period: its own label, else the
    label of its indicator's calendar (else the city's)."""
    return ref_period(city, indicator, cell_ref(cell))


def ref_period(city: City, indicator: LocalIndicator, ref: PeriodRef) -> str:
    """What cell_period shows for a period not stored yet (a value being entered)."""
    return period_text(ref, is_fiscal(indicator, city.fiscal_year_start_month))


def city_period_name(city: City, year: int, quarter: int) -> str:
    """Name a period of the city as a whole (no indicator): its fiscal year, or quarter."""
    return derived_label(year, quarter, city.fiscal_year_start_month != 1)


def entered_ref(year: int, quarter: int, span_years: int = 1, label: str = "") -> PeriodRef:
    """The period of a value entered by year, quarter and span, with the label of the row it
    was entered in (ValueError when that label names another period)."""
    if label.strip():
        ref = parse_period_label(label)
        if ref.key != (year, quarter, span_years):
            raise ValueError(_("'%(label)s' is not the period of this cell.", label=label))
        return ref
    kind = PeriodKind.QUARTER if quarter != WHOLE_YEAR else \
        PeriodKind.RANGE if span_years > 1 else PeriodKind.YEAR
    return PeriodRef(year, quarter, kind, span_years)


def calendar_conflict(indicator: LocalIndicator, ref: PeriodRef) -> str | None:
    """Say why a period cannot be one of the indicator's, if it cannot.

    Only a split year ("2015-16", "2015-16 Q2") given to an indicator declared to count
    calendar years is refused: it would sit in the cell of the calendar year it starts in,
    beside a different period. A bare year in a fiscal indicator is its fiscal year, as this
    tracker's sheets always wrote it, and a range fits either calendar."""
    split = ref.kind == PeriodKind.SPLIT_YEAR or (
        ref.kind == PeriodKind.QUARTER and SPLIT_QUARTER_RE.match(ref.label) is not None)
    if split and indicator.calendar == PeriodCalendar.CALENDAR:
        return str(_("'%(label)s' is a split (fiscal) year, but %(code)s counts calendar "
                     "years: write the calendar year, or set the indicator's calendar to the "
                     "fiscal year.", label=ref.label, code=indicator.code))
    return None

