"""The tracker's rules beyond Open SDG: target bands, quarterly roll-up and choosing a target
from a list. `assess` is the tracker's entry point. (The linear fallback is in method.py; the
progress and elapsed shares and the year a target is reached are derived in result.py.)
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from tracker.progress.method import (
    DEFAULT_BASE_YEAR,
    DEFAULT_TARGET_YEAR,
    Number,
    Point,
    assess_series,
    clean_points,
    score_of,
    status_of,
)
from tracker.progress.result import NOT_AVAILABLE, TARGET_ACHIEVED, ProgressInputError, SeriesResult

ROLLUPS = ("last", "sum", "mean")


def rollup_quarters(points: Iterable[tuple[int, int, Number | None]],
                    how: str = "last") -> list[tuple[int, float]]:
    """Fiscal-year values from (year, quarter, value) points: the last quarter reported, the
    sum (only of complete years: a partial sum would understate) or the mean of the quarters.
    Quarter 0 is a value for the whole year; when given, it is the year's value."""
    if how not in ROLLUPS:
        raise ProgressInputError(f"unknown roll-up {how!r}; use last, sum or mean")
    years: dict[int, dict[int, float]] = {}
    for year, quarter, value in points:
        if int(quarter) not in (0, 1, 2, 3, 4):
            raise ProgressInputError(f"quarter {quarter} of {year} is not 1 to 4 (or 0)")
        quarters = years.setdefault(int(year), {})
        if int(quarter) in quarters:
            raise ProgressInputError(f"two values for quarter {quarter} of {year}")
        if value is not None:
            quarters[int(quarter)] = float(value)
    return [(year, value) for year, quarters in sorted(years.items())
            if (value := rolled(quarters, how)) is not None]


def rolled(quarters: dict[int, float], how: str) -> float | None:
    """One fiscal year's value from its quarters (None when it has none to give)."""
    if 0 in quarters:
        return quarters[0]
    if not quarters or (how == "sum" and len(quarters) < 4):
        return None
    if how == "last":
        return quarters[max(quarters)]
    if how == "sum":
        return math.fsum(quarters.values())
    return math.fsum(quarters.values()) / len(quarters)


def choose_target(targets: Iterable[tuple[int, Number]], latest_year: int
                  ) -> tuple[int, float] | None:
    """The nearest target from the latest data year on; if all have passed, the last one
    (the assessment then says whether it was met or missed)."""
    ordered = sorted((int(year), float(value)) for year, value in targets)
    if not ordered:
        return None
    upcoming = [target for target in ordered if target[0] >= latest_year]
    return upcoming[0] if upcoming else ordered[-1]


@dataclass(frozen=True)
class Options:
    """Assessment options shared by plain and band series."""

    base_year: int = DEFAULT_BASE_YEAR
    target_year: int = DEFAULT_TARGET_YEAR
    thresholds: Mapping[str, Number] | None = None
    linear_fallback: bool = True


def assess_band(points: Sequence[Point], band_low: Number, band_high: Number,
                options: Options | None = None) -> SeriesResult:
    """Inside the band: target achieved; outside: progress toward the nearest band edge."""
    options = options or Options()
    low, high = float(band_low), float(band_high)
    if low > high:
        raise ProgressInputError("the band's lower bound is above its upper bound")
    data = clean_points(points)
    above = bool(data) and data[-1][1] > high
    # Below the band or in it: the lower edge is the target of a higher-is-better series
    # (met when in the band); above it, the upper edge of a lower-is-better one.
    result = assess_series(data, direction="lower" if above else "higher",
                           target=high if above else low, base_year=options.base_year,
                           target_year=options.target_year, thresholds=options.thresholds,
                           linear_fallback=options.linear_fallback)
    inside = bool(data) and low <= data[-1][1] <= high
    return replace(band_verdict(result, inside), direction="band", band_low=low, band_high=high)


def band_verdict(result: SeriesResult, inside: bool) -> SeriesResult:
    """Being in the band decides "achieved", even where Open SDG's 0 → 0.001 would not."""
    if inside == result.target_achieved:
        return result
    if inside:
        return replace(result, status=TARGET_ACHIEVED, score=5.0, target_achieved=True, reason="")
    scaled = result.thresholds
    if scaled is None:  # no base: nothing else to fall back on
        return replace(result, status=NOT_AVAILABLE, score=None, target_achieved=False,
                       reason="no data from the base year on")
    status = status_of(result.progress_value, scaled, False)
    return replace(result, status=status, target_achieved=False,
                   score=score_of(result.progress_value, scaled, True, False),
                   reason=result.reason or ("" if status != NOT_AVAILABLE else
                                            "fewer than two data points from the base year on"))


def assess(points: Iterable[Point], *, direction: str, base_year: int | None = None,
           targets: Iterable[tuple[int, Number]] = (), limit: Number | None = None,
           band_low: Number | None = None, band_high: Number | None = None,
           thresholds: Mapping[str, Number] | None = None,
           linear_fallback: bool = True) -> SeriesResult:
    """The tracker's assessment of one series: the nearest target from a list, target bands,
    then Open SDG's method with the linear fallback."""
    data = clean_points(points)
    targets = list(targets)
    chosen = choose_target(targets, data[-1][0]) if data and targets else None
    options = Options(base_year or DEFAULT_BASE_YEAR,
                      chosen[0] if chosen else DEFAULT_TARGET_YEAR, thresholds, linear_fallback)
    if direction == "band":
        if band_low is None or band_high is None:
            raise ProgressInputError("a target band needs its lower and upper bounds")
        return assess_band(data, band_low, band_high, options)
    return assess_series(data, direction=direction, base_year=options.base_year,
                         target=chosen[1] if chosen else None, target_year=options.target_year,
                         limit=limit, thresholds=thresholds, linear_fallback=linear_fallback)
