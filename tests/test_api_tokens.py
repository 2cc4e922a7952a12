"""Personal API tokens: created once and stored hashed, revoked by their owner (or an admin),
and accepted as bearer authentication by the API only while valid."""

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.test_access import (  # noqa: F401  (world is a fixture)
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    ROLES,
    World,
    check_access,
    expect,
    world,
)
from tracker.auth.models import ApiToken, Role, User
from tracker.auth.tokens import TOKEN_PREFIX, authenticate_token, create_token, revoke_token
from tracker.timeutil import utcnow

NOT_FOUND = 404
TOKEN_RE = re.compile(r"sdgt_[A-Za-z0-9_-]{43}")


def own_token_path(action: str) -> Any:
    """The address of an action on officer B's token."""
    return lambda w: f"/account/tokens/{w.ids['officer_b_token'].id}/{action}"


@pytest.fixture
def token_world(world: World, app: Flask, db: Session) -> World:  # noqa: F811
    """Give officer B a token."""
    with boundary(app, db):
        world.ids["officer_b_token"], _plain = create_token(
            session=db, user=world.users["officer_b"], name="B's script")
    return world


# Anyone signed in may list and create their own tokens; only officer B (the owner) and
# admins may revoke officer B's token.
ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    ("tokens.list_and_create", "GET", "/account/tokens", None, expect(OK, anonymous=LOGIN)),
    ("tokens.list_and_create", "POST", "/account/tokens", {"name": "Export"},
     expect(OK, anonymous=LOGIN)),
    ("tokens.revoke", "POST", own_token_path("revoke"), {},
     expect(DENIED, anonymous=LOGIN, admin=REDIRECT, officer_b=REDIRECT)),
    ("tokens.revoke", "POST", "/account/tokens/999999/revoke", {},
     expect(NOT_FOUND, anonymous=LOGIN)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX,
                         ids=[f"{r[1]} {r[0]}-{i}" for i, r in enumerate(ACCESS_MATRIX)])
def test_access(row: tuple[Any, ...], role: str, token_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    check_access(row, role, token_world, client, auth, db)
    db.expire_all()
    revoked = token_world.ids["officer_b_token"].revoked_at is not None
    assert revoked == (row[0] == "tokens.revoke" and row[4][role] == REDIRECT)


def test_the_matrix_covers_every_token_route(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert {e for e in endpoints if e.startswith("tokens.")} == {r[0] for r in ACCESS_MATRIX}


def tokens_of(db: Session, user: User) -> list[ApiToken]:
    """Return the user's tokens, fresh from the database."""
    db.expire_all()
    return list(db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(
        client: FlaskClient, auth: Auth, db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    auth.login(user)
    created = client.post("/account/tokens", data={"name": "Nightly export"})
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    plain = TOKEN_RE.findall(created.get_data(as_text=True))
    assert len(plain) == 1
    [token] = tokens_of(db, user)
    assert token.name == "Nightly export" and plain[0].startswith(token.prefix)
    assert token.token_hash == hashlib.sha256(plain[0].encode()).hexdigest()
    assert plain[0] not in {token.token_hash, token.prefix, token.name}

    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Nightly export" in listing and token.prefix in listing
    assert plain[0] not in listing and not TOKEN_RE.search(listing)


def test_a_token_needs_a_name(client: FlaskClient, auth: Auth, db: Session,  # type: ignore[no-untyped-def]
                              make_user) -> None:
    user = make_user(Role.ADMIN)
    auth.login(user)
    page = client.post("/account/tokens", data={"name": ""})
    assert page.status_code == 422 and not TOKEN_RE.search(page.get_data(as_text=True))
    assert tokens_of(db, user) == []


def api_get(client: FlaskClient, token: str) -> Any:
    """Ask the API for the cities with a bearer token (and no session)."""
    return client.get("/api/v1/cities", headers={"Authorization": f"Bearer {token}"})


def test_bearer_tokens_sign_api_requests_in_until_revoked(
        app: Flask, db: Session, make_user, make_city) -> None:  # type: ignore[no-untyped-def]
    hidden = make_city(is_published=False)
    admin = make_user(Role.ADMIN)
    with boundary(app, db):
        token, plain = create_token(session=db, user=admin, name="script")
    client = app.test_client()
    assert hidden.slug not in {c["slug"] for c in client.get("/api/v1/cities").json["items"]}
    seen = api_get(client, plain)
    assert seen.status_code == 200
    assert hidden.slug in {c["slug"] for c in seen.json["items"]}  # as the admin
    assert "Set-Cookie" not in seen.headers  # a token request opens no session

    for bad in (plain + "x", "sdgt_nope", "", "Basic abc"):
        refused = client.get("/api/v1/cities", headers={"Authorization": f"Bearer {bad}"}
                             if not bad.startswith("Basic") else {"Authorization": bad})
        assert refused.status_code == 401, bad
        assert refused.json["status"] == 401 and "token" in refused.json["message"]
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")

    with boundary(app, db):
        revoke_token(session=db, token=token, user=admin)
    assert api_get(client, plain).status_code == 401


def test_tokens_of_disabled_users_are_refused(app: Flask, db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    with app.app_context():
        _token, plain = create_token(session=db, user=user, name="script")
        assert authenticate_token(session=db, token=plain) == user
        user.is_active = False
        assert authenticate_token(session=db, token=plain) is None
        assert authenticate_token(session=db, token=TOKEN_PREFIX) is None


def test_last_used_is_written_at_most_once_a_minute(app: Flask, db: Session,  # type: ignore[no-untyped-def]
                                                    make_user) -> None:
    user = make_user(Role.ADMIN)
    with boundary(app, db):
        token, plain = create_token(session=db, user=user, name="script")
    assert token.last_used_at is None
    client = app.test_client()
    assert api_get(client, plain).status_code == 200
    db.expire_all()
    first = token.last_used_at
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    assert api_get(client, plain).status_code == 200
    db.expire_all()
    assert token.last_used_at == first  # within the minute: no second write

    with boundary(app, db):
        token.last_used_at = first - timedelta(minutes=2)
    assert api_get(client, plain).status_code == 200
    db.expire_all()
    assert token.last_used_at is not None and token.last_used_at > first


def test_owners_revoke_their_tokens_and_nobody_else_s(
        client: FlaskClient, auth: Auth, app: Flask, db: Session, make_user,  # type: ignore[no-untyped-def]
        make_city) -> None:
    city = make_city()
    owner, other = make_user(Role.OFFICER, city=city), make_user(Role.OFFICER, city=city)
    with boundary(app, db):
        token, plain = create_token(session=db, user=owner, name="mine")
    auth.login(other)
    assert f"/account/tokens/{token.id}/revoke" not in client.get("/account/tokens").get_data(
        as_text=True)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 403
    assert tokens_of(db, owner)[0].revoked_at is None
    assert api_get(app.test_client(), plain).status_code == 200

    auth.logout()
    auth.login(owner)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert f"/account/tokens/{token.id}/revoke" in page and "mine" in page
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    [revoked] = tokens_of(db, owner)
    assert revoked.revoked_at is not None
    assert "Revoked" in client.get("/account/tokens").get_data(as_text=True)
    assert api_get(app.test_client(), plain).status_code == 401
