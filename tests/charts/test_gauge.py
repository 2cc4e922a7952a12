"""Gauges: a score bar and the ESCAP-style progress-versus-time bars."""

import pytest

from tests.charts.helpers import NS, assert_accessible, parse, texts
from tracker.charts.gauge import (
    percent,
    progress_figure,
    render_progress_vs_time,
    render_score_gauge,
)
from tracker.charts.palette import PALETTE

SVG = "{http://www.w3.org/2000/svg}"


def _fills(root):  # type: ignore[no-untyped-def]
    """Return the filled bar rectangles (not the white tracks)."""
    return [r for r in root.iter(SVG + "rect") if r.get("fill") != "#ffffff"]


@pytest.mark.parametrize(("share", "text"), [(0.62, "62%"), (0, "0%"), (0.055, "5.5%"),
                                             (-0.1, "\u221210%"), (1.25, "125%"),
                                             (None, "No data")])
def test_percent(share: float | None, text: str) -> None:
    assert percent(share) == text


def test_score_gauge_fills_the_share_and_shows_the_status() -> None:
    root = assert_accessible(render_score_gauge(0.62, prefix="g", title="Score",
                                                status="moderate_progress"))
    (fill,) = _fills(root)
    assert fill.get("width") == "161.2" and fill.get("fill") == PALETTE["moderate_progress"].colour
    assert "62%" in texts(root)
    assert root.find("svg:desc", NS).text == "Score: 62%. Moderate progress."
    assert root.find("svg:path", NS).get("d") == PALETTE["moderate_progress"].symbol_path


def test_score_gauge_over_a_signed_domain_fills_from_zero() -> None:
    root = parse(render_score_gauge(-2.5, prefix="g", title="t", domain=(-5, 5)))
    (fill,) = _fills(root)
    assert (fill.get("x"), fill.get("width")) == ("195", "65")
    assert "\u22122.5" in texts(root)


def test_score_gauge_without_a_score() -> None:
    root = assert_accessible(render_score_gauge(None, prefix="g", title="t"))
    assert _fills(root) == [] and "No data" in texts(root)


def test_progress_versus_time_draws_two_bars_and_an_elapsed_marker() -> None:
    out = render_progress_vs_time(0.3, 0.6, prefix="p", title="Progress", status="limited_progress")
    assert str(out) == str(render_progress_vs_time(0.3, 0.6, prefix="p", title="Progress",
                                                   status="limited_progress"))
    root = assert_accessible(out)
    progress, elapsed = _fills(root)
    assert progress.get("width") == "78" and elapsed.get("width") == "156"
    (marker,) = list(root.iter(SVG + "line"))
    assert marker.get("x1") == "286"
    assert {"30%", "60%", "Progress made", "Time elapsed"} <= set(texts(root))


def test_progress_bars_clip_but_label_the_true_value() -> None:
    root = parse(render_progress_vs_time(-0.2, 1.4, prefix="p", title="t"))
    progress, elapsed = _fills(root)
    assert progress.get("width") == "0" and elapsed.get("width") == "260"
    assert {"\u221220%", "140%"} <= set(texts(root))


def test_progress_table() -> None:
    fig = progress_figure(0.3, None, prefix="p", title="P", status="deterioration")
    assert fig.table.rows == [["Progress made", "30%"], ["Time elapsed", "No data"],
                              ["Status", "↓ Deterioration"]]
