"""Load the demo plans, element trees, alignments and local indicators (idempotent; flush only).

Everything goes through the plan and indicator services, so the demo records carry the same
history as an officer's. A second run finds every record and creates nothing.
"""

import logging
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from tracker.catalogue.models import SdgIndicator, Target
from tracker.cities.models import City
from tracker.demo.plan_helpers import PROPOSED
from tracker.demo.plans_data import CITY_PLANS
from tracker.errors import DomainError
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorElementLink,
    LocalIndicator,
    LocalIndicatorCreate,
    SdgRelation,
)
from tracker.indicators.services import align_to_sdg, create_indicator, link_element
from tracker.plans.alignment import add_alignment
from tracker.plans.models import (
    AlignmentRelation,
    ElementAlignment,
    ElementAlignmentCreate,
    Plan,
    PlanCreate,
    PlanElement,
    PlanElementCreate,
)
from tracker.plans.services import add_element, create_plan
from tracker.plans.tree import create_revision

logger = logging.getLogger(__name__)

PLAN_FIELDS = ("kind", "title", "start_year", "end_year", "status", "level_names",
               "description", "source_url")


class DemoDataError(DomainError):
    """The demo data cannot be loaded (e.g. the SDG catalogue is missing)."""


class SdgCodes:
    """SDG target and indicator ids by code, read once."""

    def __init__(self, session: Session) -> None:
        self.targets = dict(session.exec(select(Target.code, Target.id)).all())
        self.indicators = dict(session.exec(select(SdgIndicator.code, SdgIndicator.id)).all())

    def node(self, code: str) -> tuple[int | None, int | None]:
        """Return (target id, SDG indicator id) for a target or indicator code."""
        if code in self.indicators:
            return None, self.indicators[code]
        if code in self.targets:
            return self.targets[code], None
        raise DemoDataError(f"SDG code {code} is not in the catalogue: run "
                            "`tracker catalogue load` before the demo load.")


def load_demo_plans(session: Session, cities: dict[str, City]) -> list[str]:
    """Create the demo plans and local indicators that do not exist yet; say what was made."""
    created: list[str] = []
    codes = SdgCodes(session)
    for slug, spec in CITY_PLANS.items():
        city = cities.get(slug)
        if city is None:
            logger.info("Demo city %s is missing: its plans are skipped", slug)
            continue
        plans: dict[str, Plan] = {}
        for plan_spec in spec["plans"]:
            plans[plan_spec["key"]] = ensure_plan(session, city, plan_spec, plans, codes, created)
        for indicator_spec in spec["indicators"]:
            ensure_indicator(session, city, indicator_spec, plans, codes, created)
    session.flush()
    return created


def latest_revision(session: Session, city: City, title: str) -> Plan | None:
    """Return the latest revision of the city's plan with this title."""
    query = (select(Plan).where(Plan.city_id == city.id, Plan.title == title)
             .order_by(col(Plan.revision).desc()))
    return session.exec(query).first()


def ensure_plan(session: Session, city: City, spec: dict[str, Any], plans: dict[str, Plan],
                codes: SdgCodes, created: list[str]) -> Plan:
    """Find or create a plan, fill in its tree, and make its later revisions."""
    plan = latest_revision(session, city, spec["title"])
    if plan is None:
        parent = plans.get(spec.get("parent", ""))
        plan_in = PlanCreate(**{k: spec[k] for k in PLAN_FIELDS if k in spec},
                             parent_id=parent.id if parent else None)
        plan = create_plan(session=session, city=city, plan_in=plan_in, user_id=None)
        created.append(f"plan {city.slug}: {plan.title}")
    ensure_elements(session, plan, spec["elements"], codes, created)
    while plan.revision < spec.get("revisions", 1):
        plan = create_revision(session=session, plan=plan, user_id=None)
        created.append(f"plan {city.slug}: {plan.title} (revision {plan.revision})")
    return plan


