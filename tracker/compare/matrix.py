"""The comparison matrix (pure: the data is loaded): one row per SDG indicator, one cell per
city holding the city's local indicators aligned to it, and the "not like for like" flags."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from flask_babel import lazy_gettext as _l

from tracker.cities.models import City
from tracker.compare.calendars import calendar_note, cell_calendar
from tracker.compare.queries import SdgRow
from tracker.compare.scoring import Score
from tracker.compare.selection import Selection
from tracker.db import saved_id
from tracker.indicators.models import LocalIndicator
from tracker.indicators.presenters import unit_text
from tracker.progress.services import IndicatorProgress

UNIT, RELATION, YEARS, DRAFTS = "unit", "relation", "years", "drafts"
FLAGS = (UNIT, RELATION, YEARS, DRAFTS)
FLAG_LABELS = {
    UNIT: _l("Different units across the cities"),
    RELATION: _l("A proxy or contextualised alignment, not an identical indicator"),
    YEARS: _l("Data years more than two years apart"),
    DRAFTS: _l("Includes draft or unapproved values"),
}
CALENDAR = "calendar"  # a row note, not a flag: fiscal years beside calendar years
NO_INDICATOR, NO_DATA = "no_indicator", "no_data"
EMPTY_LABELS = {NO_INDICATOR: _l("No indicator aligned"), NO_DATA: _l("No data")}
MAX_YEAR_GAP = 2
RELATION_RANK = {"identical": 0, "contextualised": 1, "proxy": 2}


@dataclass
class Cell:
    """A city's local indicators aligned to one SDG indicator, and what the row shows."""

    city: City
    items: list[tuple[IndicatorProgress, str]]  # (indicator progress, alignment relation)
    points: list[tuple[int, float]] = field(default_factory=list)
    has_drafts: bool = False
    flags: list[str] = field(default_factory=list)
    score: Score | None = None
    excluded: str = ""  # why the cell is left out of scores
    fiscal: bool = False  # the value shown is for a fiscal year, not a calendar year
    period: str = ""  # the value's period as shown: "2022", "2022/23"
    calendar_mixed: bool = False  # its row puts fiscal and calendar years side by side

    @property
    def primary(self) -> IndicatorProgress | None:
        """The indicator the cell shows: the closest alignment with data first."""
        return self.items[0][0] if self.items else None

    @property
    def relation(self) -> str:
        """The alignment of the indicator shown."""
        return self.items[0][1] if self.items else ""

    @property
    def indicator(self) -> LocalIndicator | None:
        """The local indicator shown."""
        return self.primary.indicator if self.primary else None

    @property
    def latest(self) -> tuple[int, float] | None:
        """The value shown: the latest up to the chosen year."""
        return self.points[-1] if self.points else None

    @property
    def shown(self) -> LocalIndicator:
        """The local indicator shown, in a cell known to have one."""
        if not self.items:
            raise LookupError("the cell has no indicator")
        return self.items[0][0].indicator

    @property
    def known(self) -> tuple[int, float]:
        """The value shown, in a cell known to have one."""
        if not self.points:
            raise LookupError("the cell has no value")
        return self.points[-1]

    @property
    def empty(self) -> str:
        """Why the cell shows no value ("" when it shows one)."""
        if not self.items:
            return NO_INDICATOR
        return "" if self.points else NO_DATA

    @property
    def unit_key(self) -> tuple[str, str]:
        """What the values are in, to compare units across a row."""
        ind = self.indicator
        return (ind.unit_kind.value, ind.unit_label.strip().lower()) if ind else ("", "")


@dataclass
class Row:
    """An SDG indicator across the cities."""

    sdg: SdgRow
    cells: list[Cell]
    notes: dict[str, str] = field(default_factory=dict)  # flag → what differs in this row

    @property
    def anchor(self) -> str:
        """The id of the row's explanations (a marker links to it)."""
        return "why-" + self.sdg.code.replace(".", "-")

    @property
    def comparable(self) -> bool:
        """No cell with data is flagged."""
        return not any(cell.flags for cell in self.cells)

    @property
    def with_data(self) -> list[Cell]:
        """The cells that show a value."""
        return [cell for cell in self.cells if cell.latest is not None]


def in_scope(item: IndicatorProgress, code: str, goal: int, sel: Selection) -> bool:
    """Is this alignment of an indicator within the chosen scope?"""
    if sel.plan_kind and not any(link.plan.kind.value == sel.plan_kind
                                 for link in item.data.view.elements):
        return False
    if sel.indicators:
        return code in sel.indicators
    if sel.target:
        return code.startswith(sel.target + ".")
    return sel.goal is None or goal == sel.goal


