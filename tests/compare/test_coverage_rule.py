"""The coverage rule (issue 15): a city is ranked only with scores on at least
COMPARE_MIN_INDICATORS indicators and COMPARE_MIN_SHARE of the indicators scored for anyone;
coverage "n of m" beside every score on the page, in the CSV and the XLSX; equal composites
share a rank. Every expected figure is worked out by hand below from the NITI Aayog formula
(higher is better: 100·(x − min)/(max − min); lower: 100·(max − x)/(max − min))."""

import csv
import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.compare.support import measure, text
from tracker.compare.selection import read_selection
from tracker.compare.services import Comparison, compare

URL = "/compare?cities=rv-north,rv-south,rv-east,rv-west"


@pytest.fixture
def quartet(app: Flask, db: Session, make_city, make_indicator) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """North, South and East share four indicators (goal 6: three, goal 11: one); West has a
    value on one of them only."""
    cities = {key: make_city(slug=f"rv-{key}", name=f"{key.title()} Riverton")
              for key in ("north", "south", "east", "west")}
    table = {  # SDG indicator, direction → values of north, south, east (and west)
        ("6.1.1", "higher"): ("40", "80", "60", "50"),
        ("6.2.1", "higher"): ("90", "50", "70", None),
        ("6.3.1", "lower"): ("10", "30", "20", None),
        ("11.6.1", "higher"): ("20", "100", "60", None),
    }
    for n, ((sdg, direction), values) in enumerate(table.items()):
        for key, value in zip(("north", "south", "east", "west"), values, strict=True):
            if value is not None:
                series = {2020: "60", 2022: value} if (key, sdg) == ("south", "6.1.1") \
                    else {2022: value}
                measure(app, db, make_indicator, cities[key], f"{key[0].upper()}-{n}", sdg,
                        series, direction=direction, name=f"{key} {sdg}")
    return cities


def standings(db: Session, **args: str) -> dict[str, Any]:
    """The comparison's standings by city slug."""
    comparison: Comparison = compare(db, None, read_selection(
        {"cities": "rv-north,rv-south,rv-east,rv-west"} | args))
    return {s.city.slug: s for s in comparison.standings}


@pytest.mark.usefixtures("quartet", "app_ctx")
def test_a_city_below_the_rule_is_not_ranked_and_the_others_rank_by_hand(db: Session) -> None:
    by_city = standings(db)
    # By hand. 6.1.1 (min 40, max 80): N 0, S 100, E 50, W 25. 6.2.1 (50…90): N 100, S 0,
    # E 50. 6.3.1 lower (10…30): N 100, S 0, E 50. 11.6.1 (20…100): N 0, S 100, E 50.
    # Goal 6: N (0+100+100)/3, S (100+0+0)/3, E 50; goal 11: N 0, S 100, E 50.
    # Composites: N (200/3 + 0)/2 = 33.33, S (100/3 + 100)/2 = 66.67, E 50.
    north, south, east, west = (by_city[f"rv-{k}"] for k in ("north", "south", "east", "west"))
    assert north.composite == pytest.approx(100 / 3)
    assert south.composite == pytest.approx(200 / 3)
    assert east.composite == pytest.approx(50.0)
    assert north.goals == {6: pytest.approx(200 / 3), 11: 0.0}
    assert (south.rank, east.rank, north.rank) == (1, 2, 3)
    assert (south.category, east.category, north.category) == (
        "front_runner", "performer", "aspirant")  # 66.67 rounds to 67 ≥ 65; 50; 33
    # West: a score on 1 of the 4 indicators scored for anyone (1 < 3, and 25 % < 50 %).
    assert (west.coverage.n, west.coverage.m) == (1, 4)
    assert west.rank is None and west.composite is None and west.category is None
    assert west.goals == {}
    assert (north.coverage.n, north.coverage.m) == (4, 4)
    assert (north.goal_coverage[6].n, north.goal_coverage[6].m) == (3, 3)


@pytest.mark.usefixtures("quartet", "app_ctx")
def test_the_rule_can_be_set_in_the_url_and_both_parts_apply(db: Session) -> None:
    # One indicator is enough by number, but 1 of 4 is 25 %: still below 50 %.
    assert standings(db, min_indicators="1")["rv-west"].rank is None
    west = standings(db, min_indicators="1", min_share="25")["rv-west"]
    assert west.composite == pytest.approx(25.0) and west.rank == 4  # 100·(50−40)/(80−40)
    # Five indicators asked for: nobody has them.
    assert all(s.rank is None for s in standings(db, min_indicators="5").values())


