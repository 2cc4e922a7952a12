"""Property-based tests of the progress engine (hypothesis)."""

import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tracker.progress.aggregate import combine
from tracker.progress.extensions import assess
from tracker.progress.method import assess_series
from tracker.progress.result import NOT_AVAILABLE, STATUS_RANK, STATUSES, TARGET_ACHIEVED

# No example database: it would write a .hypothesis directory into the checkout.
SETTINGS = settings(max_examples=300, deadline=None, database=None)
MODES = st.booleans()  # linear_fallback on (tracker) or off (Open SDG exactly)
DIRECTIONS = st.sampled_from(["higher", "lower"])
YEARS = st.lists(st.integers(2010, 2040), min_size=1, max_size=12, unique=True).map(sorted)
ANY_VALUE = st.floats(-1000, 1000, allow_nan=False).map(lambda v: round(v, 3))
POSITIVE = st.floats(0.01, 1000, allow_nan=False)
NONZERO = ANY_VALUE.filter(lambda v: v != 0)


@st.composite
def series(draw: st.DrawFn, values: st.SearchStrategy[float] = ANY_VALUE
           ) -> list[tuple[int, float]]:
    """A series of distinct years (some before 2015, most after) with values."""
    years = draw(YEARS)
    return [(year, draw(values)) for year in years]


@st.composite
def positive_trend(draw: st.DrawFn) -> tuple[list[tuple[int, float]], int]:
    """Positive values from 2015 (so CAGR applies) and a latest year ≤ 30 years on."""
    span = draw(st.integers(1, 30))
    middle = draw(st.lists(st.integers(2016, 2015 + span), unique=True, max_size=5))
    middle = [year for year in middle if year < 2015 + span]
    points = [(year, draw(POSITIVE)) for year in sorted({2015, *middle})]
    return points, 2015 + span


