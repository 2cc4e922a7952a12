"""Climate tables: profile, GHG inventories and their CRF cells, targets, risks, actions.

Input is validated in the *Create models; `table=True` models skip validation (stack.md
§4.2, pitfall 12), so services build tables with `model_validate` from a Create model.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import field_validator, model_validator
from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from tracker.climate.sectors import GASES, ROWS_BY_CODE, NotationKey, Sector, cell_label
from tracker.climate.vocab import check_list
from tracker.db import ExactDecimal, enum_type
from tracker.locking import Versioned
from tracker.timeutil import utcnow

SECTOR_CODES = frozenset(s.value for s in Sector) | {"all"}


class ClimateProfileBase(SQLModel):
    """A city's GCoM commitment and CDP identity."""

    commitment_date: date | None = None
    cdp_account_number: int | None = Field(default=None, ge=1)
    regional_covenant: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=2000)


class ClimateProfileCreate(ClimateProfileBase):
    """What a caller gives to create or change a climate profile (validated)."""


class ClimateProfile(ClimateProfileBase, Versioned, table=True):
    """The climate profile of one city (the commitment date is not a City field)."""

    __tablename__ = "climate_profiles"
    __table_args__ = (UniqueConstraint("city_id"), UniqueConstraint("cdp_account_number"))

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ClimateProfilePublic(ClimateProfileBase):
    """A climate profile as the API shows it."""

    id: int
    city_id: int
    version: int


class Boundary(StrEnum):
    """The inventory boundary compared with the administrative boundary."""

    SAME = "same"
    SMALLER = "smaller"
    LARGER = "larger"
    OTHER = "other"


class Gwp(StrEnum):
    """The IPCC assessment report whose global warming potentials were used."""

    AR4 = "AR4"
    AR5 = "AR5"
    AR6 = "AR6"
    OTHER = "other"


class InventoryStatus(StrEnum):
    """Where an inventory is in its life."""

    DRAFT = "draft"
    FINAL = "final"
    VERIFIED = "verified"


class CellIn(SQLModel):
    """One cell of the CRF table as entered: a number or a notation key with explanation."""

    row_code: str
    scope: int
    value: Decimal | None = None
    notation_key: NotationKey | None = None
    explanation: str = Field(default="", max_length=1000)

    @model_validator(mode="after")
    def check_cell(self) -> "CellIn":
        """Apply the CRF's rules to one cell, naming it in every message."""
        row = ROWS_BY_CODE.get(self.row_code)
        if row is None:
            raise ValueError(f"unknown CRF row {self.row_code!r}")
        where = cell_label(self.row_code, self.scope)
        if self.scope not in row.scopes:
            raise ValueError(f"{where}: this scope is not reported for this row")
        if self.value is not None and self.notation_key is not None:
            raise ValueError(f"{where}: give a number or a notation key, not both")
        if self.value is not None and self.value < 0 and not row.allows_negative:
            raise ValueError(f"{where}: emissions cannot be negative")
        if self.notation_key is not None and not self.explanation.strip():
            raise ValueError(f"{where}: notation key {self.notation_key.value} needs an "
                             "explanation")
        return self


class InventoryBase(SQLModel):
    """Fields shared by every form of a GHG inventory."""

    year: int = Field(ge=1990, le=2100)
    period_start: date
    period_end: date
    boundary: Boundary = Field(default=Boundary.SAME, sa_type=enum_type(Boundary))
    boundary_note: str = Field(default="", max_length=1000)
    protocol: str = Field(default="GPC", max_length=200)
    gwp: Gwp = Field(default=Gwp.AR5, sa_type=enum_type(Gwp))
    gwp_note: str = Field(default="", max_length=500)
    gases: list[str] = Field(default_factory=lambda: ["CO2", "CH4", "N2O"],
                             sa_column=Column(JSON, nullable=False))
    population: int | None = Field(default=None, ge=1)
    population_year: int | None = Field(default=None, ge=1800, le=2200)
    status: InventoryStatus = Field(default=InventoryStatus.DRAFT,
                                    sa_type=enum_type(InventoryStatus))
    source: str = Field(default="", max_length=300)
    comment: str = Field(default="", max_length=4000)
    # Totals as reported elsewhere (CDP open data), kept apart from the computed ones.
    reported_scope1: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    reported_scope2: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    reported_scope3: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    reported_basic: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    reported_basic_plus: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    reported_generation: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)


class InventoryCreate(InventoryBase):
    """What a caller gives to create or change an inventory and its cells (validated)."""

    cells: list[CellIn] = Field(default_factory=list)

    @field_validator("gases")
    @classmethod
    def check_gases(cls, gases: list[str]) -> list[str]:
        """Gases come from the CRF list, each once."""
        return sorted(set(check_list(gases, GASES)), key=GASES.index)

    @model_validator(mode="after")
    def check_inventory(self) -> "InventoryCreate":
        """The period ends after it starts and holds the inventory year; cells are unique."""
        if self.period_end <= self.period_start:
            raise ValueError("the accounting period ends before it starts")
        if self.year not in (self.period_start.year, self.period_end.year):
            raise ValueError("the inventory year is outside the accounting period")
        seen: set[tuple[str, int]] = set()
        for cell in self.cells:
            if (cell.row_code, cell.scope) in seen:
                raise ValueError(f"{cell_label(cell.row_code, cell.scope)}: given twice")
            seen.add((cell.row_code, cell.scope))
        return self


