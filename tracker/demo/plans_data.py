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
from tracker.demo.plan_helpers import (
    CONTEXTUALISED,
    CONTRIBUTES,
    DIRECT,
    PROXY,
    element,
    indicator,
)
from tracker.demo.plans_ethekwini import ETHEKWINI
from tracker.demo.plans_india import BHAVNAGAR, PATIALA_DISTRICT
from tracker.demo.plans_shared import SHARED, shared_indicators

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

# Demo city slug → its plans (parents before children) and indicators, with the indicators
# the published cities share for the comparison (plans_shared).
CITY_PLANS: dict[str, dict[str, Any]] = {
    "ethekwini": ETHEKWINI, "patiala-district": PATIALA_DISTRICT, "bhavnagar": BHAVNAGAR,
    "helsinki": HELSINKI, "patiala": {"plans": [], "indicators": []}}
CITY_PLANS = {slug: spec | {"indicators": spec["indicators"] + (
    shared_indicators(slug) if slug in SHARED else [])} for slug, spec in CITY_PLANS.items()}
