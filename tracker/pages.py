"""Answer a page with the status that says what became of its form: 200 when shown, 422 when
a submission was refused, 409 when it was stale (someone else saved first).

A request commits when its handler raised nothing, whatever the status, so a refused page
rolls back what the handler wrote before it was refused: only `keep` pages (whose accepted
parts were saved, each in its own savepoint) let the rest commit.
"""

from typing import Any

from flask import render_template
from flask_wtf import FlaskForm

from tracker.db import rollback_session

SHOWN, STALE, REFUSED = 200, 409, 422


def render_page(template: str, status: int = SHOWN, *, keep: bool = False,
                **context: Any) -> tuple[str, int]:
    """Render a page with its status; a refused (4xx) page keeps nothing unless `keep`."""
    page = render_template(template, **context)
    if status >= 400 and not keep:
        rollback_session()  # after rendering: the page shows what was typed, as it was
    return page, status


def form_status(form: FlaskForm, stale: bool = False) -> int:
    """Return 409 for a stale submission, 422 for a refused one, 200 for a form shown."""
    if stale:
        return STALE
    return REFUSED if form.is_submitted() else SHOWN


def render_form(template: str, form: FlaskForm, *, stale: bool = False,
                **context: Any) -> tuple[str, int]:
    """Render a form's page: shown (200), refused (422) or stale (409)."""
    return render_page(template, form_status(form, stale), form=form, stale=stale, **context)


def render_refused(template: str, **context: Any) -> tuple[str, int]:
    """Render a page whose submission was refused (422)."""
    return render_page(template, REFUSED, **context)
