"""Sparklines: fixed size, gaps, the last point marked, description in words."""

from tests.charts.helpers import EVIL, NS, assert_accessible, parse
from tracker.charts.spark import render_sparkline, sparkline_figure

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [(2015, 1.0), (2016, None), (2017, 3), (2018, 2)]


def test_sparkline_is_small_fixed_size_and_deterministic() -> None:
    out = render_sparkline(POINTS, prefix="sp", title="Water")
    assert str(out) == str(render_sparkline(list(reversed(POINTS)), prefix="sp", title="Water"))
    root = assert_accessible(out)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("120", "28",
                                                                            "0 0 120 28")
    assert root.find("svg:desc", NS).text == "From 1 (2015) to 2 (2018)."


def test_last_point_is_marked_and_gaps_break_the_line() -> None:
    root = parse(render_sparkline(POINTS, prefix="sp", title="t"))
    dot, last = list(root.iter(SVG + "circle"))
    assert float(dot.get("r")) < float(last.get("r"))  # isolated 2015 value, then the marker
    assert last.get("cx") == "117"  # the last year sits at the right edge
    (path,) = list(root.iter(SVG + "path"))
    assert path.get("d").startswith("M") and path.get("d").count("L") == 1


def test_sparkline_edge_cases() -> None:
    empty = assert_accessible(render_sparkline([], prefix="e", title="t"))
    assert empty.find("svg:desc", NS).text == "No data."
    one = assert_accessible(render_sparkline([(2020, 5)], prefix="o", title="t", unit="%"))
    assert one.find("svg:desc", NS).text == "One value: 5 % (2020)."
    flat = parse(render_sparkline([(2015, 2), (2016, 2)], prefix="f", title="t"))
    assert list(flat.iter(SVG + "path"))[0].get("d") == "M3 14L117 14"


def test_sparkline_escapes_and_has_a_table() -> None:
    fig = sparkline_figure(POINTS, prefix="x", title=EVIL, unit="%")
    assert "<script>" not in fig.svg
    assert parse(fig.svg).find("svg:title", NS).text == EVIL
    assert fig.table.headers == ["Year", "Value (%)"] and fig.table.rows[1] == ["2016", "–"]


def test_the_light_variant_draws_the_same_line_without_ids() -> None:
    from tracker.charts.spark import Sparklines

    labelled = parse(render_sparkline(POINTS, prefix="sp", title="Water", width=90, height=22))
    light = parse(Sparklines(90, 22)(POINTS, title="Water " + EVIL))
    assert [el.attrib for el in light.iter() if el.tag in (SVG + "path", SVG + "circle")] == [
        el.attrib for el in labelled.iter() if el.tag in (SVG + "path", SVG + "circle")]
    assert not [el for el in light.iter() if el.get("id") or el.tag == SVG + "desc"]
    assert light.get("aria-labelledby") is None and light.get("role") == "img"
    # the title says what the description would: name, then first and latest values
    assert light.find("svg:title", NS).text == f"Water {EVIL} From 1 (2015) to 2 (2018)."
