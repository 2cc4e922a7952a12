"""The data-quality annex and the indicators' narratives: completeness of the reporting year,
values not counted because they are not approved, confirmed outliers and officers' comments."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from tracker.cities.models import City
from tracker.data import completeness
from tracker.data.models import Observation, ObservationStatus
from tracker.db import saved_id
from tracker.indicators.models import LocalIndicator

STATE_LABELS = {"not_entered": "Not entered", "draft": "Draft", "submitted": "Submitted",
                "returned": "Returned", "approved": "Approved"}
ObservationRow = tuple[Observation, str, int]  # a value, its indicator's code and city id
PeriodNames = Callable[[Observation, str], str]  # a value and its indicator's code → period


def load_observations(session: Session, city_ids: list[int], year: int
                      ) -> list[ObservationRow]:
    """Return the live values of these cities up to the reporting year, in one query."""
    query = (select(Observation, LocalIndicator.code, LocalIndicator.city_id)
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .where(col(LocalIndicator.city_id).in_(city_ids),
                    LocalIndicator.is_retired == False,  # noqa: E712
                    Observation.is_deleted == False,  # noqa: E712
                    Observation.year <= year)
             .order_by(col(LocalIndicator.code), col(Observation.year),
                       col(Observation.quarter), col(Observation.breakdown_key)))
    return list(session.exec(query).all())


def value_text(obs: Observation) -> str:
    """A value as the annex shows it: the exact figure, or the missing reason."""
    if obs.value is not None:
        return format(obs.value.normalize(), "f") if obs.value == obs.value.to_integral() \
            else format(obs.value, "f")
    return f"({obs.missing_reason.value})" if obs.missing_reason else "—"


def observation_row(obs: Observation, code: str, period: str) -> dict[str, Any]:
    """One value in an annex table (its period as its indicator names it)."""
    return {"indicator": code, "year": obs.year, "quarter": obs.quarter, "period": period,
            "breakdown": obs.breakdown_key, "value": value_text(obs),
            "status": STATE_LABELS.get(obs.status.value, obs.status.value),
            "note": obs.warning_note, "follow_up": obs.follow_up}


def quality_data(rows: list[ObservationRow], counted: dict[str, Any], periods: PeriodNames
                 ) -> dict[str, Any]:
    """Split a city's values into excluded (not approved) and confirmed outliers."""
    excluded, outliers = [], []
    for obs, code, _city in rows:
        if obs.value is not None and obs.status != ObservationStatus.APPROVED:
            excluded.append(observation_row(obs, code, periods(obs, code)))
        if obs.warning_note or obs.follow_up:
            outliers.append(observation_row(obs, code, periods(obs, code)))
    return {"excluded": excluded, "outliers": outliers, "completeness": counted}


def comments_by_indicator(rows: list[ObservationRow], periods: PeriodNames
                          ) -> dict[str, list[dict[str, Any]]]:
    """Officers' comments on approved total values, by indicator code, newest first."""
    found: dict[str, list[dict[str, Any]]] = {}
    for obs, code, _city in rows:
        if obs.comment and obs.status == ObservationStatus.APPROVED and not obs.breakdown_key:
            found.setdefault(code, []).insert(0, {"year": obs.year, "text": obs.comment,
                                                  "period": periods(obs, code)})
    return found


def data_as_of(rows: list[ObservationRow]) -> str | None:
    """The last change to an approved value shown: the report's "data as of" date."""
    stamps: list[datetime] = [obs.updated_at for obs, _code, _city in rows
                              if obs.status == ObservationStatus.APPROVED]
    stamps = stamps or [obs.updated_at for obs, _code, _city in rows]  # none approved yet
    return max(stamps).date().isoformat() if stamps else None


def completeness_data(session: Session, cities: list[City], year: int
                      ) -> dict[int, dict[str, Any]]:
    """Each city's completeness of the reporting year (whole-year period), by city id."""
    result: dict[int, dict[str, Any]] = {}
    for item in completeness.load_many(session, cities, year, 0):
        result[saved_id(item.city)] = {
            "period": item.label, "due": item.due, "entered": item.entered,
            "approved": item.count("approved"), "submitted": item.count("submitted"),
            "overdue": item.overdue, "percent": item.percent,
            "rows": [{"indicator": r.indicator.code, "name": r.indicator.name,
                      "state": STATE_LABELS.get(r.state, r.state), "overdue": r.overdue}
                     for r in item.rows]}
    return result
