"""Named reads of a city's climate data, eager-loading what reports and pages use."""

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from tracker.cities.models import City
from tracker.climate.models import (
    AdaptationGoal,
    AdaptiveCapacity,
    ClimateAction,
    ClimateProfile,
    GhgInventory,
    Hazard,
    MitigationTarget,
)
from tracker.db import relation, saved_id
from tracker.plans.models import PlanElement


@dataclass
class CityClimate:
    """Everything the CRF asks of one city, loaded in a fixed number of queries."""

    city: City
    profile: ClimateProfile | None = None
    inventories: list[GhgInventory] = field(default_factory=list)  # newest year first
    targets: list[MitigationTarget] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)
    capacities: list[AdaptiveCapacity] = field(default_factory=list)
    goals: list[AdaptationGoal] = field(default_factory=list)
    actions: list[ClimateAction] = field(default_factory=list)

    @property
    def latest_inventory(self) -> GhgInventory | None:
        """Return the inventory of the latest year, if any."""
        return self.inventories[0] if self.inventories else None


def load_city_climate(session: Session, city: City) -> CityClimate:
    """Load a city's climate data: 13 queries whatever its size."""
    cid = saved_id(city)
    profile = session.exec(select(ClimateProfile).where(ClimateProfile.city_id == cid)).first()
    inventories = session.exec(
        select(GhgInventory).where(GhgInventory.city_id == cid)
        .options(selectinload(relation(GhgInventory.cells)))
        .order_by(col(GhgInventory.year).desc())).all()
    targets = session.exec(select(MitigationTarget).where(MitigationTarget.city_id == cid)
                           .order_by(col(MitigationTarget.target_year),
                                     col(MitigationTarget.id))).all()
    hazards = session.exec(select(Hazard).where(Hazard.city_id == cid)
                           .options(selectinload(relation(Hazard.events)))
                           .order_by(col(Hazard.hazard))).all()
    capacities = session.exec(select(AdaptiveCapacity).where(AdaptiveCapacity.city_id == cid)
                              .order_by(col(AdaptiveCapacity.factor))).all()
    goals = session.exec(select(AdaptationGoal).where(AdaptationGoal.city_id == cid)
                         .order_by(col(AdaptationGoal.id))).all()
    return CityClimate(city, profile, list(inventories), list(targets), list(hazards),
                       list(capacities), list(goals), load_actions(session, cid))


def load_actions(session: Session, city_id: int) -> list[ClimateAction]:
    """Load a city's actions with their plan elements (and plans), SDG targets and hazards."""
    query = (select(ClimateAction).where(ClimateAction.city_id == city_id)
             .options(selectinload(relation(ClimateAction.elements))
                      .selectinload(relation(PlanElement.plan)),
                      selectinload(relation(ClimateAction.sdg_targets)),
                      selectinload(relation(ClimateAction.hazards)))
             .order_by(col(ClimateAction.kind), col(ClimateAction.title)))
    return list(session.exec(query).all())


def get_inventory(session: Session, city_id: int, year: int) -> GhgInventory | None:
    """Return a city's inventory of one year with its cells."""
    return session.exec(select(GhgInventory)
                        .where(GhgInventory.city_id == city_id, GhgInventory.year == year)
                        .options(selectinload(relation(GhgInventory.cells)))).first()


def profile_by_account(session: Session, account: int) -> ClimateProfile | None:
    """Return the climate profile holding a CDP account number."""
    return session.exec(select(ClimateProfile)
                        .where(ClimateProfile.cdp_account_number == account)).first()
