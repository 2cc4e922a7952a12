"""The definition form's messages: each validation error placed at its field, and the
whole-definition rules (unit, band, baseline, targets, dimensions) named and linked."""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticError
from wtforms import Form

from tracker.indicators.models import (
    LocalIndicatorBase,
    LocalIndicatorCreate,
    TargetIn,
    check_band,
    check_baseline,
    check_targets,
    check_unit,
)
from tracker.validation import field_errors

ROW_GROUPS = ("targets", "dimensions")


@dataclass
class RuleError:
    """A whole-definition rule that failed, with the field it concerns (to link to)."""

    message: str
    anchor: str | None


@dataclass
class Submission:
    """The values read from the form, and which rows held the targets and dimensions given."""

    values: dict[str, Any]
    target_rows: list[int]
    dimension_rows: list[int]


def sentence(message: str) -> str:
    """Start a validation message with a capital letter and end it with a full stop."""
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def place_errors(form: Form, submission: Submission, error: PydanticError) -> list[RuleError]:
    """Show a message next to its field (a field keeps its first); return the messages of
    rules on the whole definition, for a list at the top linked to the field they concern."""
    rule_errors: list[RuleError] = []
    for loc, messages in field_errors(error).items():
        target = _field_at(form, loc.split(".") if loc else [], submission)
        if target is None:
            name = rule_field(submission.values) if not loc else None
            rule_errors += [RuleError(sentence(m), _anchor(form, name)) for m in messages]
            in_form = name in form and name not in ROW_GROUPS
            target = form[name] if in_form else None
        if target is not None and not target.errors:
            target.errors.append(sentence(messages[0]))
    return rule_errors


def _field_at(form: Form, parts: list[str], submission: Submission) -> Any:
    """Return the form field a pydantic error location points at, if any."""
    if len(parts) >= 3 and parts[0] in ROW_GROUPS and parts[1].isdigit():
        rows = submission.target_rows if parts[0] == "targets" else submission.dimension_rows
        row = form[parts[0]].entries[rows[int(parts[1])]].form
        return row[parts[2]] if parts[2] in row else None
    if len(parts) == 1 and parts[0] in form and parts[0] not in ROW_GROUPS:
        return form[parts[0]]
    return None


def _anchor(form: Form, name: str | None) -> str | None:
    """Return the id of the field or group a message links to."""
    if name in ROW_GROUPS:
        return f"{name}-group"
    return form[name].id if name in form else None


def rule_field(values: dict[str, Any]) -> str | None:
    """Name the field a failed whole-definition rule concerns, by running the rules one by one."""
    base = {k: v for k, v in values.items() if k not in ROW_GROUPS}
    try:
        # Built without the whole-definition rules: they run one by one below.
        ind = LocalIndicatorCreate.model_construct(
            **dict(LocalIndicatorBase.model_validate(base)),
            targets=[TargetIn.model_validate(t) for t in values["targets"]])
    except PydanticError:
        return None
    rules = [(check_unit, lambda: "unit_label"), (check_band, lambda: _band_field(ind)),
             (check_baseline, lambda: "baseline_value" if ind.baseline_year else "baseline_year"),
             (check_targets, lambda: "targets")]
    for check, name in rules:
        try:
            check(ind)
        except ValueError:
            return name()
    return "dimensions"  # the one rule left: two dimensions with the same name


def _band_field(ind: LocalIndicatorBase) -> str:
    """Name the band field a failed band rule concerns."""
    if ind.direction != "band":
        return "direction"
    return "band_high" if ind.band_low is not None and ind.band_high is None else "band_low"
