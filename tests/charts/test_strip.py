"""The 17-goal strip: goal colours in, status by symbol and text, optional safe links."""

import pytest

from tests.charts.helpers import EVIL, NS, assert_accessible, parse
from tracker.charts.palette import PALETTE, SYMBOL_PATHS
from tracker.charts.strip import goal_strip_figure, render_goal_strip

SVG = "{http://www.w3.org/2000/svg}"
COLOURS = {1: "#E5243B", 2: "#DDA63A", 3: "#4C9F38", 11: "#FD9D24", 17: "#19486A"}
STATUSES = {1: "target_achieved", 2: "substantial_progress", 3: "moderate_progress",
            4: "limited_progress", 5: "deterioration", 6: "not_available",
            7: "insufficient_data", 8: None, 9: "", 10: "bogus"}


def _goals(root):  # type: ignore[no-untyped-def]
    """Return the 17 goal groups or links."""
    return [el for el in root if el.get("class") == "chart-goal"]


def test_strip_has_17_goals_with_colour_number_symbol_and_status_title() -> None:
    root = assert_accessible(render_goal_strip(STATUSES, COLOURS, prefix="s", title="Goals",
                                               titles={3: "Good health"}))
    goals = _goals(root)
    assert len(goals) == 17
    first = goals[0]
    assert first.find("svg:rect", NS).get("fill") == "#E5243B"
    assert first.find("svg:text", NS).text == "1"
    assert first.find("svg:title", NS).text == "Goal 1 — Target achieved"
    assert goals[2].find("svg:title", NS).text == "Goal 3: Good health — Moderate progress"
    symbols = [g.findall("svg:path", NS)[0].get("d") for g in goals[:7]]
    assert symbols == [s.symbol_path for s in PALETTE.values()]
    assert len(set(SYMBOL_PATHS.values())) == len(PALETTE)  # one distinct symbol per status


def test_missing_blank_or_unknown_statuses_show_as_not_available() -> None:
    root = parse(render_goal_strip(STATUSES, COLOURS, prefix="s", title="Goals"))
    for goal in _goals(root)[7:10]:
        assert goal.find("svg:title", NS).text.endswith("Not available")
    desc = root.find("svg:desc", NS).text
    assert "Target achieved: 1" in desc and "Not available: 11" in desc


def test_bad_or_missing_colours_fall_back_to_grey() -> None:
    root = parse(render_goal_strip({}, {1: 'red" onload="x', 2: "#12345"}, prefix="s", title="t"))
    assert {g.find("svg:rect", NS).get("fill") for g in _goals(root)[:4]} == {"#5f6b77"}


def test_links_are_filtered_and_make_the_strip_a_group() -> None:
    hrefs = {1: "/sdg/goals/1", 2: "javascript:alert(1)", 3: "https://sdgs.un.org/goals/goal3"}
    root = assert_accessible(render_goal_strip(STATUSES, COLOURS, prefix="s", title="t",
                                               hrefs=hrefs), role="group")
    goals = _goals(root)
    assert [g.tag for g in goals[:4]] == [SVG + "a", SVG + "g", SVG + "a", SVG + "g"]
    assert goals[0].get("href") == "/sdg/goals/1"
    assert goals[0].get("aria-label") == "Goal 1 — Target achieved"
    assert "javascript" not in str(render_goal_strip({}, {}, prefix="s", title="t", hrefs=hrefs))


def test_strip_is_deterministic_and_escapes_titles() -> None:
    args = (STATUSES, COLOURS)
    kwargs = {"prefix": "s", "title": EVIL, "titles": {1: EVIL}}
    assert str(render_goal_strip(*args, **kwargs)) == str(render_goal_strip(*args, **kwargs))
    out = render_goal_strip(*args, **kwargs)
    assert "<script>" not in out
    assert _goals(parse(out))[0].find("svg:title", NS).text.startswith(f"Goal 1: {EVIL}")


@pytest.mark.parametrize(("columns", "rows"), [(17, 1), (9, 2), (6, 3)])
def test_strip_wraps_into_columns(columns: int, rows: int) -> None:
    root = parse(render_goal_strip({}, {}, prefix="s", title="t", columns=columns))
    ys = {g.find("svg:rect", NS).get("y") for g in _goals(root)}
    assert len(ys) == rows


def test_strip_table_gives_status_as_symbol_and_text() -> None:
    fig = goal_strip_figure(STATUSES, COLOURS, prefix="s", title="Goals", titles={1: "No poverty"})
    assert fig.table.headers == ["Goal", "Status"]
    assert fig.table.rows[0] == ["Goal 1: No poverty", "✓ Target achieved"]
    assert fig.table.rows[4] == ["Goal 5", "↓ Deterioration"]
    assert len(fig.table.rows) == 17
