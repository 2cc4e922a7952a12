"""NITI Aayog scoring: normalisation over the cohort, direction, targets, caps, categories
with editable thresholds, and means for goals and the composite."""

import pytest

from tracker.compare.scoring import (
    ACHIEVER,
    ASPIRANT,
    FRONT_RUNNER,
    PERFORMER,
    Thresholds,
    category,
    mean,
    normalise,
    round_half_up,
    score_cohort,
)
from tracker.compare.selection import read_selection


def test_higher_is_better_runs_from_the_cohort_minimum_to_its_maximum() -> None:
    assert normalise(30, "higher", 30, 80).value == 0
    assert normalise(80, "higher", 30, 80).value == 100
    assert normalise(55, "higher", 30, 80).value == pytest.approx(50)


def test_lower_is_better_swaps_the_bounds() -> None:
    assert normalise(30, "lower", 30, 80).value == 100
    assert normalise(80, "lower", 30, 80).value == 0
    assert normalise(40, "lower", 30, 80).value == pytest.approx(80)


def test_a_target_replaces_the_best_bound_and_caps_at_100() -> None:
    score = normalise(60, "higher", 20, 60, target=100)
    assert score.value == pytest.approx(50)  # 100 × (60 − 20) / (100 − 20)
    assert score.target == 100 and "(100 − 20)" in score.formula
    assert normalise(120, "higher", 20, 120, target=100).value == 100
    assert normalise(10, "lower", 10, 50, target=15).value == 100  # met
    assert normalise(30, "lower", 10, 50, target=10).value == pytest.approx(50)


def test_a_flat_cohort_scores_everyone_100_instead_of_dividing_by_zero() -> None:
    scores = score_cohort({1: 5.0, 2: 5.0}, {1: "higher", 2: "lower"})
    assert [s.value for s in scores.values()] == [100, 100]


def test_cohort_scores_name_their_inputs() -> None:
    scores = score_cohort({1: 10.0, 2: 20.0, 3: 40.0}, {1: "higher", 2: "higher", 3: "higher"})
    middle = scores[2]
    assert (middle.x, middle.low, middle.high, middle.target) == (20, 10, 40, 40)
    assert middle.formula == "100 × (20 − 10) / (40 − 10) = 33.3"
    assert middle.rounded == 33


@pytest.mark.parametrize(("score", "expected"), [
    (0, ASPIRANT), (49.4, ASPIRANT), (49.5, PERFORMER), (64, PERFORMER), (65, FRONT_RUNNER),
    (99.4, FRONT_RUNNER), (99.5, ACHIEVER), (100, ACHIEVER)])
def test_categories_use_the_rounded_score(score: float, expected: str) -> None:
    assert category(score) == expected


def test_thresholds_are_editable_and_checked() -> None:
    assert category(55, Thresholds(performer=60, front_runner=70, achiever=90)) == ASPIRANT
    assert category(91, Thresholds(performer=60, front_runner=70, achiever=90)) == ACHIEVER
    chosen = read_selection({"performer": "40", "front_runner": "60", "achiever": "95"})
    assert chosen.thresholds == Thresholds(40, 60, 95)
    assert read_selection({"performer": "70", "front_runner": "60"}).thresholds == Thresholds()
    assert category(None) is None


def test_means_skip_missing_scores() -> None:
    assert mean([10, None, 30]) == 20
    assert mean([None]) is None
    assert round_half_up(2.5) == 3 and round_half_up(3.5) == 4
