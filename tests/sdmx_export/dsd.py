"""A small copy of the global SDG DSD (IAEG-SDGs:SDG) for reading messages back with sdmx1:
its dimensions and attributes in order, and a few codes of its codelists, written from the
published DSD (CL_FREQ, CL_REPORTING_TYPE, CL_SEX, CL_AGE, CL_URBANISATION, CL_UNIT_MEASURE,
CL_UNIT_MULT, CL_OBS_STATUS). REPORTING_TYPE L (local) is the tracker's extension."""

from sdmx.model import v21 as m

DIMENSIONS = ["FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION",
              "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN",
              "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT"]
ATTRIBUTES = ["UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NATURE", "TIME_DETAIL",
              "COMMENT_OBS", "SOURCE_DETAIL"]
CODES: dict[str, set[str]] = {
    "FREQ": {"A", "Q"},
    "REPORTING_TYPE": {"G", "N", "L"},
    "SERIES": {"SI_POV_NAHC", "SH_STA_MORT"},
    "REF_AREA": {"710", "ZA_CPT"},
    "SEX": {"F", "M", "_T"},
    "AGE": {"Y15T24", "Y_GE65", "Y0T4", "_T"},
    "URBANISATION": {"U", "R", "_T"},
    **{d: {"_T"} for d in DIMENSIONS[7:]},
    "UNIT_MEASURE": {"PT", "NUMBER", "PER_100000_POP", "PER_1000_POP"},
    "UNIT_MULT": {"0"},
    "OBS_STATUS": {"A", "E"},
}


def sdg_dsd() -> m.DataStructureDefinition:
    """The DSD as sdmx1 objects: dimensions, TIME_PERIOD, OBS_VALUE and the attributes."""
    dsd = m.DataStructureDefinition(id="SDG", maintainer=m.Agency(id="IAEG-SDGs"),
                                    version="1.0")
    for order, name in enumerate(DIMENSIONS):
        dsd.dimensions.getdefault(name, order=order)
    dsd.dimensions.append(m.TimeDimension(id="TIME_PERIOD", order=len(DIMENSIONS)))
    for name in ATTRIBUTES:
        dsd.attributes.getdefault(name, related_to=m.PrimaryMeasureRelationship)
    dsd.measures.getdefault("OBS_VALUE")
    return dsd
