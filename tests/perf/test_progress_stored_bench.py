"""Benchmarks of stored progress (run by `make bench`): a network of STORED_BENCH_CITIES
cities (100 by default; 1 000 by hand) × 50 indicators × 10 approved yearly values, each
aligned to one of the 17 goals. Recomputing every city's stored progress (what the background
task does) is timed per city; the network page, reading the stored results, must answer its
first page in under 500 ms (median of RUNS requests) in the same queries at any size."""

import os
import resource
import statistics
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select
from sqlmodel import Session, col

from tests.factories import Auth, boundary
from tests.perf.test_progress_db_bench import indicator_rows
from tests.perf.test_progress_pages_bench import value_rows
from tracker.auth.models import Role
from tracker.catalogue.models import SdgIndicator
from tracker.data.models import Observation
from tracker.indicators.models import IndicatorAlignment, LocalIndicator
from tracker.progress.stored import recompute_stale, stale_cities

CITIES = int(os.environ.get("STORED_BENCH_CITIES", "100"))
INDICATORS, RUNS, PAGE_LIMIT_S = 50, 9, 0.5


def cpu_seconds() -> float:
    """This process's user + system CPU time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@pytest.fixture
def network_cities(app: Flask, db: Session, make_network: Any, make_city: Any) -> list[int]:
    """Create the network's cities with their indicators, alignments and values."""
    network = make_network(slug="stored-bench")
    ids = [make_city(network=network).id for _ in range(CITIES)]
    goals = db.scalars(select(SdgIndicator.id).order_by(SdgIndicator.sort_key)).all()
    with boundary(app, db):
        for city_id in ids:
            db.execute(insert(LocalIndicator), indicator_rows(city_id)[:INDICATORS])
        indicators = list(db.scalars(select(LocalIndicator.id).where(
            col(LocalIndicator.city_id).in_(ids))))
        db.execute(insert(IndicatorAlignment), [
            {"indicator_id": i, "sdg_indicator_id": goals[i * 7 % len(goals)],
             "relation": "proxy", "rationale": ""} for i in indicators])
        for start in range(0, len(indicators), 5000):
            db.execute(insert(Observation), value_rows(indicators[start:start + 5000]))
    return ids


@pytest.mark.perf
def test_network_progress_from_stored_results(
        app: Flask, db: Session, client: FlaskClient, auth: Auth, make_user: Any,
        network_cities: list[int], database_url: str, count_queries: Any) -> None:
    assert stale_cities(db, network_cities) == sorted(network_cities)
    wall, cpu = time.perf_counter(), cpu_seconds()
    with boundary(app, db):
        assert recompute_stale(db, network_cities) == CITIES
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    assert stale_cities(db, network_cities) == []
    auth.login(make_user(Role.ADMIN))
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        with count_queries() as queries:
            page = client.get("/networks/stored-bench/progress")
        times.append(time.perf_counter() - start)
        assert page.status_code == 200 and b"Recomputing" not in page.data
    median, backend = statistics.median(times), database_url.split(":", 1)[0]
    print(f"\nBENCH {backend:<10} stored progress, {CITIES} cities × {INDICATORS} indicators: "
          f"recompute {wall:6.1f} s wall, {cpu:6.1f} s CPU ({wall / CITIES * 1000:.1f} ms "
          f"per city); network page median {median * 1000:6.1f} ms, {queries()} queries "
          f"(n={RUNS}); load average {os.getloadavg()[0]:.2f}")
    assert median < PAGE_LIMIT_S, f"{median:.2f} s"
