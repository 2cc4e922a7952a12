"""Benchmark of what optimistic locking costs (run by `make bench`): saving a grid cell, and
importing 100 000 values (created, then all updated), with the database's checks on and off
(off is the code before them: no version in the UPDATE, no savepoint, no row or city lock). Runs of
both alternate. The cost is measured in CPU time, of this process and of its PostgreSQL
backend (read from /proc): on a shared machine wall time mostly measures the neighbours. The
checks must cost less than 5 %, on SQLite and PostgreSQL; wall-time medians are printed too."""

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import (  # noqa: F401  (fixtures)
    RaceWorld,
    race_app,
    race_engine,
    race_world,
    signed_in,
)
from tests.perf.test_data_import_bench import (  # noqa: F401  (bench_city is a fixture)
    INDICATORS,
    YEARS,
    bench_city,
    count,
    timed,
    values_csv,
)
from tracker.data import observation_store as store
from tracker.data import services
from tracker.data.models import Observation, ObservationChange
from tracker.data.observation_io import import_observations
from tracker.indicators.models import LocalIndicator

LIMIT = 1.05  # locking may cost at most 5 %
SAVES, ROUNDS = 10, 10  # grid: ROUNDS × SAVES saves in each mode
IMPORT_RUNS = 3


@contextmanager
def flush_only(session: Session, _message: Any) -> Iterator[None]:
    """The write block before the savepoint: write, then flush."""
    yield
    session.flush()


def unchecked_update(session: Session, plans: list[Any], user_id: int | None, now: Any
                     ) -> None:
    """The import's update before the version check (no version in the WHERE clause)."""
    rows = [{"cell_id": p.stored.id, "version": p.stored.version + 1, **store.cell_fields(p)}
            for p in plans]
    store.execute_many(session, store.OBSERVATIONS, rows, store.fixed_fields(user_id, now),
                       key="cell_id")


@contextmanager
def locking(on: bool) -> Iterator[None]:
    """Run with the database's checks on, or as the code ran before them."""
    if on:
        yield
        return
    mapper = Observation.__mapper__  # type: ignore[attr-defined]
    saved = (mapper.version_id_col, services.guarded, store.update_cells, store.lock_city,
             services.find_cell)
    find_cell = services.find_cell
    mapper.version_id_col = None
    mapper._memoized_values.clear()  # noqa: SLF001  (its UPDATE statement is memoised)
    services.guarded, store.update_cells = flush_only, unchecked_update  # type: ignore[assignment]
    store.lock_city = lambda *_args: None  # type: ignore[assignment]
    services.find_cell = lambda *args, lock=False: find_cell(*args)  # type: ignore[assignment]
    try:
        yield
    finally:
        mapper.version_id_col = saved[0]
        mapper._memoized_values.clear()  # noqa: SLF001
        (services.guarded, store.update_cells, store.lock_city,  # type: ignore[assignment]
         services.find_cell) = saved[1:]


@contextmanager
def server_processes(engine: Engine) -> Iterator[set[int]]:
    """Collect the PostgreSQL server processes the engine's connections use meanwhile."""
    pids: set[int] = set()

    def checkout(dbapi_connection: Any, *_args: Any) -> None:
        info = getattr(dbapi_connection, "info", None)
        if engine.dialect.name == "postgresql" and info is not None:
            pids.add(info.backend_pid)

    event.listen(engine, "checkout", checkout)
    try:
        yield pids
    finally:
        event.remove(engine, "checkout", checkout)


def cpu_seconds(pids: set[int]) -> float:
    """Return the CPU time of this process and of the database server processes."""
    total = time.process_time()
    for pid in pids:  # utime and stime, in clock ticks (fields 14 and 15)
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def compare(measure: Callable[[], list[float]], rounds: int, pids: set[int]
            ) -> dict[bool, tuple[float, float]]:
    """Alternate measurements with the checks on and off; return for each the median wall
    time of a step and the CPU time of all its steps."""
    wall: dict[bool, list[float]] = {True: [], False: []}
    cpu = {True: 0.0, False: 0.0}
    for round_ in range(rounds):
        for on in ((True, False) if round_ % 2 else (False, True)):
            with locking(on):
                start = cpu_seconds(pids)
                wall[on] += measure()
                cpu[on] += cpu_seconds(pids) - start
    return {on: (statistics.median(wall[on]), cpu[on]) for on in (True, False)}


