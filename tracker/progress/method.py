"""The Open SDG (Statistics Canada) progress method for one series, as pure functions.

Specification: /work/shared/reference/progress-method.md §1–§10, checked against
`open-sdg/sdg-build:sdg/ProgressMeasure.py` @139fede. Floats throughout, as Open SDG uses;
Decimal (or any real number) input is accepted and converted.

One deliberate extension lives here because it replaces the reference's arithmetic: with
`linear_fallback` (the tracker's default), a zero base value, a base and latest value on
opposite sides of zero, or a base and target on opposite sides of zero are assessed with a
linear rate instead of CAGR (`method == "linear"`). With `linear_fallback=False` the result
is the reference implementation's, quirks included (0 → 0.001, not computable across zero).
"""

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple, SupportsFloat

from tracker.progress.result import (
    CAGR,
    DETERIORATION,
    LIMITED,
    LINEAR,
    MODERATE,
    NOT_AVAILABLE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
    TARGET_ZERO_NOTE,
    ProgressInputError,
    SeriesResult,
    Thresholds,
    direction_sign,
)

DEFAULT_BASE_YEAR = 2015
DEFAULT_TARGET_YEAR = 2030
ZERO_SUBSTITUTE = 0.001  # Open SDG's replacement for a zero base or target
LIMIT_EXPONENT = 4.44
METHOD1_THRESHOLDS = {"high": 0.015, "med": 0.005, "low": 0.0}
METHOD2_THRESHOLDS = {"high": 0.95, "med": 0.60, "low": 0.0}
DEFAULT_RATE_THRESHOLDS = Thresholds(**METHOD1_THRESHOLDS)
DEFAULT_TARGET_THRESHOLDS = Thresholds(**METHOD2_THRESHOLDS)

Number = SupportsFloat | Decimal
Point = tuple[int, Number | None]


def as_float(value: Number | None) -> float | None:
    """Convert a Decimal, int or float to float (None stays None)."""
    return None if value is None else float(value)


class CleanPoints(list[tuple[int, float]]):
    """Points already sorted, deduplicated and converted (so they are not cleaned twice)."""


def clean_points(points: Iterable[Point]) -> CleanPoints:
    """Sort the points by year, dropping blank values; a duplicated year is an error."""
    if isinstance(points, CleanPoints):
        return points
    given = [(int(year), float(value)) for year, value in points if value is not None]
    cleaned = dict(given)
    if len(cleaned) < len(given):
        years = [year for year, _ in given]
        twice = sorted({year for year in years if years.count(year) > 1})
        raise ProgressInputError(f"two values for the year {twice[0]}")
    return CleanPoints(sorted(cleaned.items()))


def first_year(text: str) -> int:
    """A year, or a fiscal period such as 2015-16 (its first year, as Open SDG does)."""
    text = text.strip()
    head = text[:4]
    # "20151" is a typo, not a period: a period continues with a separator.
    if len(head) != 4 or not head.isdigit() or text[4:5].isdigit():
        raise ProgressInputError(f"{text!r} is not a year such as 2015 or 2015-16")
    return int(head)


def find_base(points: list[tuple[int, float]], base_year: int) -> tuple[int, float] | None:
    """The base-year point, else the earliest point after it (None if all data are before)."""
    return next(((year, value) for year, value in points if year >= base_year), None)


def growth(value: float, base: float, year: int, base_year: int) -> float:
    """Compound annual growth rate from (base_year, base) to (year, value)."""
    return float((value / base) ** (1 / (year - base_year)) - 1)


def opposite(a: float, b: float) -> bool:
    """Are the two numbers strictly on opposite sides of zero?"""
    return (a > 0 > b) or (a < 0 < b)


def limit_coefficient(base_value: float, limit: float) -> float:
    """The coefficient c that shrinks method-1 thresholds near a natural limit."""
    base, lim = abs(base_value), abs(limit)
    if base >= 2 * lim:  # first, so that c = 1 when base and limit are both zero
        return 1.0
    if base <= lim:
        return float(1 - (base / lim) ** LIMIT_EXPONENT)
    return float(1 - ((2 * lim - base) / lim) ** LIMIT_EXPONENT)


def make_thresholds(with_target: bool, custom: Mapping[str, Number] | None,
                    limit: float | None, base_value: float) -> Thresholds:
    """Default thresholds of the method, overridden key by key, scaled for a limit (method 1)."""
    if not custom and (with_target or limit is None):
        return DEFAULT_TARGET_THRESHOLDS if with_target else DEFAULT_RATE_THRESHOLDS
    merged = dict(METHOD2_THRESHOLDS if with_target else METHOD1_THRESHOLDS)
    merged.update({key: float(value) for key, value in (custom or {}).items()})
    c = 1.0
    if not with_target and limit is not None:
        c = limit_coefficient(base_value, limit)
    return Thresholds(merged["high"] * c, merged["med"] * c, merged["low"] * c, c)


