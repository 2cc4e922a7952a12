"""Reads for the indicator grid: every observation of an indicator in one query, the grid's
rows and columns, a cell's history, and the networks whose secretariats review the city."""

import itertools
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from tracker.auth.models import User
from tracker.cities.models import City, Network, NetworkMembership
from tracker.data.models import WHOLE_YEAR, Observation, ObservationChange, breakdown_key
from tracker.indicators.models import Frequency, LocalIndicator
from tracker.plans.models import period_label

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
    """A row of the grid: a fiscal year, or one of its quarters."""

    year: int
    quarter: int
    label: str


@dataclass
class Grid:
    """Everything the grid page shows, loaded up front."""

    indicator: LocalIndicator
    periods: list[Period]
    columns: list[Column]
    cells: dict[tuple[int, int, str], Observation] = field(default_factory=dict)
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
             .outerjoin(User, User.id == ObservationChange.user_id)  # type: ignore[arg-type]
             .where(ObservationChange.observation_id == cell.id)
             .order_by(ObservationChange.at, ObservationChange.id))
    return [(change, user) for change, user in session.execute(query)]


def list_city_networks(session: Session, city: City) -> list[Network]:
    """List the networks the city belongs to."""
    query = (select(Network)
             .join(NetworkMembership, NetworkMembership.network_id == Network.id)  # type: ignore[arg-type]
             .where(NetworkMembership.city_id == city.id))
    return list(session.scalars(query))


def current_fiscal_year(city: City, today: date | None = None) -> int:
    """Return the calendar year the city's current fiscal year started in."""
    today = today or date.today()
    return today.year if today.month >= city.fiscal_year_start_month else today.year - 1


def list_columns(indicator: LocalIndicator) -> list[Column]:
    """Return the total, then every combination of the indicator's breakdown values."""
    dimensions = list(indicator.dimensions)
    columns = [Column("", {}, "")]
    for values in itertools.product(*(d.values for d in dimensions)) if dimensions else []:
        breakdown = {d.name: value for d, value in zip(dimensions, values, strict=True)}
        columns.append(Column(breakdown_key(breakdown), breakdown, " · ".join(values),
                              len(columns)))
    return columns


def list_periods(city: City, indicator: LocalIndicator, observed: list[int],
                 today: date | None = None) -> list[Period]:
    """Return the grid's rows, newest first: from the baseline year (or 9 years back, or the
    oldest value) to the current fiscal year (or the newest value)."""
    last = max([current_fiscal_year(city, today), *observed])
    first = min([indicator.baseline_year or last - YEARS_BACK, *observed])
    quarters = [1, 2, 3, 4] if indicator.frequency == Frequency.QUARTERLY else [WHOLE_YEAR]
    return [Period(year, quarter, period_name(city, year, quarter))
            for year in range(last, first - 1, -1) for quarter in reversed(quarters)]


def load_grid(session: Session, city: City, indicator: LocalIndicator,
              today: date | None = None) -> Grid:
    """Build the grid of an indicator from one query of its observations."""
    observations = [o for o in list_observations(session, indicator) if not o.is_deleted]
    periods = list_periods(city, indicator, [o.year for o in observations], today)
    grid = Grid(indicator, periods, list_columns(indicator),
                {(o.year, o.quarter, o.breakdown_key): o for o in observations})
    grid.last_values = [(p, grid.cells[(p.year, p.quarter, "")]) for p in periods
                        if (p.year, p.quarter, "") in grid.cells][:3]
    return grid


def find_column(indicator: LocalIndicator, key: str) -> Column | None:
    """Return the grid column with this breakdown key, if the indicator has it."""
    return next((c for c in list_columns(indicator) if c.key == key), None)


def period_name(city: City, year: int, quarter: int) -> str:
    """Label a period as the grid does: "2023/24", "2023/24 Q2"."""
    label = period_label(year, year, city.fiscal_year_start_month)
    return f"{label} Q{quarter}" if quarter else label
