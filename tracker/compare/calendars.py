"""Fiscal or calendar: whose year a compared value belongs to, and the row note that says so
when one row puts a fiscal year ("2022/23", eThekwini's July–June) beside a calendar year.

A value is a fiscal year's when its indicator counts fiscal years (its calendar, else its
city's: tracker.data.period_labels.is_fiscal) or when its source wrote a split year
("2015-16") for it."""

from flask_babel import gettext as _

from tracker.cities.models import City
from tracker.data.period_labels import derived_label, is_fiscal
from tracker.indicators.models import LocalIndicator


def cell_calendar(city: City, indicator: LocalIndicator, year: int,
                  split_labels: dict[tuple[int, int], str]) -> tuple[bool, str]:
    """Return whether a cell's value is for a fiscal year, and its period as shown."""
    label = split_labels.get((indicator.id or 0, year))
    if label:
        return True, label
    fiscal = is_fiscal(indicator, city.fiscal_year_start_month)
    return fiscal, derived_label(year, 0, fiscal)


def period_words(fiscal: bool, period: str) -> str:
    """Say a period with its calendar: "fiscal 2022/23", "calendar 2022"."""
    if fiscal:
        return str(_("fiscal %(period)s", period=period))
    return str(_("calendar %(period)s", period=period))


def calendar_note(cells: list[tuple[str, bool, str]]) -> str:
    """The row's note: which cities show fiscal years and which calendar years."""
    fiscal = ", ".join(f"{name} ({period_words(True, period)})"
                       for name, is_fiscal_year, period in cells if is_fiscal_year)
    calendar = ", ".join(f"{name} ({period_words(False, period)})"
                         for name, is_fiscal_year, period in cells if not is_fiscal_year)
    return str(_("Fiscal years beside calendar years: %(fiscal)s beside %(calendar)s. A fiscal "
             "year overlaps two calendar years; the values are compared as they are and "
             "still scored.", fiscal=fiscal, calendar=calendar))
