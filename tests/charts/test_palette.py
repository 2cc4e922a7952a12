"""The status palette: contrast, symbols, labels and agreement with charts.css."""

import re
from pathlib import Path

from tracker.catalogue.colours import contrast
from tracker.charts.palette import (
    INSUFFICIENT_DATA,
    PALETTE,
    SERIES_COLOURS,
    status_style,
)
from tracker.progress import result

CSS = Path(__file__).parents[2] / "tracker" / "static" / "css" / "charts.css"


def test_palette_covers_every_status_of_the_method_plus_insufficient_data() -> None:
    assert list(PALETTE) == [*result.STATUSES, INSUFFICIENT_DATA]


def test_every_mark_colour_has_3_to_1_contrast_on_white() -> None:
    for colour in [s.colour for s in PALETTE.values()] + list(SERIES_COLOURS):
        assert contrast(colour, "#ffffff") >= 3, colour


def test_statuses_differ_by_symbol_glyph_and_label_not_only_colour() -> None:
    styles = list(PALETTE.values())
    for attr in ("symbol", "glyph", "colour", "css_class"):
        assert len({getattr(s, attr) for s in styles}) == len(styles), attr
    assert len({str(s.label) for s in styles}) == len(styles)
    assert str(PALETTE["moderate_progress"].label) == "Moderate progress"


def test_unknown_and_blank_statuses_fall_back_to_not_available() -> None:
    for status in (None, "", "made_up"):
        assert status_style(status).key == "not_available"


def test_css_status_colours_match_the_palette() -> None:
    css = dict(re.findall(r"\.(status--[a-z-]+) \{ --status-colour: (#[0-9a-f]{6}); \}",
                          CSS.read_text()))
    assert css == {s.css_class: s.colour for s in PALETTE.values()}
