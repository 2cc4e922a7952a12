"""Validation and plausibility of entered values: unit checks, the natural limit, sum rules
and outliers. Pure functions: callers pass the indicator, the value and its history in."""

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from statistics import median
from typing import Any, Literal

from flask_babel import gettext as _

from tracker.data.models import breakdown_key
from tracker.indicators.models import Direction, LocalIndicator, UnitKind

Level = Literal["error", "warning"]

ERROR: Level = "error"
WARNING: Level = "warning"
MIN_HISTORY = 4  # fewer past values say too little about what is usual
ROBUST_Z_SCALE = Decimal("0.6745")  # makes MAD comparable to the SD for normal data
MEAN_AD_SCALE = Decimal("1.2533")  # sqrt(pi/2): mean absolute deviation to SD, normal data
PERCENT_MAX = Decimal(100)
RATE_KINDS = (UnitKind.RATE_1000, UnitKind.RATE_100000)
NON_NEGATIVE = (UnitKind.COUNT, UnitKind.PERCENT, *RATE_KINDS)


@dataclass(frozen=True)
class Finding:
    """One problem with an entered value: errors block saving, warnings need confirming."""

    level: Level
    code: str
    message: str
    field: str = "value"


def has_errors(findings: Iterable[Finding]) -> bool:
    """Does any finding block the value?"""
    return any(f.level == ERROR for f in findings)


def _show(value: Decimal) -> str:
    """Return a computed number for a message: at most two decimals, no exponent."""
    with suppress(InvalidOperation):  # too many digits to round: show it whole
        value = value.quantize(Decimal("0.01"))
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- type and unit checks ---------------------------------------------------------------


def check_value(indicator: LocalIndicator, value: Decimal) -> list[Finding]:
    """Return the type, unit and natural-limit errors of a value for this indicator."""
    if not value.is_finite():
        return [Finding(ERROR, "not_a_number", _("Enter a number."))]
    findings = _unit_findings(indicator, value)
    limit = _limit_finding(indicator, value)
    if limit is not None and not findings:  # one problem, one error: the unit's says it all
        findings.append(limit)
    return findings


def _unit_findings(indicator: LocalIndicator, value: Decimal) -> list[Finding]:
    """Check a value against what the indicator's unit can hold."""
    kind = indicator.unit_kind
    if kind == UnitKind.PERCENT:
        return _percent_findings(indicator, value)
    findings = []
    if kind == UnitKind.COUNT and value != value.to_integral_value():
        findings.append(Finding(ERROR, "not_whole",
                                _("A count is a whole number: %(value)s is not.",
                                  value=format(value, "f"))))
    # Tonnes of CO2e may be negative (removals); currency and free units may be too.
    if (kind == UnitKind.COUNT or kind in RATE_KINDS) and value < 0:
        findings.append(Finding(ERROR, "negative",
                                _("A count or a rate cannot be negative: %(value)s.",
                                  value=format(value, "f"))))
    return findings


def _percent_ceiling(indicator: LocalIndicator) -> Decimal:
    """Return the highest percentage allowed: 100, or a higher natural limit that allows more."""
    limit = indicator.natural_limit
    if limit is not None and indicator.direction != Direction.LOWER and limit > PERCENT_MAX:
        return limit
    return PERCENT_MAX


def _percent_findings(indicator: LocalIndicator, value: Decimal) -> list[Finding]:
    """A percentage lies between 0 and 100 (or the natural limit, where that allows more)."""
    ceiling = _percent_ceiling(indicator)
    if 0 <= value <= ceiling:
        return []
    return [Finding(ERROR, "percent_range",
                    _("Value: a percentage lies between 0 and %(ceiling)s; %(value)s does not.",
                      ceiling=_show(ceiling), value=format(value, "f")))]


def _limit_finding(indicator: LocalIndicator, value: Decimal) -> Finding | None:
    """The natural limit is a ceiling, or a floor when lower is better."""
    limit = indicator.natural_limit
    if limit is None:
        return None
    if indicator.direction == Direction.LOWER:
        if value >= limit:
            return None
        message = _("%(value)s is below the natural limit of %(limit)s.",
                    value=format(value, "f"), limit=format(limit, "f"))
    else:
        if value <= limit:
            return None
        message = _("%(value)s is above the natural limit of %(limit)s.",
                    value=format(value, "f"), limit=format(limit, "f"))
    return Finding(ERROR, "natural_limit", message)


# --- outliers ---------------------------------------------------------------------------