class TestConfiguredRule:
    """COMPARE_MIN_INDICATORS and COMPARE_MIN_SHARE set the default rule."""

    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"COMPARE_MIN_INDICATORS": 5, "COMPARE_MIN_SHARE": 0.25}

    @pytest.mark.usefixtures("quartet", "app_ctx")
    def test_the_configured_rule_applies(self, db: Session) -> None:
        assert all(s.rank is None for s in standings(db).values())  # 4 indicators < 5
        by_four = standings(db, min_indicators="4")  # the URL's number, the config's share
        assert [by_four[f"rv-{k}"].rank for k in ("south", "east", "north", "west")] == [
            1, 2, 3, None]


@pytest.mark.usefixtures("quartet")
def test_the_page_shows_coverage_beside_every_score_and_the_rule_in_words(
        client: FlaskClient) -> None:
    page = text(client.get(URL))
    ranking = page.split("Scores and ranking", 1)[1].split("How the scores", 1)[0]
    assert "1 South Riverton 66.7 4 of 4 indicators Front Runner" in ranking
    assert "3 North Riverton 33.3 4 of 4 indicators Aspirant" in ranking
    assert "66.7 (3 of 3 indicators)" in ranking and "0.0 (1 of 1 indicators)" in ranking
    assert "— West Riverton Not ranked — coverage 1 of 4" in ranking
    method = page.split("How the scores and ranks are made", 1)[1]
    assert "ranked only if n is at least 3 and at least 50 % of m" in method
    assert "ranked only if n is at least 2 and at least 40 % of m" in text(
        client.get(URL + "&min_indicators=2&min_share=40"))


@pytest.mark.usefixtures("quartet")
def test_the_exports_carry_the_coverage(client: FlaskClient) -> None:
    response = client.get(URL.replace("/compare", "/compare.csv"))
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    composite = {r["city"]: r for r in rows if r["goal"] == "all"}
    assert composite["rv-south"]["coverage"] == "4 of 4 indicators"
    assert composite["rv-south"]["score"] == "66.67"
    assert composite["rv-west"]["coverage"] == "1 of 4 indicators"
    assert composite["rv-west"]["score"] == ""
    assert composite["rv-west"]["left_out_of_scores"] == "Not ranked — coverage 1 of 4"
    goal_6 = next(r for r in rows if r["goal"] == "6" and r["city"] == "rv-north"
                  and not r["sdg_indicator"])
    assert goal_6["coverage"] == "3 of 3 indicators"


def test_equal_composites_share_a_rank(app: Flask, db: Session, make_city, make_indicator,  # type: ignore[no-untyped-def]
                                       app_ctx: Flask) -> None:  # noqa: ARG001
    twins = [make_city(slug=f"twin-{n}") for n in range(3)]
    # 6.1.1: 0, 100, 100 (min 10, max 30); both best cities tie at 100, the other is 0.
    for city, value in zip(twins, ("10", "30", "30"), strict=True):
        measure(app, db, make_indicator, city, "T-1", "6.1.1", {2022: value})
    ranks = {s.city.slug: s.rank for s in compare(db, None, read_selection(
        {"cities": "twin-0,twin-1,twin-2", "min_indicators": "1"})).standings}
    assert ranks == {"twin-1": 1, "twin-2": 1, "twin-0": 3}


@pytest.mark.usefixtures("quartet")
def test_the_api_gives_each_city_its_coverage_and_the_rule(client: FlaskClient) -> None:
    body = client.get("/api/v1" + URL + "&min_share=40").json
    assert body["coverage_rule"] == {"min_indicators": 3, "min_share_percent": 40}
    scores = {s["city"]: s for s in body["scores"]}
    assert scores["rv-west"]["coverage"] == {"n": 1, "m": 4}
    assert scores["rv-west"]["rank"] is None and scores["rv-west"]["composite"] is None
    assert scores["rv-south"]["coverage"] == {"n": 4, "m": 4} and scores["rv-south"]["rank"] == 1
