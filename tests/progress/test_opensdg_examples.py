"""Every worked example of progress-method.md §10, stored as observations and assessed by the
service the progress pages use. The oracle is the reference's tables, typed in by hand: p,
score and status to the printed precision ('' is Open SDG's blank status)."""

from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session

from tracker.data.models import Observation, ObservationStatus, breakdown_key
from tracker.data.period_labels import parse_period_label
from tracker.indicators.models import LocalIndicator, ProgressRule
from tracker.progress.services import IndicatorProgress, city_progress

Row = tuple[str, str | None, dict[str, str], str | None]  # label, value, breakdown, Progress


def printed(value: float | None, text: str | None) -> bool:
    """Does the value print as the table prints it (same number of decimals)?"""
    if text is None or value is None:
        return text is None and value is None
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{value:.{decimals}f}" == text


def rows(*points: str, breakdown: dict[str, str] | None = None) -> list[Row]:
    """Rows from "2015:20"-style points (a label, then the value)."""
    found = []
    for point in points:
        label, value = point.rsplit(":", 1)
        found.append((label, value, dict(breakdown or {}), None))
    return found


def observe(db: Session, indicator: LocalIndicator, data: list[Row]) -> None:
    """Store approved observations as an import would: label, first year, span, breakdown."""
    for label, value, breakdown, progress in data:
        period = parse_period_label(label)
        db.add(Observation(
            indicator_id=indicator.id, year=period.year, quarter=period.quarter,
            period_label=label, period_kind=period.kind, span_years=period.span_years,
            breakdown=breakdown, breakdown_key=breakdown_key(breakdown),
            value=None if value is None else Decimal(value), value_text=value or "",
            progress_value=None if progress is None else Decimal(progress),
            status=ObservationStatus.APPROVED))
    db.flush()


@pytest.fixture
def assess_example(db: Session, make_city: Any, make_indicator: Any) -> Any:
    """Store an example's rows under an indicator configured as given; return its progress."""

    def run(data: list[Row], options: list[dict[str, Any]] | None,
            rule: ProgressRule = ProgressRule.HEADLINE, direction: str = "lower"
            ) -> IndicatorProgress:
        city = make_city()
        indicator = make_indicator(city, "X-1", unit_kind="count", direction=direction)
        indicator.progress_options = options or []
        indicator.progress_rule = rule
        db.add(indicator)
        observe(db, indicator, data)
        (item,) = city_progress(db, city).items
        return item

    return run


FIRST = rows("2015:20", "2016:19", "2017:18.5", "2018:17", "2019:16", "2020:15")
# (data, Open SDG options (None: none given), p, score, status)
TABLE = [
    pytest.param(FIRST, None, "0.05591", "5", "substantial_progress", id="1-none"),
    pytest.param(FIRST, [{"target": 10}], "1.2381", "4.558", "substantial_progress",
                 id="1-target-10"),
    pytest.param(FIRST, [{"direction": "positive"}], "-0.05591", "-5", "deterioration",
                 id="1-positive"),
    pytest.param(rows("2015:95", "2020:97"), [{"direction": "positive"}], "0.004176",
                 "-0.412", "limited_progress", id="1-positive-no-limit"),
    pytest.param(rows("2015:95", "2020:97"), [{"direction": "positive", "limit": 100}],
                 "0.004176", "5", "substantial_progress", id="1-positive-limit-100"),
    pytest.param(rows("2015:3", "2020:10"), [{"target": 5, "target_year": 2035}], "-10.52",
                 "-5", "deterioration", id="1-target-5-2035"),
    pytest.param(rows("2015:20"), [{"target": 25}], None, "5", "target_achieved",
                 id="1-one-point-target"),
    pytest.param(rows("2015:20"), None, None, None, "", id="1-one-point"),
    pytest.param(rows("2017:20", "2019:18", "2021:17"), None, "0.03982", "5",
                 "substantial_progress", id="2-base-2017"),
    pytest.param(rows("2015:0", "2020:5"), [{"direction": "positive"}], "4.4928", "5",
                 "substantial_progress", id="2-base-zero"),
    pytest.param(rows("2015:-5", "2020:3"), [{"direction": "positive"}], None, None, "",
                 id="2-across-zero"),
    pytest.param(rows("2015:-5", "2020:-3"), [{"direction": "positive"}], "0.09712", "5",
                 "substantial_progress", id="2-all-negative"),
    pytest.param(rows("2015-16:20", "2019-20:18"), None, "0.02600", "5",
                 "substantial_progress", id="2-split-years"),
    pytest.param(rows("2015:100", "2020:100"), None, "-0.0", "-2.5", "limited_progress",
                 id="2-flat"),
    pytest.param(rows("2015:100", "2020:100"), [{"target": 50}], "-0.0", "-2.5",
                 "limited_progress", id="2-flat-target-50"),
    pytest.param([("2015", "20", {}, "10"), ("2020", "18", {}, "5")], None, "0.12945", "5",
                 "substantial_progress", id="2-progress-column"),
]


