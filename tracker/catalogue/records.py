"""Plain records of a framework revision, as read from any source before loading."""

import re
from dataclasses import dataclass, field

INDICATOR_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])\.(\d{1,2})$")
TARGET_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])$")


@dataclass
class GoalRecord:
    """A goal as a source gives it."""

    code: str
    title: str
    short_title: str = ""
    colour: str = ""


@dataclass
class TargetRecord:
    """A target as a source gives it."""

    code: str
    title: str


@dataclass
class IndicatorRecord:
    """An indicator as a source gives it."""

    code: str
    title: str
    tier: str = ""
    custodians: str = ""
    repeat_of: str = ""
    status: str = "active"
    note: str = ""


@dataclass
class RevisionRecord:
    """A whole revision: its metadata and its goals, targets and indicators."""

    key: str
    title: str
    published: str = ""
    source: str = ""
    goals: list[GoalRecord] = field(default_factory=list)
    targets: list[TargetRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)


def _part_key(part: str) -> str:
    """Sort numeric target parts before lettered ones (1.9 < 1.10 < 1.a)."""
    return f"{int(part):03d}" if part.isdigit() else f"x{part}"


def target_sort_key(code: str) -> str:
    """Return a string that sorts target codes in the official order."""
    goal, part = code.split(".")
    return f"{int(goal):02d}.{_part_key(part)}"


def indicator_sort_key(code: str) -> str:
    """Return a string that sorts indicator codes in the official order."""
    goal, part, number = code.split(".")
    return f"{int(goal):02d}.{_part_key(part)}.{int(number):03d}"


def target_code_of(indicator_code: str) -> str:
    """Return the target code an indicator code belongs to ("11.6.2" → "11.6")."""
    return indicator_code.rsplit(".", 1)[0]
