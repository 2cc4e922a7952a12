"""Turn one CDP CSV row into a validated inventory or target, noting every repair."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TypedDict

from tracker.climate import cdp_parse as p
from tracker.climate.compliance import add_years, is_twelve_months
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


def _measured(raw: str, notes: p.Notes) -> tuple[date, date]:
    """Read 2016's "Measurement Year": the date the 12 measured months end."""
    end = p.us_date(raw)
    if end is None:
        raise SkipRow(f"measurement year {p.text(raw) or 'blank'!r} is not a date")
    if (end.month, end.day) == (1, 1):  # a year typed as its first day
        notes.repairs.append(f"measurement year {end}: read as the calendar year {end.year}")
        return date(end.year, 1, 1), date(end.year, 12, 31)
    start = add_years(end, -1) + timedelta(days=1)
    if (end.month, end.day) != (12, 31):
        notes.repairs.append(f"measurement year ending {end}: period taken as {start} – {end}, "
                             f"inventory year {start.year}, the year it starts")
    return start, end


def _period(row: dict[str, str], notes: p.Notes) -> tuple[date, date]:
    """Read the accounting period; a fiscal year counts as the year it starts in."""
    if not p.text(row["period"]) and p.text(row["measured"]):
        return _measured(row["measured"], notes)
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


def _single_total(row: dict[str, str], notes: p.Notes, totals: ScopeTotals) -> str:
    """Place 2016/2017's one total: as BASIC (or BASIC+) when 2017's "Scopes Included" says
    so, else only in the comment, since its scopes are unknown; return the comment's words."""
    total = p.number(row["total"], "Total emissions", notes)
    if total is None:
        return ""
    scopes = p.text(row["scopes_included"])
    if "basic+" in scopes.lower() and totals["reported_basic_plus"] is None:
        totals["reported_basic_plus"] = total
        return ""
    if "basic" in scopes.lower() and "basic+" not in scopes.lower() \
            and totals["reported_basic"] is None:
        totals["reported_basic"] = total
        return ""
    words = f"Total emissions reported: {total} tCO2e ({scopes[:60] or 'scopes not given'}). "
    notes.repairs.append(f"Total emissions: {total} kept in the comment only (scopes: "
                         f"{scopes or 'not given'}), not as a BASIC total")
    return words


def _check_status(row: dict[str, str], notes: p.Notes, has_status: bool, figures: bool) -> None:
    """Skip a row that reports no inventory; without a status, the totals decide."""
    status = p.text(row["status"])
    if status.lower() == "yes":
        return
    if status:
        raise SkipRow(f"no inventory reported (status: {status})")
    if not figures:
        raise SkipRow("no inventory reported (status: blank)" if has_status else
                      "no emission total (this layout has no inventory-status column)")
    if has_status:
        notes.repairs.append("inventory status blank: read as an inventory, the row holds "
                             "totals")


def holds_figures(row: dict[str, str]) -> bool:
    """Does the row hold any emission figure (whatever its status says)?"""
    return any(p.number(row[k], k, p.Notes()) is not None for k in (*TOTAL_LABELS, "total"))


def inventory_from_row(row: dict[str, str], notes: p.Notes,
                       has_status: bool = True) -> InventoryCreate:
    """Build an inventory from an emissions row, or skip it saying why."""
    totals, fmt = _scopes(row, notes)
    in_words = _single_total(row, notes, totals)
    figures = in_words != "" or any(v is not None for v in totals.values())
    _check_status(row, notes, has_status, figures)
    start, end = _period(row, notes)
    if not figures:
        raise SkipRow("every emission total is empty")
    people, people_year = _population(row, notes)
    reported = p.text(row["year_reported"])[:4]
    comment = clipped(row["protocol_comment"], 3800 if in_words else 3900,
                      "Primary Protocol Comment", notes)
    return InventoryCreate(
        year=start.year, period_start=start, period_end=end, boundary=_boundary(row["boundary"]),
        boundary_note=clipped(row["boundary"], 1000, "boundary", notes),
        protocol=clipped(row["protocol"], 200, "Primary Protocol", notes) or "not given",
        gwp=Gwp.OTHER, gwp_note="not given in the CDP open data",
        gases=p.gases(row["gases"], notes), population=people, population_year=people_year,
        status=InventoryStatus.FINAL,
        comment=f"Scope totals from the {fmt} columns. {in_words}{comment}",
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
