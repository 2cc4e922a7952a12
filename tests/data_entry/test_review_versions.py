"""Review actions carry the version the page showed: on the grid and the period form's
"submit all drafts", a value that changed since the page was drawn is refused (409), shown as
it is now, and left as it was (value, status, history); the page lets the user act again."""

import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.data_entry.test_grid_routes import grid_world, observe  # noqa: F401  (fixture)
from tests.factories import Auth, boundary
from tests.test_access import World, world  # noqa: F401  (world is a fixture)
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.data.services import Entry, review_observation, save_observation

GRID = "/cities/city-b/indicators/B-1/data"
PERIOD = "/cities/city-b/data/2020"


def state(db: Session, cell: Observation) -> tuple[Any, ...]:
    """What a refused action must leave as it was: value, status, version and history."""
    db.expire_all()
    fresh = db.get(Observation, cell.id)
    assert fresh is not None
    history = db.scalar(select(func.count()).select_from(ObservationChange)
                        .where(ObservationChange.observation_id == cell.id))
    return fresh.value, fresh.status, fresh.version, history


def shown_version(page: str, cell: Observation, action: str) -> int:
    """Read the version an action's form on the page carries."""
    form = re.search(rf'action="{GRID}/cell/{cell.id}/{action}">(.*?)</form>', page, re.S)
    assert form is not None, f"no {action} form for the cell"
    version = re.search(r'name="version" value="(\d+)"', form.group(1))
    assert version is not None
    return int(version.group(1))


def resave(app: Flask, db: Session, people: World, cell: Observation, value: str) -> None:
    """Someone else saves a new value over one of city B's cells (a draft again)."""
    with boundary(app, db):
        save_observation(session=db, indicator=people.ids["b1"], user_id=None,
                         expected_version=cell.version,
                         entry=Entry(year=cell.year, value=Decimal(value),
                                     breakdown=dict(cell.breakdown), warning_note="new survey"))


@pytest.mark.parametrize(("key", "action", "role", "target"), [
    ("b_draft", "submit", "officer_b", ObservationStatus.SUBMITTED),
    ("b_submitted", "approve", "secretariat_b", ObservationStatus.APPROVED),
    ("b_submitted", "return", "secretariat_b", ObservationStatus.RETURNED),
    ("b_approved", "unlock", "admin", ObservationStatus.DRAFT),
])
def test_a_stale_version_is_refused_and_the_page_lets_the_user_act_again(
        key: str, action: str, role: str, target: ObservationStatus, grid_world: World,  # noqa: F811
        client: FlaskClient, auth: Auth, db: Session) -> None:
    cell = grid_world.ids[key]
    auth.login(grid_world.users[role])
    before = state(db, cell)
    drawn = shown_version(client.get(GRID).get_data(as_text=True), cell, action)
    assert drawn == before[2]
    stale = client.post(f"{GRID}/cell/{cell.id}/{action}",
                        data={"version": drawn + 1, "reason": "Checked"})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert f"now holds 1.5 ({before[1].value}, version {before[2]})" in page
    assert state(db, cell) == before
    again = shown_version(page, cell, action)  # the 409 page offers the action anew
    done = client.post(f"{GRID}/cell/{cell.id}/{action}",
                       data={"version": again, "reason": "Checked"})
    assert done.status_code == 302
    assert state(db, cell) == (before[0], target, before[2] + 1, before[3] + 1)


def test_a_value_typed_after_the_grid_was_drawn_is_never_approved(
        app: Flask, grid_world: World, client: FlaskClient, auth: Auth,  # noqa: F811
        db: Session) -> None:
    cell = grid_world.ids["b_submitted"]
    auth.login(grid_world.users["secretariat_b"])
    drawn = shown_version(client.get(GRID).get_data(as_text=True), cell, "approve")
    resave(app, db, grid_world, cell, "99")  # the officer types 99 and submits it again
    with boundary(app, db):
        review_observation(session=db, cell=cell, action="submit",
                           expected_version=cell.version, user_id=None)
    before = state(db, cell)
    assert before[:2] == (Decimal("99"), ObservationStatus.SUBMITTED)
    refused = client.post(f"{GRID}/cell/{cell.id}/approve", data={"version": drawn})
    assert refused.status_code == 409
    assert "now holds 99 (submitted" in refused.get_data(as_text=True)
    assert state(db, cell) == before  # still submitted: the 99 was never approved unseen


@pytest.mark.parametrize("data", [{}, {"version": ""}, {"version": "x"}, {"version": "0"}])
def test_a_review_form_without_a_version_is_refused(
        data: dict[str, str], grid_world: World, client: FlaskClient, auth: Auth,  # noqa: F811
        db: Session) -> None:
    cell = grid_world.ids["b_submitted"]
    auth.login(grid_world.users["secretariat_b"])
    before = state(db, cell)
    response = client.post(f"{GRID}/cell/{cell.id}/approve", data=data)
    assert response.status_code == 422
    assert state(db, cell) == before


# ---------------------------------------------------------------- the period form


def submit_form(page: str) -> dict[str, str]:
    """Read the versions the period page's "submit all drafts" form carries."""
    return dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page))


def test_submit_all_skips_and_lists_the_values_changed_since_the_page_was_drawn(
        app: Flask, grid_world: World, client: FlaskClient, auth: Auth,  # noqa: F811
        db: Session) -> None:
    indicator = grid_world.ids["b1"]
    total = grid_world.ids["b_draft"]
    female = observe(app, db, indicator, 2020, sex="female")
    auth.login(grid_world.users["officer_b"])
    form = submit_form(client.get(PERIOD).get_data(as_text=True))
    assert form == {f"version-{total.id}": "1", f"version-{female.id}": "1"}
    resave(app, db, grid_world, female, "2.5")  # changed after the page was drawn
    male = observe(app, db, indicator, 2020, sex="male")  # not on the page at all
    changed_before, male_before = state(db, female), state(db, male)

    response = client.post(f"{PERIOD}/submit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Submitted 1 value for review." in page
    assert "B-1 · 2020 · female: This value changed" in page
    assert "now holds 2.5 (draft, version 2)" in page
    assert "B-1 · 2020 · male: This value changed" in page
    assert state(db, total)[1] == ObservationStatus.SUBMITTED  # kept, though the page is 409
    assert state(db, female) == changed_before and state(db, male) == male_before
    again = submit_form(page)  # the refreshed page carries the current versions
    assert client.post(f"{PERIOD}/submit", data=again).status_code == 302
    assert state(db, female)[1] == state(db, male)[1] == ObservationStatus.SUBMITTED


@pytest.mark.parametrize("versions", [{"version-abc": "1"}, {"version-1": "²"},
                                      {"version-1": "9" * 5000}])
def test_malformed_versions_submit_nothing(
        versions: dict[str, str], grid_world: World, client: FlaskClient, auth: Auth,  # noqa: F811
        db: Session) -> None:
    total = grid_world.ids["b_draft"]
    auth.login(grid_world.users["officer_b"])
    before = state(db, total)
    response = client.post(f"{PERIOD}/submit", data=versions)
    assert response.status_code == 409
    assert state(db, total) == before
