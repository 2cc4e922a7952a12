"""The bundled SDG catalogue: complete, correct codes and titles, and browsable."""

import csv

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.catalogue.colours import contrast, darken_for_text, text_colour_on
from tracker.catalogue.models import Goal, IndicatorStatus, SdgIndicator, Target
from tracker.catalogue.records import indicator_sort_key, target_sort_key

PM25 = ("Annual mean levels of fine particulate matter (e.g. PM2.5 and PM10) in cities "
        "(population weighted)")


def read_sdg_csv(path) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Read one of the catalogue's CSV files."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def count(db: Session, model: type, *where: object) -> int:
    """Count rows of a model."""
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_framework_has_17_goals_169_targets_248_listed_231_unique(db: Session) -> None:
    assert count(db, Goal) == 17
    assert count(db, Target) == 169
    active = SdgIndicator.status == IndicatorStatus.ACTIVE
    assert count(db, SdgIndicator, active) == 248
    assert count(db, SdgIndicator, active, SdgIndicator.repeat_of_id.is_(None)) == 231


def test_official_codes_and_titles(db: Session) -> None:
    indicator = db.scalars(select(SdgIndicator).where(SdgIndicator.code == "11.6.2")).one()
    assert indicator.title == PM25
    assert indicator.target.code == "11.6" and indicator.target.goal.number == 11
    goal = db.scalars(select(Goal).where(Goal.code == "6")).one()
    assert goal.title == ("Ensure availability and sustainable management of water and "
                          "sanitation for all")
    assert goal.colour.upper() == "#26BDE2"


def test_repeats_point_to_the_first_listing(db: Session) -> None:
    repeat = db.scalars(select(SdgIndicator).where(SdgIndicator.code == "13.1.1")).one()
    assert repeat.repeat_of is not None and repeat.repeat_of.code == "1.5.1"
    assert repeat.title == repeat.repeat_of.title


def test_deleted_indicators_are_kept_only_as_retired(db: Session) -> None:
    retired = db.scalars(select(SdgIndicator).where(SdgIndicator.code == "11.c.1")).one()
    assert retired.status == IndicatorStatus.RETIRED
    assert retired.note


def test_data_files_are_consistent(repo_root) -> None:  # type: ignore[no-untyped-def]
    folder = repo_root / "indicators" / "sdg"
    targets = {r["code"] for r in read_sdg_csv(folder / "targets.csv")}
    rows = read_sdg_csv(folder / "indicators.csv")
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert all(r["target"] in targets for r in rows)
    assert all(r["code"].rsplit(".", 1)[0] == r["target"] for r in rows)


def test_sort_keys_follow_the_official_order() -> None:
    codes = ["1.10", "1.2", "1.a", "1.b"]
    assert sorted(codes, key=target_sort_key) == ["1.2", "1.10", "1.a", "1.b"]
    assert indicator_sort_key("17.19.2") > indicator_sort_key("17.2.1")


def test_goal_page_lists_targets_and_indicators(client: FlaskClient) -> None:
    html = client.get("/sdg/goals/11").get_data(as_text=True)
    assert "11.6.2" in html and "11.c" in html
    assert "PM2.5 and PM10" in html


def test_goal_pages_cost_the_same_few_queries_for_any_goal(client: FlaskClient,
                                                           count_queries) -> None:  # type: ignore[no-untyped-def]
    costs = {}
    for code in ("1", "11", "13", "17"):  # 11 and 13 list repeats: one more eager query
        with count_queries() as n:
            assert client.get(f"/sdg/goals/{code}").status_code == 200
        costs[code] = n()
    assert costs["1"] == costs["17"] and costs["11"] == costs["13"] <= 4


def test_goals_list_is_one_query(client: FlaskClient, count_queries) -> None:  # type: ignore[no-untyped-def]
    with count_queries() as n:
        assert client.get("/sdg/").status_code == 200
    assert n() <= 2


def test_indicator_page_shows_repeats(client: FlaskClient) -> None:
    html = client.get("/sdg/indicators/1.5.1").get_data(as_text=True)
    assert "11.5.1" in html and "13.1.1" in html


def test_unknown_codes_are_404(client: FlaskClient) -> None:
    assert client.get("/sdg/goals/18").status_code == 404
    assert client.get("/sdg/indicators/99.9.9").status_code == 404


@pytest.mark.parametrize("q,expected", [("11.6.2", "11.6.2"), ("11.6", "11.6.1"),
                                        ("particulate matter", "11.6.2"),
                                        ("WASTEWATER", "6.3.1")])
def test_search_by_code_or_words(client: FlaskClient, q: str, expected: str) -> None:
    html = client.get("/sdg/search", query_string={"q": q}).get_data(as_text=True)
    assert expected in html


def test_search_escapes_user_text(client: FlaskClient) -> None:
    html = client.get("/sdg/search", query_string={"q": "<script>x</script>"}).get_data(
        as_text=True)
    assert "<script>x</script>" not in html


def test_goal_colours_keep_text_readable(client: FlaskClient, db: Session) -> None:
    css = client.get("/sdg/goal-colours.css").get_data(as_text=True)
    assert ".goal-bg-7{" in css
    for goal in db.scalars(select(Goal)):
        assert contrast(goal.colour, text_colour_on(goal.colour)) >= 3.0
        assert contrast(darken_for_text(goal.colour), "#ffffff") >= 4.5
