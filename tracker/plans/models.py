"""A city's plans, the tree of their elements, and the elements' alignment to the SDGs."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import field_validator, model_validator
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.db import ExactDecimal, enum_type
from tracker.locking import Versioned
from tracker.timeutil import utcnow

MAX_LEVELS = 8


class PlanKind(StrEnum):
    """The kinds of local plan the tracker knows."""

    IDP = "integrated_development_plan"
    SDBIP = "annual_performance_plan"
    SDG_FRAMEWORK = "sdg_localisation_framework"
    CLIMATE = "climate_action_plan"
    VLR = "voluntary_local_review"
    SECTOR = "sector_plan"
    OTHER = "other"


class PlanStatus(StrEnum):
    """Where a plan is in its life."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    UNDER_REVIEW = "under_review"
    SUPERSEDED = "superseded"


class AlignmentRelation(StrEnum):
    """How a plan element relates to an SDG target or indicator."""

    DIRECT = "direct"
    CONTRIBUTES = "contributes"
    PROXY = "proxy"


class PlanBase(SQLModel):
    """Fields shared by every form of a plan."""

    kind: PlanKind = Field(sa_type=enum_type(PlanKind))
    title: str = Field(min_length=2, max_length=300)
    start_year: int = Field(ge=1990, le=2100)
    end_year: int = Field(ge=1990, le=2100)
    adopted_on: date | None = None
    status: PlanStatus = Field(default=PlanStatus.DRAFT, sa_type=enum_type(PlanStatus))
    source_url: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=4000)
    level_names: list[str] = Field(default_factory=lambda: ["Goal", "Target"],
                                   sa_column=Column(JSON, nullable=False))


class PlanCreate(PlanBase):
    """What a caller gives to create or change a plan (validated)."""

    parent_id: int | None = None

    @field_validator("level_names")
    @classmethod
    def check_level_names(cls, names: list[str]) -> list[str]:
        """Level names are 1 to 8 non-blank names, as the plan itself calls its levels."""
        names = [n.strip() for n in names if n and n.strip()]
        if not 1 <= len(names) <= MAX_LEVELS:
            raise ValueError(f"give between 1 and {MAX_LEVELS} level names")
        if any(len(n) > 60 for n in names):
            raise ValueError("a level name has at most 60 characters")
        return names

    @model_validator(mode="after")
    def check_period(self) -> "PlanCreate":
        """The period ends in or after the year it starts."""
        if self.end_year < self.start_year:
            raise ValueError("the end year is before the start year")
        return self


class Plan(PlanBase, Versioned, table=True):
    """A plan of a city; an annual review makes a new revision and keeps the old one."""

    __tablename__ = "plans"

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    parent_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("plans.id"), nullable=True, index=True))
    revision_of_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("plans.id"), nullable=True))
    revision: int = Field(default=1)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    elements: list["PlanElement"] = Relationship(
        back_populates="plan", sa_relationship_kwargs={"order_by": "PlanElement.position"})

    def level_name(self, depth: int) -> str:
        """Return the plan's own name for a level of its tree."""
        names = self.level_names or ["Element"]
        return names[min(depth, len(names) - 1)]


class PlanElementBase(SQLModel):
    """Fields shared by every form of a plan element."""

    code: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=4000)
    department: str = Field(default="", max_length=200)
    budget: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)


class PlanElementCreate(PlanElementBase):
    """What a caller gives to create or change an element (validated)."""

    parent_id: int | None = None

    @field_validator("code", "title")
    @classmethod
    def strip(cls, value: str) -> str:
        """Codes and titles are not blank."""
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class PlanElement(PlanElementBase, Versioned, table=True):
    """A node of a plan's tree (a Plan, programme, project, KPI … as the plan names it)."""

    __tablename__ = "plan_elements"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plans.id", index=True)
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("plan_elements.id"), nullable=True, index=True))
    depth: int = Field(default=0)
    position: int = Field(default=0)
    is_retired: bool = Field(default=False)
    retired_at: datetime | None = None
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    plan: Plan = Relationship(back_populates="elements")
    alignments: list["ElementAlignment"] = Relationship(back_populates="element")


class ElementAlignmentBase(SQLModel):
    """Fields shared by every form of an element's alignment."""

    relation: AlignmentRelation = Field(default=AlignmentRelation.CONTRIBUTES,
                                        sa_type=enum_type(AlignmentRelation))
    is_primary: bool = Field(default=False)
    rationale: str = Field(default="", max_length=2000)


class ElementAlignmentCreate(ElementAlignmentBase):
    """An alignment to exactly one SDG target or indicator (validated)."""

    target_id: int | None = None
    sdg_indicator_id: int | None = None

    @model_validator(mode="after")
    def exactly_one(self) -> "ElementAlignmentCreate":
        """Align to a target or an indicator, not both, not neither."""
        if (self.target_id is None) == (self.sdg_indicator_id is None):
            raise ValueError("align to one SDG target or one SDG indicator")
        return self


class ElementAlignment(ElementAlignmentBase, table=True):
    """A link from a plan element to an SDG target or indicator."""

    __tablename__ = "element_alignments"
    __table_args__ = (
        CheckConstraint("(target_id IS NULL) <> (sdg_indicator_id IS NULL)", name="one_sdg_node"),
    )

    id: int | None = Field(default=None, primary_key=True)
    element_id: int = Field(foreign_key="plan_elements.id", index=True)
    target_id: int | None = Field(default=None, foreign_key="targets.id", index=True)
    sdg_indicator_id: int | None = Field(default=None, foreign_key="sdg_indicators.id",
                                         index=True)
    created_at: datetime = Field(default_factory=utcnow)
    element: PlanElement = Relationship(back_populates="alignments")


def period_label(start_year: int, end_year: int, fiscal_year_start_month: int) -> str:
    """Label a period: "2022/23–2026/27" on a July or April fiscal year, else "2019–2023"."""

    def year(y: int) -> str:
        return f"{y}/{(y + 1) % 100:02d}" if fiscal_year_start_month != 1 else str(y)

    return year(start_year) if start_year == end_year else f"{year(start_year)}–{year(end_year)}"


def plain(value: Any) -> Any:
    """Return enum values as their strings, for history and exports."""
    return value.value if isinstance(value, StrEnum) else value
