"""Create and change networks, cities and memberships (flush, never commit)."""

from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker.audit.services import diff, record_change, snapshot, tracked_update
from tracker.cities.models import City, CityCreate, Network, NetworkCreate, NetworkMembership
from tracker.db import saved_id
from tracker.errors import DomainError
from tracker.timeutil import utcnow

CITY_FIELDS = [
    "name", "country_code", "level", "parent_id", "population", "population_year",
    "population_source", "fiscal_year_start_month", "website", "description", "is_published",
    "ref_area_code",
]
NETWORK_FIELDS = ["name", "description", "website"]
NAMES = "alternative_names"  # a list: history keeps it as one line of text


def city_state(city: City, fields: list[str]) -> dict[str, Any]:
    """Return a city's values for history, its alternative names joined by "; "."""
    return {**snapshot(city, fields), NAMES: "; ".join(city.alternative_names)}


class CityError(DomainError):
    """A change to a city or network was refused; the message says why."""


def create_network(*, session: Session, network_in: NetworkCreate, user_id: int | None) -> Network:
    """Create a network with a unique slug."""
    if session.exec(select(Network).where(Network.slug == network_in.slug)).first():
        raise CityError(_("The address name %(slug)s is taken.", slug=network_in.slug))
    network = Network.model_validate(network_in)
    session.add(network)
    session.flush()
    record_change(session, user_id=user_id, action="create", entity=network,
                  changes=diff({}, snapshot(network, ["slug", *NETWORK_FIELDS])))
    return network


def create_city(
    *, session: Session, city_in: CityCreate, user_id: int | None, network: Network | None = None
) -> City:
    """Create a city with a unique slug, optionally as a member of a network."""
    if session.exec(select(City).where(City.slug == city_in.slug)).first():
        raise CityError(_("The address name %(slug)s is taken.", slug=city_in.slug))
    city = City.model_validate(city_in)
    session.add(city)
    session.flush()
    record_change(session, user_id=user_id, action="create", entity=city, city_id=city.id,
                  changes=diff({}, city_state(city, ["slug", *CITY_FIELDS])))
    if network is not None:
        add_member(session=session, network=network, city=city, user_id=user_id)
    return city


def update_city(
    *, session: Session, city: City, values: dict[str, Any], version: int | None,
    user_id: int | None,
) -> City:
    """Apply validated profile values to a city, keeping the change in history."""
    if values.get("parent_id") == city.id:
        raise CityError(_("A city cannot be its own parent area."))
    merged = {**snapshot(city, ["slug", *CITY_FIELDS]), NAMES: list(city.alternative_names),
              **values}
    validated = CityCreate.model_validate(merged)
    tracked_update(session, city, lambda: city.sqlmodel_update(
                       validated.model_dump(include={NAMES, *CITY_FIELDS})),
                   take=lambda: city_state(city, CITY_FIELDS), version=version, user_id=user_id,
                   city_id=city.id)
    return city


def update_network(
    *, session: Session, network: Network, values: dict[str, Any], version: int | None,
    user_id: int | None,
) -> Network:
    """Apply validated values to a network, keeping the change in history."""
    merged = {"slug": network.slug, **snapshot(network, NETWORK_FIELDS), **values}
    validated = NetworkCreate.model_validate(merged)
    tracked_update(session, network,
                   lambda: network.sqlmodel_update(validated.model_dump(
                       include=set(NETWORK_FIELDS))),
                   take=lambda: snapshot(network, NETWORK_FIELDS), version=version,
                   user_id=user_id, city_id=None)
    return network


def add_member(
    *, session: Session, network: Network, city: City, user_id: int | None, note: str = ""
) -> NetworkMembership:
    """Make a city a member of a network (once)."""
    query = select(NetworkMembership).where(
        NetworkMembership.network_id == network.id, NetworkMembership.city_id == city.id
    )
    if existing := session.exec(query).first():
        return existing
    membership = NetworkMembership(network_id=saved_id(network), city_id=saved_id(city),
                                   joined_on=utcnow().date(), note=note)
    session.add(membership)
    session.flush()
    record_change(session, user_id=user_id, action="join", entity=city, city_id=city.id,
                  changes={"network": [None, network.slug]})
    return membership


def remove_member(*, session: Session, network: Network, city: City, user_id: int | None) -> None:
    """End a city's membership of a network, keeping the change in history."""
    query = select(NetworkMembership).where(
        NetworkMembership.network_id == network.id, NetworkMembership.city_id == city.id
    )
    membership = session.exec(query).first()
    if membership is None:
        raise CityError(_("%(city)s is not a member of %(network)s.", city=city.name,
                          network=network.name))
    session.delete(membership)
    session.flush()
    record_change(session, user_id=user_id, action="leave", entity=city, city_id=city.id,
                  changes={"network": [network.slug, None]})
