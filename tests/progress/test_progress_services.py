"""The progress engine over the database: statuses from approved values (drafts on request),
the baseline as the base point, quarterly roll-ups, and roll-ups to SDG targets, goals, plan
elements (with their ancestors) and the city, in a fixed number of queries."""

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, col, select

from tests.factories import boundary
from tracker.catalogue.models import SdgIndicator
from tracker.cities.models import City
from tracker.data.models import Observation, ObservationStatus
from tracker.indicators.models import SdgRelation
from tracker.indicators.services import align_to_sdg, link_element
from tracker.progress.extensions import assess
from tracker.progress.services import (
    INSUFFICIENT,
    cities_progress,
    city_progress,
    count_list,
    indicator_progress,
)

RISING = {2015: "40", 2018: "55", 2021: "70"}


def put(db: Session, indicator: Any, values: dict[int, str], status: str = "approved",
        quarter: int = 0, key: str = "") -> None:
    """Store values of an indicator directly (the workflow is tested elsewhere)."""
    breakdown = dict([key.split("=")]) if key else {}
    for year, value in values.items():
        db.add(Observation(indicator_id=indicator.id, year=year, quarter=quarter,
                           breakdown=breakdown, breakdown_key=key, value=Decimal(value),
                           status=ObservationStatus(status)))
    db.flush()


def align(app: Flask, db: Session, indicator: Any, code: str) -> None:
    """Align a local indicator to an SDG indicator."""
    sdg = db.exec(select(SdgIndicator).where(SdgIndicator.code == code)).first()
    with boundary(app, db):
        align_to_sdg(session=db, indicator=indicator, sdg_indicator=sdg,
                     relation=SdgRelation.PROXY,
                     rationale="", user_id=None)


@pytest.fixture
def city(make_city):  # type: ignore[no-untyped-def]
    return make_city()


@pytest.mark.usefixtures("app_ctx")
def test_a_status_comes_from_approved_values_and_matches_the_engine(
        db: Session, city, make_indicator) -> None:  # type: ignore[no-untyped-def]
    ind = make_indicator(city, "W-1", baseline_year=2015, targets=[{"year": 2030,
                                                                    "value": "100"}])
    put(db, ind, RISING)
    put(db, ind, {2023: "20"}, status="draft")  # a draft collapse does not count…
    item = city_progress(db, city).items[0]
    expected = assess([(y, float(v)) for y, v in RISING.items()], direction="higher",
                      base_year=2015, targets=[(2030, 100)])
    assert (item.status, item.score) == (expected.status, pytest.approx(expected.score))
    assert item.total is not None and item.total.latest_year == 2021
    drafts = city_progress(db, city, include_drafts=True).items[0]  # …unless asked for
    assert drafts.total is not None and drafts.total.latest_year == 2023
    assert drafts.status == "deterioration"


@pytest.mark.usefixtures("app_ctx")
def test_the_baseline_is_the_base_point_and_a_single_value_says_why(
        db: Session, city, make_indicator) -> None:  # type: ignore[no-untyped-def]
    ind = make_indicator(city, "W-2", baseline_year=2015, baseline_value="40",
                         targets=[{"year": 2025, "value": "60"}])
    put(db, ind, {2021: "62"})
    assert city_progress(db, city).items[0].status == "target_achieved"
    lonely = make_indicator(city, "W-3", baseline_year=2015)
    put(db, lonely, {2021: "62"})
    item = [i for i in city_progress(db, city).items if i.indicator.code == "W-3"][0]
    assert item.status == "not_available" and "fewer than two" in item.total.reason  # type: ignore[union-attr]


@pytest.mark.usefixtures("app_ctx")
def test_quarters_roll_up_as_the_indicator_says(db: Session, city,  # type: ignore[no-untyped-def]
                                                make_indicator) -> None:
    ind = make_indicator(city, "Q-1", unit_kind="count", frequency="quarterly",
                         quarterly_rollup="sum", baseline_year=2020)
    for year in (2020, 2021):
        for quarter in range(1, 5):
            put(db, ind, {year: str(year - 2019)}, quarter=quarter)
    item = city_progress(db, city).items[0]
    assert item.years[""] == [(2020, 4.0), (2021, 8.0)]


