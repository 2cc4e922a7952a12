"""Run the quality checks on one entered value against what the database holds: the value's
own checks, the cell's history (outliers), the period's other breakdowns (sum rule) and the
period's reporting window."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from tracker.data import quality
from tracker.data.models import Observation, ReportingWindow
from tracker.data.quality import WARNING, Finding
from tracker.indicators.models import LocalIndicator

HISTORY_YEARS = 12  # DHIS2 shows a cell's last 12 values; older ones say little of today


def assess(session: Session, indicator: LocalIndicator, period: tuple[int, int, int],
           key: str, value: Decimal | None, others: dict[str, Decimal | None] | None = None
           ) -> list[Finding]:
    """Return the errors and warnings of a value entered in one cell of a period (year,
    quarter, years spanned); `others` are values typed in the period's other cells at the
    same time (a form saving a total and its parts together), checked with it by the sum
    rule."""
    if value is None:
        return []
    findings = quality.check_value(indicator, value)
    if quality.has_errors(findings):
        return findings
    outlier = quality.check_outlier(value, cell_history(session, indicator, period, key),
                                    kind=indicator.unit_kind)
    if outlier is not None:
        findings.append(outlier)
    return findings + sum_findings(session, indicator, period, (others or {}) | {key: value},
                                   key)


def cell_history(session: Session, indicator: LocalIndicator, period: tuple[int, int, int],
                 key: str) -> list[Decimal | None]:
    """Return the cell's values in other years (same quarter, span and breakdown), newest
    first."""
    year, quarter, span = period
    rows = session.exec(select(col(Observation.value)).where(
        Observation.indicator_id == indicator.id, Observation.quarter == quarter,
        Observation.span_years == span,
        Observation.breakdown_key == key, Observation.year != year,
        Observation.is_deleted == False,  # noqa: E712  (SQL, not Python)
        col(Observation.value).is_not(None))
        .order_by(col(Observation.year).desc()).limit(HISTORY_YEARS)).all()
    return list(rows)


def sum_findings(session: Session, indicator: LocalIndicator, period: tuple[int, int, int],
                 entered: dict[str, Decimal | None], key: str | None = None) -> list[Finding]:
    """Warn when the period's breakdowns stop adding up to its total (where they should).

    A warning, not an error: an officer fixing a wrong total or part must be able to save
    one cell at a time; submitting with the mismatch unconfirmed is what the rule stops.
    A group (a total and its parts) is explained once: of the cells `entered` together, only
    the group's anchor (`key`, when given, must be it) carries the warning."""
    if not indicator.sums_to_total or not indicator.dimensions:
        return []
    cells = period_values(session, indicator, period) | entered
    findings = []
    for dimension, total_key, parts in quality.breakdown_sums(cells, indicator.dimensions):
        if key is not None and group_anchor(total_key, parts, entered) != key:
            continue
        finding = quality.check_sum(cells.get(total_key), parts, dimension=dimension,
                                    level=WARNING)
        if finding is not None:
            findings.append(replace(finding, message=finding.message + " " + _(
                "One explanation covers the total and its parts.")))
    return findings


def group_anchor(total_key: str, parts: dict[str, Decimal | None],
                 entered: dict[str, Decimal | None]) -> str | None:
    """Return the cell of a breakdown group that carries the group's sum warning among
    those entered together: the total if it is one of them, else the first part."""
    return next((k for k in (total_key, *parts) if k in entered), None)


def period_values(session: Session, indicator: LocalIndicator, period: tuple[int, int, int]
                  ) -> dict[str, Decimal | None]:
    """Return the period's current values by breakdown key."""
    year, quarter, span = period
    rows = session.exec(select(Observation.breakdown_key, col(Observation.value)).where(
        Observation.indicator_id == indicator.id, Observation.year == year,
        Observation.quarter == quarter, Observation.span_years == span,
        Observation.is_deleted == False)).all()  # noqa: E712
    return dict(rows)


def find_window(session: Session, city_id: int, year: int, quarter: int
                ) -> ReportingWindow | None:
    """Return the reporting window of a city's period, if one is set."""
    return session.exec(select(ReportingWindow).where(
        ReportingWindow.city_id == city_id, ReportingWindow.year == year,
        ReportingWindow.quarter == quarter)).first()


def window_error(window: ReportingWindow | None, today: date) -> str | None:
    """Say why a period cannot take values yet (DHIS2: outside the data input period)."""
    if window is not None and today < window.opens_on:
        message: str = _("Entry for this period opens on %(day)s.",
                         day=window.opens_on.isoformat())
        return message
    return None
