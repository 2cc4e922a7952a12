"""Create and change a city's climate data (flush, never commit; every change audited)."""

from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, SQLModel, col, select

from tracker.audit.services import diff, record_change, snapshot, tracked_update
from tracker.catalogue.models import Target
from tracker.cities.models import City
from tracker.climate.models import (
    AdaptationGoal,
    AdaptationGoalCreate,
    AdaptiveCapacity,
    AdaptiveCapacityCreate,
    ClimateAction,
    ClimateActionCreate,
    ClimateProfile,
    ClimateProfileCreate,
    GhgInventory,
    Hazard,
    HazardCreate,
    InventoryCell,
    InventoryCreate,
    MitigationTarget,
    MitigationTargetCreate,
    PastHazardEvent,
    PastHazardEventCreate,
)
from tracker.climate.sectors import ROWS
from tracker.db import saved_id
from tracker.errors import DomainError
from tracker.plans.models import Plan, PlanElement

PROFILE_FIELDS = list(ClimateProfileCreate.model_fields)
INVENTORY_FIELDS = [f for f in InventoryCreate.model_fields if f != "cells"]
TARGET_FIELDS = list(MitigationTargetCreate.model_fields)
HAZARD_FIELDS = list(HazardCreate.model_fields)
GOAL_FIELDS = list(AdaptationGoalCreate.model_fields)
ACTION_FIELDS = [f for f in ClimateActionCreate.model_fields
                 if f not in ("element_ids", "sdg_target_ids", "hazard_ids")]


class ClimateError(DomainError):
    """A change to a city's climate data was refused."""


def _create(session: Session, record: SQLModel, fields: list[str], city_id: int,
            user_id: int | None, extra: dict[str, Any] | None = None) -> None:
    """Add a record and keep its creation in history."""
    session.add(record)
    session.flush()
    record_change(session, user_id=user_id, action="create", entity=record, city_id=city_id,
                  changes=diff({}, {**snapshot(record, fields), **(extra or {})}))


def _update(session: Session, record: Any, data_in: SQLModel, fields: list[str], *,
            version: int | None, user_id: int | None, city_id: int) -> None:
    """Apply validated fields to a versioned record, refusing stale edits, with history."""
    tracked_update(session, record,
                   lambda: record.sqlmodel_update(data_in.model_dump(include=set(fields))),
                   take=lambda: snapshot(record, fields), version=version, user_id=user_id,
                   city_id=city_id)


def save_profile(*, session: Session, city: City, profile_in: ClimateProfileCreate,
                 version: int | None, user_id: int | None) -> ClimateProfile:
    """Create or change a city's climate profile (commitment date, CDP account)."""
    number = profile_in.cdp_account_number
    if number is not None:
        other = session.exec(select(ClimateProfile).where(
            ClimateProfile.cdp_account_number == number,
            ClimateProfile.city_id != city.id)).first()
        if other is not None:
            raise ClimateError(_("CDP account %(number)s belongs to another city.",
                                 number=number))
    profile = session.exec(select(ClimateProfile).where(ClimateProfile.city_id == city.id)).first()
    if profile is None:
        profile = ClimateProfile.model_validate(profile_in, update={"city_id": city.id})
        _create(session, profile, PROFILE_FIELDS, saved_id(city), user_id)
        return profile
    _update(session, profile, profile_in, PROFILE_FIELDS, version=version, user_id=user_id,
            city_id=saved_id(city))
    return profile


def cell_snapshot(cells: list[InventoryCell]) -> dict[str, str | None]:
    """Return every cell of the CRF table as history keeps it (None when blank), so a
    cleared cell shows up in the diff too."""
    shown: dict[str, str | None] = {f"cell {row.code}/{scope}": None
                                    for row in ROWS for scope in sorted(row.scopes)}
    for cell in cells:
        text = format(cell.value, "f") if cell.value is not None else (
            str(cell.notation_key) if cell.notation_key else "")
        if cell.explanation:
            text += f" ({cell.explanation})"
        shown[f"cell {cell.row_code}/{cell.scope}"] = text or None
    return shown


def _inventory_snapshot(inventory: GhgInventory) -> dict[str, Any]:
    """Return an inventory's fields and cells for history."""
    return {**snapshot(inventory, INVENTORY_FIELDS), **cell_snapshot(inventory.cells)}


def _apply_cells(inventory: GhgInventory, inventory_in: InventoryCreate) -> None:
    """Make the inventory's cells those given: change, add and drop by row and scope."""
    wanted = {(c.row_code, c.scope): c for c in inventory_in.cells}
    for cell in list(inventory.cells):
        given = wanted.pop((cell.row_code, cell.scope), None)
        if given is None:
            inventory.cells.remove(cell)
            continue
        cell.value, cell.notation_key = given.value, given.notation_key
        cell.explanation = given.explanation
    for given in wanted.values():
        inventory.cells.append(InventoryCell(**given.model_dump()))


