"""Align plan elements to SDG targets and indicators (flush, never commit; history kept)."""

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker.audit.services import record_change
from tracker.catalogue.models import SdgIndicator, Target
from tracker.plans.models import ElementAlignment, ElementAlignmentCreate, Plan, PlanElement
from tracker.plans.services import PlanError


def _node_code(session: Session, alignment_in: ElementAlignmentCreate) -> str:
    """Return the code of the SDG target or indicator aligned to (404-like error if unknown)."""
    node: Target | SdgIndicator | None
    if alignment_in.target_id is not None:
        node = session.get(Target, alignment_in.target_id)
    else:
        node = session.get(SdgIndicator, alignment_in.sdg_indicator_id)
    if node is None:
        raise PlanError(_("That SDG target or indicator does not exist."))
    return node.code


def add_alignment(*, session: Session, element: PlanElement,
                  alignment_in: ElementAlignmentCreate, user_id: int | None) -> ElementAlignment:
    """Align an element to an SDG target or indicator; one primary alignment per element."""
    code = _node_code(session, alignment_in)
    existing = session.exec(select(ElementAlignment).where(
        ElementAlignment.element_id == element.id,
        ElementAlignment.target_id == alignment_in.target_id,
        ElementAlignment.sdg_indicator_id == alignment_in.sdg_indicator_id)).first()
    if existing is not None:
        raise PlanError(_("%(element)s is already aligned to %(code)s.", element=element.code,
                          code=code))
    if alignment_in.is_primary:
        _clear_primary(session, element)
    alignment = ElementAlignment.model_validate(alignment_in, update={"element_id": element.id})
    session.add(alignment)
    session.flush()
    _record(session, element, "align", {"sdg": [None, code],
                                        "relation": [None, alignment.relation.value]}, user_id)
    return alignment


def _clear_primary(session: Session, element: PlanElement) -> None:
    """Unset the element's current primary alignment."""
    for other in session.exec(select(ElementAlignment).where(
            ElementAlignment.element_id == element.id, ElementAlignment.is_primary)):
        other.is_primary = False
        session.add(other)


def remove_alignment(*, session: Session, alignment: ElementAlignment,
                     user_id: int | None) -> None:
    """Remove an alignment, keeping the removal in history."""
    element = session.get(PlanElement, alignment.element_id)
    assert element is not None
    code = _node_code(session, ElementAlignmentCreate(target_id=alignment.target_id,
                                                      sdg_indicator_id=alignment.sdg_indicator_id))
    session.delete(alignment)
    session.flush()
    _record(session, element, "unalign", {"sdg": [code, None]}, user_id)


def _record(session: Session, element: PlanElement, action: str,
            changes: dict[str, list[object]], user_id: int | None) -> None:
    """Record an alignment change against the element."""
    plan = session.get(Plan, element.plan_id)
    record_change(session, user_id=user_id, action=action, entity=element,
                  city_id=plan.city_id if plan else None, changes=changes)
