"""Load the demo networks, cities and users (idempotent; flush, never commit)."""

from dataclasses import dataclass, field

from sqlmodel import Session, select

from tracker.auth.models import Role, User
from tracker.auth.services import create_user
from tracker.cities.models import City, CityCreate, Network, NetworkCreate
from tracker.cities.services import add_member, create_city, create_network
from tracker.climate.demo import load_climate_demo
from tracker.demo import data
from tracker.demo.observations import load_demo_observations
from tracker.demo.plans import load_demo_plans


@dataclass
class DemoReport:
    """What the demo load created."""

    created: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def load_networks(session: Session, report: DemoReport) -> dict[str, Network]:
    """Create the demo networks that are missing."""
    networks = {n.slug: n for n in session.exec(select(Network)).all()}
    for values in data.NETWORKS:
        if values["slug"] not in networks:
            network = create_network(session=session, network_in=NetworkCreate(**values),
                                     user_id=None)
            networks[network.slug] = network
            report.created.append(f"network {network.slug}")
    return networks


def load_cities(session: Session, report: DemoReport) -> dict[str, City]:
    """Create the demo cities that are missing, parents first."""
    cities = {c.slug: c for c in session.exec(select(City)).all()}
    for values in data.CITIES:
        if values["slug"] in cities:
            continue
        parent = cities.get(values.get("parent", ""))
        fields = {k: v for k, v in values.items() if k != "parent"}
        city_in = CityCreate(**fields, parent_id=parent.id if parent else None)
        cities[city_in.slug] = create_city(session=session, city_in=city_in, user_id=None)
        report.created.append(f"city {city_in.slug}")
    return cities


def load_users(session: Session, networks: dict[str, Network], cities: dict[str, City],
               report: DemoReport) -> None:
    """Create the demo users that are missing; list every demo login."""
    existing = {u.email for u in session.exec(select(User)).all()}
    for email, role, city, network, name in data.USERS:
        report.logins.append((email, role, city or network or ""))
        if email in existing:
            continue
        create_user(session=session, email=email, password=data.DEMO_PASSWORD, role=Role(role),
                    name=name, city=cities.get(city or ""), network=networks.get(network or ""))
        report.created.append(f"user {email}")


def load_demo(session: Session) -> DemoReport:
    """Create the demo networks, cities, memberships and users that do not exist yet."""
    report = DemoReport()
    networks = load_networks(session, report)
    cities = load_cities(session, report)
    for network_slug, city_slug in data.MEMBERSHIPS:
        add_member(session=session, network=networks[network_slug], city=cities[city_slug],
                   user_id=None, note=data.MEMBERSHIP_NOTE)
    load_users(session, networks, cities, report)
    report.created += load_demo_plans(session, cities)
    report.created += load_demo_observations(session, cities)
    report.created += load_climate_demo(session)
    session.flush()
    return report
