"""Axis scales: "nice" 1-2-5 value ticks, compact tick labels and non-overlapping year ticks."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

NICE_STEPS = (1, 2, 5, 10)
# Compact suffixes for large magnitudes: 2.4M rather than 2400000. Each is (from what
# magnitude on, what it divides by, the suffix): "k" starts at 10 000 (2,500 stays 2500)
# but still means a thousand.
SUFFIXES = ((1e12, 1e12, "T"), (1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k"))


def nice_step(raw: float) -> float:
    """Round a raw step up to 1, 2 or 5 times a power of ten."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in NICE_STEPS:
        if raw <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power


def _pad_flat(lo: float, hi: float) -> tuple[float, float]:
    """Widen an empty range (all values equal, to float precision) so it has ticks around it."""
    span = hi - lo
    if span > max(abs(lo), abs(hi)) * 1e-9 and span > 1e-300:
        return lo, hi
    if abs(lo) < 1e-300:
        return 0.0, 1.0
    pad = abs(lo) * 0.1
    return lo - pad, lo + pad


def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Return evenly spaced 1-2-5 ticks that cover [lo, hi] with at most `max_ticks` ticks."""
    lo, hi = _pad_flat(float(min(lo, hi)), float(max(lo, hi)))
    step = nice_step((hi - lo) / max(max_ticks - 1, 1))
    while True:
        first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
        if last - first + 1 <= max_ticks:
            break
        step = nice_step(step * 1.01)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    return [_clean(round(k * step, decimals)) for k in range(first, last + 1)]


def _clean(value: float) -> float:
    """Drop a negative zero so ticks print the same way on every platform."""
    return 0.0 if value == 0 else value


def step_decimals(values: Sequence[float], limit: int = 10) -> int:
    """Return the fewest decimals (up to `limit`) that print every tick exactly: 0.25 needs 2."""
    for decimals in range(limit + 1):
        if all(math.isclose(round(v, decimals), v, rel_tol=1e-9, abs_tol=1e-12) for v in values):
            return decimals
    return limit


def tick_labels(ticks: Sequence[float]) -> list[str]:
    """Format ticks compactly with one shared suffix and decimals: 0, 0.5M, 1M, 1.5M."""
    biggest = max((abs(t) for t in ticks), default=0)
    divisor, suffix = next(((d, s) for start, d, s in SUFFIXES if biggest >= start), (1.0, ""))
    scaled = [t / divisor for t in ticks]
    decimals = step_decimals(scaled)
    return [_format_fixed(v, decimals) + (suffix if v else "") for v in scaled]


def _format_fixed(value: float, decimals: int) -> str:
    """Format with fixed decimals, trimming trailing zeros, and a real minus sign."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "\u2212")


def format_value(value: float | Decimal | None) -> str:
    """Format a data value for titles and descriptions: compact for large magnitudes."""
    if value is None:
        return "–"
    v = float(value)
    for start, divisor, suffix in SUFFIXES[:-1]:
        if abs(v) >= start:
            return _format_fixed(round(v / divisor, 2), 2) + suffix
    return _format_fixed(round(v, 4), 4) if not v.is_integer() else _format_fixed(v, 0)


def year_ticks(first: int, last: int, plot_width: float, label_width: float = 40) -> list[int]:
    """Return integer year ticks whose labels (about `label_width` wide) never overlap."""
    span = max(last - first, 0)
    room = max(int(plot_width // label_width), 2)
    step = 1
    while span // step + 1 > room:
        step = int(nice_step(step * 1.01))
    start = math.ceil(first / step) * step
    return list(range(start, last + 1, step)) or [first]


@dataclass(frozen=True)
class LinearScale:
    """Map a data domain linearly onto a pixel range (y ranges run downwards)."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float | Decimal) -> float:
        """Return the pixel position of a data value."""
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (float(value) - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)
