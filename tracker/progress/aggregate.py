"""Combining an indicator's assessed series into its status (reference §8): the mean of the
kept series' scores, achieved only if every kept series achieved its target."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.progress.result import (
    DETERIORATION,
    LIMITED,
    MODERATE,
    NOT_AVAILABLE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
    SeriesResult,
)


@dataclass(frozen=True)
class SeriesOutcome:
    """One series that counts under the indicator's rule: how it was chosen and its result."""

    label: str  # its filters ("Sex = Female"); "" for the headline
    result: SeriesResult | None  # None when its data could not be selected
    keys: tuple[str, ...] = ()  # the breakdown keys of the rows used
    error: str = ""  # why its data could not be selected (Open SDG stops there)
    warnings: tuple[str, ...] = ()  # filters on a missing column or value (not applied)
    uses_progress: bool = False  # Open SDG's Progress column replaced the values


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator's status and score combined from the series its rule counts."""

    status: str
    score: float | None
    series: tuple[SeriesResult, ...]
    scored: int  # how many series had a score and entered the mean
    rule: str = "mean_of_breakdowns"  # a ProgressRule value, or "manual"
    outcomes: tuple[SeriesOutcome, ...] = ()
    error: str = ""  # why the indicator could not be assessed at all
    manual_status: str | None = None  # the status given by hand (auto progress off)

    @property
    def opensdg_status(self) -> str:
        """What Open SDG shows: blank where no series has a score (the tracker says
        not_available with its reason), the manual status as given."""
        if self.manual_status is not None:
            return self.manual_status
        return self.status if self.scored else ""


def status_from_score(score: float | None, achieved: bool) -> str:
    """Indicator status from the mean score (Open SDG's bands)."""
    if achieved:
        return TARGET_ACHIEVED
    if score is None or math.isnan(score):
        return NOT_AVAILABLE
    if score >= 2.5:
        return SUBSTANTIAL
    if score >= 0:
        return MODERATE
    if score >= -2.5:
        return LIMITED
    return DETERIORATION


def combine(results: Iterable[SeriesResult], rule: str = "mean_of_breakdowns",
            outcomes: tuple[SeriesOutcome, ...] = ()) -> IndicatorResult:
    """Mean of the series scores (equal weights); achieved only if every scored series is.

    Open SDG leaves the status blank when no series has a score; the tracker says
    not_available instead (IndicatorResult.opensdg_status keeps Open SDG's blank).
    """
    results = tuple(results)
    kept = [result for result in results if result.score is not None]
    if not kept:
        return IndicatorResult(NOT_AVAILABLE, None, results, 0, rule, outcomes)
    score = math.fsum(result.score for result in kept if result.score is not None) / len(kept)
    achieved = all(result.target_achieved for result in kept)
    return IndicatorResult(status_from_score(score, achieved), score, results, len(kept),
                           rule, outcomes)
