"""The network completeness table computed by the database: one row per member city for a
period (due, entered, submitted, approved and overdue indicators, the share complete and where
the period stands), filtered, sorted and paged in SQL, and the whole network's summary in one
aggregate query, so the page costs the same at 10 or 15 000 cities. The counts follow
tracker.data.completeness (an indicator counts by its total cell); tests hold them equal."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import pycountry
from sqlalchemy import ColumnElement, Select, Subquery, and_, case, false, func, literal, true
from sqlmodel import Session, col, select

from tracker.cities.models import City, Network, NetworkMembership
from tracker.data.completeness import DONE, PeriodStatus
from tracker.data.models import WHOLE_YEAR, Observation, ObservationStatus, ReportingWindow
from tracker.data.queries import period_name
from tracker.indicators.models import Frequency, LocalIndicator
from tracker.paging import Page, page_for


class Show(StrEnum):
    """Which member cities the table shows."""

    ALL = ""
    OVERDUE = "overdue"  # a due indicator is not submitted and the due date has passed
    INCOMPLETE = "incomplete"  # something due is not yet submitted or approved
    COMPLETE = "complete"  # every due indicator is submitted or approved
    NOTHING_DUE = "nothing_due"


class Sort(StrEnum):
    """The orders the table can be sorted in (then by name)."""

    NAME = "name"
    COUNTRY = "country"
    PERCENT = "percent"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class TableQuery:
    """What the page asks for: the period, the day, the filters and the order."""

    year: int
    quarter: int
    today: date
    country: str = ""
    show: Show = Show.ALL
    sort: Sort = Sort.NAME
    descending: bool = False


@dataclass
class CityRow:
    """One member city's completeness for the period, as the database counted it."""

    city: City
    window: ReportingWindow | None
    due: int
    entered: int
    submitted: int
    approved: int
    overdue: int
    status: PeriodStatus
    quarter: int
    year: int

    @property
    def percent(self) -> int | None:
        """Return the share of due indicators submitted or approved, in whole percent (None
        when nothing is due), rounded as tracker.data.completeness rounds it."""
        done = self.submitted + self.approved
        return round(100 * done / self.due) if self.due else None

    @property
    def label(self) -> str:
        """Name the period as the grid does."""
        return period_name(self.city, self.year, self.quarter)


@dataclass
class Summary:
    """The whole network's figures for the period (whatever the filters)."""

    cities: int = 0
    shown: int = 0  # the cities the filters keep
    overdue_cities: int = 0
    complete_cities: int = 0
    nothing_due_cities: int = 0
    due: int = 0
    entered: int = 0
    submitted: int = 0
    approved: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        """Return the network's share of due indicators submitted or approved."""
        done = self.submitted + self.approved
        return round(100 * done / self.due) if self.due else None


def members(network: Network) -> Select[Any]:
    """Select the ids of the network's member cities."""
    return select(NetworkMembership.city_id).where(NetworkMembership.network_id == network.id)


def due_frequency(quarter: int) -> Frequency:
    """Return the frequency of the indicators due for a period of this kind."""
    return Frequency.ANNUAL if quarter == WHOLE_YEAR else Frequency.QUARTERLY


def is_total_cell(year: Any, quarter: Any) -> ColumnElement[bool]:
    """Match the non-deleted total cell of an indicator for a period."""
    return and_(col(Observation.indicator_id) == LocalIndicator.id,
                col(Observation.year) == year, col(Observation.quarter) == quarter,
                col(Observation.span_years) == 1, col(Observation.breakdown_key) == "",
                col(Observation.is_deleted) == false())


def counts_per_city(network: Network, year: int, quarter: int,
                    among: Select[Any] | None = None) -> Subquery:
    """Count each member city's (or only these cities') due indicators and their total
    cells by status."""
    status = col(Observation.status)
    columns: list[Any] = [
        col(LocalIndicator.city_id).label("city_id"),
        func.count(col(LocalIndicator.id)).label("due"),
        func.count(col(Observation.id)).label("entered"),
        func.sum(case((status == ObservationStatus.SUBMITTED, 1), else_=0)).label("submitted"),
        func.sum(case((status == ObservationStatus.APPROVED, 1), else_=0)).label("approved")]
    query: Select[Any] = select(*columns).select_from(LocalIndicator)
    return (query
            .outerjoin(Observation, is_total_cell(year, quarter))
            .where(col(LocalIndicator.city_id).in_(members(network) if among is None else among),
                   col(LocalIndicator.is_retired) == false(),
                   col(LocalIndicator.frequency) == due_frequency(quarter))
            .group_by(col(LocalIndicator.city_id))
            .subquery("counts"))


