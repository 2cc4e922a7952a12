"""Axis scales: "nice" value ticks, locale-aware tick labels and non-overlapping year ticks."""

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale

from tracker.charts.numbers import PLAIN, SHORT_FROM, chart_locale, fixed, number, short_form

NICE_STEPS = (1, 2, 5, 10)
# Value ticks step by 1, 2, 2.5 or 5 times a power of ten. No step is more than twice the one
# before, which is what guarantees at least four ticks (see nice_ticks).
NICE_MANTISSAS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
SHORT_FROM_VALUE = 10.0 ** SHORT_FROM


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


def _steps(raw: float) -> Iterator[Decimal]:
    """Yield nice steps in increasing order, from a tenth of `raw` or less upwards."""
    power = math.floor(math.log10(raw)) - 1
    while True:
        yield from (m.scaleb(power) for m in NICE_MANTISSAS)
        power += 1


def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Return ticks at the finest nice step that covers [lo, hi] in at most `max_ticks` ticks.

    With max_ticks >= 6 there are at least four: the next finer step (at most half as big)
    needed more than max_ticks ticks, so span/step > (max_ticks - 2) / 2 >= 2 and the
    ticks number at least span/step + 1 > 3. Ticks are exact decimals (2.5 × 10^-7, not
    2.4999999e-7), rounded once to the nearest float."""
    lo, hi = _pad_flat(float(min(lo, hi)), float(max(lo, hi)))
    for step in _steps((hi - lo) / max(max_ticks - 1, 1)):
        size = float(step)
        first, last = math.floor(lo / size + 1e-9), math.ceil(hi / size - 1e-9)
        if last - first + 1 <= max_ticks:
            return [_clean(float(step * k)) for k in range(first, last + 1)]
    raise AssertionError("unreachable: steps grow without bound")


def _clean(value: float) -> float:
    """Drop a negative zero so ticks print the same way on every platform."""
    return 0.0 if value == 0 else value


def shown_decimals(values: Sequence[float]) -> int:
    """Return the fewest decimals that show every value to 12 significant digits: 0.25 needs 2.

    Twelve digits drop float noise (0.1 + 0.2 shows as 0.3) yet keep every digit of a tick
    (a nice step is at least a 10^9th of the ticks' size, see scale._pad_flat)."""
    exponents = [Decimal(f"{v:.12g}").normalize().as_tuple().exponent for v in values if v]
    return max([0, *(-e for e in exponents if isinstance(e, int))])


def tick_labels(ticks: Sequence[float], locale: Locale | None = None) -> list[str]:
    """Label ticks in the locale with one shared short form and precision: 0, 0.5M, 1M."""
    locale = locale or chart_locale()
    form = short_form(max((abs(t) for t in ticks), default=0), locale)
    decimals = shown_decimals([t / 10.0 ** form.shift for t in ticks])
    return fixed(ticks, form, decimals, locale)


def format_value(value: float | Decimal | None, locale: Locale | None = None) -> str:
    """Format a data value for titles and descriptions: short form from a million on, else
    four decimals or three significant digits, whichever shows more (0.000123, 12.3457)."""
    if value is None:
        return "–"
    v, locale = float(value), locale or chart_locale()
    size = abs(v)
    if size >= SHORT_FROM_VALUE:
        return number(v, short_form(v, locale), 2, locale)
    decimals = 4 if size >= 0.01 or not size else 2 - math.floor(math.log10(size))
    return number(v, PLAIN, decimals, locale)


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
