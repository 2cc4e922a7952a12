"""Look-ups an import needs: SDG codes, and short keys that name a city's plans in a sheet."""

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from tracker.catalogue.models import SdgIndicator, Target
from tracker.cities.models import City
from tracker.db import saved_id, stored_id
from tracker.plans.models import Plan, PlanElement, PlanKind

# A plan key is the kind's abbreviation and the start year ("IDP-2022"); a later revision adds
# "-r2"; two plans that would share a key are told apart by "-2", "-3" … in the order they
# were registered. A plan may also be named by its number (id).
KIND_KEYS = {PlanKind.IDP: "IDP", PlanKind.SDBIP: "SDBIP", PlanKind.SDG_FRAMEWORK: "SDGLF",
             PlanKind.CLIMATE: "CAP", PlanKind.VLR: "VLR", PlanKind.SECTOR: "SECTOR",
             PlanKind.OTHER: "PLAN"}


@dataclass
class SdgCodes:
    """The codes of every SDG target and indicator, with their ids and sort keys."""

    targets: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, int] = field(default_factory=dict)
    target_codes: dict[int, str] = field(default_factory=dict)
    indicator_codes: dict[int, str] = field(default_factory=dict)
    sort_keys: dict[str, str] = field(default_factory=dict)


def load_sdg_codes(session: Session) -> SdgCodes:
    """Load every SDG target and indicator code (two queries)."""
    codes = SdgCodes()
    for node_id, code, sort_key in session.exec(select(Target.id, Target.code, Target.sort_key)):
        codes.targets[code] = stored_id(node_id)
        codes.target_codes[stored_id(node_id)] = code
        codes.sort_keys[code] = sort_key
    query = select(SdgIndicator.id, SdgIndicator.code, SdgIndicator.sort_key)
    for node_id, code, sort_key in session.exec(query):
        codes.indicators[code] = stored_id(node_id)
        codes.indicator_codes[stored_id(node_id)] = code
        codes.sort_keys[code] = sort_key
    return codes


def plan_key(plan: Plan) -> str:
    """Return a plan's key before duplicates are told apart."""
    key = f"{KIND_KEYS.get(PlanKind(plan.kind), 'PLAN')}-{plan.start_year}"
    return key if plan.revision <= 1 else f"{key}-r{plan.revision}"


def plan_keys(plans: list[Plan]) -> dict[int, str]:
    """Return a unique key for each of a city's plans."""
    seen: dict[str, int] = {}
    keys: dict[int, str] = {}
    for plan in sorted(plans, key=lambda p: p.id or 0):
        base = plan_key(plan)
        seen[base] = seen.get(base, 0) + 1
        keys[saved_id(plan)] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return keys


def list_city_plans(session: Session, city: City) -> list[Plan]:
    """Return a city's plans in the order they were registered."""
    return list(session.exec(select(Plan).where(Plan.city_id == city.id)
                             .order_by(col(Plan.id))))


def list_elements(session: Session, plan_ids: list[int]) -> list[PlanElement]:
    """Return every element (current and retired) of these plans."""
    if not plan_ids:
        return []
    query = select(PlanElement).where(col(PlanElement.plan_id).in_(plan_ids))
    return list(session.exec(query.order_by(col(PlanElement.depth), col(PlanElement.position),
                                            col(PlanElement.id))))