def check_outlier(value: Decimal, history: Sequence[Decimal | None], method: str = "robust_z",
                  threshold: float | Decimal = 3.5,
                  bounds: tuple[Decimal | None, Decimal | None] | None = None,
                  kind: UnitKind | None = None) -> Finding | None:
    """Return a warning when a value is unusual against its history or outside its bounds;
    `kind` (the indicator's unit) keeps the expected range to values the unit can hold."""
    if method == "minmax":
        if bounds is None:
            raise ValueError("the min–max method needs (low, high) bounds")
        return _minmax_finding(value, *bounds)
    if method != "robust_z":
        raise ValueError(f"unknown outlier method {method!r}")
    past = [v for v in history if v is not None]
    if len(past) < MIN_HISTORY:
        return None
    return _robust_z_finding(value, past, Decimal(str(threshold)), kind)


def _minmax_finding(value: Decimal, low: Decimal | None, high: Decimal | None
                    ) -> Finding | None:
    """Warn when a value falls outside explicit min–max bounds (either may be open)."""
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    return Finding(WARNING, "outlier", _(
        "%(value)s is outside the expected range %(low)s to %(high)s (min–max).",
        value=format(value, "f"), low="…" if low is None else format(low, "f"),
        high="…" if high is None else format(high, "f")))


def _spread(past: list[Decimal], centre: Decimal) -> tuple[Decimal, Decimal]:
    """Return the spread of past values about their median and the scale it needs."""
    # Iglewicz–Hoaglin use the MAD; it is 0 when over half the values are equal, so fall
    # back to the mean absolute deviation (0 too only for a constant history).
    deviations = [abs(v - centre) for v in past]
    mad = median(deviations)
    if mad:
        return mad, ROBUST_Z_SCALE
    return sum(deviations, Decimal(0)) / len(deviations), 1 / MEAN_AD_SCALE


def expected_range(low: Decimal, high: Decimal, kind: UnitKind | None
                   ) -> tuple[Decimal, Decimal]:
    """Keep an expected range to what the unit holds: never below 0 for counts, rates and
    percentages, and whole numbers for counts (the whole numbers inside the range)."""
    if kind in NON_NEGATIVE:
        low, high = max(low, Decimal(0)), max(high, Decimal(0))
    if kind == UnitKind.COUNT:
        low, high = low.to_integral_value(ROUND_CEILING), high.to_integral_value(ROUND_FLOOR)
    return low, high


def _robust_z_finding(value: Decimal, past: list[Decimal], threshold: Decimal,
                      kind: UnitKind | None = None) -> Finding | None:
    """Warn when the modified z-score of a value against its history exceeds the threshold."""
    centre = median(past)
    spread, scale = _spread(past, centre)
    if not spread:
        if value == centre:
            return None
        return Finding(WARNING, "outlier", _(
            "%(value)s differs from every past value, which were all %(median)s "
            "(modified z-score).", value=format(value, "f"), median=_show(centre)))
    score = scale * (value - centre) / spread
    if abs(score) <= threshold:
        return None
    half_width = threshold * spread / scale
    low, high = expected_range(centre - half_width, centre + half_width, kind)
    return Finding(WARNING, "outlier", _(
        "%(value)s is unusual: the median of past values is %(median)s and the expected range "
        "%(low)s to %(high)s (modified z-score %(score)s, limit %(threshold)s).",
        value=format(value, "f"), median=_show(centre), low=_show(low),
        high=_show(high), score=_show(score), threshold=_show(threshold)))


# --- sum rules --------------------------------------------------------------------------


def check_sum(total: Decimal | None, parts: Mapping[str, Decimal | None],
              tolerance: Decimal = Decimal("0"), dimension: str = "",
              level: Level = ERROR) -> Finding | None:
    """Check that the values of one dimension add up to the total (skip if any is missing)."""
    if total is None or not parts or any(v is None for v in parts.values()):
        return None
    added = sum((v for v in parts.values() if v is not None), Decimal(0))
    difference = added - total
    if abs(difference) <= tolerance:
        return None
    name = dimension or _dimension_of(parts)
    return Finding(level, "sum_mismatch", _(
        "The values by %(dimension)s add up to %(sum)s, not to the total %(total)s "
        "(difference %(difference)s).", dimension=name, sum=format(added, "f"),
        total=format(total, "f"), difference=format(difference, "f")), field=name)


def _dimension_of(parts: Mapping[str, Any]) -> str:
    """Return the dimension named by part keys such as "sex=female"."""
    names = sorted({key.split("=", 1)[0] for key in parts})
    return ", ".join(names)


def breakdown_sums(cells: Mapping[str, Decimal | None], dimensions: Iterable[Any]
                   ) -> list[tuple[str, str, dict[str, Decimal | None]]]:
    """Return (dimension, total key, parts) for each dimension, a part being None if absent."""
    total_key = breakdown_key({})
    sums = []
    for dimension in dimensions:
        parts = {}
        for option in dimension.values:
            key = breakdown_key({dimension.name: option})
            parts[key] = cells.get(key)
        sums.append((dimension.name, total_key, parts))
    return sums
