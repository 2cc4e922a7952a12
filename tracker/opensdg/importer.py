"""Import an Open SDG data repository into a city: one local indicator per Open SDG indicator.

First every indicator is read and compared with what is stored (a dry run stops there);
then, if nothing stands in the way, every indicator and its new and changed cells are
written inside one savepoint: all or nothing. Rows not taken are listed (warnings) with
file, row, column and why; only a repository that cannot be read at all is an error.
Values are drafts unless a secretariat of the city's network or an admin approves the
import, which history records as a trusted import approval.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker.auth.models import Role, User
from tracker.bulk.report import Action, ImportReport, RowError, RowOutcome
from tracker.cities.models import City, NetworkMembership
from tracker.data.models import ObservationStatus
from tracker.data.observation_store import load_indicators, lock_city, stale_import_message
from tracker.db import saved_id
from tracker.errors import StaleEditError
from tracker.indicators.models import LocalIndicator
from tracker.locking import is_unique_violation
from tracker.memory import gc_paused
from tracker.opensdg import definition as definitions
from tracker.opensdg.reader import Problem, Repository, open_repository, read_metadata
from tracker.opensdg.rows import DataFile, read_data_file
from tracker.opensdg.source import RepositoryError, open_source
from tracker.opensdg.store import Cell, compare, load_cells, write_cells
from tracker.timeutil import utcnow

Progress = Callable[[int, str], None]


@dataclass
class IndicatorCount:
    """One indicator's rows in (taken) and out (not taken), and what saving does."""

    code: str
    opensdg_id: str
    file: str
    action: Action
    rows: int = 0
    taken: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def not_taken(self) -> int:
        """Count the rows not taken."""
        return self.rows - self.taken


@dataclass
class OpenSdgReport(ImportReport):
    """An import report with counts per indicator; its warnings are the rows not taken."""

    indicators: list[IndicatorCount] = field(default_factory=list)
    state_hash: str = ""


@dataclass
class Plan:
    """An indicator as read: its definition, the stored indicator and the file's cells."""

    definition: definitions.Definition
    indicator: LocalIndicator | None
    data: DataFile
    sdg_id: int | None


def import_repository(session: Session, city: City, path: Path | bytes, user: User | None,
                      *, dry_run: bool = False, approve: bool = False,
                      progress: Progress | None = None,
                      expected_state: str | None = None) -> OpenSdgReport:
    """Read an Open SDG repository (a folder or a zip) into the city; with dry_run, only
    say what would change. With `expected_state` (a dry run's state_hash) refuse to save
    if a value the repository touches was saved since that dry run."""
    if approve and not may_approve(session, user, city):
        return OpenSdgReport(errors=[RowError(0, "", _(
            "Only a secretariat of the city's network or an administrator may approve an "
            "import."))])
    try:
        source = open_source(path)
    except RepositoryError as error:
        return OpenSdgReport(errors=[RowError(0, "", str(error))])
    try:
        with gc_paused():
            return run(session, city, open_repository(source), user, dry_run, approve,
                       progress or (lambda _percent, _step: None), expected_state)
    finally:
        source.close()


def may_approve(session: Session, user: User | None, city: City) -> bool:
    """May this user approve an import into the city (admin, or its network's secretariat)?"""
    if user is None or user.role not in (Role.ADMIN, Role.SECRETARIAT):
        return False
    if user.role == Role.ADMIN:
        return True
    return session.exec(select(NetworkMembership.id).where(
        NetworkMembership.network_id == user.network_id,
        NetworkMembership.city_id == city.id)).first() is not None


def natural(opensdg_id: str) -> list[tuple[int, str]]:
    """Sort ids as numbers where they are numbers: 1-2-1 before 1-10-1."""
    return [(int(p), "") if p.isdigit() else (10**6, p) for p in re.split(r"-", opensdg_id)]


def run(session: Session, city: City, repository: Repository, user: User | None,
        dry_run: bool, approve: bool, progress: Progress, expected_state: str | None
        ) -> OpenSdgReport:
    """Read and compare every indicator; save them all unless a dry run or refused."""
    report = OpenSdgReport(warnings=[problem_error(p) for p in repository.problems])
    if not repository.data_files:
        report.errors.append(RowError(0, "", _(
            "No data files: an Open SDG repository keeps them as data/indicator_<id>.csv.")))
        return report
    plans = read_all(session, city, repository, approve, progress, report)
    report.state_hash = state_hash(plans)
    if repository.meta_only:
        report.warnings.append(problem_error(Problem("meta", 0, "", _(
            "%(num)d indicators have metadata but no data file; no indicator is made for "
            "them: %(ids)s.", num=len(repository.meta_only),
            ids=", ".join(repository.meta_only)))))
    if dry_run:
        return report
    if expected_state is not None and expected_state != report.state_hash:
        report.errors.append(RowError(0, "", _(
            "Values this repository changes were saved by someone else after it was "
            "checked; nothing was saved. Check the repository again to see them.")))
        return report
    progress(90, "save")
    save_all(session, city, plans, user.id if user else None, approve)
    report.saved = True
    return report


