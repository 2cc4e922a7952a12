"""Which CDP column holds which field, by normalised label, across the published years.

City-wide Emissions layouts (headers as published on data.cdp.net):
- 2016 (dfed-thx7): "Account Number, City Name, Country, City Short Name, …, Reporting Year,
  Measurement Year (a date), …, Primary Methodology, Methodology Details, Gases included,
  Total City-wide Emissions, Total Scope 1/2 Emissions, …, Current Population Year, Current
  Population": no inventory-status column and no accounting period.
- 2017 (kyi6-dk5h): "Account number, Organization, City, …, Reporting year, Accounting year,
  Boundary, Protocol, Protocol column, Gases included, Total emissions, Scopes Included, Total
  Scope 1/2 Emissions, …, Population, Population year": no inventory-status column.
- 2018 (wii4-buw5), 2018–19 and 2019 (542d-zyj8): "Year Reported to CDP, …, City-wide
  Emissions Inventory, Accounting Year, Inventory Boundary, Primary Protocol, …".
- 2020 (p43t-fbkj) and 2021 (tmta-7i7p): as 2019, with "Administrative city boundary" and
  "Inventory boundary (compared to Administrative city boundary)".
"""

from collections.abc import Callable

Match = Callable[[str], bool]


def exact(*labels: str) -> Match:
    """Match any of these normalised labels."""
    return lambda key: key in labels


def starts(prefix: str, *, contains: str = "") -> Match:
    """Match a label by its start and, optionally, a part of it."""
    return lambda key: key.startswith(prefix) and contains in key


def either(*matches: Match) -> Match:
    """Match a label any of these matches accept (labels changed between years)."""
    return lambda key: any(match(key) for match in matches)


COMMON: dict[str, Match] = {
    "year_reported": exact("yearreportedtocdp", "reportingyear"),
    "account": exact("accountnumber"),
    "organization": exact("organization", "organisation", "cityname"),
    "city": exact("city", "cityshortname"),
    "country": exact("country"),
    "population": exact("population", "currentpopulation"),
    "population_year": exact("populationyear", "currentpopulationyear"),
}

EMISSION_COLUMNS: dict[str, Match] = {
    **COMMON,
    "status": exact("citywideemissionsinventory"),
    "period": exact("accountingyear"),
    "measured": exact("measurementyear"),  # 2016: the date the 12 measured months end
    "boundary": either(starts("inventoryboundary"), exact("boundary")),
    "protocol": exact("primaryprotocol", "protocol", "primarymethodology"),
    "protocol_comment": exact("primaryprotocolcomment", "protocolcolumn",
                              "methodologydetails"),
    "gases": exact("gasesincluded"),
    "gen1": starts("direct", contains="fortotalgeneration"),
    "crf1": starts("direct", contains="excludinggeneration"),
    "gen2": starts("indirect", contains="fortotalgeneration"),
    "crf2": starts("indirect", contains="excludinggeneration"),
    "gen3": starts("emissionsoccurringoutside", contains="fortotalgeneration"),
    "crf3": starts("emissionsoccurringoutside", contains="excludinggeneration"),
    "gpc1": starts("totalscope1"),
    "gpc2": starts("totalscope2"),
    "gpc3": starts("totalscope3"),
    "basic": exact("totalbasicemissionsgpc"),
    "basic_plus": exact("totalbasicplusemissionsgpc"),
    # 2016 and 2017: one total, whose scopes 2017 names in "Scopes Included".
    "total": exact("totalcitywideemissionsmetrictonnesco2e", "totalemissionsmetrictonnesco2e"),
    "scopes_included": exact("scopesincluded"),
}

TARGET_COLUMNS: dict[str, Match] = {
    **COMMON,
    "kind": exact("typeoftarget"),
    "sector": exact("sector"),
    "boundary": starts("targetboundary"),
    "base_year": exact("baseyear"),
    "year_set": exact("yeartargetwasset"),
    "base_emissions": exact("baseyearemissionsmetrictonnesco2e"),
    "reduction": exact("percentagereductiontarget"),
    "target_year": exact("targetyear"),
    "target_emissions": starts("targetyearabsoluteemissions"),
    "intensity_unit": starts("intensityunit"),
    "base_intensity": starts("baseyearemissionsperintensityunit"),
    "bau": starts("estimatedbusinessasusual"),
    "achieved": starts("percentageoftargetachieved"),
    "description": exact("targetdescription"),
    "method": starts("descriptionofthetarget"),
}


def resolve(header: list[str], spec: dict[str, Match]) -> dict[str, str | None]:
    """Map each field to the first header label that matches it (None when absent)."""
    return {name: next((key for key in header if match(key)), None)
            for name, match in spec.items()}
