"""Tick labels read back as the values they label, in the reader's locale (the oracle is the tick
value itself, not what the code printed): "23.6k" for 236 000 was a bug no pinned output caught.

The separators and short forms below are written out by hand from the locales' conventions
(CLDR), not read from the code under test."""

import math
from decimal import Decimal

import pytest
from babel import Locale
from flask import Flask
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st

from tracker.charts.scale import nice_ticks, tick_labels

# locale: (group separator, decimal separator, {short form: multiplier})
LOCALES = {
    "en": (",", ".", {"M": 1e6, "B": 1e9, "T": 1e12}),
    "de": (".", ",", {"\u00a0Mio.": 1e6, "\u00a0Mrd.": 1e9, "\u00a0Bio.": 1e12}),
    "fr": ("\u202f", ",", {"\u00a0M": 1e6, "\u00a0Md": 1e9, "\u00a0Bn": 1e12}),
    # Spanish says "mil millones" (10^9: "mil M", or "1000 M" below 10^10) and "billón" (10^12).
    "es": (".", ",", {"\u00a0M": 1e6, "\u00a0mil\u00a0M": 1e9, "\u00a0B": 1e12}),
    # Hindi counts in lakh (10^5), crore (10^7), arab (10^9), kharab (10^11), neel (10^13).
    "hi": (",", ".", {"\u00a0लाख": 1e5, "\u00a0क॰": 1e7, "\u00a0अ॰": 1e9, "\u00a0ख॰": 1e11,
                      "\u00a0नील": 1e13}),
}


def read_back(label: str, locale: str = "en") -> float:
    """Parse a tick label as a reader of the locale would: grouped digits, short form."""
    group, point, short = LOCALES[locale]
    factor = 1.0
    for suffix, multiplier in sorted(short.items(), key=lambda item: -len(item[0])):
        if label.endswith(suffix):
            label, factor = label[: -len(suffix)], multiplier
            break
    text = label.replace("\u2212", "-").replace(group, "").replace(point, ".")
    return float(Decimal(text)) * factor


def test_hand_checked_labels() -> None:
    assert tick_labels([0, 100_000, 200_000, 300_000]) == ["0", "100,000", "200,000", "300,000"]
    assert read_back(tick_labels([0, 236_000])[1]) == 236_000
    assert tick_labels([0, 2_500, 5_000]) == ["0", "2,500", "5,000"]
    assert tick_labels([0, 1_000_000, 2_000_000]) == ["0", "1M", "2M"]
    assert tick_labels([-2.5e-7, 0, 2.5e-7]) == ["\u22120.00000025", "0", "0.00000025"]


@pytest.mark.parametrize(("locale", "labels"), [
    ("de", ["0", "250.000", "500.000"]),
    ("fr", ["0", "250\u202f000", "500\u202f000"]),
    ("hi", ["0", "2,50,000", "5,00,000"]),  # lakh grouping
])
def test_thousands_separators_follow_the_locale(locale: str, labels: list[str]) -> None:
    assert tick_labels([0, 250_000, 500_000], Locale.parse(locale)) == labels


def test_labels_follow_the_current_flask_babel_locale(app: Flask) -> None:
    with app.test_request_context(), force_locale("de"):
        assert tick_labels([0, 1.5e6, 3e6]) == ["0", "1,5\u00a0Mio.", "3\u00a0Mio."]
        assert tick_labels([0, 2_500]) == ["0", "2.500"]


# Magnitudes drawn evenly on a log scale from 1e-6 to 1e12, of either sign, so every
# short-form band (and the band without one) is drawn as often as any other; a negative
# start with a larger span gives a range of mixed sign.
MAGNITUDE = st.floats(-6, 12).map(lambda exponent: 10.0 ** exponent)


@given(MAGNITUDE, st.sampled_from([-1.0, 0.0, 1.0]), MAGNITUDE, st.sampled_from(list(LOCALES)))
def test_every_tick_label_reads_back_as_its_tick(size: float, sign: float, span: float,
                                                  locale: str) -> None:
    low, high = sign * size, sign * size + span
    ticks = nice_ticks(low, high)
    labels = tick_labels(ticks, Locale.parse(locale))
    step = ticks[1] - ticks[0]
    assert 4 <= len(ticks) <= 6, ticks
    assert all(a < b for a, b in zip(ticks, ticks[1:], strict=False)), ticks
    # The ticks cover the data (a millionth of a step is invisible at any chart size).
    assert ticks[0] <= low + step * 1e-6 and ticks[-1] >= high - step * 1e-6
    assert len(set(labels)) == len(labels), labels
    for tick, label in zip(ticks, labels, strict=True):
        # Shown to the precision of the step: off by far less than one step.
        assert math.isclose(read_back(label, locale), tick, rel_tol=1e-9, abs_tol=step * 1e-6), \
            (ticks, labels)


@pytest.mark.parametrize("value", [0.0, 0.000123, -42.0, 2_390_000.0, 1e12])
def test_a_single_value_gets_at_least_four_ticks_around_it(value: float) -> None:
    # A flat range is widened (by a tenth of the value, or to 0–1 for zero) before ticking.
    ticks = nice_ticks(value, value)
    assert len(ticks) >= 4 and ticks[0] <= value <= ticks[-1]
    assert all(math.isclose(read_back(label), tick, rel_tol=1e-9)
               for tick, label in zip(ticks, tick_labels(ticks), strict=True))