def negate(points: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The series mirrored through zero."""
    return [(year, -value) for year, value in points]


@SETTINGS
@given(series(), st.one_of(st.none(), NONZERO), st.integers(2016, 2040))
def test_direction_symmetry(points: list[tuple[int, float]], target: float | None,
                            target_year: int) -> None:
    # Mirroring the values through zero and flipping the direction is the same problem:
    # Open SDG's sign factor makes it so for CAGR, and the linear rate is symmetric too.
    # (Open SDG's 0 → 0.001 substitution is not symmetric, so only the tracker's mode.)
    higher = assess_series(points, direction="higher", target=target, target_year=target_year)
    lower = assess_series(negate(points), direction="lower",
                          target=None if target is None else -target, target_year=target_year)
    assert (higher.status, higher.score) == (lower.status, lower.score)


@SETTINGS
@given(series(NONZERO), st.one_of(st.none(), NONZERO))
def test_direction_symmetry_in_the_reference_mode(points: list[tuple[int, float]],
                                                  target: float | None) -> None:
    higher = assess_series(points, direction="higher", target=target, linear_fallback=False)
    lower = assess_series(negate(points), direction="lower", linear_fallback=False,
                          target=None if target is None else -target)
    assert (higher.status, higher.score) == (lower.status, lower.score)


def worse_or_equal(worse: tuple[str, float | None], better: tuple[str, float | None]) -> bool:
    """Is the first (status, score) no better than the second?"""
    if STATUS_RANK[worse[0]] < STATUS_RANK[better[0]]:
        return False
    if worse[1] is None or better[1] is None:
        return True
    return worse[1] <= better[1] + 1e-9


@SETTINGS
@given(positive_trend(), POSITIVE, POSITIVE, DIRECTIONS, MODES,
       st.one_of(st.none(), POSITIVE), st.one_of(st.none(), POSITIVE))
def test_better_latest_value_is_never_worse(trend: tuple[list[tuple[int, float]], int],
                                            a: float, b: float, direction: str, mode: bool,
                                            target: float | None, limit: float | None) -> None:
    points, latest_year = trend
    # A target (almost) equal to the base makes CAGR_r 0: a flat series then gives 0/0, which
    # Open SDG leaves blank (reference §9), the one documented break in monotonicity.
    assume(target is None or abs(target / points[0][1] - 1) > 1e-9)
    low, high = sorted((a, b))
    worse, better = (low, high) if direction == "higher" else (high, low)
    results = [assess_series(points + [(latest_year, value)], direction=direction,
                             target=target, limit=limit, linear_fallback=mode)
               for value in (worse, better)]
    assert worse_or_equal(*((r.status, r.score) for r in results))


@SETTINGS
@given(st.integers(1, 30), ANY_VALUE, ANY_VALUE, DIRECTIONS, st.one_of(st.none(), NONZERO))
def test_better_latest_value_is_never_worse_on_the_linear_rate(
        span: int, a: float, b: float, direction: str, target: float | None) -> None:
    # A zero base always takes the linear rate in the tracker's mode.
    low, high = sorted((a, b))
    worse, better = (low, high) if direction == "higher" else (high, low)
    results = [assess_series([(2015, 0), (2015 + span, value)], direction=direction,
                             target=target) for value in (worse, better)]
    assert worse_or_equal(*((r.status, r.score) for r in results))


@SETTINGS
@given(series(), ANY_VALUE, DIRECTIONS, MODES, st.integers(2000, 2050),
       st.one_of(st.none(), ANY_VALUE))
def test_latest_beyond_target_is_achieved(points: list[tuple[int, float]], target: float,
                                          direction: str, mode: bool, target_year: int,
                                          limit: float | None) -> None:
    latest = points[-1][1]
    assume(target != 0)  # Open SDG assesses a zero target as 0.001
    assume(latest >= target if direction == "higher" else latest <= target)
    result = assess_series(points, direction=direction, target=target, limit=limit,
                           target_year=target_year, linear_fallback=mode)
    assert (result.status, result.score, result.target_achieved) == (TARGET_ACHIEVED, 5.0, True)


@SETTINGS
@given(series(), DIRECTIONS, MODES, st.one_of(st.none(), ANY_VALUE),
       st.integers(2000, 2050), st.one_of(st.none(), ANY_VALUE), st.integers(2005, 2030))
def test_scores_and_statuses_are_in_range(points: list[tuple[int, float]], direction: str,
                                          mode: bool, target: float | None, target_year: int,
                                          limit: float | None, base_year: int) -> None:
    result = assess_series(points, direction=direction, target=target, target_year=target_year,
                           limit=limit, base_year=base_year, linear_fallback=mode)
    assert result.status in STATUSES
    assert (result.score is None) == (result.status == NOT_AVAILABLE)
    assert result.score is None or -5 <= result.score <= 5
    assert (result.reason != "") == (result.status == NOT_AVAILABLE)


@SETTINGS
@given(st.lists(series(), min_size=1, max_size=5), DIRECTIONS)
def test_indicator_score_is_the_mean_within_range(many: list[list[tuple[int, float]]],
                                                  direction: str) -> None:
    results = [assess_series(points, direction=direction) for points in many]
    indicator = combine(results)
    scores = [r.score for r in results if r.score is not None]
    assert indicator.scored == len(scores)
    if scores:
        assert min(scores) - 1e-9 <= indicator.score <= max(scores) + 1e-9  # type: ignore[operator]
    else:
        assert (indicator.status, indicator.score) == (NOT_AVAILABLE, None)


@SETTINGS
@given(series(), DIRECTIONS, st.one_of(st.none(), ANY_VALUE), st.randoms())
def test_deterministic_and_order_free(points: list[tuple[int, float]], direction: str,
                                      target: float | None, rnd: random.Random) -> None:
    targets = [] if target is None else [(2030, target)]
    shuffled = points[:]
    rnd.shuffle(shuffled)
    first = assess(points, direction=direction, targets=targets).as_dict()  # NaN != NaN
    assert first == assess(points, direction=direction, targets=targets).as_dict()
    assert first == assess(shuffled, direction=direction, targets=targets).as_dict()


@SETTINGS
@given(series(POSITIVE), POSITIVE, DIRECTIONS, st.integers(-8, 8))
def test_cagr_is_scale_free(points: list[tuple[int, float]], target: float, direction: str,
                            power: int) -> None:
    k = 2.0 ** power  # exact in binary floating point, so ratios are unchanged
    one = assess_series(points, direction=direction, target=target)
    scaled = assess_series([(y, v * k) for y, v in points], direction=direction,
                           target=target * k)
    assert (one.status, one.score) == (scaled.status, scaled.score)


@SETTINGS
@given(series(), DIRECTIONS, ANY_VALUE, st.integers(2016, 2040))
def test_shares_and_projected_year_bounds(points: list[tuple[int, float]], direction: str,
                                          target: float, target_year: int) -> None:
    result = assess(points, direction=direction, targets=[(target_year, target)])
    assert result.progress_share is None or result.progress_share <= 1
    assert result.year_reached is None or result.year_reached >= points[-1][0]
    assert (result.year_reached == points[-1][0]) or not result.target_achieved


@SETTINGS
@given(series(), ANY_VALUE, ANY_VALUE)
def test_band_contains_achieved(points: list[tuple[int, float]], a: float, b: float) -> None:
    low, high = sorted((a, b))
    result = assess(points, direction="band", band_low=low, band_high=high)
    assert result.target_achieved == (low <= points[-1][1] <= high)
    assert result.score is None or -5 <= result.score <= 5


@SETTINGS
@given(series(NONZERO), DIRECTIONS, st.one_of(st.none(), NONZERO), st.integers(2005, 2030),
       st.one_of(st.none(), ANY_VALUE))
def test_tracker_matches_the_reference_away_from_zero(
        points: list[tuple[int, float]], direction: str, target: float | None, base_year: int,
        limit: float | None) -> None:
    # The linear fallback only replaces the cases the reference cannot assess; everywhere
    # else the tracker's default mode is Open SDG's, to the last bit.
    options = {"direction": direction, "target": target, "base_year": base_year,
               "limit": limit}
    reference = assess_series(points, linear_fallback=False, **options)  # type: ignore[arg-type]
    tracker = assess_series(points, **options)  # type: ignore[arg-type]
    if tracker.method == "linear":  # where the reference has no progress value at all
        assert reference.progress_value is None
        assert reference.status in (NOT_AVAILABLE, TARGET_ACHIEVED)
        assert reference.status == NOT_AVAILABLE or tracker.status == TARGET_ACHIEVED
    else:
        assert tracker.as_dict() == reference.as_dict()
