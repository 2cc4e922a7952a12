"""Response models of a city's climate data: the *Public models of tracker.climate with the
figures the API adds (totals, progress, compliance)."""

from typing import Literal

from pydantic import Field

from tracker.api.schemas import ApiModel, DecimalText
from tracker.climate.adaptation_models import PastHazardEventBase
from tracker.climate.models import (
    AdaptationGoalPublic,
    ClimateActionPublic,
    HazardPublic,
    InventoryPublic,
    MitigationTargetPublic,
)
from tracker.climate.vocab import Level


class ClimateTotals(ApiModel):
    """An inventory's computed totals and headline figures (tCO2e)."""

    basic: DecimalText | None
    basic_plus: DecimalText | None
    basic_per_capita: DecimalText | None
    basic_plus_per_capita: DecimalText | None
    source: Literal["cells", "reported", "none"]
    generation: DecimalText
    by_sector: dict[str, dict[str, DecimalText | None]] = Field(
        description="sector → scope → tCO2e")


class ClimateInventoryPublic(InventoryPublic):
    """An inventory with its cells and totals."""

    totals: ClimateTotals


class TargetProgress(ApiModel):
    """Progress against a mitigation target."""

    base: DecimalText | None
    latest_year: int | None
    latest: DecimalText | None
    goal: DecimalText | None
    percent: DecimalText | None


class ClimateTargetPublic(MitigationTargetPublic):
    """A mitigation target with the progress made against it."""

    progress: TargetProgress


class HazardEventPublic(PastHazardEventBase):
    """A past event of a hazard."""

    id: int


class ClimateHazardPublic(HazardPublic):
    """An assessed hazard with its past events."""

    events: list[HazardEventPublic]


class AdaptiveCapacityPublic(ApiModel):
    """An adaptive-capacity factor and its rating."""

    factor: str
    rating: Level
    description: str


class CompliancePhase(ApiModel):
    """A CRF phase: its status and deadline."""

    phase: str
    status: Literal["met", "partially_met", "not_started"]
    deadline: str | None = Field(json_schema_extra={"format": "date"})
    overdue: bool


class ComplianceFailure(ApiModel):
    """A failing compliance check."""

    phase: str | None
    code: str
    message: str


class ClimateCompliance(ApiModel):
    """The CRF compliance: phases with deadlines, and the failing checks."""

    committed_on: str | None = Field(json_schema_extra={"format": "date"})
    compliant: bool
    phases: list[CompliancePhase]
    failures: list[ComplianceFailure]


class CityClimate(ApiModel):
    """A city's climate data and its CRF compliance."""

    city: str
    commitment_date: str | None = Field(json_schema_extra={"format": "date"})
    inventories: list[ClimateInventoryPublic]
    targets: list[ClimateTargetPublic]
    hazards: list[ClimateHazardPublic]
    adaptive_capacity: list[AdaptiveCapacityPublic]
    goals: list[AdaptationGoalPublic]
    actions: list[ClimateActionPublic]
    compliance: ClimateCompliance
