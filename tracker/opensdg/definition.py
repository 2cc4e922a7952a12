"""An Open SDG indicator as a local indicator: its definition from the metadata and data,
created or brought up to date (with history), and aligned to the SDG indicator of its code.

`source_meta` keeps every metadata and configuration field for export, as one mapping (as
sdg-build merges its inputs: indicator-config over meta over csv-meta over global-meta).
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker.audit.services import diff, record_change
from tracker.catalogue.models import SdgIndicator
from tracker.cities.models import City
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorDimension,
    LocalIndicator,
    PeriodCalendar,
    ProgressRule,
    SdgRelation,
)
from tracker.opensdg.mapping import clipped, code_of, direction_of, first_text, unit_kind
from tracker.opensdg.reader import merged
from tracker.opensdg.rows import DataFile, split_years_only

FIELDS = ["name", "definition", "unit_kind", "unit_label", "direction", "calendar",
          "progress_rule", "progress_options", "auto_progress", "manual_progress_status",
          "opensdg_id", "source_meta"]


@dataclass
class Definition:
    """What the repository says an indicator is."""

    code: str
    fields: dict[str, Any]
    dimensions: list[tuple[str, list[str]]]


def progress_options(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the progress_calculation_options items as written (mappings only)."""
    options = fields.get("progress_calculation_options") or []
    return [o for o in options if isinstance(o, dict)] if isinstance(options, list) else []


def unit_of(data: DataFile, fields: dict[str, Any]) -> str:
    """Return the original Units text (the first in the data), else the metadata's unit."""
    units = data.columns.named("units") if data.columns else None
    if units and data.values.get(units):
        return next(iter(data.values[units]))
    return first_text(fields.get("computation_units"), fields.get("unit_of_measurement"))


def define(opensdg_id: str, metadata: dict[str, dict[str, Any]], data: DataFile,
           sdg_titles: dict[str, str]) -> Definition:
    """Return the definition of an Open SDG indicator from its metadata and data."""
    fields, code = merged(metadata), code_of(opensdg_id)
    options, unit = progress_options(fields), unit_of(data, fields)
    name = first_text(fields.get("indicator_name"), fields.get("indicator_available"),
                      fields.get("graph_title"), sdg_titles.get(code)) or \
        _("Open SDG indicator %(code)s", code=code)
    return Definition(code, {
        "name": clipped(name, 300),
        "definition": clipped(first_text(fields.get("indicator_definition"),
                                         fields.get("indicator_description")), 4000),
        "unit_kind": unit_kind(unit), "unit_label": clipped(unit, 40),
        "direction": direction_of(options),
        "calendar": PeriodCalendar.FISCAL if split_years_only(data.cells)
        else PeriodCalendar.CALENDAR,
        "progress_rule": ProgressRule.CONFIGURED if options else ProgressRule.HEADLINE,
        "progress_options": options,
        "auto_progress": fields.get("auto_progress_calculation") is True,
        "manual_progress_status": clipped(str(fields.get("progress_status") or ""), 40),
        "opensdg_id": opensdg_id, "source_meta": fields},
        [(name, list(values)) for name, values in data.values.items()])


def merged_dimensions(indicator: LocalIndicator | None,
                      dimensions: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Return the data's dimensions with the values stored before kept (older cells may
    use them), then dimensions only the stored indicator has."""
    old = {d.name: list(d.values) for d in indicator.dimensions} if indicator else {}
    result = [(name, _union(old.pop(name, []), values)) for name, values in dimensions]
    return result + list(old.items())


def _union(first: list[str], second: list[str]) -> list[str]:
    """Return the values of both lists once, in order."""
    return list(dict.fromkeys(first + second))


def is_changed(indicator: LocalIndicator, definition: Definition,
               dimensions: list[tuple[str, list[str]]]) -> bool:
    """Would saving the definition change the stored indicator?"""
    stored = [(d.name, list(d.values)) for d in indicator.dimensions]
    return stored != dimensions or any(
        getattr(indicator, name) != value for name, value in definition.fields.items())


def save_indicator(session: Session, city: City, indicator: LocalIndicator | None,
                   definition: Definition, user_id: int | None) -> LocalIndicator:
    """Create the indicator or bring it up to date (one version on, with history)."""
    dimensions = merged_dimensions(indicator, definition.dimensions)
    if indicator is not None and not is_changed(indicator, definition, dimensions):
        return indicator
    before = snapshot(indicator) if indicator else {}
    if indicator is None:
        assert city.id is not None
        indicator = LocalIndicator(city_id=city.id, code=definition.code, **definition.fields)
    else:
        indicator.sqlmodel_update(definition.fields)
        indicator.version += 1
    set_dimensions(session, indicator, dimensions)
    session.add(indicator)
    session.flush()
    record_change(session, user_id=user_id, action="update" if before else "create",
                  entity=indicator, city_id=city.id, changes=diff(before, snapshot(indicator)))
    return indicator


def set_dimensions(session: Session, indicator: LocalIndicator,
                   dimensions: list[tuple[str, list[str]]]) -> None:
    """Replace the indicator's dimensions (old rows deleted first: names stay unique)."""
    if indicator.dimensions:
        indicator.dimensions = []
        session.flush()
    indicator.dimensions = [
        IndicatorDimension(name=name, position=i, values=values)
        for i, (name, values) in enumerate(dimensions)]


def snapshot(indicator: LocalIndicator) -> dict[str, Any]:
    """Return what history keeps of an imported indicator's definition."""
    data = {name: _plain(getattr(indicator, name)) for name in FIELDS if name != "source_meta"}
    data["dimensions"] = [f"{d.name}: {len(d.values)} values" for d in indicator.dimensions]
    return data


def _plain(value: Any) -> Any:
    """Return a value as JSON holds it."""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def sdg_catalogue(session: Session) -> dict[str, tuple[int, str]]:
    """Return the SDG indicators by code: (id, title)."""
    rows = session.exec(select(SdgIndicator.id, SdgIndicator.code, SdgIndicator.title))
    return {code: (ident, title) for ident, code, title in rows if ident is not None}


def align(session: Session, indicator: LocalIndicator, sdg_id: int | None,
          user_id: int | None) -> None:
    """Align the indicator to the SDG indicator of its code, once."""
    if sdg_id is None or indicator.id is None:
        return
    exists = session.exec(select(IndicatorAlignment.id).where(
        IndicatorAlignment.indicator_id == indicator.id,
        IndicatorAlignment.sdg_indicator_id == sdg_id)).first()
    if exists is not None:
        return
    session.add(IndicatorAlignment(indicator_id=indicator.id, sdg_indicator_id=sdg_id,
                                   relation=SdgRelation.CONTEXTUALISED,
                                   rationale=_("Imported from an Open SDG repository.")))
    session.flush()
    record_change(session, user_id=user_id, action="align", entity=indicator,
                  city_id=indicator.city_id, changes={indicator.code: [None, "contextualised"]})

