"""The result of assessing a series: status, score, every intermediate, and the figures the
tracker derives from them (progress and elapsed shares, the year the target is reached)."""

import math
from dataclasses import dataclass

TARGET_ACHIEVED = "target_achieved"
SUBSTANTIAL = "substantial_progress"
MODERATE = "moderate_progress"
LIMITED = "limited_progress"
DETERIORATION = "deterioration"
NOT_AVAILABLE = "not_available"
STATUSES = (TARGET_ACHIEVED, SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION,
            NOT_AVAILABLE)
# Best first; a status's index is its rank (lower is better), used to compare statuses.
STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}

CAGR, LINEAR = "cagr", "linear"
DERIVED = ("target_passed", "target_missed", "progress_share", "elapsed_share",
           "year_reached")
TARGET_ZERO_NOTE = "target 0 replaced by 0.001"
DIRECTIONS = {"higher": 1, "positive": 1, "lower": -1, "negative": -1}


class ProgressInputError(ValueError):
    """The series cannot be assessed as given (duplicate years, unknown direction, …)."""


@dataclass(frozen=True)
class Thresholds:
    """Thresholds on the progress value, already scaled by the limit coefficient."""

    high: float
    med: float
    low: float
    coefficient: float = 1.0


@dataclass(frozen=True)
class SeriesResult:
    """A series' status and score with every input and intermediate that produced them."""

    status: str
    score: float | None
    direction: str
    method: str | None = None  # "cagr" or "linear"; None when nothing was computed
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    target: float | None = None
    target_year: int | None = None
    limit: float | None = None
    sign: int | None = None
    actual_growth: float | None = None  # CAGR_o, or the linear annual rate
    required_growth: float | None = None  # CAGR_r or the required linear rate (with a target)
    ratio: float | None = None  # ±actual / |required| growth, toward the target (with a target)
    progress_value: float | None = None  # p, compared with the thresholds
    thresholds: Thresholds | None = None
    target_achieved: bool = False
    reason: str = ""  # why the status is not_available
    notes: tuple[str, ...] = ()  # edge-case rules applied
    band_low: float | None = None  # target bands (tracker.progress.extensions)
    band_high: float | None = None

    @property
    def target_passed(self) -> bool:
        """Is the target year before the latest year?"""
        return (self.target is not None and self.latest_year is not None
                and self.target_year is not None and self.target_year < self.latest_year)

    @property
    def target_missed(self) -> bool:
        """A passed target that the latest value does not meet."""
        return self.target_passed and not self.target_achieved

    @property
    def progress_share(self) -> float | None:
        """Share of the way from base to target covered (tracker extension)."""
        return progress_share(self)

    @property
    def elapsed_share(self) -> float | None:
        """Share of the time from base year to target year gone by (tracker extension)."""
        return elapsed_share(self)

    @property
    def year_reached(self) -> int | None:
        """The year the target is reached at the observed rate (tracker extension)."""
        return year_reached(self)

    def as_dict(self) -> dict[str, object]:
        """Return the result, derived figures included, as plain JSON-ready values."""
        data = {name: getattr(self, name) for name in (*self.__dataclass_fields__, *DERIVED)}
        data["thresholds"] = None if self.thresholds is None else vars(self.thresholds).copy()
        data["notes"] = list(self.notes)
        return {key: json_number(value) for key, value in data.items()}


def json_number(value: object) -> object:
    """Infinity and NaN are not JSON: write them as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def direction_sign(direction: str) -> int:
    """+1 when higher is better, −1 when lower is better."""
    try:
        return DIRECTIONS[direction]
    except KeyError:
        raise ProgressInputError(f"unknown direction {direction!r}; use higher or lower") from None


def target_for_shares(result: SeriesResult) -> float | None:
    """The target as given (Open SDG's 0 → 0.001 is for CAGR only)."""
    return 0.0 if TARGET_ZERO_NOTE in result.notes else result.target


def better_sign(result: SeriesResult) -> int:
    """+1 if higher is better for this result, −1 if lower (a band: toward its nearest edge)."""
    if result.direction == "band":
        above = (result.latest_value is not None and result.band_high is not None
                 and result.latest_value > result.band_high)
        return -1 if above else 1
    return direction_sign(result.direction)


def progress_share(result: SeriesResult) -> float | None:
    """d·(x_t − x_b) / |x* − x_b|, capped at 1: the share of the way to the target covered
    (ESCAP's (x_t − x_b)/(x* − x_b), but negative for a base that met the target and worsened)."""
    target = target_for_shares(result)
    if result.target_achieved:
        return 1.0
    if target is None or result.base_value is None or result.latest_value is None:
        return None
    if target == result.base_value:
        return None
    moved = better_sign(result) * (result.latest_value - result.base_value)
    return min(moved / abs(target - result.base_value), 1.0)


def elapsed_share(result: SeriesResult) -> float | None:
    """(t − b) / (T − b): the share of the time from base year to target year gone by."""
    if result.target is None or result.base_year is None or result.latest_year is None:
        return None
    if result.target_year == result.base_year or result.target_year is None:
        return None
    return (result.latest_year - result.base_year) / (result.target_year - result.base_year)


def year_reached(result: SeriesResult) -> int | None:
    """The first year the target is reached if the observed rate goes on (None: never)."""
    target, latest, rate = target_for_shares(result), result.latest_value, result.actual_growth
    if result.target_achieved:
        return result.latest_year
    if target is None or latest is None or rate is None or result.latest_year is None:
        return None
    if result.method == LINEAR:
        years = (target - latest) / rate if rate else -1.0
    elif result.method == CAGR and rate > -1 and rate != 0 and target / latest > 0:
        years = math.log(target / latest) / math.log(1 + rate)
    else:
        return None
    if years <= 0 or not math.isfinite(years):
        return None
    return result.latest_year + math.ceil(years - 1e-9)  # float noise must not add a year
