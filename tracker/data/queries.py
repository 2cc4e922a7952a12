"""Reads for the indicator grid and the period form: every observation of an indicator (or of
a period's indicators) in one query, rows and columns, a cell's history, and the networks
whose secretariats review the city."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from tracker.auth.models import User
from tracker.cities.models import City, Network, NetworkMembership
from tracker.data.models import (
    WHOLE_YEAR,
    Observation,
    ObservationChange,
    ObservationStatus,
    PeriodKind,
    breakdown_key,
)
from tracker.data.period_labels import is_fiscal
from tracker.data.period_names import cell_period, city_period_name
from tracker.data.periods import is_due
from tracker.db import saved_id
from tracker.indicators.models import Frequency, IndicatorTarget, LocalIndicator
from tracker.indicators.queries import IndicatorView, list_indicators

YEARS_BACK = 9  # without a baseline the grid shows the current fiscal year and 9 before it


@dataclass
class Column:
    """A breakdown of the indicator: {} is the total."""

    key: str
    breakdown: dict[str, str]
    label: str
    index: int = 0


@dataclass
class Period:
    """A row of the grid: a year (the indicator's calendar or fiscal one), one of its
    quarters, or a range of years; `period_label` is the label its cells were written with
    ("" when they have none), `label` what the row shows."""

    year: int
    quarter: int
    label: str
    span_years: int = 1
    period_label: str = ""
    period_kind: PeriodKind = PeriodKind.YEAR

    @property
    def key(self) -> tuple[int, int, int]:
        """The period's identity within the indicator."""
        return self.year, self.quarter, self.span_years


@dataclass
class Grid:
    """Everything the grid page shows, loaded up front."""

    indicator: LocalIndicator
    periods: list[Period]
    columns: list[Column]
    cells: dict[tuple[int, int, int, str], Observation] = field(default_factory=dict)
    last_values: list[tuple[Period, Observation]] = field(default_factory=list)


def list_observations(session: Session, indicator: LocalIndicator) -> list[Observation]:
    """List every observation of the indicator (deleted ones included), in one query."""
    query = select(Observation).where(Observation.indicator_id == indicator.id)
    return list(session.scalars(query))


def get_observation(session: Session, indicator: LocalIndicator, obs_id: int
                    ) -> Observation | None:
    """Return one observation, only when it belongs to this indicator."""
    cell = session.get(Observation, obs_id)
    return cell if cell is not None and cell.indicator_id == indicator.id else None


def list_changes(session: Session, cell: Observation
                 ) -> list[tuple[ObservationChange, User | None]]:
    """List a cell's changes, oldest first, with who made them."""
    query = (select(ObservationChange, User)
             .outerjoin(User, col(User.id) == ObservationChange.user_id)
             .where(ObservationChange.observation_id == cell.id)
             .order_by(col(ObservationChange.at), col(ObservationChange.id)))
    return [(change, user) for change, user in session.execute(query)]


def list_city_networks(session: Session, city: City) -> list[Network]:
    """List the networks the city belongs to."""
    query = (select(Network)
             .join(NetworkMembership, col(NetworkMembership.network_id) == Network.id)
             .where(NetworkMembership.city_id == city.id))
    return list(session.scalars(query))


def current_fiscal_year(city: City, today: date | None = None) -> int:
    """Return the calendar year the city's current fiscal year started in."""
    today = today or date.today()
    return today.year if today.month >= city.fiscal_year_start_month else today.year - 1


def current_year(city: City, indicator: LocalIndicator, today: date | None = None) -> int:
    """Return the year a value for today goes in: the city's current fiscal year, or the
    calendar year for an indicator that counts calendar years."""
    if is_fiscal(indicator, city.fiscal_year_start_month):
        return current_fiscal_year(city, today)
    return (today or date.today()).year


def list_columns(indicator: LocalIndicator) -> list[Column]:
    """Return the total, then each value of each breakdown as its own cell (not their cross
    product: the sum rule adds up one dimension's values to the total)."""
    columns = [Column("", {}, "")]
    for dimension in indicator.dimensions:
        for value in dimension.values:
            breakdown = {dimension.name: value}
            columns.append(Column(breakdown_key(breakdown), breakdown, value, len(columns)))
    return columns


def list_periods(city: City, indicator: LocalIndicator, observed: list[Observation],
                 today: date | None = None) -> list[Period]:
    """Return the grid's rows, newest first: every year (or quarter) from the baseline year
    (or 9 years back, or the oldest value) to the current fiscal year (or the newest value),
    and each range of years a value was given for, each labelled as its cells were written."""
    years = [o.year for o in observed]
    last = max([current_year(city, indicator, today), *years])
    first = min([indicator.baseline_year or last - YEARS_BACK, *years])
    quarters = [1, 2, 3, 4] if indicator.frequency == Frequency.QUARTERLY else [WHOLE_YEAR]
    keys = {(year, quarter, 1) for year in range(first, last + 1) for quarter in quarters}
    written: dict[tuple[int, int, int], Observation] = {}
    for obs in sorted(observed, key=lambda o: o.breakdown_key != ""):  # the total's first
        keys.add((obs.year, obs.quarter, obs.span_years))
        if obs.period_label:
            written.setdefault((obs.year, obs.quarter, obs.span_years), obs)
    return [grid_period(city, indicator, key, written.get(key))
            for key in sorted(keys, reverse=True)]


def grid_period(city: City, indicator: LocalIndicator, key: tuple[int, int, int],
                labelled: Observation | None) -> Period:
    """A row of the grid, labelled as its cells were written (else by the calendar)."""
    year, quarter, span = key
    row = Period(year, quarter, "", span)
    if labelled is not None:
        row.period_label, row.period_kind = labelled.period_label, labelled.period_kind
    elif quarter != WHOLE_YEAR:
        row.period_kind = PeriodKind.QUARTER
    elif span > 1:
        row.period_kind = PeriodKind.RANGE
    row.label = cell_period(city, indicator, row)
    return row


def load_grid(session: Session, city: City, indicator: LocalIndicator,
              today: date | None = None) -> Grid:
    """Build the grid of an indicator from one query of its observations."""
    observations = [o for o in list_observations(session, indicator) if not o.is_deleted]
    periods = list_periods(city, indicator, observations, today)
    grid = Grid(indicator, periods, list_columns(indicator),
                {(o.year, o.quarter, o.span_years, o.breakdown_key): o for o in observations})
    grid.last_values = [(p, grid.cells[(*p.key, "")]) for p in periods
                        if (*p.key, "") in grid.cells][:3]
    return grid


def find_column(indicator: LocalIndicator, key: str) -> Column | None:
    """Return the grid column with this breakdown key, if the indicator has it."""
    return next((c for c in list_columns(indicator) if c.key == key), None)


def period_name(city: City, year: int, quarter: int) -> str:
    """Name a period of the city as a whole, where no indicator says whose year it is (a
    reporting window, the period form's heading): "2023/24", "2023/24 Q2"."""
    return city_period_name(city, year, quarter)


# ---------------------------------------------------------------- the period form

@dataclass
class PeriodRow:
    """One indicator of a period form: its cells this period and what to compare them with."""

    indicator: LocalIndicator
    columns: list[Column]
    cells: dict[str, Observation] = field(default_factory=dict)  # by breakdown key
    last: tuple[str, Observation] | None = None  # the newest earlier total, with its period
    target: IndicatorTarget | None = None
    period: str = ""  # the period as this indicator names it ("2015" or "2015/16")
    # Ranges of years starting this period ("2017-2019"): shown, entered on the grid.
    ranges: list[tuple[str, Observation]] = field(default_factory=list)


@dataclass
class Section:
    """A heading of the period form (a plan, an SDG goal, or "ungrouped") and its rows."""

    title: str
    rows: list[PeriodRow] = field(default_factory=list)


def nearest_target(indicator: LocalIndicator, year: int) -> IndicatorTarget | None:
    """Return the first target due in or after the year, else the latest one."""
    targets = sorted(indicator.targets, key=lambda t: t.year)
    return next((t for t in targets if t.year >= year), targets[-1] if targets else None)


def _period_cells(session: Session, ids: list[int], year: int, quarter: int
                  ) -> list[Observation]:
    """Return the live observations of these indicators starting in the period (ranges of
    years included), in one query."""
    query = select(Observation).where(
        col(Observation.indicator_id).in_(ids), Observation.year == year,
        Observation.quarter == quarter, Observation.is_deleted == False  # noqa: E712
    ).order_by(col(Observation.span_years), col(Observation.breakdown_key))
    return list(session.scalars(query))


def _last_totals(session: Session, ids: list[int], year: int, quarter: int
                 ) -> dict[int, Observation]:
    """Return each indicator's newest total before the year (same quarter), in one query."""
    live = (col(Observation.indicator_id).in_(ids), Observation.quarter == quarter,
            Observation.breakdown_key == "", Observation.span_years == 1,
            Observation.is_deleted == False)  # noqa: E712
    newest = (select(Observation.indicator_id, func.max(Observation.year).label("year"))
              .where(*live, Observation.year < year)
              .group_by(col(Observation.indicator_id)).subquery())
    query = select(Observation).join(newest, and_(
        newest.c.indicator_id == Observation.indicator_id,
        newest.c.year == Observation.year)).where(*live)
    return {obs.indicator_id: obs for obs in session.scalars(query)}


def _section_of(view: IndicatorView, by_goal: bool) -> tuple[tuple[int, str], str]:
    """Return the sort key and title of the section an indicator goes in (its first plan or
    its first goal; an indicator appears once, so each of its inputs appears once)."""
    if by_goal and view.sdg_links:
        number = min(link.goal_number for link in view.sdg_links)
        return (number, ""), _("Goal %(number)s", number=number)
    if not by_goal and view.elements:
        plan = view.elements[0].plan
        return (0, plan.title.lower()), plan.title
    return (1000, ""), _("Ungrouped")


def load_period(session: Session, city: City, year: int, quarter: int, by_goal: bool = False
                ) -> list[Section]:
    """Build the period form: the indicators due, grouped, with their cells, last values and
    nearest targets, in a fixed number of queries."""
    views = [v for v in list_indicators(session, city) if is_due(v.indicator, quarter)]
    ids = [saved_id(v.indicator) for v in views]
    cells = _period_cells(session, ids, year, quarter) if ids else []
    last = _last_totals(session, ids, year, quarter) if ids else {}
    by_indicator: dict[int | None, list[Observation]] = {}
    for obs in cells:
        by_indicator.setdefault(obs.indicator_id, []).append(obs)
    sections: dict[tuple[int, str], Section] = {}
    for view in views:
        ind = view.indicator
        row = period_row(city, ind, (year, quarter), by_indicator.get(ind.id, []))
        if ind.id in last:
            row.last = (cell_period(city, ind, last[ind.id]), last[ind.id])
        key, title = _section_of(view, by_goal)
        sections.setdefault(key, Section(title)).rows.append(row)
    return [sections[key] for key in sorted(sections)]


def period_row(city: City, indicator: LocalIndicator, period: tuple[int, int],
               cells: list[Observation]) -> PeriodRow:
    """One indicator of the period form: its single-year cells by breakdown, the period as
    the indicator names it, and the ranges of years starting then."""
    row = PeriodRow(indicator, list_columns(indicator),
                    target=nearest_target(indicator, period[0]))
    row.cells = {o.breakdown_key: o for o in cells if o.span_years == 1}
    labelled = next((o for o in row.cells.values() if o.period_label), None)
    row.period = grid_period(city, indicator, (*period, 1), labelled).label
    row.ranges = [(cell_period(city, indicator, o), o) for o in cells if o.span_years > 1]
    return row


def list_submittable(session: Session, city: City, year: int, quarter: int
                     ) -> list[Observation]:
    """List the period's draft and returned values of the city's indicators due then."""
    due = [saved_id(v.indicator) for v in list_indicators(session, city)
           if is_due(v.indicator, quarter)]
    return [o for o in _period_cells(session, due, year, quarter)
            if o.status in (ObservationStatus.DRAFT, ObservationStatus.RETURNED)]


def has_quarterly(session: Session, city: City) -> bool:
    """Does the city report any indicator by quarter?"""
    query = select(col(LocalIndicator.id)).where(
        LocalIndicator.city_id == city.id, LocalIndicator.is_retired == False,  # noqa: E712
        LocalIndicator.frequency == Frequency.QUARTERLY).limit(1)
    return session.scalars(query).first() is not None
