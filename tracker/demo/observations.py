"""Load the demo indicator values (idempotent; flush, never commit): earlier years approved,
the latest submitted (Bhavnagar's still a draft), each with one history entry."""

from decimal import Decimal

from sqlalchemy import insert
from sqlmodel import Session, select

from tracker.cities.models import City
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.db import saved_id
from tracker.demo.observations_data import VALUES
from tracker.indicators.models import LocalIndicator
from tracker.timeutil import utcnow

DRAFT_CITIES = {"bhavnagar"}  # a city whose officers have not submitted their latest values
NOTE = "Demo data"


def parse_breakdown(key: str) -> dict[str, str]:
    """Turn "area=urban" into {"area": "urban"} ("" is the total)."""
    return dict(pair.split("=", 1) for pair in key.split("|")) if key else {}


def latest_status(city: City, year: int, latest: int) -> ObservationStatus:
    """Earlier years are approved; the latest is submitted, or a draft in some cities."""
    if year < latest:
        return ObservationStatus.APPROVED
    return ObservationStatus.DRAFT if city.slug in DRAFT_CITIES else ObservationStatus.SUBMITTED


def indicator_rows(city: City, indicator: LocalIndicator, source: str,
                   series: dict[str, tuple[tuple[int, int, str], ...]]) -> list[Observation]:
    """Return the demo observations of one indicator."""
    latest = max(year for points in series.values() for year, _, _ in points)
    now = utcnow()
    return [Observation(indicator_id=saved_id(indicator), year=year, quarter=quarter,
                        breakdown=parse_breakdown(key), breakdown_key=key, value=Decimal(value),
                        source=source, status=latest_status(city, year, latest),
                        created_at=now, updated_at=now)
            for key, points in series.items() for year, quarter, value in points]


def load_demo_observations(session: Session, cities: dict[str, City]) -> list[str]:
    """Give the demo indicators that have no values yet their demo values."""
    created: list[str] = []
    filled = set(session.exec(select(Observation.indicator_id).distinct()).all())
    for slug, indicators in VALUES.items():
        city = cities.get(slug)
        if city is None:
            continue
        by_code = {i.code: i for i in session.exec(
            select(LocalIndicator).where(LocalIndicator.city_id == city.id)).all()}
        for code, (source, series) in indicators.items():
            indicator = by_code.get(code)
            if indicator is None or indicator.id in filled:
                continue
            rows = indicator_rows(city, indicator, source, series)
            session.add_all(rows)
            session.flush()
            log_rows(session, rows)
            created.append(f"values {slug}: {code} ({len(rows)})")
    return created


def log_rows(session: Session, rows: list[Observation]) -> None:
    """Keep one history entry per demo value."""
    session.execute(insert(ObservationChange), [
        {"observation_id": row.id, "action": "import", "old_value": "", "at": row.created_at,
         "new_value": format(row.value, "f"), "old_status": "", "new_status": row.status.value,
         "note": NOTE} for row in rows])
