"""Enter, delete and review observations (flush, never commit). Every change is kept in
history, a stale save is refused (optimistic locking), and approved values are locked."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from tracker.data.checks import assess, find_window, window_error
from tracker.data.models import (
    WHOLE_YEAR,
    EvidenceFile,
    MissingReason,
    Observation,
    ObservationChange,
    ObservationStatus,
    breakdown_key,
    shown_value,
)
from tracker.data.period_labels import PeriodRef
from tracker.data.period_names import calendar_conflict, entered_ref
from tracker.data.quality import WARNING, Finding, has_errors
from tracker.db import saved_id
from tracker.errors import DomainError, StaleEditError
from tracker.indicators.models import Frequency, LocalIndicator
from tracker.locking import guarded
from tracker.timeutil import utcnow


class ObservationError(DomainError):
    """A value was refused; the message says why."""


class QualityError(ObservationError):
    """A value failed a check: errors block it, unconfirmed warnings hold it back."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(" ".join(f.message for f in findings))
        self.findings = findings


class NeedsConfirmation(QualityError):
    """A value drew warnings: save it with a note saying why it stands, or flag it for
    follow-up."""


@dataclass
class Entry:
    """What an officer enters in one cell."""

    year: int
    quarter: int = WHOLE_YEAR
    breakdown: dict[str, str] | None = None
    value: Decimal | None = None
    missing_reason: MissingReason | None = None
    comment: str = ""
    source: str = ""
    evidence_url: str | None = None  # None keeps the cell's link
    evidence_id: int | None = None  # None keeps the cell's file (attach_evidence changes it)
    warning_note: str = ""  # why a value that drew a warning stands
    follow_up: bool = False  # or: flag it for a second look
    span_years: int = 1  # 3 for a value of "2017-2019"
    period_label: str = ""  # the label of the row it was entered in ("" = the calendar's)

    def period(self) -> PeriodRef:
        """The entry's period (ObservationError when its label names another one)."""
        try:
            return entered_ref(self.year, self.quarter, self.span_years, self.period_label)
        except ValueError as error:
            raise ObservationError(str(error)) from error


def check_cell(indicator: LocalIndicator, entry: Entry) -> dict[str, str]:
    """Check the period and breakdown against the indicator; return the clean breakdown."""
    if entry.quarter and indicator.frequency != Frequency.QUARTERLY:
        raise ObservationError(_("%(code)s is annual: enter whole fiscal years.",
                                 code=indicator.code))
    if conflict := calendar_conflict(indicator, entry.period()):
        raise ObservationError(conflict)
    if (entry.value is None) == (entry.missing_reason is None):
        raise ObservationError(_("Give a value or the reason there is none."))
    dimensions = {d.name: d.values for d in indicator.dimensions}
    breakdown = {k: v for k, v in (entry.breakdown or {}).items() if v}
    for name, value in breakdown.items():
        if name not in dimensions:
            raise ObservationError(_("%(code)s has no breakdown by %(name)s.",
                                     code=indicator.code, name=name))
        if value not in dimensions[name]:
            raise ObservationError(_("%(value)s is not a value of %(name)s.", value=value,
                                     name=name))
    return breakdown


def find_cell(session: Session, indicator: LocalIndicator, year: int, quarter: int,
              key: str, lock: bool = False, span_years: int = 1) -> Observation | None:
    """Return the observation of one cell (deleted ones included), if any; `lock` reads it
    as it is now and holds its row until commit (PostgreSQL; SQLite has one writer)."""
    query = select(Observation).where(
        Observation.indicator_id == indicator.id, Observation.year == year,
        Observation.quarter == quarter, Observation.span_years == span_years,
        Observation.breakdown_key == key)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.exec(query).first()


def _check_editable(cell: Observation | None, expected_version: int | None) -> None:
    """Refuse a save over a newer value, or over an approved (locked) one. A save from a
    version changed since is stale first (409), even when the change was its approval."""
    current = None if cell is None or cell.is_deleted else cell.version
    if cell is not None and expected_version != current and not (
            cell.is_deleted and expected_version is None):
        raise StaleEditError(stale_cell_message(cell))
    if cell is not None and cell.status == ObservationStatus.APPROVED and not cell.is_deleted:
        raise ObservationError(_("This value is approved and locked; a secretariat must "
                                 "unlock it first."))


def stale_cell_message(cell: Observation | None) -> str:
    """Say that someone else saved the cell first, and what it holds now."""
    shown = "—" if cell is None or cell.is_deleted else shown_value(cell.value,
                                                                    cell.missing_reason)
    message: str = _("Someone else saved this cell meanwhile: it now holds %(value)s. "
                     "Your value was not saved.", value=shown)
    return message


