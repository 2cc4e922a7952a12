"""Which series decide an indicator's status, by its progress rule:

- headline (the default): the headline series alone, as Open SDG does without options, assessed
  with the indicator's own direction, baseline, targets and limit (and the tracker's rules);
- configured: each Open SDG progress_calculation_options item, selected and assessed exactly as
  Open SDG does (reference §2–§8), with the item's own settings;
- mean_of_breakdowns: the mean over the total and every breakdown (the tracker's former rule);
- auto progress off: the status given by hand, without a score.
"""

from collections.abc import Sequence

from tracker.indicators.models import Direction, Frequency, LocalIndicator, ProgressRule
from tracker.progress.aggregate import IndicatorResult, SeriesOutcome, combine
from tracker.progress.extensions import assess, rollup_quarters
from tracker.progress.method import assess_series
from tracker.progress.options import SeriesOption, option_label, read_options
from tracker.progress.queries import IndicatorData, Point
from tracker.progress.result import NOT_AVAILABLE, STATUSES, ProgressInputError, SeriesResult
from tracker.progress.selection import Selection, SelectionError, duplicate_years, select_rows

YearPoints = list[tuple[int, float]]
MANUAL = "manual"
TWICE = "two values for"  # how a year (or a quarter) given twice is refused
HEADLINE_OPTION = SeriesOption()


def fiscal_years(indicator: LocalIndicator, points: Sequence[Point]) -> YearPoints:
    """Return a breakdown's fiscal-year values, quarters rolled up as the indicator says."""
    if indicator.frequency == Frequency.QUARTERLY:
        return rollup_quarters(points, indicator.quarterly_rollup.value)
    return [(year, float(value)) for year, quarter, value in points if quarter == 0]


def with_baseline(indicator: LocalIndicator, years: YearPoints) -> YearPoints:
    """Add the definition's baseline as the base-year point when no value was entered for it."""
    base, value = indicator.baseline_year, indicator.baseline_value
    if base is None or value is None or any(year == base for year, _ in years):
        return years
    return sorted([*years, (base, float(value))])


def assess_years(indicator: LocalIndicator, years: YearPoints) -> SeriesResult:
    """Assess one series with the indicator's direction, targets and limits."""
    band = indicator.direction == Direction.BAND
    return assess(years, direction=indicator.direction.value,
                  base_year=indicator.baseline_year,
                  targets=[(t.year, t.value) for t in indicator.targets],
                  limit=indicator.natural_limit,
                  band_low=indicator.band_low if band else None,
                  band_high=indicator.band_high if band else None)


def unassessed(indicator: LocalIndicator, reason: str) -> SeriesResult:
    """A series that could not be assessed, with the reason."""
    return SeriesResult(NOT_AVAILABLE, None, direction=indicator.direction.value, reason=reason)


def checked_years(indicator: LocalIndicator, points: Sequence[Point]) -> YearPoints:
    """Fiscal-year values; a year given twice (e.g. "2017" and "2017-2019") is refused."""
    years = fiscal_years(indicator, points)
    twice = duplicate_years(years)
    if twice:
        raise SelectionError(f"{TWICE} the year {twice[0]}")
    return years


def safe_assess(indicator: LocalIndicator, years: YearPoints) -> SeriesResult:
    """assess_years, a refusal (two values for a year, …) becoming the reason."""
    try:
        return assess_years(indicator, years)
    except ProgressInputError as error:
        return unassessed(indicator, str(error))


def breakdown_years(data: IndicatorData, uses_progress: bool) -> dict[str, YearPoints]:
    """Each breakdown's fiscal-year points (Progress values when the indicator has them)."""
    source = data.progress if uses_progress else data.series
    years = {}
    for key in sorted(set(data.series) | set(data.progress)):
        try:
            years[key] = fiscal_years(data.indicator, source.get(key, []))
        except ProgressInputError:
            years[key] = []
    return years


def reusable(chosen: Selection, results: dict[str, SeriesResult]) -> SeriesResult | None:
    """The breakdown's own result when the headline is exactly the total's rows (assessed
    the same way already), so that it is not assessed twice."""
    if chosen.keys != ("",) or "" not in results:
        return None
    return results[""]