def _check_inventory_year(session: Session, city_id: int, year: int,
                          inventory_id: int | None = None) -> None:
    """One inventory per city and inventory year."""
    query = select(GhgInventory.id).where(GhgInventory.city_id == city_id,
                                          GhgInventory.year == year)
    found = session.exec(query).first()
    if found is not None and found != inventory_id:
        raise ClimateError(_("There is already an inventory for %(year)s.", year=year))


def create_inventory(*, session: Session, city: City, inventory_in: InventoryCreate,
                     user_id: int | None) -> GhgInventory:
    """Record a GHG inventory and its CRF cells."""
    _check_inventory_year(session, saved_id(city), inventory_in.year)
    inventory = GhgInventory.model_validate(inventory_in.model_dump(exclude={"cells"}),
                                            update={"city_id": city.id})
    _apply_cells(inventory, inventory_in)
    session.add(inventory)
    session.flush()
    filled = {k: v for k, v in _inventory_snapshot(inventory).items() if v is not None}
    record_change(session, user_id=user_id, action="create", entity=inventory,
                  city_id=city.id, changes=diff({}, filled))
    return inventory


def update_inventory(*, session: Session, inventory: GhgInventory,
                     inventory_in: InventoryCreate, version: int | None,
                     user_id: int | None) -> GhgInventory:
    """Change an inventory and its cells, refusing stale edits, keeping the change."""
    _check_inventory_year(session, inventory.city_id, inventory_in.year, inventory.id)

    def apply() -> None:
        """Copy the fields and make the cells those given."""
        inventory.sqlmodel_update(inventory_in.model_dump(include=set(INVENTORY_FIELDS)))
        _apply_cells(inventory, inventory_in)

    tracked_update(session, inventory, apply, take=lambda: _inventory_snapshot(inventory),
                   version=version, user_id=user_id, city_id=inventory.city_id)
    return inventory


def create_target(*, session: Session, city: City, target_in: MitigationTargetCreate,
                  user_id: int | None) -> MitigationTarget:
    """Record a mitigation target."""
    target = MitigationTarget.model_validate(target_in, update={"city_id": city.id})
    _create(session, target, TARGET_FIELDS, saved_id(city), user_id)
    return target


def update_target(*, session: Session, target: MitigationTarget,
                  target_in: MitigationTargetCreate, version: int | None,
                  user_id: int | None) -> MitigationTarget:
    """Change a mitigation target."""
    _update(session, target, target_in, TARGET_FIELDS, version=version, user_id=user_id,
            city_id=target.city_id)
    return target


def _check_hazard_free(session: Session, city_id: int, code: str, hazard_id: int | None) -> None:
    """A city assesses each hazard once."""
    found = session.exec(select(Hazard.id).where(Hazard.city_id == city_id,
                                                 Hazard.hazard == code)).first()
    if found is not None and found != hazard_id:
        raise ClimateError(_("This hazard is already in the assessment."))


def create_hazard(*, session: Session, city: City, hazard_in: HazardCreate,
                  user_id: int | None) -> Hazard:
    """Add a hazard to a city's risk and vulnerability assessment."""
    _check_hazard_free(session, saved_id(city), hazard_in.hazard, None)
    hazard = Hazard.model_validate(hazard_in, update={"city_id": city.id})
    _create(session, hazard, HAZARD_FIELDS, saved_id(city), user_id)
    return hazard


def update_hazard(*, session: Session, hazard: Hazard, hazard_in: HazardCreate,
                  version: int | None, user_id: int | None) -> Hazard:
    """Change an assessed hazard."""
    _check_hazard_free(session, hazard.city_id, hazard_in.hazard, hazard.id)
    _update(session, hazard, hazard_in, HAZARD_FIELDS, version=version, user_id=user_id,
            city_id=hazard.city_id)
    return hazard


def add_past_event(*, session: Session, hazard: Hazard, event_in: PastHazardEventCreate,
                   user_id: int | None) -> PastHazardEvent:
    """Record a past event of a hazard."""
    event = PastHazardEvent.model_validate(event_in, update={"hazard_id": hazard.id})
    _create(session, event, list(PastHazardEventCreate.model_fields), hazard.city_id, user_id)
    return event


