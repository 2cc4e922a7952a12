"""Load a framework revision into the database: idempotent, and never deleting anything."""

import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlmodel import Session, select

from tracker.catalogue.models import (
    FrameworkRevision,
    Goal,
    IndicatorStatus,
    IndicatorTitleChange,
    SdgIndicator,
    Target,
)
from tracker.catalogue.records import (
    GoalRecord,
    IndicatorRecord,
    RevisionRecord,
    TargetRecord,
    indicator_sort_key,
    target_code_of,
    target_sort_key,
)
from tracker.db import stored_id

logger = logging.getLogger(__name__)


class CatalogueError(ValueError):
    """A revision could not be loaded; the message names the row or code."""


@dataclass
class LoadReport:
    """What loading a revision changed."""

    revision: str
    created: dict[str, int] = field(default_factory=lambda: {"goals": 0, "targets": 0,
                                                             "indicators": 0})
    retitled: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Did the load change anything?"""
        return bool(sum(self.created.values()) or self.retitled or self.retired
                    or self.reactivated)


def get_or_create_revision(session: Session, record: RevisionRecord) -> FrameworkRevision:
    """Return the stored revision for this key, creating it if new, and make it current."""
    revision = session.exec(select(FrameworkRevision).where(
        FrameworkRevision.key == record.key)).first()
    if revision is None:
        revision = FrameworkRevision(key=record.key, title=record.title,
                                     published=record.published, source=record.source)
        session.add(revision)
    for other in session.exec(select(FrameworkRevision)).all():
        other.is_current = other is revision
    session.flush()
    return revision


def upsert_goals(session: Session, records: list[GoalRecord], report: LoadReport
                 ) -> dict[str, Goal]:
    """Create missing goals and refresh titles and colours; return goals by code."""
    goals = {g.code: g for g in session.exec(select(Goal)).all()}
    for rec in records:
        goal = goals.get(rec.code)
        if goal is None:
            goal = Goal(code=rec.code, number=int(rec.code), title=rec.title,
                        short_title=rec.short_title, colour=rec.colour)
            goals[rec.code] = goal
            report.created["goals"] += 1
        goal.title = rec.title
        goal.short_title = rec.short_title or goal.short_title
        goal.colour = rec.colour or goal.colour
        session.add(goal)
    session.flush()
    return goals


def upsert_targets(
    session: Session, records: list[TargetRecord], goals: dict[str, Goal], report: LoadReport
) -> dict[str, Target]:
    """Create missing targets and refresh titles; return targets by code."""
    targets = {t.code: t for t in session.exec(select(Target)).all()}
    for rec in records:
        goal = goals.get(rec.code.split(".")[0])
        if goal is None:
            raise CatalogueError(_("Target %(code)s names a goal that does not exist.",
                                   code=rec.code))
        target = targets.get(rec.code)
        if target is None:
            target = Target(code=rec.code, title=rec.title, goal_id=stored_id(goal.id),
                            sort_key=target_sort_key(rec.code))
            targets[rec.code] = target
            report.created["targets"] += 1
        target.title = rec.title
        session.add(target)
    session.flush()
    return targets


def upsert_indicator(
    session: Session, rec: IndicatorRecord, existing: SdgIndicator | None, target: Target,
    revision: FrameworkRevision, report: LoadReport,
) -> SdgIndicator:
    """Create or refresh one indicator, recording a changed title."""
    if existing is None:
        existing = SdgIndicator(code=rec.code, title=rec.title, target_id=stored_id(target.id),
                                sort_key=indicator_sort_key(rec.code),
                                introduced_in_id=revision.id)
        report.created["indicators"] += 1
    elif existing.title != rec.title:
        session.add(IndicatorTitleChange(indicator_id=stored_id(existing.id),
                                         revision_id=stored_id(revision.id),
                                         old_title=existing.title, new_title=rec.title))
        report.retitled.append(rec.code)
        existing.title = rec.title
    status = IndicatorStatus(rec.status)
    if existing.status == IndicatorStatus.RETIRED and status == IndicatorStatus.ACTIVE:
        report.reactivated.append(rec.code)
        existing.retired_in_id = None
    if status == IndicatorStatus.RETIRED and existing.retired_in_id is None:
        existing.retired_in_id = revision.id
    existing.status = status
    existing.tier = rec.tier or existing.tier
    existing.custodians = rec.custodians or existing.custodians
    existing.note = rec.note or existing.note
    session.add(existing)
    return existing


def upsert_indicators(
    session: Session, revision_record: RevisionRecord, targets: dict[str, Target],
    revision: FrameworkRevision, report: LoadReport,
) -> dict[str, SdgIndicator]:
    """Create or refresh every indicator of the revision; return all indicators by code."""
    indicators = {i.code: i for i in session.exec(select(SdgIndicator)).all()}
    for rec in revision_record.indicators:
        target = targets.get(target_code_of(rec.code))
        if target is None:
            raise CatalogueError(_("Indicator %(code)s names a target that does not exist.",
                                   code=rec.code))
        indicators[rec.code] = upsert_indicator(session, rec, indicators.get(rec.code), target,
                                                revision, report)
    session.flush()
    return indicators


def link_repeats(records: list[IndicatorRecord], indicators: dict[str, SdgIndicator]) -> None:
    """Point each repeated indicator at the indicator it repeats."""
    for rec in records:
        original = indicators.get(rec.repeat_of) if rec.repeat_of else None
        if rec.repeat_of and original is None:
            raise CatalogueError(_("Indicator %(code)s repeats %(other)s, which is not listed.",
                                   code=rec.code, other=rec.repeat_of))
        indicators[rec.code].repeat_of_id = original.id if original else None


def retire_missing(
    records: list[IndicatorRecord], indicators: dict[str, SdgIndicator],
    revision: FrameworkRevision, report: LoadReport,
) -> None:
    """Retire (never delete) active indicators that the new revision no longer lists."""
    listed = {rec.code for rec in records}
    for code, indicator in indicators.items():
        if code not in listed and indicator.status == IndicatorStatus.ACTIVE:
            indicator.status = IndicatorStatus.RETIRED
            indicator.retired_in_id = revision.id
            indicator.note = _("Not listed in revision %(key)s.", key=revision.key)
            report.retired.append(code)


def apply_revision(
    session: Session, record: RevisionRecord, *, retire_unlisted: bool = True
) -> LoadReport:
    """Load a revision: add what is new, record changed titles, retire what is gone."""
    report = LoadReport(revision=record.key)
    revision = get_or_create_revision(session, record)
    goals = upsert_goals(session, record.goals, report)
    targets = upsert_targets(session, record.targets, goals, report)
    indicators = upsert_indicators(session, record, targets, revision, report)
    link_repeats(record.indicators, indicators)
    if retire_unlisted:
        retire_missing(record.indicators, indicators, revision, report)
    session.flush()
    logger.info("Revision %s loaded: %s", record.key, report)
    return report
