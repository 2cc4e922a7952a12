"""Benchmarks of a city with one 500-element plan and 100 local indicators (run by `make bench`).

The city page, the coverage page and the plan and indicator API must each answer in under
300 ms (median of RUNS requests); the plan page too, once its blueprint is registered.
"""

import statistics
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import boundary
from tests.plans.test_coverage_routes import populate

RUNS = 15
LIMIT_MS = 300
PAGES = ["/cities/big-city", "/cities/big-city/coverage", "/api/v1/cities/big-city/plans",
         "/api/v1/cities/big-city/indicators?per_page=100", "plan page"]


@pytest.fixture
def big_city(app: Flask, db: Session, make_city) -> int:  # type: ignore[no-untyped-def]
    """Create the city with its 500-element plan and 100 indicators; return the plan id."""
    city = make_city(slug="big-city", name="Big City", fiscal_year_start_month=7)
    with boundary(app, db):
        plan = populate(db, city, elements=500, indicators=100, title="IDP")
    return int(plan.id)  # type: ignore[arg-type]


@pytest.mark.perf
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.usefixtures("app")
def test_page_time(big_city: int, client: FlaskClient, path: str,
                   database_url: str) -> None:
    if path == "plan page":
        path = f"/cities/big-city/plans/{big_city}"
    assert client.get(path).status_code == 200  # warm up templates and caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    median = statistics.median(times)
    backend = database_url.split(":", 1)[0]
    print(f"\nBENCH {backend:<10} {path:<48} median {median:7.1f} ms  (n={RUNS})")  # noqa: T201
    assert median < LIMIT_MS, f"{path} took {median:.1f} ms"
