"""Chart numbers: the fast formatting path writes exactly what babel writes for the locale."""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from tracker.charts.numbers import MINUS, PLAIN, fixed, localise, short_form

LOCALES = ["en", "de", "fr", "es", "it", "pt_BR", "de_CH", "ru", "hi", "ar"]


@given(st.decimals(min_value=-10**12, max_value=10**12, places=6, allow_nan=False),
       st.sampled_from(LOCALES))
def test_localised_digits_equal_babels(value: Decimal, locale: str) -> None:
    python = f"{value:,.6f}".rstrip("0").rstrip(".")
    expected = format_decimal(Decimal(python.replace(",", "")), locale=locale,
                              decimal_quantization=False).replace("-", MINUS)
    assert localise(python, Locale.parse(locale)) == expected


def test_short_forms_start_at_a_million() -> None:
    en = Locale.parse("en")
    assert short_form(999_999, en) == PLAIN
    assert short_form(1_000_000, en).suffix == "M"
    assert fixed([-2_390_000], short_form(2_390_000, en), 2, en) == ["\u22122.39M"]
    assert fixed([-0.0001], PLAIN, 2, en) == ["0"]  # rounded away: no "−0"
