"""Demo indicators the published demo cities share, so that the comparison page has something
like for like to compare: six SDG indicators defined the same way (identical alignment, same
unit and direction) in eThekwini, Helsinki and Patiala District — three of them under goal 11,
so that goal can be ranked on its own — and two of them in Patiala too (too few to be ranked:
the page shows the coverage rule at work).

Every value here is a synthetic demo value (the source says so). Road deaths and PM2.5 are
counted by calendar year everywhere except Patiala District's own DIF indicator (its fiscal
year, April–March); the service coverages follow each city's own year (eThekwini: July–June),
so the comparison shows a fiscal year beside a calendar year where that really happens.
"""

from typing import Any

from tracker.demo.data import SYNTHETIC
from tracker.demo.plan_helpers import IDENTICAL, indicator

DEFINITION = f"Defined as the SDG indicator, for the comparison demo. Values: {SYNTHETIC}."
FIRST_YEAR = 2018  # six values each, 2018–2023: the latest is submitted, the rest approved

# key → (name, unit kind, unit label, direction, SDG indicator, calendar or None)
KINDS: dict[str, tuple[str, str, str, str, str, str | None]] = {
    "ROAD": ("Road traffic deaths per 100 000 population", "rate_per_100000", "", "lower",
             "3.6.1", "calendar"),
    "WATER": ("Population using safely managed drinking water services", "percent", "",
              "higher", "6.1.1", None),
    "SAN": ("Population using safely managed sanitation services", "percent", "", "higher",
            "6.2.1", None),
    "SLUM": ("Urban population living in slums or informal settlements", "percent", "",
             "lower", "11.1.1", None),
    "MSW": ("Municipal solid waste collected and managed in controlled facilities", "percent",
            "", "higher", "11.6.1", None),
    "PM25": ("Annual mean fine particulate matter (PM2.5)", "other", "µg/m³", "lower",
             "11.6.2", "calendar"),
}

# One line per city and indicator: city slug, code prefix, kind, six yearly values from
# FIRST_YEAR (read by table_of below).
TABLE = """
ethekwini         ETH ROAD  29.8 28.9 24.1 26.0 25.2 24.6
ethekwini         ETH WATER 78.5 79.6 80.2 81.4 82.3 83.0
ethekwini         ETH SAN   66.0 67.2 68.1 69.5 70.4 71.2
ethekwini         ETH SLUM  26.1 25.4 24.8 24.0 23.1 22.5
ethekwini         ETH MSW   81.0 82.5 83.1 84.0 85.2 86.0
ethekwini         ETH PM25  19.8 19.1 17.2 18.0 17.6 17.1
helsinki          HEL ROAD  1.8  1.5  1.2  1.4  1.3  1.1
helsinki          HEL WATER 99.6 99.6 99.7 99.7 99.8 99.8
helsinki          HEL SAN   99.1 99.2 99.2 99.3 99.4 99.4
helsinki          HEL SLUM  0.0  0.0  0.0  0.0  0.0  0.0
helsinki          HEL MSW   98.2 98.5 98.6 98.9 99.0 99.1
helsinki          HEL PM25  6.9  6.4  5.6  5.9  5.5  5.2
patiala-district  DIF WATER 58.4 60.1 62.0 64.3 66.1 68.0
patiala-district  DIF SAN   51.2 53.0 55.4 57.1 59.3 61.0
patiala-district  DIF SLUM  14.2 13.8 13.1 12.5 12.0 11.4
patiala-district  DIF MSW   32.0 35.5 38.0 41.2 44.0 47.5
patiala-district  DIF PM25  71.0 66.5 58.2 62.4 60.1 57.3
patiala           PAT ROAD  16.9 16.2 13.8 15.1 14.6 14.0
patiala           PAT PM25  76.2 71.8 61.5 66.0 63.2 60.4
"""


def table_of(text: str) -> dict[str, tuple[str, dict[str, tuple[str, ...]]]]:
    """Read the table: city slug → (code prefix, kind → values)."""
    out: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {}
    for line in text.strip().splitlines():
        slug, prefix, kind, *values = line.split()
        out.setdefault(slug, (prefix, {}))[1][kind] = tuple(values)
    return out


SHARED = table_of(TABLE)


def shared_code(prefix: str, kind: str) -> str:
    """The demo code of a shared indicator, e.g. ETH-SDG-PM25."""
    return f"{prefix}-SDG-{kind}"


def shared_indicators(slug: str) -> list[dict[str, Any]]:
    """The shared indicators of a demo city, as the plan loader describes indicators."""
    prefix, kinds = SHARED[slug]
    out = []
    for kind, values in kinds.items():
        name, unit_kind, unit_label, direction, sdg, calendar = KINDS[kind]
        out.append(indicator(
            shared_code(prefix, kind), name, definition=DEFINITION, unit_kind=unit_kind,
            unit_label=unit_label, direction=direction, data_source=SYNTHETIC,
            baseline_year=FIRST_YEAR, baseline_value=values[0], baseline_note=SYNTHETIC,
            natural_limit="100" if unit_kind == "percent" else None, calendar=calendar,
            sdg=((sdg, IDENTICAL, "The same indicator, defined as the SDG indicator"),)))
    return out


def shared_values(slug: str) -> dict[str, tuple[str, dict[str, tuple[tuple[int, int, str],
                                                                      ...]]]]:
    """The demo values of a city's shared indicators, as observations_data lays them out."""
    prefix, kinds = SHARED[slug]
    return {shared_code(prefix, kind): (SYNTHETIC, {"": tuple(
        (FIRST_YEAR + n, 0, value) for n, value in enumerate(values))})
        for kind, values in kinds.items()}
