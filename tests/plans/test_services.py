"""Plan, tree, alignment and local-indicator services: the domain rules."""

from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session

from tracker.audit.models import AuditEvent
from tracker.catalogue.models import SdgIndicator, Target
from tracker.errors import StaleEditError
from tracker.indicators.models import LocalIndicatorCreate, SdgRelation
from tracker.indicators.services import (
    IndicatorError,
    align_to_sdg,
    link_element,
    update_indicator,
)
from tracker.plans.alignment import add_alignment
from tracker.plans.models import ElementAlignmentCreate, PlanCreate, PlanElementCreate, period_label
from tracker.plans.services import PlanError, add_element
from tracker.plans.tree import create_revision, move_element, reorder_element, set_retired


def target(db: Session, code: str) -> Target:
    """Return an SDG target by code."""
    return db.scalars(select(Target).where(Target.code == code)).one()


def sdg(db: Session, code: str) -> SdgIndicator:
    """Return an SDG indicator by code."""
    return db.scalars(select(SdgIndicator).where(SdgIndicator.code == code)).one()


def test_period_labels_follow_the_fiscal_year() -> None:
    assert period_label(2022, 2026, 7) == "2022/23–2026/27"
    assert period_label(2023, 2023, 4) == "2023/24"
    assert period_label(2021, 2025, 1) == "2021–2025"


def test_plan_period_and_levels_are_validated() -> None:
    with pytest.raises(ValidationError, match="end year is before"):
        PlanCreate(kind="other", title="Plan", start_year=2026, end_year=2022)
    with pytest.raises(ValidationError, match="level names"):
        PlanCreate(kind="other", title="Plan", start_year=2022, end_year=2026, level_names=[" "])


@pytest.mark.usefixtures("app_ctx")
def test_duplicate_element_codes_are_refused(db: Session, make_city, make_plan,  # type: ignore[no-untyped-def]
                                             make_element) -> None:
    plan = make_plan(make_city())
    make_element(plan, "1.1")
    with pytest.raises(PlanError, match="already used"):
        add_element(session=db, plan=plan, element_in=PlanElementCreate(code="1.1", title="X"),
                    user_id=None)


@pytest.mark.usefixtures("app_ctx")
def test_tree_depth_order_move_and_retire(db: Session, make_city, make_plan,  # type: ignore[no-untyped-def]
                                          make_element) -> None:
    plan = make_plan(make_city())
    one, two = make_element(plan, "1"), make_element(plan, "2")
    child = make_element(plan, "1.1", parent=one)
    grandchild = make_element(plan, "1.1.1", parent=child)
    assert (one.depth, child.depth, grandchild.depth) == (0, 1, 2)
    assert plan.level_name(child.depth) == "Programme"
    reorder_element(session=db, element=two, offset=-1, user_id=None)
    assert (two.position, one.position) == (0, 1)
    move_element(session=db, element=child, new_parent=two, user_id=None)
    assert child.parent_id == two.id and grandchild.depth == 2
    with pytest.raises(PlanError, match="under itself"):
        move_element(session=db, element=two, new_parent=grandchild, user_id=None)
    set_retired(session=db, element=two, retired=True, user_id=None, reason="merged")
    assert two.is_retired and child.is_retired and grandchild.is_retired
    events = db.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "PlanElement"))
    assert {"create", "reorder", "move", "retire"} <= set(events)


@pytest.mark.usefixtures("app_ctx")
def test_alignment_needs_one_node_and_keeps_one_primary(db: Session, make_city,  # type: ignore[no-untyped-def]
                                                        make_plan, make_element) -> None:
    element = make_element(make_plan(make_city()), "3.1")
    with pytest.raises(ValidationError, match="one SDG target or one SDG indicator"):
        ElementAlignmentCreate()
    first = add_alignment(session=db, element=element, user_id=None, alignment_in=
                          ElementAlignmentCreate(target_id=target(db, "6.1").id, is_primary=True))
    second = add_alignment(session=db, element=element, user_id=None, alignment_in=
                           ElementAlignmentCreate(sdg_indicator_id=sdg(db, "6.1.1").id,
                                                  is_primary=True, relation="direct"))
    assert second.is_primary and not first.is_primary
    with pytest.raises(PlanError, match="already aligned"):
        add_alignment(session=db, element=element, user_id=None,
                      alignment_in=ElementAlignmentCreate(target_id=target(db, "6.1").id))


@pytest.mark.usefixtures("app_ctx")
def test_revision_copies_the_tree_and_keeps_the_old_plan(db: Session, make_city,  # type: ignore[no-untyped-def]
                                                         make_plan, make_element,
                                                         make_indicator) -> None:
    city = make_city()
    plan = make_plan(city)
    parent = make_element(plan, "1")
    child = make_element(plan, "1.1", parent=parent)
    add_alignment(session=db, element=child, user_id=None,
                  alignment_in=ElementAlignmentCreate(target_id=target(db, "11.1").id))
    link_element(session=db, indicator=make_indicator(city), element=child, user_id=None)
    new = create_revision(session=db, plan=plan, user_id=None)
    db.refresh(new)
    codes = {e.code: e for e in new.elements}
    assert set(codes) == {"1", "1.1"} and codes["1.1"].parent_id == codes["1"].id
    assert len(codes["1.1"].alignments) == 1
    assert plan.status == "superseded" and new.revision == 2 and new.revision_of_id == plan.id
    assert len(plan.elements) == 2


