"""Routes to list, create and revoke one's personal API tokens."""

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker.auth.access import deny, required_user
from tracker.auth.token_forms import TokenForm
from tracker.auth.tokens import (
    can_revoke,
    create_token,
    get_token,
    is_expired,
    list_tokens,
    revoke_token,
)
from tracker.db import get_session
from tracker.pages import form_status, render_page

bp = Blueprint("tokens", __name__)


def render_tokens(form: TokenForm, plain: str | None = None) -> ResponseReturnValue:
    """Render the token page; a new plain token is shown once and never cached."""
    user = required_user()
    page, status = render_page("auth/tokens.html", 200 if plain else form_status(form),
                               form=form, plain=plain, is_expired=is_expired,
                               tokens=list_tokens(get_session(), user))
    return page, status, ({"Cache-Control": "no-store"} if plain else {})


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def list_and_create() -> ResponseReturnValue:
    """List one's API tokens, and create one (its plain text is shown only this once)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return render_tokens(form)
    _token, plain = create_token(session=get_session(), user=required_user(),
                                 name=form.name.data or "", lifetime=form.lifetime_delta())
    flash(_("Token created. Copy it now: it will not be shown again."), "success")
    return render_tokens(TokenForm(formdata=None), plain)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    """Revoke one of one's tokens (admins may revoke anyone's)."""
    session, user = get_session(), required_user()
    token = get_token(session, token_id) or abort(404)
    if not can_revoke(user, token):
        deny()
    revoke_token(session=session, token=token, user=user)
    flash(_("Token %(name)s revoked.", name=token.name), "success")
    return redirect(url_for("tokens.list_and_create"))
