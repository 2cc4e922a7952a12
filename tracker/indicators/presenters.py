"""How local indicators read on pages, in the API, CSV files and PDF reports: units, numbers,
labels and reporting years."""

from typing import Any

from flask_babel import gettext as _

from tracker.cities.models import City
from tracker.indicators.forms import choice_label, field_label, number_text
from tracker.indicators.models import LocalIndicator, UnitKind
from tracker.plans.models import period_label


def unit_text(indicator: LocalIndicator) -> str:
    """Say what the values are in: "%", "per 100 000 people", "ZAR", "households"."""
    label = indicator.unit_label.strip()
    fixed = {UnitKind.PERCENT: "%", UnitKind.TCO2E: "tCO2e",
             UnitKind.RATE_1000: _("per 1 000"), UnitKind.RATE_100000: _("per 100 000")}
    if indicator.unit_kind in fixed:
        return " ".join(filter(None, [fixed[indicator.unit_kind], label]))
    return label or choice_label("unit_kind", indicator.unit_kind)


def year_label(year: int, city: City) -> str:
    """Name a reporting year in the city's own terms (a fiscal year if it has one)."""
    return period_label(year, year, city.fiscal_year_start_month)


def template_helpers() -> dict[str, Any]:
    """The labels and number formatting the indicator templates use."""
    return {"choice_label": choice_label, "field_label": field_label, "number_text": number_text,
            "unit_text": unit_text, "year_label": year_label}
