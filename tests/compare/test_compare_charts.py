"""The comparison's charts: grouped bars and the goals × cities heat map are escaped,
deterministic, accessible (title, description, data table) and fast."""

import time

import pytest

from tests.charts.helpers import EVIL, NS, assert_accessible, parse
from tracker.charts.bars import Group, grouped_bars_figure, render_grouped_bars
from tracker.charts.heatmap import band, heatmap_figure, render_heatmap
from tracker.cities.models import City
from tracker.compare.matrix import Cell
from tracker.compare.views import PageCells, page_texts

SVG = "{http://www.w3.org/2000/svg}"
GROUPS = [Group("6.1.1", [40.0, None, 100.0]), Group("11.6.1", [0.0, 55.5, 70.0])]
CITIES = ["North", "South", EVIL]


def test_grouped_bars_draw_one_bar_per_known_value() -> None:
    out = render_grouped_bars(GROUPS, CITIES, prefix="bars", title="Scores", top=100.0)
    assert str(out) == str(render_grouped_bars(GROUPS, CITIES, prefix="bars", title="Scores",
                                               top=100.0))
    root = assert_accessible(out)
    bars = [r for r in root.iter(SVG + "rect") if r.find("svg:title", NS) is not None]
    assert len(bars) == 5  # six values, one missing
    titles = [r.find("svg:title", NS).text for r in bars]
    # user labels are isolated (FSI … PDI) so a right-to-left name cannot reorder the value
    assert "\u206811.6.1\u2069 · \u2068South\u2069: 55.5" in titles
    assert root.find("svg:desc", NS).text == "2 groups of 3 bars; 5 values shown."
    assert "<script>" not in out


def test_grouped_bars_have_a_data_table() -> None:
    figure = grouped_bars_figure(GROUPS, CITIES, prefix="b", title="Scores", unit="%")
    assert figure.table.headers[1] == "North (%)"
    assert figure.table.rows[0] == ["6.1.1", "40", "–", "100"]


def test_the_heat_map_labels_every_tile() -> None:
    out = render_heatmap(["Goal 6", "Goal 11"], ["North", EVIL], [[49.6, None], [100.0, 64.4]],
                         prefix="heat", title="Goal scores")
    root = assert_accessible(out)
    texts = [t.text for t in root.iter(SVG + "text")]
    assert {"50", "–", "100", "64"} <= set(texts)
    assert "<script>" not in out and parse(out) is not None
    assert band(49.4)[0] != band(49.6)[0]  # rounded before banding, like categories
    figure = heatmap_figure(["Goal 6"], ["North"], [[33.333]], prefix="h", title="t")
    assert figure.table.rows == [["Goal 6", "33.3"]]


def test_the_charts_render_in_under_5_ms() -> None:
    groups = [Group(f"{n}.1.1", [float(n * c % 100) for c in range(8)]) for n in range(1, 17)]
    # CPU time of this thread: CI shares two cores, and wall time measured the machine's load.
    start = time.thread_time()
    for _ in range(20):
        render_grouped_bars(groups, [f"City {c}" for c in range(8)], prefix="p", title="t")
        render_heatmap([f"Goal {n}" for n in range(17)], [f"City {c}" for c in range(8)],
                       [[float(n * c) for c in range(8)] for n in range(17)], prefix="h",
                       title="t")
    assert (time.thread_time() - start) / 20 < 0.005 * 2  # two charts per round


@pytest.mark.usefixtures("app_ctx")
def test_a_cell_sparkline_is_a_titled_path_through_its_values() -> None:  # type: ignore[no-untyped-def]
    cell = Cell(City(name=EVIL, slug="evil"), [], points=[(2015, 10.0), (2016, 20.0),
                                                         (2018, 15.0)])
    out = PageCells(page_texts(), "", "").spark(cell, "%")
    root = parse(out)
    assert root.get("role") == "img" and root.get("class") == "chart chart--spark"
    title = root.find("svg:title", NS).text
    assert title == f"{EVIL}: trend From 10 % (2015) to 15 % (2018)."
    assert "<script>" not in out
    path = root.find("svg:path", NS).get("d")
    assert path == "M3 19L31 3L87 11"  # 2015 left and lowest, 2018 right (90 × 22, padded 3)
    latest = root.find("svg:circle", NS)
    assert (latest.get("cx"), latest.get("cy")) == ("87", "11")
    assert root.get("id") is None and root.find("svg:desc", NS) is None  # light: no ids


@pytest.mark.usefixtures("app_ctx")
def test_a_one_value_sparkline_says_so() -> None:  # type: ignore[no-untyped-def]
    cell = Cell(City(name="North", slug="north"), [], points=[(2020, 4.5)])
    root = parse(PageCells(page_texts(), "", "").spark(cell, ""))
    assert root.find("svg:title", NS).text == "North: trend One value: 4.5 (2020)."
