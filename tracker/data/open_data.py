"""Open data: a city's values as files anyone may download (CSV, XLSX, Open SDG CSV).

Visitors, and anyone who may not see the city's internals, get its approved values only: a
draft, submitted or returned value is never in their file, not even as a blank row. Its
insiders get every current value, each marked with its status. Every file says which
approvals it holds ("approved values as of" the latest approval or unlock among its values),
in its first row and in its name.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from tracker.cities.models import City
from tracker.data.models import Observation, ObservationChange, ObservationStatus
from tracker.data.observation_io import (
    list_city_observations,
    open_sdg_rows,
    write_csv,
    write_xlsx,
)
from tracker.data.observation_store import load_indicators
from tracker.data.period_names import cell_period
from tracker.indicators.models import LocalIndicator
from tracker.indicators.presenters import unit_text

APPROVED = ObservationStatus.APPROVED.value
Row = list[str | Decimal]


@dataclass(frozen=True)
class OpenFile:
    """A download: its bytes, its name (without extension) and the approvals it holds."""

    data: bytes
    name: str
    as_of: datetime | None


def latest_approval(session: Session, indicators: Sequence[LocalIndicator]) -> datetime | None:
    """Return when the approved values of these indicators last changed (an approval, or an
    unlock taking one back), or None when none was ever approved."""
    if not indicators:
        return None
    query = (select(func.max(ObservationChange.at))
             .join(Observation, col(Observation.id) == col(ObservationChange.observation_id))
             .where(col(Observation.indicator_id).in_([i.id for i in indicators]),
                    or_(col(ObservationChange.new_status) == APPROVED,
                        col(ObservationChange.old_status) == APPROVED)))
    return session.scalar(query)


def stamp(as_of: datetime | None) -> str:
    """Write the time of the latest approval for a file name: 20261206T103000Z."""
    return as_of.strftime("%Y%m%dT%H%M%SZ") if as_of else "none"


def as_of_note(as_of: datetime | None, internal: bool) -> str:
    """Say which approvals a file holds, and whether drafts are in it."""
    when = as_of.strftime("%Y-%m-%d %H:%M:%S UTC") if as_of else _("none yet")
    if internal:
        return str(_("Approved values as of %(when)s; drafts, submitted and returned values are "
                 "included and marked in the status column.", when=when))
    return str(_("Approved values as of %(when)s.", when=when))


def shown_cells(session: Session, indicators: Sequence[LocalIndicator],
                internal: bool) -> list[Observation]:
    """Return the indicators' current values: all of them for insiders, else approved only."""
    cells = list_city_observations(session, indicators)
    return cells if internal else [c for c in cells if c.status == ObservationStatus.APPROVED]


def breakdown_text(cell: Observation) -> str:
    """Write a breakdown as "sex: female; age: 0-14" ("" for the total)."""
    return "; ".join(f"{name}: {value}" for name, value in cell.breakdown.items())


def open_rows(city: City, indicators: Sequence[LocalIndicator], cells: list[Observation],
              internal: bool) -> Iterator[Row]:
    """Yield one row per value: indicator code and name, period, breakdown, value (exact),
    why there is none, unit, source (and, for insiders, status)."""
    by_id = {i.id: i for i in indicators}
    units = {i.id: unit_text(i) for i in indicators}
    for cell in cells:
        indicator = by_id[cell.indicator_id]
        row: Row = [indicator.code, indicator.name,
                    cell_period(city, indicator, cell),
                    breakdown_text(cell), "" if cell.value is None else Decimal(cell.value),
                    cell.missing_reason.value if cell.missing_reason else "",
                    units[cell.indicator_id], cell.source]
        yield [*row, cell.status.value] if internal else row


def values_file(session: Session, city: City, indicators: Sequence[LocalIndicator], fmt: str,
                internal: bool, name: str) -> OpenFile:
    """Write the indicators' values as CSV or XLSX: the note first, then the table."""
    indicators = sorted(indicators, key=lambda i: i.code.lower())
    as_of = latest_approval(session, indicators)
    header: Row = ["indicator", "indicator_name", "period", "breakdown", "value", "missing_reason",
              "unit", "source", *(["status"] if internal else [])]
    note = as_of_note(as_of, internal)
    rows: list[Row] = [header, *open_rows(city, indicators,
                                          shown_cells(session, indicators, internal), internal)]
    if fmt == "xlsx":
        data = write_xlsx(_("Values"), [note], rows)
    else:
        data = write_csv([f"# {note}"], rows)
    scope = "with-drafts" if internal else "approved"
    return OpenFile(data, f"{name}-{scope}-as-of-{stamp(as_of)}", as_of)


def city_values_file(session: Session, city: City, fmt: str, internal: bool) -> OpenFile:
    """Every indicator's values of a city, for download."""
    return values_file(session, city, load_indicators(session, city), fmt, internal,
                       f"{city.slug}-values")


def indicator_values_file(session: Session, city: City, indicator: LocalIndicator, fmt: str,
                          internal: bool) -> OpenFile:
    """One indicator's values, for download."""
    return values_file(session, city, [indicator], fmt, internal,
                       f"{city.slug}-{file_code(indicator)}")


def file_code(indicator: LocalIndicator) -> str:
    """An indicator's code as a file name part."""
    return indicator.code.replace("/", "-")


def open_sdg_file(session: Session, city: City, indicator: LocalIndicator) -> OpenFile:
    """One indicator's approved values as an Open SDG data file (approved only, for everyone:
    the format has no place for a status; the time of the approvals is in the name)."""
    as_of = latest_approval(session, [indicator])
    header = ["Year", *(d.name for d in indicator.dimensions), "Units", "Value"]
    cells = shown_cells(session, [indicator], internal=False)
    data = write_csv(header, open_sdg_rows(city, indicator, cells))
    return OpenFile(data, f"{city.slug}-{file_code(indicator)}-open-sdg-approved-as-of-"
                          f"{stamp(as_of)}", as_of)
