"""Demo plans and indicators of Patiala District and Bhavnagar (local-plans.md §4, §5, §9)."""

from typing import Any

from tracker.demo.data import SYNTHETIC
from tracker.demo.plan_helpers import (
    CONTRIBUTES,
    DIRECT,
    IDENTICAL,
    PROXY,
    element,
    indicator,
)

# ------------------------------------------------------------------ Patiala (§4, §9)

OBJECTIVES = f"Objectives and local targets: {SYNTHETIC}; their SDG codes follow §9."
PATIALA_DISTRICT_PLAN = [element(code, title, align=align, description=OBJECTIVES)
                         for code, title, align in [
    ("1", "Safe mobility", (("3.6", DIRECT, True), ("11.2", CONTRIBUTES))),
    ("2", "Water and sanitation", (("6.1", DIRECT, True), ("6.2", DIRECT))),
    ("3", "Clean city and waste", (("11.6", DIRECT, True), ("12.5", CONTRIBUTES))),
    ("4", "Health and nutrition", (("3.1", DIRECT, True), ("2.2", CONTRIBUTES))),
    ("5", "Learning", (("4.1", CONTRIBUTES, True), ("4.c", CONTRIBUTES))),
]] + [element(code, title, code.split(".")[0], align=((sdg, DIRECT, True),))
      for code, title, sdg in [
    ("1.1", "Halve road traffic deaths", "3.6"),
    ("1.2", "Safe, accessible public transport", "11.2"),
    ("2.1", "Piped water for every household", "6.1"),
    ("2.2", "An individual toilet in every household", "6.2"),
    ("3.1", "Door-to-door waste collection in every ward", "11.6"),
    ("3.2", "Segregation at source and recycling", "12.5"),
    ("4.1", "Every birth in a health institution", "3.1"),
    ("4.2", "End child undernutrition", "2.2"),
    ("5.1", "Enough qualified teachers in secondary schools", "4.c"),
]]

DIF = f"District Indicator Framework layout. Values and targets: {SYNTHETIC}."
# code, name, unit kind, unit label, direction, source, department, 2019 baseline [S],
# 2030 target [S], SDG indicator, relation, rationale, element
DIF_ROWS = [
    ("DIF-3.6.1", "Road traffic deaths per 100 000 population", "rate_per_100000", "", "lower",
     "Police / NCRB", "Police", "18.4", "9.2", "3.6.1", IDENTICAL, "The same indicator", "1.1"),
    ("DIF-6.1", "Households with piped water", "percent", "", "higher", SYNTHETIC, "", "78.2",
     "100", "6.1.1", PROXY, "Piped water to households, not safely managed services", "2.1"),
    ("DIF-6.2", "Households with individual toilets", "percent", "", "higher", SYNTHETIC, "",
     "91.5", "100", "6.2.1", PROXY, "Toilet access, not safely managed sanitation", "2.2"),
    ("DIF-11.6", "Wards with door-to-door waste collection", "percent", "", "higher",
     SYNTHETIC, "", "65", "100", "11.6.1", PROXY, "Collection coverage by ward", "3.1"),
    ("DIF-3.1", "Institutional deliveries", "percent", "", "higher", SYNTHETIC, "Health",
     "94.1", "100", "3.1.2", PROXY, "Births in institutions, not skilled attendance", "4.1"),
    ("DIF-4", "Pupil–teacher ratio in secondary schools", "other", "pupils per teacher",
     "lower", "U-DISE", "Education", "28", "25", "4.c.1", PROXY,
     "Teacher supply rather than qualifications", "5.1"),
]
DIF_DIMENSIONS = {
    "DIF-3.6.1": [{"name": "sex", "values": ["female", "male"]},
                  {"name": "road user", "values": ["pedestrian", "two-wheeler", "car or jeep",
                                                   "other"]}],
    "DIF-6.1": [{"name": "area", "values": ["urban", "rural"]}],
}


def dif(code: str, name: str, unit_kind: str, unit_label: str, direction: str, source: str,
        department: str, baseline: str, target: str, sdg: str, relation: str, rationale: str,
        element_code: str) -> dict[str, Any]:
    """Describe an indicator of Patiala District's indicator framework."""
    return indicator(
        code, name, definition=DIF, unit_kind=unit_kind, unit_label=unit_label,
        direction=direction, data_source=source, department=department, baseline_year=2019,
        baseline_value=baseline, baseline_note=SYNTHETIC,
        natural_limit="100" if unit_kind == "percent" else None,
        targets=[{"year": 2030, "value": target, "label": f"SDG 2030 ({SYNTHETIC})"}],
        dimensions=DIF_DIMENSIONS.get(code, []), sdg=((sdg, relation, rationale),),
        links=(("district", element_code),))


PATIALA_DISTRICT = {
    "plans": [{
        "key": "district", "title": "Patiala District SDG Action Plan & Indicator Framework",
        "kind": "sdg_localisation_framework", "start_year": 2020, "end_year": 2030,
        "status": "adopted", "level_names": ["Goal", "Target"],
        "source_url": "https://sdgccpb.in/sdg-localization/",
        "description": "By the District SDG Cell of Punjab's Patiala District pilot, launched on "
                       "17 September 2020 by the Punjab SDG Coordination Centre (Planning "
                       "Department with UNDP); the State Indicator Framework follows MoSPI's "
                       f"NIF. Target year 2030. Status and base year 2019: {SYNTHETIC}.",
        "elements": PATIALA_DISTRICT_PLAN}],
    "indicators": [dif(*row) for row in DIF_ROWS],
}

# ------------------------------------------------------------------ Bhavnagar (§5, §9)

