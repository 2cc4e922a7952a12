"""Reads of the comparison: the cities a viewer may compare, the indicators whose counted
values include unapproved ones, and the catalogue titles of the rows — each in one query."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, false, select, true
from sqlmodel import Session, col

from tracker.auth.models import Role, User
from tracker.catalogue.models import Goal, SdgIndicator, Target
from tracker.cities.models import City, Network, NetworkMembership
from tracker.data.models import Observation, ObservationStatus, PeriodKind
from tracker.indicators.models import LocalIndicator

MAX_CITIES = 60  # a permalink cannot ask for the whole database


@dataclass(frozen=True)
class SdgRow:
    """An SDG indicator with its target and goal, as the matrix groups them."""

    code: str
    title: str
    sort_key: str
    target_code: str
    target_title: str
    goal_number: int
    goal_title: str


def internals_clause(user: User | None) -> ColumnElement[bool]:
    """Match the cities whose drafts this user may see (as can_read_city_internals)."""
    if user is None:
        return false()
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.OFFICER:
        return col(City.id) == user.city_id
    members = select(col(NetworkMembership.city_id)).where(
        col(NetworkMembership.network_id) == user.network_id)
    return col(City.id).in_(members)


def load_cities(session: Session, readable: ColumnElement[bool], user: User | None,
                slugs: Sequence[str], network: str | None) -> list[tuple[City, bool]]:
    """Return the named (or the network's) cities the viewer may read, in the order asked,
    each with whether the viewer may see its drafts; unreadable ones are simply absent."""
    if not slugs and not network:
        return []
    where = [readable]
    if slugs:
        where.append(col(City.slug).in_(list(slugs)[:MAX_CITIES]))
    if network:
        members = (select(col(NetworkMembership.city_id)).join(Network)
                   .where(col(Network.slug) == network))
        where.append(col(City.id).in_(members))
    internal = case((internals_clause(user), True), else_=False)
    query = select(City, internal).where(and_(*where)).order_by(col(City.name)).limit(MAX_CITIES)
    rows = [(city, bool(flag)) for city, flag in session.execute(query)]
    if slugs:
        order = {slug: n for n, slug in enumerate(slugs)}
        rows.sort(key=lambda row: order.get(row[0].slug, len(order)))
    return rows


def unapproved_indicator_ids(session: Session, city_ids: Sequence[int]) -> set[int]:
    """Return the indicators of these cities with a counted value that is not approved."""
    if not city_ids:
        return set()
    query = (select(col(Observation.indicator_id)).distinct()
             .join(LocalIndicator, col(LocalIndicator.id) == col(Observation.indicator_id))
             .where(col(LocalIndicator.city_id).in_(city_ids),
                    col(Observation.is_deleted) == False,  # noqa: E712
                    col(Observation.value).is_not(None),
                    col(Observation.status) != ObservationStatus.APPROVED))
    return set(session.scalars(query))


def split_year_labels(session: Session, city_ids: Sequence[int]) -> dict[tuple[int, int], str]:
    """Return the labels of the split years ("2015-16") these cities' sources wrote, by
    (indicator id, year): such a value is a fiscal year's whatever the indicator's calendar."""
    if not city_ids:
        return {}
    query = (select(col(Observation.indicator_id), col(Observation.year),
                    col(Observation.period_label))
             .join(LocalIndicator, col(LocalIndicator.id) == col(Observation.indicator_id))
             .where(col(LocalIndicator.city_id).in_(city_ids),
                    col(Observation.period_kind) == PeriodKind.SPLIT_YEAR,
                    col(Observation.is_deleted) == False))  # noqa: E712
    return {(indicator_id, year): label for indicator_id, year, label in session.execute(query)}


def load_sdg_rows(session: Session, codes: Iterable[str]) -> dict[str, SdgRow]:
    """Return the catalogue entries of these SDG indicator codes with target and goal."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    query = (select(col(SdgIndicator.code), col(SdgIndicator.title), col(SdgIndicator.sort_key),
                    col(Target.code), col(Target.title), col(Goal.number),
                    col(Goal.short_title))
             .join(Target, col(Target.id) == col(SdgIndicator.target_id))
             .join(Goal, col(Goal.id) == col(Target.goal_id))
             .where(col(SdgIndicator.code).in_(codes)))
    return {row[0]: SdgRow(*row) for row in session.execute(query)}


def list_choices(session: Session, readable: ColumnElement[bool]
                 ) -> tuple[list[City], list[Network], list[Goal]]:
    """Return the readable cities, the networks and the goals for the selection form."""
    cities = list(session.scalars(select(City).where(readable).order_by(col(City.name))))
    networks = list(session.scalars(select(Network).order_by(col(Network.name))))
    goals = list(session.scalars(select(Goal).order_by(col(Goal.number))))
    return cities, networks, goals