class CityItems(Protocol):
    """A city and its assessed indicators (tracker.compare.services.CityItems)."""

    city: City
    items: list[IndicatorProgress]


def aligned(progress: Sequence[CityItems], sel: Selection
            ) -> dict[str, dict[int, list[tuple[IndicatorProgress, str]]]]:
    """Group every city's in-scope indicators by the SDG indicator they align to."""
    by_code: dict[str, dict[int, list[tuple[IndicatorProgress, str]]]] = {}
    for city in progress:
        for item in city.items:
            for link in item.data.view.sdg_links:
                if in_scope(item, link.code, link.goal_number, sel):
                    cells = by_code.setdefault(link.code, {})
                    cells.setdefault(saved_id(city.city), []).append(
                        (item, link.link.relation.value))
    return by_code


def shown_points(item: IndicatorProgress, year: int | None) -> list[tuple[int, float]]:
    """The total series up to the chosen year."""
    points = item.years.get("", [])
    return [p for p in points if year is None or p[0] <= year]


def make_cell(city: City, items: list[tuple[IndicatorProgress, str]], sel: Selection,
              unapproved: set[int], split_labels: dict[tuple[int, int], str]) -> Cell:
    """Order a cell's indicators (data first, closest alignment, code) and take its values
    and the calendar of the value shown."""
    items = sorted(items, key=lambda pair: (not shown_points(pair[0], sel.year),
                                            RELATION_RANK.get(pair[1], 3),
                                            pair[0].indicator.code.lower()))
    cell = Cell(city, items)
    if items:
        cell.points = shown_points(items[0][0], sel.year)
        cell.has_drafts = items[0][0].indicator.id in unapproved
    if cell.points:
        cell.fiscal, cell.period = cell_calendar(city, cell.shown, cell.known[0], split_labels)
    return cell


def flag_row(row: Row) -> None:
    """Flag the cells that are not like for like with the rest of their row, and say why."""
    cells = row.with_data
    if not cells:
        return
    units = Counter(cell.unit_key for cell in cells)
    usual = max(units, key=lambda key: (units[key], -next(
        n for n, c in enumerate(cells) if c.unit_key == key)))
    newest = max(cell.known[0] for cell in cells)
    for cell in cells:
        checks = {UNIT: cell.unit_key != usual, RELATION: cell.relation != "identical",
                  YEARS: newest - cell.known[0] > MAX_YEAR_GAP,
                  DRAFTS: cell.has_drafts}
        cell.flags = [flag for flag in FLAGS if checks[flag]]
    row.notes = {flag: note_text(row, flag) for flag in FLAGS
                 if any(flag in cell.flags for cell in cells)}
    flag_calendars(row, cells)


def flag_calendars(row: Row, cells: list[Cell]) -> None:
    """Mark a row that shows fiscal years beside calendar years, and say which: a caveat
    (the values are compared as they are), not a reason to leave them out of scores."""
    if len({cell.fiscal for cell in cells}) < 2:
        return
    for cell in cells:
        cell.calendar_mixed = True
    row.notes[CALENDAR] = calendar_note([(c.city.name, c.fiscal, c.period) for c in cells])


def note_text(row: Row, flag: str) -> str:
    """Say which cities differ in this row, and how."""
    parts = []
    for cell in row.with_data:
        if flag not in cell.flags:
            continue
        if flag == UNIT:
            detail = unit_text(cell.shown) or "—"
        elif flag == RELATION:
            detail = cell.relation
        elif flag == YEARS:
            detail = str(cell.known[0])
        else:
            detail = cell.shown.code
        parts.append(f"{cell.city.name} ({detail})")
    return f"{FLAG_LABELS[flag]}: {', '.join(parts)}"


def build_rows(progress: Sequence[CityItems], sel: Selection, sdg: dict[str, SdgRow],
               unapproved: set[int], split_labels: dict[tuple[int, int], str]) -> list[Row]:
    """Build and flag a row per SDG indicator in scope (those the catalogue knows)."""
    by_code = aligned(progress, sel)
    codes = set(by_code) | set(sel.indicators)
    rows = []
    for code in sorted((c for c in codes if c in sdg), key=lambda c: sdg[c].sort_key):
        cells_of = by_code.get(code, {})
        cells = [make_cell(p.city, cells_of.get(saved_id(p.city), []), sel, unapproved,
                           split_labels) for p in progress]
        row = Row(sdg[code], cells)
        flag_row(row)
        rows.append(row)
    return rows
