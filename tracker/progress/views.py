"""What the progress pages show, shaped from a CityProgress: goal colours, charts, the why
panel's figures, plan trees and the network grid (no request handling here)."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlmodel import Session, col

from tracker.catalogue.models import Goal, Target
from tracker.charts import (
    PALETTE,
    Figure,
    Series,
    goal_strip_figure,
    render_sparkline,
    trend_figure,
)
from tracker.plans.queries import ElementNode, code_key
from tracker.progress.presenters import (
    breakdown_label,
    decimal_text,
    number_text,
    percent,
    year_text,
)
from tracker.progress.result import CAGR, LINEAR, NOT_AVAILABLE, SeriesResult, target_for_shares
from tracker.progress.rule_views import error_text
from tracker.progress.services import (
    CityProgress,
    IndicatorProgress,
    Rollup,
)

GOALS = range(1, 18)
# The engine explains itself in English; these are the texts a reader sees instead.
ENGINE_TEXTS = {
    "no data": _l("There are no counted values."),
    "fewer than two data points from the base year on":
        _l("Fewer than two values from the base year on: a trend needs at least two."),
    "no data from the base year on": _l("No value from the base year on."),
    "the target year is the base year": _l("The target year is the base year."),
    "the base and latest values are on opposite sides of zero":
        _l("The base and latest values are on opposite sides of zero."),
    "the base and target values are on opposite sides of zero":
        _l("The base and target values are on opposite sides of zero."),
    "linear rate: a value at zero or the series crosses zero":
        _l("A linear rate was used instead of CAGR: a value is zero or the series crosses "
           "zero, where CAGR gives no answer."),
    "base value 0 replaced by 0.001": _l("A base value of 0 was replaced by 0.001 (Open SDG)."),
    "target 0 replaced by 0.001": _l("A target of 0 was replaced by 0.001 (Open SDG)."),
    "limit ignored: a target is given": _l("The natural limit is ignored: a target is given."),
    "the base value is already beyond the limit":
        _l("The base value is already beyond the natural limit."),
}


def engine_text(text: str) -> str:
    """Return the reader's wording of an engine reason or note (the raw text if unknown)."""
    if text.startswith("no data from ") and text.endswith(" on"):
        return str(_("No value from %(year)s on.", year=text[13:-3]))
    known = ENGINE_TEXTS.get(text)
    return str(known) if known is not None else text


@dataclass
class GoalInfo:
    """A goal's number, titles and official colour."""

    number: int
    code: str
    title: str
    short_title: str
    colour: str


def load_goals(session: Session) -> dict[int, GoalInfo]:
    """Return the 17 goals by number, in one query."""
    query = select(col(Goal.number), col(Goal.code), col(Goal.title), col(Goal.short_title),
                   col(Goal.colour))
    return {row[0]: GoalInfo(*row) for row in session.execute(query)}


def load_targets(session: Session, goal: int) -> dict[str, str]:
    """Return a goal's SDG target titles by code, in one query."""
    query = (select(col(Target.code), col(Target.title))
             .join(Goal, col(Goal.id) == Target.goal_id)
             .where(col(Goal.number) == goal).order_by(col(Target.sort_key)))
    return dict(session.execute(query).all())


def goal_statuses(progress: CityProgress) -> dict[int, str | None]:
    """Each goal's roll-up status; None (not assessed) when no indicator is aligned to it."""
    return {g: progress.goals[g].status if g in progress.goals else None for g in GOALS}


def goal_strip(progress: CityProgress, goals: dict[int, GoalInfo], drafts: bool) -> Figure:
    """The 17-goal strip of a city, each tile linking to the city's goal page."""
    city = progress.city
    return goal_strip_figure(
        goal_statuses(progress), {n: g.colour for n, g in goals.items()}, prefix="goal-strip",
        title=_("Progress of %(city)s on the 17 goals", city=city.name),
        titles={n: g.title for n, g in goals.items()},
        hrefs={n: url_for("progress.show_goal", slug=city.slug, number=n,
                          drafts=1 if drafts else None) for n in goals})


