"""The inventory form: header fields (WTForms) and the CRF table of cells read from the post.

The table has up to 72 cells of three inputs each, so its cells are read straight from the
posted form by name ("cell-<row>-<scope>-value|key|note") rather than through a FieldList;
the header keeps WTForms (and its CSRF token).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError as PydanticError
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.climate.models import Boundary, CellIn, Gwp, InventoryCreate, InventoryStatus
from tracker.climate.sectors import GASES, ROWS, NotationKey, Sector, cell_label
from tracker.climate.totals import InventoryTotals, compute_totals
from tracker.forms import TrackerForm, choices
from tracker.validation import field_errors

Key = tuple[str, int]
BOUNDARIES = [(Boundary.SAME.value, _l("Same as the administrative boundary")),
              (Boundary.SMALLER.value, _l("Smaller than the administrative boundary")),
              (Boundary.LARGER.value, _l("Larger than the administrative boundary")),
              (Boundary.OTHER.value, _l("Other"))]
GWPS = [(g.value, g.value if g != Gwp.OTHER else _l("Other")) for g in Gwp]
STATUSES = [(InventoryStatus.DRAFT.value, _l("Draft")),
            (InventoryStatus.FINAL.value, _l("Final")),
            (InventoryStatus.VERIFIED.value, _l("Verified"))]
SPACES = re.compile(r"[\s\u00a0\u202f]+")  # thousands spaces, typed or pasted
HEADER_FIELDS = ("year", "period_start", "period_end", "boundary", "boundary_note", "protocol",
                 "gwp", "gwp_note", "gases", "population", "population_year", "status",
                 "source", "comment")


class InventoryForm(TrackerForm):
    """The header of a GHG inventory: year, accounting period, boundary, method, gases."""

    expected_version = HiddenField()
    year = IntegerField(_l("Inventory year"), validators=[DataRequired(),
                                                          NumberRange(min=1990, max=2100)])
    period_start = DateField(_l("Accounting period starts"), validators=[DataRequired()])
    period_end = DateField(_l("Accounting period ends"), validators=[DataRequired()],
                           description=_l("Twelve continuous months; fiscal years allowed."))
    boundary = SelectField(_l("Inventory boundary"), choices=choices(BOUNDARIES))
    boundary_note = StringField(_l("Boundary note"), validators=[Length(max=1000)])
    protocol = StringField(_l("Protocol"), default="GPC", validators=[Length(max=200)])
    gwp = SelectField(_l("Global warming potentials"), choices=choices(GWPS), default="AR5")
    gwp_note = StringField(_l("GWP note"), validators=[Length(max=500)])
    gases = SelectMultipleField(_l("Gases covered"), choices=choices((g, g) for g in GASES),
                                default=["CO2", "CH4", "N2O"])
    population = IntegerField(_l("Population"), validators=[Optional(), NumberRange(min=1)],
                              description=_l("For per-capita figures."))
    population_year = IntegerField(_l("Population year"), validators=[
        Optional(), NumberRange(min=1800, max=2200)])
    status = SelectField(_l("Status"), choices=choices(STATUSES))
    source = StringField(_l("Source"), validators=[Length(max=300)])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=4000)])

    def header(self) -> dict[str, Any]:
        """Return the header fields as the Create model takes them."""
        data = {name: self._fields[name].data for name in HEADER_FIELDS}
        for name in ("boundary_note", "protocol", "gwp_note", "source", "comment"):
            data[name] = data[name] or ""
        data["gases"] = list(data["gases"] or [])
        return data


@dataclass
class TypedCell:
    """One cell as typed: kept verbatim so a refused form shows exactly what was entered."""

    value: str = ""
    key: str = ""
    note: str = ""

    @property
    def blank(self) -> bool:
        """Is nothing entered in the cell?"""
        return not (self.value.strip() or self.key or self.note.strip())


@dataclass
class CellTable:
    """The CRF table of a form: typed cells, their messages and the cells that passed."""

    typed: dict[Key, TypedCell] = field(default_factory=dict)
    errors: dict[Key, list[str]] = field(default_factory=dict)
    cells: list[CellIn] = field(default_factory=list)

    def totals(self) -> InventoryTotals:
        """Return the totals of the cells that passed (shown beside a refused form too)."""
        return compute_totals(self.cells)

    def messages(self) -> list[str]:
        """Return every cell message, in table order."""
        return [m for row in ROWS for s in sorted(row.scopes) for m in self.errors.get(
            (row.code, s), [])]


def field_name(row_code: str, scope: int, part: str) -> str:
    """Name one input of a cell: "cell-se.residential-1-value"."""
    return f"cell-{row_code}-{scope}-{part}"


def _symbols() -> tuple[str, str]:
    """Return the current locale's thousands separator and decimal sign ("," and "." in
    English, a narrow space and "," in French)."""
    locale = get_locale() or Locale.parse("en")
    return get_group_symbol(locale), get_decimal_symbol(locale)


def _ungroup(text: str, group: str, point: str) -> str | None:
    """Write a number typed with the locale's separators in plain notation; None when its
    thousands separators are not every three digits of the whole part ("1,5" is no number
    in English, rather than 15)."""
    whole, has_point, fraction = text.partition(point)
    if group and group in whole:
        if not re.fullmatch(rf"[+-]?\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", whole):
            return None
        whole = whole.replace(group, "")
    return whole + ("." + fraction if has_point else "")


def parse_number(text: str) -> Decimal | None:
    """Read a number typed with or without the locale's thousands separators (or spaces):
    "1,150,000" and "1150000.5" in English; None when it is not one."""
    group, point = _symbols()
    cleaned = SPACES.sub("", text.strip())
    plain = _ungroup(cleaned, "" if SPACES.fullmatch(group) else group, point)
    try:
        number = Decimal(plain) if plain is not None else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() else None


def number_hint() -> str:
    """Show the accepted way to write a large number in the current locale."""
    locale = get_locale() or Locale.parse("en")
    return str(_("Write it as %(grouped)s or %(plain)s.",
                 grouped=format_decimal(Decimal("1150000.5"), locale=locale),
                 plain=format_decimal(Decimal("1150000.5"), locale=locale,
                                      group_separator=False)))


def read_cell(key: Key, typed: TypedCell) -> tuple[CellIn | None, list[str]]:
    """Validate one typed cell with the CRF rules; return it or its messages."""
    where = cell_label(*key)
    value = parse_number(typed.value) if typed.value.strip() else None
    if typed.value.strip() and value is None:
        return None, [_("%(cell)s: “%(text)s” is not a number.", cell=where, text=typed.value)
                      + " " + number_hint()]
    if typed.key and typed.key not in NotationKey.__members__:
        return None, [_("%(cell)s: unknown notation key.", cell=where)]
    try:
        return CellIn(row_code=key[0], scope=key[1], value=value,
                      notation_key=NotationKey(typed.key) if typed.key else None,
                      explanation=typed.note.strip()), []
    except PydanticError as error:
        return None, [m for msgs in field_errors(error).values() for m in msgs]


def read_table(posted: MultiDict[str, str]) -> CellTable:
    """Read and check every cell of the CRF table from a posted form."""
    table = CellTable()
    for row in ROWS:
        for scope in sorted(row.scopes):
            key = (row.code, scope)
            typed = TypedCell(*(posted.get(field_name(row.code, scope, part), "")
                                for part in ("value", "key", "note")))
            table.typed[key] = typed
            if typed.blank:
                continue
            cell, messages = read_cell(key, typed)
            if cell is None:
                table.errors[key] = messages
            else:
                table.cells.append(cell)
    return table


def table_of(cells: list[Any]) -> CellTable:
    """Show stored cells in the form."""
    table = CellTable()
    for cell in cells:
        value = format(cell.value, "f") if cell.value is not None else ""
        key = str(cell.notation_key.value) if cell.notation_key else ""
        table.typed[(cell.row_code, cell.scope)] = TypedCell(value, key, cell.explanation)
    table.cells = [CellIn(row_code=c.row_code, scope=c.scope, value=c.value) for c in cells
                   if c.value is not None]
    return table


def to_inventory(form: InventoryForm, table: CellTable) -> InventoryCreate | None:
    """Return the validated inventory, or None with messages on the form and the table."""
    if not form.validate() or table.errors:
        return None
    try:
        return InventoryCreate.model_validate({**form.header(), "cells": table.cells})
    except PydanticError as error:
        for name, messages in field_errors(error).items():
            target = form._fields.get(name) or form.period_end
            target.errors = [*target.errors, *messages]
        return None


def sectors_in_order() -> list[tuple[Sector, list[Any]]]:
    """Return each sector with its rows, in the CRF table's order."""
    grouped: dict[Sector, list[Any]] = {}
    for row in ROWS:
        grouped.setdefault(row.sector, []).append(row)
    return list(grouped.items())
