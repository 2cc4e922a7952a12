"""JSON read API of the comparison of cities: the matrix with its "not like for like" flags,
and the scores (indicator, goal, composite, category, rank).

Routes live on the API blueprint of tracker.api.routes, which imports this module. Anyone may
call it: cities the caller may not read are left out silently, as on the page; `drafts=1`
counts unapproved values only for the cities whose internals the caller may see.
"""

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue

from tracker.api.blueprint import bp
from tracker.api.compare_schemas import ComparisonPublic
from tracker.api.docs import api_doc, query_param
from tracker.auth.access import signed_in_user
from tracker.compare.matrix import Cell, Row
from tracker.compare.scoring import category
from tracker.compare.selection import read_selection
from tracker.compare.services import Comparison, Standing, compare
from tracker.db import get_session, saved_id
from tracker.progress.result import json_number


def cell_json(cell: Cell) -> dict[str, Any]:
    """A city's cell: its indicators, value shown, flags and score with its inputs."""
    ind = cell.indicator
    score = cell.score
    return {
        "city": cell.city.slug, "empty": cell.empty or None,
        "indicators": [{"code": item.indicator.code, "name": item.indicator.name,
                        "relation": relation} for item, relation in cell.items],
        "indicator": ind.code if ind else None, "relation": cell.relation or None,
        "unit_kind": ind.unit_kind.value if ind else None,
        "unit_label": ind.unit_label if ind else None,
        "year": cell.latest[0] if cell.latest else None,
        "value": json_number(cell.latest[1]) if cell.latest else None,
        "status": cell.primary.status if cell.primary else None,
        "series": [[year, json_number(value)] for year, value in cell.points],
        "drafts_included": cell.has_drafts, "flags": cell.flags,
        "score": None if score is None else {
            "value": json_number(score.value), "x": json_number(score.x),
            "min": json_number(score.low), "max": json_number(score.high),
            "target": json_number(score.target), "direction": score.direction,
            "formula": score.formula},
        "excluded": cell.excluded or None}


def row_json(row: Row) -> dict[str, Any]:
    """An SDG indicator's row."""
    sdg = row.sdg
    return {"sdg_indicator": sdg.code, "title": sdg.title, "target": sdg.target_code,
            "goal": sdg.goal_number, "comparable": row.comparable, "notes": row.notes,
            "cells": [cell_json(cell) for cell in row.cells]}


def standing_json(standing: Standing, comparison: Comparison) -> dict[str, Any]:
    """A city's goal scores, composite, category and rank."""
    thresholds = comparison.selection.thresholds
    return {"city": standing.city.slug, "name": standing.city.name,
            "composite": json_number(standing.composite), "category": standing.category,
            "rank": standing.rank,
            "coverage": {"n": standing.coverage.n, "m": standing.coverage.m},
            "goals": [{"goal": goal, "score": json_number(score),
                       "category": category(score, thresholds)}
                      for goal, score in standing.goals.items()]}


def selection_args() -> dict[str, str]:
    """The query parameters, repeated lists joined."""
    args = request.args.to_dict()
    for key in ("cities", "indicators"):
        args[key] = ",".join(request.args.getlist(key))
    return args


@bp.get("/compare")
@api_doc("Cities side by side: the matrix, its like-for-like flags and the scores",
         ComparisonPublic,
         errors=(400,), params=[query_param(name, description) for name, description in (
             ("cities", "City slugs, comma-separated"),
             ("network", "A network slug (its readable cities)"),
             ("goal", "Goal number, e.g. 11"), ("target", "Target, e.g. 11.6"),
             ("indicators", "SDG indicator codes, comma-separated"),
             ("plan_kind", "Only indicators measuring a plan of this kind"),
             ("year", "A year; the latest value when absent"),
             ("drafts", "1 to count unapproved values where the caller may"),
             ("bounds", "cohort (default) or targets"),
             ("strict", "1 to leave proxy alignments out of scores"),
             ("performer", "Lowest Performer score (default 50)"),
             ("front_runner", "Lowest Front Runner score (default 65)"),
             ("achiever", "Lowest Achiever score (default 100)"),
             ("min_indicators", "Scored indicators a city needs to be ranked (default 3)"),
             ("min_share", "Share of the scored indicators, in %, a city needs to be ranked "
                           "(default 50)"))],
         description="Cities the caller may not read are left out silently. Scores follow the "
                     "NITI Aayog SDG Urban Index (0–100 between the cohort's worst and best, "
                     "goal = mean, composite = mean of goals); flagged cells are left out. A "
                     "city is ranked only with scores on at least min_indicators of the "
                     "indicators scored for anyone, and min_share % of them.")
def compare_json() -> ResponseReturnValue:
    """Return the comparison of the readable cities named (or of a network's)."""
    sel = read_selection(selection_args())
    comparison = compare(get_session(), signed_in_user(), sel)
    return {
        "cities": [{"slug": city.slug, "name": city.name,
                    "include_drafts": comparison.drafts[saved_id(city)]}
                   for city in comparison.cities],
        "scope": {"goal": sel.goal, "target": sel.target, "indicators": list(sel.indicators),
                  "plan_kind": sel.plan_kind, "year": sel.year, "bounds": sel.bounds,
                  "strict": sel.strict},
        "thresholds": vars(sel.thresholds).copy(),
        "coverage_rule": vars(comparison.rule).copy(),
        "rows": [row_json(row) for row in comparison.rows],
        "scores": [standing_json(s, comparison) for s in comparison.standings]}
