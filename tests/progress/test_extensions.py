"""The tracker's rules beyond Open SDG: linear fallback, bands, quarters, targets, shares."""

import math

import pytest

from tracker.progress.aggregate import combine
from tracker.progress.extensions import assess, choose_target, rollup_quarters
from tracker.progress.method import assess_series
from tracker.progress.result import (
    NOT_AVAILABLE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
    ProgressInputError,
    elapsed_share,
    progress_share,
    year_reached,
)

EXACT = 1e-6
FALLING = [(2015, 20), (2016, 19), (2017, 18.5), (2018, 17), (2019, 16), (2020, 15)]


def test_zero_base_without_target_uses_a_linear_rate() -> None:
    result = assess_series([(2015, 0), (2020, 5)], direction="higher")
    # slope 1 a year over the larger magnitude 5 → 20 % a year
    assert (result.method, result.actual_growth) == ("linear", 1.0)
    assert result.progress_value == pytest.approx(0.2, abs=EXACT)
    assert (result.status, result.score, result.base_value) == (SUBSTANTIAL, 5.0, 0.0)


def test_crossing_zero_without_target_uses_a_linear_rate() -> None:
    result = assess_series([(2015, -5), (2020, 3)], direction="higher")
    assert result.method == "linear"
    assert result.progress_value == pytest.approx((8 / 5) / 5, abs=EXACT)
    assert result.status == SUBSTANTIAL
    worse = assess_series([(2015, 5), (2020, -1)], direction="higher")
    assert worse.progress_value == pytest.approx(-(6 / 5) / 5, abs=EXACT)
    assert (worse.status, worse.score) == ("deterioration", -5.0)


def test_target_across_zero_uses_the_linear_ratio() -> None:
    result = assess_series([(2015, -5), (2020, -2)], direction="higher", target=5)
    ratio = (3 / 5) / (10 / 15)
    assert result.method == "linear"
    assert (result.actual_growth, result.required_growth) == pytest.approx((0.6, 10 / 15))
    assert result.ratio == pytest.approx(ratio, abs=EXACT)
    assert result.status == "moderate_progress"
    assert result.score == pytest.approx(7.1429 * ratio - 4.2857, abs=EXACT)


def test_zero_base_with_target_uses_the_linear_ratio() -> None:
    result = assess_series([(2015, 0), (2020, 4)], direction="higher", target=10)
    ratio = (4 / 5) / (10 / 15)
    assert result.ratio == pytest.approx(ratio, abs=EXACT)
    assert result.score == pytest.approx(min(7.1429 * ratio - 4.2857, 5), abs=EXACT)
    assert result.status == SUBSTANTIAL


def test_linear_ratio_when_the_base_had_met_the_target_and_worsened() -> None:
    result = assess_series([(2015, 2), (2020, -3)], direction="higher", target=-1)
    assert result.method == "linear" and result.ratio is not None and result.ratio < 0
    assert result.status == "deterioration"


def test_positive_series_keep_cagr() -> None:
    assert assess_series(FALLING, direction="lower", target=10).method == "cagr"


@pytest.mark.parametrize(("latest", "status", "direction", "target"), [
    (45, TARGET_ACHIEVED, "higher", 40.0), (40, TARGET_ACHIEVED, "higher", 40.0),
    (60, TARGET_ACHIEVED, "higher", 40.0), (35, SUBSTANTIAL, "higher", 40.0),
    (70, "deterioration", "lower", 60.0)])
def test_target_band(latest: float, status: str, direction: str, target: float) -> None:
    result = assess([(2015, 30), (2020, latest)], direction="band", band_low=40, band_high=60)
    assert (result.status, result.direction, result.band_low, result.band_high) == (
        status, "band", 40.0, 60.0)
    assert result.target == target
    plain = assess_series([(2015, 30), (2020, latest)], direction=direction, target=target)
    assert result.score == plain.score


def test_band_from_above_moving_down_is_progress() -> None:
    result = assess([(2015, 90), (2020, 70)], direction="band", band_low=40, band_high=60)
    assert result.target == 60 and result.status == SUBSTANTIAL
    assert result.progress_share == pytest.approx(20 / 30, abs=EXACT)


def test_band_needs_both_bounds_in_order() -> None:
    with pytest.raises(ProgressInputError):
        assess(FALLING, direction="band", band_low=40)
    with pytest.raises(ProgressInputError):
        assess(FALLING, direction="band", band_low=60, band_high=40)


QUARTERS = [(2020, 1, 1), (2020, 2, 2), (2020, 4, 4), (2021, 1, 1), (2021, 2, 2),
            (2021, 3, 3), (2021, 4, 5), (2022, 1, None)]


@pytest.mark.parametrize(("how", "expected"), [
    ("last", [(2020, 4.0), (2021, 5.0)]),
    ("sum", [(2021, 11.0)]),  # 2020 lacks a quarter: a partial sum would understate it
    ("mean", [(2020, 7 / 3), (2021, 11 / 4)])])
