"""The charts under the comparison matrix, each with a visible title, a sentence saying what
it shows and an HTML legend (the same colours as the drawing: palette.SERIES_COLOURS for the
cities in order, the heat map's bands), so no chart relies on its SVG alone."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from tracker.charts import palette as pal
from tracker.charts.bars import Group, grouped_bars_figure
from tracker.charts.figure import Figure
from tracker.charts.heatmap import BANDS, heatmap_figure
from tracker.charts.trend import trend_figure
from tracker.compare.matrix import Row
from tracker.compare.scoring import ACHIEVER, ASPIRANT, FRONT_RUNNER, PERFORMER, category_label
from tracker.compare.services import Comparison


@dataclass(frozen=True)
class LegendEntry:
    """One key of a legend: its label and how it is drawn (colour, optional dash)."""

    label: str
    colour: str
    dash: str | None = None


@dataclass(frozen=True)
class ChartView:
    """A chart as the page and the PDF show it: title, description, legend and drawing."""

    key: str  # the figure's id
    title: str
    description: str
    figure: Figure
    legend: list[LegendEntry] = field(default_factory=list)


def series_colour(index: int) -> str:
    """The colour the charts give the index-th city."""
    return pal.SERIES_COLOURS[index % len(pal.SERIES_COLOURS)]


def score_bars(comparison: Comparison) -> ChartView | None:
    """Grouped bars of the indicators' scores, one bar per city (None without scores)."""
    groups = [Group(row.sdg.code, [c.score.value if c.score else None for c in row.cells])
              for row in comparison.rows if any(c.score for c in row.cells)]
    if not groups:
        return None
    title = _("Indicator scores by city")
    names = [c.name for c in comparison.cities]
    return ChartView("chart-bars", title, _(
        "One group of bars per SDG indicator, one bar per city: its score from 0 (the worst "
        "of these cities) to 100 (the best, or the target). A missing bar: no score."),
        grouped_bars_figure(groups, names, prefix="compare-bars", title=title, top=100.0),
        [LegendEntry(name, series_colour(n)) for n, name in enumerate(names)])


def trend_row(comparison: Comparison) -> Row | None:
    """The row whose trend lines are overlaid: the chosen one, else the first of those with
    the most cities with data."""
    rows = [row for row in comparison.rows if row.with_data]
    chosen = comparison.selection.trend
    widest = max(rows, key=lambda row: len(row.with_data), default=None)
    return next((row for row in rows if row.sdg.code == chosen), widest)


def trend(comparison: Comparison) -> ChartView | None:
    """One row's series overlaid: one line per city (the first city's as the main line)."""
    row = trend_row(comparison)
    if row is None:
        return None
    lines = [(c.city.name, c.points) for c in row.with_data]
    title = _("%(code)s over time by city", code=row.sdg.code)
    legend = [LegendEntry(lines[0][0], pal.MAIN_COLOUR)] + [
        LegendEntry(name, series_colour(n), pal.SERIES_DASHES[n % len(pal.SERIES_DASHES)])
        for n, (name, _points) in enumerate(lines[1:])]
    return ChartView("trend", title, _(
        "The values of %(code)s %(title)s, one line per city, by the year each value is "
        "for (a fiscal year by the year it starts in). Each row's Trend link shows that row "
        "here.", code=row.sdg.code, title=row.sdg.title),
        trend_figure(lines[0][1], name=lines[0][0], disaggregations=lines[1:],
                     prefix="compare-trend", title=title), legend)


def band_legend() -> list[LegendEntry]:
    """The heat map's bands with their categories (the default thresholds it is drawn with)."""
    (performer, low_fill, _i1), (front, mid_fill, _i2), (achiever, high_fill, _i3), \
        (_top, top_fill, _i4) = BANDS
    return [LegendEntry(f"{category_label(ASPIRANT)} (< {performer})", low_fill),
            LegendEntry(f"{category_label(PERFORMER)} ({performer}–{front - 1})", mid_fill),
            LegendEntry(f"{category_label(FRONT_RUNNER)} ({front}–{achiever - 1})", high_fill),
            LegendEntry(f"{category_label(ACHIEVER)} ({achiever})", top_fill)]


def heatmap(comparison: Comparison) -> ChartView | None:
    """Goals × ranked cities heat map of the goal scores (None without scores)."""
    shown = [s for s in comparison.standings if s.goals]
    if not shown:
        return None
    goals = comparison.scored_goals
    title = _("Goal scores by city")
    return ChartView("chart-heat", title, _(
        "Each ranked city's goal scores (the mean of its indicator scores in the goal), "
        "coloured by band and written in the tile; a dash: no score. Cities that are not "
        "ranked are left out."),
        heatmap_figure([_("Goal %(n)s", n=g) for g in goals], [s.city.name for s in shown],
                       [[s.goals.get(g) for s in shown] for g in goals],
                       prefix="compare-heat", title=title), band_legend())


def page_charts(comparison: Comparison) -> list[ChartView]:
    """The charts under the matrix, in order (those with something to show)."""
    return [chart for chart in (score_bars(comparison), trend(comparison), heatmap(comparison))
            if chart is not None]
