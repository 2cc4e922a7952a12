"""Which CDP column holds which field, by normalised label, across the published years."""

from collections.abc import Callable

Match = Callable[[str], bool]


def exact(*labels: str) -> Match:
    """Match any of these normalised labels."""
    return lambda key: key in labels


def starts(prefix: str, *, contains: str = "") -> Match:
    """Match a label by its start and, optionally, a part of it."""
    return lambda key: key.startswith(prefix) and contains in key


COMMON: dict[str, Match] = {
    "year_reported": exact("yearreportedtocdp"),
    "account": exact("accountnumber"),
    "organization": exact("organization", "organisation"),
    "city": exact("city"),
    "country": exact("country"),
    "population": exact("population"),
    "population_year": exact("populationyear"),
}

EMISSION_COLUMNS: dict[str, Match] = {
    **COMMON,
    "status": exact("citywideemissionsinventory"),
    "period": exact("accountingyear"),
    "boundary": starts("inventoryboundary"),
    "protocol": exact("primaryprotocol"),
    "protocol_comment": exact("primaryprotocolcomment"),
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