def test_quarterly_rollup(how: str, expected: list[tuple[int, float]]) -> None:
    rolled = rollup_quarters(QUARTERS, how)
    assert [year for year, _ in rolled] == [year for year, _ in expected]
    assert [value for _, value in rolled] == pytest.approx([value for _, value in expected])


@pytest.mark.parametrize("how", ["last", "sum", "mean"])
def test_a_whole_year_value_wins_over_its_quarters(how: str) -> None:
    assert rollup_quarters([(2020, 0, 9), (2020, 1, 1), (2020, 4, 2)], how) == [(2020, 9.0)]


def test_quarterly_rollup_refuses_bad_input() -> None:
    with pytest.raises(ProgressInputError, match="quarter 5"):
        rollup_quarters([(2020, 5, 1)])
    with pytest.raises(ProgressInputError, match="two values"):
        rollup_quarters([(2020, 1, 1), (2020, 1, 2)])
    with pytest.raises(ProgressInputError, match="roll-up"):
        rollup_quarters([], "max")


def test_choose_target() -> None:
    targets = [(2030, 10), (2025, 12), (2018, 17)]
    assert choose_target(targets, 2020) == (2025, 12.0)
    assert choose_target(targets, 2025) == (2025, 12.0)
    assert choose_target(targets, 2031) == (2030, 10.0)
    assert choose_target([], 2020) is None


def test_assess_uses_the_nearest_future_target() -> None:
    result = assess(FALLING, direction="lower", targets=[(2030, 10), (2025, 12), (2018, 17)])
    assert (result.target, result.target_year, result.target_passed) == (12.0, 2025, False)


def test_passed_target_counts_as_met_or_missed() -> None:
    met = assess(FALLING, direction="lower", targets=[(2018, 17)])
    missed = assess(FALLING, direction="lower", targets=[(2019, 14)])
    assert (met.status, met.target_passed, met.target_missed) == (TARGET_ACHIEVED, True, False)
    assert (missed.target_passed, missed.target_missed) == (True, True)
    assert missed.status != TARGET_ACHIEVED and missed.target_year == 2019


def test_shares_and_projected_year_with_cagr() -> None:
    result = assess(FALLING, direction="lower", targets=[(2030, 10)])
    assert result.progress_share == pytest.approx(0.5, abs=EXACT)
    assert result.elapsed_share == pytest.approx(5 / 15, abs=EXACT)
    years = math.log(10 / 15) / math.log((15 / 20) ** (1 / 5))
    assert result.year_reached == 2020 + math.ceil(years) == 2028


def test_projected_year_with_linear_rate_is_exact() -> None:
    result = assess([(2015, 0), (2020, 5)], direction="higher", targets=[(2030, 10)])
    assert (result.method, result.year_reached) == ("linear", 2025)


def test_projected_year_none_when_moving_away_and_latest_when_achieved() -> None:
    away = assess(FALLING, direction="higher", targets=[(2030, 30)])
    done = assess(FALLING, direction="lower", targets=[(2030, 16)])
    assert away.year_reached is None and away.progress_share == pytest.approx(-0.5)
    assert (done.year_reached, done.progress_share) == (2020, 1.0)


def test_shares_need_a_target() -> None:
    result = assess(FALLING, direction="lower")
    assert (progress_share(result), elapsed_share(result), year_reached(result)) == (
        None, None, None)


def test_zero_target_shares_use_zero_not_0001() -> None:
    result = assess([(2015, 10), (2020, 5)], direction="lower", targets=[(2030, 0)])
    assert result.progress_share == 0.5


def test_disaggregated_indicator_through_assess() -> None:
    series = [assess([(2015, 22), (2020, 21)], direction="lower", targets=[(2030, 21.5)]),
              assess([(2015, 18), (2020, 15)], direction="lower", targets=[(2030, 10)]),
              assess([], direction="lower", targets=[(2030, 10)])]
    indicator = combine(series)
    assert (indicator.status, indicator.scored, len(indicator.series)) == (SUBSTANTIAL, 2, 3)
    assert series[2].status == NOT_AVAILABLE


def test_as_dict_is_json_ready() -> None:
    data = assess([(2015, 10), (2020, 8)], direction="higher", targets=[(2030, 10)]).as_dict()
    assert data["progress_value"] == "-inf"
    assert data["thresholds"] == {"high": 0.95, "med": 0.6, "low": 0.0, "coefficient": 1.0}
    assert data["target_missed"] is False and data["status"] == "deterioration"


def test_band_with_a_zero_edge_is_decided_by_the_band() -> None:
    inside = assess([(2015, 3), (2020, 0)], direction="band", band_low=0, band_high=0)
    above = assess([(2015, 3), (2020, 0.0005)], direction="band", band_low=-1, band_high=0)
    assert (inside.status, inside.score) == (TARGET_ACHIEVED, 5.0)
    assert not above.target_achieved and above.status == SUBSTANTIAL  # 3 → 0.0005: almost there


def test_band_point_before_the_base_year_inside_the_band() -> None:
    result = assess([(2010, 50)], direction="band", band_low=40, band_high=60)
    assert (result.status, result.score) == (TARGET_ACHIEVED, 5.0)