def report(backend: str, what: str, result: dict[bool, tuple[float, float]], unit: str
           ) -> None:
    """Print the wall medians and CPU times of both; fail when the CPU cost is over 5 %."""
    (wall_on, cpu_on), (wall_off, cpu_off) = result[True], result[False]
    print(f"\nBENCH {backend:<10} locking {what:<22} CPU on {cpu_on:7.2f} s "  # noqa: T201
          f"off {cpu_off:7.2f} s  cost {100 * (cpu_on / cpu_off - 1):+5.1f} %   "
          f"wall median on {wall_on:7.2f} {unit} off {wall_off:7.2f} {unit} "
          f"({100 * (wall_on / wall_off - 1):+5.1f} %)")
    assert cpu_on <= cpu_off * LIMIT, f"{what}: {cpu_on:.2f} vs {cpu_off:.2f} s of CPU"


@pytest.fixture
def grid(race_app: Flask, race_engine: Engine,  # noqa: F811  (fixtures imported above)
         race_world: RaceWorld) -> dict[str, Any]:  # noqa: F811
    """The race tests' committed city: a cell with a value, and its officer signed in. Each
    request opens its own session, as in production (the shared test session would make
    every savepoint name new, and SQLAlchemy would compile each one)."""
    with race_app.app_context(), Session(race_engine) as session:
        indicator = session.get(LocalIndicator, race_world.indicator.id)
        services.save_observation(session=session, indicator=indicator, user_id=None,  # type: ignore[arg-type]
                                  expected_version=None,
                                  entry=services.Entry(year=2020, value=Decimal(50)))
        session.commit()
    return {"url": f"{race_world.grid}/cell", "indicator_id": race_world.indicator.id,
            "client": signed_in(race_app, race_world.officer)}


@pytest.mark.perf
def test_locking_cost_of_grid_saves(grid: dict[str, Any],
                                    race_engine: Engine) -> None:  # noqa: F811
    query = select(Observation).where(Observation.indicator_id == grid["indicator_id"],
                                      Observation.year == 2020)
    turn = iter(range(10**6))

    def saves() -> list[float]:
        times = []
        for _ in range(SAVES):
            with Session(race_engine) as session:
                version = session.scalars(query).one().version
            value = str(40 + next(turn) % 7)
            form = {"year": "2020", "quarter": "0", "breakdown_key": "", "value": value,
                    "missing_reason": "", "comment": "", "source": "", "warning_note": "bench",
                    "expected_version": str(version)}
            start = time.perf_counter()
            response = grid["client"].post(grid["url"], data=form)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302
        return times

    with server_processes(race_engine) as pids:
        saves()  # warm up, and learn which server processes serve the requests
    result = compare(saves, ROUNDS, pids)
    report(race_engine.dialect.name, "grid save", result, "ms")


@pytest.mark.perf
def test_locking_cost_of_import(app: Flask, db: Session, bench_city: Any,  # noqa: F811
                                database_url: str) -> None:
    total = INDICATORS * YEARS * 200
    first, changed = values_csv(), values_csv(shift=7)
    backend = database_url.split(":", 1)[0]

    def created() -> None:
        assert count(db, Observation) == total

    pids = {db.scalar(text("SELECT pg_backend_pid()"))} if backend == "postgresql" else set()
    result = compare(lambda: [timed(app, db, bench_city, first, created)], IMPORT_RUNS, pids)
    report(backend, "import 100k (create)", result, "s")
    with app.app_context():  # the first import, kept: the next ones update every cell
        import_observations(session=db, city=bench_city, data=first, user_id=None, save=True)

    def updated() -> None:
        assert count(db, ObservationChange) == 2 * total

    result = compare(lambda: [timed(app, db, bench_city, changed, updated)], IMPORT_RUNS,
                     pids)
    report(backend, "import 100k (update)", result, "s")
