"""Validation and plausibility of entered values: unit checks, natural limits, outliers, sums."""

from collections.abc import Iterator
from decimal import Decimal as D

import pytest

from tracker import create_app
from tracker.data.quality import (
    Finding,
    breakdown_sums,
    check_outlier,
    check_sum,
    check_value,
    has_errors,
)
from tracker.indicators.models import IndicatorDimension, LocalIndicator


@pytest.fixture(scope="module", autouse=True)
def app_context() -> Iterator[None]:
    """Messages are translated, so they need an app context (but no database)."""
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    with app.app_context():
        yield


def indicator(unit_kind: str = "percent", direction: str = "higher",
              natural_limit: D | None = None) -> LocalIndicator:
    """Return an unsaved indicator of this kind."""
    return LocalIndicator(code="T1", name="Test indicator", unit_kind=unit_kind,
                          direction=direction, unit_label="lpcd", natural_limit=natural_limit,
                          city_id=1)


def codes(findings: list[Finding]) -> list[str]:
    """Return the codes of some findings."""
    return [f.code for f in findings]


# --- check_value ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "0.0", "55.5", "100", "100.0"])
def test_percent_within_0_to_100_is_fine(value: str) -> None:
    assert check_value(indicator("percent"), D(value)) == []


@pytest.mark.parametrize("value", ["100.1", "-0.1", "250"])
def test_percent_outside_0_to_100_is_an_error(value: str) -> None:
    findings = check_value(indicator("percent"), D(value))
    assert codes(findings) == ["percent_range"]
    assert findings[0].level == "error" and findings[0].field == "value"
    assert value in findings[0].message
    assert has_errors(findings)


def test_percent_natural_limit_above_100_allows_more() -> None:
    ind = indicator("percent", natural_limit=D("120"))
    assert check_value(ind, D("110")) == []
    assert check_value(ind, D("120")) == []
    # One problem, one error: the percentage's range (here up to the limit, 120) says it all.
    assert codes(check_value(ind, D("120.5"))) == ["percent_range"]


def test_percent_natural_limit_below_100_caps_it() -> None:
    ind = indicator("percent", natural_limit=D("80"))
    assert codes(check_value(ind, D("90"))) == ["natural_limit"]
    assert check_value(ind, D("80")) == []


def test_percent_floor_for_lower_is_better_does_not_lift_the_ceiling() -> None:
    ind = indicator("percent", direction="lower", natural_limit=D("150"))
    assert "percent_range" in codes(check_value(ind, D("101")))


@pytest.mark.parametrize("value", ["0", "7", "4.00", "1000000"])
def test_whole_non_negative_count_is_fine(value: str) -> None:
    assert check_value(indicator("count"), D(value)) == []


def test_fractional_count_is_an_error() -> None:
    findings = check_value(indicator("count"), D("3.5"))
    assert codes(findings) == ["not_whole"]
    assert "3.5" in findings[0].message and findings[0].level == "error"


def test_negative_count_is_an_error() -> None:
    findings = check_value(indicator("count"), D("-2"))
    assert codes(findings) == ["negative"]
    assert findings[0].level == "error"


def test_negative_fractional_count_has_both_errors() -> None:
    assert codes(check_value(indicator("count"), D("-2.5"))) == ["not_whole", "negative"]


@pytest.mark.parametrize("kind", ["rate_per_1000", "rate_per_100000"])
def test_rates_must_not_be_negative_but_may_be_fractional(kind: str) -> None:
    assert check_value(indicator(kind), D("2.75")) == []
    assert check_value(indicator(kind), D("0")) == []
    assert codes(check_value(indicator(kind), D("-0.01"))) == ["negative"]


def test_negative_tco2e_is_allowed_as_removals() -> None:
    assert check_value(indicator("tco2e", direction="lower"), D("-1200.5")) == []


@pytest.mark.parametrize("kind", ["currency", "other"])
def test_free_units_may_be_negative_or_fractional(kind: str) -> None:
    assert check_value(indicator(kind), D("-3.25")) == []


