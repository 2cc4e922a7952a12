"""Stored progress: each city's results kept in tables, keyed by the data version they were
computed from, so a network page reads them instead of running the engine per city.

Design:
- The data version (table progress_versions, one counter per city) is bumped by the session
  hooks of tracker.progress.stored_versions in the transaction of every change that progress
  reads: values saved, approved, returned or deleted, one by one, in bulk or by an import;
  an indicator's definition, baseline, targets, direction, progress rule and settings,
  alignments or retirement; a catalogue change (every city). A write path need not remember
  to bump: the hooks see every flush and every bulk statement on those tables.
- The results (progress_city_results: the city's status, score, counts and its goal and SDG
  target roll-ups; progress_indicator_results: each active indicator's status and score)
  carry the version read *before* the data they were computed from: a change committed
  meanwhile leaves them one version behind, so they are recomputed, never trusted stale.
- Only approved values are stored (what everyone sees); `?drafts=1` computes as before.
- Recomputation runs on the background queue (tracker.reports.worker, task
  "recompute_progress"): queued after any request whose writes bumped a city (for one city
  this is the request's own after-commit step with the in-process queue), and by the network
  page for every stale city it counts. A GET never writes: it reads the stored rows, says
  "as of" when they were computed, and "recomputing N cities" while any is stale.
- City pages (one city) still compute in the request: a few milliseconds, always current.
"""

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import Table, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from tracker.cities.models import City
from tracker.db import get_db, get_session, saved_id
from tracker.indicators.models import LocalIndicator
from tracker.memory import gc_paused
from tracker.progress import stored_versions  # the version hooks: imported, registered
from tracker.progress.services import CityProgress, Rollup, cities_progress
from tracker.progress.stored_models import (
    ProgressVersion,
    StoredCityProgress,
    StoredIndicatorProgress,
)
from tracker.reports.worker import register_task
from tracker.timeutil import utcnow

TASK_NAME = stored_versions.RECOMPUTE_TASK
BATCH = 200  # cities per transaction of a recomputation: ~10 000 indicators' data in memory
CITY_RESULTS: Table = StoredCityProgress.__table__  # type: ignore[attr-defined]
INDICATOR_RESULTS: Table = StoredIndicatorProgress.__table__  # type: ignore[attr-defined]


def current_version() -> Any:
    """The city's current data version as a column (0 before its first bump)."""
    return func.coalesce(ProgressVersion.version, 0)


def is_stale() -> Any:
    """True where a city has no stored results or they are of an older data version."""
    return or_(col(StoredCityProgress.city_id).is_(None),
               col(StoredCityProgress.data_version) != current_version())


def with_results(query: Any) -> Any:
    """Join a query over City to the city's stored results and current version."""
    return (query.select_from(City)
            .outerjoin(StoredCityProgress, col(StoredCityProgress.city_id) == City.id)
            .outerjoin(ProgressVersion, col(ProgressVersion.city_id) == City.id))


def stale_cities(session: Session, city_ids: Iterable[int]) -> list[int]:
    """Those of these cities whose stored results are missing or out of date."""
    query = with_results(select(col(City.id))).where(col(City.id).in_(list(city_ids)),
                                                     is_stale())
    return list(session.scalars(query.order_by(col(City.id))))


def versions_of(session: Session, city_ids: Sequence[int]) -> dict[int, int]:
    """The current data version of each of these cities."""
    query = select(col(ProgressVersion.city_id), col(ProgressVersion.version)).where(
        col(ProgressVersion.city_id).in_(city_ids))
    found: dict[int, int] = dict(session.execute(query).all())
    return {city_id: found.get(city_id, 0) for city_id in city_ids}


def finite(score: float | None) -> float | None:
    """A score as stored: NaN has no place in a column or in JSON."""
    return None if score is None or math.isnan(score) else score


def rollup_cells(rollups: dict[Any, Rollup]) -> dict[str, list[Any]]:
    """Roll-ups as JSON: {key: [status, score, {status: count}]}."""
    return {str(key): [r.status, finite(r.score), r.counts] for key, r in rollups.items()}


