"""The progress API: every indicator with the inputs behind its status (as the engine gives
them), every roll-up with its counts, drafts for those allowed, and the OpenAPI entry."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth
from tests.progress.test_progress_routes import RISING, align, link, put
from tracker.auth.models import Role
from tracker.cities.models import City
from tracker.progress.extensions import assess
from tracker.progress.result import STATUSES


@pytest.fixture
def city(make_city) -> City:  # type: ignore[no-untyped-def]
    return make_city(slug="river-city", is_published=False)


def test_indicators_come_with_their_inputs_and_every_rollup(
        app: Flask, db: Session, client: FlaskClient, auth: Auth, city: City,  # type: ignore[no-untyped-def]
        make_indicator, make_plan, make_element, make_user) -> None:
    plan = make_plan(city)
    top = make_element(plan, "1")
    child = make_element(plan, "1.1", parent=top)
    ind = make_indicator(city, "W-1", baseline_year=2015,
                         targets=[{"year": 2030, "value": "100"}])
    put(db, ind, RISING)
    align(app, db, ind, "6.1.1")
    link(app, db, ind, child)
    empty = make_indicator(city, "W-2", baseline_year=2015)
    align(app, db, empty, "6.2.1")
    auth.login(make_user(Role.ADMIN))
    body = client.get("/api/v1/cities/river-city/progress").json
    expected = assess([(y, float(v)) for y, v in RISING.items()], direction="higher",
                      base_year=2015, targets=[(2030, 100)])
    w1 = next(i for i in body["indicators"] if i["code"] == "W-1")
    total = w1["series"][0]
    assert (w1["status"], w1["sdg_indicators"], w1["elements"]) == (
        expected.status, ["6.1.1"], [child.id])
    assert total["breakdown"] == "" and total == {"breakdown": "", **expected.as_dict()}
    assert total["method"] == "cagr" and total["base_value"] == 40.0
    w2 = next(i for i in body["indicators"] if i["code"] == "W-2")
    assert w2["status"] == "not_available" and w2["series"][0]["reason"] == "no data"
    assert body["city_rollup"]["counts"] == {s: int(s in (expected.status, "not_available"))
                                             for s in STATUSES}
    assert body["city_rollup"]["status"] == "insufficient_data"  # 1 of 2 with a status
    assert [(g["goal"], g["indicator_count"]) for g in body["goals"]] == [(6, 2)]
    assert [(t["target"], t["status"]) for t in body["targets"]] == [
        ("6.1", expected.status), ("6.2", "insufficient_data")]
    assert {(e["code"], e["status"]) for e in body["elements"]} == {
        ("1", expected.status), ("1.1", expected.status)}
    assert all(e["plan_id"] == plan.id for e in body["elements"])


@pytest.mark.usefixtures("app")
def test_drafts_count_only_for_those_who_see_internals(
        db: Session, client: FlaskClient, auth: Auth, make_city,  # type: ignore[no-untyped-def]
        make_indicator, make_user) -> None:
    city = make_city(slug="open-city")
    ind = make_indicator(city, "D-1", baseline_year=2015)
    put(db, ind, RISING, status="submitted")
    url = "/api/v1/cities/open-city/progress?drafts=1"
    visitor = client.get(url).json
    assert visitor["include_drafts"] is False
    assert visitor["indicators"][0]["status"] == "not_available"
    auth.login(make_user(Role.OFFICER, city=city))
    officer = client.get(url).json
    assert officer["include_drafts"] is True
    assert officer["indicators"][0]["series"][0]["latest_year"] == 2021
    assert client.get(url.split("?")[0]).json["include_drafts"] is False


def test_the_openapi_document_describes_progress(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    operation = doc["paths"]["/cities/{slug}/progress"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"slug", "drafts"}
    series = doc["components"]["schemas"]["ProgressSeries"]["properties"]
    assert {"actual_growth", "required_growth", "ratio", "thresholds", "method",
            "progress_share", "elapsed_share", "year_reached"} <= set(series)


@pytest.mark.usefixtures("app")
def test_infinite_figures_stay_valid_json(db: Session, client: FlaskClient,  # type: ignore[no-untyped-def]
                                          make_city, make_indicator) -> None:
    city = make_city(slug="flat-city")
    ind = make_indicator(city, "F-1", baseline_year=2015, targets=[{"year": 2030,
                                                                    "value": "50"}])
    put(db, ind, {2015: "40", 2021: "40"})  # no growth: the ratio is 0, never NaN in JSON
    response = client.get("/api/v1/cities/flat-city/progress")
    assert response.status_code == 200
    assert "NaN" not in response.get_data(as_text=True)
    assert "Infinity" not in response.get_data(as_text=True)
