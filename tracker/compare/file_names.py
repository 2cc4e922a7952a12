"""The names the comparison's exports are offered under: what was compared and when, in ASCII
(comparison-goal-6-ethekwini-helsinki-2026-12-06.csv), so that downloads do not overwrite
each other as comparison.csv did."""

import re
from datetime import date
from urllib.parse import parse_qsl

from tracker.compare.selection import Selection, read_selection

MAX_NAMED_CITIES = 3  # more cities are counted in a file name, not listed


def scope_part(sel: Selection) -> str:
    """The scope in a file name: goal-6, target-11-6, indicator-6-1-1, 3-indicators, all-goals."""
    if sel.indicators:
        return ("indicator-" + sel.indicators[0] if len(sel.indicators) == 1
                else f"{len(sel.indicators)}-indicators")
    if sel.target:
        return "target-" + sel.target
    return "all-goals" if sel.goal is None else f"goal-{sel.goal}"


def cities_part(sel: Selection) -> str:
    """The cities in a file name: their slugs (up to three), their count, or the network."""
    if sel.network:
        return "network-" + sel.network
    if len(sel.cities) <= MAX_NAMED_CITIES:
        return "-".join(sel.cities) or "no-cities"
    return f"{len(sel.cities)}-cities"


def file_name(sel: Selection, extension: str, day: date) -> str:
    """An export's file name: comparison-<scope>-<cities>-<date>.<extension>."""
    stem = re.sub(r"[^a-z0-9]+", "-", f"comparison-{scope_part(sel)}-{cities_part(sel)}"
                  .lower()).strip("-")
    return f"{stem}-{day.isoformat()}.{extension}"


def run_file_name(selection: str, day: date) -> str:
    """The PDF name of a comparison run, from its stored selection (URL parameters)."""
    return file_name(read_selection(dict(parse_qsl(selection))), "pdf", day)
