"""The UN SDG global indicator framework: revisions, goals, targets and indicators."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.db import enum_type
from tracker.timeutil import utcnow


class IndicatorStatus(StrEnum):
    """Whether an indicator is in the current framework."""

    ACTIVE = "active"
    RETIRED = "retired"


class FrameworkRevision(SQLModel, table=True):
    """One loaded revision of the framework (e.g. the March 2023 refinement)."""

    __tablename__ = "framework_revisions"
    __table_args__ = (UniqueConstraint("key"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40)
    title: str = Field(max_length=200)
    published: str = Field(default="", max_length=20)
    source: str = Field(default="", max_length=500)
    loaded_at: datetime = Field(default_factory=utcnow)
    is_current: bool = Field(default=False)


class GoalBase(SQLModel):
    """Fields shared by every form of a goal."""

    code: str = Field(max_length=2)
    number: int
    title: str = Field(max_length=300)
    short_title: str = Field(max_length=80)
    colour: str = Field(max_length=7)


class Goal(GoalBase, table=True):
    """One of the 17 goals."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("code"), UniqueConstraint("number"))

    id: int | None = Field(default=None, primary_key=True)
    targets: list["Target"] = Relationship(
        back_populates="goal", sa_relationship_kwargs={"order_by": "Target.sort_key"}
    )


class TargetBase(SQLModel):
    """Fields shared by every form of a target."""

    code: str = Field(max_length=8)
    title: str = Field(max_length=1000)
    sort_key: str = Field(max_length=20, index=True)


class Target(TargetBase, table=True):
    """One of the 169 targets."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("code"),)

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goals.id", index=True)
    goal: Goal = Relationship(back_populates="targets")
    indicators: list["SdgIndicator"] = Relationship(
        back_populates="target", sa_relationship_kwargs={"order_by": "SdgIndicator.sort_key"}
    )


class SdgIndicatorBase(SQLModel):
    """Fields shared by every form of a global indicator."""

    code: str = Field(max_length=12)
    title: str = Field(max_length=1000)
    tier: str = Field(default="", max_length=20)
    custodians: str = Field(default="", max_length=300)
    status: IndicatorStatus = Field(default=IndicatorStatus.ACTIVE,
                                    sa_type=enum_type(IndicatorStatus))
    note: str = Field(default="", max_length=1000)
    sort_key: str = Field(max_length=30, index=True)


class SdgIndicator(SdgIndicatorBase, table=True):
    """An indicator of the global framework; retired ones are kept, never deleted."""

    __tablename__ = "sdg_indicators"
    __table_args__ = (UniqueConstraint("code"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="targets.id", index=True)
    repeat_of_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("sdg_indicators.id"), nullable=True, index=True),
    )
    introduced_in_id: int | None = Field(default=None, foreign_key="framework_revisions.id")
    retired_in_id: int | None = Field(default=None, foreign_key="framework_revisions.id")
    target: Target = Relationship(back_populates="indicators")
    repeat_of: "SdgIndicator" = Relationship(
        sa_relationship_kwargs={"remote_side": "SdgIndicator.id"}
    )


class IndicatorTitleChange(SQLModel, table=True):
    """A title an indicator had before a newer revision reworded it."""

    __tablename__ = "indicator_title_changes"

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="sdg_indicators.id", index=True)
    revision_id: int = Field(foreign_key="framework_revisions.id")
    old_title: str = Field(max_length=1000)
    new_title: str = Field(max_length=1000)
    changed_at: datetime = Field(default_factory=utcnow)
