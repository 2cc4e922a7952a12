"""Forms for city profiles, networks and memberships."""

import calendar
from typing import Any

import pycountry
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from tracker.cities.models import MAX_ALTERNATIVE_NAMES, REF_AREA_PATTERN, SLUG_PATTERN
from tracker.forms import TrackerForm, choices
from tracker.text_rules import bad_character, whole_number

LEVELS = [
    ("city", _l("City")),
    ("metropolitan municipality", _l("Metropolitan municipality")),
    ("municipal corporation", _l("Municipal corporation")),
    ("district", _l("District")),
    ("sub-district", _l("Sub-district")),
    ("region", _l("Region")),
]


def level_label(level: str) -> str:
    """Return the translated label of a city level."""
    return str(dict(LEVELS).get(level, level.capitalize()))


def country_name(code: str) -> str:
    """Return a country's name from its ISO 3166-1 alpha-2 code."""
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def country_choices() -> list[SelectChoice]:
    """Return ISO 3166-1 alpha-2 codes with their names, sorted by name."""
    countries = sorted(pycountry.countries, key=lambda c: c.name)
    return choices((c.alpha_2, f"{c.name} ({c.alpha_2})") for c in countries)


def country_options(codes: list[str]) -> list[SelectChoice]:
    """Offer these countries by name, after "Any country" (a list's country filter)."""
    named = sorted(((code, country_name(code)) for code in codes), key=lambda c: c[1])
    return choices([("", _l("Any country")), *named])


def month_choices() -> list[SelectChoice]:
    """Return the twelve months as choices."""
    return choices((n, calendar.month_name[n]) for n in range(1, 13))


def slug_field(example: str) -> StringField:
    """The short name that appears in addresses, e.g. /cities/ethekwini."""
    return StringField(
        _l("Address name"),
        validators=[DataRequired(), Length(max=60), Regexp(SLUG_PATTERN, message=_l(
            "Use lower-case letters, digits and single hyphens, e.g. ethekwini."))],
        description=_l("Used in addresses, e.g. %(example)s. Cannot be changed later.",
                       example=example),
    )


class NamesField(TextAreaField):
    """A list of names, one a line; blank lines are dropped."""

    def _value(self) -> str:
        """Show the names one a line."""
        return "\n".join(self.data) if isinstance(self.data, list) else str(self.data or "")

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the posted text as trimmed, non-blank lines."""
        text = str(valuelist[0]) if valuelist else ""
        self.data = [line.strip() for line in text.splitlines() if line.strip()]

    def pre_validate(self, form: Any) -> None:
        """Refuse too many names, an over-long one or one with a control character."""
        if len(self.data or []) > MAX_ALTERNATIVE_NAMES:
            raise ValidationError(_l("Give at most %(count)s names.",
                                     count=MAX_ALTERNATIVE_NAMES))
        for name in self.data or []:
            if len(name) > 200:
                raise ValidationError(_l("Each name may have at most 200 characters."))
            if char := bad_character(name, name=True):
                raise ValidationError(_l("%(name)s contains a character that is not allowed "
                                         "here (%(char)s).", name=name[:40], char=char))


class CityForm(TrackerForm):
    """A city's public profile."""

    expected_version = HiddenField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=200)])
    country_code = SelectField(_l("Country"), validators=[DataRequired()])
    level = SelectField(_l("Level"), choices=choices(LEVELS))
    parent_id = SelectField(
        _l("Parent area"), coerce=str,
        description=_l("The district or region this area belongs to, if it is tracked too."),
    )
    population = IntegerField(_l("Population"), validators=[Optional(), NumberRange(min=0)])
    population_year = IntegerField(
        _l("Population year"), validators=[Optional(), NumberRange(min=1800, max=2200)]
    )
    population_source = StringField(_l("Population source"), validators=[Length(max=300)])
    fiscal_year_start_month = SelectField(
        _l("Fiscal year starts in"), coerce=int, choices=month_choices(),
        description=_l("July in South Africa, April in India, January for calendar years."),
    )
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    alternative_names = NamesField(
        _l("Alternative names"), default=list,
        description=_l("Other names data publishers use for this city, one a line, e.g. "
                       "Durban for eThekwini: CDP imports match them."),
    )
    is_published = BooleanField(
        _l("Published"),
        description=_l("Anyone may read a published city's profile, plans and approved data."),
    )
    ref_area_code = StringField(
        _l("SDMX reference area (REF_AREA)"),
        filters=[lambda text: (text or "").strip()],  # absent from a form: none
        validators=[Length(max=40), Regexp(REF_AREA_PATTERN, message=_l(
            "Use capital letters, digits and underscores, e.g. 710 or ZA_CPT."))],
        description=_l("The code the city's values carry in SDMX exports, e.g. the national "
                       "statistics office's code for the city. SDMX exports need one."),
    )


class NewCityForm(CityForm):
    """A new city: its profile and its address name."""

    slug = slug_field("/cities/ethekwini")


class NetworkForm(TrackerForm):
    """A network's description."""

    expected_version = HiddenField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=200)])
    website = StringField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])


class NewNetworkForm(NetworkForm):
    """A new network."""

    slug = slug_field("/networks/gcom")


class MemberForm(TrackerForm):
    """Add an existing city to a network."""

    city = SelectField(_l("City"), validators=[DataRequired()])


def submitted_version(form: FlaskForm) -> int:
    """Return the record version the edit began from; -1 (never current) when missing."""
    raw = str(form.expected_version.data or "")
    version = whole_number(raw)
    return -1 if version is None else version


class CitySearchForm(TrackerForm):
    """Search a list of cities by name or country (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or country"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), validators=[Optional()])

    def offer_countries(self, codes: list[str]) -> None:
        """Offer these countries (those of the cities listed), by name, and "any"."""
        self.country.choices = country_options(codes)

    def filters(self) -> tuple[str, str]:
        """Return the valid search text and country ("" for what is missing or refused)."""
        q = "" if self.q.errors else (self.q.data or "").strip()
        country = "" if self.country.errors else (self.country.data or "")
        return q, country
