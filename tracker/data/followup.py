"""Values flagged for follow-up (DHIS2's follow-up analysis): list them, and clear a flag
once the value has been looked at — a recorded change like any other."""

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from tracker.cities.models import City
from tracker.data.models import Observation
from tracker.data.services import _log, _state
from tracker.db import relation
from tracker.indicators.models import LocalIndicator


def list_flagged(session: Session, city: City) -> list[tuple[Observation, LocalIndicator]]:
    """Return the city's values flagged for follow-up with their indicators, in one query."""
    query = (select(Observation, LocalIndicator)
             .join(LocalIndicator, col(Observation.indicator_id) == LocalIndicator.id)
             .where(LocalIndicator.city_id == city.id, col(Observation.follow_up).is_(True),
                    col(Observation.is_deleted).is_(False))
             .options(selectinload(relation(LocalIndicator.dimensions)))
             .order_by(col(LocalIndicator.code), col(Observation.year), col(Observation.quarter),
                       col(Observation.breakdown_key)))
    return [(observation, indicator) for observation, indicator in session.exec(query)]


def get_flagged(session: Session, city: City, obs_id: int) -> Observation | None:
    """Return one of the city's values, if it exists."""
    query = (select(Observation).join(LocalIndicator)
             .where(Observation.id == obs_id, LocalIndicator.city_id == city.id))
    return session.exec(query).first()


def clear_follow_up(*, session: Session, cell: Observation, user_id: int | None,
                    note: str) -> None:
    """Clear a value's follow-up flag, keeping who did it and why in its history."""
    cell.follow_up = False
    cell.version += 1
    session.add(cell)
    session.flush()
    _log(session, cell, user_id, "follow-up", _state(cell), note.strip())
