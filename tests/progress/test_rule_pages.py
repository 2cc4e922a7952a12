"""The why page and the city's methodology page say which rule decides each indicator's
status, list the configured series with their filters and settings, and say why an
indicator is not computable; no page claims averaging is what Open SDG does."""

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.progress.test_opensdg_examples import Row, observe, rows
from tests.progress.test_progress_routes import text
from tracker.cities.models import City
from tracker.indicators.models import LocalIndicator

SEX = [*rows("2015:20", "2020:18"), *rows("2015:22", "2020:21", breakdown={"Sex": "Female"}),
       *rows("2015:18", "2020:15", breakdown={"Sex": "Male"})]
PER_SEX = [{"disaggregation": [{"field": "Sex", "value": "Female"}], "target": 21.5},
           {"disaggregation": [{"field": "Sex", "value": "Male"}], "target": 10}]


@pytest.fixture
def city(make_city: Any) -> City:
    return make_city(slug="rule-city", name="Rule City")


@pytest.fixture
def define(db: Session, city: City, make_indicator: Any) -> Any:
    """An indicator with values, its progress settings set as an import sets them."""

    def make(code: str, data: list[Row], **settings: Any) -> LocalIndicator:
        indicator = make_indicator(city, code, unit_kind="count", direction="lower")
        for name, value in settings.items():
            setattr(indicator, name, value)
        db.add(indicator)
        observe(db, indicator, data)
        return indicator

    return make


def why(client: FlaskClient, code: str) -> str:
    """The why page's text."""
    return text(client.get(f"/cities/rule-city/indicators/{code}/progress"))


@pytest.mark.usefixtures("app")
def test_the_headline_rule_says_breakdowns_are_for_information(
        client: FlaskClient, define: Any) -> None:
    define("H-1", SEX)
    page = why(client, "H-1")
    assert "Rule: Headline series" in page
    assert "Breakdowns are shown for information; they do not count." in page
    assert "Headline lower is better · base year 2015 ↑ Substantial progress 0.02085 5" in page
    assert "as Open SDG does;" not in page and "mean of the scores" not in page


@pytest.mark.usefixtures("app")
def test_configured_series_are_listed_with_their_filters_and_settings(
        client: FlaskClient, define: Any) -> None:
    define("C-1", SEX, progress_options=PER_SEX)
    page = why(client, "C-1")
    assert "Rule: Configured series" in page
    assert "the 2 series configured for this indicator" in page
    assert ("Sex = Female lower is better · base year 2015 · target 21.5 by 2030 "
            "✓ Target achieved 6.047 5") in page  # p = 6.047: the target is met already
    assert ("Sex = Male lower is better · base year 2015 · target 10 by 2030 "
            "↗ Moderate progress 0.9318 2.37") in page
    assert "score 3.685" in page  # the mean of 5 and 2.370


@pytest.mark.usefixtures("app")
def test_the_mean_rule_says_it_is_the_trackers_not_open_sdgs(
        client: FlaskClient, define: Any) -> None:
    define("M-1", SEX, progress_rule="mean_of_breakdowns")
    page = why(client, "M-1")
    assert "Rule: Mean of the total and every breakdown" in page
    assert "(3 series; 3 had a score)" in page
    assert "Open SDG uses the headline series instead unless series are configured." in page


@pytest.mark.usefixtures("app")
def test_a_manual_status_and_a_missing_one(client: FlaskClient, define: Any) -> None:
    define("S-1", SEX, auto_progress=False, manual_progress_status="moderate_progress")
    define("S-2", SEX, auto_progress=False)
    page = why(client, "S-1")
    assert "Rule: Status set by hand" in page and "Status set by hand: ↗ Moderate progress" in page
    blank = why(client, "S-2")
    assert "Not computable. No status was set by hand." in blank


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(("data", "message"), [
    (rows("2015:22", "2020:21", breakdown={"Sex": "Female"}), "No headline found"),
    ([*rows("2015:1", "2020:2", breakdown={"Units": "%"}),
      *rows("2015:3", "2020:4", breakdown={"Units": "number"})],
     "Several series are left where one is needed (Units: %, number)"),
    ([*rows("2017:20", "2020:18"), *rows("2017-2019:19")], "Two values for the year 2017"),
])
def test_not_computable_says_why(client: FlaskClient, define: Any, data: list[Row],
                                 message: str) -> None:
    define("E-1", data)
    page = why(client, "E-1")
    assert "Not computable. " + message in page
    assert message in text(client.get("/cities/rule-city/progress"))  # the table says why


@pytest.mark.usefixtures("app")
def test_the_city_methodology_lists_each_indicators_rule(client: FlaskClient,
                                                         define: Any) -> None:
    define("A-1", SEX)
    define("B-1", SEX, progress_options=PER_SEX)
    define("C-1", SEX, progress_rule="mean_of_breakdowns")
    define("D-1", rows("2015:22", "2020:21", breakdown={"Sex": "Female"}))
    page = text(client.get("/cities/rule-city/progress/methodology"))
    assert "How each indicator of Rule City is assessed" in page
    assert "A-1 Indicator A-1 Headline series " in page
    assert "B-1 Indicator B-1 Configured series: Sex = Female; Sex = Male " in page
    assert "C-1 Indicator C-1 Mean of the total and every breakdown " in page
    assert "D-1 Indicator D-1 Headline series Not computable. No headline found" in page
    assert "Configured series" in text(client.get("/progress/methodology"))


def test_no_template_claims_averaging_is_open_sdgs(repo_root: Path) -> None:
    for path in (repo_root / "templates").rglob("*.html"):
        assert "as Open SDG does;" not in path.read_text(), path
