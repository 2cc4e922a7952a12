"""Progress statuses as label, colour and symbol: one palette for charts and templates.

Colour never carries meaning alone: each status also has a symbol (drawn in SVG, or a glyph in
HTML) and a label. Every colour has at least 3:1 contrast against white (WCAG 1.4.11 for
graphical marks); `tests/charts/test_palette.py` checks it.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# The status names of progress-method.md; spelt out (not imported from tracker.progress) so the
# chart package stays free of domain imports. tests/charts/test_palette.py checks they agree.
TARGET_ACHIEVED = "target_achieved"
SUBSTANTIAL = "substantial_progress"
MODERATE = "moderate_progress"
LIMITED = "limited_progress"
DETERIORATION = "deterioration"
NOT_AVAILABLE = "not_available"
INSUFFICIENT_DATA = "insufficient_data"

# Symbol strokes in a 10 × 10 box, drawn with round caps (the dots of "…" are zero-length).
SYMBOL_PATHS = {
    "check": "M1.5 5.5L4 8L8.5 2",
    "arrow-up": "M5 9V1.5M1.5 5L5 1.5L8.5 5",
    "arrow-up-right": "M2 8L8 2M3.5 2H8V6.5",
    "arrow-right": "M1 5H8.5M5 1.5L8.5 5L5 8.5",
    "arrow-down": "M5 1V8.5M1.5 5L5 8.5L8.5 5",
    "dash": "M2 5H8",
    "ellipsis": "M2 5.5H2.01M5 5.5H5.01M8 5.5H8.01",
}


@dataclass(frozen=True)
class StatusStyle:
    """How one status is shown: key, translatable label, mark colour, SVG symbol and glyph."""

    key: str
    label: LazyString  # translated when rendered, in the request's locale
    colour: str
    symbol: str
    glyph: str
    css_class: str

    @property
    def symbol_path(self) -> str:
        """Return the status symbol as SVG path data in a 10 × 10 box."""
        return SYMBOL_PATHS[self.symbol]


def _style(key: str, label: LazyString, colour: str, symbol: str, glyph: str) -> StatusStyle:
    """Build a palette entry whose CSS class derives from the key."""
    return StatusStyle(key, label, colour, symbol, glyph, "status--" + key.replace("_", "-"))


# Best first, as in tracker.progress's STATUSES, with insufficient data last. Each colour is
# also status text, so ≥ 4.5:1 on white and on the page surface #f3f5f7: substantial #247534
# 5.72 / 5.24 (was #2b8a3e, 4.36 / 3.99), limited #aa4400 5.94 / 5.43 (was #c24e00, 4.79 / 4.38).
PALETTE: dict[str, StatusStyle] = {
    s.key: s
    for s in (
        _style(TARGET_ACHIEVED, _l("Target achieved"), "#0e6b33", "check", "✓"),
        _style(SUBSTANTIAL, _l("Substantial progress"), "#247534", "arrow-up", "↑"),
        _style(MODERATE, _l("Moderate progress"), "#8a6100", "arrow-up-right", "↗"),
        _style(LIMITED, _l("Limited progress"), "#aa4400", "arrow-right", "→"),
        _style(DETERIORATION, _l("Deterioration"), "#b0151f", "arrow-down", "↓"),
        _style(NOT_AVAILABLE, _l("Not available"), "#5f6b77", "dash", "–"),
        _style(INSUFFICIENT_DATA, _l("Insufficient data"), "#6a5a8c", "ellipsis", "…"),
    )
}
STATUS_KEYS = tuple(PALETTE)


def status_style(status: str | None) -> StatusStyle:
    """Return the palette entry of a status; blank or unknown statuses show as not available."""
    return PALETTE.get(status or NOT_AVAILABLE, PALETTE[NOT_AVAILABLE])


# Disaggregation lines (each ≥ 3:1 on white) pair a colour with a dash pattern and a marker
# shape, so series differ without colour too; the main series is solid with filled circles.
SERIES_COLOURS = ("#0a6ebd", "#c24e00", "#2b8a3e", "#8e2c8a", "#8a6100", "#b0151f",
                  "#4f5b66", "#00707a")
SERIES_DASHES = ("6 3", "2 3", "8 3 2 3", "4 4", "1 3", "10 4", "3 2 1 2", "12 3 3 3")
SERIES_MARKERS = ("square", "triangle", "diamond", "triangle-down", "plus", "cross",
                  "circle-open", "circle")
MAIN_COLOUR = "#0b3a5d"
AXIS_COLOUR = "#4f5b66"
GRID_COLOUR = "#d8dee4"
MUTED_TEXT = "#4f5b66"
INK = "#1b2631"