def city_row(progress: CityProgress, version: int, now: datetime) -> dict[str, Any]:
    """The stored row of a city's roll-ups."""
    overall = progress.overall
    return {"city_id": saved_id(progress.city), "data_version": version, "computed_at": now,
            "status": overall.status, "score": finite(overall.score),
            "indicators": len(progress.items), "counts": overall.counts,
            "goals": rollup_cells(progress.goals), "targets": rollup_cells(progress.targets)}


def indicator_rows(progress: CityProgress, version: int) -> list[dict[str, Any]]:
    """The stored rows of a city's indicators."""
    city_id = saved_id(progress.city)
    return [{"indicator_id": saved_id(item.indicator), "city_id": city_id,
             "data_version": version, "status": item.status, "score": finite(item.score)}
            for item in progress.items]


def upsert(session: Session, table: Table, key: str, rows: list[dict[str, Any]]) -> None:
    """Write rows, replacing those of an older or equal version (a slower worker that read
    an older version never overwrites a newer result)."""
    if not rows:
        return
    connection = session.connection()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    excluded = statement.excluded
    connection.execute(statement.on_conflict_do_update(
        index_elements=[key], set_={name: excluded[name] for name in rows[0] if name != key},
        where=table.c.data_version <= excluded.data_version), rows)


def store(session: Session, progresses: list[CityProgress], versions: dict[int, int]) -> None:
    """Replace these cities' stored results (retired or deleted indicators' rows go)."""
    now, ids = utcnow(), [saved_id(p.city) for p in progresses]
    active = select(col(LocalIndicator.id)).where(col(LocalIndicator.city_id).in_(ids),
                                                  col(LocalIndicator.is_retired).is_(False))
    session.connection().execute(delete(INDICATOR_RESULTS).where(
        INDICATOR_RESULTS.c.city_id.in_(ids), INDICATOR_RESULTS.c.indicator_id.not_in(active)))
    upsert(session, CITY_RESULTS, "city_id",
           [city_row(p, versions[saved_id(p.city)], now) for p in progresses])
    upsert(session, INDICATOR_RESULTS, "indicator_id",
           [row for p in progresses for row in indicator_rows(p, versions[saved_id(p.city)])])


def recompute(session: Session, city_ids: Sequence[int]) -> int:
    """Compute and store these cities' progress (approved values); return how many. The
    versions are read first: data changed meanwhile leaves the result marked stale."""
    versions = versions_of(session, city_ids)
    with gc_paused():  # the batch's results too: the collector would rescan every ORM object
        cities = list(session.scalars(select(City).where(col(City.id).in_(city_ids))))
        progresses = cities_progress(session, cities)
        store(session, progresses, versions)
    return len(progresses)


def batches(ids: Iterable[int], size: int = BATCH) -> Iterable[list[int]]:
    """Split ids into lists of at most `size`."""
    iterator = iter(sorted(set(ids)))
    while batch := list(islice(iterator, size)):
        yield batch


def recompute_stale(session: Session, city_ids: Iterable[int], forget: bool = False) -> int:
    """Recompute those of these cities that are stale, a batch per transaction; commit.
    `forget` empties the session after each batch (a worker's own session: 15 000 cities'
    indicators would not fit in memory at once)."""
    done = 0
    for batch in batches(city_ids):
        stale = stale_cities(session, batch)
        done += recompute(session, stale) if stale else 0
        session.commit()
        if forget:
            session.expunge_all()
    return done


def recompute_in_app(city_ids: Iterable[int]) -> int:
    """Bring these cities' stored progress up to date in the app's session (emptied after
    each batch when it is the worker's own); return how many were recomputed."""
    return recompute_stale(get_session(), list(city_ids), forget=get_db().closes_sessions)


@register_task(TASK_NAME)
def recompute_progress(city_ids: Iterable[int]) -> None:
    """The background task: bring these cities' stored progress up to date."""
    recompute_in_app(city_ids)
