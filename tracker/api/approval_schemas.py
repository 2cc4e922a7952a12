"""Request and response models of bulk approval: the cells a reviewer saw, each with its
version, and what became of them."""

from pydantic import BaseModel, ConfigDict, Field, RootModel

from tracker.api.schemas import ApiModel, ErrorPublic

MAX_CELLS = 10_000


class SeenCell(BaseModel):
    """One value as the reviewer saw it."""

    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1, le=2**31 - 1, description="The observation's id.")
    version: int = Field(ge=1, le=2**31 - 1, description="The version the reviewer saw.")


class BulkApprovalInput(RootModel[list[SeenCell]]):
    """The values to approve, each with the version seen (at most 10 000, no id twice)."""

    root: list[SeenCell] = Field(min_length=1, max_length=MAX_CELLS)


class ApprovedCell(ApiModel):
    """An approved value and its new version."""

    id: int
    version: int


class BulkApprovalPublic(ApiModel):
    """What a bulk approval approved: every value sent, each at its new version."""

    approved: int = Field(description="How many values were approved.")
    items: list[ApprovedCell]


class CellProblemPublic(ApiModel):
    """A value that could not be approved as seen: the version sent and what it is now."""

    id: int
    seen_version: int
    version: int | None = Field(description="Its version now; null when the city has no "
                                            "such value or it was deleted.")
    status: str = Field(description="Its status now: deleted, or empty when there is no "
                                    "such value.")


class BulkApprovalRefusal(ErrorPublic):
    """Nothing was approved: the values that changed since seen (409) or are not submitted
    (422)."""

    problems: list[CellProblemPublic]
