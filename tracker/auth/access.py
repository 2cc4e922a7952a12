"""Who may read or change what. Every route asks here, server-side."""

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, false, or_, true
from sqlmodel import col, select

from tracker.auth.models import Role, User
from tracker.cities.models import City, Network, NetworkMembership
from tracker.db import get_session


def signed_in_user() -> User | None:
    """Return the signed-in user, or None for visitors."""
    return current_user if current_user.is_authenticated else None


def required_user() -> User:
    """Return the signed-in user of a view only signed-in users reach (deny() otherwise)."""
    user = signed_in_user()
    if user is None:
        deny()
    return user


def _in_network(network_id: int | None) -> ColumnElement[bool]:
    """Match cities that belong to the given network."""
    members = select(NetworkMembership.city_id).where(NetworkMembership.network_id == network_id)
    return col(City.id).in_(members)


def readable_cities_clause(user: User | None) -> ColumnElement[bool]:
    """Return a filter on City for the cities this user may read."""
    if user is None:
        return col(City.is_published) == true()
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.OFFICER:
        return or_(col(City.is_published) == true(), col(City.id) == user.city_id)
    return or_(col(City.is_published) == true(), _in_network(user.network_id))


def editable_cities_clause(user: User | None) -> ColumnElement[bool]:
    """Return a filter on City for the cities this user may change."""
    if user is None or user.role == Role.REVIEWER:
        return false()
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.OFFICER:
        return col(City.id) == user.city_id
    return _in_network(user.network_id)


def _city_matches(city: City, clause: ColumnElement[bool]) -> bool:
    """Check one city against a visibility clause in the database."""
    query = select(col(City.id)).where(City.id == city.id, clause)
    return get_session().exec(query).first() is not None


def can_read_city(user: User | None, city: City) -> bool:
    """May this user read the city's profile and published data?"""
    if city.is_published or (user and user.role == Role.ADMIN):
        return True
    return _city_matches(city, readable_cities_clause(user))


def readable_parent(user: User | None, city: City) -> City | None:
    """Return the city's parent area if this user may read it, else None: an unpublished
    parent is never named to those who may not read it."""
    parent = city.parent
    return parent if parent is not None and can_read_city(user, parent) else None


def visible_parent(city: City) -> City | None:
    """Return the city's parent area if the signed-in user (or visitor) may read it."""
    return readable_parent(signed_in_user(), city)


def can_read_city_internals(user: User | None, city: City) -> bool:
    """May this user see the city's drafts, people and history (a login with a role)?"""
    if user is None:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.OFFICER:
        return user.city_id == city.id
    return _city_matches(city, _in_network(user.network_id))


def can_edit_city(user: User | None, city: City) -> bool:
    """May this user change the city's profile and data?"""
    if user is None or user.role == Role.REVIEWER:
        return False
    return user.role == Role.ADMIN or _city_matches(city, editable_cities_clause(user))


def can_manage_network(user: User | None, network: Network) -> bool:
    """May this user manage the network (its cities, approvals, reports)?"""
    if user is None:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.SECRETARIAT and user.network_id == network.id


def can_enter_values(user: User | None, city: City) -> bool:
    """May this user enter the city's values on the period form (its officers, admins)?"""
    if user is None:
        return False
    return user.role == Role.ADMIN or (user.role == Role.OFFICER and user.city_id == city.id)


def can_review(user: User | None, city: City) -> bool:
    """May this user approve, return and unlock the city's values (admins, and the
    secretariats of the city's networks)?"""
    if user is None or user.role not in (Role.ADMIN, Role.SECRETARIAT):
        return False
    return user.role == Role.ADMIN or _city_matches(city, _in_network(user.network_id))


def can_watch_network(user: User | None, network: Network) -> bool:
    """May this user follow the network's completeness (its secretariat and reviewers,
    and admins)?"""
    if user is None:
        return False
    return can_manage_network(user, network) or (
        user.role == Role.REVIEWER and user.network_id == network.id)


def can_create_city(user: User | None) -> bool:
    """May this user add cities (admins, and secretariats into their network)?"""
    return user is not None and user.role in (Role.ADMIN, Role.SECRETARIAT)


def can_create_network(user: User | None) -> bool:
    """May this user add networks (admins only)?"""
    return user is not None and user.role == Role.ADMIN


def can_manage_users(user: User | None) -> bool:
    """May this user add or disable users (admins, and secretariats for their network)?"""
    return user is not None and user.role in (Role.ADMIN, Role.SECRETARIAT)


def deny() -> NoReturn:
    """Send visitors to sign in; refuse signed-in users with 403."""
    if signed_in_user() is None:
        from tracker.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)


def require_roles(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow the view only to signed-in users holding one of the roles (403 otherwise)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = signed_in_user()
            if user is None or user.role not in roles:
                deny()
            return view(*args, **kwargs)

        return wrapped

    return decorator
