"""Forms for the climate profile, targets, hazards, past events, adaptive capacity, adaptation
goals and actions; each validates through its Create model (messages land on the fields)."""

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.climate.models import (
    ActionKind,
    ActionStatus,
    AdaptationGoalCreate,
    AdaptiveCapacityCreate,
    ClimateActionCreate,
    ClimateProfileCreate,
    HazardCreate,
    MitigationTargetCreate,
    PastHazardEventCreate,
    TargetKind,
)
from tracker.climate.sectors import GASES, SECTOR_NAMES, Sector
from tracker.climate.vocab import (
    ADAPTIVE_CAPACITY_FACTORS,
    AFFECTED_SECTORS,
    VULNERABLE_GROUPS,
    Change,
    Level,
    Timeframe,
    hazard_codes,
    hazard_label,
)
from tracker.forms import TrackerForm, choices
from tracker.plans.forms import optional_id, validated

TARGET_KINDS = [(TargetKind.BASE_YEAR.value, _l("Base year emissions")),
                (TargetKind.FIXED_LEVEL.value, _l("Fixed level")),
                (TargetKind.INTENSITY.value, _l("Base year intensity")),
                (TargetKind.BASELINE_SCENARIO.value, _l("Baseline scenario"))]
LEVELS = [(Level.HIGH.value, _l("High")), (Level.MODERATE.value, _l("Moderate")),
          (Level.LOW.value, _l("Low")), (Level.UNKNOWN.value, _l("Do not know"))]
CHANGES = [(Change.INCREASE.value, _l("Increase")), (Change.DECREASE.value, _l("Decrease")),
           (Change.NO_CHANGE.value, _l("No change")), (Change.UNKNOWN.value, _l("Do not know"))]
TIMEFRAMES = [("", "—"), (Timeframe.IMMEDIATELY.value, _l("Immediately")),
              (Timeframe.SHORT.value, _l("Short term")),
              (Timeframe.MEDIUM.value, _l("Medium term")),
              (Timeframe.LONG.value, _l("Long term"))]
ACTION_KINDS = [(ActionKind.MITIGATION.value, _l("Mitigation")),
                (ActionKind.ADAPTATION.value, _l("Adaptation"))]
ACTION_STATUSES = [(ActionStatus.PLANNED.value, _l("Planned")),
                   (ActionStatus.IN_PROGRESS.value, _l("In progress")),
                   (ActionStatus.COMPLETED.value, _l("Completed"))]
TARGET_SECTORS = [("all", _l("All sectors"))] + [(s.value, SECTOR_NAMES[s]) for s in Sector
                                                 if s != Sector.GENERATION]
CODE_SPLIT = re.compile(r"[\s,;]+")


def humanise(code: str) -> str:
    """Turn a controlled-list code into words: "children_youth" → "Children youth"."""
    return code.replace("_", " ").replace(".", ": ").capitalize()


def vocab_choices(codes: tuple[str, ...]) -> Any:
    """Offer a controlled list."""
    return choices((c, humanise(c)) for c in codes)


def _text(form: FlaskForm, names: tuple[str, ...]) -> dict[str, Any]:
    """Return text fields, blanks as ""."""
    return {n: form._fields[n].data or "" for n in names}


def _plain(form: FlaskForm, names: tuple[str, ...]) -> dict[str, Any]:
    """Return fields as they are (numbers, dates, None)."""
    return {n: form._fields[n].data for n in names}


class ProfileForm(TrackerForm):
    """The city's commitment to the Global Covenant of Mayors."""

    expected_version = HiddenField()
    commitment_date = DateField(_l("Commitment date"), validators=[Optional()], description=_l(
        "The day the city committed; CRF deadlines count from it."))
    cdp_account_number = IntegerField(_l("CDP account number"),
                                      validators=[Optional(), NumberRange(min=1)])
    regional_covenant = StringField(_l("Regional covenant"), validators=[Length(max=200)])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def to_create(self, **_context: Any) -> ClimateProfileCreate | None:
        """Return the validated profile, or None with messages on the fields."""
        data = {**_plain(self, ("commitment_date", "cdp_account_number")),
                **_text(self, ("regional_covenant", "note"))}
        return validated(self, ClimateProfileCreate, data, {"": "commitment_date"})