def _log(session: Session, cell: Observation, user_id: int | None, action: str,
         old: tuple[str, str], note: str = "") -> None:
    """Keep one change in the cell's history."""
    new = ("" if cell.is_deleted else shown_value(cell.value, cell.missing_reason),
           cell.status.value)
    session.add(ObservationChange(observation_id=saved_id(cell), user_id=user_id, action=action,
                                  old_value=old[0], new_value=new[0], old_status=old[1],
                                  new_status=new[1], note=note))
    session.flush()


def _state(cell: Observation | None) -> tuple[str, str]:
    """Return a cell's value and status as history shows them."""
    if cell is None or cell.is_deleted:
        return "", cell.status.value if cell else ""
    return shown_value(cell.value, cell.missing_reason), cell.status.value


def check_quality(session: Session, indicator: LocalIndicator, entry: Entry, key: str,
                  others: dict[str, Decimal | None] | None = None) -> list[Finding]:
    """Refuse errors and unconfirmed warnings; return the confirmed warnings."""
    window = window_error(find_window(session, indicator.city_id, entry.year, entry.quarter),
                          utcnow().date())
    if window:
        raise ObservationError(window)
    findings = assess(session, indicator, entry.period().key, key, entry.value, others)
    if has_errors(findings):
        raise QualityError([f for f in findings if f.level != WARNING])
    if findings and not (entry.warning_note.strip() or entry.follow_up):
        raise NeedsConfirmation(findings)
    return findings


def save_observation(*, session: Session, indicator: LocalIndicator, entry: Entry,
                     expected_version: int | None, user_id: int | None,
                     others: dict[str, Decimal | None] | None = None) -> Observation:
    """Save one cell as a draft; `expected_version` is None for a cell that was empty.
    Errors refuse the value; warnings need a note or a follow-up flag. `others` holds the
    values typed at the same time in the period's other cells (by breakdown key)."""
    breakdown = check_cell(indicator, entry)
    key = breakdown_key(breakdown)
    # A concurrent save of a stored cell waits for this one and then finds its version
    # stale; its UPDATE checks the version too.
    cell = find_cell(session, indicator, entry.year, entry.quarter, key, lock=True,
                     span_years=entry.span_years)
    _check_editable(cell, expected_version)
    warnings = check_quality(session, indicator, entry, key, others)
    if cell is not None:
        return _write_cell(session, indicator, entry, cell, breakdown, warnings, user_id)
    # An empty cell has no row to lock: of two first saves the database keeps one.
    with guarded(session, lambda: stale_cell_message(
            find_cell(session, indicator, entry.year, entry.quarter, key,
                      span_years=entry.span_years))):
        return _write_cell(session, indicator, entry, cell, breakdown, warnings, user_id)


def _write_cell(session: Session, indicator: LocalIndicator, entry: Entry,
                cell: Observation | None, breakdown: dict[str, str], warnings: list[Finding],
                user_id: int | None) -> Observation:
    """Write a checked entry into its cell (creating it) and keep the change in history."""
    key = breakdown_key(breakdown)
    old = _state(cell)
    if cell is None:  # a new cell takes its row's period; a stored one keeps its label
        period = entry.period()
        cell = Observation(indicator_id=saved_id(indicator), year=entry.year, quarter=entry.quarter,
                           span_years=period.span_years, period_label=period.label,
                           period_kind=period.kind, breakdown=breakdown, breakdown_key=key,
                           created_by_id=user_id)
    else:
        cell.version += 1
    cell.value, cell.missing_reason = entry.value, entry.missing_reason
    cell.comment, cell.source = entry.comment, entry.source
    if entry.evidence_url is not None:
        cell.evidence_url = entry.evidence_url
    if entry.evidence_id is not None:
        cell.evidence_id = entry.evidence_id
    cell.warning_note = entry.warning_note.strip() if warnings else ""
    cell.follow_up = entry.follow_up
    cell.status, cell.is_deleted, cell.return_reason = ObservationStatus.DRAFT, False, ""
    cell.updated_at, cell.updated_by_id = utcnow(), user_id
    session.add(cell)
    session.flush()
    note = "; ".join(n for n in (entry.comment, cell.warning_note) if n)
    _log(session, cell, user_id, "create" if not old[0] else "update", old, note)
    return cell


