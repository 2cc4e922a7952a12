"""Reviewer notes on a city's indicator: the form, who may post and read them, and the reads
and writes (services flush, never commit)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlmodel import Session, col
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from tracker.auth.access import can_read_city_internals
from tracker.auth.models import Role, User
from tracker.cities.models import City
from tracker.compare.models import ReviewerNote
from tracker.db import saved_id
from tracker.forms import TrackerForm
from tracker.indicators.models import LocalIndicator

NOTE_ROLES = (Role.REVIEWER, Role.SECRETARIAT, Role.ADMIN)


class NoteForm(TrackerForm):
    """A reviewer's note on an indicator."""

    text = TextAreaField(_l("Note"), validators=[InputRequired(), Length(max=4000)])


def can_read_notes(user: User | None, city: City) -> bool:
    """The city's officers, its networks' secretariats and reviewers, and admins."""
    return can_read_city_internals(user, city)


def can_post_note(user: User | None, city: City) -> bool:
    """Reviewers and secretariats of the city's networks, and admins."""
    return user is not None and user.role in NOTE_ROLES and can_read_city_internals(user, city)


def add_note(session: Session, indicator: LocalIndicator, user: User, text: str
             ) -> ReviewerNote:
    """Record a note on an indicator."""
    note = ReviewerNote(local_indicator_id=saved_id(indicator), author_id=saved_id(user),
                        text=text.strip())
    session.add(note)
    session.flush()
    return note


def list_notes(session: Session, indicator: LocalIndicator) -> list[tuple[ReviewerNote, str]]:
    """Return an indicator's notes, newest first, with their authors' names, in one query."""
    query = (select(ReviewerNote, col(User.name), col(User.email))
             .outerjoin(User, col(User.id) == col(ReviewerNote.author_id))
             .where(col(ReviewerNote.local_indicator_id) == indicator.id)
             .order_by(col(ReviewerNote.created_at).desc(), col(ReviewerNote.id).desc()))
    return [(note, name or email or "—") for note, name, email in session.execute(query)]
