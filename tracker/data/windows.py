"""Set reporting windows: when a city may enter a period's values and when they are due
(flush, never commit). A secretariat sets a period's window for every city of its network
at once, or for one city; setting it again moves the dates and keeps the change in history."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.audit.services import diff, record_change, snapshot
from tracker.cities.models import City, Network, NetworkMembership
from tracker.data.models import ReportingWindow
from tracker.db import saved_id
from tracker.errors import DomainError
from tracker.timeutil import utcnow

FIRST_YEAR, LAST_YEAR = 1950, 2100
TRACKED = ["year", "quarter", "opens_on", "due_on"]


class WindowError(DomainError):
    """A window was refused; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class WindowIn:
    """The period of a window and its dates."""

    year: int
    quarter: int
    opens_on: date
    due_on: date


def check_window(window_in: WindowIn) -> None:
    """Refuse a window whose period or dates make no sense, naming the field."""
    if not FIRST_YEAR <= window_in.year <= LAST_YEAR:
        raise WindowError("year", _("Year: give a year from %(first)d to %(last)d.",
                                    first=FIRST_YEAR, last=LAST_YEAR))
    if not 0 <= window_in.quarter <= 4:
        raise WindowError("quarter", _("Quarter: give 0 (the whole fiscal year) or 1 to 4."))
    if window_in.due_on < window_in.opens_on:
        raise WindowError("due_on", _("Due on: the due date (%(due)s) is before the opening "
                                      "date (%(opens)s).", due=window_in.due_on.isoformat(),
                                      opens=window_in.opens_on.isoformat()))


def _windows_by_city(session: Session, city_ids: list[int], year: int, quarter: int
                     ) -> dict[int, ReportingWindow]:
    """Return the period's existing windows of these cities, by city id, in one query."""
    query = select(ReportingWindow).where(
        col(ReportingWindow.city_id).in_(city_ids),
        ReportingWindow.year == year, ReportingWindow.quarter == quarter)
    return {w.city_id: w for w in session.scalars(query)}


def _apply(session: Session, city_id: int, window: ReportingWindow | None,
           window_in: WindowIn, user_id: int | None) -> ReportingWindow:
    """Create or move one city's window, recording what changed in the audit history."""
    before = snapshot(window, TRACKED) if window else {}
    if window is None:
        window = ReportingWindow(city_id=city_id, year=window_in.year,
                                 quarter=window_in.quarter, opens_on=window_in.opens_on,
                                 due_on=window_in.due_on)
    window.opens_on, window.due_on = window_in.opens_on, window_in.due_on
    changes = diff(before, snapshot(window, TRACKED))
    if changes:
        window.updated_at, window.updated_by_id = utcnow(), user_id
        session.add(window)
        session.flush()
        record_change(session, user_id=user_id, action="update" if before else "create",
                      entity=window, changes=changes, city_id=city_id)
    return window


def set_windows(*, session: Session, city_ids: list[int], window_in: WindowIn,
                user_id: int | None) -> list[ReportingWindow]:
    """Set a period's window for each of these cities (create, or move the dates)."""
    check_window(window_in)
    existing = _windows_by_city(session, city_ids, window_in.year, window_in.quarter)
    return [_apply(session, city_id, existing.get(city_id), window_in, user_id)
            for city_id in city_ids]


def set_city_window(*, session: Session, city: City, window_in: WindowIn,
                    user_id: int | None) -> ReportingWindow:
    """Set a period's window for one city."""
    return set_windows(session=session, city_ids=[saved_id(city)],
                       window_in=window_in, user_id=user_id)[0]


def member_city_ids(session: Session, network: Network) -> list[int]:
    """Return the ids of the network's member cities."""
    query = select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)
    return list(session.scalars(query))


def set_network_windows(*, session: Session, network: Network, window_in: WindowIn,
                        user_id: int | None) -> list[ReportingWindow]:
    """Set a period's window for every member city of the network at once."""
    return set_windows(session=session, city_ids=member_city_ids(session, network),
                       window_in=window_in, user_id=user_id)


def list_city_windows(session: Session, city: City) -> list[ReportingWindow]:
    """List a city's windows, newest period first."""
    query = (select(ReportingWindow).where(ReportingWindow.city_id == city.id)
             .order_by(col(ReportingWindow.year).desc(), col(ReportingWindow.quarter).desc()))
    return list(session.scalars(query))


def list_network_windows(session: Session, network: Network
                         ) -> list[tuple[ReportingWindow, City]]:
    """List the windows of the network's member cities with their city, newest period first."""
    members = select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)
    query = (select(ReportingWindow, City)
             .join(City, col(City.id) == ReportingWindow.city_id)
             .where(col(ReportingWindow.city_id).in_(members))
             .order_by(col(ReportingWindow.year).desc(), col(ReportingWindow.quarter).desc(),
                       func.lower(City.name)))
    return [(window, city) for window, city in session.execute(query)]