def figures(network: Network, year: int, quarter: int, today: date,
            among: Select[Any] | None = None) -> Subquery:
    """One row per member city (of `among` only, when given): its counts, overdue count,
    share done and period status."""
    counts = counts_per_city(network, year, quarter, among)
    due = func.coalesce(counts.c.due, 0)
    done = func.coalesce(counts.c.submitted, 0) + func.coalesce(counts.c.approved, 0)
    overdue = case((col(ReportingWindow.due_on) < today, due - done), else_=0)
    status = case((col(ReportingWindow.id).is_(None), PeriodStatus.NO_WINDOW.value),
                  (col(ReportingWindow.opens_on) > today, PeriodStatus.NOT_OPEN.value),
                  (col(ReportingWindow.due_on) >= today, PeriodStatus.OPEN.value),
                  (due > done, PeriodStatus.OVERDUE.value), else_=PeriodStatus.CLOSED.value)
    columns: list[Any] = [
        col(City.id).label("city_id"), col(ReportingWindow.id).label("window_id"),
        col(City.country_code).label("country"),
        due.label("due"), func.coalesce(counts.c.entered, 0).label("entered"),
        func.coalesce(counts.c.submitted, 0).label("submitted"),
        func.coalesce(counts.c.approved, 0).label("approved"), done.label("done"),
        overdue.label("overdue"), status.label("status"),
        case((due > 0, literal(100.0) * done / due)).label("share")]
    query: Select[Any] = select(*columns).select_from(City)
    if among is not None:
        query = query.where(col(City.id).in_(among))
    return (query
            .join(NetworkMembership, and_(col(NetworkMembership.city_id) == City.id,
                                          col(NetworkMembership.network_id) == network.id))
            .outerjoin(counts, counts.c.city_id == City.id)
            .outerjoin(ReportingWindow, and_(col(ReportingWindow.city_id) == City.id,
                                             col(ReportingWindow.year) == year,
                                             col(ReportingWindow.quarter) == quarter))
            .subquery("figures"))


def show_clauses(fig: Subquery) -> dict[Show, ColumnElement[bool]]:
    """Return the filter of each Show choice but "all" on the figures."""
    c = fig.c
    return {Show.OVERDUE: c.overdue > 0,
            Show.INCOMPLETE: and_(c.due > 0, c.done < c.due),
            Show.COMPLETE: and_(c.due > 0, c.done == c.due),
            Show.NOTHING_DUE: c.due == 0}


def country_order() -> ColumnElement[Any]:
    """Order cities by their country's name as the page shows it, not by the code."""
    named = sorted(pycountry.countries, key=lambda c: c.name)
    return case({c.alpha_2: rank for rank, c in enumerate(named)},
                value=col(City.country_code), else_=len(named))


def order_by(fig: Subquery | None, table: TableQuery) -> list[Any]:
    """Return the ORDER BY of the table: the chosen key, then the name (and id: stable);
    no figures are needed to sort by name or country."""
    key = country_order() if table.sort == Sort.COUNTRY else None
    if fig is not None and table.sort in (Sort.PERCENT, Sort.OVERDUE):
        key = fig.c.share if table.sort == Sort.PERCENT else fig.c.overdue
    name = [func.lower(col(City.name)), col(City.id)]
    if key is None:
        return [n.desc() for n in name] if table.descending else name
    first = key.desc() if table.descending else key.asc()
    return [first.nulls_last(), *name]  # "nothing due" has no share: last either way


def table_select(network: Network, table: TableQuery, plain: bool = False,
                 among: Select[Any] | None = None) -> Select[Any]:
    """Select the table's rows (of the cities `among`, when given), filtered and sorted:
    City, window and counts, or (`plain`) the columns an export writes, which pile nothing
    up in the session."""
    fig = figures(network, table.year, table.quarter, table.today, among)
    counts = [fig.c.due, fig.c.entered, fig.c.submitted, fig.c.approved, fig.c.overdue,
              fig.c.status]
    w = ReportingWindow
    records: list[Any] = [City, w] if not plain else [
        col(City.name), col(City.slug), col(City.country_code),
        col(City.fiscal_year_start_month), col(w.opens_on), col(w.due_on)]
    query: Select[Any] = (select(*records, *counts).select_from(City)
             .join(fig, fig.c.city_id == City.id)
             .outerjoin(w, col(w.id) == fig.c.window_id)
             .order_by(*order_by(fig, table)))
    return query.where(chosen(fig, table))


def chosen(fig: Subquery, table: TableQuery) -> ColumnElement[bool]:
    """Return the filter of the cities the table shows (its country and Show choice)."""
    clauses = [fig.c.country == table.country] if table.country else []
    shown = show_clauses(fig).get(table.show)
    return and_(true(), *clauses, *([shown] if shown is not None else []))


def to_row(row: Any, table: TableQuery) -> CityRow:
    """Turn a result row of table_select into a CityRow."""
    city, window, due, entered, submitted, approved, overdue, status = row
    return CityRow(city, window, int(due), int(entered), int(submitted), int(approved),
                   int(overdue), PeriodStatus(status), table.quarter, table.year)


def summarise(session: Session, network: Network, table: TableQuery) -> Summary:
    """Add up the whole network's figures for the period in one query."""
    fig = figures(network, table.year, table.quarter, table.today)
    c, shows = fig.c, show_clauses(fig)

    def cities_where(clause: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((clause, 1), else_=0)), 0)

    columns: list[Any] = [
        func.count(), cities_where(chosen(fig, table)), cities_where(shows[Show.OVERDUE]),
        cities_where(shows[Show.COMPLETE]), cities_where(shows[Show.NOTHING_DUE]),
        *(func.coalesce(func.sum(column), 0) for column in
          (c.due, c.entered, c.submitted, c.approved, c.overdue))]
    row = session.execute(select(*columns).select_from(fig)).one()
    return Summary(*(int(value) for value in row))