def headline_outcome(data: IndicatorData, results: dict[str, SeriesResult]) -> SeriesOutcome:
    """The headline series assessed with the indicator's own settings."""
    indicator = data.indicator
    try:
        chosen = select_rows(data.series, data.progress, HEADLINE_OPTION)
        result = reusable(chosen, results)
        if result is not None and result.reason.startswith(TWICE):
            raise SelectionError(result.reason)
        if result is None:
            years = with_baseline(indicator, checked_years(indicator, chosen.points))
            result = assess_years(indicator, years)
    except ProgressInputError as error:
        return SeriesOutcome("", None, error=str(error))
    return SeriesOutcome("", result, chosen.keys, uses_progress=chosen.uses_progress)


def configured_outcome(data: IndicatorData, option: SeriesOption) -> SeriesOutcome:
    """One configured series, selected and assessed exactly as Open SDG does."""
    label = option_label(option)
    try:
        chosen = select_rows(data.series, data.progress, option)
        years = checked_years(data.indicator, chosen.points)
        result = assess_series(years, direction=option.tracker_direction,
                               base_year=option.base_year, target=option.target,
                               target_year=option.target_year, limit=option.limit,
                               thresholds=option.thresholds, linear_fallback=False)
    except ProgressInputError as error:
        return SeriesOutcome(label, None, error=str(error))
    return SeriesOutcome(label, result, chosen.keys, warnings=chosen.warnings,
                         uses_progress=chosen.uses_progress)


def from_outcomes(rule: str, outcomes: Sequence[SeriesOutcome]) -> IndicatorResult:
    """Combine the outcomes; one that could not be selected stops the indicator, as in Open SDG."""
    failed = next((o for o in outcomes if o.error), None)
    if failed is not None:
        results = tuple(o.result for o in outcomes if o.result is not None)
        return IndicatorResult(NOT_AVAILABLE, None, results, 0, rule, tuple(outcomes),
                               error=failed.error)
    return combine([o.result for o in outcomes if o.result is not None], rule, tuple(outcomes))


def effective_rule(indicator: LocalIndicator) -> str:
    """The rule that applies: manual when auto progress is off; configured whenever options
    are given; else the indicator's rule (configured without options is the headline)."""
    if not indicator.auto_progress:
        return MANUAL
    if indicator.progress_options:
        return ProgressRule.CONFIGURED.value
    rule = ProgressRule(indicator.progress_rule)
    return ProgressRule.HEADLINE.value if rule == ProgressRule.CONFIGURED else rule.value


def manual_result(indicator: LocalIndicator) -> IndicatorResult:
    """The status given by hand, without a score; blank (not_available here) when none."""
    given = (indicator.manual_progress_status or "").strip()
    status = given if given in STATUSES else NOT_AVAILABLE
    error = "" if given in STATUSES else (
        "no status was given by hand" if not given else f"unknown status {given!r}")
    return IndicatorResult(status, None, (), 0, MANUAL, error=error, manual_status=given)


def configured_result(data: IndicatorData) -> IndicatorResult:
    """Every configured series (unreadable options make the indicator not computable)."""
    try:
        options = read_options(data.indicator.progress_options)
    except ProgressInputError as error:
        return IndicatorResult(NOT_AVAILABLE, None, (), 0, ProgressRule.CONFIGURED.value,
                               error=str(error))
    outcomes = [configured_outcome(data, option) for option in options]
    return from_outcomes(ProgressRule.CONFIGURED.value, outcomes)


def mean_result(results: dict[str, SeriesResult]) -> IndicatorResult:
    """The mean over the total and every breakdown."""
    outcomes = tuple(SeriesOutcome(key, result, (key,)) for key, result in sorted(results.items()))
    return combine(results.values(), ProgressRule.MEAN.value, outcomes)


def indicator_result(data: IndicatorData, results: dict[str, SeriesResult],
                     rule: str | None = None) -> IndicatorResult:
    """The indicator's result under its rule (`results`: each breakdown's own assessment;
    `rule`: the effective rule, when known already)."""
    rule = rule or effective_rule(data.indicator)
    if rule == MANUAL:
        return manual_result(data.indicator)
    if rule == ProgressRule.CONFIGURED.value:
        return configured_result(data)
    if rule == ProgressRule.MEAN.value:
        return mean_result(results)
    return from_outcomes(rule, [headline_outcome(data, results)])
