"""Import CDP open data: "City-wide Emissions" (2016–2021 layouts) and 2021 "Emissions
Reduction Targets" CSVs into inventories and targets, reporting every row skipped or repaired
and why.

Rows are handled one at a time inside a savepoint, so a bad row is reported, never fatal,
and figures are only ever copied, never inferred (crf.md §11).
"""

import csv
from dataclasses import dataclass, field
from functools import partial

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from tracker.cities.models import City
from tracker.climate import cdp_parse as p
from tracker.climate.cdp_columns import EMISSION_COLUMNS, TARGET_COLUMNS, resolve
from tracker.climate.cdp_match import match_city
from tracker.climate.cdp_population import (
    MAX_CITY_POPULATION,
    implausible,
    previous_population,
    set_flag,
    spaced,
)
from tracker.climate.cdp_rows import (
    TARGET_KINDS,
    SkipRow,
    holds_figures,
    inventory_from_row,
    target_from_row,
)
from tracker.climate.models import (
    CellIn,
    GhgInventory,
    InventoryCreate,
    MitigationTarget,
    MitigationTargetCreate,
)
from tracker.climate.queries import get_inventory
from tracker.climate.services import (
    create_inventory,
    create_target,
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
    warnings: list[str] = field(default_factory=list)
    holds_data: bool = False  # an emission figure or a target, whatever became of it


@dataclass
class CdpReport:
    """The outcome of one import."""

    kind: str = ""
    rows: list[RowResult] = field(default_factory=list)
    cities_created: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """Return how many rows had this outcome."""
        return sum(1 for r in self.rows if r.outcome == outcome)

    def all_data_skipped(self) -> int:
        """Return how many rows held data when every one of them was skipped, else 0."""
        with_data = [r for r in self.rows if r.holds_data]
        return len(with_data) if all(r.outcome == "skipped" for r in with_data) else 0

    def lines(self) -> list[str]:
        """Return the report in words: every skipped or repaired row, and the counts."""
        out = []
        for r in self.rows:
            if r.outcome == "skipped":
                out.append(f"Row {r.row} ({r.label}): skipped: {r.reason}")
            out += [f"Row {r.row} ({r.label}): repaired: {note}" for note in r.repairs]
            out += [f"Row {r.row} ({r.label}): WARNING: {note}" for note in r.warnings]
        out += [f"Created city {name}" for name in self.cities_created]
        out.append(f"{self.count('created')} created, {self.count('updated')} updated, "
                   f"{self.count('unchanged')} unchanged, {self.count('skipped')} skipped.")
        return out


def detect(header: list[str]) -> str:
    """Tell the emissions file from the targets file by their columns."""
    if "typeoftarget" in header:
        return "targets"
    if "accountingyear" in header or "measurementyear" in header:  # 2016 has no period
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
    targets = report.kind == "targets"
    columns = resolve(header, TARGET_COLUMNS if targets else EMISSION_COLUMNS)
    handle = _import_target if targets else partial(
        _import_inventory, has_status=columns["status"] is not None)
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(rows, start=2):
        row = {name: raw.get(key, "") if key else "" for name, key in columns.items()}
        label = f"account {p.text(row['account']) or '?'}, {p.text(row['organization'])[:60]}"
        result = RowResult(number, label, "skipped", holds_data=(
            p.text(row["kind"]).lower() in TARGET_KINDS if targets else holds_figures(row)))
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
        result.warnings = notes.warnings if result.outcome != "skipped" else []
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


def _import_inventory(session: Session, row: dict[str, str], notes: p.Notes,
                      seen: dict[tuple[str, ...], int], number: int,
                      has_status: bool = True) -> str:
    """Create or refresh one inventory from an emissions row."""
    inventory_in = inventory_from_row(row, notes, has_status)
    key = (p.text(row["account"]) or p.text(row["organization"]), str(inventory_in.year))
    _check_duplicate(seen, key, number, "inventory year")
    people = inventory_in.population
    city = match_city(session, row, notes,  # a new city never takes an absurd figure
                      people if people is None or people <= MAX_CITY_POPULATION else None)
    existing = get_inventory(session, saved_id(city), inventory_in.year)
    if existing is None:
        inventory = create_inventory(session=session, city=city, inventory_in=inventory_in,
                                     user_id=None)
        _check_population(session, city, inventory, notes, confirmed=False)
        return "created"
    if not existing.source.startswith("CDP"):
        raise SkipRow(f"{city.name} already has its own {inventory_in.year} inventory; kept it")
    return _refresh(session, city, existing, inventory_in, notes)


def _refresh(session: Session, city: City, existing: GhgInventory,
             inventory_in: InventoryCreate, notes: p.Notes) -> str:
    """Refresh a CDP inventory from a later copy of its row; a confirmed population stays so."""
    confirmed = (not existing.population_unconfirmed
                 and existing.population == inventory_in.population)
    inventory_in.cells = [CellIn.model_validate(c, from_attributes=True) for c in existing.cells]
    version = existing.version
    update_inventory(session=session, inventory=existing, inventory_in=inventory_in,
                     version=None, user_id=None)
    _check_population(session, city, existing, notes, confirmed=confirmed)
    return "updated" if existing.version != version else "unchanged"


def _check_population(session: Session, city: City, inventory: GhgInventory, notes: p.Notes,
                      confirmed: bool) -> None:
    """Flag a population that cannot be the city's, unless someone confirmed it already."""
    why = "" if confirmed else implausible(
        inventory.population, previous_population(session, city, inventory.year))
    if why:
        notes.warnings.append(
            f"population {spaced(inventory.population or 0)} is {why}: kept unconfirmed, not "
            "used per inhabitant until someone confirms it on the climate page")
    if inventory.population_unconfirmed != bool(why):
        set_flag(session, inventory, bool(why), user_id=None)


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
