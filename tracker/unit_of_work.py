"""One unit of work per request: commit when the view raised nothing, roll back on any
exception (the rule of Indico's `RH.process`), whatever the HTTP status.

The commit runs inside the view's dispatch, so a commit the database refuses (a stale
version, a duplicate cell) becomes the error response itself (409) instead of a 500 raised
after the answer was already built.

A read-only request (GET, HEAD, OPTIONS) that wrote nothing does not commit: its session is
closed on teardown, which ends its transaction without expiring every object it loaded (on
a network's pages that expiry was a fifth of the CPU). One that did write still commits, so
no write is ever lost; the few that write on purpose say so with `expect_write_on_read`, and
under TESTING any other one fails, so that a new write behind a GET is noticed.
"""

import logging
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from tracker.db import commit_session, end_read_only, rollback_session, session_wrote
from tracker.errors import StaleEditError, stale_record_message
from tracker.locking import is_busy, is_unique_violation

logger = logging.getLogger(__name__)

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPECTED_WRITE = "write_on_read"  # key in `g`: why this read-only request writes
# Read-only routes that write on purpose, and why (their write commits as any other).
WRITING_READS = {
    "compare.export_pdf": "records the PDF's report run (a link others can open), reused "
                          "while the data is unchanged",
}


class UnexpectedWriteOnRead(AssertionError):
    """Under TESTING: a read-only request wrote without saying why (expect_write_on_read)."""


class UnitOfWorkFlask(Flask):
    """A Flask app whose every view is one unit of work."""

    def dispatch_request(self) -> ResponseReturnValue:
        """Run the view, then commit its work; roll back when either raised."""
        try:
            response = super().dispatch_request()
            finish_unit_of_work()
        except BaseException:
            rollback_session()
            raise
        return response


def expect_write_on_read(reason: str) -> None:
    """Declare that this read-only request writes on purpose (`reason` says what), so that
    its commit is expected."""
    g.setdefault(EXPECTED_WRITE, reason)


def finish_unit_of_work() -> None:
    """Commit the request's work; a read-only request that wrote nothing ends uncommitted."""
    if request.method in READ_ONLY_METHODS:
        if not session_wrote():
            end_read_only()
            return
        check_write_on_read()
    commit_session()


def check_write_on_read() -> None:
    """Let an expected write of a read-only request commit; log any other (it commits all
    the same: no write is lost), and under TESTING fail."""
    if g.get(EXPECTED_WRITE) or request.endpoint in WRITING_READS:
        return
    message = f"{request.method} {request.path} ({request.endpoint}) wrote to the database"
    if current_app.testing:
        raise UnexpectedWriteOnRead(message + ": move the write to a POST, or declare it "
                                    "with expect_write_on_read")
    logger.warning("%s; committing it", message)


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
