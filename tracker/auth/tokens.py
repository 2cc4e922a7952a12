"""Personal API tokens (services flush, never commit) and bearer authentication of the API.

Only a token's SHA-256 is stored: the plain token is shown once, when it is created. The
API accepts `Authorization: Bearer <token>`; such requests skip the CSRF check (browsers never
send the header by themselves), while cookie-authenticated API POSTs still need a CSRF token.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from tracker.auth.models import ApiToken, Role, User
from tracker.db import get_session, saved_id
from tracker.errors import DomainError
from tracker.extensions import csrf
from tracker.timeutil import utcnow
from tracker.unit_of_work import expect_write_on_read

TOKEN_PREFIX = "sdgt_"
SHOWN_PREFIX_LENGTH = 12  # "sdgt_" and 7 random characters, so people can tell tokens apart
# Recording every use would write on every API request; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
API_BLUEPRINT = "api"


class TokenError(DomainError):
    """A token could not be created or revoked; the message says why."""


def hash_token(token: str) -> str:
    """Return the SHA-256 (hex) of a plain token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, session: Session, user: User, name: str,
                 lifetime: timedelta | None = None) -> tuple[ApiToken, str]:
    """Create a token for the user, valid for `lifetime` (None: until revoked); return it with
    the plain token (shown only once)."""
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name."))
    if lifetime is not None and lifetime <= timedelta(0):
        raise TokenError(_("A token must be valid for some time."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + lifetime if lifetime is not None else None
    token = ApiToken(user_id=saved_id(user), name=name[:100], prefix=plain[:SHOWN_PREFIX_LENGTH],
                     token_hash=hash_token(plain), expires_at=expires_at)
    session.add(token)
    session.flush()
    return token, plain


def is_expired(token: ApiToken) -> bool:
    """Has the token passed its expiry time?"""
    return token.expires_at is not None and token.expires_at <= utcnow()


def can_revoke(user: User | None, token: ApiToken) -> bool:
    """May this user revoke the token (its owner, or an admin)?"""
    return user is not None and (user.id == token.user_id or user.role == Role.ADMIN)


def revoke_token(*, session: Session, token: ApiToken, user: User) -> None:
    """Revoke a token (its owner or an admin); revoking twice changes nothing."""
    if not can_revoke(user, token):
        raise TokenError(_("You may not revoke this token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        session.flush()


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """List the user's tokens, newest first."""
    query = (select(ApiToken).where(ApiToken.user_id == user.id)
             .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc()))
    return list(session.exec(query))


def get_token(session: Session, token_id: int) -> ApiToken | None:
    """Return a token by id."""
    return session.get(ApiToken, token_id)


def authenticate_token(*, session: Session, token: str) -> User | None:
    """Return the active user of a valid, unrevoked, unexpired token, else None; note its use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = hash_token(token)
    # The lookup is by hash, so its timing tells nothing about the secret; compare anyway.
    found = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    user = session.get(User, found.user_id)
    if found.revoked_at is not None or is_expired(found) or user is None or not user.is_active:
        return None
    now = utcnow()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_RESOLUTION:
        found.last_used_at = now
        session.add(found)
        session.flush()
        # The one write of a GET on purpose: the owner sees when a script last used the token.
        expect_write_on_read("an API token's last use")
    return user


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer` header; "" when malformed; None
    when there is no such header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def api_unauthorised(message: str) -> Any:
    """Answer 401 in the API's JSON error shape."""
    response = jsonify(error="Unauthorized", message=message, status=401)
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, 401


def authenticate_api_request() -> Any:
    """Sign API requests in by bearer token; check CSRF on cookie-authenticated writes."""
    if request.blueprint != API_BLUEPRINT:
        return None
    token = bearer_token()
    if token is None:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # no bearer token: the caller is a browser session
        return None
    user = authenticate_token(session=get_session(), token=token) if token else None
    if user is None:
        return api_unauthorised(
            _("The API token is missing, malformed, unknown, revoked or expired."))
    # Flask-Login keeps the request's user here; setting it (rather than login_user) keeps
    # token requests from creating a session cookie.
    g._login_user = user
    return None