def list_countries(session: Session, network: Network) -> list[str]:
    """List the codes of the member cities' countries."""
    query = select(City.country_code).where(col(City.id).in_(members(network))).distinct()
    return sorted(session.scalars(query))


def undone_indicator(network: Network, period: tuple[int, int, date], today: date
                     ) -> Select[Any]:
    """Select a due indicator, of a member city whose window of the period (year, quarter,
    due date) has begun, without a submitted or approved total cell (year and quarter as
    values, not correlated: the database can anti-join in one pass)."""
    year, quarter, due_on = period
    w = ReportingWindow
    done_cell = (select(col(Observation.id))
                 .where(is_total_cell(year, quarter), col(Observation.status).in_(DONE)))
    return (select(col(LocalIndicator.id))
            .join(w, and_(col(w.city_id) == LocalIndicator.city_id, col(w.year) == year,
                          col(w.quarter) == quarter, col(w.due_on) == due_on,
                          col(w.opens_on) <= today))
            .where(col(w.city_id).in_(members(network)),
                   col(LocalIndicator.is_retired) == false(),
                   col(LocalIndicator.frequency) == due_frequency(quarter),
                   ~done_cell.exists())
            .limit(1))


def overdue_period(session: Session, network: Network, today: date) -> tuple[int, int] | None:
    """Return the period overdue the longest among the member cities: the past due dates
    in order, each checked for a due indicator not done until one is found."""
    w = ReportingWindow
    columns: list[Any] = [col(w.year), col(w.quarter), col(w.due_on)]
    candidates = session.execute(
        select(*columns).distinct()
        .where(col(w.city_id).in_(members(network)), col(w.opens_on) <= today,
               col(w.due_on) < today)
        .order_by(col(w.due_on), col(w.year).desc(), col(w.quarter))).all()
    for year, quarter, due_on in candidates:
        if session.scalar(undone_indicator(network, (year, quarter, due_on), today)):
            return int(year), int(quarter)
    return None


def first_window(session: Session, network: Network, where: list[ColumnElement[bool]],
                 order: list[Any]) -> tuple[int, int] | None:
    """Return the (year, quarter) of the member cities' first window matching `where`."""
    query = (select(ReportingWindow.year, ReportingWindow.quarter)
             .where(col(ReportingWindow.city_id).in_(members(network)), *where)
             .order_by(*order).limit(1))
    found = session.execute(query).first()
    return None if found is None else (int(found[0]), int(found[1]))


def network_default_period(session: Session, network: Network, today: date
                           ) -> tuple[int, int]:
    """Return the network's most urgent period as tracker.data.completeness.default_period
    finds it (overdue the longest, then open due soonest, then closed the latest, then not
    yet open the soonest), in a few queries instead of loading every city's cells."""
    w = ReportingWindow
    year_quarter = [col(w.year).desc(), col(w.quarter)]
    begun = col(w.opens_on) <= today
    overdue = overdue_period(session, network, today)
    if overdue is not None:
        return overdue
    steps: list[tuple[list[ColumnElement[bool]], list[Any]]] = [
        ([begun, col(w.due_on) >= today], [col(w.due_on), *year_quarter]),
        ([begun, col(w.due_on) < today], [col(w.due_on).desc(), *year_quarter]),
        ([col(w.opens_on) > today], [col(w.opens_on), *year_quarter])]
    for where, order in steps:
        found = first_window(session, network, where, order)
        if found is not None:
            return found
    latest_start = session.scalar(select(func.max(City.fiscal_year_start_month))
                                  .where(col(City.id).in_(members(network))))
    started = latest_start is None or today.month >= latest_start
    return (today.year if started else today.year - 1), WHOLE_YEAR


def page_ids(network: Network, table: TableQuery, page: Page) -> Select[Any]:
    """Select the ids of one page's cities when the order and filters need no figures."""
    query = select(col(City.id)).where(col(City.id).in_(members(network)))
    if table.country:
        query = query.where(col(City.country_code) == table.country)
    return query.order_by(*order_by(None, table)).limit(page.per_page).offset(page.first - 1)


def load_page(session: Session, network: Network, table: TableQuery, number: int
              ) -> tuple[Page, Summary]:
    """Read one page of the table and the network's figures: one pass over the whole
    network (the figures and how many cities the filters keep), then the page's rows, of
    only its cities when sorted by name or country with no status filter."""
    summary = summarise(session, network, table)
    page = page_for(summary.shown, number)
    if table.sort in (Sort.NAME, Sort.COUNTRY) and table.show == Show.ALL:
        query = table_select(network, table, among=page_ids(network, table, page))
    else:
        query = table_select(network, table).limit(page.per_page).offset(page.first - 1)
    page.items = [to_row(row, table) for row in session.execute(query)]
    return page, summary
