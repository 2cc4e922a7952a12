"""Forms of the completeness pages: the period chooser and the reporting-window form."""

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from tracker.cities.forms import country_options
from tracker.data.completeness_table import Show, Sort, TableQuery
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


SHOW_CHOICES = [(Show.ALL.value, _l("Every city")), (Show.OVERDUE.value, _l("Overdue")),
                (Show.INCOMPLETE.value, _l("Not complete")),
                (Show.COMPLETE.value, _l("Complete")),
                (Show.NOTHING_DUE.value, _l("Nothing due"))]
SORT_CHOICES = [(Sort.NAME.value, _l("City")), (Sort.COUNTRY.value, _l("Country")),
                (Sort.PERCENT.value, _l("Share complete")),
                (Sort.OVERDUE.value, _l("Overdue indicators"))]
DIRECTIONS = [("asc", _l("Ascending")), ("desc", _l("Descending"))]


class NetworkTableForm(PeriodForm):
    """Choose the period, filters and order of the network's completeness table (GET)."""

    country = SelectField(_l("Country"), validators=[Optional()])
    show = SelectField(_l("Show"), validators=[Optional()], choices=choices(SHOW_CHOICES))
    sort = SelectField(_l("Sort by"), validators=[Optional()], choices=choices(SORT_CHOICES))
    dir = SelectField(_l("Order"), validators=[Optional()], choices=choices(DIRECTIONS))

    def offer_countries(self, codes: list[str]) -> None:
        """Offer the member cities' countries, by name, and "any"."""
        self.country.choices = country_options(codes)

    def table_query(self, year: int, quarter: int, today: date) -> TableQuery:
        """Return what the table shows; a refused filter falls back to its default."""
        def valid(field: Any) -> str:
            return "" if field.errors else str(field.data or "")
        return TableQuery(year, quarter, today, country=valid(self.country),
                          show=Show(valid(self.show)), sort=Sort(valid(self.sort) or "name"),
                          descending=valid(self.dir) == "desc")

    def args(self, table: TableQuery) -> dict[str, Any]:
        """Return the table's choices as query-string arguments (for page and export links)."""
        found = {"year": table.year, "quarter": table.quarter, "country": table.country,
                 "show": table.show.value, "sort": table.sort.value,
                 "dir": "desc" if table.descending else ""}
        return {name: value for name, value in found.items() if value not in ("", None)}