def read_all(session: Session, city: City, repository: Repository, approve: bool,
             progress: Progress, report: OpenSdgReport) -> list[Plan]:
    """Read every indicator of the repository and compare it with what is stored."""
    stored = {i.code.lower(): i for i in load_indicators(session, city)}
    catalogue = definitions.sdg_catalogue(session)
    titles = {code: title for code, (_id, title) in catalogue.items()}
    ids = sorted(repository.data_files, key=natural)
    plans = []
    for number, opensdg_id in enumerate(ids, start=1):
        data = read_data_file(repository.source, repository.data_files[opensdg_id],
                              repository.attributes)
        found = definitions.define(opensdg_id, read_metadata(repository, opensdg_id), data,
                                   titles)
        plan = Plan(found, stored.get(found.code.lower()), data,
                    catalogue.get(found.code, (None, ""))[0])
        compare_cells(session, plan, approve)
        count(plan, report)
        plans.append(plan)
        progress(5 + 80 * number // len(ids), "check")
    return plans


def compare_cells(session: Session, plan: Plan, approve: bool) -> None:
    """Find each cell's stored version and what saving changes; a changed approved value
    is not taken unless the import approves."""
    stored = load_cells(session, plan.indicator.id) if plan.indicator and \
        plan.indicator.id else {}
    kept = []
    for cell in plan.data.cells:
        cell.stored = stored.get(cell.cell)
        compare(cell, approve)
        if cell.changes and not approve and cell.stored is not None and \
                cell.stored.status == ObservationStatus.APPROVED:
            plan.data.refuse(cell.row, "", _(
                "This value is approved and locked; a secretariat must unlock it first "
                "(or import with approval)."))
            continue
        kept.append(cell)
    plan.data.cells = kept


def action_of(cell: Cell) -> Action:
    """Say what saving does with a taken row."""
    if cell.stored is None:
        return Action.CREATE
    return Action.UPDATE if cell.changes else Action.UNCHANGED


def count(plan: Plan, report: OpenSdgReport) -> None:
    """Add an indicator's outcomes, rows not taken and counts to the report."""
    code, data = plan.definition.code, plan.data
    tally = IndicatorCount(code, plan.definition.fields["opensdg_id"], data.name,
                           indicator_action(plan), data.rows, len(data.cells))
    for cell in data.cells:
        action = action_of(cell)
        label = " · ".join([cell.label, *cell.breakdown.values()])
        report.outcomes.append(RowOutcome(cell.row, code, label, action, cell.changes))
        name = action_name(action)
        setattr(tally, name, getattr(tally, name) + 1)
    report.indicators.append(tally)
    report.warnings += [problem_error(p) for p in data.problems]


def action_name(action: Action) -> str:
    """Return the count an action adds to."""
    return {Action.CREATE: "created", Action.UPDATE: "updated",
            Action.UNCHANGED: "unchanged"}[action]


def indicator_action(plan: Plan) -> Action:
    """Say whether saving creates, changes or leaves the indicator's definition."""
    if plan.indicator is None:
        return Action.CREATE
    dimensions = definitions.merged_dimensions(plan.indicator, plan.definition.dimensions)
    return Action.UPDATE if definitions.is_changed(plan.indicator, plan.definition,
                                                   dimensions) else Action.UNCHANGED


def problem_error(problem: Problem) -> RowError:
    """Return a problem as a report row: the column names the file too."""
    where = f"{problem.file}:{problem.column}" if problem.column else problem.file
    return RowError(problem.row, where, problem.message)


def state_hash(plans: list[Plan]) -> str:
    """Fingerprint the stored version (or absence) of every cell the repository touches."""
    digest = hashlib.sha256()
    for plan in plans:
        digest.update(f"{plan.definition.code}:{plan.indicator.version if plan.indicator else 0}"
                      .encode())
        for cell in plan.data.cells:
            digest.update(f"{cell.cell}:{cell.stored.version if cell.stored else 0}\n"
                          .encode())
    return digest.hexdigest()


def save_all(session: Session, city: City, plans: list[Plan], user_id: int | None,
             approve: bool) -> None:
    """Write every indicator and its new and changed cells in one savepoint."""
    now = utcnow()
    savepoint = session.begin_nested()
    try:
        lock_city(session, saved_id(city))
        for plan in plans:
            indicator = definitions.save_indicator(session, city, plan.indicator,
                                                   plan.definition, user_id)
            definitions.align(session, indicator, plan.sdg_id, user_id)
            assert indicator.id is not None
            write_cells(session, indicator.id, plan.data.cells, user_id, approve, now)
        session.flush()
    except BaseException as error:
        savepoint.rollback()
        if isinstance(error, Exception) and not isinstance(error, StaleEditError) and \
                is_unique_violation(error):  # an indicator someone else made meanwhile
            raise StaleEditError(stale_import_message(None)) from error
        raise
    savepoint.commit()
