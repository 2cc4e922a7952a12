"""The Open SDG method: every worked example of progress-method.md §10 and the §9 quirks.

Expected p and scores are recomputed here from the reference's formulas (so they hold to
1e-6) and also checked against the rounded figures printed in the reference table.
"""

import math
from decimal import Decimal

import pytest

from tracker.progress.aggregate import combine, status_from_score
from tracker.progress.method import (
    assess_series,
    first_year,
    limit_coefficient,
    score_of,
    status_of,
)
from tracker.progress.result import (
    LIMITED,
    NOT_AVAILABLE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
    ProgressInputError,
    Thresholds,
)

EXACT = 1e-6
FALLING = [(2015, 20), (2016, 19), (2017, 18.5), (2018, 17), (2019, 16), (2020, 15)]


def reference(points, **options):  # type: ignore[no-untyped-def]
    """The series assessed exactly as Open SDG does (no linear fallback)."""
    return assess_series(points, linear_fallback=False, **options)


def cagr(v1: float, v0: float, t1: int, t0: int) -> float:
    """The CAGR formula of the reference, written out again for the expectations."""
    return (v1 / v0) ** (1 / (t1 - t0)) - 1


def printed(value: float, digits: str) -> object:
    """Match a figure as printed in the reference table (rounded or cut at its last digit)."""
    places = len(digits.split(".")[1]) if "." in digits else 0
    figure = pytest.approx(float(digits), abs=10 ** -places)
    assert value == figure, f"{value} is not the reference's {digits}"
    return figure


def test_falling_series_without_options() -> None:
    result = reference(FALLING, direction="lower")
    p = -cagr(15, 20, 2020, 2015)
    assert result.progress_value == pytest.approx(p, abs=EXACT)
    assert result.progress_value == printed(result.progress_value, "0.05591")
    assert (result.status, result.score, result.method) == (SUBSTANTIAL, 5.0, "cagr")
    assert (result.base_year, result.base_value, result.latest_year, result.latest_value) == (
        2015, 20.0, 2020, 15.0)
    assert result.thresholds == Thresholds(0.015, 0.005, 0.0, 1.0)


def test_falling_series_with_target_10() -> None:
    result = reference(FALLING, direction="lower", target=10)
    p = -cagr(15, 20, 2020, 2015) / abs(cagr(10, 20, 2030, 2015))
    assert result.progress_value == pytest.approx(p, abs=EXACT)
    assert result.progress_value == printed(p, "1.2381")
    assert result.score == pytest.approx(7.1429 * p - 4.2857, abs=EXACT)
    assert result.score == printed(result.score, "4.558")
    assert result.status == SUBSTANTIAL
    assert result.actual_growth == pytest.approx(cagr(15, 20, 2020, 2015), abs=EXACT)
    assert result.required_growth == pytest.approx(cagr(10, 20, 2030, 2015), abs=EXACT)
    assert result.ratio == pytest.approx(p, abs=EXACT)
    assert result.thresholds == Thresholds(0.95, 0.60, 0.0, 1.0)


def test_falling_series_when_higher_is_better() -> None:
    result = reference(FALLING, direction="higher")
    assert result.progress_value == pytest.approx(cagr(15, 20, 2020, 2015), abs=EXACT)
    assert result.progress_value == printed(result.progress_value, "-0.05591")
    assert (result.status, result.score) == ("deterioration", -5.0)


def test_slow_rise_without_limit() -> None:
    result = reference([(2015, 95), (2020, 97)], direction="higher")
    p = cagr(97, 95, 2020, 2015)
    assert result.progress_value == printed(p, "0.004176")
    assert result.score == pytest.approx(500 * p - 2.5, abs=EXACT)
    assert result.score == printed(result.score, "-0.412")
    assert result.status == LIMITED


def test_slow_rise_near_a_limit_of_100() -> None:
    result = reference([(2015, 95), (2020, 97)], direction="higher", limit=100)
    c = 1 - 0.95 ** 4.44
    assert result.thresholds is not None
    assert result.thresholds.coefficient == pytest.approx(c, abs=EXACT)
    assert result.thresholds.coefficient == printed(c, "0.2036")
    assert result.thresholds.high == pytest.approx(0.015 * c, abs=EXACT)
    assert result.progress_value == printed(result.progress_value, "0.004176")
    assert (result.status, result.score) == (SUBSTANTIAL, 5.0)


