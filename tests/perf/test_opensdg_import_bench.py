"""Benchmark of an Open SDG repository import (run by `make bench`): a generated repository of
104 000 data rows (40 indicators × 2 600 rows: Series, Units, Sex, GeoCode over 25 years, with
footnotes and split years) must import in under 30 s (median of RUNS), from the files to the
written indicators, cells and history, on SQLite and PostgreSQL. The limit holds for the
seconds of processor time the importing process takes (the database server's work on
PostgreSQL, COPY, is outside it); the wall-clock seconds are printed beside them, and on a
machine shared with other work they can be several times longer.

Two cases: a first import (every cell created) and the import of the same repository with
every value changed (every cell updated, one version on). Each run is rolled back so the next
starts from the same state.
"""

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.data.models import Observation, ObservationChange
from tracker.opensdg.importer import import_repository

RUNS = 3
LIMIT_S = 30
INDICATORS, YEARS, WARDS = 40, 25, 48
SERIES = [("Rate", "Percent"), ("People", "Number")]
ROWS_PER_YEAR = len(SERIES) * (1 + 2 + WARDS + 1)  # total, two sexes, wards, one footnoted
TOTAL = INDICATORS * YEARS * ROWS_PER_YEAR  # 40 × 25 × 104 = 104 000


def write_repository(root: Path, shift: int = 0) -> Path:
    """Write the generated repository; `shift` changes every value."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "indicator-config").mkdir(exist_ok=True)
    for i in range(INDICATORS):
        opensdg_id = f"{i % 17 + 1}-{i // 17 + 1}-{i % 3 + 1}" if i < 39 else "10-x-2"
        lines = ["Year,Series,Units,Sex,GeoCode,COMMENT_OBS,Value"]
        for y in range(YEARS):
            year = 2000 + y if i % 2 else f"{2000 + y}-{(2001 + y) % 100:02d}"
            for series, units in SERIES:
                lines.append(f"{year},{series},{units},,,,{y * 1.5 + shift + i}")
                lines += [f"{year},{series},{units},{sex},,,{y + 0.25 + shift}"
                          for sex in ("Female", "Male")]
                lines += [f"{year},{series},{units},,E0501{w:04d},,{w + y / 8 + shift}"
                          for w in range(WARDS + 1)]
                lines[-1] = f"{year},{series},{units},,E0599{i:04d},Provisional,{7 + shift}"
        (root / "data" / f"indicator_{opensdg_id}.csv").write_text("\n".join(lines) + "\n")
        (root / "indicator-config" / f"{opensdg_id}.yml").write_text(
            f"indicator_name: Generated indicator {i}\nauto_progress_calculation: true\n"
            "progress_calculation_options:\n  - series: Rate\n    unit: Percent\n")
    return root


def count(db: Session, model: Any) -> int:
    """Count the rows of a table."""
    return db.scalar(select(func.count()).select_from(model)) or 0


def timed(app: Flask, db: Session, city: Any, path: Path, check: Callable[[], None]
          ) -> tuple[float, float]:
    """Import the repository inside a savepoint, check the result, roll back; return
    processor and wall-clock seconds."""
    with app.app_context():
        savepoint = db.begin_nested()
        start, cpu = time.perf_counter(), time.process_time()
        report = import_repository(db, city, path, None)
        elapsed = time.process_time() - cpu, time.perf_counter() - start
        assert report.saved and not report.warnings, (report.errors + report.warnings)[:5]
        check()
        savepoint.rollback()
    return elapsed


@pytest.mark.perf
def test_import_a_100k_row_repository(app: Flask, db: Session, make_city: Any,
                                      database_url: str, tmp_path: Path) -> None:
    backend = database_url.split(":", 1)[0]
    city = make_city(slug="bench-opensdg")
    first = write_repository(tmp_path / "first")
    changed = write_repository(tmp_path / "changed", shift=3)

    def created() -> None:
        assert count(db, Observation) == TOTAL and count(db, ObservationChange) == TOTAL

    creates = [timed(app, db, city, first, created) for _ in range(RUNS)]
    with app.app_context():
        import_repository(db, city, first, None)

    def updated() -> None:
        assert count(db, Observation) == TOTAL and count(db, ObservationChange) == 2 * TOTAL

    updates = [timed(app, db, city, changed, updated) for _ in range(RUNS)]
    for name, times in (("create", creates), ("update", updates)):
        cpu, wall = (statistics.median(t[i] for t in times) for i in (0, 1))
        print(f"\nBENCH {backend:<10} Open SDG import {TOTAL} rows ({name}) "  # noqa: T201
              f"median {cpu:6.2f} s CPU, {wall:6.2f} s wall  runs "
              f"{', '.join(f'{c:.2f}/{w:.2f}' for c, w in times)}  load {os.getloadavg()[0]:.1f}")
        assert cpu < LIMIT_S, f"{name}: {cpu:.1f} s"
