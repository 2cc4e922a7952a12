"""Forms of the indicator grid and the period form: one small form per cell, the fields that
confirm a value that drew warnings, deleting a value, and the review actions."""

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import (
    URL,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from tracker.bulk.cells import CellError, parse_decimal
from tracker.data.models import WHOLE_YEAR, MissingReason, Observation
from tracker.data.services import Entry
from tracker.forms import TrackerForm, TrackerSubform, choices
from tracker.text_rules import whole_number

REASON_LABELS = {
    MissingReason.NOT_AVAILABLE: _l("Not available"),
    MissingReason.NOT_APPLICABLE: _l("Not applicable"),
    MissingReason.CONFIDENTIAL: _l("Confidential"),
}


def reason_label(reason: Any) -> str:
    """Say why a cell has no value, in words."""
    return str(REASON_LABELS.get(MissingReason(reason), reason)) if reason else ""


def check_number(text: str) -> None:
    """Accept an exact decimal (or nothing)."""
    try:
        parse_decimal(text)
    except CellError as error:
        raise ValidationError(str(error)) from error


def version_of(field: Any) -> int | None:
    """Return the version an edit began from; None for a cell that was empty."""
    return whole_number(field.data)


class ConfirmFields(TrackerSubform):
    """Say why a value that drew warnings stands, or flag it for a second look."""

    warning_note = StringField(_l("Why this value stands"), validators=[Length(max=2000)])
    follow_up = BooleanField(_l("Flag for follow-up"))
    expected_version = HiddenField(_l("Version"))

    def version(self) -> int | None:
        """Return the version the edit began from; None for a cell that was empty."""
        return version_of(self.expected_version)


class CellForm(TrackerForm, ConfirmFields):
    """Save one cell of the grid: a value or the reason there is none, with its source."""

    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(1950, 2100)])
    quarter = IntegerField(_l("Quarter"), validators=[Optional(), NumberRange(0, 4)])
    span_years = IntegerField(_l("Years spanned"), validators=[Optional(), NumberRange(1, 50)])
    period_label = HiddenField(_l("Period"), validators=[Length(max=40)])
    breakdown_key = HiddenField(_l("Breakdown"), validators=[Length(max=500)])
    value = StringField(_l("Value"), validators=[Length(max=60)])
    missing_reason = SelectField(_l("Reason there is no value"), validators=[Optional()],
                                 choices=choices([("", "—")] + [(r.value, label) for r, label
                                                                in REASON_LABELS.items()]))
    comment = StringField(_l("Comment"), validators=[Length(max=2000)])
    source = StringField(_l("Source"), validators=[Length(max=300)])
    evidence_url = StringField(_l("Evidence link"),
                               validators=[Optional(), Length(max=500),
                                           URL(message=_l("Enter a web address (https://…)."))])

    def validate_evidence_url(self, field: Any) -> None:
        """Only web links: a javascript: or data: link would run in the readers' browsers."""
        text = (field.data or "").strip().lower()
        if text and not text.startswith(("https://", "http://")):
            raise ValidationError(_("Enter a web address (https://…)."))

    def validate_value(self, field: Any) -> None:
        """Accept an exact decimal, or a reason instead, never both or neither."""
        text = (field.data or "").strip()
        if text and self.missing_reason.data:
            raise ValidationError(_("Give a value or the reason there is none, not both."))
        if not text and not self.missing_reason.data:
            raise ValidationError(_("Give a value or the reason there is none."))
        check_number(text)

    def period(self) -> tuple[int, int, int]:
        """Return the (year, quarter, years spanned) of the cell."""
        return (int(self.year.data or 0), int(self.quarter.data or WHOLE_YEAR),
                int(self.span_years.data or 1))

    def entry(self, breakdown: dict[str, str]) -> Entry:
        """Return what was entered, for the service."""
        value: Decimal | None = parse_decimal((self.value.data or "").strip())
        reason = MissingReason(self.missing_reason.data) if self.missing_reason.data else None
        year, quarter, span = self.period()
        return Entry(year=year, quarter=quarter, span_years=span,
                     period_label=(self.period_label.data or "").strip(),
                     breakdown=breakdown, value=value,
                     missing_reason=reason, comment=(self.comment.data or "").strip(),
                     source=(self.source.data or "").strip(),
                     evidence_url=(self.evidence_url.data or "").strip(),
                     warning_note=(self.warning_note.data or "").strip(),
                     follow_up=bool(self.follow_up.data))


class PeriodCellForm(ConfirmFields):
    """One cell of the period form (no CSRF of its own: the page's form carries it)."""

    value = StringField(_l("Value"), validators=[Length(max=60)])

    def validate_value(self, field: Any) -> None:
        """Accept an exact decimal, or nothing (the cell stays as it is)."""
        check_number((field.data or "").strip())

    def typed(self) -> Decimal | None:
        """Return the typed number (None when blank)."""
        return parse_decimal((self.value.data or "").strip())

    def entry(self, year: int, quarter: int, breakdown: dict[str, str],
              cell: Observation | None) -> Entry:
        """Return what was entered; the cell's comment, source and evidence carry over."""
        keep = cell if cell is not None else Observation(indicator_id=0, year=year)
        return Entry(year=year, quarter=quarter, breakdown=breakdown, value=self.typed(),
                     comment=keep.comment, source=keep.source, evidence_url=keep.evidence_url,
                     evidence_id=keep.evidence_id,
                     warning_note=(self.warning_note.data or "").strip(),
                     follow_up=bool(self.follow_up.data) or keep.follow_up)


class PeriodForm(TrackerForm):
    """The period form's own CSRF token; its cells are PeriodCellForms."""


class DeleteForm(TrackerForm):
    """Delete a value: a recorded change that needs a reason."""

    reason = StringField(_l("Why delete this value"),
                         validators=[InputRequired(), Length(min=1, max=2000)])
    expected_version = HiddenField(_l("Version"))


class ReviewForm(TrackerForm):
    """Submit, approve, return or unlock a value (returning and unlocking need a reason)."""

    reason = StringField(_l("Reason"), validators=[Length(max=2000)],
                         description=_l("Required to return or unlock a value."))


class ReviewActionForm(ReviewForm):
    """A review action on one value, carrying the version the page showed: a value that
    changed since is refused rather than approved unseen."""

    version = IntegerField(_l("Version"), widget=HiddenInput(),
                           validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
