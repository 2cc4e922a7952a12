"""Demo plans, element trees, SDG alignments and local indicators of the demo cities.

Facts come from ../shared/reference/local-plans.md (§3 eThekwini, §4 Patiala, §5 Bhavnagar,
§9 demo outline). Whatever was invented for the demo says "Synthetic demo value" in the record
itself: in a description, a baseline note, a target label or the data source.

Relations (a design choice of ours, [P] in the reference). The reference uses SDSN TReNDS'
words ("identical, similar, or comparable") and "contributes"; the tracker's enums are fewer:

- local indicator → SDG indicator (SdgRelation): identical → identical; similar →
  contextualised (the same concept, defined for the city); comparable and contributes → proxy
  (a related measure). Where §9 names a target or a goal, the indicator is aligned to that
  target's or goal's closest SDG indicator and the rationale says so.
- plan element → SDG target or indicator (AlignmentRelation): the element aims at the target
  → direct; it helps towards it → contributes. The primary flag follows eThekwini's "best
  match" rule: the one SDG the element serves most.
"""

from typing import Any

from tracker.demo.data import SYNTHETIC

DIRECT, CONTRIBUTES = "direct", "contributes"
IDENTICAL, CONTEXTUALISED, PROXY = "identical", "contextualised", "proxy"
PROPOSED = "Proposed alignment for the demo (primary = best match)"
YEAR_ASSUMED = ("Baseline as given in the 2016/17 SDBIP KPI table; the year (2015/16, the "
                "position before 2016/17) is assumed.")
SDBIP_2016 = "eThekwini SDBIP 2016/17 KPI table"


def element(code: str, title: str, parent: str | None = None, *,
            align: tuple[tuple[Any, ...], ...] = (), description: str = "",
            budget: str | None = None) -> dict[str, Any]:
    """Describe a plan element; `align` holds (SDG code, relation[, primary]) tuples."""
    return {"code": code, "title": title, "parent": parent, "description": description,
            "budget": budget, "align": [(a[0], a[1], len(a) > 2 and a[2]) for a in align]}


def quarters(year: int, label: str, values: tuple[str, ...], note: str = ""
             ) -> list[dict[str, Any]]:
    """Quarterly targets of one fiscal year, labelled "Q1 2016/17" … (plus a note)."""
    return [{"year": year, "value": v, "label": f"Q{i} {label}{note}"}
            for i, v in enumerate(values, start=1)]


def indicator(code: str, name: str, *, sdg: tuple[tuple[str, str, str], ...] = (),
              links: tuple[tuple[str, str], ...] = (), **fields: Any) -> dict[str, Any]:
    """Describe a local indicator; `sdg` holds (code, relation, rationale), `links` (plan, code)."""
    return {"fields": {"code": code, "name": name, **fields}, "sdg": list(sdg),
            "links": list(links)}


# ------------------------------------------------------------------ eThekwini (§3, §9)

ETHEKWINI_IDP = [
    element("1", "Develop and Sustain our Spatial, Natural and Built Environment",
            description="Goal: lead and manage the spatial, built and natural environment for "
                        "sustainable, integrated growth.",
            align=(("11.3", CONTRIBUTES, True), ("15.9", CONTRIBUTES))),
    element("1.1", "Strategic spatial planning", "1", align=(("11.a", DIRECT, True),),
            description=f"Code from the 2016/17 SDBIP. Title: {SYNTHETIC}."),
    element("1.1.1", "SDF Review", "1.1", align=(("11.a", DIRECT, True), ("11.3.2", CONTRIBUTES)),
            description="Annual review of the Spatial Development Framework (MSA s26)."),
    element("1.3", "Development applications", "1", align=(("11.3", CONTRIBUTES, True),),
            description="The 2016/17 SDBIP lists it as programme 1.3 with project 1.3.1; levels "
                        "are named by depth here, so it sits at the strategic-focus-area level. "
                        f"Title: {SYNTHETIC}."),
    element("1.3.1", "Processing of development applications", "1.3",
            align=(("11.3", CONTRIBUTES, True),),
            description="KPI: 99 % of applications finalised within 30 days (< 500 m²) or 60 "
                        f"days (≥ 500 m²). Title: {SYNTHETIC}."),
    element("2", "Develop a Prosperous, Diverse Economy and Employment Creation",
            description="Goal: strong economic growth, job creation and poverty alleviation.",
            align=(("8.5", DIRECT, True), ("8.3", CONTRIBUTES), ("1.2", CONTRIBUTES))),
    element("3", "Creating a Quality Living Environment",
            description="Goal: equitable access to household infrastructure, community "
                        "services and housing.",
            align=(("6.1", DIRECT, True), ("6.2", DIRECT), ("11.1", DIRECT),
                   ("11.6", CONTRIBUTES))),
    element("4", "Fostering a Socially Equitable Environment",
            description="Goal: a safe, healthy and secure environment.",
            align=(("16.1", CONTRIBUTES, True), ("3.8", CONTRIBUTES))),
    element("5", "Creating a Platform for Growth, Empowerment and Skills Development",
            align=(("4.4", CONTRIBUTES, True),)),
    element("6", "A vibrant and creative city", align=(("11.4", CONTRIBUTES, True),
                                                      ("8.9", CONTRIBUTES))),
    element("7", "Good Governance and Responsive Local Government",
            align=(("16.7", CONTRIBUTES, True), ("16.6", CONTRIBUTES))),
    element("8", "Financially Accountable and Sustainable City",
            align=(("16.6", DIRECT, True), ("17.1", CONTRIBUTES))),
]

