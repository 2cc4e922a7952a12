"""Open SDG's `progress_calculation_options` items, read and checked (reference §1).

An item is kept in the database as Open SDG writes it (a dict); `read_option` turns it into a
`SeriesOption` with Open SDG's defaults for what it leaves out (direction negative, base year
2015, no target, target year 2030), or refuses it with a message naming the item and key.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tracker.progress.method import DEFAULT_BASE_YEAR, DEFAULT_TARGET_YEAR
from tracker.progress.result import STATUSES, ProgressInputError

KEYS = ("series", "unit", "disaggregation", "direction", "base_year", "target", "target_year",
        "limit", "progress_thresholds")
THRESHOLD_KEYS = ("high", "med", "low")
POSITIVE, NEGATIVE = "positive", "negative"


@dataclass(frozen=True)
class SeriesOption:
    """One configured series: its filters and its own assessment settings."""

    series: str | None = None
    unit: str | None = None
    disaggregation: tuple[tuple[str, str], ...] = ()
    direction: str = NEGATIVE  # Open SDG: anything but "positive" means lower is better
    base_year: int = DEFAULT_BASE_YEAR
    target: float | None = None
    target_year: int = DEFAULT_TARGET_YEAR
    limit: float | None = None
    thresholds: dict[str, float] | None = None

    @property
    def tracker_direction(self) -> str:
        """The direction as the engine names it."""
        return "higher" if self.direction == POSITIVE else "lower"

    @property
    def filters(self) -> tuple[tuple[str, str], ...]:
        """Every filter as (column, value): Units, then Series, then the disaggregations."""
        given = (("Units", self.unit), ("Series", self.series))
        return tuple((name, value) for name, value in given if value is not None) + \
            self.disaggregation


def text_of(value: Any) -> str:
    """A filter value as the data holds it (YAML may give 2015 or 1.5 for "2015", "1.5")."""
    return value if isinstance(value, str) else str(value)


def number(value: Any, where: str) -> float | None:
    """A finite number, or None when not given."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ProgressInputError(f"{where} must be a number")
    try:
        result = float(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        raise ProgressInputError(f"{where} must be a number, not {value!r}") from None
    if not math.isfinite(result):
        raise ProgressInputError(f"{where} must be a finite number")
    return result


def year(value: Any, default: int, where: str) -> int:
    """A year from 1900 to 2100 (the default when not given)."""
    got = number(value, where)
    if got is None:
        return default
    if got != int(got) or not 1900 <= got <= 2100:
        raise ProgressInputError(f"{where} must be a year such as 2015")
    return int(got)


def read_disaggregation(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    """The {field, value} filters of an item."""
    if raw in (None, []):
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ProgressInputError(f"{where}: disaggregation must be a list of {{field, value}}")
    pairs = []
    for entry in raw:
        if not isinstance(entry, Mapping) or entry.get("field") in (None, "") \
                or entry.get("value") is None:
            raise ProgressInputError(f"{where}: each disaggregation needs a field and a value")
        pairs.append((text_of(entry["field"]), text_of(entry["value"])))
    return tuple(pairs)


def read_thresholds(raw: Any, where: str) -> dict[str, float] | None:
    """progress_thresholds: high, med and low, each optional (merged over the defaults)."""
    if raw in (None, {}):
        return None
    if not isinstance(raw, Mapping):
        raise ProgressInputError(f"{where}: progress_thresholds must give high, med or low")
    # Like Open SDG, other keys are ignored.
    found = {key: number(raw[key], f"{where}: threshold {key}") for key in THRESHOLD_KEYS
             if key in raw}
    return {key: value for key, value in found.items() if value is not None} or None


def read_option(raw: Any, index: int = 0) -> SeriesOption:
    """Read one progress_calculation_options item (index counts from 0, messages from 1);
    other keys are ignored, as Open SDG ignores them."""
    where = f"progress option {index + 1}"
    if not isinstance(raw, Mapping):
        raise ProgressInputError(f"{where} must be a mapping of Open SDG settings")
    series, unit = raw.get("series"), raw.get("unit")
    return SeriesOption(
        series=None if series is None else text_of(series),
        unit=None if unit is None else text_of(unit),
        disaggregation=read_disaggregation(raw.get("disaggregation"), where),
        direction=POSITIVE if raw.get("direction") == POSITIVE else NEGATIVE,
        base_year=year(raw.get("base_year"), DEFAULT_BASE_YEAR, f"{where}: base_year"),
        target=number(raw.get("target"), f"{where}: target"),
        target_year=year(raw.get("target_year"), DEFAULT_TARGET_YEAR, f"{where}: target_year"),
        limit=number(raw.get("limit"), f"{where}: limit"),
        thresholds=read_thresholds(raw.get("progress_thresholds"), where))


def read_options(raw: Any) -> list[SeriesOption]:
    """Read a whole progress_calculation_options list (an empty list: Open SDG's `[{}]`)."""
    if raw in (None, []):
        return [SeriesOption()]
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise ProgressInputError("progress options must be a list of Open SDG items")
    return [read_option(item, index) for index, item in enumerate(raw)]


def option_label(option: SeriesOption) -> str:
    """Name a configured series by its filters, as Open SDG tags it ("" for the headline)."""
    return " · ".join(f"{name} = {value}" for name, value in option.filters)


def check_manual_status(status: str) -> str:
    """A status given by hand: one of Open SDG's statuses, or blank."""
    status = status.strip()
    if status and status not in STATUSES:
        raise ProgressInputError(f"unknown progress status {status!r}; use one of "
                                 + ", ".join(STATUSES))
    return status