def goal_items(progress: CityProgress, goal: int) -> list[IndicatorProgress]:
    """The indicators aligned to a goal."""
    rollup = progress.goals.get(goal)
    return rollup.items if rollup else []


def goal_targets(progress: CityProgress, goal: int) -> list[Rollup]:
    """The roll-ups of a goal's SDG targets, in target order."""
    prefix = f"{goal}."
    found = [r for key, r in progress.targets.items() if key.startswith(prefix)]
    return sorted(found, key=lambda r: code_key(r.key))



def shown_target(result: SeriesResult) -> float | None:
    """The target as defined (Open SDG's 0 → 0.001 substitution is for the arithmetic only)."""
    return target_for_shares(result)



def latest_point(item: IndicatorProgress) -> tuple[int, float] | None:
    """The latest value of the total series."""
    points = item.main_points
    return points[-1] if points else None


def spark(item: IndicatorProgress, prefix: str) -> Markup:
    """The sparkline of an indicator's total series (its SVG title and description say the
    values; the table row beside it has the latest value, so no data table is built)."""
    return render_sparkline(item.main_points, prefix=prefix,
                            title=f"{item.indicator.code} {item.indicator.name}")


def status_labels() -> dict[str, str]:
    """Every status label, translated once per page (not once per badge)."""
    return {key: str(style.label) for key, style in PALETTE.items()}


@dataclass
class IndicatorRow:
    """A line of an indicator table, its texts prepared (pages list hundreds)."""

    item: IndicatorProgress
    url: str
    latest: str
    latest_year: str
    target: str
    target_year: str
    reason: str
    spark: Markup


def indicator_rows(items: Iterable[IndicatorProgress], city_slug: str, fiscal_start: int,
                   drafts: bool) -> list[IndicatorRow]:
    """Prepare the lines of an indicator table: why-page link, latest, target, sparkline."""
    rows = []
    for item in items:
        latest, result = latest_point(item), item.total
        target = shown_target(result) if result is not None else None
        target_year = result.target_year if result is not None else None
        rows.append(IndicatorRow(
            item, url_for("progress.show_indicator", slug=city_slug, code=item.indicator.code,
                          drafts=1 if drafts else None),
            number_text(latest[1]) if latest else "—",
            year_text(latest[0], fiscal_start) if latest else "",
            number_text(target) if target is not None else "—",
            year_text(target_year, fiscal_start) if target is not None else "",
            not_available_text(item),
            spark(item, f"spark-{item.indicator.id}")))
    return rows



def not_available_text(item: IndicatorProgress) -> str:
    """Why an indicator has no status: the rule's refusal, else its main series' reason."""
    if item.status != NOT_AVAILABLE:
        return ""
    if item.result.error:
        return error_text(item.result.error)
    return engine_text(item.total.reason) if item.total else ""


def projection(result: SeriesResult | None) -> tuple[int, float] | None:
    """The value at the target year if the observed rate goes on (None when it cannot be
    drawn: no rate, no target ahead)."""
    if result is None or result.actual_growth is None or result.latest_value is None:
        return None
    if result.target is None:  # the default target year alone is no place to project to
        return None
    if result.target_year is None or result.latest_year is None:
        return None
    years = result.target_year - result.latest_year
    if years <= 0:
        return None
    rate = result.actual_growth
    if result.method == LINEAR:
        value = result.latest_value + rate * years
    elif result.method == CAGR and rate > -1:
        value = result.latest_value * (1 + rate) ** years
    else:
        return None
    return (result.target_year, value) if math.isfinite(value) else None


