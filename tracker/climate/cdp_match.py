"""Find the tracker city of a CDP row: by CDP account number, then by the city's alternative
names, then by name within the country; create a city only when none of these match.

CDP names some accounts otherwise than the tracker ("Durban" for eThekwini), so a known
alternative name never yields a second city; a city matched by name keeps the row's account
number, so the next file matches it by account.
"""

import unicodedata

from sqlmodel import Session, col, select

from tracker.cities.models import City, CityCreate
from tracker.cities.services import create_city
from tracker.climate import cdp_parse as p
from tracker.climate.cdp_rows import SkipRow
from tracker.climate.models import ClimateProfile, ClimateProfileCreate
from tracker.climate.queries import profile_by_account
from tracker.climate.services import save_profile


def fold(name: str) -> str:
    """Compare names ignoring case, accents and spacing ("Málaga " = "malaga")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def find_city(session: Session, names: list[str], code: str) -> City | None:
    """Find a city of the country by an alternative name first, then by its name."""
    wanted = {fold(n) for n in names if n}
    cities = session.exec(select(City).where(City.country_code == code)
                          .order_by(col(City.id))).all()
    by_alternative = [c for c in cities if wanted & {fold(n) for n in c.alternative_names}]
    by_name = [c for c in cities if fold(c.name) in wanted]
    return next(iter(by_alternative or by_name), None)


def new_city(session: Session, name: str, code: str, account: int | None,
             population: int | None, notes: p.Notes) -> City:
    """Create a city for a CDP organisation, with a free address name."""
    slug = f"{p.slugify(name)}-{code.lower()}"
    if session.exec(select(City.id).where(City.slug == slug)).first() is not None:
        slug = f"{slug}-{account or 'cdp'}"
    city = create_city(session=session, city_in=CityCreate(
        slug=slug, name=name[:200], country_code=code, population=population,
        population_source="CDP open data" if population else ""), user_id=None)
    notes.created_city = f"{city.name} ({code})"
    return city


def match_city(session: Session, row: dict[str, str], notes: p.Notes,
               population: int | None = None) -> City:
    """Find the row's city by CDP account, alternative name or name, else create it."""
    account = p.whole(row["account"], "Account Number", notes, 1, p.MAX_ACCOUNT)
    if account is not None and (profile := profile_by_account(session, account)):
        linked = session.get(City, profile.city_id)
        assert linked is not None  # the profile's city_id is a foreign key
        return linked
    code = p.country_code(row["country"])
    if code is None:
        raise SkipRow(f"country {p.text(row['country']) or 'blank'!r} is not recognised")
    name, organization = p.text(row["city"]), p.text(row["organization"])
    if len(name or organization) < 2:
        raise SkipRow("no city or organisation name")
    city = find_city(session, [name, organization], code) or new_city(
        session, name or organization, code, account, population, notes)
    if account is not None:
        link_account(session, city, account)
    return city


def link_account(session: Session, city: City, account: int) -> None:
    """Store the CDP account number on the city's climate profile (kept in history)."""
    profile = session.exec(select(ClimateProfile).where(ClimateProfile.city_id == city.id)).first()
    if profile is not None and profile.cdp_account_number not in (None, account):
        raise SkipRow(f"{city.name} is linked to CDP account {profile.cdp_account_number}, "
                      f"not {account}")
    values = profile.model_dump(include=set(ClimateProfileCreate.model_fields)) if profile else {}
    save_profile(session=session, city=city, version=None, user_id=None,
                 profile_in=ClimateProfileCreate(**{**values, "cdp_account_number": account}))
