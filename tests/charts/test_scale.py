"""Axis scales: nice 1-2-5 ticks, compact labels and non-overlapping year ticks."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.charts.scale import format_value, nice_ticks, tick_labels, year_ticks

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


def _is_nice(step: float) -> bool:
    """Whether a step is 1, 2, 2.5 or 5 times a power of ten."""
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    return any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5, 10))


@given(finite, finite)
def test_ticks_are_nice_evenly_spaced_and_cover_the_range(a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    ticks = nice_ticks(lo, hi, 6)
    assert 4 <= len(ticks) <= 6
    step = ticks[1] - ticks[0]
    # Values within a millionth of a step of a tick count as on it (invisible at any size).
    assert ticks[0] <= lo + step * 1e-6 and ticks[-1] >= hi - step * 1e-6
    assert _is_nice(step)
    for x, y in zip(ticks, ticks[1:], strict=False):
        assert math.isclose(y - x, step, rel_tol=1e-6, abs_tol=1e-9 * max(1, abs(hi)))


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    (12, 97, [0, 20, 40, 60, 80, 100]),
    (-5, 5, [-5, -2.5, 0, 2.5, 5]),  # step 2 would need 7 ticks (-6 … 6), 5 only gives 3
    (180.2, 246.5, [180, 200, 220, 240, 260]),  # the axis ends on a nice tick, not at 246.5
    (-0.3, 0.7, [-0.4, -0.2, 0, 0.2, 0.4, 0.6, 0.8]),
    (1234567, 2456789, [1e6, 1.5e6, 2e6, 2.5e6]),
])
def test_known_ticks(lo: float, hi: float, expected: list[float]) -> None:
    ticks = nice_ticks(lo, hi, 7 if len(expected) == 7 else 6)
    assert ticks == pytest.approx(expected)


def test_equal_values_still_get_a_range_around_the_value() -> None:
    ticks = nice_ticks(42, 42)
    assert ticks[0] < 42 < ticks[-1]
    assert nice_ticks(0, 0)[0] == 0 and nice_ticks(0, 0)[-1] > 0


def test_tick_labels_are_compact_for_millions_and_use_a_real_minus() -> None:
    assert tick_labels(nice_ticks(0, 2.4e6)) == ["0", "0.5M", "1M", "1.5M", "2M", "2.5M"]
    assert tick_labels([-2e9, 0, 2e9]) == ["\u22122B", "0", "2B"]
    assert tick_labels([0, 0.25, 0.5]) == ["0", "0.25", "0.5"]


def test_format_value() -> None:
    assert format_value(2_412_345.6) == "2.41M"
    assert format_value(12.345678) == "12.3457"
    assert format_value(-3) == "\u22123"
    assert format_value(0.000123) == "0.000123"  # three significant digits, not "0.0001"
    assert format_value(12_345.5) == "12,345.5"
    assert format_value(None) == "–"


@pytest.mark.parametrize("span", [0, 1, 5, 12, 30, 60, 200])
def test_year_ticks_never_overlap(span: int) -> None:
    width, label = 560, 44
    ticks = year_ticks(2000, 2000 + span, width, label)
    assert ticks and all(isinstance(t, int) for t in ticks)
    assert all(2000 <= t <= 2000 + span for t in ticks)
    if len(ticks) > 1:
        gap_px = (ticks[1] - ticks[0]) * width / max(span, 1)
        assert gap_px >= label
        assert len({b - a for a, b in zip(ticks, ticks[1:], strict=False)}) == 1


def test_thirty_years_show_every_fifth_year() -> None:
    assert year_ticks(2000, 2030, 560, 44) == [2000, 2005, 2010, 2015, 2020, 2025, 2030]
