"""The indicator definitions sheet: one row per local indicator of one city.

Columns (every column must be present; the order is free; row 1 holds the names):

- code (required): letters, digits and . _ - /, unique in the city whatever its case. A code
  already defined updates that indicator; a new code adds one; indicators left out are kept.
- name (required), definition, unit_label, data_source, department, baseline_note: text.
- unit_kind (required): percent, count, rate_per_1000, rate_per_100000, currency, tco2e, other
  (currency and other need unit_label).
- direction (required): higher, lower or band (band needs band_low < band_high).
- band_low, band_high, baseline_value, natural_limit: numbers with a decimal point.
- frequency: annual or quarterly; quarterly_rollup: last, sum or mean; is_cumulative: yes or no.
- baseline_year: a year; blank means no baseline yet.
- targets: year:value or year:value:label, separated by ";"
  (2026:40:IDP 2026/27; 2030:100:SDG); no target before the baseline year.
- dimensions: name=value|value, separated by ";" (sex=female|male; age=0-14|15-64|65+).
- sdg_indicators: code:relation, separated by ";", relation identical, proxy (the default) or
  contextualised (6.1.1:proxy; 11.6.1:identical).
- element_codes: plan:element, separated by ";" (IDP-2022:3.1). The plan is named by its key,
  the kind's abbreviation and start year (IDP-2022; a later revision adds -r2, a second plan
  with the same key -2), or by its number.

The list columns are the indicator's complete lists: on import, items left out are removed.
"""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from tracker.bulk.cells import (
    CellError,
    Column,
    RowReader,
    check_header,
    duplicate_errors,
    format_decimal,
    format_int,
    parse_bool,
    parse_decimal,
    parse_int,
    row_readers,
    split_items,
)
from tracker.bulk.formats import Table
from tracker.bulk.lookups import SdgCodes
from tracker.bulk.report import RowError
from tracker.db import saved_id
from tracker.indicators.models import (
    DimensionIn,
    Direction,
    Frequency,
    LocalIndicator,
    LocalIndicatorCreate,
    QuarterRollup,
    SdgRelation,
    TargetIn,
    UnitKind,
    check_band,
    check_baseline,
    check_targets,
    check_unit,
)
from tracker.plans.models import PlanElement


def allowed(enum: Any) -> str:
    """List an enum's values."""
    return ", ".join(member.value for member in enum)


COLUMNS = [
    Column("code", True, _l("Letters, digits and . _ - /, up to 40 characters, unique in the "
                            "city, e.g. WS-01."),
           _l("The indicator's code. A code already defined updates that indicator; a new code "
              "adds one. Indicators not in the file are left as they are.")),
    Column("name", True, _l("2 to 300 characters."), _l("The indicator's name.")),
    Column("definition", False, _l("Up to 4000 characters."), _l("How it is defined and "
                                                                 "calculated.")),
    Column("unit_kind", True, allowed(UnitKind), _l("What the values measure.")),
    Column("unit_label", False, _l("Up to 40 characters; needed for currency (e.g. ZAR) and "
                                   "other (e.g. households)."), _l("The unit's name.")),
    Column("direction", True, allowed(Direction), _l("Which way is better; band means within "
                                                     "band_low and band_high.")),
    Column("band_low", False, _l("A number; only with direction band."), _l("Lower bound.")),
    Column("band_high", False, _l("A number above band_low; only with direction band."),
           _l("Upper bound.")),
    Column("frequency", False, _l("%(values)s (blank: annual)", values=allowed(Frequency)),
           _l("How often values are reported, on the city's fiscal year.")),
    Column("quarterly_rollup", False, _l("%(values)s (blank: last)",
                                         values=allowed(QuarterRollup)),
           _l("How quarterly values make the year's value.")),
    Column("is_cumulative", False, _l("yes or no (blank: no)"), _l("Whether values add up "
                                                                   "over time.")),
    Column("data_source", False, _l("Up to 300 characters."), _l("Where the data comes from.")),
    Column("department", False, _l("Up to 200 characters."), _l("The responsible "
                                                                "department.")),
    Column("baseline_year", False, _l("A year, e.g. 2021; blank means no baseline yet."),
           _l("The baseline year.")),
    Column("baseline_value", False, _l("A number with a decimal point; needs baseline_year."),
           _l("The baseline value.")),
    Column("baseline_note", False, _l("Up to 500 characters."), _l("A note on the baseline.")),
    Column("natural_limit", False, _l("A number, e.g. 100 for a percentage."),
           _l("A value the indicator cannot pass.")),
    Column("targets", False, _l("year:value or year:value:label separated by ';', e.g. "
                                "2026:40:IDP 2026/27; 2030:100:SDG."),
           _l("Target values; none before the baseline year.")),
    Column("dimensions", False, _l("name=value|value separated by ';', e.g. sex=female|male; "
                                   "age=0-14|15-64|65+."), _l("Disaggregations.")),
    Column("sdg_indicators", False, _l("code:relation separated by ';', relation one of %(r)s "
                                       "(blank: proxy), e.g. 6.1.1:proxy; 11.6.1:identical.",
                                       r=allowed(SdgRelation)),
           _l("The SDG indicators it is aligned to. Alignments not listed are removed.")),
    Column("element_codes", False, _l("plan:element separated by ';', e.g. IDP-2022:3.1. The "
                                      "plan key is the kind's abbreviation and start year (IDP, "
                                      "SDBIP, SDGLF, CAP, VLR, SECTOR, PLAN), -r2 for a later "
                                      "revision, -2 for a second plan with the same key; or the "
                                      "plan's number."),
           _l("The plan elements it measures. Links not listed are removed.")),
]
HEADER = [c.name for c in COLUMNS]
TEXT = ["code", "name", "definition", "unit_label", "data_source", "department", "baseline_note"]
CHOICES = ["unit_kind", "direction", "frequency", "quarterly_rollup"]
NUMBERS = ["band_low", "band_high", "baseline_value", "natural_limit"]
# Rules that span columns, and the column whose cell to fix.
RULES = [(check_unit, "unit_label"), (check_band, "band_low"), (check_baseline, "baseline_value"),
         (check_targets, "targets")]
