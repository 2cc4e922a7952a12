"""The matrix and its "not like for like" flags: different units, proxy alignments, years
far apart and unapproved values; empty cells; what is scored and what is left out."""

from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session, select

from tests.compare.support import measure
from tracker.auth.models import Role
from tracker.compare.matrix import NO_DATA, NO_INDICATOR
from tracker.compare.selection import read_selection
from tracker.compare.services import Comparison, compare

CITIES = "north,south,east"


@pytest.fixture
def trio(app: Flask, db: Session, make_network, make_city, make_indicator) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Three published cities of a network reporting on goal 6 in different ways."""
    network = make_network(slug="river-net")
    north, south, east = (make_city(network=network, slug=s, name=s.title())
                          for s in CITIES.split(","))
    m = measure
    m(app, db, make_indicator, north, "N-W", "6.1.1", {2020: "40", 2022: "60"})
    m(app, db, make_indicator, south, "S-W", "6.1.1", {2021: "80", 2022: "90"})
    m(app, db, make_indicator, east, "E-W", "6.1.1", {2022: "70"}, relation="proxy")
    m(app, db, make_indicator, north, "N-S", "6.2.1", {2022: "50"})
    m(app, db, make_indicator, south, "S-S", "6.2.1", {2022: "5000"}, unit_kind="count")
    m(app, db, make_indicator, east, "E-S", "6.2.1", {2018: "30"})
    m(app, db, make_indicator, north, "N-L", "6.3.1", {2022: "10"}, direction="lower")
    m(app, db, make_indicator, south, "S-L", "6.3.1", {2022: "30"}, direction="lower")
    make_indicator(east, "E-L")  # defined but never aligned
    m(app, db, make_indicator, east, "E-X", "6.3.1", {2022: "20"}, direction="lower",
      status="draft")  # an unapproved value only
    return {"network": network, "north": north, "south": south, "east": east}


def run(db: Session, user: Any = None, **args: str) -> Comparison:
    """Compare the trio (or what the arguments say) as a user."""
    return compare(db, user, read_selection({"cities": CITIES, "goal": "6"} | args))


def cells(comparison: Comparison, code: str) -> dict[str, Any]:
    """A row's cells by city slug."""
    row = next(r for r in comparison.rows if r.sdg.code == code)
    return {cell.city.slug: cell for cell in row.cells}


@pytest.mark.usefixtures("trio", "app_ctx")
def test_identical_alignments_in_the_same_unit_are_like_for_like(db: Session) -> None:  # type: ignore[no-untyped-def]
    row = cells(run(db), "6.1.1")
    assert row["north"].flags == [] and row["south"].flags == []
    assert row["east"].flags == ["relation"]  # a proxy is flagged …
    assert row["north"].latest == (2022, 60.0) and row["north"].unit_key == ("percent", "")
    # … but scored unless strict: min 60, max 90
    assert row["north"].score.value == 0 and row["south"].score.value == 100
    assert row["east"].score.value == pytest.approx(100 * 10 / 30)
    strict = cells(run(db, strict="1"), "6.1.1")
    assert strict["east"].score is None and "left out of scores" in strict["east"].excluded
    assert strict["north"].score.value == 0 and strict["south"].score.value == 100


@pytest.mark.usefixtures("trio", "app_ctx")
def test_different_units_and_distant_years_are_flagged_and_left_out(db: Session) -> None:  # type: ignore[no-untyped-def]
    comparison = run(db)
    row = cells(comparison, "6.2.1")
    assert row["south"].flags == ["unit"]  # counts among percentages
    assert row["east"].flags == ["years"]  # 2018 against 2022
    assert row["north"].flags == []
    assert all(cell.score is None for cell in row.values())
    assert "different units" in row["south"].excluded
    assert "Fewer than two" in row["north"].excluded
    notes = next(r for r in comparison.rows if r.sdg.code == "6.2.1").notes
    assert notes["unit"].endswith("South (Count)")
    assert notes["years"].endswith("East (2018)")


@pytest.mark.usefixtures("trio", "app_ctx")
def test_lower_is_better_and_empty_cells_say_why(db: Session) -> None:  # type: ignore[no-untyped-def]
    row = cells(run(db), "6.3.1")
    assert row["north"].score.value == 100 and row["south"].score.value == 0
    assert row["east"].empty == NO_DATA  # its only value is a draft
    assert cells(run(db), "6.2.1")["east"].empty == ""
    many = run(db, cities="north,south,east", goal="", indicators="6.1.1,6.4.1")
    assert [r.sdg.code for r in many.rows] == ["6.1.1", "6.4.1"]
    assert all(c.empty == NO_INDICATOR for c in many.rows[1].cells)


@pytest.mark.usefixtures("trio", "app_ctx")
def test_goal_and_composite_scores_rank_the_cities(db: Session) -> None:  # type: ignore[no-untyped-def]
    comparison = run(db, min_indicators="1")  # east's one score of two is enough here
    by_city = {s.city.slug: s for s in comparison.standings}
    assert by_city["north"].goals == {6: 50.0}  # mean of 0 (6.1.1) and 100 (6.3.1)
    assert by_city["south"].goals == {6: 50.0}
    assert by_city["east"].composite == pytest.approx(100 / 3)
    assert by_city["east"].category == "aspirant" and by_city["north"].category == "performer"
    assert [s.city.slug for s in comparison.ranking][-1] == "east"


@pytest.mark.usefixtures("app_ctx")
def test_drafts_count_only_where_the_viewer_may_see_them_and_are_flagged(  # type: ignore[no-untyped-def]
        trio, db: Session, make_user) -> None:
    assert cells(run(db, drafts="1"), "6.3.1")["east"].empty == NO_DATA  # a visitor
    reviewer = make_user(Role.REVIEWER, network=trio["network"])
    east = cells(run(db, reviewer, drafts="1"), "6.3.1")["east"]
    assert east.latest == (2022, 20.0) and east.flags == ["drafts"]
    assert east.score is None and "unapproved" in east.excluded
    assert cells(run(db, reviewer), "6.3.1")["east"].empty == NO_DATA  # not asked for


@pytest.mark.usefixtures("trio", "app_ctx")
def test_sorting_by_a_city_score_and_keeping_comparable_rows(db: Session) -> None:  # type: ignore[no-untyped-def]
    by_south = run(db, sort="score:south")
    assert [r.sdg.code for r in by_south.rows] == ["6.1.1", "6.3.1", "6.2.1"]
    assert [r.sdg.code for r in run(db).rows] == ["6.1.1", "6.2.1", "6.3.1"]
    assert [r.sdg.code for r in run(db, comparable="1").rows] == ["6.3.1"]


@pytest.mark.usefixtures("app", "app_ctx")
def test_a_plan_kind_keeps_the_indicators_measuring_such_a_plan(  # type: ignore[no-untyped-def]
        trio, db: Session, make_plan, make_element) -> None:
    from tracker.indicators.models import LocalIndicator
    from tracker.indicators.services import link_element
    from tracker.plans.models import PlanKind

    plan = make_plan(trio["north"], kind=PlanKind.CLIMATE.value)
    element = make_element(plan, "1")
    water = db.exec(select(LocalIndicator).where(LocalIndicator.code == "N-W")).one()
    link_element(session=db, indicator=water, element=element, user_id=None)
    db.flush()
    comparison = run(db, plan_kind="climate_action_plan")
    assert [r.sdg.code for r in comparison.rows] == ["6.1.1"]
    assert [c.empty for c in comparison.rows[0].cells] == ["", NO_INDICATOR, NO_INDICATOR]