BHAVNAGAR_SLB = [element(code, title, code.split(".")[0] if "." in code else None, align=align)
                 for code, title, align in [
    ("1", "24×7 water supply", (("6.1", DIRECT, True), ("6.4", CONTRIBUTES))),
    ("1.1", "Meter every connection", (("6.4", CONTRIBUTES, True),)),
    ("1.2", "Cut non-revenue water", (("6.4", DIRECT, True),)),
    ("2", "Sanitation and sewerage", (("6.2", DIRECT, True), ("6.3", DIRECT))),
    ("2.1", "Extend the sewer network", (("6.3", CONTRIBUTES, True),)),
    ("3", "Solid-waste management", (("11.6", DIRECT, True), ("12.5", CONTRIBUTES))),
    ("3.1", "Door-to-door collection with segregation at source",
     (("11.6", DIRECT, True), ("12.5", CONTRIBUTES))),
    ("4", "Financial sustainability", (("17.1", CONTRIBUTES, True), ("16.6", CONTRIBUTES))),
    ("4.1", "Recover operating costs through user charges", (("17.1", CONTRIBUTES, True),)),
]]

BHAVNAGAR_CLIMATE = [
    element(code, title, align=align, description=f"Skeleton sector: {SYNTHETIC}.")
    for code, title, align in [
        ("1", "Energy and buildings", (("7.3", CONTRIBUTES, True), ("7.2", CONTRIBUTES))),
        ("2", "Transport", (("11.2", CONTRIBUTES, True), ("13.2", CONTRIBUTES))),
        ("3", "Waste", (("11.6", CONTRIBUTES, True), ("13.2", CONTRIBUTES))),
        ("4", "Water resources", (("6.4", CONTRIBUTES, True),)),
        ("5", "Coastal and heat resilience", (("13.1", DIRECT, True),)),
    ]]

BENCHMARK = "SLB benchmark (unverified)"
# code, name, unit kind, unit label, direction, baseline 2023/24 [S], 2029/30 target,
# target label, Gujarat ULB mean 2012–13 [V] or "", SDG indicator, plan element
SLB_ROWS = [
    ("SLB-2.1.1", "Coverage of water supply connections", "percent", "", "higher", "78", "100",
     BENCHMARK, "73.0 % (median 74.5)", "6.1.1", "1"),
    ("SLB-2.1.2", "Per capita supply of water", "other", "lpcd", "higher", "110", "135",
     BENCHMARK, "88.5 lpcd", "6.1.1", "1"),
    ("SLB-2.1.4", "Extent of non-revenue water", "percent", "", "lower", "32", "20", BENCHMARK,
     "19.9 %", "6.4.1", "1.2"),
    ("SLB-2.1.5", "Continuity of water supply", "other", "hours per day", "higher", "1.5", "24",
     BENCHMARK, "1.3 hours per day", "6.1.1", "1"),
    ("SLB-2.1.8", "Cost recovery in water supply services", "percent", "", "higher", "62", "100",
     BENCHMARK, "68.6 %", "17.1.1", "4.1"),
    ("SLB-2.2.1", "Coverage of toilets", "percent", "", "higher", "88", "100", SYNTHETIC,
     "75.1 %", "6.2.1", "2"),
    ("SLB-2.3.1", "Household level coverage of solid waste management services", "percent", "",
     "higher", "85", "100", SYNTHETIC, "", "11.6.1", "3.1"),
    ("SLB-2.3.3", "Extent of segregation of municipal solid waste", "percent", "", "higher",
     "40", "100", SYNTHETIC, "", "12.5.1", "3.1"),
]


def slb(code: str, name: str, unit_kind: str, unit_label: str, direction: str, baseline: str,
        target: str, target_label: str, gujarat: str, sdg: str, element_code: str
        ) -> dict[str, Any]:
    """Describe a Service Level Benchmark indicator of Bhavnagar."""
    context = f" Context: Gujarat ULB mean 2012–13 (CEPT PAS data book): {gujarat}."
    return indicator(
        code, name,
        definition="MoUD Service Level Benchmark definition." + (context if gujarat else ""),
        unit_kind=unit_kind, unit_label=unit_label, direction=direction,
        frequency="quarterly" if code == "SLB-2.1.1" else "annual",
        data_source="Bhavnagar Municipal Corporation (SLB returns)", baseline_year=2023,
        baseline_value=baseline, baseline_note=SYNTHETIC,
        natural_limit="24" if unit_label == "hours per day" else None,
        targets=[{"year": 2029, "value": target, "label": target_label}],
        sdg=((sdg, PROXY, "Service level of the city's utility, proposed for the demo"),),
        links=(("slb", element_code),))


BHAVNAGAR = {
    "plans": [
        {"key": "slb", "title": "Bhavnagar Municipal Corporation – Service Level Benchmark "
                               "improvement plan 2024/25–2029/30, mapped to SDGs",
         "kind": "sector_plan", "start_year": 2024, "end_year": 2029, "status": "adopted",
         "level_names": ["Objective", "Action"],
         "description": f"{SYNTHETIC}: no public SDG-localisation document for Bhavnagar was "
                        "found; this plan is built for the demo on the MoUD Service Level "
                        "Benchmarks, with targets at the benchmark values.",
         "elements": BHAVNAGAR_SLB},
        {"key": "climate", "title": "Bhavnagar Climate Action Plan", "kind": "climate_action_plan",
         "start_year": 2025, "end_year": 2029, "status": "draft",
         "level_names": ["Sector", "Action"],
         "description": f"A skeleton to be filled in: {SYNTHETIC}.",
         "elements": BHAVNAGAR_CLIMATE},
    ],
    "indicators": [slb(*row) for row in SLB_ROWS],
}
