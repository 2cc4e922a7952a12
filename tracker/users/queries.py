"""Reads of user accounts, scoped to who is asking."""

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from tracker.auth.models import Role, User
from tracker.cities.models import NetworkMembership


def managed_users_clause(manager: User) -> ColumnElement[bool]:
    """Return a filter on User for the accounts this manager may see and change."""
    if manager.role == Role.ADMIN:
        return true()
    cities = select(NetworkMembership.city_id).where(
        NetworkMembership.network_id == manager.network_id
    )
    return or_(
        User.network_id == manager.network_id,  # type: ignore[arg-type]
        User.city_id.in_(cities),  # type: ignore[union-attr]
    )


def list_managed_users(session: Session, manager: User) -> list[User]:
    """List the accounts a manager may see, with their city and network loaded."""
    query = (
        select(User)
        .where(managed_users_clause(manager))
        .options(selectinload(User.city), selectinload(User.network))  # type: ignore[arg-type]
        .order_by(User.role, User.email)
    )
    return list(session.scalars(query))


def can_manage_user(session: Session, manager: User, user: User) -> bool:
    """May the manager disable or enable this account?"""
    if manager.id == user.id:
        return False
    query = select(User.id).where(User.id == user.id, managed_users_clause(manager))
    return session.scalars(query).first() is not None
