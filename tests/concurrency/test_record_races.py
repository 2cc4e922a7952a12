"""Concurrent edits of one versioned record through its form (the tracked_update path): of N
saves from the same version exactly one is accepted, the others get 409, and the audit
history is one line."""

from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import THREADS, RaceWorld, race, signed_in
from tracker.audit.models import AuditEvent
from tracker.cities.models import City
from tracker.plans.models import Plan, PlanCreate
from tracker.plans.services import create_plan

ROUNDS = 10


def city_form(city: City, name: str, version: int) -> dict[str, Any]:
    """A complete city profile form that renames the city."""
    return {"expected_version": str(version), "name": name, "country_code": city.country_code,
            "level": city.level, "parent_id": "", "population": "", "population_year": "",
            "population_source": "", "fiscal_year_start_month": "1", "website": "",
            "description": "", "is_published": "y"}


def plan_form(title: str, version: int) -> dict[str, Any]:
    """A complete plan form that retitles the plan."""
    return {"kind": "integrated_development_plan", "title": title, "start_year": "2022",
            "end_year": "2026", "adopted_on": "", "status": "adopted", "source_url": "",
            "description": "", "levels": "Plan › Programme › Project", "parent_id": "",
            "expected_version": str(version)}


def audit_chain(engine: Engine, entity: str, entity_id: int, field: str) -> list[list[Any]]:
    """Return the [old, new] of one field in each update of a record, oldest first."""
    with Session(engine) as session:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == entity, AuditEvent.entity_id == entity_id,
            AuditEvent.action == "update").order_by(AuditEvent.id))  # type: ignore[arg-type]
        return [e.changes[field] for e in events if field in e.changes]


def edit_rounds(engine: Engine, model: type, record_id: int, field: str,
                post: Callable[[int, str, int], Any]) -> None:
    """ROUNDS times, let THREADS editors save the record from its current version."""
    with Session(engine) as session:
        record = session.get(model, record_id)
        first, version = getattr(record, field), record.version  # type: ignore[union-attr]
    for round_ in range(ROUNDS):
        names = [f"Edited {round_}-{i}" for i in range(THREADS)]
        responses = race([partial(post, i, names[i], version) for i in range(THREADS)])
        codes = Counter(getattr(r, "status_code", repr(r)) for r in responses)
        assert codes == {302: 1, 409: THREADS - 1}, (round_, codes)
        winner = next(names[i] for i, r in enumerate(responses) if r.status_code == 302)
        with Session(engine) as session:
            record = session.get(model, record_id)
            assert (getattr(record, field), record.version) == (winner, version + 1)  # type: ignore[union-attr]
        version += 1
    chain = audit_chain(engine, model.__name__, record_id, field)
    assert len(chain) == ROUNDS and chain[0][0] == first and chain[-1][1] == winner
    for before, after in zip(chain, chain[1:], strict=False):
        assert after[0] == before[1], (before, after)


def team(app: Flask, world: RaceWorld) -> list[FlaskClient]:
    """Editors of the city: its officer and its secretariat, taking turns."""
    users = [world.officer, world.secretariat]
    return [signed_in(app, users[i % 2]) for i in range(THREADS)]


def test_concurrent_city_profile_edits_accept_exactly_one(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> None:
    editors, city = team(race_app, race_world), race_world.city

    def post(i: int, name: str, version: int) -> Any:
        return editors[i].post(f"/cities/{city.slug}/edit", data=city_form(city, name, version))

    edit_rounds(race_engine, City, city.id, "name", post)  # type: ignore[arg-type]


def test_concurrent_plan_edits_accept_exactly_one(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld) -> None:
    with race_app.app_context(), Session(race_engine) as session:
        city = session.get(City, race_world.city.id)
        plan = create_plan(session=session, city=city, user_id=None, plan_in=PlanCreate(  # type: ignore[arg-type]
            kind="integrated_development_plan", title="Race plan", start_year=2022,
            end_year=2026, level_names=["Plan", "Programme", "Project"]))
        session.commit()
        plan_id = plan.id
    editors = team(race_app, race_world)
    url = f"/cities/{race_world.city.slug}/plans/{plan_id}/edit"

    def post(i: int, title: str, version: int) -> Any:
        return editors[i].post(url, data=plan_form(title, version))

    edit_rounds(race_engine, Plan, plan_id, "title", post)  # type: ignore[arg-type]
