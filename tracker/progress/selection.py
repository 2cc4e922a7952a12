"""Open SDG's data selection for one configured series (reference §2), over the tracker's
breakdowns: Series and Units are the dimensions named "Series" and "Units", other dimensions
are disaggregations, and a blank disaggregation is a name absent from the breakdown.

Every row of a breakdown key has the same columns, so the selection works on keys: filters on
Units, then Series, then the disaggregations (a filter on a missing column or value only
warns), else the headline keys (no disaggregation but Series/Units); then each column must
have one value left ("Detected many sub-series"). Where the indicator has a Progress column,
its values replace Value.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tracker.progress.options import SeriesOption
from tracker.progress.queries import Point
from tracker.progress.result import ProgressInputError

SERIES, UNITS = "Series", "Units"
# Open SDG's other non-disaggregation columns: dropped before the selection, never grouped.
IGNORED = frozenset({"GeoCode", "Observation status", "Unit multiplier", "Unit measure",
                     "UNIT_MEASURE", "SERIES"})
NO_HEADLINE = "no headline found"


class SelectionError(ProgressInputError):
    """Open SDG stops here: no headline, several sub-series left, or a year twice."""


@dataclass(frozen=True)
class Selection:
    """The rows chosen for one configured series."""

    keys: tuple[str, ...]  # the breakdown keys kept
    points: list[Point]  # their (year, quarter, value) points, Progress values if any
    uses_progress: bool
    warnings: tuple[str, ...] = ()


def parse_key(key: str) -> dict[str, str]:
    """A breakdown from its key ("Sex=Female|Units=%"); a part without "=" continues the
    value before it (a value holding "|")."""
    breakdown: dict[str, str] = {}
    last = None
    for part in key.split("|") if key else ():
        name, sep, value = part.partition("=")
        if sep or last is None:
            breakdown[name], last = value, name
        else:
            breakdown[last] += "|" + part
    return breakdown


def columns_of(breakdowns: Mapping[str, Mapping[str, str]]) -> set[str]:
    """The columns the indicator's data has (Open SDG's ignored columns left out)."""
    return {name for b in breakdowns.values() for name in b} - IGNORED


def filter_column(keys: list[str], breakdowns: Mapping[str, Mapping[str, str]],
                  columns: set[str], name: str, value: str) -> tuple[list[str], str]:
    """Keep the keys where column == value; a missing column or value only warns."""
    if name not in columns:
        return keys, f"column {name!r} not found: not filtered"
    kept = [key for key in keys if breakdowns[key].get(name) == value]
    if not kept:
        return keys, f"{name} {value!r} not found: not filtered"
    return kept, ""


def headline_keys(keys: list[str], breakdowns: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The keys with no disaggregation but Series and Units."""
    allowed = IGNORED | {SERIES, UNITS}
    return [key for key in keys if set(breakdowns[key]) <= allowed]


def check_single(keys: list[str], breakdowns: Mapping[str, Mapping[str, str]],
                 columns: set[str]) -> None:
    """Every column must have one value left (blank counts as a value), as Open SDG checks."""
    for name in sorted(columns):
        values = {breakdowns[key].get(name) for key in keys}
        if len(values) > 1:
            shown = ", ".join(sorted(v if v is not None else "(blank)" for v in values))
            raise SelectionError(f"detected many sub-series ({name}: {shown})")


def choose_keys(keys: list[str], option: SeriesOption
                ) -> tuple[list[str], tuple[str, ...]]:
    """The keys the option's filters (or the headline rule) keep, and the warnings."""
    if keys == [""] and not option.filters:  # only the total: the headline, nothing to check
        return keys, ()
    breakdowns = {key: parse_key(key) for key in keys}
    columns = columns_of(breakdowns)
    kept, warnings = list(keys), []
    for name, value in option.filters:
        kept, warning = filter_column(kept, breakdowns, columns, name, value)
        warnings += [warning] if warning else []
    if not option.disaggregation:
        headline = headline_keys(kept, breakdowns)
        if not headline and kept:
            raise SelectionError(NO_HEADLINE)
        kept = headline
    check_single(kept, breakdowns, columns)
    return kept, tuple(warnings)


def select_rows(series: Mapping[str, list[Point]], progress: Mapping[str, list[Point]],
                option: SeriesOption) -> Selection:
    """Select one configured series' points from an indicator's values by breakdown key."""
    keys = sorted(set(series) | set(progress))
    kept, warnings = choose_keys(keys, option)
    uses_progress = any(progress.values())
    source = progress if uses_progress else series
    points = [point for key in kept for point in source.get(key, ())]
    if len(kept) > 1:  # one key's points come in order already
        points.sort()
    return Selection(tuple(kept), points, uses_progress, warnings)


def duplicate_years(points: Iterable[tuple[int, float]]) -> list[int]:
    """The years given more than once."""
    counts = Counter(year for year, _ in points)
    return sorted(year for year, n in counts.items() if n > 1)
