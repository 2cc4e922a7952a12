"""Stored progress: after every kind of change the city's data version moves, its stored
results are stale until recomputed, and then equal a fresh computation by the engine; the
network page reads them, saying 'as of' and 'recomputing' when they are behind."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from tests.factories import Auth, boundary
from tests.progress.test_progress_routes import align, text
from tracker.auth.models import Role
from tracker.cities.models import City, Network
from tracker.cities.services import add_member
from tracker.data import bulk_review
from tracker.data.models import Observation, ObservationStatus
from tracker.data.services import Entry, delete_observation, review_observation, save_observation
from tracker.indicators.models import IndicatorAlignment, LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import remove_sdg_alignment, set_retired, update_indicator
from tracker.progress import stored_queries
from tracker.progress.services import city_progress
from tracker.progress.stored import recompute_stale, stale_cities
from tracker.progress.stored_models import (
    ProgressVersion,
    StoredCityProgress,
    StoredIndicatorProgress,
)

RISING = {2015: "40", 2018: "55", 2021: "70"}  # reaches the 2030 target of 70 in 2021


def version(db: Session, city: City) -> int:
    """The city's current data version (0 before its first bump)."""
    row = db.get(ProgressVersion, city.id)
    return 0 if row is None else row.version


def stored_matches_fresh(db: Session, city: City) -> None:
    """The stored results equal what the engine computes now from the database."""
    db.expire_all()
    fresh = city_progress(db, city)
    stored = db.get(StoredCityProgress, city.id)
    assert stored is not None and stored.data_version == version(db, city)
    rows = db.scalars(select(StoredIndicatorProgress)
                      .where(col(StoredIndicatorProgress.city_id) == city.id)).all()
    assert {r.indicator_id: (r.status, r.score, r.data_version) for r in rows} == {
        i.indicator.id: (i.status, i.score, stored.data_version) for i in fresh.items}
    overall = fresh.overall
    assert (stored.status, stored.score, stored.counts, stored.indicators) == (
        overall.status, overall.score, overall.counts, len(fresh.items))
    assert stored.goals == {str(n): [r.status, r.score, r.counts]
                            for n, r in fresh.goals.items()}
    assert stored.targets == {k: [r.status, r.score, r.counts] for k, r in fresh.targets.items()}


def entry(year: int, value: str) -> Entry:
    """A yearly total value as an officer enters it."""
    return Entry(year=year, value=Decimal(value))


def cell(db: Session, indicator: LocalIndicator, year: int) -> Observation:
    """The indicator's total cell of a year."""
    return db.exec(select(Observation).where(Observation.indicator_id == indicator.id,
                                             Observation.year == year)).one()


def approve(app: Flask, db: Session, indicator: LocalIndicator, years: list[int]) -> None:
    """Submit and approve the year's cells, one by one, through the review service."""
    for action in ("submit", "approve"):
        for year in years:
            with boundary(app, db):
                found = cell(db, indicator, year)
                review_observation(session=db, cell=found, action=action,
                                   expected_version=found.version, user_id=None)


@pytest.fixture
def city_two(app: Flask, db: Session, make_city: Any, make_indicator: Any) -> City:
    """A city with two indicators aligned to 6.1.1, W-1's values saved and approved
    through the services, its stored results fresh."""
    city = make_city(slug="stored-city", name="Stored City")
    for code in ("W-1", "W-2"):
        ind = make_indicator(city, code, baseline_year=2015,
                             targets=[{"year": 2030, "value": "70"}])
        align(app, db, ind, "6.1.1")
    first = indicator(db, city, "W-1")
    for year, value in RISING.items():
        with boundary(app, db):
            save_observation(session=db, indicator=first, entry=entry(year, value),
                             expected_version=None, user_id=None)
    approve(app, db, first, list(RISING))
    recompute_stale(db, [city.id])
    return city


def indicator(db: Session, city: City, code: str) -> LocalIndicator:
    """A city's indicator by code."""
    return db.exec(select(LocalIndicator).where(LocalIndicator.city_id == city.id,
                                                LocalIndicator.code == code)).one()


def redefine(app: Flask, db: Session, ind: LocalIndicator, **changes: Any) -> None:
    """Change an indicator's definition through the definition service."""
    fields = {"code": ind.code, "name": ind.name, "unit_kind": ind.unit_kind,
              "direction": ind.direction, "baseline_year": ind.baseline_year,
              "targets": [{"year": t.year, "value": t.value} for t in ind.targets]}
    with boundary(app, db):
        update_indicator(session=db, indicator=ind, user_id=None, version=None,
                         indicator_in=LocalIndicatorCreate(**{**fields, **changes}))


def save_value(app: Flask, db: Session, city: City) -> None:
    with boundary(app, db):  # a draft does not count, yet the version moves
        save_observation(session=db, indicator=indicator(db, city, "W-2"),
                         entry=entry(2016, "12"), expected_version=None, user_id=None)