def delete_observation(*, session: Session, cell: Observation, expected_version: int,
                       user_id: int | None, reason: str) -> None:
    """Delete a value as a recorded change: the row and its history stay."""
    _check_editable(cell, expected_version)
    old = _state(cell)
    with guarded(session, lambda: stale_cell_message(cell)):
        cell.is_deleted, cell.version = True, cell.version + 1
        cell.updated_at, cell.updated_by_id = utcnow(), user_id
        session.add(cell)
        session.flush()
        _log(session, cell, user_id, "delete", old, reason)


TRANSITIONS = {
    "submit": ({ObservationStatus.DRAFT, ObservationStatus.RETURNED}, ObservationStatus.SUBMITTED),
    "approve": ({ObservationStatus.SUBMITTED}, ObservationStatus.APPROVED),
    "return": ({ObservationStatus.SUBMITTED}, ObservationStatus.RETURNED),
    "unlock": ({ObservationStatus.APPROVED}, ObservationStatus.DRAFT),
}
NEEDS_REASON = {"return", "unlock"}
STATUS_LABELS = {ObservationStatus.DRAFT: _l("draft"), ObservationStatus.SUBMITTED: _l("submitted"),
                 ObservationStatus.APPROVED: _l("approved"),
                 ObservationStatus.RETURNED: _l("returned")}
DONE_LABELS = {"submit": _l("submitted"), "approve": _l("approved"), "return": _l("returned"),
               "unlock": _l("unlocked")}


def stale_review_message(cell: Observation, action: str) -> str:
    """Say what the value holds now, since the page the reviewer acted on was drawn."""
    value = _("deleted") if cell.is_deleted else shown_value(cell.value, cell.missing_reason)
    message: str = _("This value changed since your page showed it: it now holds %(value)s "
                     "(%(status)s, version %(version)d). It was not %(action)s; check it and "
                     "try again.", value=value, status=STATUS_LABELS[cell.status],
                     version=cell.version, action=DONE_LABELS[action])
    return message


def review_observation(*, session: Session, cell: Observation, action: str,
                       expected_version: int, user_id: int | None, reason: str = "") -> None:
    """Move a value through the workflow: submit, approve, return (with a reason), unlock.
    `expected_version` is the version the user saw: a value changed since is refused
    (StaleEditError), here or by the database's own version check on the UPDATE."""
    allowed, target = TRANSITIONS[action]
    if cell.version != expected_version:
        raise StaleEditError(stale_review_message(cell, action))
    if cell.is_deleted or cell.status not in allowed:
        raise ObservationError(_("A %(status)s value cannot be %(action)s.",
                                 status=STATUS_LABELS[cell.status], action=DONE_LABELS[action]))
    if action in NEEDS_REASON and not reason.strip():
        raise ObservationError(_("Give the reason."))
    old = _state(cell)
    with guarded(session, lambda: stale_review_message(cell, action)):
        cell.status, cell.version = target, cell.version + 1
        cell.return_reason = reason.strip() if action == "return" else ""
        session.add(cell)
        session.flush()
        _log(session, cell, user_id, action, old, reason.strip())


def attach_evidence(*, session: Session, cell: Observation, evidence: EvidenceFile,
                    expected_version: int | None, user_id: int | None) -> None:
    """Attach an uploaded file to a value as a recorded change (not to approved values)."""
    if cell.is_deleted:
        raise ObservationError(_("This value was deleted; enter it again first."))
    _check_editable(cell, expected_version)
    old = _state(cell)
    with guarded(session, lambda: stale_cell_message(cell)):
        cell.evidence_id, cell.version = evidence.id, cell.version + 1
        cell.updated_at, cell.updated_by_id = utcnow(), user_id
        session.add(cell)
        session.flush()
        _log(session, cell, user_id, "evidence",
             old, _("Attached %(file)s", file=evidence.original_name)[:2000])


def detach_evidence(*, session: Session, cell: Observation, expected_version: int | None,
                    user_id: int | None) -> None:
    """Remove the file attached to a value as a recorded change; the file stays on record."""
    _check_editable(cell, expected_version)
    evidence = session.get(EvidenceFile, cell.evidence_id) if cell.evidence_id else None
    if cell.is_deleted or evidence is None:
        raise ObservationError(_("No file is attached to this value."))
    old = _state(cell)
    with guarded(session, lambda: stale_cell_message(cell)):
        cell.evidence_id, cell.version = None, cell.version + 1
        cell.updated_at, cell.updated_by_id = utcnow(), user_id
        session.add(cell)
        session.flush()
        _log(session, cell, user_id, "evidence",
             old, _("Removed %(file)s", file=evidence.original_name)[:2000])
