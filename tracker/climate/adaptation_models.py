"""Climate tables of the adaptation side and of actions: hazards, past events, adaptive
capacity, adaptation goals, and climate actions linked to plan elements and SDG targets."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import field_validator, model_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.catalogue.models import Target
from tracker.climate.vocab import (
    ADAPTIVE_CAPACITY_FACTORS,
    AFFECTED_SECTORS,
    HAZARD_CODES,
    VULNERABLE_GROUPS,
    Change,
    Level,
    Timeframe,
    check_list,
)
from tracker.db import ExactDecimal, enum_type
from tracker.locking import Versioned
from tracker.plans.models import PlanElement
from tracker.timeutil import utcnow


class HazardBase(SQLModel):
    """Fields shared by every form of an assessed hazard."""

    hazard: str = Field(max_length=60)
    current_probability: Level = Field(default=Level.UNKNOWN, sa_type=enum_type(Level))
    current_consequence: Level = Field(default=Level.UNKNOWN, sa_type=enum_type(Level))
    future_intensity: Change = Field(default=Change.UNKNOWN, sa_type=enum_type(Change))
    future_frequency: Change = Field(default=Change.UNKNOWN, sa_type=enum_type(Change))
    timeframe: Timeframe | None = Field(default=None, sa_type=enum_type(Timeframe))
    affected_sectors: list[str] = Field(default_factory=list,
                                        sa_column=Column(JSON, nullable=False))
    vulnerable_groups: list[str] = Field(default_factory=list,
                                         sa_column=Column(JSON, nullable=False))
    impact_description: str = Field(default="", max_length=4000)


class HazardCreate(HazardBase):
    """What a caller gives to record a hazard (validated against the typology)."""

    @field_validator("hazard")
    @classmethod
    def check_hazard(cls, code: str) -> str:
        """The hazard comes from the fixed typology."""
        if code not in HAZARD_CODES:
            raise ValueError(f"{code!r} is not in the hazard typology")
        return code

    @field_validator("affected_sectors")
    @classmethod
    def check_sectors(cls, values: list[str]) -> list[str]:
        """Sectors come from the controlled list."""
        return check_list(values, AFFECTED_SECTORS)

    @field_validator("vulnerable_groups")
    @classmethod
    def check_groups(cls, values: list[str]) -> list[str]:
        """Groups come from the controlled list."""
        return check_list(values, VULNERABLE_GROUPS)


class Hazard(HazardBase, Versioned, table=True):
    """A climate hazard in a city's risk and vulnerability assessment."""

    __tablename__ = "climate_hazards"
    __table_args__ = (UniqueConstraint("city_id", "hazard"),)

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    events: list["PastHazardEvent"] = Relationship(
        back_populates="hazard", sa_relationship_kwargs={"order_by": "PastHazardEvent.occurred_on"})


class HazardPublic(HazardBase):
    """An assessed hazard as the API shows it."""

    id: int
    city_id: int
    version: int


class PastHazardEventBase(SQLModel):
    """A past hazard event (CRF §5.4; feeds SDG 1.5.1, 11.5.1, 11.5.2, 13.1.1)."""

    occurred_on: date
    deaths: int | None = Field(default=None, ge=0)
    people_affected: int | None = Field(default=None, ge=0)
    economic_loss: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    currency: str = Field(default="", max_length=3)
    description: str = Field(default="", max_length=2000)


class PastHazardEventCreate(PastHazardEventBase):
    """What a caller gives to record a past event (validated)."""


class PastHazardEvent(PastHazardEventBase, table=True):
    """A past event of one of the city's hazards."""

    __tablename__ = "past_hazard_events"

    id: int | None = Field(default=None, primary_key=True)
    hazard_id: int = Field(foreign_key="climate_hazards.id", index=True)
    hazard: Hazard = Relationship(back_populates="events")


class AdaptiveCapacityBase(SQLModel):
    """One adaptive-capacity factor rated for a city (CRF §5.3)."""

    factor: str = Field(max_length=40)
    rating: Level = Field(sa_type=enum_type(Level))
    description: str = Field(default="", max_length=2000)


class AdaptiveCapacityCreate(AdaptiveCapacityBase):
    """What a caller gives to rate a factor (validated)."""

    @field_validator("factor")
    @classmethod
    def check_factor(cls, factor: str) -> str:
        """The factor comes from the CRF list."""
        return check_list([factor], ADAPTIVE_CAPACITY_FACTORS)[0]


class AdaptiveCapacity(AdaptiveCapacityBase, Versioned, table=True):
    """A rated adaptive-capacity factor of a city."""

    __tablename__ = "adaptive_capacities"
    __table_args__ = (UniqueConstraint("city_id", "factor"),)

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    version: int = Field(default=1)


