"""Sessions end everywhere on logout, password change and disabling; API tokens expire."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import PASSWORD, Auth, boundary
from tracker.auth.models import ApiToken, Role, User
from tracker.auth.services import set_active
from tracker.auth.sessions import end_all_sessions
from tracker.auth.tokens import create_token

PRIVATE = "/account/password"  # any page that needs a signed-in user
NEW_PASSWORD = "another-long-passphrase"
N_CONCURRENT = 8


def signed_in(client: FlaskClient) -> bool:
    """Does the client's cookie still sign a user in?"""
    response = client.get(PRIVATE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def copy_session(source: FlaskClient, app: Flask) -> FlaskClient:
    """A second browser holding a copy of the source's session cookie."""
    cookie = source.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def sign_in(app: Flask, user: User, password: str = PASSWORD) -> FlaskClient:
    """A fresh browser, signed in as the user."""
    client = app.test_client()
    assert Auth(client).login(user, password).status_code == 302
    assert signed_in(client)
    return client


def test_logout_ends_every_session_of_the_user(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    laptop, phone = sign_in(app, user), sign_in(app, user)
    copied = copy_session(laptop, app)
    assert signed_in(copied)  # the copy is as good as the original until the logout

    assert laptop.post("/logout").status_code == 302
    assert not signed_in(laptop)
    assert not signed_in(copied)
    assert not signed_in(phone)  # signed in separately, ended too ("log out everywhere")
    assert signed_in(sign_in(app, user))  # signing in again works


def test_a_password_change_keeps_this_session_and_ends_the_others(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    client = sign_in(app, user)
    copied, other = copy_session(client, app), sign_in(app, user)

    response = client.post(PRIVATE, data={"current_password": PASSWORD,
                                          "new_password": NEW_PASSWORD,
                                          "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(copied)
    assert not signed_in(other)
    assert Auth(app.test_client()).login(user, PASSWORD).status_code in (200, 422)  # refused
    assert signed_in(sign_in(app, user, NEW_PASSWORD))


def test_a_refused_password_change_ends_nothing(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    client = sign_in(app, user)
    copied = copy_session(client, app)
    response = client.post(PRIVATE, data={"current_password": "wrong-password-here",
                                          "new_password": NEW_PASSWORD,
                                          "confirm": NEW_PASSWORD})
    assert response.status_code in (200, 422)
    assert signed_in(client) and signed_in(copied)


def test_disabling_a_user_ends_their_sessions_for_good(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    admin, user = make_user(Role.ADMIN), make_user(Role.ADMIN)
    client = sign_in(app, user)
    copied = copy_session(client, app)
    manager = sign_in(app, admin)
    assert manager.post(f"/users/{user.id}/disable").status_code == 302
    assert not signed_in(copied) and not signed_in(client)
    assert manager.post(f"/users/{user.id}/enable").status_code == 302
    assert not signed_in(copied)  # enabling again does not revive the old cookie
    assert signed_in(sign_in(app, user))


def test_the_generation_moves_once_per_event(app: Flask, db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    start = user.session_generation
    with boundary(app, db):
        set_active(session=db, user=user, is_active=False)
        set_active(session=db, user=user, is_active=True)  # enabling moves nothing
    stored = db.scalars(select(User.session_generation).where(User.id == user.id)).one()
    assert stored == start + 1


def test_a_session_without_a_generation_is_refused(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    client = app.test_client()
    with client.session_transaction() as cookie:  # as signed by a release without generations
        cookie["_user_id"], cookie["_fresh"] = str(user.id), True
    assert not signed_in(client)


def api_status(app: Flask, plain: str) -> int:
    """The status of an API request signed with the token."""
    headers = {"Authorization": f"Bearer {plain}"}
    return app.test_client().get("/api/v1/cities", headers=headers).status_code


def test_an_expired_token_is_refused(app: Flask, db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    created = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(created, tick=False), boundary(app, db):
        token, plain = create_token(session=db, user=user, name="script",
                                    lifetime=timedelta(days=7))
    assert token.expires_at == created + timedelta(days=7)
    with time_machine.travel(created + timedelta(days=7, seconds=-1), tick=False):
        assert api_status(app, plain) == 200
    with time_machine.travel(created + timedelta(days=7), tick=False):
        assert api_status(app, plain) == 401
    with time_machine.travel(created + timedelta(days=400), tick=False):
        assert api_status(app, plain) == 401


def test_a_token_without_expiry_stays_valid(app: Flask, db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    with boundary(app, db):
        token, plain = create_token(session=db, user=user, name="script")
    assert token.expires_at is None
    with time_machine.travel(datetime.now(UTC) + timedelta(days=3650), tick=False):
        assert api_status(app, plain) == 200


def test_the_token_page_sets_and_shows_the_expiry(app: Flask, db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    client = sign_in(app, user)
    # Forwards only: the session cookie's signature refuses timestamps from the future.
    now = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    with time_machine.travel(now, tick=False):
        page = client.post("/account/tokens", data={"name": "Weekly", "lifetime": "7"})
    assert page.status_code == 200
    token = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token.expires_at == now + timedelta(days=7)
    assert "Expired" not in client.get("/account/tokens").get_data(as_text=True)
    with time_machine.travel(now + timedelta(days=8), tick=False):
        listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Expired" in listing
    assert f'/account/tokens/{token.id}/revoke' not in listing  # nothing left to revoke


def test_an_unknown_lifetime_is_refused(app: Flask, db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    client = sign_in(app, user)
    page = client.post("/account/tokens", data={"name": "Forever", "lifetime": "-5"})
    assert page.status_code in (200, 422)
    assert db.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).first() is None


def test_concurrent_moves_of_the_generation_all_count(engine: Engine) -> None:
    """The generation is incremented in SQL: N concurrent logouts/disables move it N times."""
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite runs one writer at a time: a read-then-write race needs PostgreSQL")
    with Session(engine) as session:
        user = User(email=f"race-{uuid.uuid4().hex}@example.org", role=Role.ADMIN,
                    password_hash="x")
        session.add(user)
        session.commit()
        user_id, start = user.id, user.session_generation
    barrier = threading.Barrier(N_CONCURRENT)

    def move() -> None:
        with Session(engine) as session:
            racer = session.get(User, user_id)
            assert racer is not None
            barrier.wait()  # all have read the same generation before any writes
            end_all_sessions(session=session, user=racer)
            session.commit()

    try:
        with ThreadPoolExecutor(N_CONCURRENT) as pool:
            for future in [pool.submit(move) for _ in range(N_CONCURRENT)]:
                future.result()
        with Session(engine) as session:
            assert session.get(User, user_id).session_generation == start + N_CONCURRENT  # type: ignore[union-attr]
    finally:
        with Session(engine) as session:
            session.execute(delete(User).where(User.id == user_id))  # type: ignore[arg-type]
            session.commit()
