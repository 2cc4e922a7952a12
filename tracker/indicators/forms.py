"""Forms for a city's local indicators: the definition, SDG alignment, element links, retiring."""

import re
from decimal import Decimal
from typing import Any

from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError as PydanticError
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from tracker.forms import TrackerForm, TrackerSubform, choices
from tracker.indicators import progress_rows as progress
from tracker.indicators.form_rules import RuleError, Submission, place_errors
from tracker.indicators.models import CODE_PATTERN, LocalIndicator, LocalIndicatorCreate

UNIT_KINDS = [("percent", _l("Percent (%)")), ("count", _l("Count")),
              ("rate_per_1000", _l("Rate per 1 000")), ("rate_per_100000", _l("Rate per 100 000")),
              ("currency", _l("Currency")), ("tco2e", _l("Tonnes of CO₂ equivalent (tCO2e)")),
              ("other", _l("Another unit"))]
DIRECTIONS = [("higher", _l("Higher is better")), ("lower", _l("Lower is better")),
              ("band", _l("Within a target band"))]
FREQUENCIES = [("annual", _l("Annual")), ("quarterly", _l("Quarterly"))]
ROLLUPS = [("last", _l("The last quarter's value")), ("sum", _l("The sum of the quarters")),
           ("mean", _l("The mean of the quarters"))]
RELATIONS = [("identical", _l("Identical")), ("proxy", _l("Proxy")),
             ("contextualised", _l("Contextualised"))]
CALENDARS = [("", _l("As the city")), ("calendar", _l("Calendar year")),
             ("fiscal", _l("Fiscal year (the city's)"))]
LABELS = {"unit_kind": dict(UNIT_KINDS), "direction": dict(DIRECTIONS),
          "frequency": dict(FREQUENCIES), "quarterly_rollup": dict(ROLLUPS),
          "relation": dict(RELATIONS), "calendar": dict(CALENDARS),
          "progress_rule": dict(progress.PROGRESS_RULES),
          "manual_progress_status": dict(progress.MANUAL_STATUSES)}

TEXT_FIELDS = ["code", "name", "definition", "unit_label", "data_source", "department",
               "baseline_note"]
CHOICE_FIELDS = ["unit_kind", "direction", "frequency", "quarterly_rollup"]
DECIMAL_FIELDS = ["band_low", "band_high", "baseline_value", "natural_limit"]
DECIMAL_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_decimal(text: str | None) -> Decimal | None:
    """Read a number typed as plain text (99.94, -5, 1000000); None when blank or malformed."""
    text = (text or "").strip()
    return Decimal(text) if DECIMAL_TEXT.match(text) else None  # the pattern admits no NaN


def number_text(value: Decimal | None) -> str:
    """Write an exact number in plain notation (no exponent, nothing rounded)."""
    return "" if value is None else format(value, "f")


def decimal_number(_form: Form, field: Any) -> None:
    """Accept an exact decimal number written with a point and no spaces."""
    if (field.data or "").strip() and parse_decimal(field.data) is None:
        raise ValidationError(_("Enter a number such as 99.94: digits, with a point before "
                                "any decimals, no spaces or thousands separators."))


def decimal_field(label: Any, description: Any = None) -> StringField:
    """An optional exact number, typed as text so that any value comes back as typed."""
    return StringField(label, validators=[Optional(), decimal_number], description=description,
                       render_kw={"inputmode": "decimal", "autocomplete": "off"})


def year_field(label: Any, description: Any = None) -> IntegerField:
    """An optional year between 1950 and 2100."""
    return IntegerField(label, description=description, validators=[
        Optional(), NumberRange(min=1950, max=2100, message=_l("Give a year from 1950 to 2100."))])


