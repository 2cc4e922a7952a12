"""Reads of user accounts, scoped to who is asking."""

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from tracker.auth.models import Role, User
from tracker.cities.models import NetworkMembership
from tracker.db import relation


def managed_users_clause(manager: User) -> ColumnElement[bool]:
    """Return a filter on User for the accounts this manager may see and change."""
    if manager.role == Role.ADMIN:
        return true()
    cities = select(NetworkMembership.city_id).where(
        NetworkMembership.network_id == manager.network_id
    )
    return or_(
        col(User.network_id) == manager.network_id,
        col(User.city_id).in_(cities),
    )


def list_managed_users(session: Session, manager: User) -> list[User]:
    """List the accounts a manager may see, with their city and network loaded."""
    query = (
        select(User)
        .where(managed_users_clause(manager))
        .options(selectinload(relation(User.city)), selectinload(relation(User.network)))
        .order_by(User.role, User.email)
    )
    return list(session.scalars(query))


def can_manage_user(session: Session, manager: User, user: User) -> bool:
    """May the manager disable or enable this account?"""
    if manager.id == user.id:
        return False
    query = select(col(User.id)).where(User.id == user.id, managed_users_clause(manager))
    return session.scalars(query).first() is not None
