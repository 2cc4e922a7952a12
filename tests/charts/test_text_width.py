"""Label widths: the table in tracker/charts/text.py is DejaVu Sans's own, and long user text is
shortened to the room it has."""

import pytest

from tests.charts.fontmetrics import dejavu_sans, outside
from tests.charts.helpers import parse
from tracker.charts.bars import Group, render_grouped_bars
from tracker.charts.heatmap import render_heatmap
from tracker.charts.text import ADVANCES, UNITS_PER_EM, fit, text_width


def test_the_width_table_is_dejavu_sans() -> None:
    font = dejavu_sans()
    for char, units in ADVANCES.items():
        assert units / UNITS_PER_EM == pytest.approx(font.advances.get(ord(char), 0.0)), char


def test_hand_measured_widths() -> None:
    # Seven digits (1303/2048 em each) and two commas (651/2048 em) at 10 units: 50.89.
    assert text_width("2,390,000", 10) == pytest.approx((7 * 1303 + 2 * 651) / 2048 * 10)
    assert text_width("0.000123", 11) == pytest.approx((7 * 1303 + 651) / 2048 * 11)
    assert text_width("日本", 10) >= 20  # characters outside the table count wide


def test_fit_shortens_with_an_ellipsis_only_when_needed() -> None:
    assert fit("Water", 100) == "Water"
    text = "Households with a safely managed drinking water service"
    short = fit(text, 120)
    kept = short[:-1]
    assert short.endswith("…") and text.startswith(kept) and text_width(short) <= 120
    assert text_width(text[: len(kept) + 1] + "…") > 120  # one more character would not fit


def test_long_series_names_are_shortened_to_fit_the_bar_chart() -> None:
    long = "Households with access to a safely managed drinking water service " * 3
    root = parse(render_grouped_bars([Group("G", [1.0])], [long, long], prefix="b", title="b"))
    assert outside(root, dejavu_sans()) == []


def test_heat_map_row_and_column_labels_stay_inside_the_drawing() -> None:
    root = parse(render_heatmap(["Goal 6: Clean water and sanitation", "Goal 11"],
                                ["North", "WWWWWWWWWWWW"], [[49.6, None], [100.0, 64.4]],
                                prefix="h", title="t"))
    assert outside(root, dejavu_sans()) == []