SUB_UNIT = f"SDBIP sub-unit of IDP Plan %s. Budget (rand) and SDG alignment: {SYNTHETIC}."
# code, short title, IDP Plan, budget [S], alignments [S]
SDBIP_UNITS = [
    ("1", "Spatial, natural and built environment", "1", "412000000", ()),
    ("2", "Economy and employment creation", "2", None, ()),
    ("3A", "Quality living environment (A)", "3", "2350000000", (("6.1.1", DIRECT, True),)),
    ("3B", "Quality living environment (B)", "3", "905000000", (("11.6.1", DIRECT, True),)),
    ("3C", "Quality living environment (C)", "3", None, ()),
    ("4A", "Socially equitable environment (A)", "4", None, ()),
    ("4B", "Socially equitable environment (B)", "4", None, ()),
    ("5", "Growth, empowerment and skills", "5", None, ()),
    ("6A", "Vibrant and creative city (A)", "6", None, ()),
    ("6B", "Vibrant and creative city (B)", "6", None, ()),
    ("6C", "Vibrant and creative city (C)", "6", None, ()),
    ("7A", "Good governance (A)", "7", None, ()),
    ("7B", "Good governance (B)", "7", None, ()),
    ("7C", "Good governance (C)", "7", None, ()),
    ("8", "Financially accountable and sustainable city", "8", "156000000",
     (("16.6.1", DIRECT, True),)),
]
ETHEKWINI_SDBIP = [
    element(code, f"Plan {code}: {title}", budget=budget, align=align,
            description=SUB_UNIT % plan) for code, title, plan, budget, align in SDBIP_UNITS
] + [element(code, f"Plan {code}: {name} (municipal entity)", description=f"Budget: {SYNTHETIC}.")
     for code, name in (("21", "ICC"), ("22", "uShaka"))]


def kpi(code: str, name: str, definition: str, targets: list[dict[str, Any]], *,
        sdg: tuple[tuple[str, str, str], ...] = (), links: tuple[tuple[str, str], ...] = (),
        **fields: Any) -> dict[str, Any]:
    """Describe a quarterly SDBIP KPI; by default a percentage from the 2016/17 table."""
    defaults = {"unit_kind": "percent", "direction": "higher", "frequency": "quarterly",
                "data_source": SDBIP_2016, "baseline_year": 2015, "baseline_note": YEAR_ASSUMED,
                "natural_limit": "100"}
    return indicator(code, name, definition=definition, targets=targets, sdg=sdg, links=links,
                     **(defaults | fields))


