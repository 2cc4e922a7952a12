"""What the Open SDG importer makes of words and numbers: exact values or the reason, unit
kinds, codes and attribute columns (no database)."""

from decimal import Decimal

import pytest

from tracker.indicators.models import UnitKind
from tracker.opensdg.mapping import code_of, exact_decimal, is_attribute, unit_kind

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.mark.parametrize(("text", "value"), [
    ("12.5", Decimal("12.5")), ("-0.0000000001", Decimal("-1E-10")),
    ("1.10000000000", Decimal("1.1")),  # 11 places written, but exactly 1.1
    ("123456789012345678.5", Decimal("123456789012345678.5")), ("1e5", Decimal("100000")),
    (" 7 ", Decimal("7")), ("5.74112931965", Decimal("5.74112931965")),
    ("1234567890123456789.000000000001", Decimal("1234567890123456789.000000000001")),
])
def test_values_are_read_exactly(text: str, value: Decimal) -> None:
    assert exact_decimal(text) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("1e-101", "outside the numbers"), ("1e101", "outside the numbers"),
    ("NaN", "not a number"), ("12,5", "not a number"),
    ("Infinity", "not a number"), ("0x10", "not a number"),
])
def test_values_that_are_no_numbers_or_absurd_are_refused_not_rounded(text: str,
                                                                 reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        exact_decimal(text)


@pytest.mark.parametrize(("units", "kind"), [
    ("Percent", UnitKind.PERCENT), ("Percentage (%)", UnitKind.PERCENT),
    ("Number", UnitKind.COUNT), ("Number of households", UnitKind.COUNT),
    ("Rate per 100,000 population", UnitKind.RATE_100000),
    ("Deaths per 1,000 live births", UnitKind.RATE_1000),
    ("1000 live births", UnitKind.RATE_1000), ("no. Tourism jobs", UnitKind.COUNT),
    ("GBP (£)", UnitKind.CURRENCY), ("US dollars", UnitKind.CURRENCY),
    ("Tonnes CO2e", UnitKind.TCO2E), ("Micrograms per cubic metre", UnitKind.OTHER),
    ("", UnitKind.OTHER),
])
def test_units_map_to_the_best_kind(units: str, kind: UnitKind) -> None:
    assert unit_kind(units) == kind


@pytest.mark.parametrize(("opensdg_id", "code"), [("1-2-1", "1.2.1"), ("10-x-2", "10.x.2"),
                                                  ("11-1-1-a", "11.1.1.a")])
def test_codes_are_ids_with_dots(opensdg_id: str, code: str) -> None:
    assert code_of(opensdg_id) == code


def test_attribute_columns_by_name_or_declaration() -> None:
    assert is_attribute("COMMENT_OBS", set()) and is_attribute("Observation status", set())
    assert is_attribute("Footnote", set()) and is_attribute("My note", {"my_note"})
    assert not is_attribute("Indicator", set()) and not is_attribute("Source", set())