class Row(TrackerSubform):
    """A repeating row; a row left blank is ignored, a started row needs its `required` cells."""

    required: dict[str, Any] = {}

    def is_blank(self) -> bool:
        """Was nothing typed in this row?"""
        return not any((f.raw_data or [""])[0].strip() for f in self)

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the cells, then ask for the missing required cells of a started row."""
        valid: bool = super().validate(extra_validators)
        if self.is_blank():
            return valid
        for name, message in self.required.items():
            if not self[name].errors and not self[name].data:
                self[name].errors.append(message)
                valid = False
        return valid


class TargetRow(Row):
    """A target: year, value and what it is (e.g. 2026 · 40 · IDP)."""

    year = year_field(_l("Year"))
    value = decimal_field(_l("Value"))
    label = StringField(_l("Label"), validators=[Length(max=100)])
    required = {"year": _l("Give the target's year."), "value": _l("Give the target value.")}


class DimensionRow(Row):
    """A disaggregation dimension and its values (sex: female, male)."""

    name = StringField(_l("Dimension"), validators=[Length(max=60)])
    values = StringField(_l("Values"), validators=[Length(max=2000)])
    required = {"name": _l("Name the dimension, e.g. sex."),
                "values": _l("List its values, separated by commas.")}


class IndicatorForm(TrackerForm):
    """A local indicator's whole definition."""

    expected_version = HiddenField()
    code = StringField(
        _l("Code"), validators=[DataRequired(), Length(max=40), Regexp(CODE_PATTERN, message=_l(
            "Start with a letter or digit, then use letters, digits and . _ - / only."))],
        description=_l("Short and stable, as the plan numbers it, e.g. SDBIP-3B.4 or SLB-2.1.1."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(min=2, max=300)])
    definition = TextAreaField(_l("Definition"), validators=[Length(max=4000)], description=_l(
        "How it is calculated, e.g. households with a direct connection ÷ all households × 100."))
    unit_kind = SelectField(_l("Unit"), choices=choices(UNIT_KINDS))
    unit_label = StringField(_l("Unit label"), validators=[Length(max=40)], description=_l(
        "Needed for a currency (its code, e.g. ZAR) or another unit (e.g. households, lpcd)."))
    direction = SelectField(_l("Direction"), choices=choices(DIRECTIONS))
    band_low = decimal_field(_l("Band: lowest good value"), _l("For a target band only."))
    band_high = decimal_field(_l("Band: highest good value"), _l("For a target band only."))
    frequency = SelectField(_l("Frequency"), choices=choices(FREQUENCIES),
                            description=_l("Reported on the city's fiscal year."))
    quarterly_rollup = SelectField(_l("A quarterly indicator's year value is"),
                                   choices=choices(ROLLUPS))
    calendar = SelectField(_l("Its years are"), choices=choices(CALENDARS), default="",
                           description=_l("Whose year a single year's value is for: a "
                                          "calendar year is never shown as a fiscal one."))
    is_cumulative = BooleanField(_l("Cumulative"), description=_l(
        "Values build up over the year, e.g. 20, 45, 70 and 100 % across the quarters."))
    sums_to_total = BooleanField(_l("Breakdowns add up to the total"), description=_l(
        "Check entered values: the values by each disaggregation sum to the total."))
    data_source = StringField(_l("Data source"), validators=[Length(max=300)])
    department = StringField(_l("Responsible department"), validators=[Length(max=200)])
    baseline_year = year_field(_l("Baseline year"), _l(
        "For a fiscal year, the year it starts in: 2022 for 2022/23."))
    baseline_value = decimal_field(_l("Baseline value"), _l(
        "Leave the baseline blank when there is none yet."))
    baseline_note = StringField(_l("Baseline note"), validators=[Length(max=500)], description=_l(
        "E.g. “New KPI – no baseline”, or where the baseline comes from."))
    natural_limit = decimal_field(_l("Natural limit"), _l(
        "A value the indicator cannot pass, e.g. 100 for a coverage percentage."))
    targets = FieldList(FormField(TargetRow), label=_l("Targets"), min_entries=4, max_entries=40)
    dimensions = FieldList(FormField(DimensionRow), label=_l("Disaggregation"), min_entries=3,
                           max_entries=20)
    progress_rule = SelectField(_l("Progress status from"), default="headline",
                                choices=choices(progress.PROGRESS_RULES),
                                validators=[progress.configured_needs_rows])
    manual_progress = BooleanField(_l("Set the status by hand"), description=_l(
        "Open SDG’s automatic progress calculation off: the status below is shown as it is."))
    manual_progress_status = SelectField(_l("Status set by hand"),
                                         choices=choices(progress.MANUAL_STATUSES), default="")
    progress_options = FieldList(FormField(progress.ProgressOptionRow), min_entries=1,
                                 label=_l("Configured series"), max_entries=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule_errors: list[RuleError] = []

    @property
    def has_errors(self) -> bool:
        """Is any message to show, including those placed in rows after validation?"""
        cells = (cell for rows in (self.targets, self.dimensions, self.progress_options)
                 for e in rows for cell in e.form)
        return bool(self.errors or self.rule_errors or any(cell.errors for cell in cells))

    def validated_definition(self) -> LocalIndicatorCreate | None:
        """Return the submitted definition if it is valid; else place every error, return None."""
        valid = self.validate_on_submit()
        if not self.is_submitted():
            return None
        # The definition's own rules run even when a field failed here, so that every
        # problem shows at once; a field keeps the first message it got.
        submission = read_definition(self)
        try:
            definition = LocalIndicatorCreate.model_validate(submission.values)
        except PydanticError as error:
            self.rule_errors += place_errors(self, submission, error)
            return None
        return definition if valid else None


def _rows(rows: FieldList) -> list[tuple[int, Row]]:
    """Return the (index, row) pairs of the rows that were filled in."""
    return [(i, entry.form) for i, entry in enumerate(rows) if not entry.form.is_blank()]


def split_values(text: str | None) -> list[str]:
    """Split "female, male" (commas, semicolons or lines) into its values."""
    return [v.strip() for v in re.split(r"[,;\n]", text or "") if v.strip()]


def read_definition(form: IndicatorForm) -> Submission:
    """Collect the definition as LocalIndicatorCreate expects it."""
    values: dict[str, Any] = {n: (form[n].data or "").strip() for n in TEXT_FIELDS}
    values |= {n: form[n].data for n in CHOICE_FIELDS}
    values |= {n: parse_decimal(form[n].data) for n in DECIMAL_FIELDS}
    values |= {"baseline_year": form.baseline_year.data, "is_cumulative": form.is_cumulative.data,
               "sums_to_total": form.sums_to_total.data, "calendar": form.calendar.data or None}
    targets, dimensions = _rows(form.targets), _rows(form.dimensions)
    values["targets"] = [{"year": r.year.data, "value": parse_decimal(r.value.data),
                          "label": (r.label.data or "").strip()} for _, r in targets]
    values["dimensions"] = [{"name": (r.name.data or "").strip(),
                             "values": split_values(r.values.data)} for _, r in dimensions]
    values |= progress.progress_values(form.progress_rule.data, form.manual_progress.data,
                                       form.manual_progress_status.data,
                                       [e.form for e in form.progress_options])
    return Submission(values, [i for i, _ in targets], [i for i, _ in dimensions])


def initial_data(indicator: LocalIndicator) -> dict[str, Any]:
    """Return a saved definition as form data, with blank rows to add targets and dimensions."""
    data: dict[str, Any] = {n: getattr(indicator, n) for n in TEXT_FIELDS + CHOICE_FIELDS}
    data |= {n: number_text(getattr(indicator, n)) for n in DECIMAL_FIELDS}
    data |= {"baseline_year": indicator.baseline_year, "is_cumulative": indicator.is_cumulative,
             "sums_to_total": indicator.sums_to_total,
             "calendar": indicator.calendar.value if indicator.calendar else "",
             "expected_version": str(indicator.version)}
    targets = [{"year": t.year, "value": number_text(t.value), "label": t.label}
               for t in indicator.targets]
    dimensions = [{"name": d.name, "values": ", ".join(d.values)} for d in indicator.dimensions]
    data["targets"] = targets + [{}] * max(2, 4 - len(targets))
    data["dimensions"] = dimensions + [{}] * max(1, 3 - len(dimensions))
    return data | progress.progress_data(indicator)


class AlignmentForm(TrackerForm):
    """Align the indicator to an SDG indicator found by the picker."""

    q = HiddenField()
    sdg_code = RadioField(_l("SDG indicator"), validate_choice=False,
                          validators=[InputRequired(message=_l("Choose an SDG indicator."))])
    relation = SelectField(_l("Relation"), choices=choices(RELATIONS), default="proxy",
                           description=_l("Identical: the same measure. Proxy: a stand-in, e.g. "
                                          "households instead of population. Contextualised: "
                                          "the same idea, defined for local conditions."))
    rationale = TextAreaField(_l("Rationale"), validators=[Length(max=2000)],
                              description=_l("Why this local indicator stands for the SDG one."))


HISTORY_LABELS = {"is_retired": _l("Retired"), "element": _l("Plan element")}


def field_label(name: str) -> str:
    """Return the label of a definition field, for the history."""
    unbound = getattr(IndicatorForm, name, None)
    if isinstance(unbound, UnboundField):
        return str(unbound.kwargs.get("label") or unbound.args[0])
    return str(HISTORY_LABELS.get(name, name))


def calendar_choices(fiscal_year_start_month: int) -> list[SelectChoice]:
    """The calendar choices, the fiscal year named by the month the city's starts in."""
    month = get_month_names("wide", locale=get_locale())[fiscal_year_start_month]
    return choices([("", _("As the city")), ("calendar", _("Calendar year")),
                    ("fiscal", _("Fiscal year (the city's, starting %(month)s)", month=month))])


def choice_label(kind: str, value: Any) -> str:
    """Return the label of a unit kind, direction, frequency, roll-up or relation."""
    value = getattr(value, "value", value)
    return str(LABELS[kind].get(value, value))


def _shown(field: Any) -> str:
    """Return a field's value as text, the way the stale-save comparison shows it."""
    if field.type == "FieldList":
        rows = [" · ".join(_shown(cell) for cell in entry.form if _shown(cell))
                for entry in field]
        return "; ".join(row for row in rows if row)
    if field.type == "SelectField":
        return choice_label(field.short_name, field.data) if field.data else ""
    if field.type == "BooleanField":
        return str(_("Yes") if field.data else _("No"))
    text = "" if field.data is None else str(field.data).strip()
    number = parse_decimal(text)
    return number_text(number) if number is not None else text


def compare_with_saved(form: IndicatorForm, indicator: LocalIndicator
                       ) -> list[tuple[str, str, bool]]:
    """List (label, saved value, differs from the form) for each field of a newer saved version."""
    saved = IndicatorForm(formdata=None, data=initial_data(indicator), meta={"csrf": False})
    pairs = [(field, saved[field.name]) for field in form
             if field.name not in ("csrf_token", "expected_version")]
    return [(str(mine.label.text), _shown(theirs), _shown(mine) != _shown(theirs))
            for mine, theirs in pairs]
