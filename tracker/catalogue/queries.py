"""Reads of the SDG catalogue, eager-loaded for the pages and the API."""

import re

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, col

from tracker.catalogue.models import (
    FrameworkRevision,
    Goal,
    IndicatorStatus,
    IndicatorTitleChange,
    SdgIndicator,
    Target,
)
from tracker.db import relation

CODE_QUERY = re.compile(r"^\d{1,2}(\.(\d{1,2}|[a-z])?)?(\.\d{0,2})?$", re.IGNORECASE)


def list_goals(session: Session) -> list[Goal]:
    """List the 17 goals in order."""
    return list(session.scalars(select(Goal).order_by(col(Goal.number))))


def get_goal_tree(session: Session, code: str) -> Goal | None:
    """Return a goal with its targets and their indicators loaded."""
    query = (
        select(Goal)
        .where(col(Goal.code) == code)
        .options(selectinload(relation(Goal.targets)).selectinload(relation(Target.indicators))
                 .selectinload(relation(SdgIndicator.repeat_of)))
    )
    return session.scalars(query).first()


def get_target(session: Session, code: str) -> Target | None:
    """Return a target with its goal and indicators loaded."""
    query = (
        select(Target)
        .where(col(Target.code) == code)
        .options(joinedload(relation(Target.goal)),
                 selectinload(relation(Target.indicators)).selectinload(relation(SdgIndicator.repeat_of)))
    )
    return session.scalars(query).first()


def get_indicator(session: Session, code: str) -> SdgIndicator | None:
    """Return an indicator with its target, goal and the indicator it repeats."""
    query = (
        select(SdgIndicator)
        .where(col(SdgIndicator.code) == code)
        .options(joinedload(relation(SdgIndicator.target)).joinedload(relation(Target.goal)),
                 selectinload(relation(SdgIndicator.repeat_of)))
    )
    return session.scalars(query).first()


def list_repeats(session: Session, indicator: SdgIndicator) -> list[SdgIndicator]:
    """List the other listings of the same indicator (both directions)."""
    original_id = indicator.repeat_of_id or indicator.id
    query = (
        select(SdgIndicator)
        .where(or_(col(SdgIndicator.id) == original_id,
                   col(SdgIndicator.repeat_of_id) == original_id),
               col(SdgIndicator.id) != indicator.id)
        .order_by(col(SdgIndicator.sort_key))
    )
    return list(session.scalars(query))


def list_title_changes(session: Session, indicator: SdgIndicator
                       ) -> list[tuple[IndicatorTitleChange, str]]:
    """List an indicator's earlier titles with the revision that changed each."""
    query = (
        select(IndicatorTitleChange, col(FrameworkRevision.key))
        .join(FrameworkRevision, col(FrameworkRevision.id) == col(IndicatorTitleChange.revision_id))
        .where(col(IndicatorTitleChange.indicator_id) == indicator.id)
        .order_by(col(IndicatorTitleChange.changed_at))
    )
    return [(change, key) for change, key in session.execute(query)]


def indicators_query(*, goal: str | None = None, target: str | None = None,
                     status: str | None = None) -> Select[SdgIndicator]:
    """Build the ordered query of indicators with target and goal, optionally filtered."""
    query = (
        select(SdgIndicator)
        .join(Target, col(Target.id) == col(SdgIndicator.target_id))
        .join(Goal, col(Goal.id) == col(Target.goal_id))
        .options(joinedload(relation(SdgIndicator.target)).joinedload(relation(Target.goal)),
                 selectinload(relation(SdgIndicator.repeat_of)))
        .order_by(col(SdgIndicator.sort_key))
    )
    if goal:
        query = query.where(col(Goal.code) == goal)
    if target:
        query = query.where(col(Target.code) == target)
    if status:
        query = query.where(col(SdgIndicator.status) == status)
    return query


def search_catalogue(session: Session, text: str, limit: int = 100
                     ) -> tuple[list[Target], list[SdgIndicator]]:
    """Find targets and indicators by code prefix or by all the words given."""
    text = text.strip()
    if not text:
        return [], []
    t_filter: list[ColumnElement[bool]]
    i_filter: list[ColumnElement[bool]]
    if CODE_QUERY.match(text):
        t_filter = [col(Target.code).startswith(text.lower())]
        i_filter = [col(SdgIndicator.code).startswith(text.lower())]
    else:
        words = [w for w in re.split(r"\s+", text.lower()) if w][:8]
        t_filter = [func.lower(col(Target.title)).contains(w, autoescape=True) for w in words]
        i_filter = [func.lower(col(SdgIndicator.title)).contains(w, autoescape=True)
                    for w in words]
    t_query = select(Target).where(*t_filter).options(joinedload(relation(Target.goal)))
    targets = list(session.scalars(t_query.order_by(col(Target.sort_key)).limit(limit)))
    retired_last = col(SdgIndicator.status) != IndicatorStatus.ACTIVE
    i_query = (indicators_query().where(*i_filter).order_by(None)
               .order_by(retired_last, col(SdgIndicator.sort_key)).limit(limit))
    return targets, list(session.scalars(i_query))


def current_revision(session: Session) -> FrameworkRevision | None:
    """Return the revision marked current."""
    query = select(FrameworkRevision).where(col(FrameworkRevision.is_current))
    return session.scalars(query).first()