@pytest.mark.usefixtures("app_ctx")
@pytest.mark.parametrize("rule", ["mean_of_breakdowns", "headline"])
def test_the_rule_decides_which_series_count(db: Session, city,  # type: ignore[no-untyped-def]
                                            make_indicator, rule: str) -> None:
    ind = make_indicator(city, "S-1", baseline_year=2015, progress_rule=rule, dimensions=[
        {"name": "sex", "values": ["female", "male"]}])
    put(db, ind, RISING)
    put(db, ind, {2015: "40", 2021: "30"}, key="sex=female")
    put(db, ind, {2015: "40", 2021: "80"}, key="sex=male")
    item = city_progress(db, city).items[0]
    scores = {key: r.score for key, r in item.results.items()}  # each breakdown on its own
    assert len(scores) == 3 and scores["sex=female"] == -5.0
    if rule == "mean_of_breakdowns":  # the mean over the total and every breakdown
        assert item.score == pytest.approx(sum(scores.values()) / 3)  # type: ignore[arg-type]
        assert item.result.scored == 3
    else:  # the default: the total alone, as Open SDG does without options
        assert item.score == scores[""] == 5.0 and item.result.scored == 1
        assert item.result.outcomes[0].keys == ("",)


@pytest.mark.usefixtures("app_ctx")
def test_rollups_need_sixty_percent_with_a_status(app: Flask, db: Session,  # type: ignore[no-untyped-def]
                                                  city, make_indicator, make_plan,
                                                  make_element) -> None:
    plan = make_plan(city)
    top = make_element(plan, "1")
    child = make_element(plan, "1.1", parent=top)
    indicators = [make_indicator(city, f"I-{n}", baseline_year=2015) for n in range(3)]
    for ind in indicators:
        align(app, db, ind, "6.1.1")
        with boundary(app, db):
            link_element(session=db, indicator=ind, element=child, user_id=None)
    put(db, indicators[0], RISING)
    progress = city_progress(db, city)
    assert progress.goals[6].status == INSUFFICIENT  # 1 of 3 has a status
    assert dict(count_list(progress.goals[6]))["not_available"] == 2
    put(db, indicators[1], RISING)
    progress = city_progress(db, city)
    for rollup in (progress.goals[6], progress.targets["6.1"], progress.elements[child.id],
                   progress.elements[top.id], progress.overall):
        assert rollup.status != INSUFFICIENT and rollup.with_status == 2
        assert rollup.score == pytest.approx(progress.items[0].score)


@pytest.mark.usefixtures("app_ctx")
def test_a_network_overview_runs_a_fixed_number_of_queries(
        db: Session, make_city, make_indicator, count_queries) -> None:  # type: ignore[no-untyped-def]
    def fill(n: int) -> list[int]:
        cities = [make_city() for _ in range(n)]
        for c in cities:
            for k in range(3):
                put(db, make_indicator(c, f"N-{k}", baseline_year=2015), RISING)
        return [c.id for c in cities]

    def fresh(ids: list[int]) -> list[City]:
        return list(db.exec(select(City).where(col(City.id).in_(ids))).all())

    few, many = fill(2), fill(6)
    with count_queries() as small:  # the cities are read inside: a page reads them too
        cities_progress(db, fresh(few))
    with count_queries() as large:
        result = cities_progress(db, fresh(many))
    assert small() == large() and len(result) == 6
    assert all(p.overall.status == result[0].overall.status for p in result)


@pytest.mark.usefixtures("app_ctx")
def test_indicator_progress_is_pure_over_loaded_data(db: Session, city,  # type: ignore[no-untyped-def]
                                                     make_indicator) -> None:
    ind = make_indicator(city, "P-1", baseline_year=2015)
    put(db, ind, RISING)
    data = city_progress(db, city).items[0].data
    assert indicator_progress(data).status == indicator_progress(data).status