def test_natural_limit_is_a_ceiling_when_higher_is_better() -> None:
    ind = indicator("count", natural_limit=D("500"))
    assert check_value(ind, D("500")) == []
    findings = check_value(ind, D("501"))
    assert codes(findings) == ["natural_limit"]
    assert "501" in findings[0].message and "500" in findings[0].message
    assert findings[0].level == "error"


def test_natural_limit_is_a_floor_when_lower_is_better() -> None:
    ind = indicator("other", direction="lower", natural_limit=D("25"))
    assert check_value(ind, D("25")) == []
    assert check_value(ind, D("4000")) == []  # far above a floor is not a limit problem
    findings = check_value(ind, D("20"))
    assert codes(findings) == ["natural_limit"]
    assert "below" in findings[0].message


def test_natural_limit_is_a_ceiling_for_a_band() -> None:
    ind = indicator("other", direction="band", natural_limit=D("10"))
    assert check_value(ind, D("-5")) == []
    assert codes(check_value(ind, D("11"))) == ["natural_limit"]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_non_finite_values_are_errors(value: str) -> None:
    for kind in ("percent", "count", "tco2e", "other"):
        assert codes(check_value(indicator(kind), D(value))) == ["not_a_number"]


# --- check_outlier: robust z-score ------------------------------------------------------

HISTORY = [D(10), D(11), D(12), D(13), D(14)]  # median 12, MAD 1


@pytest.mark.parametrize("value", ["12", "17", "7", "17.18"])
def test_robust_z_within_threshold_is_no_finding(value: str) -> None:
    assert check_outlier(D(value), HISTORY) is None


@pytest.mark.parametrize("value", ["18", "6", "17.2", "1000"])
def test_robust_z_beyond_threshold_is_a_warning(value: str) -> None:
    finding = check_outlier(D(value), HISTORY)
    assert finding is not None
    assert (finding.level, finding.code, finding.field) == ("warning", "outlier", "value")
    assert not has_errors([finding])


def test_robust_z_message_gives_value_median_range_and_method() -> None:
    finding = check_outlier(D("18"), HISTORY)
    assert finding is not None
    message = finding.message
    assert "18" in message and "12" in message
    assert "6.81" in message and "17.19" in message  # 12 ± 3.5 × 1 / 0.6745
    assert "modified z-score" in message


def test_robust_z_threshold_can_be_changed() -> None:
    assert check_outlier(D("16"), HISTORY) is None
    assert check_outlier(D("16"), HISTORY, threshold=2) is not None
    assert check_outlier(D("18"), HISTORY, threshold=D("5")) is None


@pytest.mark.parametrize("history", [[], [D(1)], [D(10), D(11), D(12)],
                                     [D(10), None, D(11), D(12)]])
def test_short_history_gives_no_finding(history: list[D | None]) -> None:
    assert check_outlier(D("1000000"), history) is None


def test_four_history_values_are_enough() -> None:
    assert check_outlier(D("1000"), [D(10), D(11), D(12), D(13)]) is not None


def test_mad_zero_falls_back_to_mean_absolute_deviation() -> None:
    history = [D(10), D(10), D(10), D(10), D(20)]  # MAD 0, mean absolute deviation 2
    # (x - 10) / (1.2533 × 2) > 3.5 ⇔ |x - 10| > 8.77
    assert check_outlier(D("18"), history) is None
    assert check_outlier(D("1"), history) is not None
    finding = check_outlier(D("19"), history)
    assert finding is not None and finding.level == "warning"
    assert "10" in finding.message


def test_constant_history_flags_any_different_value() -> None:
    history = [D(5), D(5), D("5.0"), D(5)]
    assert check_outlier(D(5), history) is None
    finding = check_outlier(D("5.01"), history)
    assert finding is not None and finding.code == "outlier"
    assert "5.01" in finding.message and "5" in finding.message
    assert check_outlier(D("4.99"), history) is not None


# --- check_outlier: min–max -------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "50", "100"])
def test_minmax_within_bounds_is_no_finding(value: str) -> None:
    assert check_outlier(D(value), [], method="minmax", bounds=(D(0), D(100))) is None


