"""Named reads of an officer's home: the values returned to them, overdue periods and
windows opening soon (from tracker.data.completeness.urgent_periods), values flagged for
follow-up and the city's recent changes, each in a fixed number of queries whatever the
city holds."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from tracker.auth.models import User
from tracker.cities.models import City
from tracker.data.completeness import PeriodStatus, urgent_periods
from tracker.data.followup import list_flagged
from tracker.data.models import Observation, ObservationChange, ObservationStatus, ReportingWindow
from tracker.data.period_names import cell_period
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


def list_window_tasks(session: Session, city: City, today: date
                      ) -> tuple[list[PeriodTask], list[PeriodTask]]:
    """Return the overdue periods (due date past, a due indicator not submitted) and the
    windows opening within SOON_DAYS, from the completeness module's named query."""
    soon = today + timedelta(days=SOON_DAYS)
    overdue, opening = [], []
    for period in urgent_periods(session, city, today):
        window = period.window
        if window is None:
            continue
        if period.status == PeriodStatus.OVERDUE:
            overdue.append(PeriodTask(window, period.label, period.overdue))
        elif period.status == PeriodStatus.NOT_OPEN and window.opens_on <= soon:
            opening.append(PeriodTask(window, period.label))
    return overdue, opening


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
