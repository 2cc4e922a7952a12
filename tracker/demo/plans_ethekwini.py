"""Demo plans and SDBIP KPIs of eThekwini (local-plans.md §3, §9)."""

from typing import Any

from tracker.demo.data import SYNTHETIC
from tracker.demo.plan_helpers import (
    CONTEXTUALISED,
    CONTRIBUTES,
    DIRECT,
    PROXY,
    SDBIP_2016,
    YEAR_ASSUMED,
    element,
    indicator,
    quarters,
)

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
