"""Reads of the SDG catalogue, eager-loaded for the pages and the API."""

import re

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session

from tracker.catalogue.models import (
    FrameworkRevision,
    Goal,
    IndicatorStatus,
    IndicatorTitleChange,
    SdgIndicator,
    Target,
)

CODE_QUERY = re.compile(r"^\d{1,2}(\.(\d{1,2}|[a-z])?)?(\.\d{0,2})?$", re.IGNORECASE)


def list_goals(session: Session) -> list[Goal]:
    """List the 17 goals in order."""
    return list(session.scalars(select(Goal).order_by(Goal.number)))


def get_goal_tree(session: Session, code: str) -> Goal | None:
    """Return a goal with its targets and their indicators loaded."""
    query = (
        select(Goal)
        .where(Goal.code == code)
        .options(selectinload(Goal.targets).selectinload(Target.indicators)  # type: ignore[arg-type]
                 .selectinload(SdgIndicator.repeat_of))  # type: ignore[arg-type]
    )
    return session.scalars(query).first()


def get_target(session: Session, code: str) -> Target | None:
    """Return a target with its goal and indicators loaded."""
    query = (
        select(Target)
        .where(Target.code == code)
        .options(joinedload(Target.goal),  # type: ignore[arg-type]
                 selectinload(Target.indicators).selectinload(SdgIndicator.repeat_of))  # type: ignore[arg-type]
    )
    return session.scalars(query).first()


def get_indicator(session: Session, code: str) -> SdgIndicator | None:
    """Return an indicator with its target, goal and the indicator it repeats."""
    query = (
        select(SdgIndicator)
        .where(SdgIndicator.code == code)
        .options(joinedload(SdgIndicator.target).joinedload(Target.goal),  # type: ignore[arg-type]
                 selectinload(SdgIndicator.repeat_of))  # type: ignore[arg-type]
    )
    return session.scalars(query).first()


def list_repeats(session: Session, indicator: SdgIndicator) -> list[SdgIndicator]:
    """List the other listings of the same indicator (both directions)."""
    original_id = indicator.repeat_of_id or indicator.id
    query = (
        select(SdgIndicator)
        .where(or_(SdgIndicator.id == original_id, SdgIndicator.repeat_of_id == original_id),
               SdgIndicator.id != indicator.id)
        .order_by(SdgIndicator.sort_key)
    )
    return list(session.scalars(query))


def list_title_changes(session: Session, indicator: SdgIndicator
                       ) -> list[tuple[IndicatorTitleChange, str]]:
    """List an indicator's earlier titles with the revision that changed each."""
    query = (
        select(IndicatorTitleChange, FrameworkRevision.key)
        .join(FrameworkRevision, FrameworkRevision.id == IndicatorTitleChange.revision_id)  # type: ignore[arg-type]
        .where(IndicatorTitleChange.indicator_id == indicator.id)
        .order_by(IndicatorTitleChange.changed_at)
    )
    return [(change, key) for change, key in session.execute(query)]


def indicators_query(*, goal: str | None = None, target: str | None = None,
                     status: str | None = None) -> Select:  # type: ignore[type-arg]
    """Build the ordered query of indicators with target and goal, optionally filtered."""
    query = (
        select(SdgIndicator)
        .join(Target, Target.id == SdgIndicator.target_id)  # type: ignore[arg-type]
        .join(Goal, Goal.id == Target.goal_id)  # type: ignore[arg-type]
        .options(joinedload(SdgIndicator.target).joinedload(Target.goal),  # type: ignore[arg-type]
                 selectinload(SdgIndicator.repeat_of))  # type: ignore[arg-type]
        .order_by(SdgIndicator.sort_key)
    )
    if goal:
        query = query.where(Goal.code == goal)
    if target:
        query = query.where(Target.code == target)
    if status:
        query = query.where(SdgIndicator.status == status)
    return query


def search_catalogue(session: Session, text: str, limit: int = 100
                     ) -> tuple[list[Target], list[SdgIndicator]]:
    """Find targets and indicators by code prefix or by all the words given."""
    text = text.strip()
    if not text:
        return [], []
    if CODE_QUERY.match(text):
        t_filter = Target.code.startswith(text.lower())  # type: ignore[attr-defined]
        i_filter = SdgIndicator.code.startswith(text.lower())  # type: ignore[attr-defined]
    else:
        words = [w for w in re.split(r"\s+", text.lower()) if w][:8]
        t_filter = [func.lower(Target.title).contains(w, autoescape=True) for w in words]
        i_filter = [func.lower(SdgIndicator.title).contains(w, autoescape=True) for w in words]
    t_query = select(Target).where(*_as_list(t_filter)).options(joinedload(Target.goal))  # type: ignore[arg-type]
    targets = list(session.scalars(t_query.order_by(Target.sort_key).limit(limit)))
    i_query = indicators_query().where(*_as_list(i_filter))
    retired_last = SdgIndicator.status != IndicatorStatus.ACTIVE
    i_query = i_query.order_by(None).order_by(retired_last, SdgIndicator.sort_key).limit(limit)
    return targets, list(session.scalars(i_query))


def _as_list(clause: object) -> list:  # type: ignore[type-arg]
    """Wrap a single clause in a list."""
    return clause if isinstance(clause, list) else [clause]


def current_revision(session: Session) -> FrameworkRevision | None:
    """Return the revision marked current."""
    return session.scalars(select(FrameworkRevision).where(FrameworkRevision.is_current)).first()
