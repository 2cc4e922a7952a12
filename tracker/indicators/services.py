"""Define a city's local indicators and link them (flush, never commit; history kept)."""

import json
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from tracker.audit.services import diff, record_change, snapshot, tracked_update
from tracker.catalogue.models import SdgIndicator
from tracker.cities.models import City
from tracker.db import saved_id
from tracker.errors import DomainError
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorDimension,
    IndicatorElementLink,
    IndicatorTarget,
    LocalIndicator,
    LocalIndicatorCreate,
    SdgRelation,
)
from tracker.plans.models import Plan, PlanElement

FIELDS = ["code", "name", "definition", "unit_kind", "unit_label", "direction", "band_low",
          "band_high", "frequency", "quarterly_rollup", "is_cumulative", "sums_to_total",
          "data_source", "department", "baseline_year", "baseline_value", "baseline_note",
          "natural_limit"]
# Set only when given: a definitions sheet has no columns for them, and must not reset them.
PROGRESS_FIELDS = ["progress_rule", "progress_options", "auto_progress", "manual_progress_status"]
CALENDAR = "calendar"  # set when given, None included ("as the city")


class IndicatorError(DomainError):
    """A change to a local indicator was refused."""


def full_snapshot(indicator: LocalIndicator) -> dict[str, Any]:
    """Return the definition with its targets and dimensions, for the history."""
    data = snapshot(indicator, [*FIELDS, *PROGRESS_FIELDS, CALENDAR])
    data["progress_options"] = json.dumps(indicator.progress_options, ensure_ascii=False)
    data["targets"] = [f"{t.year} {t.label}: {t.value}".strip() for t in indicator.targets]
    data["dimensions"] = [f"{d.name}: {', '.join(d.values)}" for d in indicator.dimensions]
    return data


def definition_values(indicator_in: LocalIndicatorCreate) -> dict[str, Any]:
    """The definition's fields to store; progress settings only where they were given."""
    given = {name for name in PROGRESS_FIELDS if name in indicator_in.model_fields_set
             and getattr(indicator_in, name) is not None}
    given |= {CALENDAR} & indicator_in.model_fields_set
    return indicator_in.model_dump(include=set(FIELDS) | given)


def _check_code(session: Session, city_id: int, code: str, indicator_id: int | None) -> None:
    """Codes are unique within a city."""
    query = select(LocalIndicator.id).where(LocalIndicator.city_id == city_id,
                                            func.lower(LocalIndicator.code) == code.lower())
    other = session.exec(query).first()
    if other is not None and other != indicator_id:
        raise IndicatorError(_("Code %(code)s is already used by another indicator of this "
                               "city.", code=code))


def _replace_parts(indicator: LocalIndicator, indicator_in: LocalIndicatorCreate) -> None:
    """Replace the targets and dimensions with those given."""
    session = object_session(indicator)
    if session is not None and (indicator.targets or indicator.dimensions):
        # Delete the old rows first: a flush inserts new rows before it deletes orphans,
        # which would break UNIQUE(indicator_id, name) when a dimension keeps its name.
        indicator.targets, indicator.dimensions = [], []
        session.flush()
    indicator.targets = [IndicatorTarget(year=t.year, value=t.value, label=t.label)
                         for t in indicator_in.targets]
    indicator.dimensions = [IndicatorDimension(name=d.name.strip(), position=i, values=d.values)
                            for i, d in enumerate(indicator_in.dimensions)]


def create_indicator(*, session: Session, city: City, indicator_in: LocalIndicatorCreate,
                     user_id: int | None) -> LocalIndicator:
    """Define a local indicator with its baseline, targets and disaggregations."""
    _check_code(session, saved_id(city), indicator_in.code, None)
    indicator = LocalIndicator.model_validate(definition_values(indicator_in),
                                              update={"city_id": city.id})
    _replace_parts(indicator, indicator_in)
    session.add(indicator)
    session.flush()
    record_change(session, user_id=user_id, action="create", entity=indicator, city_id=city.id,
                  changes=diff({}, full_snapshot(indicator)))
    return indicator


