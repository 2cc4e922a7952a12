"""The trend line chart: determinism, escaping, accessibility, edge cases and its data table."""

from decimal import Decimal

from tests.charts.helpers import EVIL, NS, all_ids, assert_accessible, parse, texts
from tracker.charts.palette import SERIES_COLOURS, SERIES_DASHES, SERIES_MARKERS
from tracker.charts.trend import Series, Target, render_trend, trend_figure, trend_table

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [(2015, Decimal("12.5")), (2016, None), (2017, 14.0), (2018, Decimal("15.25")),
          (2019, 13)]


def _full(**overrides):  # type: ignore[no-untyped-def]
    """Render a trend chart with every option set."""
    options = {
        "prefix": "ind-1", "title": "Households with piped water", "unit": "%",
        "disaggregations": [("Women", [(2015, 10), (2019, 12)]), ("Men", [(2015, 14)])],
        "baseline": (2015, Decimal("12.5")), "targets": [(2030, 50, "SDG target")],
        "projection": (2030, 30.0),
    }
    return render_trend(POINTS, **{**options, **overrides})


def _paths(root):  # type: ignore[no-untyped-def]
    """Return the data line paths (those with round joins) of the chart."""
    return [p for p in root.iter(SVG + "path") if p.get("stroke-linejoin") == "round"]


def test_same_input_gives_identical_bytes() -> None:
    assert str(_full()) == str(_full())
    assert str(_full()).encode() == str(render_trend(list(POINTS), **{
        "prefix": "ind-1", "title": "Households with piped water", "unit": "%",
        "disaggregations": [Series("Women", [(2015, 10), (2019, 12)]),
                            Series("Men", [(2015, 14)])],
        "baseline": (2015, Decimal("12.5")), "targets": [Target(2030, 50, "SDG target")],
        "projection": (2030, 30.0)})).encode()


def test_chart_is_accessible_and_responsive() -> None:
    root = assert_accessible(_full())
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox").startswith("0 0 640 ")
    desc = root.find("svg:desc", NS).text
    assert "Latest value: 13 % (2019)" in desc and "Baseline: 12.5 % (2015)" in desc
    assert "Target: 50 % by 2030. SDG target" in desc and "Projected: 30 % in 2030" in desc
    assert all_ids(root) == ["ind-1-title", "ind-1-desc"]
    assert "style" not in str(_full())


def test_user_text_is_escaped_everywhere() -> None:
    out = str(render_trend(POINTS, prefix="x", title=EVIL, unit=EVIL, name=EVIL,
                           disaggregations=[(EVIL, [(2015, 1)])], targets=[(2030, 5, EVIL)]))
    assert "<script>" not in out and "&lt;script&gt;" in out
    root = parse(out)
    assert root.find("svg:title", NS).text == EVIL
    assert any(EVIL[:20] in t for t in texts(root))  # unit, legend and target label drawn


def test_gaps_break_the_line() -> None:
    root = parse(render_trend(POINTS, prefix="g", title="t"))
    runs = [p.get("d") for p in _paths(root) if p.get("stroke-width") == "2.5"]
    assert len(runs) == 2  # 2015 alone, then 2017–2019
    assert "L" not in runs[0] and runs[1].count("L") == 2
    assert len(list(root.iter(SVG + "circle"))) == 4  # a marker per known value


def test_single_point() -> None:
    root = assert_accessible(render_trend([(2020, 5)], prefix="s", title="t"))
    assert "2020" in texts(root)
    assert len(list(root.iter(SVG + "circle"))) == 1


def test_all_equal_values_get_ticks_around_the_value() -> None:
    root = parse(render_trend([(y, 7) for y in range(2015, 2021)], prefix="e", title="t"))
    labels = texts(root)
    assert "7" in labels and len({t for t in labels if not t.startswith("20")}) >= 3


def test_negative_values_use_a_minus_sign_and_a_zero_line() -> None:
    root = parse(render_trend([(2015, -40), (2016, 10), (2017, -5)], prefix="n", title="t"))
    assert "\u221240" in texts(root) and "0" in texts(root)