EXAMPLES = [
    ["WS-01", "Households with access to basic water", "Share of households with piped water "
     "within 200 m", "percent", "", "higher", "", "", "annual", "last", "no", "Census 2021",
     "Water and Sanitation", "2021", "87.5", "Census 2021", "100",
     "2026:95:IDP 2026/27; 2030:100:SDG", "sex=female|male", "6.1.1:proxy", "IDP-2022:3.1"],
    ["AQ-02", "Annual mean PM2.5 concentration", "", "other", "µg/m³", "band", "0", "15",
     "quarterly", "mean", "no", "Air quality stations", "Environment", "", "", "", "",
     "2030:10:SDG", "", "11.6.2:identical", ""],
]


@dataclass
class CityElements:
    """A city's plans by key and number, and their elements by (plan id, lower-case code)."""

    plans: dict[str, int] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    elements: dict[tuple[int, str], PlanElement] = field(default_factory=dict)
    by_id: dict[int, PlanElement] = field(default_factory=dict)

    def find_plan(self, reference: str) -> int | None:
        """Return the plan named by a key or a number."""
        if reference.isdigit():
            return int(reference) if int(reference) in self.keys else None
        return self.plans.get(reference.lower())


@dataclass
class IndicatorRow:
    """A valid row: the definition, its SDG alignments and the elements it measures."""

    row: int
    indicator_in: LocalIndicatorCreate
    sdg: dict[int, tuple[str, SdgRelation]] = field(default_factory=dict)
    element_ids: list[int] = field(default_factory=list)

    @property
    def code(self) -> str:
        """Return the indicator's code."""
        return self.indicator_in.code


def parse_indicators(table: Table, codes: SdgCodes, places: CityElements
                     ) -> tuple[list[IndicatorRow], list[RowError]]:
    """Read and check every row; return the valid rows and every error."""
    errors = check_header(table, COLUMNS)
    if errors:
        return [], errors
    readers = row_readers(table, COLUMNS)
    rows = []
    for reader in readers:
        row = read_indicator(reader, codes, places)
        if row is not None and not reader.errors:
            rows.append(row)
        errors += reader.errors
    return rows, errors + duplicate_errors(readers, "code")


def read_indicator(reader: RowReader, codes: SdgCodes, places: CityElements
                   ) -> IndicatorRow | None:
    """Read one row into a definition with its links."""
    data: dict[str, Any] = {name: reader.text(name) for name in TEXT}
    data |= {name: reader.text(name).lower() for name in CHOICES if reader.text(name)}
    data |= {name: reader.read(name, parse_decimal) for name in NUMBERS}
    data["baseline_year"] = reader.read("baseline_year", parse_int)
    data["is_cumulative"] = bool(reader.read("is_cumulative", parse_bool))
    parts: dict[str, Any] = {"targets": read_items(reader, "targets", read_target),
             "dimensions": read_items(reader, "dimensions", read_dimension)}
    sdg = read_sdg(reader, codes)
    element_ids = read_elements(reader, places)
    try:
        indicator_in = LocalIndicatorCreate(**data, **parts)
    except ValidationError as error:
        whole = reader.model_errors(error, {})
        if whole:
            rule_errors(reader, LocalIndicatorCreate.model_construct(**data, **parts), whole)
        return None
    return IndicatorRow(reader.number, indicator_in, sdg, element_ids)


def rule_errors(reader: RowReader, candidate: LocalIndicatorCreate, whole: list[str]) -> None:
    """Report every broken cross-column rule under the column to fix."""
    # The model stops at the first broken rule; `whole` holds its messages, kept if no rule
    # here names a column.
    before = len(reader.errors)
    for rule, column in RULES:
        try:
            rule(candidate)
        except ValueError as error:
            reader.error(column, str(error))
    names = [d.name.strip().lower() for d in candidate.dimensions]
    if len(set(names)) != len(names):
        reader.error("dimensions", _("Two dimensions have the same name."))
    if len(reader.errors) == before:
        for message in whole:
            reader.error("", message)


