"""Signing in and out, passwords, rate limits, CSRF, sessions and security headers."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import PASSWORD, Auth
from tracker.auth.models import Role
from tracker.auth.services import UserError, authenticate, create_user
from tracker.security import CONTENT_SECURITY_POLICY


def test_login_with_right_password_signs_in(client: FlaskClient, make_user, auth: Auth) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    response = auth.login(user)
    assert response.status_code == 302
    assert client.get("/users/").status_code == 200


def test_login_with_wrong_password_is_refused(client: FlaskClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 422  # a refused form, as everywhere
    assert "not correct" in response.get_data(as_text=True)
    assert client.get("/users/").status_code == 302


def test_disabled_user_cannot_sign_in_and_is_signed_out(client: FlaskClient, make_user,  # type: ignore[no-untyped-def]
                                                        auth: Auth, db: Session) -> None:
    user = make_user(Role.ADMIN)
    auth.login(user)
    user.is_active = False
    db.commit()
    assert client.get("/users/").status_code == 302
    assert auth.login(user).status_code == 422


def test_logout_ends_the_session(client: FlaskClient, make_user, auth: Auth) -> None:  # type: ignore[no-untyped-def]
    auth.login(make_user(Role.ADMIN))
    assert auth.logout().status_code == 302
    assert client.get("/users/").status_code == 302


def test_next_parameter_only_redirects_within_the_site(client: FlaskClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    response = client.post("/login?next=//evil.example/x",
                           data={"email": user.email, "password": PASSWORD})
    assert "evil.example" not in response.headers["Location"]


def test_password_is_hashed(make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.ADMIN)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("pbkdf2:")


@pytest.mark.usefixtures("app_ctx")
def test_users_change_their_own_password(client: FlaskClient, make_user, auth: Auth,  # type: ignore[no-untyped-def]
                                         db: Session) -> None:
    user = make_user(Role.ADMIN)
    auth.login(user)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "a-new-long-password",
        "confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert authenticate(session=db, email=user.email, password="a-new-long-password")
    assert not authenticate(session=db, email=user.email, password=PASSWORD)


def test_password_change_needs_the_current_password(client: FlaskClient, make_user,  # type: ignore[no-untyped-def]
                                                    auth: Auth) -> None:
    auth.login(make_user(Role.ADMIN))
    response = client.post("/account/password", data={
        "current_password": "wrong", "new_password": "a-new-long-password",
        "confirm": "a-new-long-password"})
    assert response.status_code == 422
    assert "current password is not correct" in response.get_data(as_text=True)


@pytest.mark.parametrize("role,scope,message", [
    (Role.OFFICER, {}, "needs a city"),
    (Role.REVIEWER, {}, "needs a network"),
    (Role.ADMIN, {"password": "short"}, "at least 10"),
])
@pytest.mark.usefixtures("app_ctx")
def test_user_scope_and_password_rules(db: Session, role: Role, scope: dict[str, Any],
                                       message: str) -> None:
    kwargs = {"password": PASSWORD, **scope}
    with pytest.raises(UserError, match=message):
        create_user(session=db, email="x@example.org", role=role, **kwargs)


class TestRateLimit:
    """Bad logins are rate limited per address and per account."""

    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_fourth_bad_login_in_a_minute_is_refused(self, client: FlaskClient, make_user) -> None:  # type: ignore[no-untyped-def]
        user = make_user(Role.ADMIN)
        codes = [client.post("/login", data={"email": user.email, "password": "bad"}).status_code
                 for _ in range(4)]
        assert codes == [422, 422, 422, 429]  # refused (422), then rate limited
        # even the right password is refused while the limit holds
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 429


class TestCsrf:
    """With CSRF on (as in production), a POST without the token is refused."""

    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused(self, client: FlaskClient, make_user) -> None:  # type: ignore[no-untyped-def]
        user = make_user(Role.ADMIN)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400

    def test_logout_without_token_is_refused(self, client: FlaskClient) -> None:
        assert client.post("/logout").status_code == 400


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_http_only_and_secure_by_default(app: Flask) -> None:
    from tracker.config import Config

    assert Config().SESSION_COOKIE_SECURE is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_pages_have_no_inline_script(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and "onclick=" not in html and 'style="' not in html
