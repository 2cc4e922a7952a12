"""Reads of networks and cities, filtered by who is asking and eager-loaded for templates."""

from typing import Any

import pycountry
from sqlalchemy import ColumnElement, Select, and_, func, or_, true
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption
from sqlmodel import Session, col, select

from tracker.auth.access import readable_cities_clause
from tracker.auth.models import User
from tracker.cities.models import City, Network, NetworkMembership
from tracker.db import relation


def _with_networks() -> LoaderOption:
    """Loader option: each city's memberships and their networks, in one extra query each."""
    return selectinload(relation(City.memberships)).selectinload(
        relation(NetworkMembership.network))


def list_cities(session: Session, user: User | None) -> list[City]:
    """List the cities this user may read, with networks and parent area loaded."""
    query = (
        select(City)
        .where(readable_cities_clause(user))
        .options(_with_networks(), selectinload(relation(City.parent)))
        .order_by(func.lower(City.name))
    )
    return list(session.scalars(query))


def countries_named(text: str) -> list[str]:
    """Return the codes of the countries whose name (or code) holds this text."""
    needle = text.casefold()
    return [c.alpha_2 for c in pycountry.countries
            if needle in c.name.casefold() or needle == c.alpha_2.casefold()]


def city_filter(q: str = "", country: str = "") -> ColumnElement[bool]:
    """Return a filter on City: the name (or its country's name) holds `q`, in `country`."""
    clauses: list[ColumnElement[bool]] = []
    if q.strip():
        text = q.strip().lower()
        clauses.append(or_(func.lower(col(City.name)).contains(text, autoescape=True),
                           col(City.country_code).in_(countries_named(text))))
    if country:
        clauses.append(col(City.country_code) == country)
    return and_(true(), *clauses)


def search_cities(user: User | None, q: str = "", country: str = "") -> Select[Any]:
    """Select the readable cities matching the search, by name, with networks and parent
    area loaded (page it: it never runs for every city at once)."""
    return (select(City)
            .where(readable_cities_clause(user), city_filter(q, country))
            .options(_with_networks(), selectinload(relation(City.parent)))
            .order_by(func.lower(City.name), col(City.id)))


def list_city_countries(session: Session, user: User | None,
                        network: Network | None = None) -> list[str]:
    """List the codes of the countries of the readable cities (of a network's members)."""
    query = select(City.country_code).where(readable_cities_clause(user)).distinct()
    if network is not None:
        query = query.where(col(City.id).in_(_members(network)))
    return sorted(session.scalars(query))


def search_network_cities(network: Network, user: User | None, q: str = "",
                          country: str = "") -> Select[Any]:
    """Select the network's readable member cities matching the search, by name."""
    return (select(City)
            .where(col(City.id).in_(_members(network)), readable_cities_clause(user),
                   city_filter(q, country))
            .options(selectinload(relation(City.parent)))
            .order_by(func.lower(City.name), col(City.id)))


def _members(network: Network) -> Select[Any]:
    """Select the ids of the network's member cities."""
    return select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)


def get_city(session: Session, slug: str) -> City | None:
    """Return the city with this slug (the one city query every city-scoped route uses)."""
    return session.scalars(select(City).where(City.slug == slug)).first()


def list_child_areas(session: Session, city: City, user: User | None) -> list[City]:
    """List the readable areas whose parent is this city."""
    query = select(City).where(City.parent_id == city.id, readable_cities_clause(user))
    return list(session.scalars(query.order_by(func.lower(City.name))))


def list_networks(session: Session) -> list[tuple[Network, int]]:
    """List networks with their number of member cities."""
    count = func.count(col(NetworkMembership.id))
    query = (
        select(Network, count)
        .outerjoin(NetworkMembership, col(NetworkMembership.network_id) == Network.id)
        .group_by(col(Network.id))
        .order_by(Network.name)
    )
    return [(network, n) for network, n in session.execute(query)]


def get_network(session: Session, slug: str) -> Network | None:
    """Return the network with this slug."""
    return session.scalars(select(Network).where(Network.slug == slug)).first()


def list_network_cities(session: Session, network: Network, user: User | None) -> list[City]:
    """List the network's member cities this user may read."""
    members = select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)
    query = (
        select(City)
        .where(col(City.id).in_(members), readable_cities_clause(user))
        .options(selectinload(relation(City.parent)))
        .order_by(func.lower(City.name))
    )
    return list(session.scalars(query))


def list_non_member_cities(session: Session, network: Network) -> list[City]:
    """List cities that are not members of the network (for the admin's add form)."""
    members = select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)
    query = select(City).where(col(City.id).not_in(members)).order_by(func.lower(City.name))
    return list(session.scalars(query))
