"""What the comparison's CSV, XLSX and PDF exports hold: the matrix one line per SDG indicator
and city, the scores with their coverage, and the file names they are offered under."""

from flask_babel import gettext as _

from tracker.compare.calendars import period_words
from tracker.compare.ranking import Coverage, Standing
from tracker.compare.scoring import category, category_label
from tracker.compare.services import Comparison
from tracker.compare.views import value_text
from tracker.indicators.presenters import unit_text


def coverage_text(coverage: Coverage) -> str:
    """Say a coverage: "4 of 5 indicators"."""
    return str(_("%(n)s of %(m)s indicators", n=coverage.n, m=coverage.m))


def not_ranked_text(coverage: Coverage) -> str:
    """Say why a city has no rank: "Not ranked — coverage 1 of 4"."""
    return str(_("Not ranked — coverage %(n)s of %(m)s", n=coverage.n, m=coverage.m))


EXPORT_HEADER = ["goal", "target", "sdg_indicator", "sdg_title", "city", "local_indicator",
                 "local_name", "relation", "year", "value", "unit", "status", "flags",
                 "score", "score_inputs", "left_out_of_scores", "empty", "city_name",
                 "period", "calendar_note", "coverage"]


def export_rows(comparison: Comparison) -> list[list[str]]:
    """The matrix, one line per row and city (the coverage column is the scores' own)."""
    out = []
    for row in comparison.rows:
        calendar = row.notes.get("calendar", "")
        for c in row.cells:
            ind = c.indicator
            out.append([str(row.sdg.goal_number), row.sdg.target_code, row.sdg.code,
                        row.sdg.title, c.city.slug, ind.code if ind else "",
                        ind.name if ind else "", c.relation,
                        str(c.latest[0]) if c.latest else "", value_text(c),
                        unit_text(ind) if ind else "", c.primary.status if c.primary else "",
                        ",".join(c.flags), f"{c.score.value:.2f}" if c.score else "",
                        c.score.formula if c.score else "", c.excluded, c.empty,
                        c.city.name, period_words(c.fiscal, c.period) if c.latest else "",
                        calendar if c.calendar_mixed else "", ""])
    return out


SCORE_HEADER = ["city", "goal", "score", "category", "rank", "coverage", "city_name"]


def standing_rows(s: Standing, comparison: Comparison) -> list[list[str]]:
    """A city's goal scores, then its composite (or why it is not ranked), with coverage."""
    thresholds = comparison.selection.thresholds
    out = [[s.city.slug, str(goal), f"{score:.2f}",
            category_label(category(score, thresholds)), "",
            coverage_text(s.goal_coverage[goal]), s.city.name]
           for goal, score in s.goals.items()]
    if s.composite is None:
        return out + [[s.city.slug, "composite", "", not_ranked_text(s.coverage), "",
                       coverage_text(s.coverage), s.city.name]]
    return out + [[s.city.slug, "composite", f"{s.composite:.2f}", category_label(s.category),
                   str(s.rank), coverage_text(s.coverage), s.city.name]]


def score_rows(comparison: Comparison) -> list[list[str]]:
    """Each city's goal scores and composite score with category, rank and coverage."""
    return [line for s in comparison.standings for line in standing_rows(s, comparison)]


def summary_rows(comparison: Comparison) -> list[list[str]]:
    """The scores as lines of the matrix export: goal "all" holds the composite."""
    blank = [""] * len(EXPORT_HEADER)
    out = []
    for city, goal, score, label, rank, coverage, name in score_rows(comparison):
        line = list(blank)
        line[0] = "all" if goal == "composite" else goal
        line[4], line[13], line[17], line[20] = city, score, name, coverage
        line[14] = " ".join(filter(None, [label, f"rank {rank}" if rank else ""])) if score \
            else ""
        line[15] = "" if score else label
        out.append(line)
    return out