class TargetForm(TrackerForm):
    """A mitigation target of one of the four CRF types."""

    expected_version = HiddenField()
    kind = SelectField(_l("Type of target"), choices=choices(TARGET_KINDS))
    base_year = IntegerField(_l("Base year"), validators=[Optional()])
    base_year_emissions = DecimalField(_l("Base year emissions (tCO2e)"), places=None,
                                       validators=[Optional()])
    base_year_intensity = DecimalField(_l("Base year intensity"), places=None,
                                       validators=[Optional()])
    intensity_unit = StringField(_l("Intensity unit"), validators=[Length(max=100)])
    target_year = IntegerField(_l("Target year"), validators=[DataRequired()])
    reduction_percent = DecimalField(_l("Reduction (%)"), places=None, validators=[Optional()])
    target_year_emissions = DecimalField(_l("Target year emissions (tCO2e)"), places=None,
                                         validators=[Optional()])
    bau_emissions = DecimalField(_l("Baseline scenario emissions (tCO2e)"), places=None,
                                 validators=[Optional()])
    sectors = SelectMultipleField(_l("Sectors covered"), choices=choices(TARGET_SECTORS),
                                  default=["all"])
    gases = SelectMultipleField(_l("Gases covered"), choices=choices((g, g) for g in GASES),
                                default=["CO2", "CH4", "N2O"])
    boundary = StringField(_l("Boundary"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])

    def to_create(self, **_context: Any) -> MitigationTargetCreate | None:
        """Return the validated target, or None with messages on the fields."""
        data = {**_plain(self, ("kind", "base_year", "base_year_emissions",
                                "base_year_intensity", "target_year", "reduction_percent",
                                "target_year_emissions", "bau_emissions")),
                **_text(self, ("intensity_unit", "boundary", "description")),
                "sectors": list(self.sectors.data or []), "gases": list(self.gases.data or [])}
        return validated(self, MitigationTargetCreate, data, {"": "target_year"})


class HazardForm(TrackerForm):
    """A hazard of the risk and vulnerability assessment, from the fixed typology."""

    expected_version = HiddenField()
    hazard = SelectField(_l("Hazard"), choices=choices((c, hazard_label(c))
                                                       for c in hazard_codes()))
    current_probability = SelectField(_l("Current probability"), choices=choices(LEVELS),
                                      default="unknown")
    current_consequence = SelectField(_l("Current consequence"), choices=choices(LEVELS),
                                      default="unknown")
    future_frequency = SelectField(_l("Expected change in frequency"),
                                   choices=choices(CHANGES), default="unknown")
    future_intensity = SelectField(_l("Expected change in intensity"),
                                   choices=choices(CHANGES), default="unknown")
    timeframe = SelectField(_l("Timeframe"), choices=choices(TIMEFRAMES))
    affected_sectors = SelectMultipleField(_l("Affected sectors"),
                                           choices=vocab_choices(AFFECTED_SECTORS))
    vulnerable_groups = SelectMultipleField(_l("Vulnerable groups"),
                                            choices=vocab_choices(VULNERABLE_GROUPS))
    impact_description = TextAreaField(_l("Impacts"), validators=[Length(max=4000)])

    def to_create(self, **_context: Any) -> HazardCreate | None:
        """Return the validated hazard, or None with messages on the fields."""
        data = {**_plain(self, ("hazard", "current_probability", "current_consequence",
                                "future_frequency", "future_intensity")),
                "timeframe": self.timeframe.data or None,
                "affected_sectors": list(self.affected_sectors.data or []),
                "vulnerable_groups": list(self.vulnerable_groups.data or []),
                "impact_description": self.impact_description.data or ""}
        return validated(self, HazardCreate, data, {"": "hazard"})


class EventForm(TrackerForm):
    """A past event of a hazard."""

    occurred_on = DateField(_l("Date of the event"), validators=[DataRequired()])
    deaths = IntegerField(_l("Deaths"), validators=[Optional(), NumberRange(min=0)])
    people_affected = IntegerField(_l("People affected"),
                                   validators=[Optional(), NumberRange(min=0)])
    economic_loss = DecimalField(_l("Economic loss"), places=None,
                                 validators=[Optional(), NumberRange(min=0)])
    currency = StringField(_l("Currency"), validators=[Length(max=3)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])

    def to_create(self, **_context: Any) -> PastHazardEventCreate | None:
        """Return the validated event, or None with messages on the fields."""
        data = {**_plain(self, ("occurred_on", "deaths", "people_affected", "economic_loss")),
                **_text(self, ("currency", "description"))}
        return validated(self, PastHazardEventCreate, data, {"": "occurred_on"})


