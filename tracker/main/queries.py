"""Named reads of an officer's home: the values returned to them, overdue periods, windows
opening soon, values flagged for follow-up and the city's recent changes, each in a fixed
number of queries whatever the city holds."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from tracker.auth.models import User
from tracker.cities.models import City
from tracker.data.completeness import DONE, list_indicators
from tracker.data.followup import list_flagged
from tracker.data.models import Observation, ObservationChange, ObservationStatus, ReportingWindow
from tracker.data.period_names import cell_period, city_period_name
from tracker.data.periods import due_indicators
from tracker.db import saved_id
from tracker.indicators.models import LocalIndicator

SOON_DAYS = 30  # a window opening within a month is worth preparing for
RECENT_CHANGES = 10


@dataclass
class ValueTask:
    """A value of the city that asks for the officer: its indicator and period named."""

    cell: Observation
    indicator: LocalIndicator
    period: str


@dataclass
class PeriodTask:
    """A reporting window of the city, named, with how many due indicators are not done."""

    window: ReportingWindow
    period: str
    missing: int = 0


@dataclass
class RecentChange:
    """One change to a value of the city, with who made it."""

    change: ObservationChange
    cell: Observation
    indicator: LocalIndicator
    user: User | None
    period: str


@dataclass
class Home:
    """Everything an officer's home shows for their city."""

    city: City
    returned: list[ValueTask] = field(default_factory=list)
    overdue: list[PeriodTask] = field(default_factory=list)
    opening: list[PeriodTask] = field(default_factory=list)
    follow_ups: list[ValueTask] = field(default_factory=list)
    changes: list[RecentChange] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        """Count the things waiting for the officer."""
        return len(self.returned) + len(self.overdue) + len(self.follow_ups)


def list_returned(session: Session, city: City) -> list[ValueTask]:
    """List the city's values returned for correction, by indicator and period (one query)."""
    query = (select(Observation, LocalIndicator)
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .where(LocalIndicator.city_id == city.id,
                    Observation.status == ObservationStatus.RETURNED,
                    col(Observation.is_deleted).is_(False))
             .order_by(col(LocalIndicator.code), col(Observation.year),
                       col(Observation.quarter), col(Observation.breakdown_key)))
    return [ValueTask(cell, indicator, cell_period(city, indicator, cell))
            for cell, indicator in session.execute(query)]


def _windows(session: Session, city: City, today: date) -> tuple[list[ReportingWindow],
                                                                     list[ReportingWindow]]:
    """Return the city's windows past their due date, and those opening soon (one query)."""
    soon = today + timedelta(days=SOON_DAYS)
    query = (select(ReportingWindow)
             .where(ReportingWindow.city_id == city.id,
                    (col(ReportingWindow.due_on) < today) | (
                        (col(ReportingWindow.opens_on) > today)
                        & (col(ReportingWindow.opens_on) <= soon)))
             .order_by(col(ReportingWindow.due_on), col(ReportingWindow.year),
                       col(ReportingWindow.quarter)))
    windows = list(session.scalars(query))
    return ([w for w in windows if w.due_on < today], [w for w in windows if w.opens_on > today])


def _done_totals(session: Session, city: City, periods: set[tuple[int, int]]
                 ) -> set[tuple[int, int, int]]:
    """Return (indicator id, year, quarter) of the total cells submitted or approved in
    these periods (one query)."""
    if not periods:
        return set()
    query = (select(Observation.indicator_id, Observation.year, Observation.quarter)
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .where(LocalIndicator.city_id == city.id,
                    tuple_(col(Observation.year), col(Observation.quarter)).in_(sorted(periods)),
                    Observation.span_years == 1, Observation.breakdown_key == "",
                    col(Observation.is_deleted).is_(False), col(Observation.status).in_(DONE)))
    return {(ind, year, quarter) for ind, year, quarter in session.execute(query)}


def list_window_tasks(session: Session, city: City, today: date
                      ) -> tuple[list[PeriodTask], list[PeriodTask]]:
    """Return the overdue periods (due date past, a due indicator not submitted) and the
    windows opening soon, in at most three queries."""
    past, opening = _windows(session, city, today)
    indicators = list_indicators(session, [saved_id(city)]) if past else []
    done = _done_totals(session, city, {(w.year, w.quarter) for w in past})
    overdue = []
    for window in past:
        due = due_indicators(indicators, window.quarter)
        missing = sum(1 for ind in due if (ind.id, window.year, window.quarter) not in done)
        if missing:
            overdue.append(PeriodTask(window, _period(city, window), missing))
    return overdue, [PeriodTask(w, _period(city, w)) for w in opening]


def _period(city: City, window: ReportingWindow) -> str:
    """Name a window's period as the city does."""
    return city_period_name(city, window.year, window.quarter)


def list_follow_ups(session: Session, city: City) -> list[ValueTask]:
    """List the city's values flagged for follow-up (as the follow-up page does)."""
    return [ValueTask(cell, indicator, cell_period(city, indicator, cell))
            for cell, indicator in list_flagged(session, city)]


def list_recent_changes(session: Session, city: City, limit: int = RECENT_CHANGES
                        ) -> list[RecentChange]:
    """List the latest changes to the city's values, newest first, with who made them."""
    query = (select(ObservationChange, Observation, LocalIndicator, User)
             .join(Observation, col(Observation.id) == ObservationChange.observation_id)
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .outerjoin(User, col(User.id) == ObservationChange.user_id)
             .where(LocalIndicator.city_id == city.id)
             .order_by(col(ObservationChange.at).desc(), col(ObservationChange.id).desc())
             .limit(limit))
    return [RecentChange(change, cell, indicator, user, cell_period(city, indicator, cell))
            for change, cell, indicator, user in session.execute(query)]


def load_home(session: Session, city: City, today: date) -> Home:
    """Read an officer's home for their city (a fixed number of queries)."""
    overdue, opening = list_window_tasks(session, city, today)
    return Home(city, list_returned(session, city), overdue, opening,
                list_follow_ups(session, city), list_recent_changes(session, city))