def trend(item: IndicatorProgress, unit: str) -> Figure:
    """The trend chart: total, breakdown lines, baseline, targets and projection."""
    indicator = item.indicator
    extra = [Series(breakdown_label(key), points) for key, points in sorted(item.years.items())
             if key and key != item.main_key]
    baseline = None
    if indicator.baseline_year is not None and indicator.baseline_value is not None:
        baseline = (indicator.baseline_year, indicator.baseline_value)
    targets = [(t.year, t.value, t.label) for t in indicator.targets]
    return trend_figure(item.main_points, prefix=f"trend-{indicator.id}",
                        title=f"{indicator.code} {indicator.name}", unit=unit,
                        name=breakdown_label(item.main_key), disaggregations=extra,
                        baseline=baseline, targets=targets, projection=projection(item.total))



def growth_text(result: SeriesResult, value: float | None) -> str:
    """A growth rate: a percentage a year for CAGR, units a year for a linear rate."""
    if value is None:
        return "—"
    if result.method == CAGR:
        return str(_("%(rate)s a year", rate=percent(value)))
    return str(_("%(change)s a year", change=number_text(value)))


def method_text(result: SeriesResult) -> str:
    """Name the method used for a series."""
    if result.method == CAGR:
        return str(_("Compound annual growth rate (CAGR)"))
    if result.method == LINEAR:
        return str(_("Linear rate (change a year)"))
    return str(_("None: no rate could be computed"))


def thresholds_text(result: SeriesResult) -> str:
    """The thresholds the progress value was compared with."""
    t = result.thresholds
    if t is None:
        return "—"
    return str(_("substantial ≥ %(high)s, moderate ≥ %(med)s, limited ≥ %(low)s",
                 high=decimal_text(t.high), med=decimal_text(t.med), low=decimal_text(t.low)))


def point_text(value: float | None, year: int | None, fiscal_start: int) -> str:
    """A value with its year: "40 in 2015/16"."""
    if value is None:
        return "—"
    return str(_("%(value)s in %(year)s", value=number_text(value),
                 year=year_text(year, fiscal_start)))


def why_rows(result: SeriesResult, fiscal_start: int) -> list[tuple[str, str]]:
    """The why panel: every figure behind a series' status, as (label, text)."""
    rows = [(_("Base"), point_text(result.base_value, result.base_year, fiscal_start)),
            (_("Latest"), point_text(result.latest_value, result.latest_year, fiscal_start)),
            (_("Target"), point_text(shown_target(result), result.target_year, fiscal_start)),
            (_("Method"), method_text(result)),
            (_("Actual growth"), growth_text(result, result.actual_growth)),
            (_("Required growth"), growth_text(result, result.required_growth)),
            (_("Ratio (actual ÷ required)"), decimal_text(result.ratio)),
            (_("Progress value"), decimal_text(result.progress_value)),
            (_("Thresholds"), thresholds_text(result)),
            (_("Natural limit"), number_text(result.limit)),
            (_("Progress made"), percent(result.progress_share)),
            (_("Time elapsed"), percent(result.elapsed_share))]
    if result.target is not None:
        rows.append((_("Target reached in"), year_text(result.year_reached, fiscal_start)
                     if result.year_reached else _("not at the current rate")))
    if result.score is not None:
        rows.insert(0, (_("Score"), decimal_text(result.score)))
    if result.status == NOT_AVAILABLE and result.reason:
        rows.insert(0, (_("Why not available"), engine_text(result.reason)))
    return rows


@dataclass
class ElementRow:
    """A plan element with its depth in the tree and its roll-up (None: no indicator)."""

    node: ElementNode
    depth: int
    rollup: Rollup | None


def element_rows(roots: Iterable[ElementNode], progress: CityProgress,
                 depth: int = 0) -> list[ElementRow]:
    """Walk a plan tree in reading order with each element's roll-up."""
    rows = []
    for node in roots:
        element_id = node.element.id  # (never None: the tree is read from the database)
        rollup = progress.elements.get(element_id) if element_id is not None else None
        rows.append(ElementRow(node, depth, rollup))
        rows.extend(element_rows(node.children, progress, depth + 1))
    return rows
