"""Turn one CDP CSV row into a validated inventory or target, noting every repair."""

from datetime import date
from decimal import Decimal
from typing import TypedDict

from tracker.climate import cdp_parse as p
from tracker.climate.compliance import is_twelve_months
from tracker.climate.models import (
    Boundary,
    Gwp,
    InventoryCreate,
    InventoryStatus,
    MitigationTargetCreate,
    TargetKind,
)


class SkipRow(Exception):
    """This row cannot be imported; the message says why."""


TARGET_KINDS = {"base year emissions (absolute) target": TargetKind.BASE_YEAR,
                "fixed level target": TargetKind.FIXED_LEVEL,
                "base year intensity target": TargetKind.INTENSITY,
                "baseline scenario (business as usual) target": TargetKind.BASELINE_SCENARIO}
TOTAL_LABELS = {
    "crf1": "Direct emissions (excluding generation)",
    "crf2": "Indirect emissions from grid energy (excluding generation)",
    "crf3": "Emissions outside the boundary (excluding generation)",
    "gpc1": "TOTAL Scope 1", "gpc2": "TOTAL Scope 2", "gpc3": "TOTAL Scope 3",
    "gen1": "Direct emissions of grid-energy generation",
    "gen2": "Indirect emissions of grid-energy generation",
    "gen3": "Outside-boundary emissions of grid-energy generation",
    "basic": "TOTAL BASIC", "basic_plus": "TOTAL BASIC+",
}
TARGET_SECTORS = {"all emissions sources included in city inventory": ["all"],
                  "transport": ["transport"], "waste": ["waste"],
                  "stationary energy": ["stationary_energy"]}


def clipped(value: str, limit: int, column: str, notes: p.Notes) -> str:
    """Cut free text to a column's length, saying so."""
    value = p.text(value)
    if len(value) > limit:
        notes.repairs.append(f"{column}: text cut to {limit} characters")
    return value[:limit]


def _boundary(raw: str) -> Boundary:
    """Map CDP's boundary answer ("Same – covers …") to ours."""
    first = p.text(raw).lower()
    for boundary in (Boundary.SAME, Boundary.SMALLER, Boundary.LARGER):
        if first.startswith(boundary.value):
            return boundary
    return Boundary.OTHER


def _period(row: dict[str, str], notes: p.Notes) -> tuple[date, date]:
    """Read the accounting period; a fiscal year counts as the year it starts in."""
    dates = p.period(row["period"])
    if dates is None:
        raise SkipRow(f"accounting year {row['period'].strip() or 'blank'!r} is not a period "
                      "of two dates")
    start, end = dates
    if (start.month, start.day) != (1, 1):
        notes.repairs.append(f"fiscal accounting period {start} – {end}: inventory year "
                             f"taken as {start.year}, the year it starts")
    if not is_twelve_months(start, end):
        notes.repairs.append(f"accounting period {start} – {end} is not 12 months; kept as "
                             "reported")
    return start, end


def _population(row: dict[str, str], notes: p.Notes) -> tuple[int | None, int | None]:
    """Read population and its year; 0 means unknown, not nobody."""
    people = p.whole(row["population"], "Population", notes, 0, 2_000_000_000)
    if people == 0:
        notes.repairs.append("Population: 0 read as unknown")
        people = None
    year = p.whole(row["population_year"], "Population Year", notes, 1800, 2200)
    return people, year


class ScopeTotals(TypedDict):
    """An inventory's reported totals, as InventoryCreate names them."""

    reported_scope1: Decimal | None
    reported_scope2: Decimal | None
    reported_scope3: Decimal | None
    reported_basic: Decimal | None
    reported_basic_plus: Decimal | None
    reported_generation: Decimal | None


def _scopes(row: dict[str, str], notes: p.Notes) -> tuple[ScopeTotals, str]:
    """Read the scope totals: CRF-format columns when given, else the GPC-format ones."""
    figures = {k: p.number(row[k], label, notes) for k, label in TOTAL_LABELS.items()}
    crf = any(figures[k] is not None for k in ("crf1", "crf2", "crf3"))
    prefix, fmt = ("crf", "CRF-format") if crf else ("gpc", "GPC-format")
    for scope in ("gen2", "gen3"):
        if figures[scope]:
            notes.repairs.append(f"{TOTAL_LABELS[scope]}: {figures[scope]} not stored (only "
                                 "direct emissions of generation are kept)")
    totals: ScopeTotals = {
        "reported_scope1": figures[f"{prefix}1"], "reported_scope2": figures[f"{prefix}2"],
        "reported_scope3": figures[f"{prefix}3"], "reported_basic": figures["basic"],
        "reported_basic_plus": figures["basic_plus"], "reported_generation": figures["gen1"]}
    return totals, fmt