class AdaptationGoalBase(SQLModel):
    """Fields shared by every form of an adaptation goal (CDP 3.3)."""

    hazard_id: int = Field(foreign_key="climate_hazards.id", index=True)
    description: str = Field(min_length=2, max_length=2000)
    metric: str = Field(default="", max_length=300)
    base_year: int | None = Field(default=None, ge=1990, le=2100)
    target_year: int | None = Field(default=None, ge=1990, le=2100)
    progress_percent: Decimal | None = Field(default=None, ge=0, le=100, sa_type=ExactDecimal)
    comment: str = Field(default="", max_length=2000)


class AdaptationGoalCreate(AdaptationGoalBase):
    """What a caller gives to create or change a goal (validated)."""

    @model_validator(mode="after")
    def check_years(self) -> "AdaptationGoalCreate":
        """The target year comes after the base year."""
        if self.base_year and self.target_year and self.target_year <= self.base_year:
            raise ValueError(f"the target year {self.target_year} is not after the base year "
                             f"{self.base_year}")
        return self


class AdaptationGoalPublic(AdaptationGoalBase):
    """An adaptation goal as the API shows it."""

    id: int
    city_id: int
    version: int


class AdaptationGoal(AdaptationGoalBase, Versioned, table=True):
    """A city's adaptation goal for one hazard."""

    __tablename__ = "adaptation_goals"

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ActionKind(StrEnum):
    """Whether an action mitigates emissions or adapts to hazards."""

    MITIGATION = "mitigation"
    ADAPTATION = "adaptation"


class ActionStatus(StrEnum):
    """Where an action is."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class ClimateActionElement(SQLModel, table=True):
    """Links an action to a plan element that carries it."""

    __tablename__ = "climate_action_elements"

    action_id: int = Field(foreign_key="climate_actions.id", primary_key=True)
    element_id: int = Field(foreign_key="plan_elements.id", primary_key=True, index=True)


class ClimateActionTarget(SQLModel, table=True):
    """Links an action to an SDG target it serves (13.2, 11.b, 7.2 …)."""

    __tablename__ = "climate_action_targets"

    action_id: int = Field(foreign_key="climate_actions.id", primary_key=True)
    target_id: int = Field(foreign_key="targets.id", primary_key=True, index=True)


class ClimateActionHazard(SQLModel, table=True):
    """Links an action to a hazard it addresses."""

    __tablename__ = "climate_action_hazards"

    action_id: int = Field(foreign_key="climate_actions.id", primary_key=True)
    hazard_id: int = Field(foreign_key="climate_hazards.id", primary_key=True, index=True)


class ClimateActionBase(SQLModel):
    """Fields shared by every form of a climate action (CDP 5.4/5.5 and 3.2 rows)."""

    kind: ActionKind = Field(sa_type=enum_type(ActionKind))
    title: str = Field(min_length=2, max_length=300)
    description: str = Field(default="", max_length=4000)
    sector: str = Field(default="", max_length=40)
    status: ActionStatus = Field(default=ActionStatus.PLANNED, sa_type=enum_type(ActionStatus))
    start_year: int | None = Field(default=None, ge=1990, le=2100)
    end_year: int | None = Field(default=None, ge=1990, le=2100)
    total_cost: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    currency: str = Field(default="", max_length=3)
    funding_source: str = Field(default="", max_length=300)
    finance_status: str = Field(default="", max_length=100)
    expected_reduction_tco2e: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    responsible_body: str = Field(default="", max_length=200)


class ClimateActionCreate(ClimateActionBase):
    """What a caller gives to create or change an action and its links (validated)."""

    element_ids: list[int] = Field(default_factory=list)
    sdg_target_ids: list[int] = Field(default_factory=list)
    hazard_ids: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def check_action(self) -> "ClimateActionCreate":
        """Years in order; hazards and reductions only where they belong."""
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValueError("the end year is before the start year")
        if self.kind == ActionKind.MITIGATION and self.hazard_ids:
            raise ValueError("a mitigation action addresses no hazards; make it an "
                             "adaptation action")
        if self.kind == ActionKind.ADAPTATION and self.expected_reduction_tco2e is not None:
            raise ValueError("an adaptation action has no expected emission reduction")
        return self


class ClimateAction(ClimateActionBase, Versioned, table=True):
    """A mitigation or adaptation action of a city."""

    __tablename__ = "climate_actions"

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    elements: list[PlanElement] = Relationship(link_model=ClimateActionElement)
    sdg_targets: list[Target] = Relationship(link_model=ClimateActionTarget)
    hazards: list[Hazard] = Relationship(link_model=ClimateActionHazard)


class ClimateActionPublic(ClimateActionBase):
    """An action as the API shows it, its links by id and SDG target code."""

    id: int
    city_id: int
    version: int
    element_ids: list[int]
    sdg_targets: list[str]
    hazard_ids: list[int]

    @classmethod
    def of(cls, action: ClimateAction) -> "ClimateActionPublic":
        """Show a loaded action (links eager-loaded by the queries)."""
        return cls.model_validate(action, update={
            "element_ids": [e.id for e in action.elements],
            "sdg_targets": [t.code for t in action.sdg_targets],
            "hazard_ids": [h.id for h in action.hazards]})
