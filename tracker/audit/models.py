"""The history of every change to data: who changed what, when, from what to what."""

from datetime import datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from tracker.timeutil import utcnow


class AuditEvent(SQLModel, table=True):
    """One recorded change to an entity."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    action: str = Field(max_length=40)
    entity_type: str = Field(max_length=40)
    entity_id: int = Field(index=True)
    city_id: int | None = Field(default=None, foreign_key="cities.id", index=True)
    changes: dict[str, list[object]] = Field(default_factory=dict, sa_column=Column(JSON))
    reason: str = Field(default="", max_length=1000)
