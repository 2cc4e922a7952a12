"""The shipped demo is comparable (issue 15): its published cities share indicators defined
alike, so a visitor comparing them sees real scores, three cities ranked (on every goal, and
on goal 11 alone), Patiala below the coverage rule, and fiscal years flagged beside calendar
years."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.compare.support import text
from tracker.compare.selection import read_selection
from tracker.compare.services import compare
from tracker.demo.services import load_demo

PUBLISHED = "ethekwini,helsinki,patiala-district,patiala"


@pytest.fixture
def demo(app_ctx: Any, db: Session) -> Session:  # noqa: ARG001 - load_demo needs the app context
    """The demo loaded (twice: the second load adds nothing)."""
    load_demo(db)
    assert not [c for c in load_demo(db).created if not c.startswith("user ")]
    return db


def test_a_visitor_sees_scores_and_ranks_of_the_demo_cities(demo: Session) -> None:
    comparison = compare(demo, None, read_selection({"cities": PUBLISHED}))
    rows = {row.sdg.code: row for row in comparison.rows}
    # Six shared indicators, each scored for every city that reports it.
    scored = [code for code, row in rows.items() if any(c.score for c in row.cells)]
    assert scored == ["3.6.1", "6.1.1", "6.2.1", "11.1.1", "11.6.1", "11.6.2"]
    water = {c.city.slug: c for c in rows["6.1.1"].cells}
    # 2022 values (2023's are submitted, not approved): 82.3, 99.8, 66.1 →
    # eThekwini 100 × (82.3 − 66.1) / (99.8 − 66.1) = 48.07…
    assert water["ethekwini"].score.value == pytest.approx(100 * 16.2 / 33.7)  # type: ignore[union-attr]
    assert not any(c.flags for c in rows["6.1.1"].cells)  # like for like
    by_city = {s.city.slug: s for s in comparison.standings}
    assert [by_city[k].rank for k in ("helsinki", "ethekwini", "patiala-district")] == [1, 2, 3]
    patiala = by_city["patiala"]
    assert patiala.rank is None and (patiala.coverage.n, patiala.coverage.m) == (2, 6)
    assert "calendar" in rows["6.1.1"].notes and "calendar" not in rows["11.6.2"].notes


@pytest.mark.usefixtures("demo")
def test_the_demo_comparison_page_ranks_and_flags(client: FlaskClient) -> None:
    page = text(client.get(f"/compare?cities={PUBLISHED}"))
    assert "No score" not in page
    assert "Not ranked — coverage 2 of 6" in page and "6 of 6 indicators" in page
    assert "eThekwini (fiscal 2022/23)" in page and "Helsinki (calendar 2022)" in page


@pytest.mark.usefixtures("app_ctx")
def test_goal_11_alone_ranks_the_three_cities_sharing_its_indicators(demo: Session) -> None:
    comparison = compare(demo, None, read_selection({"cities": PUBLISHED, "goal": "11"}))
    by_city = {s.city.slug: s for s in comparison.standings}
    # 11.1.1 lower (0 … 23.1 in 2022): Helsinki 100, eThekwini 0, Patiala District
    # 100 × (23.1 − 12.0) / 23.1; 11.6.1 and 11.6.2 as on every goal.
    assert by_city["patiala-district"].goals[11] == pytest.approx(
        (100 * 11.1 / 23.1 + 0 + 100 * (63.2 - 60.1) / (63.2 - 5.5)) / 3)
    assert [by_city[k].rank for k in ("helsinki", "ethekwini", "patiala-district")] == [1, 2, 3]
    assert by_city["patiala"].rank is None
