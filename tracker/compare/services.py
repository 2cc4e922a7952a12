"""The comparison: load the readable cities' progress in a fixed number of queries, build the
matrix, and score it (indicator, goal and composite scores, categories and a ranking)."""

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlmodel import Session

from tracker.auth.access import readable_cities_clause
from tracker.auth.models import User
from tracker.cities.models import City
from tracker.compare.loading import load_scoped
from tracker.compare.matrix import FLAG_LABELS, RELATION, Cell, Row, build_rows
from tracker.compare.queries import (
    load_cities,
    load_sdg_rows,
    split_year_labels,
    unapproved_indicator_ids,
)
from tracker.compare.ranking import CoverageRule, Standing, coverage_rule, standings
from tracker.compare.scoring import TARGETS, score_cohort
from tracker.compare.selection import Selection
from tracker.db import saved_id
from tracker.memory import gc_paused
from tracker.progress.queries import IndicatorData
from tracker.progress.services import IndicatorProgress, indicator_progress


@dataclass
class Comparison:
    """Everything the comparison page, the exports and the API show."""

    selection: Selection
    cities: list[City]
    drafts: dict[int, bool]  # by city id: were unapproved values counted?
    rows: list[Row]
    standings: list[Standing]  # in the cities' order
    goals: dict[int, str]  # goal number → short title, of the rows shown
    rule: CoverageRule  # the coverage a city needs to be ranked

    @property
    def ranking(self) -> list[Standing]:
        """The ranked cities (those meeting the coverage rule), best first."""
        ranked = [s for s in self.standings if s.is_ranked]
        return sorted(ranked, key=lambda s: (s.rank or 0, s.city.name.lower()))

    @property
    def unranked(self) -> list[Standing]:
        """The cities below the coverage rule."""
        return [s for s in self.standings if not s.is_ranked]

    @property
    def scored_goals(self) -> list[int]:
        """The goals with a score for at least one city (the ranking's goal columns)."""
        return sorted({goal for s in self.standings for goal, cov in s.goal_coverage.items()
                       if cov.m})

    @property
    def notes(self) -> list[Row]:
        """The rows with "not like for like" explanations."""
        return [row for row in self.rows if row.notes]


@dataclass
class CityItems:
    """A city's in-scope indicators with their statuses."""

    city: City
    items: list[IndicatorProgress]


def load_progress(session: Session, cities: list[tuple[City, bool]], sel: Selection
                  ) -> tuple[list[CityItems], dict[int, bool]]:
    """Read and assess every city's in-scope indicators; drafts count only for cities whose
    internals the viewer may see (two reads then: one with drafts, one without)."""
    drafts = {saved_id(city): sel.drafts and internal for city, internal in cities}
    data: dict[int, list[IndicatorData]] = {}
    for counted in (False, True):
        ids = [city_id for city_id, counts_drafts in drafts.items() if counts_drafts == counted]
        if ids:
            data |= load_scoped(session, ids, sel, counted)
    return ([CityItems(city, [indicator_progress(d) for d in data[saved_id(city)]])
             for city, _i in cities], drafts)


def exclusion(cell: Cell, strict: bool) -> str:
    """Why a cell with a value cannot be scored ("" when it can): different units, years far
    apart and unapproved values always; a proxy alignment only when asked (strict)."""
    hard = [flag for flag in cell.flags if flag != RELATION or strict]
    if hard:
        return str(_("Not like for like (%(why)s): left out of scores.",
                     why=", ".join(str(FLAG_LABELS[flag]).lower() for flag in hard)))
    if cell.shown.direction.value == "band":
        return str(_("A target band has no better direction: not scored."))
    return ""


def target_of(cell: Cell) -> float | None:
    """The indicator's last target, for bounds set by targets."""
    targets = sorted(cell.shown.targets, key=lambda t: t.year)
    return float(targets[-1].value) if targets else None


def score_row(row: Row, bounds: str, strict: bool = False) -> None:
    """Score the row's comparable cells over the cohort's bounds (or the targets)."""
    scored: list[Cell] = []
    for cell in row.with_data:
        cell.excluded = exclusion(cell, strict)
        if not cell.excluded and math.isfinite(cell.known[1]):
            scored.append(cell)
    if len(scored) < 2 and bounds != TARGETS:
        for cell in scored:
            cell.excluded = _("Fewer than two comparable cities: not scored.")
        return
    values = {n: cell.known[1] for n, cell in enumerate(scored)}
    directions = {n: cell.shown.direction.value for n, cell in enumerate(scored)}
    targets = ({n: target_of(cell) for n, cell in enumerate(scored)}
               if bounds == TARGETS else None)
    for n, score in score_cohort(values, directions, targets).items():
        scored[n].score = score


def order_rows(rows: list[Row], sel: Selection) -> list[Row]:
    """Keep comparable rows only when asked; order by a city's scores when asked."""
    if sel.comparable_only:
        rows = [row for row in rows if row.comparable]
    if sel.sort_city is None:
        return rows

    def key(row: Row) -> tuple[bool, float]:
        """Best score of the chosen city first; rows without one last."""
        cell = next((c for c in row.cells if c.city.slug == sel.sort_city), None)
        score = cell.score.value if cell and cell.score else None
        return (score is None, -(score or 0.0))

    return sorted(rows, key=key)


def compare(session: Session, user: User | None, sel: Selection) -> Comparison:
    """Build the comparison of the readable cities of a selection, in fixed queries."""
    with gc_paused():  # thousands of small acyclic objects: see tracker.memory
        return build_comparison(session, user, sel)


def build_comparison(session: Session, user: User | None, sel: Selection) -> Comparison:
    """Read, assess, flag and score the selection (compare, without the collector)."""
    cities = load_cities(session, readable_cities_clause(user), user, sel.cities, sel.network)
    progress, drafts = load_progress(session, cities, sel)
    unapproved = unapproved_indicator_ids(
        session, [city_id for city_id, counted in drafts.items() if counted])
    codes = {link.code for p in progress for item in p.items
             for link in item.data.view.sdg_links} | set(sel.indicators)
    labels = split_year_labels(session, [saved_id(city) for city, _internal in cities])
    rows = build_rows(progress, sel, load_sdg_rows(session, codes), unapproved, labels)
    for row in rows:
        score_row(row, sel.bounds, sel.strict)
    city_list = [city for city, _internal in cities]
    goals = {row.sdg.goal_number: row.sdg.goal_title for row in rows}
    rule = coverage_rule(sel)
    return Comparison(sel, city_list, drafts, order_rows(rows, sel),
                      standings(city_list, rows, sel, rule), dict(sorted(goals.items())), rule)