def ensure_elements(session: Session, plan: Plan, specs: list[dict[str, Any]],
                    codes: SdgCodes, created: list[str]) -> None:
    """Add the plan's missing elements (parents first) and their missing alignments."""
    existing = {e.code: e for e in session.exec(
        select(PlanElement).where(PlanElement.plan_id == plan.id))}
    for spec in specs:
        element = existing.get(spec["code"])
        if element is None:
            parent = existing[spec["parent"]] if spec["parent"] else None
            element_in = PlanElementCreate(
                code=spec["code"], title=spec["title"], description=spec["description"],
                budget=Decimal(spec["budget"]) if spec["budget"] else None,
                parent_id=parent.id if parent else None)
            element = add_element(session=session, plan=plan, element_in=element_in,
                                  user_id=None)
            existing[element.code] = element
            created.append(f"element {plan.title} › {element.code}")
        ensure_element_alignments(session, element, spec["align"], codes, created)


def ensure_element_alignments(session: Session, element: PlanElement,
                              specs: list[tuple[str, str, bool]], codes: SdgCodes,
                              created: list[str]) -> None:
    """Align an element to the SDG targets and indicators it is not aligned to yet."""
    have = {(a.target_id, a.sdg_indicator_id) for a in session.exec(
        select(ElementAlignment).where(ElementAlignment.element_id == element.id))}
    for code, relation, is_primary in specs:
        target_id, indicator_id = codes.node(code)
        if (target_id, indicator_id) in have:
            continue
        add_alignment(session=session, element=element, alignment_in=ElementAlignmentCreate(
            target_id=target_id, sdg_indicator_id=indicator_id,
            relation=AlignmentRelation(relation), is_primary=is_primary, rationale=PROPOSED),
            user_id=None)
        created.append(f"alignment {element.code} → {code}")


def ensure_indicator(session: Session, city: City, spec: dict[str, Any],
                     plans: dict[str, Plan], codes: SdgCodes, created: list[str]) -> None:
    """Find or define a local indicator, then add its missing SDG alignments and links."""
    fields = spec["fields"]
    indicator = session.exec(select(LocalIndicator).where(
        LocalIndicator.city_id == city.id, LocalIndicator.code == fields["code"])).first()
    if indicator is None:
        indicator = create_indicator(session=session, city=city,
                                     indicator_in=LocalIndicatorCreate(**fields), user_id=None)
        created.append(f"indicator {city.slug}: {indicator.code}")
    ensure_sdg_links(session, indicator, spec["sdg"], codes, created)
    for plan_key, element_code in spec["links"]:
        ensure_element_link(session, indicator, plans[plan_key], element_code, created)


def ensure_sdg_links(session: Session, indicator: LocalIndicator,
                     specs: list[tuple[str, str, str]], codes: SdgCodes,
                     created: list[str]) -> None:
    """Align a local indicator to the SDG indicators it is not aligned to yet."""
    have = set(session.exec(select(IndicatorAlignment.sdg_indicator_id).where(
        IndicatorAlignment.indicator_id == indicator.id)))
    for code, relation, rationale in specs:
        _target, sdg_id = codes.node(code)
        sdg = session.get(SdgIndicator, sdg_id) if sdg_id else None
        if sdg is None:
            raise DemoDataError(f"{indicator.code}: {code} is a target, not an SDG indicator.")
        if sdg.id in have:
            continue
        align_to_sdg(session=session, indicator=indicator, sdg_indicator=sdg,
                     relation=SdgRelation(relation), rationale=rationale, user_id=None)
        created.append(f"alignment {indicator.code} → {code}")


def ensure_element_link(session: Session, indicator: LocalIndicator, plan: Plan, code: str,
                        created: list[str]) -> None:
    """Link a local indicator to a plan element it measures, unless it already is."""
    element = session.exec(select(PlanElement).where(PlanElement.plan_id == plan.id,
                                                     PlanElement.code == code)).one()
    linked = session.exec(select(IndicatorElementLink).where(
        IndicatorElementLink.indicator_id == indicator.id,
        IndicatorElementLink.element_id == element.id)).first()
    if linked is None:
        link_element(session=session, indicator=indicator, element=element, user_id=None)
        created.append(f"link {indicator.code} → {plan.title} › {code}")
