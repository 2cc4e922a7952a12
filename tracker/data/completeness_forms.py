"""Forms of the completeness pages: the period chooser and the reporting-window form."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from tracker.data.windows import FIRST_YEAR, LAST_YEAR, WindowIn
from tracker.forms import TrackerForm, choices

QUARTERS = [(0, _l("Whole fiscal year")), (1, _l("Quarter 1")), (2, _l("Quarter 2")),
            (3, _l("Quarter 3")), (4, _l("Quarter 4"))]


class PeriodForm(TrackerForm):
    """Choose the period a completeness page shows (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    year = IntegerField(_l("Fiscal year"), validators=[Optional(),
                                                       NumberRange(FIRST_YEAR, LAST_YEAR)],
                        description=_l("The calendar year the fiscal year starts in."))
    quarter = SelectField(_l("Period"), coerce=int, validators=[Optional()],
                          choices=choices(QUARTERS))


class WindowForm(TrackerForm):
    """Set when a period's values may be entered and when they are due."""

    year = IntegerField(_l("Fiscal year"), validators=[InputRequired(),
                                                       NumberRange(FIRST_YEAR, LAST_YEAR)],
                        description=_l("The calendar year the fiscal year starts in."))
    quarter = SelectField(_l("Period"), coerce=int, choices=choices(QUARTERS),
                          validators=[InputRequired()])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired()])
    due_on = DateField(_l("Due on"), validators=[InputRequired()],
                       description=_l("Values not submitted by this day are overdue."))

    def validate_due_on(self, field: Any) -> None:
        """Refuse a due date before the opening date."""
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_("The due date is before the opening date."))

    def window_in(self) -> WindowIn:
        """Return what was entered, for the service."""
        return WindowIn(year=int(self.year.data or 0), quarter=int(self.quarter.data or 0),
                        opens_on=self.opens_on.data, due_on=self.due_on.data)
