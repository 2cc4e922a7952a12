"""Import CDP open data: "City-wide Emissions" (2019–2021) and 2021 "Emissions Reduction
Targets" CSVs into inventories and targets, reporting every row skipped or repaired and why.

Rows are handled one at a time inside a savepoint, so a bad row is reported, never fatal,
and figures are only ever copied, never inferred (crf.md §11).
"""

import csv
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from tracker.cities.models import City, CityCreate
from tracker.cities.services import create_city
from tracker.climate import cdp_parse as p
from tracker.climate.cdp_columns import EMISSION_COLUMNS, TARGET_COLUMNS, resolve
from tracker.climate.cdp_rows import SkipRow, inventory_from_row, target_from_row
from tracker.climate.models import (
    CellIn,
    ClimateProfile,
    ClimateProfileCreate,
    MitigationTarget,
    MitigationTargetCreate,
)
from tracker.climate.queries import get_inventory, profile_by_account
from tracker.climate.services import (
    create_inventory,
    create_target,
    save_profile,
    update_inventory,
    update_target,
)
from tracker.db import saved_id
from tracker.errors import DomainError
from tracker.validation import describe

ATTRIBUTION = ("This data was collected in partnership by CDP and ICLEI - Local Governments "
               "for Sustainability")


@dataclass
class RowResult:
    """What happened to one data row (row 2 is the first under the header)."""

    row: int
    label: str
    outcome: str  # created, updated, unchanged or skipped
    reason: str = ""
    repairs: list[str] = field(default_factory=list)


@dataclass
class CdpReport:
    """The outcome of one import."""

    kind: str = ""
    rows: list[RowResult] = field(default_factory=list)
    cities_created: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """Return how many rows had this outcome."""
        return sum(1 for r in self.rows if r.outcome == outcome)

    def lines(self) -> list[str]:
        """Return the report in words: every skipped or repaired row, and the counts."""
        out = []
        for r in self.rows:
            if r.outcome == "skipped":
                out.append(f"Row {r.row} ({r.label}): skipped: {r.reason}")
            out += [f"Row {r.row} ({r.label}): repaired: {note}" for note in r.repairs]
        out += [f"Created city {name}" for name in self.cities_created]
        out.append(f"{self.count('created')} created, {self.count('updated')} updated, "
                   f"{self.count('unchanged')} unchanged, {self.count('skipped')} skipped.")
        return out


def detect(header: list[str]) -> str:
    """Tell the emissions file from the targets file by their columns."""
    if "typeoftarget" in header:
        return "targets"
    if "accountingyear" in header:
        return "emissions"
    raise DomainError("This is not a CDP City-wide Emissions or Emissions Reduction "
                      "Targets CSV: its columns are not recognised.")


def import_cdp(session: Session, data: bytes) -> CdpReport:
    """Import one CDP CSV; the caller commits or rolls back."""
    try:
        header, rows = p.read_rows(data)
    except csv.Error as error:
        raise DomainError(f"The CSV cannot be read: {error}") from error
    report = CdpReport(kind=detect(header))
    columns = resolve(header, TARGET_COLUMNS if report.kind == "targets" else EMISSION_COLUMNS)
    handle = _import_target if report.kind == "targets" else _import_inventory
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(rows, start=2):
        row = {name: raw.get(key, "") if key else "" for name, key in columns.items()}
        label = f"account {p.text(row['account']) or '?'}, {p.text(row['organization'])[:60]}"
        result = RowResult(number, label, "skipped")
        notes = p.Notes()
        try:
            with session.begin_nested():
                result.outcome = handle(session, row, notes, seen, number)
        except SkipRow as why:
            result.reason = str(why)
        except ValidationError as error:
            result.reason = describe(error)
        except (DomainError, ValueError, ArithmeticError) as error:
            result.reason = str(error)
        except SQLAlchemyError as error:  # last resort: the savepoint is rolled back
            result.reason = f"could not be saved ({type(error).__name__})"
        result.repairs = notes.repairs
        if notes.created_city and result.outcome != "skipped":
            report.cities_created.append(notes.created_city)
        report.rows.append(result)
    return report