def delete_value(app: Flask, db: Session, city: City) -> None:
    return_value(app, db, city)
    recompute_stale(db, [city.id])  # only the deletion below must move the version
    with boundary(app, db):
        found = cell(db, indicator(db, city, "W-1"), 2021)
        delete_observation(session=db, cell=found, expected_version=found.version,
                           user_id=None, reason="wrong")


def return_value(app: Flask, db: Session, city: City) -> None:
    found = cell(db, indicator(db, city, "W-1"), 2021)
    with boundary(app, db):
        review_observation(session=db, cell=found, action="unlock",
                           expected_version=found.version, user_id=None, reason="recount")


def bulk_approve(app: Flask, db: Session, city: City) -> None:
    second = indicator(db, city, "W-2")
    for year, value in {2015: "10", 2021: "5"}.items():
        with boundary(app, db):
            saved = save_observation(session=db, indicator=second, entry=entry(year, value),
                                     expected_version=None, user_id=None)
            review_observation(session=db, cell=saved, action="submit",
                               expected_version=saved.version, user_id=None)
    recompute_stale(db, [city.id])  # only the bulk approval below must move the version
    cells = db.exec(select(Observation).where(Observation.indicator_id == second.id)).all()
    with boundary(app, db):
        bulk_review.approve_seen(session=db, city=city, seen={c.id: c.version for c in cells},
                                 user_id=None)


def change_baseline(app: Flask, db: Session, city: City) -> None:
    redefine(app, db, indicator(db, city, "W-1"), baseline_year=2018)


def change_target(app: Flask, db: Session, city: City) -> None:
    redefine(app, db, indicator(db, city, "W-1"), targets=[{"year": 2030, "value": "100"}])


def change_method(app: Flask, db: Session, city: City) -> None:
    redefine(app, db, indicator(db, city, "W-1"), auto_progress=False,
             manual_progress_status="deterioration")


def retire(app: Flask, db: Session, city: City) -> None:
    with boundary(app, db):
        set_retired(session=db, indicator=indicator(db, city, "W-1"), retired=True,
                    user_id=None)


def unalign(app: Flask, db: Session, city: City) -> None:
    link = db.exec(select(IndicatorAlignment).where(
        IndicatorAlignment.indicator_id == indicator(db, city, "W-1").id)).one()
    with boundary(app, db):
        remove_sdg_alignment(session=db, link=link, user_id=None)


