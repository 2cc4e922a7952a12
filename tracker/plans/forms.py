"""Forms for plans, their elements, reshaping the tree and aligning elements to the SDGs."""

import re
from typing import Any, TypeVar

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from tracker.forms import TrackerForm, choices
from tracker.plans.models import (
    MAX_LEVELS,
    ElementAlignmentCreate,
    Plan,
    PlanCreate,
    PlanElement,
    PlanElementCreate,
    period_label,
)
from tracker.text_rules import whole_number
from tracker.validation import field_errors

KINDS = [("integrated_development_plan", _l("Integrated development plan")),
         ("annual_performance_plan", _l("Annual performance plan / SDBIP")),
         ("sdg_localisation_framework", _l("SDG localisation framework")),
         ("climate_action_plan", _l("Climate action plan")),
         ("voluntary_local_review", _l("Voluntary local review")),
         ("sector_plan", _l("Sector plan")), ("other", _l("Other plan"))]
STATUSES = [("draft", _l("Draft")), ("adopted", _l("Adopted")),
            ("under_review", _l("Under review")), ("superseded", _l("Superseded"))]
RELATIONS = [("direct", _l("Direct")), ("contributes", _l("Contributes")),
             ("proxy", _l("Proxy"))]
LABELS = {"kind": dict(KINDS), "status": dict(STATUSES), "relation": dict(RELATIONS)}
LEVEL_SEPARATORS = re.compile(r"[\n\r›>]+")
TOP_LEVEL = ""

ModelT = TypeVar("ModelT", bound=BaseModel)


def choice_label(name: str, value: Any) -> str:
    """Return the translated label of a kind, status or relation value."""
    raw = getattr(value, "value", value)
    return str(LABELS[name].get(raw, raw))


def tree_text(city: Any = None, plan: Any = None) -> dict[str, Any]:
    """Prepare once per page the words and address prefixes every tree element repeats."""
    # gettext and url_for per element dominated a 500-element page; "%(code)s" is filled later
    text = {"retired": _("retired"), "budget": _("budget %(amount)s"),
            "aligned_to": _("Aligned to:"), "up": _("Move %(code)s up"),
            "down": _("Move %(code)s down"), "add": _("Add %(level)s under %(code)s"),
            "target": _("SDG target"), "indicator": _("SDG indicator"), "primary": _("primary"),
            "relation": {value: str(label) for value, label in RELATIONS},
            "target_url": url_for("catalogue.show_target", code="0")[:-1],
            "indicator_url": url_for("catalogue.show_indicator", code="0")[:-1]}
    if plan is not None:
        text["element_url"] = url_for("plans.show_element", slug=city.slug, plan_id=plan.id,
                                      element_id=0)[:-1]
        text["new_url"] = url_for("plans.new_element", slug=city.slug, plan_id=plan.id)
    return text


def template_helpers() -> dict[str, Any]:
    """Give the plan templates their labels, period formatting and an endpoint check."""
    return {"choice_label": choice_label, "max_levels": MAX_LEVELS, "tree_text": tree_text,
            "parse_levels": parse_level_names,
            "has_endpoint": lambda name: name in current_app.view_functions,
            "period": lambda plan, city: period_label(plan.start_year, plan.end_year,
                                                      city.fiscal_year_start_month)}


def parse_level_names(text: str | None) -> list[str]:
    """Split "Plan › Programme › Project" (or one name per line) into level names."""
    return [name.strip() for name in LEVEL_SEPARATORS.split(text or "") if name.strip()]


def validated(form: FlaskForm, model: type[ModelT], data: dict[str, Any],
              fields: dict[str, str]) -> ModelT | None:
    """Validate data with a Create model; put its messages on the mapped fields ("" = record)."""
    try:
        return model.model_validate(data)
    except PydanticError as error:
        for name, messages in field_errors(error).items():
            field = form._fields.get(fields.get(name, name)) or form._fields[fields[""]]
            field.errors = [*field.errors, *messages]
        return None


def element_choices(plan: Plan, elements: list[PlanElement]) -> list[SelectChoice]:
    """Offer the top level and the given elements, indented by depth, as parents."""
    top = [(TOP_LEVEL, _("Top level (%(level)s)", level=plan.level_name(0)))]
    return choices(top + [(str(e.id), "— " * (e.depth + 1) + f"{e.code} · {e.title}")
                          for e in elements])


def plan_choices(plans: list[Plan], fiscal_year_start_month: int) -> list[SelectChoice]:
    """Offer plans, with their periods, as the parent plan ("—" for none)."""
    return choices([("", "—")] + [
        (str(p.id), f"{p.title} "
                    f"({period_label(p.start_year, p.end_year, fiscal_year_start_month)})")
        for p in plans])


def optional_id(raw: Any) -> int | None:
    """Turn a select's value ("" or "12") into an id."""
    return whole_number(str(raw or ""))


