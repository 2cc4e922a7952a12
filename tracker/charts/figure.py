"""A chart's SVG bundled with the data table that templates render beside it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup


@dataclass(frozen=True)
class DataTable:
    """The numbers behind a chart, as text cells for an accessible HTML table."""

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    notes: Sequence[tuple[str, str]] = field(default_factory=tuple)


@dataclass(frozen=True)
class Figure:
    """An SVG chart plus its data table; `charts.html` macros render both."""

    svg: Markup
    table: DataTable


def cell(value: float | Decimal | int | None) -> str:
    """Format a value for a data table exactly (no compacting); None becomes an en dash."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    elif isinstance(value, float):
        text = repr(round(value, 10))
        text = text[:-2] if text.endswith(".0") else text
    else:
        text = str(value)
    return "0" if text == "-0" else text
