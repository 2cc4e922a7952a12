"""Demo networks, cities and people. Facts cite ../shared/reference/local-plans.md; anything
invented for the demo says "Synthetic demo value" in the record itself."""

from typing import Any

SYNTHETIC = "Synthetic demo value"
DEMO_PASSWORD = "tracker-demo-2026"

NETWORKS = [
    {"slug": "gcom", "name": "Global Covenant of Mayors for Climate & Energy",
     "website": "https://www.globalcovenantofmayors.org/",
     "description": "Cities reporting climate action under the Common Reporting Framework."},
    {"slug": "iclei-south-asia", "name": "ICLEI South Asia",
     "website": "https://southasia.iclei.org/",
     "description": "Local governments for sustainability in South Asia."},
    {"slug": "uclg", "name": "United Cities and Local Governments (UCLG)",
     "website": "https://www.uclg.org/",
     "description": "The world organisation of local and regional governments; "
                    "co-author of the Voluntary Local Review guidelines."},
]

# Parents come before their children.
CITIES: list[dict[str, Any]] = [
    {"slug": "ethekwini", "name": "eThekwini", "country_code": "ZA",
     "alternative_names": ["Durban"],  # CDP names the account "Durban"
     "level": "metropolitan municipality", "population": 3_300_000, "population_year": None,
     "population_source": "About 3.3 million (Springer chapter on the IDP as an SDG-localisation "
                          "tool); year not given",
     "fiscal_year_start_month": 7, "is_published": True, "website": "https://www.durban.gov.za/",
     "description": "Durban's metropolitan municipality, 2,297 km². Vision: \"Africa's most "
                    "caring and liveable city\"."},
    {"slug": "patiala-district", "name": "Patiala District", "country_code": "IN",
     "level": "district", "population": None, "population_year": None, "population_source": "",
     "fiscal_year_start_month": 4, "is_published": True, "website": "",
     "description": "Pilot district of Punjab's SDG localisation (District SDG Cell, launched "
                    "17 September 2020)."},
    {"slug": "patiala", "name": "Patiala", "country_code": "IN", "parent": "patiala-district",
     "level": "municipal corporation", "population": 450_000, "population_year": 2019,
     "population_source": SYNTHETIC, "fiscal_year_start_month": 4, "is_published": True,
     "website": "", "description": "Municipal Corporation Patiala: a city SDG data system "
                                   "(model indicator framework and dashboard), 2018–19."},
    {"slug": "bhavnagar", "name": "Bhavnagar", "country_code": "IN",
     "level": "municipal corporation", "population": 600_000, "population_year": 2024,
     "population_source": SYNTHETIC, "fiscal_year_start_month": 4, "is_published": False,
     "website": "", "description": "Bhavnagar Municipal Corporation, Gujarat: Service Level "
                                   "Benchmark improvement plan mapped to the SDGs (demo)."},
    {"slug": "helsinki", "name": "Helsinki", "country_code": "FI", "level": "city",
     "population": 665_000, "population_year": 2023, "population_source": SYNTHETIC,
     "fiscal_year_start_month": 1, "is_published": True, "website": "https://www.hel.fi/",
     "description": "City Strategy 2021–2025 \"A Place of Growth\"; Voluntary Local Reviews "
                    "in 2019, 2021 and 2023; Carbon-neutral Helsinki 2035."},
]

MEMBERSHIPS = [
    ("gcom", "ethekwini"), ("gcom", "helsinki"), ("gcom", "patiala"),
    ("iclei-south-asia", "patiala"), ("iclei-south-asia", "patiala-district"),
    ("iclei-south-asia", "bhavnagar"),
    ("uclg", "ethekwini"), ("uclg", "helsinki"),
]
MEMBERSHIP_NOTE = SYNTHETIC + ": membership chosen for the demo"

# (email, role, city slug, network slug, name)
USERS = [
    ("admin@demo.sdg-tracker.org", "admin", None, None, "Demo administrator"),
    ("secretariat.gcom@demo.sdg-tracker.org", "secretariat", None, "gcom", "GCoM secretariat"),
    ("secretariat.iclei@demo.sdg-tracker.org", "secretariat", None, "iclei-south-asia",
     "ICLEI South Asia secretariat"),
    ("secretariat.uclg@demo.sdg-tracker.org", "secretariat", None, "uclg", "UCLG secretariat"),
    ("officer.ethekwini@demo.sdg-tracker.org", "officer", "ethekwini", None, "eThekwini officer"),
    ("officer.patiala@demo.sdg-tracker.org", "officer", "patiala", None, "Patiala officer"),
    ("officer.bhavnagar@demo.sdg-tracker.org", "officer", "bhavnagar", None, "Bhavnagar officer"),
    ("officer.helsinki@demo.sdg-tracker.org", "officer", "helsinki", None, "Helsinki officer"),
    ("reviewer.gcom@demo.sdg-tracker.org", "reviewer", None, "gcom", "GCoM reviewer"),
    ("reviewer.iclei@demo.sdg-tracker.org", "reviewer", None, "iclei-south-asia",
     "ICLEI South Asia reviewer"),
]