# Each change, and what a reader works out by hand for W-1 (None: W-1 is no longer listed).
CHANGES: dict[str, tuple[Callable[..., None], str | None]] = {
    "value saved": (save_value, "target_achieved"),
    "value deleted": (delete_value, "substantial_progress"),  # 40 → 55 by 2018, 70 needed
    "value unlocked": (return_value, "substantial_progress"),
    "bulk approval": (bulk_approve, "target_achieved"),
    "baseline changed": (change_baseline, "target_achieved"),
    "target changed": (change_target, "substantial_progress"),  # 9.8 %/yr, 6.3 % needed
    "method changed": (change_method, "deterioration"),  # set by hand
    "indicator retired": (retire, None),
    "alignment removed": (unalign, "target_achieved"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_stored_results_equal_a_fresh_computation_after_each_change(
        app: Flask, db: Session, city_two: City, change: str) -> None:
    stored_matches_fresh(db, city_two)
    before = version(db, city_two)
    apply, w1_status = CHANGES[change]
    apply(app, db, city_two)
    assert version(db, city_two) > before
    assert stale_cities(db, [city_two.id]) == [city_two.id]
    assert recompute_stale(db, [city_two.id]) == 1
    assert stale_cities(db, [city_two.id]) == []
    stored_matches_fresh(db, city_two)
    w1 = db.get(StoredIndicatorProgress, indicator(db, city_two, "W-1").id)
    assert (w1.status if w1 else None) == w1_status


def test_the_stored_goal_roll_up_of_a_city(db: Session, city_two: City) -> None:
    stored = db.get(StoredCityProgress, city_two.id)
    assert stored is not None
    # W-1 achieved its target, W-2 has no values: 1 of 2 with a score is under 60 %
    assert stored.goals == {"6": ["insufficient_data", None,
                                  {"target_achieved": 1, "not_available": 1}]}
    assert stored.counts == {"target_achieved": 1, "not_available": 1}


def test_bulk_statements_move_the_version(app: Flask, db: Session, city_two: City) -> None:
    first = indicator(db, city_two, "W-1")
    before = version(db, city_two)
    with boundary(app, db):
        db.execute(insert(Observation), [{
            "indicator_id": first.id, "year": 2024, "quarter": 0, "breakdown": {},
            "breakdown_key": "", "value": Decimal(80), "status": "approved", "comment": "",
            "source": "", "evidence_url": "", "return_reason": "", "is_deleted": False,
            "version": 1, "warning_note": "", "follow_up": False}])
    assert version(db, city_two) == before + 1
    with boundary(app, db):
        db.execute(update(Observation).where(col(Observation.indicator_id) == first.id)
                   .values(status=ObservationStatus.DRAFT))
    assert version(db, city_two) == before + 2
    recompute_stale(db, [city_two.id])
    stored_matches_fresh(db, city_two)


def test_other_cities_keep_their_version(app: Flask, db: Session, city_two: City,
                                         make_city: Any, make_indicator: Any) -> None:
    other = make_city(slug="other-city")
    make_indicator(other, "O-1")
    recompute_stale(db, [other.id])
    before = version(db, other)
    delete_value(app, db, city_two)
    assert version(db, other) == before and stale_cities(db, [other.id]) == []


# ---------------------------------------------------------------- the network page

@pytest.fixture
def network_page(make_network: Any, app: Flask, db: Session, city_two: City, auth: Auth,
                 make_user: Any) -> str:
    """The address of a network whose one member is city_two, with an admin signed in."""
    network = make_network(slug="stored-net")
    with boundary(app, db):
        add_member(session=db, network=network, city=city_two, user_id=None)
    auth.login(make_user(Role.ADMIN))
    return "/networks/stored-net/progress"


def test_the_network_page_says_when_it_is_recomputing(
        app: Flask, db: Session, client: FlaskClient, city_two: City,
        network_page: str) -> None:
    fresh = text(client.get(network_page))
    assert "Statuses as of" in fresh and "Recomputing" not in fresh
    assert "Stored City ✓" not in fresh  # overall: insufficient data (1 of 2 scored)
    change_method(app, db, city_two)
    stale = text(client.get(network_page))  # shown as stored, the recomputation queued
    assert "Recomputing 1 city: its statuses shown may be out of date." in stale
    assert "Stored City (recomputing)" in stale
    # the test queue runs the task once the request has ended: the next view is current
    after = text(client.get(network_page))
    assert "Recomputing" not in after
    w1 = db.get(StoredIndicatorProgress, indicator(db, city_two, "W-1").id)
    assert w1 is not None and w1.status == "deterioration"
    stored_matches_fresh(db, city_two)


def test_a_city_never_computed_is_shown_as_recomputing(
        app: Flask, db: Session, client: FlaskClient, network_page: str) -> None:
    with boundary(app, db):
        db.execute(StoredCityProgress.__table__.delete())  # type: ignore[attr-defined]
    page = text(client.get(network_page))
    assert "Not computed yet: recomputing." in page and "Recomputing 1 city" in page
    assert "Recomputing" not in text(client.get(network_page))


def test_a_write_request_recomputes_its_city_once_it_has_committed(
        db: Session, client: FlaskClient, city_two: City, auth: Auth, make_user: Any) -> None:
    auth.login(make_user("officer", city=city_two))
    w1 = indicator(db, city_two, "W-1").id
    before = version(db, city_two)
    response = client.post("/cities/stored-city/indicators/W-1/retire",
                           data={"reason": "Replaced"})
    assert response.status_code == 302
    assert version(db, city_two) == before + 1
    # the request queued its city; the test queue ran the task after the commit
    assert stale_cities(db, [city_two.id]) == []
    assert db.get(StoredIndicatorProgress, w1) is None
    stored_matches_fresh(db, city_two)


def test_the_recompute_command(app: Flask, db: Session, city_two: City) -> None:
    change_target(app, db, city_two)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["progress", "recompute", "--city", "stored-city"])
    assert result.exit_code == 0 and result.output.startswith("1 of 1 cities recomputed in ")
    stored_matches_fresh(db, city_two)
    again = runner.invoke(args=["progress", "recompute"])
    assert again.output.startswith("0 of ")  # nothing stale is computed twice
    wrong = runner.invoke(args=["progress", "recompute", "--city", "nowhere"])
    assert wrong.exit_code == 1 and "No such city" in wrong.output


def test_the_network_page_is_paged(
        db: Session, client: FlaskClient, network_page: str, make_city: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    network = db.exec(select(Network).where(Network.slug == "stored-net")).one()
    make_city(network=network, slug="another-city", name="Another City")
    monkeypatch.setattr(stored_queries, "PAGE_SIZE", 1)
    client.get(network_page)  # stores the new city
    first, second = text(client.get(network_page)), text(client.get(network_page + "?page=2"))
    assert "Another City" in first and "Stored City" not in first  # by name
    assert "Page 1 of 2" in first and "Stored City" in second and "Page 2 of 2" in second
    assert "Stored City" in text(client.get(network_page + "?page=9"))  # past the end: last
    assert client.get(network_page + "?page=x").status_code == 400