TEMPLATE = f"National Treasury quarterly template for metros. Baseline, targets: {SYNTHETIC}."
FY_2016, FY_2023, MARKED = "2016/17 SDBIP", "2023/24", " (synthetic)"
ETHEKWINI_INDICATORS = [
    kpi("KPI-1.3.1", "Applications finalised within statutory timeframes",
        "99 % of applications finalised within 30 days (< 500 m²) or 60 days (≥ 500 m²). "
        "SDBIP target type: variable increasing.",
        quarters(2016, FY_2016, ("99", "99", "99", "99")), baseline_value="99.94",
        sdg=(("11.3.1", PROXY, "§9: target 11.3, comparable; its indicator 11.3.1"),),
        links=(("idp", "1.3.1"), ("sdbip", "1"))),
    kpi("KPI-1.1.1", "SDF annual review completed", "Spatial Development Framework annual "
        "review completed (SFA 1.1, programme 1.1.1). SDBIP target type: increasing.",
        quarters(2016, FY_2016, ("0", "0", "0", "100")), baseline_value="100",
        is_cumulative=True, sdg=(("11.3.2", PROXY, "§9: 11.a / 11.3.2, contributes"),),
        links=(("idp", "1.1.1"), ("sdbip", "1"))),
    kpi("KPI-BIO", "Annual State of Biodiversity Report produced",
        "SDBIP target type: increasing.", quarters(2016, FY_2016, ("40", "100", "100", "100")),
        baseline_value="100", is_cumulative=True,
        sdg=(("15.9.1", PROXY, "§9: target 15.9, contributes"),),
        links=(("idp", "1"), ("sdbip", "1"))),
    kpi("KPI-MPD", "Statement or summons to Metro Police within 21 days",
        "For 100 % of prosecuted cases.", quarters(2016, FY_2016, ("100",) * 4),
        baseline_year=None, baseline_note="New KPI – No baseline",
        links=(("idp", "4"), ("sdbip", "4A"))),
    kpi("KPI-WATER", "Households in informal areas receiving water services", TEMPLATE,
        quarters(2023, FY_2023, ("237500", "239000", "240500", "242000"), MARKED),
        unit_kind="other", unit_label="households", natural_limit=None, is_cumulative=True,
        department="Water and Sanitation", data_source=SYNTHETIC, baseline_year=2022,
        baseline_value="236000", baseline_note=SYNTHETIC,
        sdg=(("6.1.1", PROXY, "Households, not people; basic, not safely managed services"),),
        links=(("idp", "3"), ("sdbip", "3A"))),
    kpi("KPI-REFUSE", "Formal households with weekly kerb-side refuse removal", TEMPLATE,
        quarters(2023, FY_2023, ("599000", "600000", "601000", "602000"), MARKED),
        unit_kind="other", unit_label="households", natural_limit=None, data_source=SYNTHETIC,
        baseline_year=2022, baseline_value="598000", baseline_note=SYNTHETIC,
        sdg=(("11.6.1", PROXY, "Collection coverage, not waste managed in controlled "
                               "facilities"),),
        links=(("idp", "3"), ("sdbip", "3B"))),
    kpi("KPI-CAPEX", "Percentage of the capital budget spent", "Capital expenditure against "
        f"the approved capital budget, year to date. Baseline, targets: {SYNTHETIC}.",
        quarters(2023, FY_2023, ("15", "35", "60", "95"), MARKED), is_cumulative=True,
        data_source=SYNTHETIC, baseline_year=2022, baseline_value="87.5",
        baseline_note=SYNTHETIC, sdg=(("16.6.1", CONTEXTUALISED, "§9: 16.6.1, similar"),),
        links=(("idp", "8"), ("sdbip", "8"))),
]

ETHEKWINI = {
    "plans": [
        {"key": "idp", "title": "eThekwini Integrated Development Plan 2022/23–2026/27",
         "kind": "integrated_development_plan", "start_year": 2022, "end_year": 2026,
         "status": "adopted", "revisions": 2,
         "level_names": ["Plan", "Strategic focus area", "Programme", "Project"],
         "description": "Vision: \"Africa's most caring and liveable city\". The IDP spans the "
                        "council's five-year term and is reviewed every year (Municipal Systems "
                        "Act s34); revision 2 is the annual review out for public comment.",
         "elements": ETHEKWINI_IDP},
        {"key": "sdbip", "title": "SDBIP 2023/24", "parent": "idp",
         "kind": "annual_performance_plan", "start_year": 2023, "end_year": 2023,
         "status": "adopted", "level_names": ["Plan", "Programme", "Project"],
         "description": "Service Delivery and Budget Implementation Plan (MFMA s53): quarterly "
                        "service-delivery targets linked to the budget; fiscal year 1 July – 30 "
                        f"June. The name pattern is real; the year is a {SYNTHETIC}.",
         "elements": ETHEKWINI_SDBIP},
    ],
    "indicators": ETHEKWINI_INDICATORS,
}

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

# ------------------------------------------------------------------ Helsinki (§6, §9)

HELSINKI_STRATEGY = [
    element("1", "End homelessness", align=(("11.1", DIRECT, True), ("1.4", CONTRIBUTES)),
            description="Target: no homelessness by 2025 (the VLR 2023 says it is unlikely to "
                        "be met)."),
    element("2", "Reduce child poverty", align=(("1.2", DIRECT, True), ("1.3", CONTRIBUTES))),
    element("3", "Health", align=(("3.4", CONTRIBUTES, True), ("3.8", CONTRIBUTES))),
    element("4", "Carbon neutrality by 2035", align=(("13.2", DIRECT, True), ("7.2", CONTRIBUTES),
                                                    ("11.6", CONTRIBUTES))),
]

