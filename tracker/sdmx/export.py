"""A city's approved values as SDMX observations against the global SDG DSD: one series key
per value (REPORTING_TYPE, REF_AREA = the city's code, SERIES, disaggregations as codes, `_T`
for totals), its period and its attributes. What cannot be mapped is counted by reason and
left out, never invented."""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session

from tracker.cities.models import City
from tracker.opensdg.export_rows import (
    Cell,
    ExportIndicator,
    approved_cells,
    cell_period,
    dimension_columns,
    export_indicators,
    folded,
    indicator_fiscal,
    source_value,
    special_name,
)
from tracker.sdmx.codes import (
    CODE,
    DIMENSIONS,
    REPORTING_TYPES,
    TIME,
    TOTAL,
    dimension_for,
    unit_code,
    value_code,
)
from tracker.timeutil import utcnow

TWO_YEARS = re.compile(r"^\d{4}\s*[-/–]\s*\d{2,4}")
# Attribute columns as Open SDG repositories name them → the DSD attribute.
ATTRIBUTE_COLUMNS = {"unit multiplier": "UNIT_MULT", "unit_mult": "UNIT_MULT",
                     "observation status": "OBS_STATUS", "obs_status": "OBS_STATUS",
                     "nature": "NATURE", "comment_obs": "COMMENT_OBS",
                     "source_detail": "SOURCE_DETAIL"}


class SdmxError(ValueError):
    """An export that cannot start (no REF_AREA code, an unknown reporting type)."""


@dataclass
class SdmxObservation:
    """One observation: its full key (dimensions and TIME_PERIOD), value and attributes."""

    key: dict[str, str]
    value: str
    attributes: dict[str, str]


@dataclass
class SdmxReport:
    """What an export wrote and what it left out (reason → how many values)."""

    as_of: datetime = field(default_factory=utcnow)
    observations: int = 0
    left_out: Counter[str] = field(default_factory=Counter)

    @property
    def stamp(self) -> str:
        """The moment the values were read, in UTC."""
        return f"{self.as_of:%Y-%m-%dT%H:%M:%SZ}"


@dataclass
class IndicatorPlan:
    """How one indicator's cells become SDMX keys."""

    item: ExportIndicator
    fiscal: bool
    specials: dict[str, str]  # Series/Units/GeoCode → the indicator's dimension name
    disaggregations: list[str]

    @property
    def meta(self) -> dict:
        """The indicator's source metadata (SERIES, UNIT_MEASURE codes may be set there)."""
        return self.item.indicator.source_meta or {}


def check_settings(city: City, reporting_type: str) -> None:
    """Refuse an export that cannot be valid before reading anything."""
    if not city.ref_area_code.strip():
        raise SdmxError(_("%(city)s has no SDMX reference area code (REF_AREA): set it "
                          "with `tracker sdmx ref-area` before exporting.", city=city.name))
    if reporting_type not in REPORTING_TYPES:
        raise SdmxError(_("The reporting type is N (national) or L (local), not %(value)s.",
                          value=reporting_type))


def sdmx_observations(session: Session, city: City, reporting_type: str,
                      report: SdmxReport) -> Iterator[SdmxObservation]:
    """Yield the city's approved values as SDMX observations, indicator by indicator."""
    check_settings(city, reporting_type)
    items, refused = export_indicators(session, city)
    report.left_out.update(refused)
    seen: set[int] = set()  # hashes of the keys written: a repeat would be invalid
    for item in items:
        special, disaggregations = dimension_columns(item.indicator)
        plan = IndicatorPlan(item, indicator_fiscal(city, item.indicator),
                             {special_name(n): n for n in special}, disaggregations)
        for cell in approved_cells(session, item.indicator):
            observation = map_cell(city, reporting_type, plan, cell, report)
            if observation is None:
                continue
            digest = hash(tuple(observation.key.values()))
            if digest in seen:
                report.left_out[_("%(id)s: two values share one SDMX key",
                                  id=item.file_id)] += 1
                continue
            seen.add(digest)
            report.observations += 1
            yield observation