def _check_duplicate(seen: dict[tuple[str, ...], int], key: tuple[str, ...], number: int,
                     what: str) -> None:
    """Skip a row that repeats an earlier row of the same file."""
    if key in seen:
        raise SkipRow(f"duplicate of row {seen[key]} (same account and {what})")
    seen[key] = number


def _find_city(session: Session, name: str, organization: str, code: str) -> City | None:
    """Find a city by its name (or the organisation's) within its country."""
    names = {n.lower() for n in (name, organization) if n}
    return session.exec(select(City).where(func.lower(City.name).in_(names),
                                           City.country_code == code)).first()


def _new_city(session: Session, name: str, code: str, account: int | None,
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
    """Find the row's city by CDP account, else by name and country, else create it."""
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
    city = _find_city(session, name, organization, code) or _new_city(
        session, name or organization, code, account, population, notes)
    if account is not None:
        _link_account(session, city, account)
    return city


def _link_account(session: Session, city: City, account: int) -> None:
    """Store the CDP account number on the city's climate profile."""
    profile = session.exec(select(ClimateProfile).where(ClimateProfile.city_id == city.id)).first()
    if profile is not None and profile.cdp_account_number not in (None, account):
        raise SkipRow(f"{city.name} is linked to CDP account {profile.cdp_account_number}, "
                      f"not {account}")
    values = profile.model_dump(include=set(ClimateProfileCreate.model_fields)) if profile else {}
    save_profile(session=session, city=city, version=None, user_id=None,
                 profile_in=ClimateProfileCreate(**{**values, "cdp_account_number": account}))


def _import_inventory(session: Session, row: dict[str, str], notes: p.Notes,
                      seen: dict[tuple[str, ...], int], number: int) -> str:
    """Create or refresh one inventory from an emissions row."""
    inventory_in = inventory_from_row(row, notes)
    key = (p.text(row["account"]) or p.text(row["organization"]), str(inventory_in.year))
    _check_duplicate(seen, key, number, "inventory year")
    city = match_city(session, row, notes, inventory_in.population)
    existing = get_inventory(session, saved_id(city), inventory_in.year)
    if existing is None:
        create_inventory(session=session, city=city, inventory_in=inventory_in, user_id=None)
        return "created"
    if not existing.source.startswith("CDP"):
        raise SkipRow(f"{city.name} already has its own {inventory_in.year} inventory; kept it")
    inventory_in.cells = [CellIn.model_validate(c, from_attributes=True) for c in existing.cells]
    version = existing.version
    update_inventory(session=session, inventory=existing, inventory_in=inventory_in,
                     version=None, user_id=None)
    return "updated" if existing.version != version else "unchanged"


def _import_target(session: Session, row: dict[str, str], notes: p.Notes,
                   seen: dict[tuple[str, ...], int], number: int) -> str:
    """Create or refresh one mitigation target from a targets row."""
    target_in = target_from_row(row, notes)
    key = (p.text(row["account"]) or p.text(row["organization"]), target_in.kind.value,
           str(target_in.base_year), str(target_in.target_year), ",".join(target_in.sectors))
    _check_duplicate(seen, key, number, "target")
    city = match_city(session, row, notes)
    existing = _same_target(session, saved_id(city), target_in)
    if existing is None:
        create_target(session=session, city=city, target_in=target_in, user_id=None)
        return "created"
    version = existing.version
    update_target(session=session, target=existing, target_in=target_in, version=None,
                  user_id=None)
    return "updated" if existing.version != version else "unchanged"


def _same_target(session: Session, city_id: int,
                 target_in: MitigationTargetCreate) -> MitigationTarget | None:
    """Return the CDP-imported target this row refreshes, if any."""
    candidates = session.exec(select(MitigationTarget).where(
        MitigationTarget.city_id == city_id, MitigationTarget.kind == target_in.kind,
        MitigationTarget.target_year == target_in.target_year,
        MitigationTarget.base_year == target_in.base_year)).all()  # noqa: E711
    return next((t for t in candidates if t.source.startswith("CDP")
                 and t.sectors == target_in.sectors), None)
