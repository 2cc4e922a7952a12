"""The plan and local indicator API: trees, exact decimals, paging, access, OpenAPI entries."""

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.plans.test_coverage_routes import align, sdg_node
from tracker.api import openapi
from tracker.api.plans_openapi import PAGE_PARAMS, PATHS, SCHEMAS
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

def check(value: Any, schema: dict[str, Any], where: str = "$") -> None:
    """Check a value against the small JSON Schema subset the entries use."""
    if "$ref" in schema:
        return check(value, SCHEMAS[schema["$ref"].rsplit("/", 1)[1]], where)
    if "oneOf" in schema:
        errors = []
        for option in schema["oneOf"]:
            try:
                check(value, option, where)
            except AssertionError as error:
                errors.append(error)
        assert len(errors) == len(schema["oneOf"]) - 1, f"{where}: no single match"
        return None
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    python = {"string": str, "integer": int, "boolean": bool, "null": type(None),
              "object": dict, "array": list}
    assert any(isinstance(value, python[t]) and not (t == "integer" and isinstance(value, bool))
               for t in types), f"{where}: {value!r} is not {types}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r}"
    if isinstance(value, dict):
        assert set(value) == set(schema["properties"]) == set(schema["required"]), where
        for key, item in value.items():
            check(item, schema["properties"][key], f"{where}.{key}")
    if isinstance(value, list):
        for i, item in enumerate(value):
            check(item, schema["items"], f"{where}[{i}]")
    return None


@pytest.mark.usefixtures("durban")
def test_responses_match_the_openapi_entries(client: FlaskClient,
                                             app: Flask) -> None:
    for path, entry in PATHS.items():
        schema = entry["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        body = client.get("/api/v1" + path.replace("{slug}", "durban")).json
        assert body["items"]
        check(body, schema)
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint in (
        "api.list_city_plans", "api.list_city_indicators")}
    assert {"/api/v1" + p.replace("{slug}", "<slug>") for p in PATHS} == rules


def test_the_entries_merge_cleanly_into_the_document() -> None:
    assert PAGE_PARAMS == openapi.PAGE_PARAMS
    assert not set(SCHEMAS) & set(openapi.SCHEMAS) and not set(PATHS) & set(openapi.paths())
    assert "Error" in openapi.SCHEMAS  # the entries refer to it


def test_a_wrong_response_fails_the_check() -> None:
    with pytest.raises(AssertionError):
        check({"id": 1}, {"$ref": "#/components/schemas/Plan"})
    with pytest.raises(AssertionError):
        check({"low": 1, "high": "2"}, SCHEMAS["LocalIndicator"]["properties"]["band"])