def inventory_from_row(row: dict[str, str], notes: p.Notes) -> InventoryCreate:
    """Build an inventory from an emissions row, or skip it saying why."""
    status = p.text(row["status"])
    if status.lower() != "yes":
        raise SkipRow(f"no inventory reported (status: {status or 'blank'})")
    start, end = _period(row, notes)
    totals, fmt = _scopes(row, notes)
    if all(v is None for v in totals.values()):
        raise SkipRow("every emission total is empty")
    people, people_year = _population(row, notes)
    reported = p.text(row["year_reported"])[:4]
    comment = clipped(row["protocol_comment"], 3900, "Primary Protocol Comment", notes)
    return InventoryCreate(
        year=start.year, period_start=start, period_end=end, boundary=_boundary(row["boundary"]),
        boundary_note=clipped(row["boundary"], 1000, "boundary", notes),
        protocol=clipped(row["protocol"], 200, "Primary Protocol", notes) or "not given",
        gwp=Gwp.OTHER, gwp_note="not given in the CDP open data",
        gases=p.gases(row["gases"], notes), population=people, population_year=people_year,
        status=InventoryStatus.FINAL, comment=f"Scope totals from the {fmt} columns. {comment}",
        source=f"CDP open data {reported} City-wide Emissions, account "
               f"{p.text(row['account'])}"[:300], **totals)


def _reduction(row: dict[str, str], notes: p.Notes) -> Decimal | None:
    """Read the percentage reduction; above 100 is reported and left empty."""
    reduction = p.number(row["reduction"], "Percentage reduction target", notes)
    if reduction is not None and reduction > 100:
        notes.repairs.append(f"Percentage reduction target: {reduction} is above 100; left empty")
        return None
    return reduction


def _sectors(row: dict[str, str], notes: p.Notes) -> list[str]:
    """Map CDP's sector answer to CRF sectors; free text is reported, not guessed."""
    sector = p.text(row["sector"])
    sectors = TARGET_SECTORS.get(sector.lower(), [])
    if sector and not sectors:
        notes.repairs.append(f"Sector {sector[:60]!r} is not a CRF sector; sectors left empty")
    return list(sectors)


def target_from_row(row: dict[str, str], notes: p.Notes) -> MitigationTargetCreate:
    """Build a mitigation target from a 2021 targets row, or skip it saying why."""
    raw_kind = p.text(row["kind"])
    kind = TARGET_KINDS.get(raw_kind.lower())
    if kind is None:
        raise SkipRow(f"target type {raw_kind or 'blank'!r} is not one of the four CRF types")
    target_year = p.whole(row["target_year"], "Target year", notes, 1990, 2100)
    if target_year is None:
        raise SkipRow("no target year")
    reduction, sectors = _reduction(row, notes), _sectors(row, notes)
    text = " ".join(t for t in (p.text(row["description"]), p.text(row["method"])) if t)
    return MitigationTargetCreate(
        kind=kind, target_year=target_year, reduction_percent=reduction, sectors=sectors,
        base_year=p.whole(row["base_year"], "Base year", notes, 1990, 2100),
        year_set=p.whole(row["year_set"], "Year target was set", notes, 1990, 2100),
        base_year_emissions=p.number(row["base_emissions"], "Base year emissions", notes),
        target_year_emissions=p.number(row["target_emissions"], "Target year emissions", notes),
        base_year_intensity=p.number(row["base_intensity"], "Base year intensity", notes),
        intensity_unit=clipped(row["intensity_unit"], 100, "Intensity unit", notes),
        bau_emissions=p.number(row["bau"], "Business-as-usual emissions", notes),
        reported_percent_achieved=p.number(row["achieved"], "Percentage achieved", notes),
        gases=[], boundary=clipped(row["boundary"], 200, "Target boundary", notes),
        description=clipped(text, 4000, "Target description", notes),
        source=f"CDP open data {p.text(row['year_reported'])[:4]} Emissions Reduction "
               f"Targets, account {p.text(row['account'])}"[:300])
