"""Session generations: every browser session of a user ends when the user's generation moves.

The signed session cookie cannot be revoked by itself (it stays valid as long as the secret
key), so it carries the generation it was signed in under; the user loader accepts it only
while that is still the user's generation. Logout, a password change and disabling the user
move the generation on, which ends every session of that user, on every device.
"""

from flask import session as cookie_session
from flask_login import login_user, logout_user
from sqlmodel import Session

from tracker.auth.models import User

GENERATION_KEY = "_generation"
# What Flask-Login keeps in the cookie about the signed-in user (0.6).
_LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds", GENERATION_KEY)


def start_session(user: User) -> None:
    """Sign the user in for this browser, under the user's current generation."""
    login_user(user)
    keep_session(user)


def keep_session(user: User) -> None:
    """Keep this browser signed in after the user's generation moved (own password change)."""
    cookie_session[GENERATION_KEY] = user.session_generation


def session_is_current(user: User) -> bool:
    """Was this browser signed in under the user's current generation?"""
    return cookie_session.get(GENERATION_KEY) == user.session_generation


def forget_session() -> None:
    """Drop a refused session's sign-in from the cookie (the loader must not recurse)."""
    for key in _LOGIN_KEYS:
        cookie_session.pop(key, None)


def end_all_sessions(*, session: Session, user: User) -> None:
    """Move the user's generation on, ending every session signed in before (flush only)."""
    # Incremented in SQL: two concurrent moves both count, and neither can be lost.
    user.session_generation = User.session_generation + 1
    session.add(user)
    session.flush()
    session.refresh(user, ["session_generation"])


def sign_out_everywhere(*, session: Session, user: User) -> None:
    """Sign the user out of this browser and of every other one."""
    end_all_sessions(session=session, user=user)
    logout_user()
    cookie_session.pop(GENERATION_KEY, None)
