"""No chart label runs past its drawing: each <text> box, measured with the font's own metrics
(tests/charts/fontmetrics.py), lies inside the SVG's viewBox, whatever the values' size.
Before, the print chart's 44-unit margin cut "2,390,000" to "390,000"."""

from typing import Any

import pytest
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.charts.fontmetrics import dejavu_sans, outside
from tests.charts.helpers import parse, texts
from tracker.charts.bars import Group, render_grouped_bars
from tracker.charts.trend import render_trend
from tracker.reports.charts import print_trend

# Magnitudes from 1e-6 to 1e12 of either sign, as in test_tick_label_values.
VALUE = st.builds(lambda sign, exponent: sign * 10.0 ** exponent,
                  st.sampled_from([-1.0, 1.0]), st.floats(-6, 12))


def print_indicator(values: list[float], **changes: Any) -> dict[str, Any]:
    """An indicator as the report data holds it, with one value a year from 2015."""
    return {"id": 1, "code": "1.1.1", "name": "Test",
            "series": {"": [[2015 + i, v] for i, v in enumerate(values)]}, "targets": [],
            "baseline_year": None, "baseline_value": None, "projection": None, **changes}


def charts(values: list[float]) -> dict[str, str]:
    """The page trend, the grouped bars and the print trend of the same values."""
    points = [(2015 + i, v) for i, v in enumerate(values)]
    return {
        "trend": str(render_trend(points, prefix="t", title="t", unit="people",
                                  targets=[(2015, values[-1], "A target label")])),
        "bars": str(render_grouped_bars([Group(f"G{i}", [v]) for i, v in enumerate(values)],
                                        ["Series"], prefix="b", title="b")),
        "print": str(print_trend(print_indicator(values), "p")),
    }


@pytest.mark.parametrize("values", [[1_950_000, 2_100_000, 2_390_000], [0, 2_390_000],
                                    [0.000101, 0.000123], [0.000123], [-2_390_000, 0.000123],
                                    [1e12, 1.000000001e12]])
def test_labels_of_hand_picked_values_stay_inside_the_drawing(values: list[float]) -> None:
    font = dejavu_sans()
    for name, svg in charts(values).items():
        assert outside(parse(svg), font) == [], name


@settings(max_examples=60, deadline=None)
@given(st.lists(VALUE, min_size=1, max_size=4))
def test_labels_of_any_values_stay_inside_the_drawing(values: list[float]) -> None:
    font = dejavu_sans()
    for name, svg in charts(values).items():
        assert outside(parse(svg), font) == [], (name, values)



@pytest.mark.parametrize("locale", ["de", "fr", "hi"])
def test_labels_in_other_locales_stay_inside_the_drawing(locale: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # As under Flask-Babel with that locale: "2,4 Mio.", "2,4 M", "24 लाख" are wider labels.
    monkeypatch.setattr("tracker.charts.numbers.get_locale", lambda: Locale.parse(locale))
    font = dejavu_sans()
    for values in ([1_950_000, 2_100_000, 2_390_000], [0.000101, 0.000123]):
        drawn = charts(values)
        assert all(outside(parse(svg), font) == [] for svg in drawn.values()), drawn
    assert "\u00a0" in "".join(texts(parse(charts([2_390_000])["print"])))  # short form shown
