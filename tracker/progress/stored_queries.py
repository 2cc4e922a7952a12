"""Reads of stored progress for the network page: a page of member cities with their stored
statuses (one query) and the network's freshness (one aggregate query, one of stale ids)."""

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlmodel import Session, col

from tracker.auth.access import readable_cities_clause
from tracker.auth.models import User
from tracker.cities.models import City, Network, NetworkMembership
from tracker.paging import Page
from tracker.progress.services import CityProgress
from tracker.progress.stored import is_stale, with_results
from tracker.progress.stored_models import StoredCityProgress

PAGE_SIZE = 100
GOALS = range(1, 18)


@dataclass
class NetworkRow:
    """A city's line on the network grid: its overall status and each goal's (None: no
    indicator aligned); `pending` when nothing is stored yet, `stale` when being recomputed."""

    name: str
    slug: str
    overall: str | None
    goals: dict[int, str | None]
    stale: bool = False
    pending: bool = False


@dataclass
class Freshness:
    """How current a network's stored progress is."""

    cities: int
    stale: int
    stale_ids: list[int] = field(default_factory=list)


def member_cities(network: Network, user: User | None) -> Select[Any]:
    """The filter of a network's member cities this user may read, as a query of ids."""
    members = select(col(NetworkMembership.city_id)).where(
        col(NetworkMembership.network_id) == network.id)
    return select(col(City.id)).where(col(City.id).in_(members), readable_cities_clause(user))


def freshness(session: Session, network: Network, user: User | None) -> Freshness:
    """Count the network's cities and the stale ones (one query) and list the stale ids."""
    ids = member_cities(network, user).subquery()
    base = with_results(select(func.count(), func.sum(case((is_stale(), 1), else_=0))))
    total, stale = session.execute(base.where(col(City.id).in_(select(ids)))).one()
    stale_ids: list[int] = []
    if stale:
        query = with_results(select(col(City.id))).where(col(City.id).in_(select(ids)),
                                                         is_stale())
        stale_ids = list(session.scalars(query))
    return Freshness(total, stale or 0, stale_ids)


def page_of(freshness_: Freshness, page: int) -> Page:
    """The page asked for among those the network's cities fill (past the end: the last)."""
    pages = max(1, math.ceil(freshness_.cities / PAGE_SIZE))
    return Page(min(page, pages), pages, freshness_.cities, PAGE_SIZE)


def stored_rows(session: Session, network: Network, user: User | None, page: int
                ) -> tuple[list[NetworkRow], datetime | None]:
    """A page of the network's cities by name with their stored statuses, and the oldest
    computation shown, in one query."""
    query = with_results(select(col(City.name), col(City.slug), StoredCityProgress,
                                is_stale())).where(
        col(City.id).in_(member_cities(network, user)))
    query = query.order_by(func.lower(City.name), col(City.id)).limit(PAGE_SIZE).offset(
        (page - 1) * PAGE_SIZE)
    rows, times = [], []
    for name, slug, stored, stale in session.execute(query):
        rows.append(stored_row(name, slug, stored, bool(stale)))
        if stored is not None:
            times.append(stored.computed_at)
    return rows, min(times, default=None)


def stored_row(name: str, slug: str, stored: StoredCityProgress | None, stale: bool
               ) -> NetworkRow:
    """A grid line from a city's stored results."""
    if stored is None:
        return NetworkRow(name, slug, None, dict.fromkeys(GOALS), stale=True, pending=True)
    goals = {n: stored.goals[str(n)][0] if str(n) in stored.goals else None for n in GOALS}
    return NetworkRow(name, slug, stored.status, goals, stale=stale)


def live_row(progress: CityProgress) -> NetworkRow:
    """A grid line computed now (values with drafts are never stored)."""
    goals = {n: progress.goals[n].status if n in progress.goals else None for n in GOALS}
    return NetworkRow(progress.city.name, progress.city.slug, progress.overall.status, goals)
