"""Benchmarks of the platform pages and API (run by `make bench`, not in CI)."""

import statistics
import time

import pytest
from flask.testing import FlaskClient

from tracker.demo.services import load_demo

PAGES = [
    "/", "/sdg/", "/sdg/goals/11", "/sdg/indicators/11.6.2", "/sdg/search?q=water",
    "/cities/", "/cities/ethekwini", "/networks/gcom",
    "/api/v1/sdg/indicators?per_page=500", "/api/v1/cities",
]
RUNS = 15


@pytest.fixture
def demo_client(app, db, client: FlaskClient) -> FlaskClient:  # type: ignore[no-untyped-def]
    with app.app_context():
        load_demo(db)
        db.commit()
    return client


@pytest.mark.perf
@pytest.mark.parametrize("path", PAGES)
def test_page_time(demo_client: FlaskClient, path: str, database_url: str) -> None:
    demo_client.get(path)  # warm up templates and caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = demo_client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    median = statistics.median(times)
    backend = database_url.split(":", 1)[0]
    print(f"\nBENCH {backend:<10} {path:<40} median {median:7.1f} ms  (n={RUNS})")
    assert median < 200, f"{path} took {median:.1f} ms"
