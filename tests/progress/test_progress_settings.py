"""Progress settings on the definition form (rule, configured series as rows, a status set by
hand), shown on the indicator page and in the API; a definitions-sheet save keeps them."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.factories import Auth
from tests.plans.test_indicator_routes import definition, field_error, page
from tests.progress.test_opensdg_examples import observe, rows
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import update_indicator

NEW = "/cities/rules/indicators/new"
SHOW = "/cities/rules/indicators/WS-1"


@pytest.fixture
def officer(make_city: Any, make_user: Any, auth: Auth) -> Any:
    city = make_city(slug="rules", name="Rules")
    auth.login(make_user("officer", city=city))
    return city


def series_rows(*cells: dict[str, str]) -> dict[str, str]:
    """Configured-series rows of the form (and one blank row)."""
    data: dict[str, str] = {}
    for i, row in enumerate([*cells, {}]):
        data |= {f"progress_options-{i}-{k}": row.get(k, "") for k in (
            "unit", "series", "breakdown", "direction", "base_year", "target", "target_year",
            "limit", "thresholds")}
    return data


def stored(db: Session) -> LocalIndicator:
    """The indicator the form saved."""
    return db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).one()


FEMALE_MALE = series_rows({"breakdown": "Sex=Female", "target": "21.5"},
                          {"breakdown": "Sex = Male", "target": "10", "direction": "negative",
                           "thresholds": "high=0.9, med=0.5"})


@pytest.mark.usefixtures("officer")
def test_configured_series_are_saved_as_open_sdg_items_and_shown(
        client: FlaskClient, db: Session) -> None:
    response = client.post(NEW, data=definition(direction="lower") | FEMALE_MALE)
    assert response.status_code == 302
    ind = stored(db)
    assert str(ind.progress_rule) == "configured" and ind.auto_progress
    assert ind.progress_options == [
        {"disaggregation": [{"field": "Sex", "value": "Female"}], "target": 21.5},
        {"direction": "negative", "disaggregation": [{"field": "Sex", "value": "Male"}],
         "target": 10, "progress_thresholds": {"high": 0.9, "med": 0.5}}]
    shown = " ".join(page(client.get(SHOW)).split())
    assert "Sex = Female: lower is better · base year 2015 · target 21.5 by 2030" in shown
    assert "thresholds high 0.9, med 0.5" in shown
    edit = page(client.get(SHOW + "/edit"))  # the rows come back to be edited
    assert 'value="Sex=Female"' in edit and 'value="high=0.9, med=0.5"' in edit


@pytest.mark.usefixtures("officer")
def test_configured_series_decide_the_status(client: FlaskClient, db: Session) -> None:
    client.post(NEW, data=definition(direction="lower") | FEMALE_MALE)
    observe(db, stored(db), [*rows("2015:20", "2020:18"),
                             *rows("2015:22", "2020:21", breakdown={"Sex": "Female"}),
                             *rows("2015:18", "2020:15", breakdown={"Sex": "Male"})])
    body = client.get("/api/v1/cities/rules/progress").get_json()
    (item,) = body["indicators"]
    assert item["rule"] == "configured" and item["status"] == "substantial_progress"
    assert [c["label"] for c in item["counted"]] == ["Sex = Female", "Sex = Male"]
    assert item["counted"][0]["status"] == "target_achieved"
    assert item["score"] == pytest.approx((5 + 2.3701) / 2, abs=1e-4)


@pytest.mark.usefixtures("officer")
@pytest.mark.parametrize(("fields", "cell", "message"), [
    (series_rows({"thresholds": "high=fast"}), "progress_options-0-thresholds",
     "Threshold high must be a number"),
    (series_rows({"breakdown": "Sex"}), "progress_options-0-breakdown",
     "Each disaggregation needs a field and a value"),
    ({"progress_rule": "configured"}, "progress_rule", "Add a configured series below"),
])
def test_bad_progress_settings_are_refused_where_they_were_typed(
        client: FlaskClient, db: Session, fields: dict[str, str], cell: str,
        message: str) -> None:
    response = client.post(NEW, data=definition() | fields)
    assert response.status_code == 422
    assert message in field_error(page(response), cell)
    assert db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).first() is None


@pytest.mark.usefixtures("officer")
def test_the_rule_and_a_manual_status_through_the_form(client: FlaskClient,
                                                       db: Session) -> None:
    client.post(NEW, data=definition(progress_rule="mean_of_breakdowns"))
    assert str(stored(db).progress_rule) == "mean_of_breakdowns"
    assert "Mean of the total and every breakdown" in page(client.get(SHOW))
    version = stored(db).version
    client.post(SHOW + "/edit", data=definition(
        progress_rule="mean_of_breakdowns", manual_progress="y",
        manual_progress_status="moderate_progress",
        expected_version=str(version)))
    ind = stored(db)
    assert not ind.auto_progress and ind.manual_progress_status == "moderate_progress"
    body = client.get("/api/v1/cities/rules/indicators").get_json()
    assert body["items"][0]["progress"] == {"rule": "mean_of_breakdowns", "options": [],
                                            "auto": False,
                                            "manual_status": "moderate_progress"}


@pytest.mark.usefixtures("app_ctx")
def test_a_save_without_progress_settings_keeps_them(db: Session, make_city: Any,
                                                     make_indicator: Any) -> None:
    # A definitions sheet has no progress columns: saving one must not reset imported options.
    ind = make_indicator(make_city(), "K-1", direction="lower")
    ind.progress_options, ind.auto_progress = [{"target": 5}], False
    db.add(ind)
    db.flush()
    sheet = LocalIndicatorCreate(code="K-1", name="Renamed", unit_kind="percent",
                                 direction="lower")
    update_indicator(session=db, indicator=ind, indicator_in=sheet, version=None, user_id=None)
    assert ind.name == "Renamed" and ind.progress_options == [{"target": 5}]
    assert not ind.auto_progress
