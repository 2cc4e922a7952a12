"""Controlled vocabularies of the risk and adaptation parts (crf.md §6–§8)."""

from enum import StrEnum

# crf.md §6 "Hazard taxonomy" (CDP 2019–21 subtypes): family → subtypes. A family without
# subtypes is itself the hazard. Codes are "family" or "family.subtype".
HAZARD_TYPOLOGY: dict[str, tuple[str, tuple[str, ...]]] = {
    "extreme_precipitation": ("Extreme precipitation",
                              ("rain_storm", "monsoon", "heavy_snow", "fog", "hail")),
    "storm_wind": ("Storm and wind", ("severe_wind", "tornado", "cyclone",
                                      "extra_tropical_storm", "tropical_storm",
                                      "lightning_thunderstorm")),
    "extreme_cold": ("Extreme cold", ("extreme_winter_conditions", "cold_wave",
                                      "extreme_cold_days")),
    "extreme_heat": ("Extreme heat", ("heat_wave", "extreme_hot_days")),
    "water_scarcity": ("Water scarcity / drought", ()),
    "wild_fire": ("Wild fire", ("forest_fire", "land_fire")),
    "flood_sea_level": ("Flood and sea-level rise", ("flash_surface_flood", "river_flood",
                                                     "coastal_flood", "groundwater_flood",
                                                     "permanent_inundation")),
    "chemical_change": ("Chemical change", ("salt_water_intrusion", "ocean_acidification",
                                            "atmospheric_co2")),
    "mass_movement": ("Mass movement", ("landslide", "avalanche", "rockfall", "subsidence")),
    "biological": ("Biological hazards", ("water_borne_disease", "vector_borne_disease",
                                          "air_borne_disease", "insect_infestation")),
}


def hazard_codes() -> list[str]:
    """Return every valid hazard code: each family and each of its subtypes."""
    codes: list[str] = []
    for family, (_name, subtypes) in HAZARD_TYPOLOGY.items():
        codes.append(family)
        codes += [f"{family}.{sub}" for sub in subtypes]
    return codes


HAZARD_CODES = frozenset(hazard_codes())


def hazard_label(code: str) -> str:
    """Name a hazard code for people: "Extreme heat: heat wave"."""
    family, _, sub = code.partition(".")
    name = HAZARD_TYPOLOGY.get(family, (family, ()))[0]
    return f"{name}: {sub.replace('_', ' ')}" if sub else name


class Level(StrEnum):
    """The CRF's three-level scale of probability, consequence and adaptive capacity."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    UNKNOWN = "unknown"


# CDP 2019–21 used five levels; reports need a mapping to the CRF's three (crf.md §6).
CDP_LEVELS = {"high": Level.HIGH, "medium high": Level.HIGH, "medium": Level.MODERATE,
              "medium low": Level.LOW, "low": Level.LOW, "do not know": Level.UNKNOWN}


class Change(StrEnum):
    """Expected future change in a hazard's intensity or frequency."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NO_CHANGE = "no_change"
    UNKNOWN = "unknown"


class Timeframe(StrEnum):
    """When the expected change is felt."""

    IMMEDIATELY = "immediately"
    SHORT = "short_term"
    MEDIUM = "medium_term"
    LONG = "long_term"


VULNERABLE_GROUPS = ("women_girls", "children_youth", "elderly", "marginalised",
                     "persons_with_disabilities", "chronic_diseases", "low_income",
                     "unemployed", "substandard_housing", "migrants_displaced", "other")
AFFECTED_SECTORS = ("buildings", "transport", "energy", "water", "waste", "land_use_planning",
                    "agriculture_forestry", "environment_biodiversity", "health",
                    "civil_protection", "tourism", "education", "ict", "society_culture",
                    "other")
ADAPTIVE_CAPACITY_FACTORS = ("basic_services", "healthcare", "public_health", "education",
                             "housing", "poverty", "employment", "economic_health",
                             "environment", "community_engagement", "government_capacity",
                             "budgetary_capacity", "infrastructure_condition",
                             "knowledge_innovation")


def unknown_items(values: list[str], allowed: tuple[str, ...] | frozenset[str]) -> list[str]:
    """Return the values not in a controlled list."""
    return [v for v in values if v not in allowed]


def check_list(values: list[str], allowed: tuple[str, ...] | frozenset[str]) -> list[str]:
    """Refuse values outside a controlled list, naming them (for pydantic validators)."""
    bad = unknown_items(values, allowed)
    if bad:
        raise ValueError(f"unknown value(s): {', '.join(bad)}")
    return values
