"""Demo indicator values. Helsinki's come from its VLR 2023 indicator table
(local-plans.md §9: the values are published, their alignment to 2018–2021 is assumed);
every other value is a synthetic demo value and its source says so."""

from tracker.demo.data import SYNTHETIC
from tracker.demo.plans_shared import SHARED, shared_values

VLR_2023 = ("Helsinki VLR 2023 indicator table (kestavyys.hel.fi); years 2018–2021 assumed "
            "from a 2018–2022 header with four values")

# city slug → indicator code → (source, {breakdown: ((year, quarter, value), ...)})
# A breakdown is "" for the total or "name=value" pairs; quarter 0 is the fiscal year.
Series = dict[str, tuple[tuple[int, int, str], ...]]


def annual(first: int, *values: str) -> tuple[tuple[int, int, str], ...]:
    """Return consecutive fiscal-year values from `first` on."""
    return tuple((first + i, 0, value) for i, value in enumerate(values))


def quarterly(year: int, *values: str) -> tuple[tuple[int, int, str], ...]:
    """Return the four quarters of one fiscal year."""
    return tuple((year, i, value) for i, value in enumerate(values, start=1))


OWN_VALUES: dict[str, dict[str, tuple[str, Series]]] = {
    "helsinki": {
        "HEL-HOMELESS": (VLR_2023, {"": annual(2018, "602", "601", "518", "450")}),
        "HEL-CHILD-LOWINC": (VLR_2023, {"": annual(2018, "12.4", "12.7", "10.8", "12.6")}),
        "HEL-LOWINC": (VLR_2023, {"": annual(2018, "11.7", "12.0", "11.5", "12.4")}),
        "HEL-HOUSING": (VLR_2023, {"": annual(2018, "19.4", "19.4", "20.9", "20.1")}),
        "HEL-LIFE": (VLR_2023, {"": annual(2018, "81.6", "81.9", "81.6", "81.6")}),
        "HEL-MORBIDITY": (VLR_2023 + "; the two values are placed in 2020 and 2021",
                          {"": annual(2020, "88", "87")}),
        "HEL-GHG": (SYNTHETIC, {"": annual(2018, "2390000", "2310000", "2150000", "2190000",
                                           "2080000", "1990000")}),
    },
    "ethekwini": {
        "KPI-1.3.1": (SYNTHETIC, {"": quarterly(2016, "99.1", "98.7", "99.3", "99.5")}),
        "KPI-1.1.1": (SYNTHETIC, {"": quarterly(2016, "0", "0", "0", "100")}),
        "KPI-BIO": (SYNTHETIC, {"": quarterly(2016, "35", "90", "100", "100")}),
        "KPI-WATER": (SYNTHETIC, {"": quarterly(2023, "237100", "238200", "239600", "241000")}),
        "KPI-REFUSE": (SYNTHETIC, {"": quarterly(2023, "598400", "598900", "599300",
                                                 "599800")}),
        "KPI-CAPEX": (SYNTHETIC, {"": quarterly(2023, "12.5", "31.0", "55.2", "88.0")}),
    },
    "patiala-district": {
        "DIF-3.6.1": (SYNTHETIC, {"": annual(2019, "18.4", "17.1", "17.9", "16.2", "15.8",
                                             "15.1")}),
        "DIF-6.1": (SYNTHETIC, {
            "": annual(2019, "78.2", "80.1", "82.5", "84.0", "86.3", "88.1"),
            "area=urban": annual(2019, "86.0", "87.4", "89.0", "90.1", "91.8", "93.0"),
            "area=rural": annual(2019, "66.5", "69.2", "72.7", "74.8", "78.1", "80.8")}),
        "DIF-6.2": (SYNTHETIC, {"": annual(2019, "91.5", "92.8", "94.0", "95.1", "96.4",
                                           "97.2")}),
        "DIF-11.6": (SYNTHETIC, {"": annual(2019, "65", "66", "64", "67", "66", "68")}),
        "DIF-3.1": (SYNTHETIC, {"": annual(2019, "94.1", "93.2", "92.6", "92.0", "91.1",
                                           "90.4")}),
        "DIF-4": (SYNTHETIC, {"": annual(2019, "28", "27.6", "27.1", "26.5", "26.0", "25.4")}),
    },
    "bhavnagar": {
        "SLB-2.1.1": (SYNTHETIC, {"": quarterly(2023, "78", "79", "80", "81")
                                  + quarterly(2024, "82", "83", "84", "85")}),
        "SLB-2.1.2": (SYNTHETIC, {"": annual(2023, "110", "116", "121")}),
        "SLB-2.1.4": (SYNTHETIC, {"": annual(2023, "32", "30", "27")}),
        "SLB-2.1.5": (SYNTHETIC, {"": annual(2023, "1.5", "2", "4")}),
        "SLB-2.1.8": (SYNTHETIC, {"": annual(2023, "62", "61", "63")}),
        "SLB-2.2.1": (SYNTHETIC, {"": annual(2023, "88", "91", "94")}),
        "SLB-2.3.1": (SYNTHETIC, {"": annual(2023, "85", "87", "90")}),
        "SLB-2.3.3": (SYNTHETIC, {"": annual(2023, "40", "48", "55")}),
    },
}
# With the values of the indicators the demo cities share for the comparison (plans_shared).
VALUES = {slug: OWN_VALUES.get(slug, {}) | (shared_values(slug) if slug in SHARED else {})
          for slug in dict.fromkeys([*OWN_VALUES, *SHARED])}
