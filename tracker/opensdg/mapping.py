"""How Open SDG's words become the tracker's: codes, units, directions, values and columns."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from tracker.indicators.models import Direction, UnitKind

ID_RE = re.compile(r"^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)+$")
MAX_MAGNITUDE = 100  # decimal digits either side of the point; values are stored at any precision
MAX_VALUE_TEXT = 60
NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")

# Columns that describe an observation rather than split it (Open SDG's observation and
# time-series attributes, and the SDMX-style ones sdg-build knows), by normalised name.
ATTRIBUTE_NAMES = {
    "comment_obs", "comment_ts", "source_detail", "obs_status", "observation_status",
    "unit_mult", "unit_multiplier", "footnote", "footnotes", "data_last_update", "nature",
    "time_detail", "comment", "comments", "note", "notes", "obs_comment",
}

UNIT_RULES: list[tuple[re.Pattern[str], UnitKind]] = [
    (re.compile(r"per\s*100[ ,.]?000\b|/\s*100[ ,.]?000\b|100k", re.I), UnitKind.RATE_100000),
    (re.compile(r"per\s*1[ ,.]?000\b|/\s*1[ ,.]?000\b|‰|^\s*1[ ,.]?000 live births",
                re.I), UnitKind.RATE_1000),
    (re.compile(r"%|percent|per cent|percentage|proportion \(%\)", re.I), UnitKind.PERCENT),
    (re.compile(r"co2\s*e|co₂\s*e|co2 equivalent|tco2", re.I), UnitKind.TCO2E),
    (re.compile(r"[£$€¥₹]|\b(?:gbp|usd|eur|zar|inr|jpy|cad|aud|pounds?|dollars?|euros?|"
                r"rand|rupees?|currency)\b", re.I), UnitKind.CURRENCY),
    (re.compile(r"^\s*(?:number|count|total|people|persons?|households?|individuals?|"
                r"units|cases|deaths|births)\b|\bnumber of\b|^\s*no\.\s", re.I),
     UnitKind.COUNT),
]


def normalised(name: str) -> str:
    """Return a column name compared case- and spacing-blind ("Observation status")."""
    return re.sub(r"[\s_\-]+", "_", name.strip().lower())


def is_attribute(name: str, declared: set[str]) -> bool:
    """Is a column an observation attribute (declared in the data config or known by name)?"""
    return normalised(name) in declared or normalised(name) in ATTRIBUTE_NAMES


def code_of(opensdg_id: str) -> str:
    """Return the tracker code of an Open SDG id: "10-x-2" → "10.x.2"."""
    return opensdg_id.replace("-", ".")


def is_indicator_id(text: str) -> bool:
    """Is this an Open SDG indicator id ("1-2-1", "10-x-2", "11-1-1-a")?"""
    return ID_RE.match(text) is not None and len(text) <= 40


def unit_kind(text: str) -> UnitKind:
    """Return the unit kind that best fits a Units text; "other" only when nothing fits."""
    for pattern, kind in UNIT_RULES:
        if pattern.search(text):
            return kind
    return UnitKind.OTHER


def direction_of(options: list[dict[str, Any]]) -> Direction:
    """Return the direction of the first progress series (Open SDG: negative unless
    "positive")."""
    first = options[0] if options else {}
    return Direction.HIGHER if str(first.get("direction", "")).lower() == "positive" \
        else Direction.LOWER


def exact_decimal(text: str) -> Decimal:
    """Read a value exactly as written, or raise ValueError saying why it cannot be stored."""
    written = text.strip()
    if not NUMBER_RE.match(written):
        raise ValueError(_("'%(text)s' is not a number.", text=written[:40]))
    if len(written) > MAX_VALUE_TEXT:
        raise ValueError(_("'%(text)s…' is longer than %(num)d characters.",
                           text=written[:20], num=MAX_VALUE_TEXT))
    try:
        value = Decimal(written)
    except InvalidOperation as error:
        raise ValueError(_("'%(text)s' is not a number.", text=written[:40])) from error
    if not value.is_finite() or abs(value.adjusted()) > MAX_MAGNITUDE:
        raise ValueError(_("%(text)s is outside the numbers this tracker holds (%(num)d digits "
                           "either side of the decimal point).", text=written[:40],
                           num=MAX_MAGNITUDE))
    return value


def is_key(text: str) -> bool:
    """Is a name a translation key ("global_indicators.1-1-1-title") rather than text?"""
    return re.match(r"^[a-z_]+\.[\w.\-]+$", text.strip()) is not None


def first_text(*candidates: Any) -> str:
    """Return the first candidate that is text worth showing (not blank, not a key)."""
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip() and not is_key(candidate):
            return " ".join(candidate.split())
    return ""


def clipped(text: str, limit: int) -> str:
    """Return text cut to a field's limit (with an ellipsis when cut)."""
    return text if len(text) <= limit else text[:limit - 1] + "…"