def status_of(p: float | None, thresholds: Thresholds, achieved: bool) -> str:
    """The series status from the progress value and the (scaled) thresholds."""
    if achieved:
        return TARGET_ACHIEVED
    if p is None or math.isnan(p):
        return NOT_AVAILABLE
    if p >= thresholds.high:
        return SUBSTANTIAL
    if p >= thresholds.med:
        return MODERATE
    if p >= thresholds.low:
        return LIMITED
    return DETERIORATION


def score_of(p: float | None, thresholds: Thresholds, with_target: bool,
             achieved: bool) -> float | None:
    """The score in [−5, 5]; slopes are Open SDG's, fixed for the default thresholds."""
    if achieved:
        return 5.0
    if p is None or math.isnan(p):
        return None
    if with_target:
        if p >= thresholds.med:
            return min(7.1429 * p - 4.2857, 5.0)
        return max(4.1667 * p - 2.5, -5.0)
    c = thresholds.coefficient
    if p < thresholds.low:
        return max(125 * p - 2.5, -5.0)
    if c == 0:  # the base is at the limit and held there or beyond
        return 5.0
    if p >= thresholds.high:
        return min(500 * p / c - 5, 5.0)
    if p >= thresholds.med:
        return 250 * p / c - 1.25
    return 500 * p / c - 2.5


def divide(numerator: float, denominator: float) -> float:
    """numerator / |denominator|, giving ±inf or NaN for a zero denominator, as numpy does."""
    if denominator == 0:
        return math.copysign(math.inf, numerator) if numerator != 0 else math.nan
    return numerator / abs(denominator)


class Inputs(NamedTuple):
    """The resolved inputs of one assessment (internal)."""

    d: int
    base_year: int
    base_value: float
    latest_year: int
    latest_value: float
    target: float | None  # after Open SDG's 0 → 0.001
    raw_target: float | None
    target_year: int
    sign: int


class Progress(NamedTuple):
    """The computed progress value and its parts (internal)."""

    p: float | None
    method: str | None = None
    actual: float | None = None
    required: float | None = None
    ratio: float | None = None
    base_value: float | None = None  # the base used (0.001 when substituted)
    reason: str = ""
    notes: tuple[str, ...] = ()


class Given(NamedTuple):
    """What every result of a series repeats: its inputs and latest value (internal)."""

    direction: str
    target: float | None  # after Open SDG's 0 → 0.001
    target_year: int
    limit: float | None
    notes: tuple[str, ...]
    latest_year: int | None = None
    latest_value: float | None = None
    target_achieved: bool = False


def uncomputed(given: Given, status: str, score: float | None, reason: str) -> SeriesResult:
    """A result without a progress value: the inputs and latest value only."""
    return SeriesResult(status, score, given.direction, latest_year=given.latest_year,
                        latest_value=given.latest_value, target=given.target,
                        target_year=given.target_year, limit=given.limit,
                        target_achieved=given.target_achieved, reason=reason, notes=given.notes)


def needs_linear(inp: Inputs) -> bool:
    """Cases where the reference gives no CAGR answer (or substitutes a zero base)."""
    across_target = inp.target is not None and opposite(inp.base_value, inp.target)
    return inp.base_value == 0 or opposite(inp.base_value, inp.latest_value) or across_target


def cagr_progress(inp: Inputs) -> Progress:
    """Open SDG's progress value (method 1 or 2), quirks included."""
    base = inp.base_value
    notes: tuple[str, ...] = ()
    if base == 0:
        base, notes = ZERO_SUBSTITUTE, ("base value 0 replaced by 0.001",)
    if opposite(base, inp.latest_value):
        return Progress(None, base_value=base, notes=notes,
                        reason="the base and latest values are on opposite sides of zero")
    actual = growth(inp.latest_value, base, inp.latest_year, inp.base_year)
    if inp.target is None:
        return Progress(inp.sign * inp.d * actual, CAGR, actual, base_value=base, notes=notes)
    if opposite(base, inp.target):
        return Progress(None, base_value=base, notes=notes, actual=actual,
                        reason="the base and target values are on opposite sides of zero")
    required = growth(inp.target, base, inp.target_year, inp.base_year)
    p = inp.sign * inp.d * divide(actual, required)
    return Progress(p, CAGR, actual, required, p, base, notes=notes)