def update_indicator(*, session: Session, indicator: LocalIndicator,
                     indicator_in: LocalIndicatorCreate, version: int | None,
                     user_id: int | None) -> LocalIndicator:
    """Change a definition, its targets and dimensions, keeping the change in history."""
    _check_code(session, indicator.city_id, indicator_in.code, indicator.id)

    def apply() -> None:
        indicator.sqlmodel_update(definition_values(indicator_in))
        _replace_parts(indicator, indicator_in)

    tracked_update(session, indicator, apply, take=lambda: full_snapshot(indicator),
                   version=version, user_id=user_id, city_id=indicator.city_id)
    return indicator


def set_retired(*, session: Session, indicator: LocalIndicator, retired: bool,
                user_id: int | None, reason: str = "") -> None:
    """Retire (or restore) an indicator; nothing is deleted."""
    indicator.is_retired = retired
    indicator.version += 1
    session.add(indicator)
    session.flush()
    record_change(session, user_id=user_id, action="retire" if retired else "restore",
                  entity=indicator, city_id=indicator.city_id, reason=reason,
                  changes={"is_retired": [not retired, retired]})


def align_to_sdg(*, session: Session, indicator: LocalIndicator, sdg_indicator: SdgIndicator,
                 relation: SdgRelation, rationale: str, user_id: int | None) -> IndicatorAlignment:
    """Align a local indicator to an SDG indicator (or change how it is aligned)."""
    link = session.exec(select(IndicatorAlignment).where(
        IndicatorAlignment.indicator_id == indicator.id,
        IndicatorAlignment.sdg_indicator_id == sdg_indicator.id)).first()
    before = [link.relation.value, link.rationale] if link else None
    link = link or IndicatorAlignment(indicator_id=saved_id(indicator),
                                      sdg_indicator_id=saved_id(sdg_indicator))
    link.relation, link.rationale = relation, rationale.strip()
    session.add(link)
    session.flush()
    record_change(session, user_id=user_id, action="align", entity=indicator,
                  city_id=indicator.city_id,
                  changes={sdg_indicator.code: [before, [relation.value, link.rationale]]})
    return link


def remove_sdg_alignment(*, session: Session, link: IndicatorAlignment,
                         user_id: int | None) -> None:
    """Remove an SDG alignment, keeping the removal in history."""
    indicator = session.get(LocalIndicator, link.indicator_id)
    sdg = session.get(SdgIndicator, link.sdg_indicator_id)
    assert indicator is not None and sdg is not None
    session.delete(link)
    session.flush()
    record_change(session, user_id=user_id, action="unalign", entity=indicator,
                  city_id=indicator.city_id, changes={sdg.code: [link.relation.value, None]})


def link_element(*, session: Session, indicator: LocalIndicator, element: PlanElement,
                 user_id: int | None) -> IndicatorElementLink:
    """Record that an indicator measures a plan element of the same city."""
    plan = session.get(Plan, element.plan_id)
    if plan is None or plan.city_id != indicator.city_id:
        raise IndicatorError(_("The plan element must belong to a plan of the same city."))
    link = session.exec(select(IndicatorElementLink).where(
        IndicatorElementLink.indicator_id == indicator.id,
        IndicatorElementLink.element_id == element.id)).first()
    if link is None:
        link = IndicatorElementLink(indicator_id=saved_id(indicator), element_id=saved_id(element))
        session.add(link)
        session.flush()
        record_change(session, user_id=user_id, action="link", entity=indicator,
                      city_id=indicator.city_id, changes={"element": [None, element.code]})
    return link


def unlink_element(*, session: Session, link: IndicatorElementLink, user_id: int | None) -> None:
    """Remove an indicator–element link, keeping the removal in history."""
    indicator = session.get(LocalIndicator, link.indicator_id)
    element = session.get(PlanElement, link.element_id)
    assert indicator is not None and element is not None
    session.delete(link)
    session.flush()
    record_change(session, user_id=user_id, action="unlink", entity=indicator,
                  city_id=indicator.city_id, changes={"element": [element.code, None]})
