"""Which indicators a city reports for which period."""

from tracker.data.models import WHOLE_YEAR
from tracker.indicators.models import Frequency, LocalIndicator


def is_due(indicator: LocalIndicator, quarter: int) -> bool:
    """Is this indicator reported for a period of this kind (a fiscal year or a quarter)?"""
    if indicator.is_retired:
        return False
    if quarter == WHOLE_YEAR:
        return indicator.frequency == Frequency.ANNUAL
    return indicator.frequency == Frequency.QUARTERLY


def due_indicators(indicators: list[LocalIndicator], quarter: int) -> list[LocalIndicator]:
    """Return the indicators due for a period of this kind, in the order given."""
    return [indicator for indicator in indicators if is_due(indicator, quarter)]
