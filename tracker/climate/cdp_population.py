"""Populations in CDP files that cannot be the city's: kept, flagged "unconfirmed" and not used
per inhabitant until someone who may edit the city's climate data confirms them.

CDP's files hold populations typed for the wrong area or unit (38 201 740 for Durban in
2018, ten times eThekwini's); a per-capita figure from one would be wrong by as much.
"""

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker.audit.services import tracked_update
from tracker.cities.models import City
from tracker.climate.models import GhgInventory
from tracker.climate.services import ClimateError

MAX_CITY_POPULATION = 40_000_000  # above any city proper (Chongqing's whole area: 32 M)
FACTOR = 5  # more than 5× or under a fifth of the previous figure


def previous_population(session: Session, city: City, year: int) -> int | None:
    """The city's confirmed population nearest in time: an inventory of another year's
    figure, else the city profile's."""
    rows = session.exec(select(GhgInventory.year, GhgInventory.population).where(
        GhgInventory.city_id == city.id, GhgInventory.year != year,
        GhgInventory.population.is_not(None),  # type: ignore[union-attr]
        GhgInventory.population_unconfirmed == False)).all()  # noqa: E712
    if rows:
        return min(rows, key=lambda r: (abs(r[0] - year), -r[0]))[1]
    return city.population or None


def spaced(number: int) -> str:
    """Write a whole number in groups of three: 38 201 740."""
    return f"{number:,}".replace(",", " ")


def implausible(population: int | None, previous: int | None) -> str:
    """Say why a population cannot be the city's, or return "" when it may be."""
    if population is None:
        return ""
    if population > MAX_CITY_POPULATION:
        return f"more than any city holds (over {spaced(MAX_CITY_POPULATION)})"
    if previous and population > FACTOR * previous:
        return f"more than {FACTOR} times the city's previous figure {spaced(previous)}"
    if previous and population * FACTOR < previous:
        return f"under a fifth of the city's previous figure {spaced(previous)}"
    return ""


def set_flag(session: Session, inventory: GhgInventory, flagged: bool, user_id: int | None,
             version: int | None = None) -> None:
    """Flag or clear an inventory's population, keeping the change in history."""
    tracked_update(session, inventory,
                   lambda: setattr(inventory, "population_unconfirmed", flagged),
                   take=lambda: {"population_unconfirmed": inventory.population_unconfirmed},
                   version=version, user_id=user_id, city_id=inventory.city_id)


def confirm_population(*, session: Session, inventory: GhgInventory, version: int | None,
                       user_id: int | None) -> None:
    """Accept a flagged population: per-capita figures use it from now on."""
    if not inventory.population_unconfirmed:
        raise ClimateError(_("The population of inventory %(year)s needs no confirmation.",
                             year=inventory.year))
    set_flag(session, inventory, False, user_id, version)
