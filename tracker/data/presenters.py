"""How data entry reads: numbers, units, reasons for a missing value and column labels, the
same on the grid, the period form, the review queue and in messages."""

from collections.abc import Callable
from typing import Any

from flask_babel import get_translations
from flask_wtf.csrf import generate_csrf

from tracker.data import queries
from tracker.data.forms import reason_label
from tracker.data.models import MissingReason, Observation
from tracker.indicators.forms import number_text
from tracker.indicators.models import LocalIndicator
from tracker.indicators.presenters import unit_text


def fast_gettext() -> Callable[..., str]:
    """Return a gettext bound to this request's translations.

    The grid and the period form translate a few strings per cell, hundreds of cells a page;
    Flask-Babel looks the translations up again on every call, which took most of the
    page's time. The result is plain text: autoescaping escapes it, and the values in it,
    when the template prints it."""
    translations = get_translations()

    def gettext(string: str, **variables: Any) -> str:
        """Translate a string, then fill in its variables."""
        text: str = translations.ugettext(string)
        return text % variables if variables else text

    return gettext


def entry_helpers() -> dict[str, Any]:
    """Give the data-entry templates their number, unit and reason labels, a fast gettext
    and the CSRF token, each looked up once per page rather than once per cell."""
    reasons = {reason.value: reason_label(reason) for reason in MissingReason}
    return {"number_text": number_text, "unit_text": unit_text,
            "reason_label": lambda reason: reasons.get(reason, reason or ""),
            "_": fast_gettext(), "csrf": generate_csrf()}


def column_label(indicator: LocalIndicator, cell: Observation) -> str:
    """Return the label of a cell's column."""
    column = queries.find_column(indicator, cell.breakdown_key)
    return column.label if column else cell.breakdown_key
