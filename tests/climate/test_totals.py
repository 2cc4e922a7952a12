"""BASIC and BASIC+ by the GPC rules, generation kept out, per capita (pure functions)."""

from dataclasses import dataclass
from decimal import Decimal

from tracker.climate.sectors import ROWS, ROWS_BY_CODE, Sector
from tracker.climate.totals import (
    compute_totals,
    goal_emissions,
    headline,
    per_capita,
    progress_against,
    target_progress,
)


@dataclass
class Cell:
    row_code: str
    scope: int
    value: Decimal | None


def c(code: str, scope: int, value: str | None) -> Cell:
    """Build a cell."""
    return Cell(code, scope, Decimal(value) if value is not None else None)


WORKED = [
    c("se.residential", 1, "100"), c("se.residential", 2, "200"), c("se.residential", 3, "10"),
    c("tr.on_road", 1, "300"), c("tr.on_road", 2, "5"), c("tr.on_road", 3, "40"),
    c("wa.solid", 1, "50"), c("wa.solid", 3, "7"),
    c("ippu.process", 1, "80"), c("afolu.livestock", 1, "20"),
    c("gen.electricity", 1, "9000"), c("se.commercial", 1, None),
]


def test_basic_counts_energy_and_transport_scopes_1_2_and_waste_1_3() -> None:
    totals = compute_totals(WORKED)
    assert totals.basic == Decimal("662")  # 100+200 + 300+5 + 50+7


def test_basic_plus_adds_ippu_afolu_and_scope_3_of_energy_and_transport() -> None:
    totals = compute_totals(WORKED)
    assert totals.basic_plus == Decimal("662") + 80 + 20 + 10 + 40


def test_generation_of_grid_energy_is_reported_apart_and_in_no_total() -> None:
    totals = compute_totals(WORKED)
    assert totals.generation == Decimal("9000")
    assert totals.by_scope[1] == Decimal("550")  # 100+300+50+80+20, no 9000
    assert totals.total == Decimal("812")
    assert Sector.GENERATION not in totals.by_sector
    assert totals.sector_total(Sector.STATIONARY_ENERGY) == Decimal("310")


def test_notation_keys_and_blanks_add_nothing_and_exact_decimals_are_kept() -> None:
    totals = compute_totals([c("se.residential", 1, "0.1"), c("se.residential", 2, "0.2"),
                             c("se.commercial", 1, None)])
    assert totals.basic == Decimal("0.3")  # not 0.30000000000000004
    assert compute_totals([c("se.commercial", 1, None)]).has_values is False


def test_rules_encoded_as_the_reference_says() -> None:
    assert ROWS_BY_CODE["wa.solid"].basic_scopes == {1, 3}
    assert ROWS_BY_CODE["se.residential"].basic_scopes == {1, 2}
    assert ROWS_BY_CODE["se.residential"].basic_plus_scopes == {1, 2, 3}
    assert ROWS_BY_CODE["ippu.process"].basic_scopes == frozenset()
    assert all(not r.basic_plus_scopes for r in ROWS if r.sector == Sector.GENERATION)
    assert len([r for r in ROWS if r.is_mandatory]) == 15


def test_per_capita_needs_a_real_population() -> None:
    assert per_capita(Decimal("662"), 100) == Decimal("6.6200")
    assert per_capita(Decimal("1000"), 3) == Decimal("333.3333")
    assert per_capita(Decimal("662"), 0) is None
    assert per_capita(Decimal("662"), None) is None


def test_headline_prefers_cells_then_reported_totals_and_never_invents() -> None:
    from_cells = headline(WORKED, reported_basic=Decimal(1), reported_basic_plus=None,
                          population=662)
    assert (from_cells.basic, from_cells.basic_per_capita, from_cells.source) == (
        Decimal("662"), Decimal("1.0000"), "cells")
    reported = headline([], reported_basic=Decimal("500"), reported_basic_plus=None,
                        population=None)
    assert (reported.basic, reported.basic_plus, reported.source) == (Decimal("500"), None,
                                                                     "reported")
    none = headline([], reported_basic=None, reported_basic_plus=None, population=5)
    assert none.source == "none"


@dataclass
class T:
    kind: str
    base_year_emissions: Decimal | None = None
    reduction_percent: Decimal | None = None
    target_year_emissions: Decimal | None = None
    bau_emissions: Decimal | None = None


def test_goal_emissions_and_progress() -> None:
    assert goal_emissions(T("base_year", Decimal(1000), Decimal(40))) == Decimal(600)
    assert goal_emissions(T("baseline_scenario", bau_emissions=Decimal(200),
                            reduction_percent=Decimal(50))) == Decimal(100)
    assert goal_emissions(T("fixed_level", target_year_emissions=Decimal(0))) == Decimal(0)
    assert goal_emissions(T("base_year_intensity", reduction_percent=Decimal(10))) is None
    halfway = target_progress(base=Decimal(1000), latest=Decimal(800), goal=Decimal(600))
    assert halfway == Decimal("50.0")
    assert target_progress(base=None, latest=Decimal(800), goal=Decimal(600)) is None


@dataclass
class Inv:
    year: int
    cells: list[Cell]
    reported_basic: Decimal | None = None
    reported_basic_plus: Decimal | None = None
    population: int | None = None


@dataclass
class Target(T):
    base_year: int | None = None


def test_progress_against_inventories_uses_the_latest_and_invents_nothing() -> None:
    target = Target("base_year", base_year_emissions=None, reduction_percent=Decimal(50),
                    base_year=2015)
    inventories = [Inv(2015, [], reported_basic=Decimal(1000)),
                   Inv(2019, [c("se.residential", 1, "800")]),
                   Inv(2021, [], reported_basic=Decimal(700)), Inv(2022, [])]
    result = progress_against(target, inventories)
    assert (result.base, result.latest_year, result.latest, result.goal, result.percent) == (
        Decimal(1000), 2021, Decimal(700), Decimal(500), Decimal("60.0"))
    lone = progress_against(Target("base_year", reduction_percent=Decimal(50), base_year=2010),
                            inventories)
    assert lone.base is None and lone.percent is None
