"""Demo plans and indicators: the reference's facts, synthetic values marked, idempotent load."""

from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.audit.models import AuditEvent
from tracker.cities.models import City
from tracker.coverage.queries import CoverageState, get_city_coverage
from tracker.demo.data import SYNTHETIC
from tracker.demo.plans import DemoDataError, SdgCodes, load_demo_plans
from tracker.demo.plans_data import CITY_PLANS
from tracker.demo.services import load_demo
from tracker.indicators.models import IndicatorAlignment, LocalIndicator
from tracker.plans.models import ElementAlignment, Plan, PlanElement, period_label

# Indicators whose baseline and targets are taken from the reference ([V]); every other one
# must say it is synthetic.
VERIFIED = {"KPI-1.3.1", "KPI-1.1.1", "KPI-BIO", "KPI-MPD", "HEL-HOMELESS", "HEL-CHILD-LOWINC",
            "HEL-LOWINC", "HEL-HOUSING", "HEL-LIFE", "HEL-MORBIDITY"}


@pytest.fixture
def demo(app: Flask, db: Session) -> list[str]:
    """Load the demo (and its plans, whether or not load_demo does already); say what was made."""
    with app.app_context():
        created = load_demo(db).created
        created += load_demo_plans(db, {c.slug: c for c in db.exec(select(City))})
        db.commit()
    return created


def plan(db: Session, slug: str, title: str, revision: int | None = None) -> Plan:
    """Return a demo plan by city and title (the latest revision unless one is given)."""
    query = (select(Plan).join(City).where(City.slug == slug, Plan.title == title)
             .order_by(Plan.revision.desc()))  # type: ignore[attr-defined]
    if revision is not None:
        query = query.where(Plan.revision == revision)
    return db.exec(query).first()  # type: ignore[return-value]


def elements(db: Session, of: Plan) -> dict[str, PlanElement]:
    """Return a plan's elements by code."""
    return {e.code: e for e in db.exec(select(PlanElement).where(PlanElement.plan_id == of.id))}


def indicator(db: Session, code: str) -> LocalIndicator:
    """Return a demo indicator by code."""
    return db.exec(select(LocalIndicator).where(LocalIndicator.code == code)).one()


def count(db: Session, model: type) -> int:
    """Count the rows of a table."""
    return db.scalar(select(func.count()).select_from(model)) or 0


IDP = "eThekwini Integrated Development Plan 2022/23–2026/27"


@pytest.mark.usefixtures("demo")
def test_ethekwini_idp_has_the_eight_plans_and_the_2016_17_codes(db: Session) -> None:
    idp = plan(db, "ethekwini", IDP)
    assert idp.level_names == ["Plan", "Strategic focus area", "Programme", "Project"]
    assert period_label(idp.start_year, idp.end_year, 7) == "2022/23–2026/27"
    assert (idp.revision, idp.status) == (2, "under_review")
    assert plan(db, "ethekwini", IDP, revision=1).status == "superseded"
    tree = elements(db, idp)
    tops = [e.title for e in sorted(tree.values(), key=lambda e: e.position) if e.depth == 0]
    assert tops[0] == "Develop and Sustain our Spatial, Natural and Built Environment"
    assert tops[7] == "Financially Accountable and Sustainable City" and len(tops) == 8
    assert tree["1.1.1"].title == "SDF Review" and tree["1.1.1"].depth == 2
    assert tree["1.1.1"].parent_id == tree["1.1"].id and tree["1.1"].parent_id == tree["1"].id
    assert tree["1.3.1"].parent_id == tree["1.3"].id
    assert SYNTHETIC in tree["1.1"].description  # the SFA's title is invented


@pytest.mark.usefixtures("demo")
def test_the_sdbip_is_a_child_plan_with_the_real_kpis(db: Session) -> None:
    sdbip = plan(db, "ethekwini", "SDBIP 2023/24")
    assert sdbip.kind == "annual_performance_plan"
    assert db.get(Plan, sdbip.parent_id).title == IDP  # type: ignore[union-attr]
    assert {"3A", "7C", "21", "22"} <= set(elements(db, sdbip))
    kpi = indicator(db, "KPI-1.3.1")
    assert kpi.baseline_value == Decimal("99.94") and kpi.frequency == "quarterly"
    assert [(t.value, t.label) for t in kpi.targets] == [
        (Decimal(99), f"Q{q} 2016/17 SDBIP") for q in (1, 2, 3, 4)]
    assert [t.value for t in indicator(db, "KPI-BIO").targets] == [40, 100, 100, 100]
    police = indicator(db, "KPI-MPD")
    assert police.baseline_value is None and police.baseline_note == "New KPI – No baseline"
    capex = indicator(db, "KPI-CAPEX")
    assert [t.value for t in capex.targets] == [15, 35, 60, 95]
    assert SYNTHETIC in capex.baseline_note and "synthetic" in capex.targets[0].label


