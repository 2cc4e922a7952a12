"""Benchmarks of data entry (run by `make bench`): the grid of an indicator with 10 years × 20
breakdown values of history, and the period form of 20 such indicators, must each answer in
under 150 ms (median of RUNS requests) and run as many queries as for a small city."""

import statistics
import time
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth, boundary
from tracker.auth.models import Role
from tracker.data.models import Observation
from tracker.data.queries import current_fiscal_year

RUNS = 15
LIMIT_MS = 150
YEARS = 10
WARDS = [f"ward {n:02d}" for n in range(20)]


def populate(app: Flask, db: Session, make_indicator: Any, city: Any, indicators: int,
             years: list[int], wards: list[str]) -> None:
    """Define indicators broken down by ward, with a value in every cell of every year."""
    made = [make_indicator(city, f"N-{n:02d}", unit_kind="count", baseline_year=years[0],
                           baseline_value="100", targets=[{"year": years[-1] + 3,
                                                           "value": "150"}],
                           dimensions=[{"name": "ward", "values": wards}])
            for n in range(indicators)]
    with boundary(app, db):
        db.add_all(Observation(indicator_id=ind.id, year=year, value=Decimal(100 + n),
                               breakdown={"ward": ward} if ward else {},
                               breakdown_key=f"ward={ward}" if ward else "")
                   for ind in made for year in years for n, ward in enumerate(["", *wards]))


@pytest.fixture
def cities(app: Flask, db: Session, make_city, make_indicator, make_user,  # type: ignore[no-untyped-def]
           auth: Auth) -> dict[str, Any]:
    """A big city (20 indicators × 10 years × 20 wards) and a small one (1 × 1 × 1), and an
    admin signed in."""
    big, small = make_city(slug="big-city"), make_city(slug="small-city")
    now = current_fiscal_year(big)
    populate(app, db, make_indicator, big, 20, list(range(now - YEARS + 1, now + 1)), WARDS)
    populate(app, db, make_indicator, small, 1, [now], WARDS[:1])
    auth.login(make_user(Role.ADMIN))
    return {"now": now}


def timed(client: FlaskClient, path: str) -> float:
    """Return the median time of RUNS requests of a page, in ms."""
    assert client.get(path).status_code == 200  # warm up templates and caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


@pytest.mark.perf
@pytest.mark.parametrize("page", ["grid", "period form"])
def test_page_time(cities: dict[str, Any], client: FlaskClient, count_queries: Any,
                   database_url: str, page: str) -> None:
    now = cities["now"]
    paths = {"grid": "/cities/{}/indicators/N-00/data", "period form": f"/cities/{{}}/data/{now}"}
    counts = []
    for slug in ("small-city", "big-city"):
        with count_queries() as queries:
            assert client.get(paths[page].format(slug)).status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1], counts
    path = paths[page].format("big-city")
    median = timed(client, path)
    backend = database_url.split(":", 1)[0]
    print(f"\nBENCH {backend:<10} {page:<12} {path:<40} median {median:7.1f} ms "  # noqa: T201
          f"({counts[1]} queries, n={RUNS})")
    assert median < LIMIT_MS, f"{path} took {median:.1f} ms"
