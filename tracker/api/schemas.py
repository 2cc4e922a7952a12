"""The API's response and request models: what each endpoint answers, one model per shape.

The OpenAPI document is generated from these (tracker.api.docs); names ending in "Public"
lose the suffix there ("ObservationPublic" is the component "Observation").
"""

from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema, create_model

from tracker.catalogue.models import IndicatorStatus
from tracker.data.models import MissingReason, ObservationStatus

DecimalText = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?$",
                                   description='An exact decimal written as a string, e.g. '
                                               '"99.94".')]
# A time as datetime.isoformat writes it ("+00:00", as the answers always wrote it, not "Z").
IsoTime = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str,
                                              when_used="json"),
                    WithJsonSchema({"type": "string", "format": "date-time"})]
Breakdown = Annotated[dict[str, str], Field(
    description='Breakdown name → value, e.g. {"sex": "female"}; {} is the total.')]


class ApiModel(BaseModel):
    """A response shape: every field is always present, and no other."""

    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class ErrorPublic(ApiModel):
    """An error answer; a refused input also names its field."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=False)

    error: str
    message: str
    status: int
    field: str = Field("", description="The refused parameter or field, when one is named.")


class PageBase(ApiModel):
    """The totals of a page of items."""

    page: int
    per_page: int
    total: int
    pages: int


@cache
def page_of(model: type[BaseModel]) -> type[PageBase]:
    """The model of a page of these items (one class per item model)."""
    name = model.__name__.removesuffix("Public") + "Page"
    # list[model] is built at run time; type checkers take only written types as a TypeForm.
    items: Any = list.__class_getitem__(model)
    return create_model(name, __base__=PageBase, __doc__=f"A page of {name[:-4]} items.",
                        items=(items, ...))


class GoalPublic(ApiModel):
    """A goal of the SDG framework."""

    code: str
    title: str
    short_title: str
    colour: str


class TargetPublic(ApiModel):
    """A target with its goal's code."""

    code: str
    title: str
    goal: str


class IndicatorPublic(ApiModel):
    """An SDG indicator with its target, goal and the indicator it repeats."""

    code: str
    title: str
    target: str
    goal: str
    tier: str
    custodians: str
    repeat_of: str | None
    status: IndicatorStatus
    note: str


class ObservationPublic(ApiModel):
    """An observation of one of the city's indicators; its value is an exact decimal."""

    id: int
    indicator: str
    year: int = Field(description="The period's first year (a fiscal year's starting year).")
    quarter: int = Field(description="0 for the whole year, else 1–4.")
    span_years: int = Field(description="How many years the period covers (3 for 2017-2019).")
    period: str = Field(description="The period as its source wrote it, else as the "
                        "indicator's calendar names it: 2015, 2023/24, 2024 Q2, 2017-2019.")
    breakdown: Breakdown
    value: DecimalText | None
    missing_reason: MissingReason | None
    comment: str
    source: str
    status: ObservationStatus
    version: int
    follow_up: bool
    warning_note: str
    return_reason: str
    updated_at: IsoTime


class SavedObservations(ApiModel):
    """The observations a request saved."""

    items: list[ObservationPublic]


class ObservationInput(BaseModel):
    """One observation to save."""

    model_config = ConfigDict(extra="forbid")

    indicator: str
    year: int | None = Field(None, description="Required unless period is given.")
    quarter: int = Field(0, ge=0, le=4)
    period: str | None = Field(None, description="The period as written (2015, 2015-16, "
                               "2017-2019, 2024 Q2), instead of year and quarter.")
    breakdown: Breakdown = {}
    value: str | float | None = Field(None, description="An exact decimal; numbers are read "
                                      "from their text, never through binary floating point.")
    missing_reason: MissingReason | None = None
    comment: str = Field("", max_length=2000)
    source: str = Field("", max_length=300)
    expected_version: int | None = Field(None, description="The version the edit began from; "
                                         "null for an empty cell.")
    warning_note: str = Field("", max_length=2000,
                              description="Why a value that drew a warning stands.")
    follow_up: bool = False
    action: Literal["submit"] | None = Field(None, description="Submit the value for review "
                                             "after saving it.")


class ObservationBatch(BaseModel):
    """Several observations to save, all or nothing."""

    model_config = ConfigDict(extra="forbid")

    observations: list[ObservationInput] = Field(max_length=1000)


class CurrentCell(ApiModel):
    """What a cell holds now."""

    value: DecimalText | None
    version: int
    status: ObservationStatus
    missing_reason: MissingReason | None


class ObservationProblem(BaseModel):
    """Why one item of a batch was refused (level, code and current only where they apply)."""

    model_config = ConfigDict(extra="forbid")

    index: int
    field: str = Field(description='"" when about the whole item.')
    message: str
    level: Literal["error", "warning"] = "error"
    code: str = ""
    current: CurrentCell | None = Field(None, description="On 409: what the cell holds now.")


class ObservationRefusal(ErrorPublic):
    """A refused batch: nothing was saved."""

    problems: list[ObservationProblem]


class ReviewInput(BaseModel):
    """The version of the value the caller saw, and a reason where the action needs one."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=2**31 - 1, description="The version of the value the "
                         "caller saw; a value changed since is refused.")
    reason: str = Field("", max_length=2000, description="Required to return or unlock.")


class ReviewConflict(ErrorPublic):
    """The value changed since the caller saw it: what it holds now."""

    current: ObservationPublic


class ReviewRefusal(ErrorPublic):
    """A refused review action."""

    field: str = Field(description='The refused field; "" for the action itself.')