def read_items(reader: RowReader, column: str, read: Any) -> list[Any]:
    """Read a list cell item by item, noting each bad item."""
    items = []
    for item in split_items(reader.text(column)):
        try:
            items.append(read(item))
        except CellError as error:
            reader.error(column, _("'%(item)s': %(problem)s", item=item, problem=error))
        except ValidationError as error:
            problem = "; ".join(str(e["msg"]) for e in error.errors())
            reader.error(column, _("'%(item)s': %(problem)s", item=item, problem=problem))
    return items


def read_target(item: str) -> TargetIn:
    """Read year:value or year:value:label."""
    year, _sep, rest = item.partition(":")
    value, _sep, label = rest.partition(":")
    if not value.strip():
        raise CellError(_("write a target as year:value or year:value:label."))
    # A blank year or value fails the model's validation, which names the item.
    return TargetIn.model_validate({"year": parse_int(year.strip()),
                                    "value": parse_decimal(value.strip()), "label": label.strip()})


def read_dimension(item: str) -> DimensionIn:
    """Read name=value|value."""
    name, sep, values = item.partition("=")
    if not sep:
        raise CellError(_("write a dimension as name=value|value."))
    return DimensionIn(name=name.strip(), values=split_items(values, "|"))


def read_sdg(reader: RowReader, codes: SdgCodes) -> dict[int, tuple[str, SdgRelation]]:
    """Read code:relation items into {SDG indicator id: (code, relation)}."""
    found: dict[int, tuple[str, SdgRelation]] = {}
    for item in split_items(reader.text("sdg_indicators")):
        code, _sep, relation = (part.strip() for part in item.partition(":"))
        if code not in codes.indicators:
            hint = _(" (a target; local indicators align to SDG indicators)") \
                if code in codes.targets else ""
            reader.error("sdg_indicators", _("Unknown SDG indicator %(code)s%(hint)s.",
                                             code=code, hint=hint))
        elif codes.indicators[code] in found:
            reader.error("sdg_indicators", _("%(code)s is listed twice.", code=code))
        elif relation and relation.lower() not in {r.value for r in SdgRelation}:
            reader.error("sdg_indicators", _("'%(text)s' is not a relation; use one of "
                                             "%(allowed)s.", text=relation,
                                             allowed=allowed(SdgRelation)))
        else:
            found[codes.indicators[code]] = (code, SdgRelation(relation.lower() or "proxy"))
    return found


def read_elements(reader: RowReader, places: CityElements) -> list[int]:
    """Read plan:element items into element ids."""
    found: list[int] = []
    for item in split_items(reader.text("element_codes")):
        reference, sep, code = (part.strip() for part in item.partition(":"))
        plan_id = places.find_plan(reference) if sep else None
        element = places.elements.get((plan_id, code.lower())) if plan_id else None
        if not sep or not code:
            reader.error("element_codes", _("'%(item)s': write plan:element, e.g. "
                                            "IDP-2022:3.1.", item=item))
        elif plan_id is None:
            reader.error("element_codes", _("Unknown plan %(plan)s; this city's plans are: "
                                            "%(keys)s.", plan=reference,
                                            keys=", ".join(places.keys.values()) or "–"))
        elif element is None or element.is_retired:
            reader.error("element_codes", _("%(plan)s has no current element %(code)s.",
                                            plan=reference, code=code))
        elif element.id in found:
            reader.error("element_codes", _("%(item)s is listed twice.", item=item))
        else:
            found.append(saved_id(element))
    return found


def indicator_cells(indicator: LocalIndicator, sdg: list[tuple[str, str, str]],
                    elements: list[str]) -> list[str]:
    """Write one indicator as a row; `sdg` holds (sort key, code, relation)."""
    targets = sorted(indicator.targets, key=lambda t: (t.year, t.label))
    return [
        indicator.code, indicator.name, indicator.definition, indicator.unit_kind.value,
        indicator.unit_label, indicator.direction.value, format_decimal(indicator.band_low),
        format_decimal(indicator.band_high), indicator.frequency.value,
        indicator.quarterly_rollup.value, "yes" if indicator.is_cumulative else "no",
        indicator.data_source, indicator.department, format_int(indicator.baseline_year),
        format_decimal(indicator.baseline_value), indicator.baseline_note,
        format_decimal(indicator.natural_limit),
        "; ".join(f"{t.year}:{format_decimal(t.value)}" + (f":{t.label}" if t.label else "")
                  for t in targets),
        "; ".join(f"{d.name}={'|'.join(d.values)}"
                  for d in sorted(indicator.dimensions, key=lambda d: d.position)),
        "; ".join(f"{code}:{relation}" for _key, code, relation in sorted(sdg)),
        "; ".join(sorted(elements)),
    ]
