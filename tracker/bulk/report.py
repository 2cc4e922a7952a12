"""What an import found and did: errors by row and column, and one outcome per row."""

from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    """What an import does (or would do) with a row."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowError:
    """A problem with one cell or row; row 0 means the file as a whole, row 1 the header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "File"
        return f"{where}, column {self.column}: {self.message}" if self.column else \
            f"{where}: {self.message}"


@dataclass
class RowOutcome:
    """What happened to one row: created, updated (naming the changed columns) or unchanged."""

    row: int
    code: str
    label: str
    action: Action
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The result of a dry run or a commit."""

    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    saved: bool = False
    warnings: list[RowError] = field(default_factory=list)  # shown, but block nothing

    @property
    def ok(self) -> bool:
        """Was every row valid?"""
        return not self.errors

    def count(self, action: Action) -> int:
        """Count the rows with this outcome."""
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    def summary(self) -> dict[str, int]:
        """Return the number of rows per action."""
        return {action.value: self.count(action) for action in Action}
