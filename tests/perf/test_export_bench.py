"""Benchmark of the whole-city exports (run by `make bench`): 100 000 approved values, 50
indicators × 10 years × 200 cells (the total and 199 wards), written as an Open SDG
repository (folder and zip) and as SDMX-ML and SDMX-CSV, each under 30 s (median of RUNS),
on SQLite and PostgreSQL. The exports stream: the peak of Python memory they allocate stays
far below what holding the city's values would take."""

import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert
from sqlmodel import Session

from tracker.data.models import Observation, ObservationStatus, PeriodKind
from tracker.opensdg.export import DirectoryWriter, export_repository, export_zip
from tracker.sdmx.writers import export_sdmx

RUNS = 3
LIMIT_S = 30
PEAK_LIMIT = 40 * 1024 * 1024  # bytes; 100 000 ORM objects alone take several times this
INDICATORS, YEARS, WARDS = 50, 10, 199


def rows(indicator_id: int) -> list[dict[str, Any]]:
    """Every approved cell of one indicator (the total and 199 age groups each year), as an
    INSERT's parameters."""
    now = datetime.now(UTC)
    cells = []
    for year in range(2014, 2014 + YEARS):
        for ward in [None, *range(WARDS)]:
            breakdown = {} if ward is None else {"Age": f"{ward}-{ward + 1}"}
            cells.append({
                "indicator_id": indicator_id, "year": year, "quarter": 0, "span_years": 1,
                "period_label": str(year), "period_kind": PeriodKind.YEAR,
                "breakdown": breakdown,
                "breakdown_key": "|".join(f"{k}={v}" for k, v in sorted(breakdown.items())),
                "value": Decimal(1000 + year % 7), "value_text": f"{1000 + year % 7}.0",
                "attributes": {}, "comment": "", "source": "", "evidence_url": "",
                "warning_note": "", "follow_up": False, "status": ObservationStatus.APPROVED,
                "return_reason": "", "is_deleted": False, "version": 1, "created_at": now,
                "updated_at": now})
    return cells


@pytest.fixture
def bench_city(db: Session, make_city: Callable[..., Any],
               make_indicator: Callable[..., Any]) -> Any:
    """A city of 100 000 approved values with its REF_AREA code."""
    city = make_city(slug="bench-export")
    dimensions = [{"name": "Age", "values": [f"{w}-{w + 1}" for w in range(WARDS)]}]
    for i in range(INDICATORS):
        indicator = make_indicator(city, f"11.{i + 1}.1", unit_kind="count",
                                   dimensions=dimensions)
        indicator.source_meta = {"SERIES": f"SERIES_{i}"}
        db.add(indicator)
        db.execute(insert(Observation), rows(indicator.id))
    city.ref_area_code = "710"
    db.add(city)
    db.flush()
    return city


def timed(app: Flask, run: Callable[[], Any]) -> float:
    """Run an export in an app context; return seconds."""
    with app.app_context():
        start = time.perf_counter()
        run()
        return time.perf_counter() - start


def traced_peak(app: Flask, run: Callable[[], Any]) -> int:
    """Run an export once more with allocations traced (slower); return the peak."""
    with app.app_context():
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


@pytest.mark.perf
@pytest.mark.parametrize("target", ["folder", "zip", "sdmx-ml", "sdmx-csv"])
def test_export_100k_values(app: Flask, db: Session, bench_city: Any, database_url: str,
                            target: str) -> None:
    def run() -> None:
        if target == "folder":
            with tempfile.TemporaryDirectory() as root:
                summary = export_repository(db, bench_city, DirectoryWriter(Path(root)))
                assert summary.rows == INDICATORS * YEARS * (WARDS + 1)
        elif target == "zip":
            with tempfile.TemporaryFile() as out:
                export_zip(db, bench_city, out)
        else:
            with tempfile.TemporaryFile("w+", encoding="utf-8") as text:
                report = export_sdmx(db, bench_city, target[5:], "L", text)
            assert report.observations == INDICATORS * YEARS * (WARDS + 1)

    median = statistics.median(timed(app, run) for _ in range(RUNS))
    peak = traced_peak(app, run)
    print(f"\n{database_url.split(':', 1)[0]} {target}: median {median:.2f} s, "
          f"peak {peak / 1e6:.1f} MB traced")
    assert median < LIMIT_S
    assert peak < PEAK_LIMIT