class GhgInventory(InventoryBase, Versioned, table=True):
    """A city's community-wide GHG inventory for one inventory year."""

    __tablename__ = "ghg_inventories"
    __table_args__ = (UniqueConstraint("city_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    # An imported population far from the city's previous figure, not used per inhabitant
    # until someone who may edit the city confirms it (set and cleared by cdp_population).
    population_unconfirmed: bool = Field(default=False)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    cells: list["InventoryCell"] = Relationship(
        back_populates="inventory",
        sa_relationship_kwargs={"cascade": "all, delete-orphan",
                                "order_by": "InventoryCell.id"})

    @property
    def per_capita_population(self) -> int | None:
        """The population per-inhabitant figures may use: none while it awaits confirmation."""
        return None if self.population_unconfirmed else self.population


class InventoryCell(SQLModel, table=True):
    """One row × scope cell of an inventory's CRF table, in tCO2e."""

    __tablename__ = "inventory_cells"
    __table_args__ = (
        UniqueConstraint("inventory_id", "row_code", "scope"),
        CheckConstraint("scope BETWEEN 1 AND 3", name="scope_range"),
        CheckConstraint("value IS NULL OR notation_key IS NULL", name="value_or_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    inventory_id: int = Field(foreign_key="ghg_inventories.id", index=True)
    row_code: str = Field(max_length=40)
    scope: int
    value: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    notation_key: NotationKey | None = Field(default=None, sa_type=enum_type(NotationKey))
    explanation: str = Field(default="", max_length=1000)
    inventory: GhgInventory = Relationship(back_populates="cells")


class CellPublic(SQLModel):
    """A cell as the API shows it."""

    row_code: str
    scope: int
    value: Decimal | None
    notation_key: NotationKey | None
    explanation: str


class InventoryPublic(InventoryBase):
    """An inventory with its cells as the API shows it."""

    id: int
    city_id: int
    version: int
    cells: list[CellPublic]


class TargetKind(StrEnum):
    """The four CRF target types (GHG Protocol Mitigation Goal Standard)."""

    BASE_YEAR = "base_year"
    FIXED_LEVEL = "fixed_level"
    INTENSITY = "base_year_intensity"
    BASELINE_SCENARIO = "baseline_scenario"


class MitigationTargetBase(SQLModel):
    """Fields shared by every form of a mitigation target."""

    kind: TargetKind = Field(sa_type=enum_type(TargetKind))
    base_year: int | None = Field(default=None, ge=1990, le=2100)
    base_year_emissions: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    base_year_intensity: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    intensity_unit: str = Field(default="", max_length=100)
    target_year: int = Field(ge=1990, le=2100)
    reduction_percent: Decimal | None = Field(default=None, ge=0, le=100, sa_type=ExactDecimal)
    target_year_emissions: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    bau_emissions: Decimal | None = Field(default=None, ge=0, sa_type=ExactDecimal)
    sectors: list[str] = Field(default_factory=lambda: ["all"],
                               sa_column=Column(JSON, nullable=False))
    gases: list[str] = Field(default_factory=lambda: ["CO2", "CH4", "N2O"],
                             sa_column=Column(JSON, nullable=False))
    boundary: str = Field(default="", max_length=200)
    year_set: int | None = Field(default=None, ge=1990, le=2100)
    reported_percent_achieved: Decimal | None = Field(default=None, sa_type=ExactDecimal)
    description: str = Field(default="", max_length=4000)
    source: str = Field(default="", max_length=300)


class MitigationTargetCreate(MitigationTargetBase):
    """What a caller gives to create or change a target (validated)."""

    @field_validator("sectors")
    @classmethod
    def check_sectors(cls, sectors: list[str]) -> list[str]:
        """Sectors are CRF sectors, or "all"."""
        return check_list(sectors, SECTOR_CODES)

    @field_validator("gases")
    @classmethod
    def check_gases(cls, gases: list[str]) -> list[str]:
        """Gases come from the CRF list."""
        return check_list(gases, GASES)

    @model_validator(mode="after")
    def check_years(self) -> "MitigationTargetCreate":
        """The target year comes after the base year."""
        if self.base_year is not None and self.target_year <= self.base_year:
            raise ValueError(f"the target year {self.target_year} is not after the base year "
                             f"{self.base_year}")
        return self


class MitigationTargetPublic(MitigationTargetBase):
    """A mitigation target as the API shows it."""

    id: int
    city_id: int
    version: int


class MitigationTarget(MitigationTargetBase, Versioned, table=True):
    """A city's emission reduction target."""

    __tablename__ = "mitigation_targets"

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="cities.id", index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# The adaptation-side tables live in their own module (size); re-exported for one import.
from tracker.climate.adaptation_models import (  # noqa: E402
    ActionKind,
    ActionStatus,
    AdaptationGoal,
    AdaptationGoalCreate,
    AdaptationGoalPublic,
    AdaptiveCapacity,
    AdaptiveCapacityCreate,
    ClimateAction,
    ClimateActionCreate,
    ClimateActionElement,
    ClimateActionHazard,
    ClimateActionPublic,
    ClimateActionTarget,
    Hazard,
    HazardCreate,
    HazardPublic,
    PastHazardEvent,
    PastHazardEventCreate,
)

__all__ = ["ActionKind", "ActionStatus", "AdaptationGoal", "AdaptationGoalCreate",
           "AdaptationGoalPublic", "ClimateActionPublic", "HazardPublic",
           "AdaptiveCapacity", "AdaptiveCapacityCreate", "ClimateAction", "ClimateActionCreate",
           "ClimateActionElement", "ClimateActionHazard", "ClimateActionTarget", "Hazard",
           "HazardCreate", "PastHazardEvent", "PastHazardEventCreate"]
