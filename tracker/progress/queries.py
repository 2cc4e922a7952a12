"""Reads for the progress engine: cities' indicators with their targets, SDG alignments and
plan elements, and their values — in a fixed number of queries however many cities."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, func, or_, select
from sqlalchemy.orm import defer, raiseload, subqueryload
from sqlmodel import Session, col

from tracker.cities.models import City
from tracker.data.models import Observation, ObservationStatus
from tracker.db import relation, saved_id
from tracker.indicators.models import LocalIndicator
from tracker.indicators.queries import IndicatorView, _element_links, _sdg_links
from tracker.plans.models import Plan, PlanElement

Point = tuple[int, int, float]  # (fiscal year, quarter (0 = the year), value)


@dataclass
class IndicatorData:
    """An indicator, its alignments and its values by breakdown key ("" = the total); `progress`
    holds the values of Open SDG's Progress column, by breakdown key, where a row has one."""

    view: IndicatorView
    series: dict[str, list[Point]] = field(default_factory=dict)
    progress: dict[str, list[Point]] = field(default_factory=dict)

    @property
    def indicator(self) -> LocalIndicator:
        """The local indicator itself."""
        return self.view.indicator


def counted_statuses(include_drafts: bool) -> list[ObservationStatus]:
    """Approved values count; drafts, submitted and returned ones only when asked for."""
    if include_drafts:
        return list(ObservationStatus)
    return [ObservationStatus.APPROVED]


def load_indicators(session: Session, city_ids: Sequence[int]) -> dict[int, IndicatorView]:
    """Return the active indicators of these cities with their links, in four queries."""
    where: list[ColumnElement[bool]] = [col(LocalIndicator.city_id).in_(city_ids),
                                        col(LocalIndicator.is_retired) == False]  # noqa: E712
    # subqueryload: one query however many indicators (selectinload sends one per 500).
    # Progress needs no dimensions (the series carry their breakdown keys): never load them;
    # nor an imported repository's metadata, which can run to kilobytes per indicator.
    query = (select(LocalIndicator).where(*where)
             .options(subqueryload(relation(LocalIndicator.targets)),
                      raiseload(relation(LocalIndicator.dimensions)),
                      defer(relation(LocalIndicator.source_meta)))
             .order_by(col(LocalIndicator.city_id), func.lower(LocalIndicator.code)))
    views = {saved_id(ind): IndicatorView(ind) for ind in session.scalars(query)}
    for indicator_id, sdg in _sdg_links(session, *where):
        views[indicator_id].sdg_links.append(sdg)
    for indicator_id, element in _element_links(session, *where):
        views[indicator_id].elements.append(element)
    return views


ValuesByKey = dict[int, dict[str, list[Point]]]


def load_counted_points(session: Session, where: Sequence[ColumnElement[bool]],
                        include_drafts: bool
                        ) -> tuple[ValuesByKey, ValuesByKey]:
    """Return the counted values, and the values of Open SDG's Progress column, of the
    indicators matching `where`, by indicator and breakdown, in one query; deleted values
    never count."""
    # The engine computes in floats: let the database convert (exact decimals would cost
    # a Decimal per value only to be turned into a float).
    query = (select(col(Observation.indicator_id), col(Observation.breakdown_key),
                    col(Observation.year), col(Observation.quarter),
                    cast(Observation.value, Float), cast(Observation.progress_value, Float))
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .where(*where, col(Observation.is_deleted) == False,  # noqa: E712
                    or_(col(Observation.value).is_not(None),
                        col(Observation.progress_value).is_not(None)),
                    col(Observation.status).in_(counted_statuses(include_drafts)))
             .order_by(col(Observation.indicator_id), col(Observation.year),
                       col(Observation.quarter)))
    values: ValuesByKey = {}
    progress: ValuesByKey = {}
    for indicator_id, key, year, quarter, value, progress_value in session.execute(query):
        series = values.setdefault(indicator_id, {}).setdefault(key, [])
        if value is not None:
            series.append((year, quarter, value))
        if progress_value is not None:
            progress.setdefault(indicator_id, {}).setdefault(key, []).append(
                (year, quarter, progress_value))
    return values, progress


def load_values(session: Session, city_ids: Sequence[int], include_drafts: bool
                ) -> tuple[ValuesByKey, ValuesByKey]:
    """Return the counted values (and Progress values) of these cities' active indicators."""
    where = [col(LocalIndicator.city_id).in_(city_ids),
             col(LocalIndicator.is_retired) == False]  # noqa: E712
    return load_counted_points(session, where, include_drafts)


def load_progress_data(session: Session, cities: Sequence[City], include_drafts: bool = False
                       ) -> dict[int, list[IndicatorData]]:
    """Return each city's indicators with their values (keyed by city id), in five queries."""
    city_ids = [c.id for c in cities if c.id is not None]
    views = load_indicators(session, city_ids)
    values, progress = load_values(session, city_ids, include_drafts) if views else ({}, {})
    by_city: dict[int, list[IndicatorData]] = {city_id: [] for city_id in city_ids}
    for indicator_id, view in views.items():
        series: dict[str, Any] = values.get(indicator_id, {})
        by_city[view.indicator.city_id].append(
            IndicatorData(view, dict(series), dict(progress.get(indicator_id, {}))))
    return by_city


def load_element_parents(session: Session, city_ids: Sequence[int]) -> dict[int, int | None]:
    """Return every plan element's parent (None at the top) for these cities, in one query."""
    query = (select(col(PlanElement.id), col(PlanElement.parent_id)).join(Plan)
             .where(col(Plan.city_id).in_(city_ids)))
    # .all(): a Result has keys(), so dict() would take the Result itself for a mapping.
    return dict(session.execute(query).all())
