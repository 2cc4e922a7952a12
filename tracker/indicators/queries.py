"""Reads of a city's local indicators, eager-loaded for the list, detail and picker pages."""

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from tracker.audit.models import AuditEvent
from tracker.auth.models import User
from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.cities.models import City
from tracker.db import relation
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorElementLink,
    LocalIndicator,
    SdgRelation,
)
from tracker.plans.models import Plan, PlanElement


class AlignmentFields(Protocol):
    """What views read of an alignment: the ORM row, or only its columns (the comparison)."""

    @property
    def indicator_id(self) -> int: ...

    @property
    def relation(self) -> SdgRelation: ...


@dataclass
class SdgLink:
    """An SDG alignment with the SDG indicator's code, title and goal."""

    link: AlignmentFields
    code: str
    title: str
    goal_number: int


@dataclass
class ElementLink:
    """A measured plan element with its plan."""

    link: IndicatorElementLink
    element: PlanElement
    plan: Plan


@dataclass
class IndicatorView:
    """An indicator with its SDG alignments and the plan elements it measures."""

    indicator: LocalIndicator
    sdg_links: list[SdgLink] = field(default_factory=list)
    elements: list[ElementLink] = field(default_factory=list)


def _indicators(city: City) -> SelectOfScalar[LocalIndicator]:
    """Build the query of a city's indicators with their targets and dimensions."""
    return (select(LocalIndicator)
            .where(LocalIndicator.city_id == city.id)
            .options(selectinload(relation(LocalIndicator.targets)),
                     selectinload(relation(LocalIndicator.dimensions))))


def get_indicator(session: Session, city: City, code: str) -> LocalIndicator | None:
    """Return a city's indicator by code (codes are unique whatever their case)."""
    query = _indicators(city).where(func.lower(LocalIndicator.code) == code.lower())
    return session.scalars(query).first()


def _sdg_links(session: Session, *where: ColumnElement[bool]) -> list[tuple[int, SdgLink]]:
    """Return (indicator id, SDG alignment) pairs matching the filters, in code order."""
    query = (select(IndicatorAlignment, SdgIndicator.code, SdgIndicator.title, Goal.number)
             .join(SdgIndicator, col(SdgIndicator.id) == IndicatorAlignment.sdg_indicator_id)
             .join(Target, col(Target.id) == SdgIndicator.target_id)
             .join(Goal, col(Goal.id) == Target.goal_id)
             .join(LocalIndicator, col(LocalIndicator.id) == IndicatorAlignment.indicator_id)
             .where(*where).order_by(col(SdgIndicator.sort_key)))
    return [(link.indicator_id, SdgLink(link, code, title, number))
            for link, code, title, number in session.execute(query)]


def _element_links(session: Session, *where: ColumnElement[bool]
                   ) -> list[tuple[int, ElementLink]]:
    """Return (indicator id, measured element) pairs matching the filters, by plan and code."""
    query = (select(IndicatorElementLink, PlanElement, Plan)
             .join(PlanElement, col(PlanElement.id) == IndicatorElementLink.element_id)
             .join(Plan, col(Plan.id) == PlanElement.plan_id)
             .join(LocalIndicator, col(LocalIndicator.id) == IndicatorElementLink.indicator_id)
             .where(*where)
             .order_by(func.lower(Plan.title), col(Plan.id), col(PlanElement.code)))
    return [(link.indicator_id, ElementLink(link, element, plan))
            for link, element, plan in session.execute(query)]


def list_indicators(session: Session, city: City, include_retired: bool = False
                    ) -> list[IndicatorView]:
    """List a city's indicators by code with everything the list shows, in five queries."""
    where = [col(LocalIndicator.city_id) == city.id]
    if not include_retired:
        where.append(col(LocalIndicator.is_retired) == False)  # noqa: E712
    query = _indicators(city).where(*where).order_by(func.lower(LocalIndicator.code))
    views = {ind.id: IndicatorView(ind) for ind in session.scalars(query)}
    for indicator_id, sdg in _sdg_links(session, *where):
        views[indicator_id].sdg_links.append(sdg)
    for indicator_id, element in _element_links(session, *where):
        views[indicator_id].elements.append(element)
    return list(views.values())


def count_retired(session: Session, city: City) -> int:
    """Count a city's retired indicators."""
    query = select(func.count()).where(LocalIndicator.city_id == city.id,
                                       LocalIndicator.is_retired == True)  # noqa: E712
    return session.scalar(query) or 0


def view_indicator(session: Session, indicator: LocalIndicator) -> IndicatorView:
    """Return one indicator with its SDG alignments and measured elements."""
    where = col(LocalIndicator.id) == indicator.id
    return IndicatorView(indicator, [s for _, s in _sdg_links(session, where)],
                         [e for _, e in _element_links(session, where)])


def list_history(session: Session, indicator: LocalIndicator
                 ) -> list[tuple[AuditEvent, User | None]]:
    """List the recorded changes to an indicator, newest first, with who made them."""
    query = (select(AuditEvent, User)
             .outerjoin(User, col(User.id) == AuditEvent.user_id)
             .where(AuditEvent.entity_type == LocalIndicator.__name__,
                    AuditEvent.entity_id == indicator.id)
             .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()))
    return [(event, user) for event, user in session.execute(query)]


def get_city_element(session: Session, city: City, element_id: int) -> PlanElement | None:
    """Return a current element of one of the city's plans."""
    query = (select(PlanElement).join(Plan, col(Plan.id) == PlanElement.plan_id)
             .where(PlanElement.id == element_id, Plan.city_id == city.id,
                    PlanElement.is_retired == False))  # noqa: E712
    return session.scalars(query).first()


def get_sdg_link(session: Session, indicator: LocalIndicator, link_id: int
                 ) -> IndicatorAlignment | None:
    """Return one of this indicator's SDG alignments."""
    link = session.get(IndicatorAlignment, link_id)
    return link if link is not None and link.indicator_id == indicator.id else None


def get_element_link(session: Session, indicator: LocalIndicator, link_id: int
                     ) -> IndicatorElementLink | None:
    """Return one of this indicator's element links."""
    link = session.get(IndicatorElementLink, link_id)
    return link if link is not None and link.indicator_id == indicator.id else None


def get_sdg_indicator(session: Session, code: str) -> SdgIndicator | None:
    """Return the SDG indicator with this code."""
    return session.scalars(select(SdgIndicator).where(SdgIndicator.code == code.strip())).first()
