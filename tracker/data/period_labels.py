"""Periods as their sources write them: "2015", "2015-16", "2009-2010", "2017-2019", "2024 Q2".

A period keeps its label and kind; it is stored by its first year (as Open SDG assesses it),
its quarter and how many years it spans. A calendar year is never relabelled fiscal: whether
a bare year is a calendar or a fiscal year is the indicator's calendar, not the city's.
"""

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.data.models import WHOLE_YEAR, PeriodKind
from tracker.indicators.models import LocalIndicator, PeriodCalendar

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_SPAN = 50
YEAR_RE = re.compile(r"^(\d{4})$")
TWO_YEARS_RE = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
QUARTER_RE = re.compile(
    r"^(?:(\d{4})(?:\s*[-/–]\s*(\d{2}|\d{4}))?\s*[- ]?\s*Q([1-4])|Q([1-4])\s+(\d{4}))$",
    re.IGNORECASE)


@dataclass(frozen=True)
class PeriodRef:
    """A period: first year, quarter (0 = whole year), kind, years spanned, label as written."""

    year: int
    quarter: int = WHOLE_YEAR
    kind: PeriodKind = PeriodKind.YEAR
    span_years: int = 1
    label: str = ""

    @property
    def key(self) -> tuple[int, int, int]:
        """The period's identity within an indicator (the label is not part of it)."""
        return self.year, self.quarter, self.span_years

    @property
    def last_year(self) -> int:
        """The last year the period covers."""
        return self.year + self.span_years - 1


def parse_period_label(text: str) -> PeriodRef:
    """Read a period label; raise ValueError saying why a label is not one."""
    label = text.strip()
    if match := YEAR_RE.match(label):
        return PeriodRef(_checked_year(int(match[1]), label), label=label)
    if match := TWO_YEARS_RE.match(label):
        return _two_years(label, int(match[1]), match[2])
    if match := QUARTER_RE.match(label):
        year = int(match[1] or match[5])
        quarter = int(match[3] or match[4])
        if match[2] is not None and _two_years(label, year, match[2]).span_years != 1:
            raise ValueError(_("'%(text)s': a quarter belongs to one year or split year "
                               "(2024 Q2, 2024-25 Q2).", text=label))
        return PeriodRef(_checked_year(year, label), quarter, PeriodKind.QUARTER, label=label)
    raise ValueError(_("'%(text)s' is not a period: write a year (2015), a split year "
                       "(2015-16), a range of years (2017-2019) or a quarter (2024 Q2).",
                       text=text))


def _checked_year(year: int, label: str) -> int:
    """The year, if this tracker knows it."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_("'%(text)s': %(year)d is not a year this tracker knows.",
                           text=label, year=year))
    return year


def _two_years(label: str, first: int, end_text: str) -> PeriodRef:
    """A split year ("2015-16", "2009-2010") or a range ("2017-2019", "2000 - 02")."""
    _checked_year(first, label)
    last = int(end_text)
    if len(end_text) == 2:  # the end year's last two digits, in the century that follows
        last += first - first % 100
        last += 100 if last <= first else 0
        if "/" in label and last != first + 1:  # "2023/25" is a mistyped split year
            raise ValueError(_("'%(text)s' is not a split year: it must end the year after "
                               "it starts (e.g. %(year)d/%(next)02d).", text=label, year=first,
                               next=(first + 1) % 100))
    if last == first + 1:
        return PeriodRef(first, kind=PeriodKind.SPLIT_YEAR, label=label)
    if not first < last < first + MAX_SPAN:
        raise ValueError(_("'%(text)s' is not a range of years: the second year must come "
                           "after the first, within %(max)d years.", text=label, max=MAX_SPAN))
    _checked_year(last, label)
    return PeriodRef(first, kind=PeriodKind.RANGE, span_years=last - first + 1, label=label)


def is_fiscal(indicator: LocalIndicator, fiscal_year_start_month: int) -> bool:
    """Are the indicator's single-year periods fiscal years (its calendar, else the city's)?"""
    if indicator.calendar is not None:
        return indicator.calendar == PeriodCalendar.FISCAL
    return fiscal_year_start_month != 1


def derived_label(year: int, quarter: int, fiscal: bool) -> str:
    """The label of a period stored without one: "2023", "2023/24", "2023/24 Q2"."""
    text = f"{year}/{(year + 1) % 100:02d}" if fiscal else str(year)
    return f"{text} Q{quarter}" if quarter else text


def period_text(ref: PeriodRef, fiscal: bool) -> str:
    """What a page, file or report shows for a period: its own label, else the derived one."""
    if ref.label:
        return ref.label
    if ref.span_years > 1:
        return f"{ref.year}-{ref.last_year}"
    return derived_label(ref.year, ref.quarter, fiscal)
