"""Sign-in, passwords and user accounts (services flush, never commit)."""

import functools
import logging

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.auth.models import Role, User
from tracker.auth.sessions import end_all_sessions, forget_session, session_is_current
from tracker.cities.models import City, Network
from tracker.db import get_session
from tracker.timeutil import utcnow

logger = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


@functools.cache
def dummy_hash(method: str) -> str:
    """A real hash to compare against when the email is unknown, so that both paths take the
    same time and response timing does not reveal which emails have accounts. Made on first
    use with the configured method, not at import (scrypt cost every process at start-up)."""
    return generate_password_hash("not-a-real-password", method=method)


class UserError(ValueError):
    """A user account could not be created or changed; the message names the field."""


def hash_password(password: str) -> str:
    """Hash a password with the configured method (scrypt unless tests choose a cheap one)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def load_user(user_id: str) -> User | None:
    """Load the signed-in user for Flask-Login; disabled users and sessions of an earlier
    generation (before a logout, password change or disabling) are signed out."""
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active or not session_is_current(user):
        forget_session()
        return None
    return user


def normalise_email(email: str) -> str:
    """Compare emails without case or surrounding spaces."""
    return email.strip().lower()


def get_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this email, if any."""
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """Return the active user whose email and password match, else None."""
    user = get_user_by_email(session, email)
    if user is None:
        check_password_hash(dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")),
                            password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    session.add(user)
    session.flush()
    return user


def check_scope(role: Role, city: City | None, network: Network | None) -> None:
    """Officers need a city; secretariats and reviewers a network; admins neither."""
    if role == Role.OFFICER and (city is None or network is not None):
        raise UserError(_("An officer needs a city (and no network)."))
    if role in (Role.SECRETARIAT, Role.REVIEWER) and (network is None or city is not None):
        raise UserError(_("A %(role)s needs a network (and no city).", role=role.value))
    if role == Role.ADMIN and (city is not None or network is not None):
        raise UserError(_("An admin holds no city or network."))


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: Role,
    name: str = "",
    city: City | None = None,
    network: Network | None = None,
    created_by: User | None = None,
) -> User:
    """Create a user with a hashed password and the scope its role needs."""
    check_scope(role, city, network)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if get_user_by_email(session, email) is not None:
        raise UserError(_("A user with the email %(email)s already exists.",
                          email=normalise_email(email)))
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        password_hash=hash_password(password),
        city_id=city.id if city else None,
        network_id=network.id if network else None,
        created_by_id=created_by.id if created_by else None,
    )
    session.add(user)
    session.flush()
    logger.info("User %s created with role %s", user.email, role.value)
    return user


def change_password(*, session: Session, user: User, current: str, new: str) -> None:
    """Change a user's own password after checking the current one."""
    if not check_password_hash(user.password_hash, current):
        raise UserError(_("The current password is not correct."))
    if len(new) < MIN_PASSWORD_LENGTH:
        raise UserError(_("The new password needs at least %(n)s characters.",
                          n=MIN_PASSWORD_LENGTH))
    user.password_hash = hash_password(new)
    session.add(user)
    end_all_sessions(session=session, user=user)


def set_active(*, session: Session, user: User, is_active: bool) -> None:
    """Enable or disable a user's login; disabling ends every session of the user."""
    user.is_active = is_active
    session.add(user)
    if is_active:
        session.flush()
    else:
        end_all_sessions(session=session, user=user)
