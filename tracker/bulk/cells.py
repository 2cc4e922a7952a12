"""Columns, the header check and the cell readers shared by the two bulk sheets."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError

from tracker.bulk.formats import Table
from tracker.bulk.report import RowError
from tracker.db import normalise_decimal
from tracker.text_rules import bad_character

# Decimals are stored as NUMERIC(28, 10): at most 18 digits before the point and 10 after.
MAX_PLACES = 10
MAX_WHOLE_DIGITS = 18
# Single-line names and codes: no line breaks or bidi controls either (see text_rules).
NAME_COLUMNS = {"code", "parent_code", "name", "title", "unit_label"}
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class Column:
    """A sheet column: whether a row must fill it, its format and its meaning (for Help)."""

    name: str
    required: bool
    format: Any  # lazy strings: translated when the Help sheet is written
    meaning: Any


class CellError(ValueError):
    """A cell's text is not a value of the column's kind."""


def help_rows(columns: Sequence[Column]) -> list[list[str]]:
    """Return the Help sheet: one row per column."""
    rows = [[_("Column"), _("Required"), _("Format and allowed values"), _("Meaning")]]
    return rows + [[c.name, _("yes") if c.required else _("no"), str(c.format), str(c.meaning)]
                   for c in columns]


def check_header(table: Table, columns: Sequence[Column]) -> list[RowError]:
    """Every column is present once; no unknown columns (they would be silently lost)."""
    names = [c.name for c in columns]
    errors = [RowError(1, name, _("This column is missing; start from the template."))
              for name in names if name not in table.header]
    seen: set[str] = set()
    for index, name in enumerate(table.header, start=1):
        if name in seen:
            errors.append(RowError(1, name, _("This column appears twice.")))
        elif name and name not in names:
            errors.append(RowError(1, name, _("Unknown column; the columns are: %(names)s.",
                                              names=", ".join(names))))
        elif not name and any(index <= len(cells) and cells[index - 1]
                              for _n, cells in table.rows):
            errors.append(RowError(1, f"#{index}", _("Values in a column without a name.")))
        seen.add(name)
    return errors


def parse_decimal(text: str) -> Decimal | None:
    """Read a number with a decimal point (blank is no value)."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or "," in text:
        raise CellError(_("'%(text)s' is not a number; use a point for decimals and no "
                          "thousands separators.", text=text))
    exponent = int(value.normalize().as_tuple().exponent)
    if -exponent > MAX_PLACES:
        raise CellError(_("'%(text)s' has more than %(n)d decimal places.", text=text,
                          n=MAX_PLACES))
    if value.adjusted() >= MAX_WHOLE_DIGITS:
        raise CellError(_("'%(text)s' is too large.", text=text))
    return normalise_decimal(value)


def parse_int(text: str) -> int | None:
    """Read a whole number, such as a year (blank is no value)."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise CellError(_("'%(text)s' is not a whole number.", text=text))
    return int(value)


def parse_bool(text: str) -> bool | None:
    """Read yes or no (also y/n, true/false, 1/0); blank is no value."""
    if not text:
        return None
    word = text.lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise CellError(_("'%(text)s' is neither yes nor no.", text=text))
    return word in TRUE_WORDS


def split_items(text: str, separator: str = ";") -> list[str]:
    """Split a list cell into its non-blank items."""
    return [item.strip() for item in text.split(separator) if item.strip()]


def format_decimal(value: Decimal | None) -> str:
    """Write a number in plain notation without trailing zeros (blank for none)."""
    return "" if value is None else format(normalise_decimal(Decimal(value)), "f")


def format_int(value: int | None) -> str:
    """Write a whole number (blank for none)."""
    return "" if value is None else str(value)


@dataclass
class RowReader:
    """Read one row's cells by column name, collecting every error instead of stopping."""

    number: int
    cells: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def text(self, column: str) -> str:
        """Return the cell's text."""
        return self.cells.get(column, "")

    def error(self, column: str, message: str) -> None:
        """Note a problem with a cell of this row."""
        self.errors.append(RowError(self.number, column, message))

    def read(self, column: str, parse: Any) -> Any:
        """Parse a cell; on a bad value note the error and return None."""
        try:
            return parse(self.text(column))
        except CellError as error:
            self.error(column, str(error))
            return None

    def model_errors(self, error: ValidationError, column_of: dict[str, str]) -> list[str]:
        """Note a model's field errors under their columns; return its whole-record messages."""
        flagged = {e.column for e in self.errors}  # a cell already reported is not re-reported
        whole = []
        for item in error.errors():
            message = str(item["msg"]).removeprefix("Value error, ")
            if not item["loc"]:
                whole.append(message)
            elif (column := column_of.get(str(item["loc"][0]), str(item["loc"][0]))) \
                    not in flagged:
                self.error(column, message)
        return whole


def character_error(text: str, name: bool) -> str | None:
    """Say why a cell's text cannot be stored (a control character), or None."""
    if (char := bad_character(text, name=name)) is None:
        return None
    if name:
        message: str = _("Remove the character %(char)s: a name or a code holds no control "
                         "characters, line breaks or text-direction controls.", char=char)
        return message
    message = _("Remove the control character %(char)s; it cannot be stored.", char=char)
    return message


def check_characters(reader: RowReader, names: set[str] = NAME_COLUMNS) -> None:
    """Note each cell of the row that holds a character no record may store."""
    for column, text in reader.cells.items():
        if message := character_error(text, column in names):
            reader.error(column, message)


def row_readers(table: Table, columns: Sequence[Column]) -> list[RowReader]:
    """Map each row's cells to column names; cells beyond the header are errors."""
    readers = []
    for number, cells in table.rows:
        named = {name: cells[i] if i < len(cells) else ""
                 for i, name in enumerate(table.header) if name}
        reader = RowReader(number, named)
        check_characters(reader)
        for index in range(len(table.header), len(cells)):
            if cells[index]:
                reader.error(f"#{index + 1}", _("A value beyond the last named column."))
        for column in columns:
            if column.required and not reader.text(column.name):
                reader.error(column.name, _("This cell must be filled."))
        readers.append(reader)
    return readers


def duplicate_errors(readers: Sequence[RowReader], column: str) -> list[RowError]:
    """Refuse a code given on two rows (codes are compared whatever their case)."""
    first: dict[str, int] = {}
    errors = []
    for reader in readers:
        code = reader.text(column)
        if not code:
            continue
        if code.lower() in first:
            errors.append(RowError(reader.number, column, _(
                "%(code)s appears again; it is first on row %(row)d.", code=code,
                row=first[code.lower()])))
        else:
            first[code.lower()] = reader.number
    return errors