def linear_progress(inp: Inputs) -> Progress:
    """Linear rate: against the required rate with a target, else relative to the values."""
    actual = (inp.latest_value - inp.base_value) / (inp.latest_year - inp.base_year)
    note = ("linear rate: a value at zero or the series crosses zero",)
    if inp.raw_target is None:
        scale = max(abs(inp.base_value), abs(inp.latest_value))
        p = inp.d * actual / scale if scale else 0.0
        return Progress(p, LINEAR, actual, base_value=inp.base_value, notes=note)
    required = (inp.raw_target - inp.base_value) / (inp.target_year - inp.base_year)
    p = inp.d * divide(actual, required)
    return Progress(p, LINEAR, actual, required, p, inp.base_value, notes=note)


def compute_progress(inp: Inputs, linear_fallback: bool) -> Progress:
    """The progress value p, or None with the reason it cannot be computed."""
    if inp.latest_year - inp.base_year < 1:
        return Progress(None, base_value=inp.base_value,
                        reason="fewer than two data points from the base year on")
    if inp.target is not None and inp.target_year == inp.base_year:
        return Progress(None, base_value=inp.base_value,
                        reason="the target year is the base year")
    if linear_fallback and needs_linear(inp):
        return linear_progress(inp)
    return cagr_progress(inp)


def is_achieved(d: int, latest: float, target: float | None) -> bool:
    """Open SDG's rule: the latest value is at or beyond the target."""
    return target is not None and (latest <= target if d < 0 else latest >= target)


def resolve_target(target: Number | None) -> tuple[float | None, tuple[str, ...]]:
    """Open SDG replaces a zero target by 0.001."""
    value = as_float(target)
    if value == 0:
        return ZERO_SUBSTITUTE, (TARGET_ZERO_NOTE,)
    return value, ()


def assess_series(points: Iterable[Point], *, direction: str,
                  base_year: int = DEFAULT_BASE_YEAR, target: Number | None = None,
                  target_year: int = DEFAULT_TARGET_YEAR, limit: Number | None = None,
                  thresholds: Mapping[str, Number] | None = None,
                  linear_fallback: bool = True) -> SeriesResult:
    """Assess one series of (year, value) points: status, score and every intermediate."""
    d = direction_sign(direction)
    data = clean_points(points)
    goal, notes = resolve_target(target)
    lim = as_float(limit)
    if goal is not None and lim is not None:
        notes += ("limit ignored: a target is given",)
    given = Given(direction, goal, target_year, lim, notes)
    if not data:
        return uncomputed(given, NOT_AVAILABLE, None, "no data")
    latest_year, latest_value = data[-1]
    achieved = is_achieved(d, latest_value, goal)
    given = given._replace(latest_year=latest_year, latest_value=latest_value,
                           target_achieved=achieved)
    base = find_base(data, base_year)
    if base is None:  # the reference crashes here; the tracker reports it
        return uncomputed(given, TARGET_ACHIEVED if achieved else NOT_AVAILABLE,
                          5.0 if achieved else None,
                          "" if achieved else f"no data from {base_year} on")
    inp = Inputs(d, base[0], base[1], latest_year, latest_value, goal, as_float(target),
                 target_year, -1 if base[1] < 0 else 1)
    return finish(inp, compute_progress(inp, linear_fallback), thresholds, given)


def finish(inp: Inputs, prog: Progress, custom: Mapping[str, Number] | None,
           given: Given) -> SeriesResult:
    """Turn the progress value into a status and score and gather the intermediates."""
    with_target = inp.target is not None
    scaled = make_thresholds(with_target, custom, given.limit, inp.base_value)
    status = status_of(prog.p, scaled, given.target_achieved)
    score = score_of(prog.p, scaled, with_target, given.target_achieved)
    reason = prog.reason
    if status == NOT_AVAILABLE and not reason:
        reason = "the target equals the base value and the series has not moved"
    return SeriesResult(
        status, score, given.direction, method=prog.method, base_year=inp.base_year,
        base_value=prog.base_value, latest_year=given.latest_year,
        latest_value=given.latest_value, target=given.target, target_year=given.target_year,
        limit=given.limit, sign=inp.sign, actual_growth=prog.actual,
        required_growth=prog.required, ratio=prog.ratio, progress_value=prog.p,
        thresholds=scaled, target_achieved=given.target_achieved,
        reason=reason if status == NOT_AVAILABLE else "",
        notes=given.notes + prog.notes + limit_notes(inp, given.limit))


def limit_notes(inp: Inputs, limit: float | None) -> tuple[str, ...]:
    """Open SDG warns when the base is already beyond the natural limit (method 1 only)."""
    if limit is None or inp.target is not None:
        return ()
    if (inp.d < 0 and inp.base_value < limit) or (inp.d > 0 and inp.base_value > limit):
        return ("the base value is already beyond the limit",)
    return ()