def check(item: IndicatorProgress, p: str | None, score: str | None, status: str) -> None:
    """The single configured series has p; the indicator has the score and status."""
    (outcome,) = item.result.outcomes
    assert outcome.result is not None and not outcome.error
    assert printed(outcome.result.progress_value, p), outcome.result.progress_value
    assert printed(item.score, score), item.score
    assert item.result.opensdg_status == status
    assert item.status == (status or "not_available")  # the tracker's word for blank


@pytest.mark.parametrize(("data", "options", "p", "score", "status"), TABLE)
def test_each_example_as_configured(assess_example: Any, data: list[Row],
                                    options: list[dict[str, Any]] | None, p: str | None,
                                    score: str | None, status: str) -> None:
    item = assess_example(data, options or [{}])
    assert item.result.rule == "configured"
    check(item, p, score, status)


@pytest.mark.parametrize(("data", "options", "p", "score", "status"),
                         [param for param in TABLE if param.values[1] is None])
def test_examples_without_options_under_the_headline_rule(
        assess_example: Any, data: list[Row], options: None, p: str | None,
        score: str | None, status: str) -> None:
    # No options: the headline rule with the indicator's own settings (lower is better).
    item = assess_example(data, options)
    assert item.result.rule == "headline"
    check(item, p, score, status)


SEX = [*rows("2015:20", "2020:18"), *rows("2015:22", "2020:21", breakdown={"Sex": "Female"}),
       *rows("2015:18", "2020:15", breakdown={"Sex": "Male"})]


def test_the_headline_is_used_not_the_breakdowns(assess_example: Any) -> None:
    item = assess_example(SEX, None)
    check(item, "0.02085", "5", "substantial_progress")
    assert item.result.outcomes[0].keys == ("",)


def test_per_series_targets_female_achieved_male_on_the_way(assess_example: Any) -> None:
    options = [{"disaggregation": [{"field": "Sex", "value": "Female"}], "target": 21.5},
               {"disaggregation": [{"field": "Sex", "value": "Male"}], "target": 10}]
    item = assess_example(SEX, options)
    female, male = (o.result for o in item.result.outcomes)
    assert female is not None and male is not None
    assert (female.status, female.score, female.target_achieved) == ("target_achieved", 5.0,
                                                                     True)
    assert printed(male.progress_value, "0.93181") and printed(male.score, "2.3701")
    assert printed(item.score, "3.6851") and item.status == "substantial_progress"
    assert [o.label for o in item.result.outcomes] == ["Sex = Female", "Sex = Male"]


def test_all_data_before_the_base_year_is_not_computable(assess_example: Any) -> None:
    item = assess_example(rows("2010:20", "2012:18"), None)
    (outcome,) = item.result.outcomes
    assert outcome.result is not None and outcome.result.reason == "no data from 2015 on"
    assert (item.status, item.score, item.result.opensdg_status) == ("not_available", None, "")


UNITS = [*rows("2015:20", "2020:18", breakdown={"Units": "%"}),
         *rows("2015:200", "2020:150", breakdown={"Units": "number"})]


@pytest.mark.parametrize(("data", "error"), [
    pytest.param(UNITS, "detected many sub-series (Units: %, number)", id="two-units"),
    pytest.param(rows("2015:22", "2020:21", breakdown={"Sex": "Female"}),
                 "no headline found", id="no-headline"),
    pytest.param([*rows("2016:20", "2020:18"), *rows("2016-2018:19")],
                 "two values for the year 2016", id="duplicate-year"),
])
@pytest.mark.parametrize("options", [None, [{}]], ids=["headline", "configured"])
def test_open_sdg_errors_make_the_indicator_not_computable(
        assess_example: Any, data: list[Row], error: str,
        options: list[dict[str, Any]] | None) -> None:
    item = assess_example(data, options)
    assert (item.status, item.score, item.result.opensdg_status) == ("not_available", None, "")
    assert item.result.error == error and item.result.outcomes[0].error == error
