"""`tracker user …`: create users from the shell."""

import click
from flask.cli import AppGroup
from sqlmodel import select

from tracker.auth.models import Role
from tracker.auth.services import UserError, create_user
from tracker.cities.models import City, Network
from tracker.db import get_session


@click.group("user", cls=AppGroup)
def user_cli() -> None:
    """Manage user accounts."""


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--city", "city_slug", help="The officer's city (slug).")
@click.option("--network", "network_slug", help="The secretariat's or reviewer's network.")
@click.option("--name", default="")
@click.password_option(help="Prompted for when not given.")
def create(email: str, role: str, city_slug: str | None, network_slug: str | None, name: str,
           password: str) -> None:
    """Create a user with a role, and the city or network the role needs."""
    session = get_session()
    city = network = None
    if city_slug:
        city = session.exec(select(City).where(City.slug == city_slug)).first()
        if city is None:
            raise click.BadParameter(f"no city with slug {city_slug!r}", param_hint="--city")
    if network_slug:
        network = session.exec(select(Network).where(Network.slug == network_slug)).first()
        if network is None:
            raise click.BadParameter(f"no network with slug {network_slug!r}",
                                     param_hint="--network")
    try:
        user = create_user(session=session, email=email, password=password, role=Role(role),
                           name=name, city=city, network=network)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")
