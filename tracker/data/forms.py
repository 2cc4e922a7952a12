"""Forms of the indicator grid: one small form per cell, and the review actions."""

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from tracker.bulk.cells import CellError, parse_decimal
from tracker.data.models import WHOLE_YEAR, MissingReason
from tracker.data.services import Entry
from tracker.forms import choices

REASON_LABELS = {
    MissingReason.NOT_AVAILABLE: _l("Not available"),
    MissingReason.NOT_APPLICABLE: _l("Not applicable"),
    MissingReason.CONFIDENTIAL: _l("Confidential"),
}


def reason_label(reason: Any) -> str:
    """Say why a cell has no value, in words."""
    return str(REASON_LABELS.get(MissingReason(reason), reason)) if reason else ""


class CellForm(FlaskForm):
    """Save one cell of the grid: a value or the reason there is none."""

    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(1950, 2100)])
    quarter = IntegerField(_l("Quarter"), validators=[Optional(), NumberRange(0, 4)])
    breakdown_key = HiddenField(_l("Breakdown"), validators=[Length(max=500)])
    value = StringField(_l("Value"), validators=[Length(max=60)])
    missing_reason = SelectField(_l("Reason there is no value"), validators=[Optional()],
                                 choices=choices([("", "—")] + [(r.value, label) for r, label
                                                                in REASON_LABELS.items()]))
    comment = StringField(_l("Comment"), validators=[Length(max=2000)])
    expected_version = HiddenField(_l("Version"))

    def validate_value(self, field: Any) -> None:
        """Accept an exact decimal, or a reason instead, never both or neither."""
        text = (field.data or "").strip()
        if text and self.missing_reason.data:
            raise ValidationError(_("Give a value or the reason there is none, not both."))
        if not text and not self.missing_reason.data:
            raise ValidationError(_("Give a value or the reason there is none."))
        try:
            parse_decimal(text)
        except CellError as error:
            raise ValidationError(str(error)) from error

    def period(self) -> tuple[int, int]:
        """Return the (year, quarter) of the cell."""
        return int(self.year.data or 0), int(self.quarter.data or WHOLE_YEAR)

    def version(self) -> int | None:
        """Return the version the edit began from; None for a cell that was empty."""
        raw = (self.expected_version.data or "").strip()
        return int(raw) if raw.isdigit() else None

    def entry(self, breakdown: dict[str, str]) -> Entry:
        """Return what was entered, for the service."""
        value: Decimal | None = parse_decimal((self.value.data or "").strip())
        reason = MissingReason(self.missing_reason.data) if self.missing_reason.data else None
        year, quarter = self.period()
        return Entry(year=year, quarter=quarter, breakdown=breakdown, value=value,
                     missing_reason=reason, comment=(self.comment.data or "").strip())


class ReviewForm(FlaskForm):
    """Submit, approve, return or unlock a value (returning and unlocking need a reason)."""

    reason = StringField(_l("Reason"), validators=[Length(max=2000)],
                         description=_l("Required to return or unlock a value."))
