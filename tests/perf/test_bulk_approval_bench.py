"""Benchmark of bulk approval (run by `make bench`): a secretariat approves 5 000 submitted
values in one API request, on a real committed database (SQLite file and PostgreSQL), the
values as the reviewer saw them. The median request must stay under 10 s; wall-time and CPU
medians are printed."""

import statistics
import time

import pytest
from flask import Flask
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from tests.concurrency.conftest import (  # noqa: F401  (fixtures)
    RaceWorld,
    race_app,
    race_engine,
    race_world,
    signed_in,
)
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator

CELLS, YEARS = 5000, 100  # 50 indicators × 100 years
RUNS = 5
LIMIT_S = 10.0


def submitted_values(app: Flask, engine: Engine, world: RaceWorld) -> list[int]:
    """Give the city 5 000 submitted values (50 indicators × 100 years); return their ids."""
    with app.app_context(), Session(engine) as session:
        indicators = [create_indicator(session=session, city=world.city, user_id=None,
                                       indicator_in=LocalIndicatorCreate(
                                           code=f"BULK-{n}", name=f"Bulk {n}",
                                           unit_kind="percent", direction="higher"))
                      for n in range(CELLS // YEARS)]
        session.execute(insert(Observation), [
            {"indicator_id": indicator.id, "year": 1960 + year, "quarter": 0, "span_years": 1,
             "breakdown": {}, "breakdown_key": "", "value": "12.5", "attributes": {},
             "status": ObservationStatus.SUBMITTED, "version": 2}
            for indicator in indicators for year in range(YEARS)])
        session.commit()
        return list(session.scalars(select(Observation.id).join(LocalIndicator).where(
            col(LocalIndicator.city_id) == world.city.id)))


def resubmit(engine: Engine, ids: list[int]) -> list[dict[str, int]]:
    """Put the values back under review; return them as the reviewer now sees them."""
    with Session(engine) as session:
        session.execute(update(Observation).where(col(Observation.id).in_(ids))
                        .values(status=ObservationStatus.SUBMITTED))
        session.commit()
        rows = session.execute(select(Observation.id, Observation.version)
                               .where(col(Observation.id).in_(ids)))
        return [{"id": row[0], "version": row[1]} for row in rows]


@pytest.mark.perf
def test_bulk_approval_of_5000_values(race_app: Flask, race_engine: Engine,  # noqa: F811
                                      race_world: RaceWorld) -> None:  # noqa: F811
    ids = submitted_values(race_app, race_engine, race_world)
    assert len(ids) == CELLS
    reviewer = signed_in(race_app, race_world.secretariat)
    url = f"/api/v1/cities/{race_world.city.slug}/observations/approve"
    wall, cpu = [], []
    for _ in range(RUNS):
        seen = resubmit(race_engine, ids)
        start, start_cpu = time.perf_counter(), time.process_time()
        response = reviewer.post(url, json=seen)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
        assert response.status_code == 200 and response.json["approved"] == CELLS
    with Session(race_engine) as session:
        approved = session.scalar(select(func.count()).select_from(Observation).where(
            col(Observation.id).in_(ids), col(Observation.status) == ObservationStatus.APPROVED))
        logged = session.scalar(select(func.count()).select_from(ObservationChange).where(
            col(ObservationChange.observation_id).in_(ids)))
    assert approved == CELLS and logged == CELLS * RUNS
    print(f"\nbulk approval of {CELLS} values on {race_engine.dialect.name}: median "
          f"{statistics.median(wall):.2f} s wall, {statistics.median(cpu):.2f} s CPU "
          f"(runs: {', '.join(f'{w:.2f}' for w in wall)})")
    assert statistics.median(wall) < LIMIT_S
