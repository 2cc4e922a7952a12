"""Sign in, sign out, and change one's own password."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.auth.forms import ChangePasswordForm, LoginForm
from tracker.auth.services import UserError, authenticate, change_password, normalise_email
from tracker.auth.sessions import keep_session, sign_out_everywhere, start_session
from tracker.db import get_session
from tracker.extensions import limiter
from tracker.pages import render_form

bp = Blueprint("auth", __name__)


def login_limit() -> str:
    """Return the configured login rate limit."""
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def login_email_key() -> str:
    """Count attempts per account as well as per address, against distributed guessing."""
    return "login:" + normalise_email(request.form.get("email", ""))


def safe_next(target: str | None) -> str:
    """Return `target` if it is a path on this site, else the user's own home."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.my_home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=login_email_key)
def login() -> tuple[str, int] | Response:
    """Sign a user in."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(
            session=get_session(), email=form.email.data or "", password=form.password.data or ""
        )
        if user is not None:
            start_session(user)
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("The email or password is not correct."))
    return render_form("auth/login.html", form)  # a failed sign-in answers 422


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign the user out, here and in every other browser (a copied cookie included)."""
    sign_out_everywhere(session=get_session(), user=current_user._get_current_object())
    flash(_("Signed out, on every device."), "info")
    return redirect(url_for("main.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> tuple[str, int] | Response:
    """Let a signed-in user change their own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(
                session=get_session(),
                user=current_user,
                current=form.current_password.data or "",
                new=form.new_password.data or "",
            )
        except UserError as error:
            form.current_password.errors.append(str(error))
        else:
            keep_session(current_user)  # other sessions have ended
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_form("auth/password.html", form)