def test_rise_against_a_lower_target_is_deterioration() -> None:
    result = reference([(2015, 3), (2020, 10)], direction="lower", target=5, target_year=2035)
    p = -cagr(10, 3, 2020, 2015) / abs(cagr(5, 3, 2035, 2015))
    assert result.progress_value == pytest.approx(p, abs=EXACT)
    assert result.progress_value == printed(p, "-10.52")
    assert (result.status, result.score) == ("deterioration", -5.0)


def test_one_point_meeting_the_target_is_achieved() -> None:
    result = reference([(2015, 20)], direction="lower", target=25)
    assert result.progress_value is None
    assert (result.status, result.score, result.target_achieved) == (TARGET_ACHIEVED, 5.0, True)


def test_one_point_without_target_is_not_available() -> None:
    result = reference([(2015, 20)], direction="lower")
    assert (result.status, result.score, result.progress_value) == (NOT_AVAILABLE, None, None)
    assert "fewer than two" in result.reason
    # Open SDG leaves the indicator blank; the tracker says not_available (documented choice).
    assert (combine([result]).status, combine([result]).score) == (NOT_AVAILABLE, None)


def test_all_data_before_the_base_year_is_not_computable() -> None:
    result = reference([(2010, 20), (2012, 18)], direction="lower")
    assert (result.status, result.score) == (NOT_AVAILABLE, None)
    assert result.reason == "no data from 2015 on"
    assert result.latest_year == 2012


def test_missing_base_year_uses_the_next_year() -> None:
    result = reference([(2017, 20), (2019, 18), (2021, 17)], direction="lower")
    assert result.base_year == 2017
    assert result.progress_value == pytest.approx(-cagr(17, 20, 2021, 2017), abs=EXACT)
    assert result.progress_value == printed(result.progress_value, "0.03982")
    assert (result.status, result.score) == (SUBSTANTIAL, 5.0)


def test_zero_base_becomes_0001() -> None:
    result = reference([(2015, 0), (2020, 5)], direction="higher")
    assert result.base_value == 0.001
    assert result.progress_value == pytest.approx(cagr(5, 0.001, 2020, 2015), abs=EXACT)
    assert result.progress_value == printed(result.progress_value, "4.4928")
    assert (result.status, result.score) == (SUBSTANTIAL, 5.0)
    assert "base value 0 replaced by 0.001" in result.notes


def test_base_and_latest_of_opposite_sign_are_not_available() -> None:
    result = reference([(2015, -5), (2020, 3)], direction="higher")
    assert (result.status, result.score, result.progress_value) == (NOT_AVAILABLE, None, None)
    assert "opposite sides of zero" in result.reason
    assert combine([result]).status == NOT_AVAILABLE


def test_all_negative_values_flip_the_direction() -> None:
    result = reference([(2015, -5), (2020, -3)], direction="higher")
    assert result.sign == -1
    assert result.progress_value == pytest.approx(-cagr(-3, -5, 2020, 2015), abs=EXACT)
    assert result.progress_value == printed(result.progress_value, "0.09712")
    assert (result.status, result.score) == (SUBSTANTIAL, 5.0)


def test_fiscal_periods_use_their_first_year() -> None:
    points = [(first_year("2015-16"), 20), (first_year("2019-20"), 18)]
    result = reference(points, direction="lower")
    assert (result.base_year, result.latest_year) == (2015, 2019)
    assert result.progress_value == printed(-cagr(18, 20, 2019, 2015), "0.02600")
    assert (result.status, result.score) == (SUBSTANTIAL, 5.0)


@pytest.mark.parametrize("target", [None, 50])
def test_flat_series_is_limited_progress(target: int | None) -> None:
    result = reference([(2015, 100), (2020, 100)], direction="lower", target=target)
    assert result.progress_value == 0 and math.copysign(1, result.progress_value) == -1
    assert (result.status, result.score) == (LIMITED, -2.5)


def test_headline_series() -> None:
    result = reference([(2015, 20), (2020, 18)], direction="lower")
    assert result.progress_value == printed(-cagr(18, 20, 2020, 2015), "0.02085")
    assert (result.status, result.score) == (SUBSTANTIAL, 5.0)


