"""Completeness of a period: which due indicators a city has entered, submitted and had
approved, which are overdue, for one city or every city of a network in a fixed number of
queries; where each period stands (overdue, open, closed, not yet open) and which one is the
most urgent. An indicator counts by its total cell (breakdown key "")."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.cities.models import City, Network, NetworkMembership
from tracker.data.models import WHOLE_YEAR, Observation, ObservationStatus, ReportingWindow
from tracker.data.periods import due_indicators
from tracker.data.queries import current_fiscal_year, has_quarterly, period_name
from tracker.db import saved_id
from tracker.indicators.models import LocalIndicator
from tracker.timeutil import utcnow

NOT_ENTERED = "not_entered"
DONE = {ObservationStatus.SUBMITTED, ObservationStatus.APPROVED}  # no longer overdue
RECENT_YEARS = 5  # the picker lists the current fiscal year and the four before it
Period = tuple[int, int]  # (fiscal year, quarter; 0 = the whole year)


class PeriodStatus(StrEnum):
    """Where a city's period stands on a given day."""

    OVERDUE = "overdue"  # the due date has passed and a due indicator is not submitted
    OPEN = "open"  # the window is open and the due date not yet passed
    CLOSED = "closed"  # the due date has passed and nothing due is missing
    NOT_OPEN = "not_open"  # the window opens later: values cannot be entered yet
    NO_WINDOW = "no_window"  # values may be entered; nothing is ever overdue


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
    """A city's completeness for one period, as of `today`."""

    city: City
    year: int
    quarter: int
    window: ReportingWindow | None
    today: date
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
    def percent(self) -> int | None:
        """Return the share of due indicators submitted or approved, in whole percent; None
        when nothing is due (a share of nothing is not "100 %")."""
        done = sum(1 for row in self.rows if row.cell and row.cell.status in DONE)
        return round(100 * done / self.due) if self.due else None

    @property
    def status(self) -> PeriodStatus:
        """Say where the period stands today (see PeriodStatus)."""
        window = self.window
        if window is None:
            return PeriodStatus.NO_WINDOW
        if self.today < window.opens_on:
            return PeriodStatus.NOT_OPEN
        if self.today <= window.due_on:
            return PeriodStatus.OPEN
        return PeriodStatus.OVERDUE if self.overdue else PeriodStatus.CLOSED


URGENCY = [PeriodStatus.OVERDUE, PeriodStatus.OPEN, PeriodStatus.CLOSED, PeriodStatus.NOT_OPEN,
           PeriodStatus.NO_WINDOW]


def urgency(result: Completeness) -> tuple[int, int, int, int]:
    """Sort key, most urgent first. Overdue periods come first, the longest overdue first:
    it is the one the network chases and the one whose lateness keeps growing. Then open
    windows, the soonest due first; then closed ones, the latest first (the one an officer
    last worked on); then windows not yet open, the soonest opening first."""
    status, window = result.status, result.window
    day = 0
    if window is not None:
        day = {PeriodStatus.OVERDUE: window.due_on.toordinal(),
               PeriodStatus.OPEN: window.due_on.toordinal(),
               PeriodStatus.CLOSED: -window.due_on.toordinal(),
               PeriodStatus.NOT_OPEN: window.opens_on.toordinal()}.get(status, 0)
    return URGENCY.index(status), day, -result.year, result.quarter


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


def list_total_cells(session: Session, city_ids: list[int], periods: Iterable[Period]
                     ) -> dict[tuple[int, int, int], Observation]:
    """Return the periods' non-deleted total cells of these cities, by (year, quarter,
    indicator id), in one query."""
    wanted = set(periods)
    query = (select(Observation)
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .where(col(LocalIndicator.city_id).in_(city_ids),
                    col(Observation.year).in_({year for year, _q in wanted}),
                    col(Observation.quarter).in_({quarter for _y, quarter in wanted}),
                    Observation.span_years == 1, Observation.breakdown_key == "",
                    Observation.is_deleted == False))  # noqa: E712
    return {(cell.year, cell.quarter, cell.indicator_id): cell for cell in session.scalars(query)
            if (cell.year, cell.quarter) in wanted}


def list_windows(session: Session, city_ids: list[int], periods: Iterable[Period] | None = None
                 ) -> list[ReportingWindow]:
    """List the windows of these cities (of these periods only, when given) in one query."""
    query = select(ReportingWindow).where(col(ReportingWindow.city_id).in_(city_ids))
    windows = list(session.scalars(query))
    if periods is None:
        return windows
    wanted = set(periods)
    return [window for window in windows if (window.year, window.quarter) in wanted]


