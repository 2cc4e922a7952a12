"""Benchmark of a bulk values import (run by `make bench`): 100 000 observations, 50 indicators
× 10 years × 200 cells (the total and 199 wards, as the grid shows them), must import in under
20 s (median of RUNS), from the CSV bytes to the written cells and history, on SQLite and
PostgreSQL.

Two cases: a first import (every cell created) and a re-import changing every value (every
cell updated, one version on). Each run is rolled back so the next starts from the same state.
"""

import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.data.models import Observation, ObservationChange
from tracker.data.observation_io import import_observations

RUNS = 3
LIMIT_S = 20
INDICATORS, YEARS, WARDS = 50, 10, 199
CELLS = WARDS + 1  # the total and each ward


def values_csv(shift: int = 0) -> bytes:
    """Return the 100 000-row file; `shift` changes every value."""
    lines = ["indicator,period,ward,value"]
    for i in range(INDICATORS):
        for year in range(2014, 2014 + YEARS):
            lines.append(f"B-{i:02d},{year},,{90000 + year % 3 + shift}")
            lines += [f"B-{i:02d},{year},w{w:03d},{1000 + w + year % 3 + shift}"
                      for w in range(WARDS)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def bench_city(make_city, make_indicator) -> Any:  # type: ignore[no-untyped-def]
    """A city with 50 count indicators broken down by ward."""
    city = make_city(slug="bench-values")
    dimensions = [{"name": "ward", "values": [f"w{w:03d}" for w in range(WARDS)]}]
    for i in range(INDICATORS):
        make_indicator(city, f"B-{i:02d}", unit_kind="count", dimensions=dimensions)
    return city


def timed(app: Flask, db: Session, city: Any, data: bytes, check: Callable[[], None]
          ) -> float:
    """Import the file inside a savepoint, check the result, roll back; return seconds."""
    with app.app_context():
        savepoint = db.begin_nested()
        start = time.perf_counter()
        report = import_observations(session=db, city=city, data=data, user_id=None,
                                     save=True)
        elapsed = time.perf_counter() - start
        assert report.ok and report.saved, report.errors[:5]
        check()
        savepoint.rollback()
    return elapsed


def count(db: Session, model: Any) -> int:
    """Count the rows of a table."""
    return db.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.perf
def test_import_100k_values(app: Flask, db: Session, bench_city: Any,
                            database_url: str) -> None:
    backend = database_url.split(":", 1)[0]
    total = INDICATORS * YEARS * CELLS
    first, changed = values_csv(), values_csv(shift=7)

    def created() -> None:
        assert count(db, Observation) == total and count(db, ObservationChange) == total

    creates = [timed(app, db, bench_city, first, created) for _ in range(RUNS)]
    with app.app_context():
        import_observations(session=db, city=bench_city, data=first, user_id=None, save=True)

    def updated() -> None:
        assert count(db, Observation) == total
        assert count(db, ObservationChange) == 2 * total

    updates = [timed(app, db, bench_city, changed, updated) for _ in range(RUNS)]
    for name, times in (("create", creates), ("update", updates)):
        median = statistics.median(times)
        print(f"\nBENCH {backend:<10} import {total} values ({name}) "  # noqa: T201
              f"median {median:6.2f} s  runs {', '.join(f'{t:.2f}' for t in times)}  "
              f"({len(first) / 2**20:.1f} MB)")
        assert median < LIMIT_S, f"{name}: {median:.1f} s"