def test_disaggregated_series_are_averaged() -> None:
    female = reference([(2015, 22), (2020, 21)], direction="lower", target=21.5)
    male = reference([(2015, 18), (2020, 15)], direction="lower", target=10)
    p = -cagr(15, 18, 2020, 2015) / abs(cagr(10, 18, 2030, 2015))
    assert (female.status, female.score) == (TARGET_ACHIEVED, 5.0)
    assert male.progress_value == printed(p, "0.93181")
    assert male.score == pytest.approx(7.1429 * p - 4.2857, abs=EXACT)
    assert male.score == printed(male.score, "2.3701")
    assert male.status == "moderate_progress"
    indicator = combine([female, male])
    assert indicator.score == pytest.approx((5 + 7.1429 * p - 4.2857) / 2, abs=EXACT)
    assert indicator.score == printed(indicator.score, "3.6851")
    assert (indicator.status, indicator.scored) == (SUBSTANTIAL, 2)


def test_progress_column_values_are_assessed() -> None:
    # The caller passes the Progress column (10 → 5), not Value (20 → 18).
    result = reference([(2015, 10), (2020, 5)], direction="lower")
    assert result.progress_value == printed(-cagr(5, 10, 2020, 2015), "0.12945")
    assert result.status == SUBSTANTIAL


def test_duplicate_years_are_an_error() -> None:
    with pytest.raises(ProgressInputError, match="2016"):
        reference([(2015, 1), (2016, 2), (2016, 3)], direction="lower")


def test_no_data_and_blank_values() -> None:
    result = reference([(2015, None), (2016, None)], direction="lower")
    assert (result.status, result.score, result.reason) == (NOT_AVAILABLE, None, "no data")


def test_decimal_input_matches_float_input() -> None:
    as_decimal = [(year, Decimal(str(value))) for year, value in FALLING]
    assert reference(as_decimal, direction="lower", target=Decimal("10")) == reference(
        FALLING, direction="lower", target=10)


def test_target_equal_to_base_gives_infinity() -> None:
    result = reference([(2015, 10), (2020, 8)], direction="higher", target=10)
    assert result.progress_value == -math.inf
    assert (result.status, result.score) == ("deterioration", -5.0)


def test_target_zero_becomes_0001() -> None:
    result = reference([(2015, 10), (2020, 5)], direction="lower", target=0)
    p = -cagr(5, 10, 2020, 2015) / abs(cagr(0.001, 10, 2030, 2015))
    assert result.target == 0.001
    assert result.progress_value == pytest.approx(p, abs=EXACT)


def test_target_across_zero_is_not_available_in_the_reference() -> None:
    result = reference([(2015, -5), (2020, -2)], direction="higher", target=5)
    assert (result.status, result.score) == (NOT_AVAILABLE, None)
    assert "target values are on opposite sides" in result.reason


def test_limit_is_ignored_with_a_target() -> None:
    with_limit = reference(FALLING, direction="lower", target=10, limit=5)
    assert with_limit.score == reference(FALLING, direction="lower", target=10).score
    assert "limit ignored: a target is given" in with_limit.notes


@pytest.mark.parametrize(("base", "limit", "expected"), [
    (0, 0, 1.0), (10, 5, 1.0), (100, 100, 0.0), (50, 100, 1 - 0.5 ** 4.44),
    (150, 100, 1 - 0.5 ** 4.44), (-95, 100, 1 - 0.95 ** 4.44)])
def test_limit_coefficient(base: float, limit: float, expected: float) -> None:
    assert limit_coefficient(base, limit) == pytest.approx(expected, abs=EXACT)


def test_base_at_the_limit_scores_5_when_held() -> None:
    held = reference([(2015, 100), (2020, 100)], direction="higher", limit=100)
    fell = reference([(2015, 100), (2020, 99)], direction="higher", limit=100)
    assert (held.status, held.score) == (SUBSTANTIAL, 5.0)
    assert fell.status == "deterioration"
    assert fell.score == pytest.approx(max(125 * cagr(99, 100, 2020, 2015) - 2.5, -5), abs=EXACT)


@pytest.mark.parametrize(("p", "status", "score"), [
    (0.02, SUBSTANTIAL, 5.0), (0.015, SUBSTANTIAL, 2.5), (0.01, "moderate_progress", 1.25),
    (0.005, "moderate_progress", 0.0), (0.0, LIMITED, -2.5), (-0.01, "deterioration", -3.75),
    (-0.03, "deterioration", -5.0)])
