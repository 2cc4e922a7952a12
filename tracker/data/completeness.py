"""Completeness of a period: which due indicators a city has entered, submitted and had
approved, which are overdue, for one city or every city of a network in a fixed number of
queries. An indicator counts by its total cell (breakdown key "")."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.cities.models import City, Network, NetworkMembership
from tracker.data.models import WHOLE_YEAR, Observation, ObservationStatus, ReportingWindow
from tracker.data.periods import due_indicators
from tracker.data.queries import current_fiscal_year, period_name
from tracker.db import saved_id
from tracker.indicators.models import LocalIndicator
from tracker.timeutil import utcnow

NOT_ENTERED = "not_entered"
DONE = {ObservationStatus.SUBMITTED, ObservationStatus.APPROVED}  # no longer overdue


@dataclass
class IndicatorRow:
    """A due indicator, its total cell (None when not entered) and whether it is overdue."""

    indicator: LocalIndicator
    cell: Observation | None
    overdue: bool

    @property
    def state(self) -> str:
        """Return the total cell's status, or "not_entered"."""
        return self.cell.status.value if self.cell else NOT_ENTERED


@dataclass
class Completeness:
    """A city's completeness for one period."""

    city: City
    year: int
    quarter: int
    window: ReportingWindow | None
    rows: list[IndicatorRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Name the period as the grid does."""
        return period_name(self.city, self.year, self.quarter)

    def count(self, state: str) -> int:
        """Count the due indicators whose total cell is in this state."""
        return sum(1 for row in self.rows if row.state == state)

    @property
    def due(self) -> int:
        """Count the indicators due."""
        return len(self.rows)

    @property
    def entered(self) -> int:
        """Count the due indicators with a value or a reason in the total cell."""
        return sum(1 for row in self.rows if row.cell is not None)

    @property
    def overdue(self) -> int:
        """Count the due indicators not submitted by the due date."""
        return sum(1 for row in self.rows if row.overdue)

    @property
    def percent(self) -> int:
        """Return the share of due indicators submitted or approved, in whole percent."""
        done = sum(1 for row in self.rows if row.cell and row.cell.status in DONE)
        return round(100 * done / self.due) if self.due else 100


def is_overdue(window: ReportingWindow | None, cell: Observation | None, today: date) -> bool:
    """Is the window's due date past while the total cell is not submitted or approved?"""
    return (window is not None and today > window.due_on
            and (cell is None or cell.status not in DONE))


def list_indicators(session: Session, city_ids: list[int]) -> list[LocalIndicator]:
    """List the current indicators of these cities, by code, in one query."""
    query = (select(LocalIndicator)
             .where(col(LocalIndicator.city_id).in_(city_ids),
                    LocalIndicator.is_retired == False)  # noqa: E712  (SQL, not Python)
             .order_by(func.lower(LocalIndicator.code)))
    return list(session.scalars(query))


def list_total_cells(session: Session, city_ids: list[int], year: int, quarter: int
                     ) -> dict[int, Observation]:
    """Return the period's non-deleted total cells of these cities, by indicator id."""
    query = (select(Observation)
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .where(col(LocalIndicator.city_id).in_(city_ids),
                    Observation.year == year, Observation.quarter == quarter,
                    Observation.span_years == 1, Observation.breakdown_key == "",
                    Observation.is_deleted == False))  # noqa: E712
    return {cell.indicator_id: cell for cell in session.scalars(query)}


def list_period_windows(session: Session, city_ids: list[int], year: int, quarter: int
                        ) -> dict[int, ReportingWindow]:
    """Return the period's windows of these cities, by city id."""
    query = select(ReportingWindow).where(
        col(ReportingWindow.city_id).in_(city_ids),
        ReportingWindow.year == year, ReportingWindow.quarter == quarter)
    return {window.city_id: window for window in session.scalars(query)}


def list_member_cities(session: Session, network: Network) -> list[City]:
    """List the network's member cities by name."""
    members = select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)
    query = select(City).where(col(City.id).in_(members)).order_by(func.lower(City.name))
    return list(session.scalars(query))


def build(cities: list[City], indicators: list[LocalIndicator], cells: dict[int, Observation],
          windows: dict[int, ReportingWindow], year: int, quarter: int, today: date
          ) -> list[Completeness]:
    """Put each city's due indicators, cells and window together."""
    by_city: dict[int, list[LocalIndicator]] = defaultdict(list)
    for indicator in indicators:
        by_city[indicator.city_id].append(indicator)
    result = []
    for city in cities:
        window = windows.get(saved_id(city))
        rows = [IndicatorRow(ind, cells.get(saved_id(ind)),
                             is_overdue(window, cells.get(saved_id(ind)), today))
                for ind in due_indicators(by_city[saved_id(city)], quarter)]
        result.append(Completeness(city, year, quarter, window, rows))
    return result


def load_many(session: Session, cities: list[City], year: int, quarter: int,
              today: date | None = None) -> list[Completeness]:
    """Compute the completeness of several cities for a period in three queries."""
    ids = [saved_id(city) for city in cities]
    if not ids:
        return []
    return build(cities, list_indicators(session, ids),
                 list_total_cells(session, ids, year, quarter),
                 list_period_windows(session, ids, year, quarter),
                 year, quarter, today or utcnow().date())


def load_city(session: Session, city: City, year: int, quarter: int,
              today: date | None = None) -> Completeness:
    """Compute a city's completeness for a period."""
    return load_many(session, [city], year, quarter, today)[0]


def load_network(session: Session, network: Network, year: int, quarter: int,
                 today: date | None = None) -> list[Completeness]:
    """Compute the completeness of every member city of a network for a period."""
    return load_many(session, list_member_cities(session, network), year, quarter, today)


def latest_window_year(session: Session, city_ids: list[int]) -> int | None:
    """Return the latest fiscal year (quarter 0) that has a window in any of these cities."""
    query = select(func.max(ReportingWindow.year)).where(
        col(ReportingWindow.city_id).in_(city_ids),
        ReportingWindow.quarter == WHOLE_YEAR)
    return session.scalar(query) if city_ids else None


def default_year(session: Session, cities: list[City], today: date | None = None) -> int:
    """Return the latest fiscal year with a window, else the earliest current fiscal year
    among the cities (a year every city has begun)."""
    today = today or utcnow().date()
    latest = latest_window_year(session, [saved_id(c) for c in cities])
    if latest is not None:
        return latest
    return min((current_fiscal_year(c, today) for c in cities), default=today.year)
