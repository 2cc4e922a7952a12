"""The SVG builder: escaping, number rounding, ids and href filtering."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from tests.charts.helpers import EVIL, parse
from tracker.charts.strip import render_goal_strip
from tracker.charts.svg import SvgBuilder, esc, make_id, num, safe_href, start_svg
from tracker.charts.trend import render_trend

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def test_esc_escapes_markup_and_quotes() -> None:
    assert esc(EVIL) == ("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34; "
                         "&#39;single&#39;")


def test_esc_drops_characters_xml_cannot_hold() -> None:
    assert esc("a\x00b\x07c\x1bd\ttab") == "abcd\ttab"


@pytest.mark.parametrize(("value", "expected"), [
    (1, "1"), (1.0, "1"), (1.005, "1"), (2.345678, "2.35"), (-0.001, "0"), (-1.5, "-1.5"),
    (1234567.891, "1234567.89"), (0.1 + 0.2, "0.3"),
])
def test_num_rounds_to_two_decimals(value: float, expected: str) -> None:
    assert num(value) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_num_rejects_non_finite(value: float) -> None:
    with pytest.raises(ValueError):
        num(value)


def test_ids_derive_from_the_prefix_only() -> None:
    assert make_id("ind-11.6.2", "title") == "ind-11-6-2-title"
    assert make_id('"><x', "desc") == "x-desc"
    assert make_id("", "title") == "chart-title"
    assert make_id("42", "title") == "c-42-title"


@pytest.mark.parametrize(("href", "expected"), [
    ("/sdg/goals/1", "/sdg/goals/1"), ("https://unstats.un.org/x", "https://unstats.un.org/x"),
    ("#goal-1", "#goal-1"), ("goals/1?x=1", "goals/1?x=1"), ("javascript:alert(1)", None),
    (" JavaScript:alert(1)", None), ("data:text/html,x", None), ("//evil.example/", None),
    ("", None), (None, None),
])
def test_safe_href_allows_only_relative_and_http(href: str | None, expected: str | None) -> None:
    assert safe_href(href) == expected


def test_builder_escapes_text_and_attributes() -> None:
    b = SvgBuilder()
    start_svg(b, prefix="p", width=10, height=10, title=EVIL, desc=EVIL, css_class="chart")
    b.el("text", EVIL, x=1, y=2, data_label=EVIL).close("svg")
    out = b.markup()
    assert isinstance(out, Markup)
    assert "<script>" not in out
    root = parse(out)
    assert root[0].text == EVIL
    assert root[2].get("data-label") == EVIL and root[2].text == EVIL


def test_builder_rejects_bad_attribute_names() -> None:
    with pytest.raises(ValueError):
        SvgBuilder().el("rect", **{"onload=x": 1})


def test_markup_labels_are_escaped_too() -> None:
    assert esc(Markup("<b>bold</b>")) == "&lt;b&gt;bold&lt;/b&gt;"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_user_text_gives_well_formed_svg(text: str) -> None:
    out = render_trend([(2015, 1), (2016, 2)], prefix=text or "p", title=text, unit=text,
                       name=text, disaggregations=[(text, [(2015, 3)])],
                       targets=[(2030, 5, text)])
    root = parse(out)  # raises on any markup or character that breaks the XML
    expected = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    assert (root[0].text or "") == expected
    assert "<script" not in str(render_goal_strip({}, {}, prefix="s", title=text,
                                                  titles={1: text}, hrefs={1: text}))