def map_cell(city: City, reporting_type: str, plan: IndicatorPlan, cell: Cell,
             report: SdmxReport) -> SdmxObservation | None:
    """One cell as an observation, or None (its reason counted) when it cannot be one."""
    if cell.value is None:
        return None  # SDMX has no observation without a value
    breakdown = folded(cell.breakdown)
    problems: list[str] = []
    key = {"FREQ": "A", "REPORTING_TYPE": reporting_type,
           "SERIES": series_code(plan, breakdown, problems),
           "REF_AREA": city.ref_area_code.strip()}
    key.update(dict.fromkeys(DIMENSIONS[4:], TOTAL))
    key.update(disaggregation_codes(plan, breakdown, problems))
    if geo := breakdown.get(plan.specials.get("GeoCode", "\0").lower(), ""):
        problems.append(_("%(id)s: GeoCode %(geo)s is a sub-area; REF_AREA is the city",
                          id=plan.item.file_id, geo=geo))
    attributes = cell_attributes(plan, cell, breakdown, problems)
    time_key(plan, cell, key, attributes, problems)
    if problems:
        report.left_out.update(problems[:1])
        return None
    return SdmxObservation(key, source_value(cell), attributes)


def series_code(plan: IndicatorPlan, breakdown: dict[str, str], problems: list[str]) -> str:
    """SERIES: the Series value when it is a code, else the indicator's configured code
    (SERIES in its metadata: one code, or a map from Series text to code)."""
    text = breakdown.get(plan.specials.get("Series", "\0").lower(), "").strip()
    configured = plan.meta.get("SERIES")
    if text and CODE.match(text):
        return text
    if isinstance(configured, dict) and isinstance(configured.get(text), str):
        return str(configured[text])
    if isinstance(configured, str) and configured and not text:
        return configured
    problems.append(_("%(id)s: no SDMX series code for series '%(series)s' (set SERIES in "
                      "the indicator's metadata)", id=plan.item.file_id, series=text))
    return ""


def disaggregation_codes(plan: IndicatorPlan, breakdown: dict[str, str],
                         problems: list[str]) -> dict[str, str]:
    """The DSD code of every disaggregation value the cell has."""
    codes: dict[str, str] = {}
    for name in plan.disaggregations:
        value = breakdown.get(name.lower(), "")
        if not value:
            continue
        dimension = dimension_for(name)
        code = value_code(dimension, value) if dimension else None
        if dimension is None:
            problems.append(_("%(id)s: '%(name)s' is no dimension of the SDG DSD",
                              id=plan.item.file_id, name=name))
        elif code is None:
            problems.append(_("%(id)s: %(name)s '%(value)s' has no %(dim)s code",
                              id=plan.item.file_id, name=name, value=value, dim=dimension))
        else:
            codes[dimension] = code
    return codes


def cell_attributes(plan: IndicatorPlan, cell: Cell, breakdown: dict[str, str],
                    problems: list[str]) -> dict[str, str]:
    """UNIT_MEASURE (mapped, or the value is left out), UNIT_MULT, OBS_STATUS and the
    attributes the source carried."""
    indicator = plan.item.indicator
    units = breakdown.get(plan.specials.get("Units", "\0").lower(), "")
    configured = plan.meta.get("UNIT_MEASURE")
    unit = unit_code(units, indicator.unit_kind, configured if isinstance(configured, str)
                     else "")
    if unit is None:
        problems.append(_("%(id)s: no UNIT_MEASURE code for units '%(units)s'",
                          id=plan.item.file_id, units=units or indicator.unit_label))
    attributes = {"UNIT_MEASURE": unit or "", "UNIT_MULT": "0", "OBS_STATUS": "A"}
    for name, text in cell.attributes.items():
        concept = ATTRIBUTE_COLUMNS.get(name.strip().lower())
        if concept and text.strip():
            attributes[concept] = text.strip()
    return attributes


def time_key(plan: IndicatorPlan, cell: Cell, key: dict[str, str],
             attributes: dict[str, str], problems: list[str]) -> None:
    """TIME_PERIOD: the year (a split year or range by its first, as Open SDG assesses it,
    the label kept in TIME_DETAIL) or a calendar quarter; a fiscal quarter has none."""
    label = cell_period(cell, plan.fiscal)
    if cell.quarter:
        if plan.fiscal or TWO_YEARS.match(label):
            problems.append(_("%(id)s: %(period)s is a fiscal quarter, which SDMX periods "
                              "cannot name", id=plan.item.file_id, period=label))
        key["FREQ"] = "Q"
        key[TIME] = f"{cell.year}-Q{cell.quarter}"
        return
    key[TIME] = str(cell.year)
    if label != key[TIME]:
        attributes["TIME_DETAIL"] = label
