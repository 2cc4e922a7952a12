"""Scoped reads of the comparison: only the indicators aligned to the SDG indicators in scope
(and measuring a plan of the chosen kind), with their alignments, plan elements and counted
values — four queries however many cities (five with a plan kind), and no work on the
indicators out of scope."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import raiseload, subqueryload
from sqlmodel import Session, col

from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.compare.selection import Selection
from tracker.db import relation, saved_id
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorElementLink,
    LocalIndicator,
    SdgRelation,
)
from tracker.indicators.queries import IndicatorView, SdgLink, _element_links
from tracker.plans.models import Plan, PlanElement
from tracker.progress.queries import IndicatorData, load_counted_points


def scope_filters(sel: Selection) -> list[Any]:
    """Filters on LocalIndicator for the selection's scope (none: everything)."""
    filters = []
    aligned = (select(col(IndicatorAlignment.indicator_id))
               .join(SdgIndicator, col(SdgIndicator.id) == col(IndicatorAlignment.sdg_indicator_id))
               .join(Target, col(Target.id) == col(SdgIndicator.target_id))
               .join(Goal, col(Goal.id) == col(Target.goal_id)))
    if sel.indicators:
        filters.append(col(LocalIndicator.id).in_(
            aligned.where(col(SdgIndicator.code).in_(sel.indicators))))
    elif sel.target:
        filters.append(col(LocalIndicator.id).in_(aligned.where(col(Target.code) == sel.target)))
    elif sel.goal is not None:
        filters.append(col(LocalIndicator.id).in_(aligned.where(col(Goal.number) == sel.goal)))
    if sel.plan_kind:
        measuring = (select(col(IndicatorElementLink.indicator_id))
                     .join(PlanElement, col(PlanElement.id) == col(IndicatorElementLink.element_id))
                     .join(Plan, col(Plan.id) == col(PlanElement.plan_id))
                     .where(col(Plan.kind) == sel.plan_kind))
        filters.append(col(LocalIndicator.id).in_(measuring))
    return filters


@dataclass(frozen=True)
class Alignment:
    """The columns of an alignment the matrix reads (no ORM object: hundreds per page)."""

    indicator_id: int
    relation: SdgRelation


def sdg_links(session: Session, where: list[Any]) -> list[tuple[int, SdgLink]]:
    """Return (indicator id, SDG alignment) pairs of the matching indicators, in one query."""
    query = (select(col(IndicatorAlignment.indicator_id), col(IndicatorAlignment.relation),
                    col(SdgIndicator.code), col(SdgIndicator.title), col(Goal.number))
             .join(SdgIndicator, col(SdgIndicator.id) == col(IndicatorAlignment.sdg_indicator_id))
             .join(Target, col(Target.id) == col(SdgIndicator.target_id))
             .join(Goal, col(Goal.id) == col(Target.goal_id))
             .join(LocalIndicator, col(LocalIndicator.id) == col(IndicatorAlignment.indicator_id))
             .where(*where).order_by(col(SdgIndicator.sort_key)))
    return [(ind_id, SdgLink(Alignment(ind_id, relation), code, title, number))
            for ind_id, relation, code, title, number in session.execute(query)]


def load_views(session: Session, where: list[Any], with_elements: bool
               ) -> dict[int, IndicatorView]:
    """Return the matching indicators with their targets and alignments (and the plan
    elements they measure, when a plan kind is chosen)."""
    # subqueryload: one query however many indicators; the matrix needs no dimensions.
    query = (select(LocalIndicator).where(*where)
             .options(subqueryload(relation(LocalIndicator.targets)),
                      raiseload(relation(LocalIndicator.dimensions)))
             .order_by(col(LocalIndicator.city_id), func.lower(col(LocalIndicator.code))))
    views = {saved_id(ind): IndicatorView(ind) for ind in session.scalars(query)}
    for indicator_id, sdg in sdg_links(session, where):
        views[indicator_id].sdg_links.append(sdg)
    for indicator_id, element in _element_links(session, *where) if with_elements else ():
        views[indicator_id].elements.append(element)
    return views


def load_scoped(session: Session, city_ids: Sequence[int], sel: Selection,
                include_drafts: bool) -> dict[int, list[IndicatorData]]:
    """Return each city's in-scope active indicators with their values (by city id)."""
    where = [col(LocalIndicator.city_id).in_(city_ids),
             LocalIndicator.is_retired == False, *scope_filters(sel)]  # noqa: E712
    views = load_views(session, where, bool(sel.plan_kind))
    values, progress = load_counted_points(session, where, include_drafts)
    by_city: dict[int, list[IndicatorData]] = {city_id: [] for city_id in city_ids}
    for indicator_id, view in views.items():
        by_city[view.indicator.city_id].append(IndicatorData(
            view, dict(values.get(indicator_id, {})), dict(progress.get(indicator_id, {}))))
    return by_city
