"""Tables of stored progress: each city's data version, and the results last computed from it
(tracker.progress.stored explains when they are written and read)."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from tracker.timeutil import utcnow


class ProgressVersion(SQLModel, table=True):
    """A city's progress data version: bumped in the transaction of every change progress
    reads (a missing row is version 0)."""

    __tablename__ = "progress_versions"

    city_id: int = Field(primary_key=True, foreign_key="cities.id", ondelete="CASCADE")
    version: int = Field(default=0, sa_type=BigInteger)


class StoredCityProgress(SQLModel, table=True):
    """A city's roll-ups as computed from one data version (approved values only)."""

    __tablename__ = "progress_city_results"

    city_id: int = Field(primary_key=True, foreign_key="cities.id", ondelete="CASCADE")
    data_version: int = Field(sa_type=BigInteger)
    computed_at: datetime = Field(default_factory=utcnow)
    status: str = Field(max_length=40)
    score: float | None = None
    indicators: int = 0
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # {"6": [status, score, {status: count}]}: the goal and SDG target roll-ups
    goals: dict[str, list] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    targets: dict[str, list] = Field(default_factory=dict,
                                     sa_column=Column(JSON, nullable=False))


class StoredIndicatorProgress(SQLModel, table=True):
    """An indicator's status and score as computed with its city's roll-ups."""

    __tablename__ = "progress_indicator_results"

    indicator_id: int = Field(primary_key=True, foreign_key="local_indicators.id",
                              ondelete="CASCADE")
    city_id: int = Field(foreign_key="cities.id", index=True, ondelete="CASCADE")
    data_version: int = Field(sa_type=BigInteger)
    status: str = Field(max_length=40)
    score: float | None = None
