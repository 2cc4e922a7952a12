"""NITI Aayog SDG Urban Index scoring: each indicator normalised to 0–100 over the cities
compared, goal scores as means, a composite as the mean of goals, and categories.

Higher is better: 100·(x − min)/(T − min); lower is better: 100·(max − x)/(max − T), capped
at 0 and 100, where min and max are the cohort's and T is the target (by default the cohort's
best value, so the best city scores 100). Scores are rounded before they are categorised.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

COHORT, TARGETS = "cohort", "targets"
BOUNDS = (COHORT, TARGETS)
ASPIRANT, PERFORMER, FRONT_RUNNER, ACHIEVER = "aspirant", "performer", "front_runner", "achiever"
CATEGORY_LABELS = {ASPIRANT: _l("Aspirant"), PERFORMER: _l("Performer"),
                   FRONT_RUNNER: _l("Front Runner"), ACHIEVER: _l("Achiever")}


@dataclass(frozen=True)
class Thresholds:
    """The lowest rounded score of each category above Aspirant (editable in the URL)."""

    performer: int = 50
    front_runner: int = 65
    achiever: int = 100

    def is_valid(self) -> bool:
        """Thresholds must rise from Performer to Achiever within 0–100."""
        return 0 < self.performer < self.front_runner < self.achiever <= 100


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Score:
    """A normalised score with the inputs that produced it."""

    value: float
    x: float
    low: float
    high: float
    target: float
    direction: str
    formula: str

    @property
    def rounded(self) -> int:
        """The score rounded to a whole number (what categories use)."""
        return round_half_up(self.value)


def round_half_up(value: float) -> int:
    """Round halves up (Python's round() rounds halves to even)."""
    return math.floor(value + 0.5)


def clip(value: float) -> float:
    """Cap a score to 0–100."""
    return max(0.0, min(100.0, value))


def short(value: float) -> str:
    """Write a figure of a formula compactly."""
    return f"{value:,.4g}"


def normalise(x: float, direction: str, low: float, high: float,
              target: float | None = None) -> Score:
    """Normalise one value over the cohort's bounds toward its target (NITI Aayog)."""
    if direction == "lower":
        goal = low if target is None else target
        if x <= goal:  # also guards max = T: the target is met
            return Score(100.0, x, low, high, goal, direction,
                         f"{short(x)} ≤ {short(goal)} → 100")
        value = clip(100 * (high - x) / (high - goal))
        return Score(value, x, low, high, goal, direction,
                     f"100 × ({short(high)} − {short(x)}) / ({short(high)} − {short(goal)})"
                     f" = {value:.1f}")
    goal = high if target is None else target
    if x >= goal:  # also guards min = T
        return Score(100.0, x, low, high, goal, direction, f"{short(x)} ≥ {short(goal)} → 100")
    value = clip(100 * (x - low) / (goal - low))
    return Score(value, x, low, high, goal, direction,
                 f"100 × ({short(x)} − {short(low)}) / ({short(goal)} − {short(low)})"
                 f" = {value:.1f}")


def score_cohort(values: Mapping[int, float], directions: Mapping[int, str],
                 targets: Mapping[int, float | None] | None = None) -> dict[int, Score]:
    """Score each member's value over the cohort's min and max (targets when given)."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    targets = targets or {}
    return {key: normalise(x, directions[key], low, high, targets.get(key))
            for key, x in values.items()}


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the known values (None when there are none)."""
    known = [v for v in values if v is not None]
    return math.fsum(known) / len(known) if known else None


def category(score: float | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str | None:
    """Return the category of a score, rounded first (None without a score)."""
    if score is None:
        return None
    rounded = round_half_up(score)
    if rounded >= thresholds.achiever:
        return ACHIEVER
    if rounded >= thresholds.front_runner:
        return FRONT_RUNNER
    if rounded >= thresholds.performer:
        return PERFORMER
    return ASPIRANT


def category_label(key: str | None) -> str:
    """The translated label of a category ("" without one)."""
    return str(CATEGORY_LABELS[key]) if key else ""
