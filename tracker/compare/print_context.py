"""The comparison as the PDF prints it, as plain data (names, labels and figures, no ORM
objects): the cover's facts, the ranking with coverage, the matrix by goal, the row notes and
the charts — every label human ("Substantial progress", "Patiala District"), none a slug."""

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from tracker.charts.palette import PALETTE
from tracker.compare.calendars import period_words
from tracker.compare.chart_views import ChartView, page_charts
from tracker.compare.exports import coverage_text, not_ranked_text
from tracker.compare.matrix import FLAG_LABELS, Cell, Row
from tracker.compare.ranking import Standing
from tracker.compare.scoring import COHORT, category_label
from tracker.compare.selection import Selection
from tracker.compare.services import Comparison
from tracker.compare.views import Units, value_text


@dataclass(frozen=True)
class PrintGoal:
    """A goal's part of the printed matrix: its heading and lines."""

    heading: str
    lines: list[list[str]]


def scope_text(sel: Selection, goals: dict[int, str]) -> str:
    """Say what was compared: a goal, a target, SDG indicators, or every goal."""
    if sel.indicators:
        return str(_("SDG indicators %(codes)s", codes=", ".join(sel.indicators)))
    if sel.target:
        return str(_("Target %(code)s", code=sel.target))
    if sel.goal is not None:
        return str(_("Goal %(n)s: %(title)s", n=sel.goal, title=goals.get(sel.goal, "")))
    return str(_("Every goal"))


def cover_facts(comparison: Comparison) -> list[tuple[str, str]]:
    """The cover's facts: cities, scope, year, bounds and the coverage rule."""
    sel, rule = comparison.selection, comparison.rule
    return [
        (_("Cities compared"), ", ".join(city.name for city in comparison.cities) or "—"),
        (_("Scope"), scope_text(sel, comparison.goals)),
        (_("Values"), _("The latest value") if sel.year is None
         else _("The latest value up to %(year)s", year=sel.year)),
        (_("Score bounds"), _("Best and worst of these cities") if sel.bounds == COHORT
         else _("Each indicator’s target")),
        (_("Coverage rule"), _("Ranked from %(n)s scored indicators and %(share)s %% of the "
                               "scored indicators", n=rule.min_indicators,
                               share=rule.min_share_percent)),
        (_("Unapproved values"), _("Counted where the requester may see them")
         if sel.drafts else _("Not counted"))]


def ranking_line(s: Standing, goals: list[int]) -> list[str]:
    """A city's line of the ranking: rank, name, composite, coverage, category, goals."""
    goal_cells = [f"{s.goals[g]:.1f} ({coverage_text(s.goal_coverage[g])})" if g in s.goals
                  else "—" for g in goals]
    if s.composite is None:
        return ["—", s.city.name, not_ranked_text(s.coverage), coverage_text(s.coverage), "—",
                *goal_cells]
    return [str(s.rank), s.city.name, f"{s.composite:.1f}", coverage_text(s.coverage),
            category_label(s.category), *goal_cells]


def cell_note(cell: Cell) -> str:
    """Why a cell is not like for like or not scored, in words."""
    return str(cell.excluded) or "; ".join(str(FLAG_LABELS[flag]) for flag in cell.flags)


def cell_line(row: Row, cell: Cell, units: Units, first: bool) -> list[str]:
    """A matrix line: the SDG indicator (on its first line), city, indicator and figures."""
    ind = cell.shown
    value = f"{value_text(cell)} {units(ind)}".strip() if cell.latest else _("No data")
    status = PALETTE[cell.primary.status].label if cell.primary and cell.latest \
        and cell.primary.status in PALETTE else ""
    return [row.sdg.code if first else "", cell.city.name, f"{ind.code} {ind.name}", value,
            period_words(cell.fiscal, cell.period) if cell.latest else "—", str(status),
            str(cell.score.rounded) if cell.score else "—", cell_note(cell)]


def matrix_by_goal(comparison: Comparison) -> list[PrintGoal]:
    """The matrix by goal: one line per SDG indicator and city with an indicator aligned."""
    units, out = Units(), []
    for goal, title in comparison.goals.items():
        lines = []
        for row in (r for r in comparison.rows if r.sdg.goal_number == goal):
            cells = [cell for cell in row.cells if cell.items]
            lines += [cell_line(row, cell, units, n == 0) for n, cell in enumerate(cells)]
        out.append(PrintGoal(_("Goal %(n)s: %(title)s", n=goal, title=title), lines))
    return out


def row_notes(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """The rows' explanations (not like for like, fiscal beside calendar years)."""
    return [(f"{row.sdg.code} {row.sdg.title}", list(row.notes.values()))
            for row in comparison.notes]


def print_tables(comparison: Comparison) -> dict[str, Any]:
    """What the PDF prints, as plain data (also what a run's data hash is made of)."""
    goals = comparison.scored_goals
    return {"ranking": [ranking_line(s, goals)
                        for s in comparison.ranking + comparison.unranked],
            "goals": [_("Goal %(n)s", n=g) for g in goals],
            "matrix": [(g.heading, g.lines) for g in matrix_by_goal(comparison)],
            "notes": row_notes(comparison)}


def print_context(comparison: Comparison) -> dict[str, Any]:
    """The PDF's content: cover facts, the tables and the charts."""
    charts: list[ChartView] = page_charts(comparison)
    return {"title": _("Comparison of %(count)s cities", count=len(comparison.cities)),
            "facts": cover_facts(comparison), "charts": charts, **print_tables(comparison)}
