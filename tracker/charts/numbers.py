"""Chart numbers in the reader's locale: grouped digits (2,390,000 · 2.390.000 · 2 390 000), and
from a million on the locale's short form (2.4M · 2,4 Mio. · 2,4 M) with one divisor per axis."""

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from babel import Locale
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from flask_babel import get_locale

MINUS = "\u2212"
# Short forms start at a million: below that, grouped digits ("250,000") read at a glance and
# a thousands suffix saves too little width to be worth the reader's arithmetic.
SHORT_FROM = 6
# CLDR lists short forms for 10^3 … 10^14; bigger numbers use the 10^14 form ("1,000T").
SHORT_UP_TO = 14


class ShortForm(NamedTuple):
    """A locale's short form for a magnitude: divide by 10**shift, then add prefix and suffix."""

    shift: int
    prefix: str
    suffix: str


PLAIN = ShortForm(0, "", "")
ENGLISH = Locale.parse("en")


def chart_locale() -> Locale:
    """Return the current Flask-Babel locale (English outside an app context)."""
    return get_locale() or ENGLISH


def _unquote(affix: str) -> str:
    """Drop CLDR's quoting from a pattern affix: "Mio'.'" → "Mio." ('' stands for ')."""
    return affix.replace("''", "\0").replace("'", "").replace("\0", "'")


@functools.lru_cache(maxsize=128)
def _short_form(locale: Locale, exponent: int) -> ShortForm:
    """Look up the short form CLDR gives numbers of 10**exponent (up to ten times that)."""
    if exponent < SHORT_FROM:
        return PLAIN
    formats = locale.compact_decimal_formats.get("short", {}).get("other", {})
    pattern = formats.get(str(10 ** min(exponent, SHORT_UP_TO)))
    if pattern is None or "0" not in pattern.pattern.replace("''", ""):
        return PLAIN
    # "000M" for 10^8 means: divide by 10^6, keep up to three integer digits.
    shift = min(exponent, SHORT_UP_TO) - (pattern.int_prec[0] - 1)
    return ShortForm(shift, _unquote(pattern.prefix[0]), _unquote(pattern.suffix[0]))


def short_form(biggest: float, locale: Locale) -> ShortForm:
    """Return the short form for numbers up to `biggest` in size (PLAIN below a million)."""
    exponent = len(str(int(abs(biggest)))) - 1 if abs(biggest) >= 1 else 0
    return _short_form(locale, exponent)


@functools.lru_cache(maxsize=128)
def _translation(locale: Locale) -> dict[int, str] | None:
    """For a locale whose numbers read like Python's "-1,234.5" with other symbols, the table
    that swaps them in (so Python formats them fast); None for any other locale."""
    group, point = get_group_symbol(locale), get_decimal_symbol(locale)
    probe = format_decimal(Decimal("-1234567.25"), locale=locale, decimal_quantization=False)
    if probe != f"-1{group}234{group}567{point}25":
        return None
    return str.maketrans({",": group, ".": point, "-": MINUS})


def localise(text: str, locale: Locale) -> str:
    """Turn Python's "-1,234.5" into the locale's digits, with a real minus sign."""
    table = _translation(locale)
    if table is None:  # lakh grouping (12,34,567), a marked minus…: babel does it all
        return format_decimal(Decimal(text.replace(",", "")), locale=locale,
                              decimal_quantization=False).replace("-", MINUS)
    return text.translate(table)  # the fast path: babel takes ~30 µs a number


def number(value: float, form: ShortForm, decimals: int, locale: Locale) -> str:
    """Format a value in a short form, rounded to `decimals` with trailing zeros trimmed."""
    text = f"{value / 10.0 ** form.shift if form.shift else value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("0", "-0"):  # zero, or a tiny or negative zero rounded away: plain "0"
        return "0"
    return form.prefix + localise(text, locale) + form.suffix


def fixed(values: Sequence[float], form: ShortForm, decimals: int, locale: Locale) -> list[str]:
    """Format values alike: one short form, one rounding (trailing zeros trimmed)."""
    return [number(float(v), form, decimals, locale) for v in values]
