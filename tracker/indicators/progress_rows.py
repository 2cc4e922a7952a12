"""The progress part of the indicator form: the rule, a status set by hand, and the configured
series as rows (Open SDG progress_calculation_options items: filters and own settings)."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from tracker.forms import TrackerSubform, choices
from tracker.indicators.models import LocalIndicator, ProgressRule
from tracker.progress.options import POSITIVE, read_option
from tracker.progress.result import STATUSES, ProgressInputError

PROGRESS_RULES = [(ProgressRule.HEADLINE.value, _l("The headline series (the total)")),
                  (ProgressRule.MEAN.value, _l("The mean of the total and every breakdown")),
                  (ProgressRule.CONFIGURED.value, _l("The configured series below"))]
MANUAL_STATUSES = [("", _l("None"))] + [(s, s.replace("_", " ").capitalize()) for s in STATUSES]
OPTION_DIRECTIONS = [("", _l("Lower is better (Open SDG’s default)")),
                     ("positive", _l("Higher is better")), ("negative", _l("Lower is better"))]
PAIR = re.compile(r"^\s*([^=]+?)\s*=\s*(.*?)\s*$")
OPTION_PREFIX = re.compile(r"^progress option \d+:? ?")


def year_cell(label: Any) -> IntegerField:
    """An optional year cell."""
    return IntegerField(label, validators=[Optional(), NumberRange(
        min=1900, max=2100, message=_l("Give a year from 1900 to 2100."))])


class ProgressOptionRow(TrackerSubform):
    """A configured series: which rows (Units, Series, breakdowns) and its own settings."""

    unit = StringField(_l("Units"), validators=[Length(max=200)])
    series = StringField(_l("Series"), validators=[Length(max=200)])
    breakdown = StringField(_l("Breakdown"), validators=[Length(max=500)])
    direction = SelectField(_l("Direction"), choices=choices(OPTION_DIRECTIONS), default="")
    base_year = year_cell(_l("Base year"))
    target = StringField(_l("Target"), validators=[Length(max=40)])
    target_year = year_cell(_l("Target year"))
    limit = StringField(_l("Limit"), validators=[Length(max=40)])
    thresholds = StringField(_l("Thresholds"), validators=[Length(max=200)])

    def is_blank(self) -> bool:
        """Was nothing typed in this row?"""
        return not any((f.raw_data or [""])[0].strip() for f in self)

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the cells, then read the row as Open SDG would (messages on the cell)."""
        valid: bool = super().validate(extra_validators)
        if not valid or self.is_blank():
            return valid
        try:
            read_option(option_of(self))
        except ProgressInputError as error:
            message = OPTION_PREFIX.sub("", str(error))  # the row is where the message shows
            self[cell_of(message)].errors.append(message[:1].upper() + message[1:] + ".")
            return False
        return True


def configured_needs_rows(form: Any, field: Any) -> None:
    """Configured series need at least one row."""
    if field.data == ProgressRule.CONFIGURED.value and all(
            entry.form.is_blank() for entry in form.progress_options):
        raise ValidationError(_("Add a configured series below, or choose another rule."))


def cell_of(message: str) -> str:
    """The cell a refused row's message is about."""
    for word, name in (("threshold", "thresholds"), ("target_year", "target_year"),
                       ("base_year", "base_year"), ("target", "target"), ("limit", "limit")):
        if word in message:
            return name
    return "breakdown"


def number_of(text: str | None) -> Any:
    """A typed number as Open SDG's YAML holds it (int when whole); the text if not one."""
    text = (text or "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def pairs_of(text: str | None, keys: tuple[str, str]) -> list[dict[str, Any]]:
    """"Sex=Female; Age=15-24" as [{field: Sex, value: Female}, …] (a part without = stays
    as it is, for read_option to refuse)."""
    found = []
    for part in re.split(r"[;,\n]", text or ""):
        match = PAIR.match(part)
        if match:
            found.append({keys[0]: match[1], keys[1]: match[2]})
        elif part.strip():
            found.append({keys[0]: part.strip()})
    return found


def option_of(row: ProgressOptionRow) -> dict[str, Any]:
    """The Open SDG item a row stands for (only the settings given)."""
    texts = {"unit": row.unit.data, "series": row.series.data, "direction": row.direction.data}
    option: dict[str, Any] = {k: v.strip() for k, v in texts.items() if v and v.strip()}
    if row.breakdown.data and row.breakdown.data.strip():
        option["disaggregation"] = pairs_of(row.breakdown.data, ("field", "value"))
    for name in ("base_year", "target_year"):
        if row[name].data is not None:
            option[name] = row[name].data
    for name in ("target", "limit"):
        if (row[name].data or "").strip():
            option[name] = number_of(row[name].data)
    if (row.thresholds.data or "").strip():
        option["progress_thresholds"] = {p["k"]: number_of(p.get("v"))
                                         for p in pairs_of(row.thresholds.data, ("k", "v"))}
    return option


def progress_values(rule: str | None, manual: bool, status: str | None,
                    rows: list[ProgressOptionRow]) -> dict[str, Any]:
    """The progress settings of a submitted form; configured whenever series are given."""
    options = [option_of(row) for row in rows if not row.is_blank()]
    chosen = ProgressRule.CONFIGURED.value if options else (rule or ProgressRule.HEADLINE.value)
    return {"progress_rule": chosen, "progress_options": options, "auto_progress": not manual,
            "manual_progress_status": status or ""}


def cell_text(option: dict[str, Any], key: str) -> str:
    """A stored setting as a cell shows it ("" when not given)."""
    return "" if option.get(key) is None else str(option[key])


def row_data(option: dict[str, Any]) -> dict[str, Any]:
    """A stored Open SDG item as a form row."""
    thresholds = option.get("progress_thresholds") or {}
    return {"unit": cell_text(option, "unit"), "series": cell_text(option, "series"),
            "breakdown": "; ".join(f"{d.get('field')}={d.get('value')}"
                                   for d in option.get("disaggregation") or []),
            "direction": option.get("direction") if option.get("direction") in (
                POSITIVE, "negative") else "",
            "base_year": option.get("base_year"), "target": cell_text(option, "target"),
            "target_year": option.get("target_year"), "limit": cell_text(option, "limit"),
            "thresholds": ", ".join(f"{k}={v}" for k, v in thresholds.items())
            if isinstance(thresholds, dict) else ""}


def progress_data(indicator: LocalIndicator) -> dict[str, Any]:
    """A saved indicator's progress settings as form data, with blank rows to add series."""
    rows = [row_data(o) for o in indicator.progress_options if isinstance(o, dict)]
    return {"progress_rule": str(indicator.progress_rule),
            "manual_progress": not indicator.auto_progress,
            "manual_progress_status": indicator.manual_progress_status,
            "progress_options": rows + [{}] * max(1, 2 - len(rows))}
