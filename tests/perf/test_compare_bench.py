"""Benchmark of the comparison of cities (run by `make bench`): the matrix (reads, flags and
scores) for 50 cities on one goal in under 200 ms and for 20 cities on every indicator in
under 1 s (medians), on SQLite and PostgreSQL — and so does the whole HTML page (one
sparkline per cell: 800 and 1 200 of them), which is what "answers" means for a reader."""

import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select
from sqlmodel import Session, col

from tests.factories import boundary
from tracker.catalogue.models import SdgIndicator
from tracker.compare.selection import read_selection
from tracker.compare.services import compare
from tracker.data.models import Observation
from tracker.indicators.models import IndicatorAlignment, LocalIndicator

RUNS, YEARS = 5, 10
GOAL_CASE = (50, "11", 0.2, 0.2)  # cities, goal, matrix and page limits in seconds
ALL_CASE = (20, "", 1.0, 1.0)
PER_CITY = 60  # indicators per city, aligned to the first 60 SDG indicators in code order


def indicator_rows(city_id: int) -> list[dict[str, Any]]:
    """A city's indicators, half higher-is-better, half lower."""
    return [{"city_id": city_id, "code": f"B-{n}", "name": f"Bench {n}", "definition": "",
             "unit_kind": "percent", "unit_label": "", "direction": "higher" if n % 2 else
             "lower", "frequency": "annual", "quarterly_rollup": "last", "is_cumulative": False,
             "sums_to_total": False, "data_source": "", "department": "", "baseline_year": 2015,
             "baseline_note": "", "is_retired": False, "version": 1} for n in range(PER_CITY)]


def seed(app: Flask, db: Session, make_city: Callable[..., Any], cities: int) -> list[str]:
    """Store the cities with PER_CITY aligned indicators of YEARS approved values each."""
    made = [make_city(slug=f"bench-{n}") for n in range(cities)]
    goal_11 = list(db.scalars(select(SdgIndicator.id).where(
        col(SdgIndicator.code).startswith("11.")).order_by(SdgIndicator.sort_key)))
    others = list(db.scalars(select(SdgIndicator.id).order_by(SdgIndicator.sort_key)))
    sdg_ids = (goal_11 + [i for i in others if i not in goal_11])[:PER_CITY]
    with boundary(app, db):
        for city in made:
            db.execute(insert(LocalIndicator), indicator_rows(city.id))
        ids = list(db.scalars(select(LocalIndicator.id).order_by(LocalIndicator.id)))
        db.execute(insert(IndicatorAlignment), [
            {"indicator_id": i, "sdg_indicator_id": sdg_ids[n % PER_CITY],
             "relation": "identical", "rationale": ""} for n, i in enumerate(ids)])
        db.execute(insert(Observation), [
            {"indicator_id": i, "year": 2013 + y, "quarter": 0, "breakdown": {},
             "breakdown_key": "", "value": Decimal(20 + (i % 13) * 3 + y), "status": "approved",
             "comment": "", "source": "", "evidence_url": "", "return_reason": "",
             "is_deleted": False, "version": 1, "warning_note": "", "follow_up": False}
            for i in ids for y in range(YEARS)])
    return [city.slug for city in made]


def median_of(run: Callable[[], Any], cpu: list[float] | None = None) -> float:
    """The median wall time of RUNS runs, in seconds (and, into `cpu`, the median processor
    time of this process: on a loaded machine it shows the work itself)."""
    times, spent = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        spent.append(time.process_time() - start_cpu)
        times.append(time.perf_counter() - start)
    if cpu is not None:
        cpu.append(statistics.median(spent))
    return statistics.median(times)


@pytest.mark.perf
@pytest.mark.parametrize("case", [GOAL_CASE, ALL_CASE], ids=["50-cities-one-goal",
                                                             "20-cities-everything"])
@pytest.mark.usefixtures("database_url")
def test_the_comparison_within_budget(case: tuple[int, str, float, float], app: Flask, db: Session,
                                      client: FlaskClient, make_city,  # type: ignore[no-untyped-def]
                                      capsys: pytest.CaptureFixture[str]) -> None:
    cities, goal, limit, page_limit = case
    slugs = seed(app, db, make_city, cities)
    args = {"cities": ",".join(slugs), "goal": goal}
    with app.app_context():
        comparison = compare(db, None, read_selection(args))
        assert len(comparison.cities) == cities and comparison.rows
        assert all(s.composite is not None for s in comparison.standings)

        def service() -> None:
            """Read and score, as a new request would (nothing in the session)."""
            db.expunge_all()
            compare(db, None, read_selection(args))

        service_s = median_of(service)
    cpu: list[float] = []
    page_s = median_of(lambda: client.get(f"/compare?cities={args['cities']}&goal={goal}"), cpu)
    with capsys.disabled():
        print(f"\ncompare {cities} cities goal={goal or 'all'} ({len(comparison.rows)} rows): "
              f"service {service_s * 1000:.0f} ms, page {page_s * 1000:.0f} ms "
              f"(processor {cpu[0] * 1000:.0f} ms) (medians)")
    assert service_s < limit, f"service {service_s:.3f} s"
    assert page_s < page_limit, f"page {page_s:.3f} s"
