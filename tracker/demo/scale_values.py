"""The synthetic values of `tracker demo scale`, as pure functions of a seed.

Each city draws from a random generator of its own, seeded with (seed, city number), so a
city's indicators and values do not depend on how many cities are generated with it or on
the chunk size. An indicator's definition (SDG indicator, unit, direction) depends only on
the seed and its position, so indicator SC-007 means the same in every city.
"""

import random
from dataclasses import dataclass

# (unit kind, unit label, lowest value, highest value, decimals): every value of an
# indicator lies in its kind's range; counts are whole numbers.
UNIT_RANGES: dict[str, tuple[str, float, float, int]] = {
    "percent": ("", 0.0, 100.0, 1),
    "count": ("", 0.0, 1_000_000.0, 0),
    "rate_per_100000": ("", 0.0, 1_000.0, 1),
    "other": ("index", 0.0, 10_000.0, 2),
}
TRENDS = ("up", "down", "flat")
TREND_WEIGHTS = (0.4, 0.3, 0.3)
GAP_SHARE = 0.04  # cells that hold "not available" instead of a value (never the baseline)
NO_TARGET_SHARE = 0.1  # indicators without a target (Open SDG then assesses the rate alone)
TARGET_YEAR = 2030
NOISE = 0.02  # standard deviation of the yearly noise, as a share of the baseline


@dataclass(frozen=True)
class IndicatorShape:
    """What an indicator position means in every city: its SDG indicator, unit and direction."""

    code: str
    sdg_code: str
    name: str
    unit_kind: str
    direction: str


@dataclass(frozen=True)
class CityIndicator:
    """One city's indicator: its baseline, target and values by year (None: not available)."""

    shape: IndicatorShape
    trend: str
    baseline_year: int
    baseline_value: str
    target: str | None
    values: tuple[tuple[int, str | None], ...]


def unit_of(title: str) -> str:
    """Guess an SDG indicator's unit kind from its title."""
    lower = title.lower()
    if "per 100,000" in lower or "per 100 000" in lower:
        return "rate_per_100000"
    if lower.startswith(("proportion", "percentage", "share", "prevalence", "coverage")):
        return "percent"
    if lower.startswith("number"):
        return "count"
    return "other"


def spread(items: list[tuple[str, str]], count: int) -> list[tuple[str, str]]:
    """Pick `count` items evenly over the list (all 17 goals for 50 of 231), cycling past it."""
    if count <= len(items):
        return [items[i * len(items) // count] for i in range(count)]
    return [items[i % len(items)] for i in range(count)]


def indicator_shapes(seed: int, sdg: list[tuple[str, str]], count: int) -> list[IndicatorShape]:
    """Return the indicator positions: `sdg` holds (code, title) of active SDG indicators."""
    rng = random.Random(f"{seed}/shapes")
    shapes = []
    for position, (code, title) in enumerate(spread(sdg, count), start=1):
        name = f"{title[:280].rstrip(' ,;')} (local)"
        shapes.append(IndicatorShape(f"SC-{position:03d}", code, name, unit_of(title),
                                     rng.choice(("higher", "lower"))))
    return shapes


def shown(value: float, decimals: int) -> str:
    """Return a value as plain decimal text without trailing zeros (as the app normalises
    decimals: 12.50 → 12.5, 12.0 → 12)."""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def clamp(value: float, unit_kind: str) -> float:
    """Keep a value within its unit kind's range."""
    _, low, high, _ = UNIT_RANGES[unit_kind]
    return min(max(value, low), high)


def series(rng: random.Random, shape: IndicatorShape, trend: str, base: float,
           years: range) -> tuple[tuple[int, str | None], ...]:
    """Return the yearly values of a trend with noise; a few gaps after the baseline year."""
    decimals = UNIT_RANGES[shape.unit_kind][3]
    slope = {"up": 1.0, "down": -1.0, "flat": 0.0}[trend] * rng.uniform(0.01, 0.06) * base
    points: list[tuple[int, str | None]] = []
    for step, year in enumerate(years):
        noise = rng.gauss(0.0, NOISE * base) if step else 0.0
        value = shown(clamp(base + slope * step + noise, shape.unit_kind), decimals)
        gap = step > 0 and rng.random() < GAP_SHARE
        points.append((year, None if gap else value))
    return tuple(points)


def target_of(rng: random.Random, shape: IndicatorShape, base: float) -> str | None:
    """Return a 2030 target 10–60 % better than the baseline, or none for a few."""
    if rng.random() < NO_TARGET_SHARE:
        return None
    change = rng.uniform(0.1, 0.6) * (1 if shape.direction == "higher" else -1)
    decimals = UNIT_RANGES[shape.unit_kind][3]
    return shown(clamp(base * (1 + change), shape.unit_kind), decimals)


def city_indicators(seed: int, city_number: int, shapes: list[IndicatorShape],
                    years: range) -> list[CityIndicator]:
    """Return one city's indicators and values."""
    rng = random.Random(f"{seed}/city/{city_number}")
    made = []
    for shape in shapes:
        _, low, high, decimals = UNIT_RANGES[shape.unit_kind]
        base = float(shown(rng.uniform(low + 0.1 * (high - low), low + 0.6 * (high - low)),
                           decimals))
        trend = rng.choices(TRENDS, TREND_WEIGHTS)[0]
        values = series(rng, shape, trend, base, years)
        made.append(CityIndicator(shape, trend, years[0], values[0][1] or "",
                                  target_of(rng, shape, base), values))
    return made


@dataclass(frozen=True)
class ScaleSpec:
    """What to generate."""

    network: str
    cities: int
    indicators: int
    years: int
    seed: int = 1
    first_year: int = 2015
    chunk: int = 100  # cities per chunk (the command commits after each)

    @property
    def prefix(self) -> str:
        """The slug prefix of the network's scale cities."""
        return scale_prefix(self.network)

    @property
    def year_range(self) -> range:
        """The years that get values."""
        return range(self.first_year, self.first_year + self.years)


def scale_prefix(network_slug: str) -> str:
    """Return the slug prefix of a network's scale cities."""
    return f"{network_slug[:40]}-scale-"