@pytest.mark.usefixtures("demo")
def test_patiala_bhavnagar_and_helsinki(db: Session) -> None:
    district = plan(db, "patiala-district", "Patiala District SDG Action Plan & Indicator "
                                            "Framework")
    assert district.level_names == ["Goal", "Target"] and len(elements(db, district)) == 14
    deaths = indicator(db, "DIF-3.6.1")
    assert deaths.direction == "lower" and deaths.unit_kind == "rate_per_100000"
    link = db.exec(select(IndicatorAlignment).where(
        IndicatorAlignment.indicator_id == deaths.id)).one()
    assert link.relation == "identical"
    slb = plan(db, "bhavnagar", "Bhavnagar Municipal Corporation – Service Level Benchmark "
                                "improvement plan 2024/25–2029/30, mapped to SDGs")
    assert SYNTHETIC in slb.description and period_label(2024, 2029, 4) == "2024/25–2029/30"
    assert indicator(db, "SLB-2.1.4").direction == "lower"
    assert "73.0 %" in indicator(db, "SLB-2.1.1").definition
    assert plan(db, "bhavnagar", "Bhavnagar Climate Action Plan").kind == "climate_action_plan"
    homeless = indicator(db, "HEL-HOMELESS")
    assert (homeless.baseline_year, homeless.baseline_value) == (2018, Decimal(602))
    assert [(t.year, t.value) for t in homeless.targets] == [(2025, Decimal(0))]
    assert "450" in homeless.definition
    assert plan(db, "helsinki", "Helsinki City Strategy 2021–2025: A Place of Growth") is not None


@pytest.mark.usefixtures("demo")
def test_synthetic_values_are_marked_in_the_data(db: Session) -> None:
    codes = {i["fields"]["code"] for spec in CITY_PLANS.values() for i in spec["indicators"]}
    for code in codes - VERIFIED:
        ind = indicator(db, code)
        marks = " ".join([ind.definition, ind.baseline_note, ind.data_source,
                          *(t.label for t in ind.targets)])
        assert SYNTHETIC.lower() in marks.lower(), code
    assert VERIFIED <= codes


@pytest.mark.usefixtures("demo", "app_ctx")
def test_the_demo_plans_fill_the_coverage_strip(db: Session) -> None:
    ethekwini = db.exec(select(City).where(City.slug == "ethekwini")).one()
    coverage = get_city_coverage(db, ethekwini)
    states = {g.goal.number: g.state for g in coverage.goals}
    assert states[6] == states[11] == states[16] == CoverageState.BOTH
    assert states[8] == CoverageState.PLANS and states[13] == CoverageState.NONE
    assert [i.code for i in coverage.no_baseline] == ["KPI-MPD"]
    assert [p.plan.title for p in coverage.plans] == [IDP, "SDBIP 2023/24"]
    assert len(coverage.plans[0].earlier) == 1 and coverage.plans[1].depth == 1


def test_a_second_load_creates_nothing(demo: list[str], app: Flask, db: Session) -> None:
    assert any(c.startswith("plan ethekwini") for c in demo)
    before = [count(db, m) for m in (Plan, PlanElement, ElementAlignment, LocalIndicator,
                                     IndicatorAlignment, AuditEvent)]
    with app.app_context():
        cities = {c.slug: c for c in db.exec(select(City))}
        assert load_demo_plans(db, cities) == []
        db.commit()
    assert [count(db, m) for m in (Plan, PlanElement, ElementAlignment, LocalIndicator,
                                   IndicatorAlignment, AuditEvent)] == before


def test_cities_missing_from_the_database_are_skipped(app: Flask, db: Session) -> None:
    with app.app_context():
        assert load_demo_plans(db, {}) == []


@pytest.mark.usefixtures("app_ctx")
def test_an_unknown_sdg_code_is_a_clear_error(db: Session) -> None:
    with pytest.raises(DemoDataError, match="99.9 is not in the catalogue"):
        SdgCodes(db).node("99.9")


@pytest.mark.usefixtures("demo")
def test_the_demo_coverage_page_renders(client: FlaskClient) -> None:
    html = client.get("/cities/ethekwini/coverage").get_data(as_text=True)
    assert "SDBIP 2023/24" in html and "2022/23–2026/27" in html and "KPI-MPD" in html
