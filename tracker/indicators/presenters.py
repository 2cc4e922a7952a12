"""How local indicators read on pages, in the API, CSV files and PDF reports: units, numbers,
labels and reporting years."""

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from tracker.cities.models import City
from tracker.data.period_labels import derived_label, is_fiscal
from tracker.indicators.forms import choice_label, field_label, number_text
from tracker.indicators.models import LocalIndicator, UnitKind


def unit_text(indicator: LocalIndicator) -> str:
    """Say what the values are in: "%", "per 100 000 people", "ZAR", "households"."""
    label = indicator.unit_label.strip()
    fixed = {UnitKind.PERCENT: "%", UnitKind.TCO2E: "tCO2e",
             UnitKind.RATE_1000: _("per 1 000"), UnitKind.RATE_100000: _("per 100 000")}
    if indicator.unit_kind in fixed:
        return " ".join(filter(None, [fixed[indicator.unit_kind], label]))
    return label or choice_label("unit_kind", indicator.unit_kind)


def unit_after_value(indicator: LocalIndicator) -> str:
    """Say what follows a value: its unit, or nothing for a bare count ("12", never
    "12 Count": the kind names a column, not an amount)."""
    if indicator.unit_kind == UnitKind.COUNT and not indicator.unit_label.strip():
        return ""
    return unit_text(indicator)


def value_text(indicator: LocalIndicator, value: Decimal | None) -> str:
    """Write a value with its unit: "12", "12 households", "99.94 %", "1200 tCO2e"."""
    if value is None:
        return "—"
    return " ".join(filter(None, [number_text(value), unit_after_value(indicator)]))


def year_label(year: int, city: City, indicator: LocalIndicator | None = None) -> str:
    """Name a reporting year as the indicator counts years (its calendar, else the city's:
    a fiscal year if the city has one)."""
    fiscal = city.fiscal_year_start_month != 1 if indicator is None else \
        is_fiscal(indicator, city.fiscal_year_start_month)
    return derived_label(year, 0, fiscal)


def counts_fiscal(indicator: LocalIndicator, city: City) -> bool:
    """Are the indicator's years fiscal years (its calendar, else the city's)?"""
    return is_fiscal(indicator, city.fiscal_year_start_month)


def template_helpers() -> dict[str, Any]:
    """The labels and number formatting the indicator templates use."""
    return {"choice_label": choice_label, "field_label": field_label, "number_text": number_text,
            "unit_text": unit_text, "year_label": year_label, "counts_fiscal": counts_fiscal,
            "unit_after_value": unit_after_value, "value_text": value_text}
