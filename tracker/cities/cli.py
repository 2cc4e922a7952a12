"""`tracker city create SLUG`: create a city from the shell (e.g. before an Open SDG import)."""

import re

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from pydantic import ValidationError

from tracker.cities.models import SLUG_PATTERN, CityCreate
from tracker.cities.services import CityError, create_city
from tracker.db import get_session


@click.group("city", cls=AppGroup)
def city_cli() -> None:
    """Manage cities."""


@city_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The city's name.")
@click.option("--country", required=True, help="ISO 3166-1 alpha-2 country code (GB, ZA…).")
@click.option("--level", default="city", show_default=True,
              help="city, district, sub-district…")
@click.option("--published", is_flag=True, help="Show the city to visitors.")
def create(slug: str, name: str, country: str, level: str, published: bool) -> None:
    """Create a city with the address name SLUG."""
    if not re.match(SLUG_PATTERN, slug):
        raise click.BadParameter(_("use lower-case letters, digits and single hyphens "
                                   "(e.g. cape-town)"), param_hint="slug")
    try:
        city_in = CityCreate(slug=slug, name=name, country_code=country.upper(), level=level,
                             is_published=published)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in error.errors())
        raise click.ClickException(_("Invalid city: %(problems)s", problems=problems)) \
            from error
    session = get_session()
    try:
        city = create_city(session=session, city_in=city_in, user_id=None)
    except CityError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(_("Created city %(slug)s (%(name)s).", slug=city.slug, name=city.name))