class PlanForm(TrackerForm):
    """A plan's description: kind, title, period, status, source, level names, parent."""

    expected_version = HiddenField()
    kind = SelectField(_l("Kind of plan"), choices=choices(KINDS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=2, max=300)],
                        description=_l("As the plan calls itself, e.g. 2022/23 to 2026/27 "
                                       "Integrated Development Plan."))
    start_year = IntegerField(_l("First year"), validators=[
        DataRequired(), NumberRange(min=1990, max=2100)],
        description=_l("The (fiscal) year the plan starts, e.g. 2022 for 2022/23."))
    end_year = IntegerField(_l("Last year"), validators=[
        DataRequired(), NumberRange(min=1990, max=2100)],
        description=_l("The (fiscal) year the plan ends, e.g. 2026 for 2026/27."))
    adopted_on = DateField(_l("Adopted on"), validators=[Optional()],
                           description=_l("The date council adopted the plan, if it has."))
    status = SelectField(_l("Status"), choices=choices(STATUSES))
    source_url = StringField(_l("Source document"), validators=[Optional(), URL(),
                                                                 Length(max=500)],
                             description=_l("A link to the published plan."))
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    levels = TextAreaField(
        _l("Level names"), validators=[DataRequired()], default="Goal › Target",
        description=_l("How the plan names the levels of its structure, from the top, e.g. "
                       "“Plan › Strategic focus area › Programme › Project”, or one per line."))
    parent_id = SelectField(_l("Part of plan"), coerce=str, description=_l(
        "The plan this one implements, e.g. the IDP of an SDBIP."))

    def to_create(self) -> PlanCreate | None:
        """Return the validated plan, or None with messages on the fields."""
        data = {name: self._fields[name].data for name in (
            "kind", "title", "start_year", "end_year", "adopted_on", "status")}
        data.update(source_url=self.source_url.data or "", description=self.description.data or "",
                    level_names=parse_level_names(self.levels.data),
                    parent_id=optional_id(self.parent_id.data))
        return validated(self, PlanCreate, data, {"": "end_year", "level_names": "levels"})


# Created before ElementForm's fields so that a new element's parent comes first in the form.
PARENT_FIELD = SelectField(_l("Under"), coerce=str, description=_l(
    "The element this one belongs to, or the top level of the plan."))


class ElementForm(TrackerForm):
    """A plan element: its code, title, description, department and budget."""

    expected_version = HiddenField()
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("Unique in the plan, e.g. 1.1.2."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=500)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    department = StringField(_l("Responsible department"), validators=[Length(max=200)])
    budget = DecimalField(_l("Budget"), places=None, validators=[Optional(), NumberRange(min=0)],
                          description=_l("In the city's currency, where known, e.g. 2500000."))

    def to_create(self, parent_id: int | None) -> PlanElementCreate | None:
        """Return the validated element, or None with messages on the fields."""
        data = {name: self._fields[name].data or "" for name in (
            "code", "title", "description", "department")}
        data.update(budget=self.budget.data, parent_id=parent_id)
        return validated(self, PlanElementCreate, data, {"": "code"})


class NewElementForm(ElementForm):
    """A new element and where it goes in the tree."""

    parent_id = PARENT_FIELD


class MoveForm(TrackerForm):
    """Put an element (and everything under it) under another parent."""

    parent_id = SelectField(_l("Move under"), coerce=str)


class ReorderForm(TrackerForm):
    """Move an element up or down among its siblings."""

    direction = SelectField(_l("Direction"), choices=choices(
        [("up", _l("Move up")), ("down", _l("Move down"))]))

    @property
    def offset(self) -> int:
        """Return -1 for up and +1 for down."""
        return -1 if self.direction.data == "up" else 1


class RetireForm(TrackerForm):
    """Retire an element and its sub-elements; the reason goes into the history."""

    reason = StringField(_l("Reason for retiring"), validators=[DataRequired(), Length(max=500)],
                         description=_l("E.g. merged into 1.2 at the 2024/25 review."))


class RestoreForm(TrackerForm):
    """Bring a retired element back."""

    reason = StringField(_l("Reason for restoring"), validators=[Optional(), Length(max=500)])


class AlignmentForm(TrackerForm):
    """Align an element to one SDG target or indicator."""

    target_id = HiddenField()
    sdg_indicator_id = HiddenField()
    q = HiddenField()  # the picker's search, to show the same results after an error
    relation = SelectField(_l("Relation"), choices=choices(RELATIONS), default="contributes")
    is_primary = BooleanField(_l("Primary SDG of this element"))
    rationale = StringField(_l("Rationale"), validators=[Length(max=2000)])

    def to_create(self) -> ElementAlignmentCreate | None:
        """Return the validated alignment, or None with messages on the fields."""
        data = {"target_id": optional_id(self.target_id.data),
                "sdg_indicator_id": optional_id(self.sdg_indicator_id.data),
                "relation": self.relation.data, "is_primary": bool(self.is_primary.data),
                "rationale": self.rationale.data or ""}
        return validated(self, ElementAlignmentCreate, data, {"": "relation"})