@pytest.mark.parametrize("fields,message", [
    ({"direction": "band"}, "needs its lower and upper bounds"),
    ({"direction": "band", "band_low": "5", "band_high": "1"}, "lower bound must be below"),
    ({"baseline_year": 2020, "targets": [{"year": 2019, "value": "1"}]}, "before the baseline"),
    ({"baseline_value": "50"}, "baseline year with the baseline value"),
    ({"unit_kind": "other"}, "give the unit"),
    ({"baseline_year": 2020, "baseline_value": "120"}, "between 0 and 100"),
    ({"natural_limit": "100", "targets": [{"year": 2030, "value": "101"}]}, "natural limit"),
    ({"dimensions": [{"name": "sex", "values": ["f", "F"]}]}, "values repeat"),
])
def test_indicator_definitions_are_validated(fields: dict[str, object], message: str) -> None:
    base = {"code": "X", "name": "Test", "unit_kind": "percent", "direction": "higher"}
    with pytest.raises(ValidationError, match=message):
        LocalIndicatorCreate(**{**base, **fields})


@pytest.mark.usefixtures("app_ctx")
def test_indicator_update_replaces_parts_and_refuses_stale_edits(db: Session,  # type: ignore[no-untyped-def]
                                                                 make_city, make_indicator) -> None:
    city = make_city()
    indicator = make_indicator(city, baseline_year=2019, baseline_value="12.50",
                               targets=[{"year": 2026, "value": "40", "label": "IDP"},
                                        {"year": 2030, "value": "100", "label": "SDG"}],
                               dimensions=[{"name": "sex", "values": ["female", "male"]}])
    assert indicator.baseline_value == Decimal("12.5")
    assert [t.year for t in indicator.targets] == [2026, 2030]
    new = LocalIndicatorCreate(code="IND-1", name="Renamed", unit_kind="percent",
                               direction="higher", targets=[{"year": 2030, "value": "90"}])
    update_indicator(session=db, indicator=indicator, indicator_in=new, version=1, user_id=None)
    assert indicator.name == "Renamed" and len(indicator.targets) == 1 and indicator.version == 2
    with pytest.raises(StaleEditError):
        update_indicator(session=db, indicator=indicator, indicator_in=new, version=1,
                         user_id=None)


@pytest.mark.usefixtures("app_ctx")
def test_indicator_codes_are_unique_per_city(make_city, make_indicator) -> None:  # type: ignore[no-untyped-def]
    city = make_city()
    make_indicator(city, "W-1")
    make_indicator(make_city(), "W-1")
    with pytest.raises(IndicatorError, match="already used"):
        make_indicator(city, "w-1")


@pytest.mark.usefixtures("app_ctx")
def test_links_stay_within_the_city(db: Session, make_city, make_plan,  # type: ignore[no-untyped-def]
                                    make_element, make_indicator) -> None:
    city, other = make_city(), make_city()
    indicator = make_indicator(city)
    foreign = make_element(make_plan(other), "1")
    with pytest.raises(IndicatorError, match="same city"):
        link_element(session=db, indicator=indicator, element=foreign, user_id=None)
    link = align_to_sdg(session=db, indicator=indicator, sdg_indicator=sdg(db, "6.1.1"),
                        relation=SdgRelation.PROXY, rationale=" households ", user_id=None)
    assert link.rationale == "households"


@pytest.mark.usefixtures("app_ctx")
def test_decimals_round_trip_exactly(db: Session, make_city, make_indicator) -> None:  # type: ignore[no-untyped-def]
    indicator = make_indicator(make_city(), baseline_year=2020, baseline_value="99.94",
                               targets=[{"year": 2030, "value": "0.1"}])
    db.commit()
    db.expire_all()
    assert indicator.baseline_value == Decimal("99.94")
    assert indicator.targets[0].value == Decimal("0.1")


def test_reserved_codes_are_refused() -> None:
    with pytest.raises(ValidationError, match="reserved"):
        LocalIndicatorCreate(code="new", name="Test", unit_kind="count", direction="higher")


@pytest.mark.usefixtures("app_ctx")
def test_parent_plans_cannot_form_a_cycle(db: Session, make_city,  # type: ignore[no-untyped-def]
                                          make_plan) -> None:
    from tracker.plans.services import update_plan

    city = make_city()
    idp = make_plan(city, title="IDP")
    sdbip = make_plan(city, title="SDBIP", kind="annual_performance_plan", parent_id=idp.id)
    plan_in = PlanCreate(kind=idp.kind, title=idp.title, start_year=idp.start_year,
                         end_year=idp.end_year, parent_id=sdbip.id)
    with pytest.raises(PlanError, match="under itself"):
        update_plan(session=db, plan=idp, plan_in=plan_in, version=idp.version, user_id=None)


@pytest.mark.usefixtures("app_ctx")
def test_reorder_skips_retired_siblings(db: Session, make_city, make_plan,  # type: ignore[no-untyped-def]
                                        make_element) -> None:
    plan = make_plan(make_city())
    first, retired, last = (make_element(plan, c) for c in ("A", "B", "C"))
    set_retired(session=db, element=retired, retired=True, user_id=None)
    reorder_element(session=db, element=last, offset=-1, user_id=None)
    assert last.position < first.position


@pytest.mark.usefixtures("app_ctx")
def test_new_and_moved_elements_go_after_their_siblings(db: Session,  # type: ignore[no-untyped-def]
                                                        make_city, make_plan, make_element) -> None:
    plan = make_plan(make_city())
    first, second = make_element(plan, "1"), make_element(plan, "2")
    kids = [make_element(plan, f"2.{n}", parent=second) for n in (1, 2)]
    assert (first.position, second.position) == (0, 1)
    assert [k.position for k in kids] == [0, 1]
    move_element(session=db, element=first, new_parent=second, user_id=None)
    assert first.parent_id == second.id and first.position == 2
