"""One unit of work per request: commit when the view raised nothing, roll back on any
exception (the rule of Indico's `RH.process`), whatever the HTTP status.

The commit runs inside the view's dispatch, so a commit the database refuses (a stale
version, a duplicate cell) becomes the error response itself (409) instead of a 500 raised
after the answer was already built.
"""

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.db import commit_session, rollback_session
from tracker.errors import StaleEditError, stale_record_message
from tracker.locking import is_busy, is_unique_violation


class UnitOfWorkFlask(Flask):
    """A Flask app whose every view is one unit of work."""

    def dispatch_request(self) -> ResponseReturnValue:
        """Run the view, then commit its work; roll back when either raised."""
        try:
            response = super().dispatch_request()
            commit_session()
        except BaseException:
            rollback_session()
            raise
        return response


def register_conflict_handlers(app: Flask) -> None:
    """Answer a write the database refused as stale, or as a duplicate, with 409."""
    app.register_error_handler(StaleEditError, conflict)
    app.register_error_handler(StaleDataError, conflict)
    app.register_error_handler(IntegrityError, conflict_or_raise)
    app.register_error_handler(OperationalError, busy_or_raise)


def conflict(error: Exception, message: str | None = None) -> ResponseReturnValue:
    """Render a 409: JSON under /api/, the error page elsewhere."""
    rollback_session()
    if message is None:
        message = str(error) if isinstance(error, StaleEditError) else stale_record_message()
    if request.path.startswith("/api/"):
        return jsonify(error="Conflict", message=message, status=409), 409
    return render_template("errors/error.html", code=409, message=message), 409


def conflict_or_raise(error: IntegrityError) -> Any:
    """Answer a duplicate of a unique record (two first saves of one cell) with 409."""
    if is_unique_violation(error):
        return conflict(error)
    raise error


def busy_or_raise(error: OperationalError) -> Any:
    """Answer 409 when the database refused a write because another one was under way:
    SQLite has one writer (of concurrent saves from one version, the others fail so, not as
    stale); PostgreSQL breaks a deadlock between two batches by refusing one."""
    if is_busy(error):
        return conflict(error, _("Someone else was saving at the same moment, so nothing was "
                                 "saved. Reload the page to see their change, then try again."))
    raise error