@pytest.mark.parametrize("value", ["-1", "100.5"])
def test_minmax_outside_bounds_is_a_warning(value: str) -> None:
    finding = check_outlier(D(value), [], method="minmax", bounds=(D(0), D(100)))
    assert finding is not None
    assert (finding.level, finding.code) == ("warning", "outlier")
    assert value in finding.message and "0" in finding.message and "100" in finding.message
    assert "min–max" in finding.message


def test_minmax_bound_may_be_open() -> None:
    assert check_outlier(D("-1000"), [], method="minmax", bounds=(None, D(50))) is None
    assert check_outlier(D("51"), [], method="minmax", bounds=(None, D(50))) is not None
    assert check_outlier(D("9"), [], method="minmax", bounds=(D(10), None)) is not None


def test_minmax_ignores_history() -> None:
    assert check_outlier(D("1000"), HISTORY, method="minmax", bounds=(D(0), D(2000))) is None


def test_minmax_without_bounds_or_unknown_method_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check_outlier(D(1), HISTORY, method="minmax")
    with pytest.raises(ValueError):
        check_outlier(D(1), HISTORY, method="zscore")


# --- check_sum and breakdown_sums -------------------------------------------------------


def test_parts_adding_up_to_the_total_is_no_finding() -> None:
    parts = {"sex=female": D("60.5"), "sex=male": D("39.5")}
    assert check_sum(D(100), parts) is None


def test_parts_not_adding_up_is_an_error_naming_dimension_and_difference() -> None:
    finding = check_sum(D(100), {"sex=female": D(60), "sex=male": D(39)})
    assert finding is not None
    assert (finding.level, finding.code, finding.field) == ("error", "sum_mismatch", "sex")
    assert "sex" in finding.message and "99" in finding.message and "-1" in finding.message
    assert has_errors([finding])


def test_sum_tolerance() -> None:
    parts = {"sex=female": D(60), "sex=male": D(39)}
    assert check_sum(D(100), parts, tolerance=D(1)) is None
    assert check_sum(D(100), parts, tolerance=D("0.5")) is not None


def test_sum_level_and_dimension_are_the_callers() -> None:
    finding = check_sum(D(10), {"a": D(1)}, dimension="age group", level="warning")
    assert finding is not None
    assert finding.level == "warning" and "age group" in finding.message
    assert not has_errors([finding])


@pytest.mark.parametrize("total, parts", [
    (None, {"sex=female": D(1), "sex=male": D(2)}),
    (D(100), {"sex=female": D(1), "sex=male": None}),
    (D(100), {}),
])
def test_sum_is_skipped_when_anything_is_missing(total: D | None,
                                                 parts: dict[str, D | None]) -> None:
    assert check_sum(total, parts) is None


def dimensions() -> list[IndicatorDimension]:
    """Return two unsaved dimensions."""
    return [IndicatorDimension(name="sex", values=["female", "male"]),
            IndicatorDimension(name="area", values=["urban", "rural"], position=1)]


def test_breakdown_sums_lists_each_dimension_with_its_parts() -> None:
    cells = {"": D(100), "sex=female": D(60), "sex=male": D(40), "area=urban": D(70)}
    sums = breakdown_sums(cells, dimensions())
    assert sums == [
        ("sex", "", {"sex=female": D(60), "sex=male": D(40)}),
        ("area", "", {"area=rural": None, "area=urban": D(70)}),
    ]


def test_breakdown_sums_feed_check_sum() -> None:
    cells = {"": D(100), "sex=female": D(60), "sex=male": D(41), "area=urban": D(70),
             "area=rural": D(30), "area=rural|sex=male": D(5)}
    findings = [check_sum(cells.get(key), parts, dimension=name)
                for name, key, parts in breakdown_sums(cells, dimensions())]
    assert findings[1] is None
    assert findings[0] is not None and findings[0].field == "sex"
    assert "difference 1" in findings[0].message


def test_breakdown_sums_without_dimensions_is_empty() -> None:
    assert breakdown_sums({"": D(1)}, []) == []


# --- has_errors -------------------------------------------------------------------------


def test_has_errors() -> None:
    warning = Finding("warning", "outlier", "odd")
    error = Finding("error", "negative", "bad")
    assert not has_errors([])
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert has_errors(iter([error]))