def rate_capacity(*, session: Session, city: City, capacity_in: AdaptiveCapacityCreate,
                  user_id: int | None) -> AdaptiveCapacity:
    """Rate one adaptive-capacity factor of a city (a new rating replaces the old one)."""
    fields = list(AdaptiveCapacityCreate.model_fields)
    found = session.exec(select(AdaptiveCapacity).where(
        AdaptiveCapacity.city_id == city.id, AdaptiveCapacity.factor == capacity_in.factor)).first()
    if found is None:
        found = AdaptiveCapacity.model_validate(capacity_in, update={"city_id": city.id})
        _create(session, found, fields, saved_id(city), user_id)
        return found
    _update(session, found, capacity_in, fields, version=None, user_id=user_id,
            city_id=saved_id(city))
    return found


def _own_hazard(session: Session, city_id: int, hazard_id: int) -> Hazard:
    """Return a hazard of this city, or refuse."""
    hazard = session.get(Hazard, hazard_id)
    if hazard is None or hazard.city_id != city_id:
        raise ClimateError(_("The hazard must be one of this city's assessed hazards."))
    return hazard


def create_goal(*, session: Session, city: City, goal_in: AdaptationGoalCreate,
                user_id: int | None) -> AdaptationGoal:
    """Record an adaptation goal for one of the city's hazards."""
    _own_hazard(session, saved_id(city), goal_in.hazard_id)
    goal = AdaptationGoal.model_validate(goal_in, update={"city_id": city.id})
    _create(session, goal, GOAL_FIELDS, saved_id(city), user_id)
    return goal


def update_goal(*, session: Session, goal: AdaptationGoal, goal_in: AdaptationGoalCreate,
                version: int | None, user_id: int | None) -> AdaptationGoal:
    """Change an adaptation goal."""
    _own_hazard(session, goal.city_id, goal_in.hazard_id)
    _update(session, goal, goal_in, GOAL_FIELDS, version=version, user_id=user_id,
            city_id=goal.city_id)
    return goal


def _action_links(session: Session, city_id: int, action_in: ClimateActionCreate
                  ) -> tuple[list[PlanElement], list[Target], list[Hazard]]:
    """Load the elements, SDG targets and hazards an action links to, refusing others'."""
    elements = list(session.exec(select(PlanElement).join(Plan).where(
        col(PlanElement.id).in_(action_in.element_ids), Plan.city_id == city_id)))
    if len(elements) != len(set(action_in.element_ids)):
        raise ClimateError(_("Link only elements of this city's plans."))
    targets = list(session.exec(select(Target).where(
        col(Target.id).in_(action_in.sdg_target_ids))))
    if len(targets) != len(set(action_in.sdg_target_ids)):
        raise ClimateError(_("An SDG target to link does not exist."))
    hazards = [_own_hazard(session, city_id, h) for h in dict.fromkeys(action_in.hazard_ids)]
    return elements, targets, hazards


def _link_snapshot(action: ClimateAction) -> dict[str, Any]:
    """Return an action's fields and links for history."""
    return {**snapshot(action, ACTION_FIELDS),
            "elements": ",".join(sorted(e.code for e in action.elements)),
            "sdg_targets": ",".join(sorted(t.code for t in action.sdg_targets)),
            "hazards": ",".join(sorted(h.hazard for h in action.hazards))}


def create_action(*, session: Session, city: City, action_in: ClimateActionCreate,
                  user_id: int | None) -> ClimateAction:
    """Record a climate action with its plan elements, SDG targets and hazards."""
    elements, targets, hazards = _action_links(session, saved_id(city), action_in)
    action = ClimateAction.model_validate(action_in.model_dump(include=set(ACTION_FIELDS)),
                                          update={"city_id": city.id})
    action.elements, action.sdg_targets, action.hazards = elements, targets, hazards
    session.add(action)
    session.flush()
    record_change(session, user_id=user_id, action="create", entity=action, city_id=city.id,
                  changes=diff({}, _link_snapshot(action)))
    return action


def update_action(*, session: Session, action: ClimateAction, action_in: ClimateActionCreate,
                  version: int | None, user_id: int | None) -> ClimateAction:
    """Change a climate action and its links."""
    elements, targets, hazards = _action_links(session, action.city_id, action_in)

    def apply() -> None:
        """Copy the fields and replace the links."""
        action.sqlmodel_update(action_in.model_dump(include=set(ACTION_FIELDS)))
        action.elements, action.sdg_targets, action.hazards = elements, targets, hazards

    tracked_update(session, action, apply, take=lambda: _link_snapshot(action),
                   version=version, user_id=user_id, city_id=action.city_id)
    return action


def target_ids(session: Session, codes: list[str]) -> list[int]:
    """Return the ids of SDG targets by code ("13.2"), refusing unknown codes."""
    found = {t.code: saved_id(t) for t in session.exec(select(Target).where(
        col(Target.code).in_(codes)))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ClimateError(_("Unknown SDG target(s): %(codes)s", codes=", ".join(missing)))
    return [found[c] for c in codes]
