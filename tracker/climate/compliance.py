"""CRF compliance: which phases a city has met, its deadlines and the failing "shall" checks.

Pure over a loaded `CityClimate` (see `queries.load_city_climate`), so reports and tests
assess without touching the database. Phases and deadlines: crf.md §2–§3 and §10.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from flask_babel import gettext as _

from tracker.climate.adaptation_models import Hazard
from tracker.climate.models import (
    ActionKind,
    GhgInventory,
    InventoryCell,
    MitigationTarget,
    TargetKind,
)
from tracker.climate.queries import CityClimate
from tracker.climate.sectors import (
    MANDATORY_SECTORS,
    REQUIRED_GASES,
    SECTOR_NAMES,
    cell_label,
    rows_of,
)
from tracker.climate.vocab import Change, Level

INVENTORY_MAX_AGE = 3  # inventory year at most 3 years before the reporting year
YEARS_TO_INVENTORY = 2  # inventory and hazard assessment within two years of commitment
YEARS_TO_PLAN = 3  # targets, goals and plans within three years


class Phase(StrEnum):
    """The CRF phases of the mitigation and adaptation pillars."""

    INVENTORY = "mitigation_inventory"
    TARGET = "mitigation_target"
    MITIGATION_PLAN = "mitigation_plan"
    ASSESSMENT = "adaptation_assessment"
    GOAL = "adaptation_goal"
    ADAPTATION_PLAN = "adaptation_plan"


PHASE_YEARS = {Phase.INVENTORY: YEARS_TO_INVENTORY, Phase.ASSESSMENT: YEARS_TO_INVENTORY,
               Phase.TARGET: YEARS_TO_PLAN, Phase.MITIGATION_PLAN: YEARS_TO_PLAN,
               Phase.GOAL: YEARS_TO_PLAN, Phase.ADAPTATION_PLAN: YEARS_TO_PLAN}


class Status(StrEnum):
    """How far a phase has got."""

    MET = "met"
    PARTIAL = "partially_met"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class Failure:
    """A "shall" check that fails, with what to do about it."""

    phase: Phase | None
    code: str
    message: str


@dataclass
class PhaseResult:
    """One phase: its status, its deadline and whether it is overdue."""

    phase: Phase
    status: Status
    deadline: date | None = None
    overdue: bool = False


@dataclass
class Compliance:
    """A city's CRF compliance on one day."""

    committed_on: date | None
    phases: dict[Phase, PhaseResult] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        """Are all required phases met?"""
        return all(p.status == Status.MET for p in self.phases.values())


def add_years(day: date, years: int) -> date:
    """Return the same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def inventory_failures(inventory: GhgInventory, as_of: date) -> list[str]:
    """Return the failing "shall" checks of one inventory, each naming what to fix."""
    found: list[str] = []
    cells = {(c.row_code, c.scope): c for c in inventory.cells}
    if not cells:
        found.append(_("Only totals are recorded: the CRF sector table is not filled in."))
    else:
        found += _blank_mandatory_cells(cells)
    found += [_("%(cell)s: notation key %(key)s has no explanation.",
                cell=cell_label(c.row_code, c.scope), key=str(c.notation_key))
              for c in inventory.cells if c.notation_key and not c.explanation.strip()]
    missing = [g for g in REQUIRED_GASES if g not in inventory.gases]
    if missing:
        found.append(_("The inventory leaves out %(gases)s (CO2, CH4 and N2O are required).",
                       gases=", ".join(missing)))
    if not is_twelve_months(inventory.period_start, inventory.period_end):
        found.append(_("The accounting period %(start)s–%(end)s is not one continuous 12 "
                       "months.", start=inventory.period_start, end=inventory.period_end))
    if as_of.year - inventory.year > INVENTORY_MAX_AGE:
        found.append(_("The latest inventory (%(year)s) is more than %(age)s years old.",
                       year=inventory.year, age=INVENTORY_MAX_AGE))
    return found


def _blank_mandatory_cells(cells: dict[tuple[str, int], InventoryCell]) -> list[str]:
    """Name every BASIC cell of a mandatory sector with neither a number nor a key."""
    found = []
    for sector in MANDATORY_SECTORS:
        for row in rows_of(sector):
            for scope in sorted(row.basic_scopes):
                cell = cells.get((row.code, scope))
                if cell is None or (cell.value is None and cell.notation_key is None):
                    found.append(_("%(sector)s: %(cell)s is blank; give a number or a "
                                   "notation key.", sector=SECTOR_NAMES[sector],
                                   cell=cell_label(row.code, scope)))
    return found


def is_twelve_months(start: date, end: date) -> bool:
    """Is start–end one continuous 12 months (calendar or fiscal)?"""
    return add_years(start, 1) - timedelta(days=1) == end


def target_gaps(target: MitigationTarget) -> list[str]:
    """Return what a target lacks of the CRF's required fields."""
    gaps = []
    if target.kind in (TargetKind.BASE_YEAR, TargetKind.INTENSITY) and target.base_year is None:
        gaps.append(_("base year"))
    figure = {TargetKind.BASE_YEAR: target.base_year_emissions,
              TargetKind.INTENSITY: target.base_year_intensity,
              TargetKind.BASELINE_SCENARIO: target.bau_emissions,
              TargetKind.FIXED_LEVEL: target.target_year_emissions}[target.kind]
    if figure is None:
        gaps.append(_("base-year or reference emissions"))
    if target.reduction_percent is None and target.kind != TargetKind.FIXED_LEVEL:
        gaps.append(_("reduction"))
    if not target.gases:
        gaps.append(_("gases covered"))
    if not target.sectors:
        gaps.append(_("sectors covered"))
    return gaps


