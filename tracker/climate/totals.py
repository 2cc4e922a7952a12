"""BASIC and BASIC+ totals, sector sub-totals and per-capita figures of a CRF table.

Pure functions over cells (row code, scope, value or None): no database, so the same rules
serve the services, reports and any recomputation of a form.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from tracker.climate.sectors import ROWS_BY_CODE, SCOPES, Sector

PER_CAPITA_PLACES = Decimal("0.0001")


class CellLike(Protocol):
    """Anything with a row code, a scope and an optional number (cells, CellIn, rows)."""

    row_code: str
    scope: int
    value: Decimal | None


@dataclass
class InventoryTotals:
    """The figures of one CRF table; notation keys and blanks count as nothing."""

    by_sector: dict[Sector, dict[int, Decimal]] = field(default_factory=dict)
    by_scope: dict[int, Decimal] = field(default_factory=lambda: dict.fromkeys(SCOPES,
                                                                               Decimal(0)))
    basic: Decimal = Decimal(0)
    basic_plus: Decimal = Decimal(0)
    generation: Decimal = Decimal(0)  # grid-supplied energy generation, never in a total
    has_values: bool = False

    def sector_total(self, sector: Sector) -> Decimal:
        """Return one sector's sub-total over all its scopes."""
        return sum(self.by_sector.get(sector, {}).values(), Decimal(0))

    @property
    def total(self) -> Decimal:
        """Total emissions, all scopes, excluding generation of grid-supplied energy."""
        return sum(self.by_scope.values(), Decimal(0))


def compute_totals(cells: Iterable[CellLike]) -> InventoryTotals:
    """Add up a CRF table by the GPC rules; generation stays out of every total."""
    totals = InventoryTotals()
    for cell in cells:
        row = ROWS_BY_CODE.get(cell.row_code)
        if row is None or cell.value is None:
            continue
        value = Decimal(cell.value)
        totals.has_values = True
        if row.sector == Sector.GENERATION:
            totals.generation += value
            continue
        sector = totals.by_sector.setdefault(row.sector, {})
        sector[cell.scope] = sector.get(cell.scope, Decimal(0)) + value
        totals.by_scope[cell.scope] += value
        if cell.scope in row.basic_scopes:
            totals.basic += value
        if cell.scope in row.basic_plus_scopes:
            totals.basic_plus += value
    return totals


def per_capita(total: Decimal | None, population: int | None) -> Decimal | None:
    """Return tCO2e per inhabitant to four places, or None without a usable population."""
    if total is None or not population or population <= 0:
        return None
    return (Decimal(total) / Decimal(population)).quantize(PER_CAPITA_PLACES)


@dataclass(frozen=True)
class Headline:
    """The figures a summary shows for an inventory, and where they came from."""

    basic: Decimal | None
    basic_plus: Decimal | None
    basic_per_capita: Decimal | None
    basic_plus_per_capita: Decimal | None
    source: str  # "cells" (computed from the CRF table), "reported" or "none"


def headline(cells: Iterable[CellLike], *, reported_basic: Decimal | None,
             reported_basic_plus: Decimal | None, population: int | None) -> Headline:
    """Prefer totals computed from the table; fall back on reported ones, never invent."""
    totals = compute_totals(cells)
    basic: Decimal | None
    plus: Decimal | None
    if totals.has_values:
        basic, plus, source = totals.basic, totals.basic_plus, "cells"
    elif reported_basic is not None or reported_basic_plus is not None:
        basic, plus, source = reported_basic, reported_basic_plus, "reported"
    else:
        basic, plus, source = None, None, "none"
    return Headline(basic, plus, per_capita(basic, population), per_capita(plus, population),
                    source)


def target_progress(*, base: Decimal | None, latest: Decimal | None,
                    goal: Decimal | None) -> Decimal | None:
    """Share of a target achieved, in percent: (latest − base)/(goal − base) (crf.md §10.5)."""
    if base is None or latest is None or goal is None or goal == base:
        return None
    return ((Decimal(latest) - base) / (Decimal(goal) - base) * 100).quantize(Decimal("0.1"))


def goal_emissions(target: object, base: Decimal | None = None) -> Decimal | None:
    """Return the emissions a target aims at in its target year, where the target says so
    (`base` stands in for missing base-year emissions, e.g. from the base-year inventory)."""
    kind = str(getattr(target, "kind", ""))
    reduction = getattr(target, "reduction_percent", None)
    explicit = getattr(target, "target_year_emissions", None)
    if explicit is not None:
        return Decimal(explicit)
    own_base = getattr(target, "base_year_emissions", None)
    reference = {"base_year": own_base if own_base is not None else base,
                 "baseline_scenario": getattr(target, "bau_emissions", None)}.get(kind)
    if reference is None or reduction is None:
        return None  # fixed-level and intensity targets need their own figure: none invented
    return Decimal(reference) * (100 - Decimal(reduction)) / 100


@dataclass(frozen=True)
class TargetProgress:
    """How far a target has come, measured on the latest inventory's BASIC total."""

    base: Decimal | None
    latest_year: int | None
    latest: Decimal | None
    goal: Decimal | None
    percent: Decimal | None  # None when a figure is missing: never estimated


def progress_against(target: Any, inventories: Iterable[Any]) -> TargetProgress:
    """Measure a target against inventories (newest counts); base from the target, else from
    the inventory of its base year."""
    figures = {inv.year: headline(inv.cells, reported_basic=inv.reported_basic,
                                  reported_basic_plus=inv.reported_basic_plus,
                                  population=inv.population).basic for inv in inventories}
    known = {year: value for year, value in figures.items() if value is not None}
    base = getattr(target, "base_year_emissions", None)
    if base is None and target.base_year in known:
        base = known[target.base_year]
    latest_year = max((y for y in known if y != target.base_year), default=None)
    latest = known.get(latest_year) if latest_year is not None else None
    goal = goal_emissions(target, base)
    return TargetProgress(base, latest_year, latest, goal,
                          target_progress(base=base, latest=latest, goal=goal))
