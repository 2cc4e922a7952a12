"""How progress figures read: numbers, years, shares and breakdown names, the same on the
pages, in the API, the CSV exports and the PDF reports."""

import math
from decimal import Decimal

from flask_babel import gettext as _

from tracker.plans.models import period_label


def decimal_text(value: float | Decimal | None) -> str:
    """Show a figure of the why panel: 4 significant digits below 1000, whole numbers from
    there on, never an exponent."""
    if value is None:
        return "—"
    number = float(value)
    if not math.isfinite(number):
        return "∞" if number > 0 else "−∞"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    text = f"{number:.4g}"
    return f"{number:.6f}".rstrip("0").rstrip(".") if "e" in text else text


def number_text(value: float | None) -> str:
    """Show a value or target: whole thousands with separators, else as the why panel does
    (decimal_text writes 598000 as 5.98e+05)."""
    if value is not None and math.isfinite(value) and abs(value) >= 1000:
        return f"{value:,.0f}" if value == round(value) else f"{value:,.2f}"
    return decimal_text(value)


def year_text(year: int | None, fiscal_start: int) -> str:
    """Show a year as the city reads it ("2021/22" for a July year); "—" for none."""
    if year is None:
        return "—"
    return period_label(year, year, fiscal_start)


def percent(share: float | None) -> str:
    """A share (0.42) as "42 %"."""
    if share is None or not math.isfinite(share):
        return "—"
    return str(_("%(value)s %%", value=f"{share * 100:.1f}".rstrip("0").rstrip(".")))


def breakdown_label(key: str) -> str:
    """Name a breakdown: "Total", or its values ("female · urban")."""
    if not key:
        return str(_("Total"))
    return " · ".join(part.split("=", 1)[-1] for part in key.split("|"))
