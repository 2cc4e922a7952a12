"""Tick labels read back as the values they label (the oracle is the tick value itself, not
what the code printed): "23.6k" for 236 000 was a bug no pinned output caught."""

import math

from hypothesis import given
from hypothesis import strategies as st

from tracker.charts.scale import nice_ticks, tick_labels

MULTIPLIERS = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def read_back(label: str) -> float:
    """Parse a tick label as a reader would: a number with an optional k/M/B/T suffix."""
    text = label.replace("\u2212", "-")
    factor = MULTIPLIERS.get(text[-1], 1.0)
    return float(text[:-1] if text[-1] in MULTIPLIERS else text) * factor


def test_hand_checked_labels() -> None:
    assert tick_labels([0, 100_000, 200_000, 300_000]) == ["0", "100k", "200k", "300k"]
    assert read_back(tick_labels([0, 236_000])[1]) == 236_000
    assert tick_labels([0, 2_500, 5_000]) == ["0", "2500", "5000"]
    assert tick_labels([0, 1_000_000, 2_000_000]) == ["0", "1M", "2M"]


# Magnitudes drawn evenly on a log scale from 1e-6 to 1e12, of either sign, so every
# suffix band (and the band without one) is drawn as often as any other.
MAGNITUDE = st.floats(-6, 12).map(lambda exponent: 10.0 ** exponent)


@given(MAGNITUDE, st.sampled_from([-1.0, 0.0, 1.0]), MAGNITUDE)
def test_every_tick_label_reads_back_as_its_tick(size: float, sign: float,
                                                  span: float) -> None:
    low = sign * size
    ticks = nice_ticks(low, low + span)
    labels = tick_labels(ticks)
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    for tick, label in zip(ticks, labels, strict=True):
        # Shown to the precision of the step: off by far less than one step.
        assert math.isclose(read_back(label), tick, rel_tol=1e-9, abs_tol=step * 1e-6), \
            (ticks, labels)
