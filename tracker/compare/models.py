"""Reviewer notes: what a reviewer (or secretariat, or admin) remarks on a city's indicator."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.timeutil import utcnow


class ReviewerNote(SQLModel, table=True):
    """A note on a local indicator, shown to the city's officers and its secretariat."""

    __tablename__ = "reviewer_notes"

    id: int | None = Field(default=None, primary_key=True)
    local_indicator_id: int = Field(foreign_key="local_indicators.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    text: str = Field(min_length=1, max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)