VLR = "VLR 2023 indicator table"
# code, name, source, unit kind, unit label, direction, 2018 baseline [V], the four values,
# SDG indicator, relation, rationale, objective
HELSINKI_ROWS = [
    ("HEL-HOMELESS", "Long-term homeless people", "ARA", "count", "persons", "lower", "602",
     "602, 601, 518, 450", "11.1.1", CONTEXTUALISED, "§9: 11.1 / 1.4, similar", "1"),
    ("HEL-CHILD-LOWINC", "Children in low-income households", "Statistics Finland", "percent",
     "", "lower", "12.4", "12.4, 12.7, 10.8, 12.6", "1.2.1", CONTEXTUALISED, "§9: similar", "2"),
    ("HEL-LOWINC", "People with low income", "Statistics Finland", "percent", "", "lower",
     "11.7", "11.7, 12.0, 11.5, 12.4", "1.2.1", CONTEXTUALISED, "§9: similar", "2"),
    ("HEL-HOUSING", "Households receiving housing allowance", "Kela", "percent", "", "lower",
     "19.4", "19.4, 19.4, 20.9, 20.1", "1.3.1", PROXY,
     f"§9: target 1.3, proxy. Direction: {SYNTHETIC}", "2"),
    ("HEL-LIFE", "Life expectancy", "Statistics Finland", "other", "years", "higher", "81.6",
     "81.6, 81.9, 81.6, 81.6", "3.4.1", PROXY, "§9: goal 3, comparable; 3.4.1 is the nearest "
                                              "SDG indicator", "3"),
]


def helsinki(code: str, name: str, source: str, unit_kind: str, unit_label: str,
             direction: str, baseline: str, values: str, sdg: str, relation: str,
             rationale: str, objective: str) -> dict[str, Any]:
    """Describe an indicator of Helsinki's VLR 2023 table with its 2018 baseline."""
    return indicator(
        code, name, definition=f"{VLR}: {values} (years assumed to be 2018–2021).",
        unit_kind=unit_kind, unit_label=unit_label, direction=direction, data_source=source,
        baseline_year=2018, baseline_value=baseline, baseline_note=VLR,
        targets=[{"year": 2025, "value": "0", "label": "City Strategy: end homelessness"}]
        if code == "HEL-HOMELESS" else [],
        sdg=((sdg, relation, rationale),), links=(("strategy", objective),))


HELSINKI_INDICATORS = [helsinki(*row) for row in HELSINKI_ROWS] + [
    indicator("HEL-MORBIDITY", "Morbidity index (Finland = 100)", unit_kind="other",
              unit_label="index (Finland = 100)", direction="lower", data_source="Kela",
              definition=f"{VLR}: 88, 87.", baseline_note="The VLR 2023 table gives two values "
                                                          "with no clear years: no baseline set.",
              sdg=(("3.4.1", PROXY, "§9: goal 3, proxy"),), links=(("strategy", "3"),)),
    indicator("HEL-GHG", "Greenhouse gas emissions", unit_kind="tco2e", direction="lower",
              definition="Carbon-neutral Helsinki 2035: the target year is real; every value "
                         f"here is a {SYNTHETIC}.", data_source=SYNTHETIC, baseline_year=2018,
              baseline_value="2390000", baseline_note=SYNTHETIC,
              targets=[{"year": 2035, "value": "478000",
                        "label": f"Carbon-neutral Helsinki 2035 ({SYNTHETIC})"}],
              dimensions=[{"name": "sector", "values": ["heating", "electricity", "transport",
                                                        "other"]}],
              sdg=(("13.2.2", CONTEXTUALISED, "The city's emissions"),),
              links=(("strategy", "4"),)),
]

HELSINKI = {
    "plans": [
        {"key": "strategy", "title": "Helsinki City Strategy 2021–2025: A Place of Growth",
         "kind": "other", "start_year": 2021, "end_year": 2025, "status": "adopted",
         "level_names": ["Objective", "Key project"],
         "description": "The city strategy for the council term; its 2023 review includes the "
                        "third Voluntary Local Review. Objectives: the strategy's themes, "
                        "grouped more simply for the demo.",
         "elements": HELSINKI_STRATEGY},
        {"key": "vlr", "title": "Helsinki Voluntary Local Review 2023", "parent": "strategy",
         "kind": "voluntary_local_review", "start_year": 2023, "end_year": 2023,
         "status": "adopted", "level_names": ["Goal"],
         "source_url": "https://kestavyys.hel.fi/en/third-voluntary-local-review/",
         "description": "Helsinki's third VLR (after 2019 and 2021): more than 60 indicators, "
                        "each with source, unit, yearly values and trend "
                        "(https://kestavyys.hel.fi/en/indicators/).",
         "elements": []},
    ],
    "indicators": HELSINKI_INDICATORS,
}

# Demo city slug → its plans (parents before children) and indicators.
CITY_PLANS = {"ethekwini": ETHEKWINI, "patiala-district": PATIALA_DISTRICT,
              "bhavnagar": BHAVNAGAR, "helsinki": HELSINKI}