def list_member_cities(session: Session, network: Network) -> list[City]:
    """List the network's member cities by name."""
    members = select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)
    query = select(City).where(col(City.id).in_(members)).order_by(func.lower(City.name))
    return list(session.scalars(query))


def build_one(city: City, period: Period, indicators: list[LocalIndicator],
              cells: dict[tuple[int, int, int], Observation], window: ReportingWindow | None,
              today: date) -> Completeness:
    """Put a city's due indicators, cells and window of one period together."""
    year, quarter = period
    rows = []
    for indicator in due_indicators(indicators, quarter):
        cell = cells.get((year, quarter, saved_id(indicator)))
        rows.append(IndicatorRow(indicator, cell, is_overdue(window, cell, today)))
    return Completeness(city, year, quarter, window, today, rows)


def load_pairs(session: Session, pairs: list[tuple[City, Period]], today: date,
               windows: list[ReportingWindow] | None = None) -> list[Completeness]:
    """Compute the completeness of each (city, period) pair, in the order given, in three
    queries (two when the windows are given)."""
    ids = sorted({saved_id(city) for city, _period in pairs})
    if not ids:
        return []
    periods = {period for _city, period in pairs}
    if windows is None:
        windows = list_windows(session, ids, periods)
    window_at = {(w.city_id, w.year, w.quarter): w for w in windows}
    by_city: dict[int, list[LocalIndicator]] = defaultdict(list)
    for indicator in list_indicators(session, ids):
        by_city[indicator.city_id].append(indicator)
    cells = list_total_cells(session, ids, periods)
    return [build_one(city, period, by_city[saved_id(city)], cells,
                      window_at.get((saved_id(city), *period)), today)
            for city, period in pairs]


def load_many(session: Session, cities: list[City], year: int, quarter: int,
              today: date | None = None) -> list[Completeness]:
    """Compute the completeness of several cities for a period in three queries."""
    return load_pairs(session, [(city, (year, quarter)) for city in cities],
                      today or utcnow().date())


def load_city(session: Session, city: City, year: int, quarter: int,
              today: date | None = None) -> Completeness:
    """Compute a city's completeness for a period."""
    return load_many(session, [city], year, quarter, today)[0]


def load_network(session: Session, network: Network, year: int, quarter: int,
                 today: date | None = None) -> list[Completeness]:
    """Compute the completeness of every member city of a network for a period."""
    return load_many(session, list_member_cities(session, network), year, quarter, today)


def urgent_of(session: Session, cities: list[City], today: date | None = None
              ) -> list[Completeness]:
    """List every windowed period of these cities, most urgent first (see `urgency`)."""
    ids = [saved_id(city) for city in cities]
    windows = list_windows(session, ids) if ids else []
    by_id = {saved_id(city): city for city in cities}
    pairs = [(by_id[window.city_id], (window.year, window.quarter)) for window in windows]
    return sorted(load_pairs(session, pairs, today or utcnow().date(), windows), key=urgency)


def urgent_periods(session: Session, city: City, today: date | None = None
                   ) -> list[Completeness]:
    """List the city's periods with a window, most urgent first (overdue, open, closed,
    not yet open): filter on `.status` for "overdue" or "opening soon" lists."""
    return urgent_of(session, [city], today)


def default_period(session: Session, cities: list[City], today: date | None = None
                   ) -> Period:
    """Return the most urgent windowed period of these cities (a window not yet open only
    when no other exists), else the whole of the earliest current fiscal year among them
    (a year every city has begun)."""
    today = today or utcnow().date()
    urgent = urgent_of(session, cities, today)
    if urgent:
        return urgent[0].year, urgent[0].quarter
    return min((current_fiscal_year(c, today) for c in cities), default=today.year), WHOLE_YEAR


def picker_periods(session: Session, city: City, today: date | None = None
                   ) -> list[Completeness]:
    """List the periods the data-entry picker offers, newest first, each with its status
    and counts: the recent fiscal years (and their quarters when the city reports any
    quarterly indicator), and every period with a window, even a future one."""
    today = today or utcnow().date()
    windows = list_windows(session, [saved_id(city)])
    now = current_fiscal_year(city, today)
    quarters = [1, 2, 3, 4] if has_quarterly(session, city) else []
    years = set(range(now - RECENT_YEARS + 1, now + 1)) | {w.year for w in windows}
    periods = {(year, quarter) for year in years for quarter in [WHOLE_YEAR, *quarters]}
    periods |= {(w.year, w.quarter) for w in windows}
    ordered = sorted(periods, key=lambda period: (-period[0], period[1]))
    return load_pairs(session, [(city, period) for period in ordered], today, windows)
