"""What the why page and the city's methodology page say about an indicator's progress rule:
which series count, with their filters and own settings, and why none could be assessed."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.progress.aggregate import SeriesOutcome
from tracker.progress.presenters import decimal_text
from tracker.progress.result import SeriesResult
from tracker.progress.rules import MANUAL
from tracker.progress.selection import NO_HEADLINE
from tracker.progress.services import IndicatorProgress

RULE_NAMES = {
    "headline": _l("Headline series"),
    "configured": _l("Configured series"),
    "mean_of_breakdowns": _l("Mean of the total and every breakdown"),
    MANUAL: _l("Status set by hand"),
}
DIRECTION_TEXTS = {"higher": _l("higher is better"), "lower": _l("lower is better"),
                   "band": _l("within a target band")}


def rule_name(rule: str) -> str:
    """Name a progress rule."""
    name = RULE_NAMES.get(rule)
    return str(name) if name is not None else rule


def rule_summary(item: IndicatorProgress) -> str:
    """One paragraph saying which series decide this indicator's status, and how."""
    result = item.result
    if result.rule == "configured":
        return str(_("The status comes from the %(n)s series configured for this indicator (Open "
                     "SDG’s progress calculation options), each selected and assessed exactly as "
                     "Open SDG does, with its own settings. The score is the mean of their "
                     "scores; the target counts as achieved only if every assessed series "
                     "achieved its own.",
                     n=len(result.outcomes)))
    if result.rule == "mean_of_breakdowns":
        return str(_("The status comes from the mean of the scores of the total and each "
                     "breakdown (%(n)s series; %(scored)s had a score), the rule chosen for this "
                     "indicator. Open SDG uses the headline series instead unless series are "
                     "configured.", n=len(result.series), scored=result.scored))
    if result.rule == MANUAL:
        return str(_("Automatic progress calculation is off for this indicator: the status is the "
                     "one set by hand, without a score. Where none is set, Open SDG shows no "
                     "status and the tracker says not available."))
    return str(_("The status comes from the headline series: the values without any breakdown "
                 "(other than Series and Units), the series Open SDG uses when none are "
                 "configured. It is assessed with this indicator’s direction, baseline, "
                 "targets and limit, and the tracker’s rules where Open SDG gives no answer. "
                 "Breakdowns are shown for information; they do not count."))


def error_text(text: str) -> str:
    """The reader's wording of why the data of a series could not be selected."""
    if text == NO_HEADLINE:
        return str(_("No headline found: every value has a breakdown, and no series is "
                     "configured to choose one."))
    if text.startswith("detected many sub-series"):
        return str(_("Several series are left where one is needed (%(detail)s): configure the "
                     "series, unit or breakdown to assess.", detail=text[26:-1]))
    if text.startswith("two values for the year "):
        return str(_("Two values for the year %(year)s (e.g. a single year and a range starting "
                     "that year): a series needs one value a year.", year=text[24:]))
    if text == "no status was given by hand":
        return str(_("No status was set by hand."))
    return text


@dataclass
class SeriesRow:
    """A series that counts under the rule, as the why page lists it."""

    label: str
    settings: str
    result: SeriesResult | None
    error: str
    notes: list[str]


def series_label(outcome: SeriesOutcome, rule: str) -> str:
    """Name a counted series: its filters, "Headline", or its breakdown."""
    if rule == "mean_of_breakdowns":
        return outcome.label or _("Total")
    return outcome.label or _("Headline")


def settings_text(result: SeriesResult | None) -> str:
    """The settings a series was assessed with: direction, base year, target, limit."""
    if result is None:
        return "—"
    parts = [str(DIRECTION_TEXTS.get(result.direction, result.direction))]
    if result.base_year is not None:
        parts.append(_("base year %(year)s", year=result.base_year))
    if result.target is not None:
        parts.append(_("target %(value)s by %(year)s", value=decimal_text(result.target),
                       year=result.target_year))
    if result.limit is not None:
        parts.append(_("limit %(value)s", value=decimal_text(result.limit)))
    return " · ".join(parts)


def outcome_notes(outcome: SeriesOutcome) -> list[str]:
    """What the reader should know about how a series' rows were chosen."""
    notes = [_("Filter not applied (Open SDG only warns): %(warning)s", warning=w)
             for w in outcome.warnings]
    if outcome.uses_progress:
        notes.append(_("The Progress column was assessed instead of the values (Open SDG)."))
    return notes


def series_rows(item: IndicatorProgress) -> list[SeriesRow]:
    """The series that count under the indicator's rule."""
    rule = item.result.rule
    return [SeriesRow(series_label(o, rule), settings_text(o.result), o.result,
                      error_text(o.error) if o.error else "", outcome_notes(o))
            for o in item.result.outcomes]


def rule_line(item: IndicatorProgress) -> str:
    """The rule in one line, with the configured series' filters (the methodology table)."""
    name = rule_name(item.result.rule)
    if item.result.rule == "configured":
        labels = [series_label(o, "configured") for o in item.result.outcomes]
        return f"{name}: {'; '.join(labels)}" if labels else name
    return name