def test_method_1_score_breakpoints(p: float, status: str, score: float) -> None:
    thresholds = Thresholds(0.015, 0.005, 0.0)
    assert status_of(p, thresholds, False) == status
    assert score_of(p, thresholds, False, False) == pytest.approx(score, abs=EXACT)


@pytest.mark.parametrize(("p", "score"), [(1.30, 5.0), (0.95, 2.5), (0.60, 0.0), (0.0, -2.5),
                                          (-0.60, -5.0), (-3.0, -5.0)])
def test_method_2_score_breakpoints(p: float, score: float) -> None:
    assert score_of(p, Thresholds(0.95, 0.60, 0.0), True, False) == pytest.approx(score, abs=1e-3)


@pytest.mark.parametrize(("p", "series", "indicator"), [
    (0.949995, "moderate_progress", SUBSTANTIAL), (0.599997, LIMITED, "moderate_progress"),
    (0.949990, "moderate_progress", "moderate_progress")])
def test_rounded_constants_make_series_and_indicator_disagree(p: float, series: str,
                                                              indicator: str) -> None:
    thresholds = Thresholds(0.95, 0.60, 0.0)
    score = score_of(p, thresholds, True, False)
    assert status_of(p, thresholds, False) == series
    assert score is not None and status_from_score(score, False) == indicator


def test_custom_thresholds_change_status_not_score_formulas() -> None:
    default = reference(FALLING, direction="lower", target=10)
    strict = reference(FALLING, direction="lower", target=10, thresholds={"high": 1.5})
    assert strict.status == "moderate_progress" and default.status == SUBSTANTIAL
    assert strict.score == default.score
    assert strict.thresholds == Thresholds(1.5, 0.60, 0.0)


def test_indicator_achieved_only_when_every_scored_series_is() -> None:
    achieved = reference([(2015, 20)], direction="lower", target=25)
    unscored = reference([(2015, 20)], direction="lower")
    no_target = reference(FALLING, direction="lower")
    assert combine([achieved, unscored]).status == TARGET_ACHIEVED
    both = combine([achieved, no_target])
    assert (both.status, both.score) == (SUBSTANTIAL, 5.0)


@pytest.mark.parametrize(("score", "status"), [
    (5, SUBSTANTIAL), (2.5, SUBSTANTIAL), (2.49, "moderate_progress"), (0, "moderate_progress"),
    (-0.01, LIMITED), (-2.5, LIMITED), (-2.51, "deterioration"), (-5, "deterioration")])
def test_indicator_status_bands(score: float, status: str) -> None:
    assert status_from_score(score, False) == status


EXAMPLES = [
    (FALLING, {"direction": "lower"}),
    (FALLING, {"direction": "lower", "target": 10}),
    (FALLING, {"direction": "higher"}),
    ([(2015, 95), (2020, 97)], {"direction": "higher"}),
    ([(2015, 95), (2020, 97)], {"direction": "higher", "limit": 100}),
    ([(2015, 3), (2020, 10)], {"direction": "lower", "target": 5, "target_year": 2035}),
    ([(2015, 20)], {"direction": "lower", "target": 25}),
    ([(2015, 20)], {"direction": "lower"}),
    ([(2010, 20), (2012, 18)], {"direction": "lower"}),
    ([(2017, 20), (2019, 18), (2021, 17)], {"direction": "lower"}),
    ([(2015, -5), (2020, -3)], {"direction": "higher"}),
    ([(2015, 100), (2020, 100)], {"direction": "lower", "target": 50}),
    ([(2015, 18), (2020, 15)], {"direction": "lower", "target": 10}),
]


@pytest.mark.parametrize(("points", "options"), EXAMPLES)
def test_tracker_default_matches_the_reference_outside_the_linear_cases(
        points: list[tuple[int, float]], options: dict[str, object]) -> None:
    tracker = assess_series(points, **options)  # type: ignore[arg-type]
    assert tracker == reference(points, **options)


@pytest.mark.parametrize("text", ["abcd", "201", "20151", ""])
def test_bad_years_are_refused(text: str) -> None:
    with pytest.raises(ProgressInputError):
        first_year(text)


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(ProgressInputError, match="direction"):
        assess_series(FALLING, direction="up")
