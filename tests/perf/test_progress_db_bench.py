"""Benchmark of the progress engine over the database (run by `make bench`): statuses for
10 000 indicator series of 10 years each, read from the database, in under 1 s (median)."""

import statistics
import time
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, select
from sqlmodel import Session, col

from tests.factories import boundary
from tracker.cities.models import City
from tracker.data.models import Observation
from tracker.indicators.models import LocalIndicator
from tracker.progress.services import cities_progress

CITIES, INDICATORS, YEARS, RUNS, LIMIT_S = 20, 500, 10, 5, 1.0


def indicator_rows(city_id: int) -> list[dict[str, Any]]:
    """Rows of a city's indicators: half rising, half falling, each with a 2030 target."""
    return [{"city_id": city_id, "code": f"B-{n}", "name": f"Bench {n}", "definition": "",
             "unit_kind": "count", "unit_label": "", "direction": "higher" if n % 2 else "lower",
             "frequency": "annual", "quarterly_rollup": "last", "is_cumulative": False,
             "sums_to_total": False, "data_source": "", "department": "", "baseline_year": 2015,
             "baseline_note": "", "is_retired": False, "version": 1}
            for n in range(INDICATORS)]


@pytest.fixture
def many_series(app: Flask, db: Session, make_city) -> list[Any]:  # type: ignore[no-untyped-def]
    """Store CITIES × INDICATORS series of YEARS approved values each."""
    cities = [make_city() for _ in range(CITIES)]
    with boundary(app, db):
        for city in cities:
            db.execute(insert(LocalIndicator), indicator_rows(city.id))
        ids = db.scalars(select(LocalIndicator.id)).all()
        db.execute(insert(Observation), [
            {"indicator_id": i, "year": 2015 + y, "quarter": 0, "breakdown": {},
             "breakdown_key": "", "value": Decimal(100 + (i % 7) * y), "status": "approved",
             "comment": "", "source": "", "evidence_url": "", "return_reason": "",
             "is_deleted": False, "version": 1, "warning_note": "", "follow_up": False}
            for i in ids for y in range(YEARS)])
    return cities


@pytest.mark.perf
def test_ten_thousand_series_from_the_database(many_series: list[Any], db: Session,
                                               database_url: str) -> None:
    ids = [city.id for city in many_series]
    times = []
    for _ in range(RUNS):
        db.expunge_all()  # as a new request would: nothing already in the session
        start = time.perf_counter()
        cities = db.scalars(select(City).where(col(City.id).in_(ids))).all()
        progress = cities_progress(db, cities)
        times.append(time.perf_counter() - start)
    assert sum(len(p.items) for p in progress) == CITIES * INDICATORS
    assert all(i.status != "not_available" for p in progress for i in p.items)
    median = statistics.median(times)
    backend = database_url.split(":", 1)[0]
    print(f"\nBENCH {backend:<10} progress of {CITIES * INDICATORS} series × {YEARS} years "  # noqa: T201
          f"from the database: median {median * 1000:7.1f} ms  (n={RUNS})")
    assert median < LIMIT_S, f"{median:.2f} s"