def test_huge_values_get_compact_tick_labels() -> None:
    root = parse(render_trend([(2015, 1_200_000), (2020, 2_400_000)], prefix="h", title="t"))
    assert {"1.5M", "2M", "2.5M"} <= set(texts(root))
    assert not any(len(t) > 6 for t in texts(root))


def test_no_data_renders_an_empty_frame() -> None:
    for points in ([], [(2015, None), (2016, None)]):
        root = assert_accessible(render_trend(points, prefix="z", title="Empty"))
        assert "No data" in texts(root)
        assert "chart--empty" in root.get("class")


def test_thirty_years_of_labels_do_not_overlap() -> None:
    root = parse(render_trend([(y, y % 7) for y in range(2000, 2031)], prefix="y", title="t"))
    xs = sorted(float(t.get("x")) for t in root.iter(SVG + "text")
                if t.get("text-anchor") == "middle" and (t.text or "").isdigit())
    assert len(xs) >= 4 and min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 40


def test_eight_disaggregations_differ_by_colour_dash_and_marker() -> None:
    series = [(f"Group {i}", [(2015, i), (2016, i + 1)]) for i in range(8)]
    root = parse(render_trend([(2015, 3), (2016, 4)], prefix="d", title="t",
                              disaggregations=series))
    styles = {(p.get("stroke"), p.get("stroke-dasharray")) for p in _paths(root)}
    assert len(styles) == 9  # eight groups plus the solid main line
    assert len(set(SERIES_COLOURS)) == len(set(SERIES_DASHES)) == len(set(SERIES_MARKERS)) == 8
    assert None not in SERIES_DASHES and "circle" != SERIES_MARKERS[0]
    assert all(f"Group {i}" in texts(root) for i in range(8))  # legend


def test_projection_starts_at_the_latest_point() -> None:
    root = parse(render_trend([(2015, 10), (2020, 20)], prefix="p", title="t",
                              projection=(2030, 40)))
    (line,) = [ln for ln in root.iter(SVG + "line") if ln.get("stroke-dasharray") == "5 4"
               and ln.get("x1") is not None and ln.get("y2") != ln.get("y1")]
    (latest,) = [c for c in root.iter(SVG + "circle")
                 if c.find("svg:title", NS) is not None
                 and c.find("svg:title", NS).text == "Value, 2020: 20"]
    assert (line.get("x1"), line.get("y1")) == (latest.get("cx"), latest.get("cy"))


def test_data_table_has_a_row_per_year_and_a_column_per_series() -> None:
    table = trend_table(POINTS, caption="Water", unit="%", name="Total",
                        disaggregations=[("Women", [(2015, 10)])], baseline=(2015, 12.5),
                        targets=[(2030, 50, "SDG")], projection=(2030, 30))
    assert table.headers == ["Year", "Total (%)", "Women (%)"]
    assert table.rows[0] == ["2015", "12.5", "10"] and table.rows[1] == ["2016", "–", "–"]
    assert table.rows[3] == ["2018", "15.25", "–"]
    assert ("Target", "50 (2030) SDG") in table.notes and ("Projection", "30 (2030)") in table.notes


def test_figure_bundles_svg_and_table() -> None:
    fig = trend_figure(iter(POINTS), prefix="f", title="Water", unit="%", desc="Custom.")
    assert parse(fig.svg).find("svg:desc", NS).text == "Custom."
    assert fig.table.caption == "Water" and len(fig.table.rows) == 5


def test_nan_and_infinite_values_are_gaps() -> None:
    out = render_trend([(2015, 1), (2016, float("nan")), (2017, Decimal("NaN")),
                        (2018, float("inf")), (2019, 2)], prefix="n", title="t")
    root = parse(out)
    runs = [p.get("d") for p in _paths(root)]
    assert len(runs) == 2 and "nan" not in str(out) and "inf" not in str(out)