def _phase_from(failures: list[str], started: bool) -> Status:
    """A phase is met without failures, partly met with some, not started without data."""
    if not started:
        return Status.NOT_STARTED
    return Status.PARTIAL if failures else Status.MET


def _mitigation(data: CityClimate, as_of: date) -> dict[Phase, list[str] | None]:
    """Return each mitigation phase's failures, or None when it has not started."""
    inventory = data.latest_inventory
    result: dict[Phase, list[str] | None] = {
        Phase.INVENTORY: inventory_failures(inventory, as_of) if inventory else None}
    if data.targets:
        gaps = {t.id: target_gaps(t) for t in data.targets}
        best = min(data.targets, key=lambda t: len(gaps[t.id]))
        result[Phase.TARGET] = ([] if not gaps[best.id] else
                                [_("No target is complete; the most complete lacks: "
                                   "%(gaps)s.", gaps=", ".join(gaps[best.id]))])
    else:
        result[Phase.TARGET] = None
    result[Phase.MITIGATION_PLAN] = _plan_failures(data, ActionKind.MITIGATION)
    return result


def _plan_failures(data: CityClimate, kind: ActionKind) -> list[str] | None:
    """A plan phase needs an action of the pillar in a formally adopted, dated plan."""
    actions = [a for a in data.actions if a.kind == kind]
    if not actions:
        return None
    if any(e.plan.adopted_on is not None and e.plan.status == "adopted"
           for a in actions for e in a.elements):
        return []
    return [_("No %(kind)s action is linked to an element of a formally adopted plan with "
              "its adoption date.", kind=kind.value)]


def _hazard_complete(hazard: Hazard) -> bool:
    """Does a hazard give the current risk, the future change and its timescale?"""
    current = (hazard.current_probability != Level.UNKNOWN
               and hazard.current_consequence != Level.UNKNOWN)
    future = (hazard.future_intensity != Change.UNKNOWN
              or hazard.future_frequency != Change.UNKNOWN)
    return current and future and hazard.timeframe is not None


def _adaptation(data: CityClimate) -> dict[Phase, list[str] | None]:
    """Return each adaptation phase's failures, or None when it has not started."""
    result: dict[Phase, list[str] | None] = {Phase.ASSESSMENT: None, Phase.GOAL: None}
    if data.hazards:
        result[Phase.ASSESSMENT] = ([] if any(_hazard_complete(h) for h in data.hazards) else
                                    [_("No hazard gives its current risk, its expected "
                                       "future change and the timescale.")])
    if data.goals:
        result[Phase.GOAL] = ([] if any(g.target_year for g in data.goals) else
                              [_("No adaptation goal has a target year.")])
    result[Phase.ADAPTATION_PLAN] = _plan_failures(data, ActionKind.ADAPTATION)
    return result


def assess(data: CityClimate, as_of: date) -> Compliance:
    """Assess a city's CRF compliance on a day: phases, deadlines and failing checks."""
    committed = data.profile.commitment_date if data.profile else None
    result = Compliance(committed_on=committed)
    if committed is None:
        result.failures.append(Failure(None, "commitment", _(
            "No commitment date is recorded, so no deadline can be counted.")))
    for phase, failures in {**_mitigation(data, as_of), **_adaptation(data)}.items():
        status = _phase_from(failures or [], failures is not None)
        deadline = add_years(committed, PHASE_YEARS[phase]) if committed else None
        overdue = deadline is not None and status != Status.MET and as_of > deadline
        result.phases[phase] = PhaseResult(phase, status, deadline, overdue)
        result.failures += [Failure(phase, phase.value, m) for m in failures or []]
        if status == Status.NOT_STARTED:
            result.failures.append(Failure(phase, phase.value, _("Not started.")))
        if overdue:
            result.failures.append(Failure(phase, "deadline",
                                           _("Due by %(day)s; not met.", day=deadline)))
    return result