class CapacityForm(TrackerForm):
    """One adaptive-capacity factor and its rating."""

    factor = SelectField(_l("Factor"), choices=vocab_choices(ADAPTIVE_CAPACITY_FACTORS))
    rating = SelectField(_l("Rating"), choices=choices(LEVELS))
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])

    def to_create(self, **_context: Any) -> AdaptiveCapacityCreate | None:
        """Return the validated rating, or None with messages on the fields."""
        data = {**_plain(self, ("factor", "rating")), "description": self.description.data or ""}
        return validated(self, AdaptiveCapacityCreate, data, {"": "factor"})


class GoalForm(TrackerForm):
    """An adaptation goal for one of the city's hazards."""

    expected_version = HiddenField()
    hazard_id = SelectField(_l("Hazard"), coerce=str)
    description = TextAreaField(_l("Goal"), validators=[DataRequired(), Length(max=2000)])
    metric = StringField(_l("Metric"), validators=[Length(max=300)])
    base_year = IntegerField(_l("Base year"), validators=[Optional()])
    target_year = IntegerField(_l("Target year"), validators=[Optional()])
    progress_percent = DecimalField(_l("Progress (%)"), places=None, validators=[Optional()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])

    def to_create(self, **_context: Any) -> AdaptationGoalCreate | None:
        """Return the validated goal, or None with messages on the fields."""
        data = {**_plain(self, ("base_year", "target_year", "progress_percent")),
                **_text(self, ("description", "metric", "comment")),
                "hazard_id": optional_id(self.hazard_id.data)}
        return validated(self, AdaptationGoalCreate, data, {"": "target_year"})


class ActionForm(TrackerForm):
    """A mitigation or adaptation action and what it links to."""

    expected_version = HiddenField()
    kind = SelectField(_l("Kind of action"), choices=choices(ACTION_KINDS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    sector = SelectField(_l("Sector"), choices=choices([("", "—")] + [
        (s.value, SECTOR_NAMES[s]) for s in Sector]))
    status = SelectField(_l("Status"), choices=choices(ACTION_STATUSES))
    start_year = IntegerField(_l("Start year"), validators=[Optional()])
    end_year = IntegerField(_l("End year"), validators=[Optional()])
    total_cost = DecimalField(_l("Total cost"), places=None, validators=[Optional()])
    currency = StringField(_l("Currency"), validators=[Length(max=3)])
    funding_source = StringField(_l("Funding source"), validators=[Length(max=300)])
    expected_reduction_tco2e = DecimalField(_l("Expected emission reduction (tCO2e/year)"),
                                            places=None, validators=[Optional()])
    hazard_ids = SelectMultipleField(_l("Hazards addressed"), coerce=str)
    element_ids = SelectMultipleField(_l("Plan elements"), coerce=str, description=_l(
        "The elements of the city's plans that carry this action."))
    sdg_targets = StringField(_l("SDG targets"), description=_l(
        "Target codes separated by commas, e.g. 13.2, 11.b, 7.2."))

    def target_codes(self) -> list[str]:
        """Return the SDG target codes typed, each once."""
        return list(dict.fromkeys(c for c in CODE_SPLIT.split(self.sdg_targets.data or "") if c))

    def to_create(self, *, sdg_target_ids: list[int], **_context: Any
                  ) -> ClimateActionCreate | None:
        """Return the validated action, or None with messages on the fields."""
        data = {**_plain(self, ("kind", "status", "start_year", "end_year", "total_cost",
                                "expected_reduction_tco2e")),
                **_text(self, ("title", "description", "sector", "currency",
                               "funding_source")),
                "hazard_ids": [int(h) for h in self.hazard_ids.data or []],
                "element_ids": [int(e) for e in self.element_ids.data or []],
                "sdg_target_ids": sdg_target_ids}
        return validated(self, ClimateActionCreate, data, {"": "kind"})


class ConfirmPopulationForm(TrackerForm):
    """Accept an imported population flagged as implausible (the version guards a stale page)."""

    expected_version = HiddenField()
