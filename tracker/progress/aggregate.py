"""Combining the series of a disaggregated indicator, as Open SDG does (reference §8)."""

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
class IndicatorResult:
    """An indicator's status and score combined from its series, as Open SDG does."""

    status: str
    score: float | None
    series: tuple[SeriesResult, ...]
    scored: int  # how many series had a score and entered the mean


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


def combine(results: Iterable[SeriesResult]) -> IndicatorResult:
    """Mean of the series scores (equal weights); achieved only if every scored series is.

    Open SDG leaves the status blank when no series has a score; the tracker says
    not_available instead, which is what Open SDG's own docs describe.
    """
    results = tuple(results)
    kept = [result for result in results if result.score is not None]
    if not kept:
        return IndicatorResult(NOT_AVAILABLE, None, results, 0)
    score = math.fsum(result.score for result in kept) / len(kept)  # type: ignore[misc]
    achieved = all(result.target_achieved for result in kept)
    return IndicatorResult(status_from_score(score, achieved), score, results, len(kept))
