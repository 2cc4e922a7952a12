"""The plan and local indicator API: trees, exact decimals, paging, access, OpenAPI entries."""

from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.plans.test_coverage_routes import align, sdg_node
from tracker.auth.models import Role
from tracker.indicators.models import SdgRelation
from tracker.indicators.services import align_to_sdg, link_element
from tracker.plans.tree import create_revision, set_retired


@pytest.fixture
def durban(app: Flask, db: Session, make_city, make_plan, make_element,  # type: ignore[no-untyped-def]
           make_indicator) -> dict[str, Any]:
    """A city with a revised three-level plan, a retired element and a full indicator."""
    city = make_city(slug="durban", fiscal_year_start_month=7)
    idp = make_plan(city, title="IDP", level_names=["Plan", "Programme", "Project"])
    top = make_element(idp, "1", title="Spatial", department="Planning",
                       budget=Decimal("12345678901234.56"))
    mid = make_element(idp, "1.1", parent=top, title="SDF")
    leaf = make_element(idp, "1.1.1", parent=mid, title="SDF review")
    make_element(idp, "2", title="Economy")
    align(app, db, top, "11.3", relation="direct", is_primary=True, rationale="Best match")
    align(app, db, leaf, "11.3.2")
    old = make_element(idp, "9", title="Dropped")
    with boundary(app, db):
        set_retired(session=db, element=old, retired=True, user_id=None)
    ind = make_indicator(city, "WS-1", name="Water", baseline_year=2022,
                         baseline_value="99.94", natural_limit="100",
                         targets=[{"year": 2026, "value": "99.5", "label": "IDP"},
                                  {"year": 2030, "value": "100", "label": "SDG"}],
                         dimensions=[{"name": "sex", "values": ["female", "male"]}])
    band = make_indicator(city, "B-1", direction="band", band_low="0.5", band_high="1.25",
                          unit_kind="other", unit_label="ratio", baseline_note="None yet")
    with boundary(app, db):
        align_to_sdg(session=db, indicator=ind, sdg_indicator=sdg_node(db, "6.1.1"),  # type: ignore[arg-type]
                     relation=SdgRelation.PROXY, rationale="Households", user_id=None)
        link_element(session=db, indicator=ind, element=leaf, user_id=None)
    db.refresh(idp)
    with boundary(app, db):
        create_revision(session=db, plan=idp, user_id=None)
    return {"city": city, "indicator": ind, "band": band}


@pytest.mark.usefixtures("durban")
def test_plans_come_with_their_element_trees(client: FlaskClient) -> None:
    body = client.get("/api/v1/cities/durban/plans").json
    assert body["total"] == 2 and [p["revision"] for p in body["items"]] == [1, 2]
    old, new = body["items"]
    assert (old["is_current"], old["status"]) == (False, "superseded")
    assert (new["is_current"], new["status"], new["revision_of_id"]) == (
        True, "under_review", old["id"])
    assert new["period"] == "2022/23–2026/27" and new["kind"] == "integrated_development_plan"
    assert [e["code"] for e in new["elements"]] == ["1", "2", "9"]
    top = new["elements"][0]
    assert top["budget"] == "12345678901234.56" and top["department"] == "Planning"
    assert top["level"] == "Plan" and top["alignments"] == [{
        "sdg_code": "11.3", "kind": "target", "target": "11.3", "goal": "11",
        "relation": "direct", "is_primary": True, "rationale": "Best match"}]
    leaf = top["children"][0]["children"][0]
    assert (leaf["code"], leaf["level"], leaf["depth"]) == ("1.1.1", "Project", 2)
    assert leaf["alignments"][0]["kind"] == "indicator"
    assert leaf["alignments"][0]["sdg_code"] == "11.3.2"
    assert new["elements"][2]["is_retired"] is True and new["elements"][1]["budget"] is None


@pytest.mark.usefixtures("durban")
def test_indicators_come_with_exact_decimals_and_links(client: FlaskClient) -> None:
    body = client.get("/api/v1/cities/durban/indicators").json
    assert body["total"] == 2 and [i["code"] for i in body["items"]] == ["B-1", "WS-1"]
    band, water = body["items"]
    assert band["band"] == {"low": "0.5", "high": "1.25"}
    assert band["baseline"] == {"year": None, "value": None, "note": "None yet"}
    assert band["unit"] == {"kind": "other", "label": "ratio"} and band["targets"] == []
    assert water["baseline"] == {"year": 2022, "value": "99.94", "note": ""}
    assert water["band"] is None and water["natural_limit"] == "100"
    assert water["targets"] == [{"year": 2026, "value": "99.5", "label": "IDP"},
                                {"year": 2030, "value": "100", "label": "SDG"}]
    assert water["dimensions"] == [{"name": "sex", "values": ["female", "male"]}]
    assert water["sdg_alignments"] == [{"sdg_indicator": "6.1.1", "target": "6.1", "goal": "6",
                                        "relation": "proxy", "rationale": "Households"}]
    # the revision copied the link, so the indicator measures "1.1.1" in both revisions
    assert [(e["code"], e["plan_title"]) for e in water["elements"]] == [("1.1.1", "IDP")] * 2


@pytest.mark.usefixtures("durban")
def test_plans_are_paged(client: FlaskClient) -> None:
    body = client.get("/api/v1/cities/durban/plans?per_page=1&page=2").json
    assert (body["page"], body["pages"], body["total"]) == (2, 2, 2)
    assert body["items"][0]["revision"] == 2
    assert client.get("/api/v1/cities/durban/plans?per_page=0").status_code == 400
    assert client.get("/api/v1/cities/durban/indicators?page=x").status_code == 400


def test_unreadable_and_unknown_cities(make_network, make_city, make_user,  # type: ignore[no-untyped-def]
                                       client: FlaskClient, auth: Auth) -> None:
    network = make_network()
    make_city(slug="hidden", network=network, is_published=False)
    for path in ("plans", "indicators"):
        response = client.get(f"/api/v1/cities/hidden/{path}")  # a visitor: sign in first
        assert response.status_code == 401 and response.is_json
        assert client.get(f"/api/v1/cities/atlantis/{path}").status_code == 404
    auth.login(make_user(Role.REVIEWER, network=network))
    assert client.get("/api/v1/cities/hidden/plans").json["total"] == 0


# ---------------------------------------------------------------- OpenAPI entries

def check(doc: dict[str, Any], schema: dict[str, Any], value: Any) -> None:
    """Validate a value against a schema of the generated OpenAPI document."""
    jsonschema.validate(value, {**schema, "components": doc["components"]},
                        cls=jsonschema.Draft202012Validator)


@pytest.mark.usefixtures("durban")
def test_responses_match_the_openapi_document(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    for path in ("/cities/{slug}/plans", "/cities/{slug}/indicators"):
        entry = doc["paths"][path]["get"]
        schema = entry["responses"]["200"]["content"]["application/json"]["schema"]
        body = client.get("/api/v1" + path.replace("{slug}", "durban")).json
        assert body["items"]
        check(doc, schema, body)
        assert {p["name"] for p in entry["parameters"]} == {"slug", "page", "per_page"}


def test_a_wrong_response_fails_the_check(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    with pytest.raises(jsonschema.ValidationError):
        check(doc, {"$ref": "#/components/schemas/Plan"}, {"id": 1})
    band = doc["components"]["schemas"]["LocalIndicator"]["properties"]["band"]
    check(doc, band, {"low": "1", "high": None})
    with pytest.raises(jsonschema.ValidationError):
        check(doc, band, {"low": 1, "high": "2"})

