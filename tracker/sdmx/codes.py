"""The global SDG data structure (IAEG-SDGs DSD) as far as a city's export needs it: its
dimensions and attributes in order, and how the tracker's dimension names, values and units
become its codes. A value the tables cannot map is reported, never guessed."""

import re

from tracker.indicators.models import UnitKind

AGENCY, DSD_ID, DSD_VERSION = "IAEG-SDGs", "SDG", "1.0"
DATAFLOW = f"{AGENCY}:DF_SDG_GLH({DSD_VERSION})"
# Series-key dimensions in DSD order; TIME_PERIOD is the last dimension.
DIMENSIONS = ["FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION",
              "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN",
              "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT"]
TIME = "TIME_PERIOD"
ATTRIBUTES = ["UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NATURE", "TIME_DETAIL",
              "COMMENT_OBS", "SOURCE_DETAIL"]
TOTAL = "_T"
REPORTING_TYPES = ("N", "L")  # national, local (G, global, is the custodians')
CODE = re.compile(r"^[A-Z0-9_]{1,50}$")

# Disaggregation names (lower case) → the DSD dimension they are.
DIMENSION_NAMES = {
    "sex": "SEX", "gender": "SEX", "age": "AGE", "age group": "AGE",
    "location": "URBANISATION", "urbanisation": "URBANISATION",
    "urbanization": "URBANISATION", "urban/rural": "URBANISATION",
    "income quintile": "INCOME_WEALTH_QUANTILE", "wealth quintile": "INCOME_WEALTH_QUANTILE",
    "income or wealth quantile": "INCOME_WEALTH_QUANTILE",
    "education level": "EDUCATION_LEV", "level of education": "EDUCATION_LEV",
    "occupation": "OCCUPATION", "disability status": "DISABILITY_STATUS",
    "disability": "DISABILITY_STATUS", "activity": "ACTIVITY",
    "economic activity": "ACTIVITY", "product": "PRODUCT",
    "composite breakdown": "COMPOSITE_BREAKDOWN", "custom breakdown": "CUST_BREAKDOWN",
}
# Values (lower case) → codes, for the dimensions whose codes the tracker knows.
VALUE_CODES = {
    "SEX": {"female": "F", "females": "F", "women": "F", "f": "F", "male": "M",
            "males": "M", "men": "M", "m": "M", "total": TOTAL, "both sexes": TOTAL},
    "URBANISATION": {"urban": "U", "rural": "R", "total": TOTAL},
    "INCOME_WEALTH_QUANTILE": {f"quintile {n}": f"Q{n}" for n in range(1, 6)},
}
AGE_RANGE = re.compile(r"^(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})(?:\s*years?)?$", re.I)
AGE_OVER = re.compile(r"^(\d{1,3})\s*(?:\+|(?:years?\s*)?(?:and|or)\s*(?:over|older))$", re.I)
AGE_CODE = re.compile(r"^(?:Y\d{1,3}T\d{1,3}|Y_GE\d{1,3}|Y_LT\d{1,3}|_T)$")
UNIT_CODES = {UnitKind.PERCENT: "PT", UnitKind.COUNT: "NUMBER",
              UnitKind.RATE_1000: "PER_1000_POP", UnitKind.RATE_100000: "PER_100000_POP"}
UNIT_TEXTS = {"percentage": "PT", "percent": "PT", "%": "PT", "per cent": "PT",
              "number": "NUMBER", "count": "NUMBER",
              "per 100 000 population": "PER_100000_POP", "per 100,000 population":
              "PER_100000_POP", "per 1 000 population": "PER_1000_POP",
              "per 1,000 population": "PER_1000_POP"}


def dimension_for(name: str) -> str | None:
    """The DSD dimension a disaggregation is, by its name or as the dimension's own id."""
    if name.strip().upper() in DIMENSIONS[4:]:
        return name.strip().upper()
    return DIMENSION_NAMES.get(name.strip().lower())


def age_code(text: str) -> str | None:
    """An age group as SDG AGE codes write it: 15-24 → Y15T24, 65+ → Y_GE65."""
    if AGE_CODE.match(text):
        return text
    if match := AGE_RANGE.match(text):
        return f"Y{int(match[1])}T{int(match[2])}"
    if match := AGE_OVER.match(text):
        return f"Y_GE{int(match[1])}"
    return None


def value_code(dimension: str, value: str) -> str | None:
    """The code of a disaggregation value ("" is the total); None when unknown."""
    text = value.strip()
    if not text:
        return TOTAL
    if dimension == "AGE":
        return age_code(text)
    known = VALUE_CODES.get(dimension)
    if known is not None:
        return known.get(text.lower()) or (text if text in known.values() else None)
    return text if CODE.match(text) else None


def unit_code(units_text: str, kind: UnitKind, configured: str) -> str | None:
    """UNIT_MEASURE: the Units text as a code or a known unit, the indicator's configured
    code, or the code of its unit kind; None when none applies."""
    text = units_text.strip()
    if text and CODE.match(text):
        return text
    if text and text.lower() in UNIT_TEXTS:
        return UNIT_TEXTS[text.lower()]
    if configured:
        return configured
    return None if text else UNIT_CODES.get(kind)
