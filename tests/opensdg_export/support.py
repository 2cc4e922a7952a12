"""Build exported cities by hand: cells with labels, breakdowns, attributes and statuses."""

from decimal import Decimal
from typing import Any

from sqlmodel import Session

from tracker.catalogue.models import SdgIndicator
from tracker.data.models import (
    MissingReason,
    Observation,
    ObservationStatus,
    PeriodKind,
    breakdown_key,
)
from tracker.data.period_labels import parse_period_label
from tracker.indicators.models import IndicatorAlignment, LocalIndicator, SdgRelation
from tracker.indicators.queries import get_sdg_indicator

APPROVED = ObservationStatus.APPROVED


def add_cell(db: Session, indicator: LocalIndicator, label: str, value: str | None,
             breakdown: dict[str, str] | None = None, status: ObservationStatus = APPROVED,
             **extra: Any) -> Observation:
    """Store one cell as an import would: the label as written, the value text as written."""
    ref = parse_period_label(label)
    breakdown = breakdown or {}
    cell = Observation(
        indicator_id=indicator.id,  # type: ignore[arg-type]
        year=ref.year, quarter=ref.quarter, span_years=ref.span_years, period_label=label,
        period_kind=ref.kind, breakdown=breakdown, breakdown_key=breakdown_key(breakdown),
        value=None if value is None else Decimal(value), value_text=value or "",
        missing_reason=None if value is not None else MissingReason.NOT_AVAILABLE, status=status,
        **extra)
    db.add(cell)
    db.flush()
    return cell


def add_plain_cell(db: Session, indicator: LocalIndicator, year: int, value: str,
                   quarter: int = 0, breakdown: dict[str, str] | None = None) -> Observation:
    """Store an approved cell as the entry form does: no label, no text as written."""
    breakdown = breakdown or {}
    cell = Observation(indicator_id=indicator.id, year=year, quarter=quarter,  # type: ignore[arg-type]
                       period_kind=PeriodKind.QUARTER if quarter else PeriodKind.YEAR,
                       breakdown=breakdown, breakdown_key=breakdown_key(breakdown),
                       value=Decimal(value), status=APPROVED)
    db.add(cell)
    db.flush()
    return cell


def align(db: Session, indicator: LocalIndicator, code: str,
          relation: SdgRelation = SdgRelation.IDENTICAL) -> None:
    """Align a local indicator to an SDG indicator of the catalogue."""
    sdg: SdgIndicator | None = get_sdg_indicator(db, code)
    assert sdg is not None, code
    db.add(IndicatorAlignment(indicator_id=indicator.id, sdg_indicator_id=sdg.id,  # type: ignore[arg-type]
                              relation=relation))
    db.flush()
