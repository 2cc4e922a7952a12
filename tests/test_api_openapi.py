"""The generated OpenAPI document tells the truth: real answers of every endpoint — success and
every error it declares — validate against it, and every API route is in it."""

import re
from collections import defaultdict
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.factories import Auth
from tracker.auth.models import User
from tracker.cities.models import City
from tracker.demo.data import DEMO_PASSWORD
from tracker.demo.services import load_demo

CITY = "/api/v1/cities/ethekwini"
# Routes that serve the document and its reader, not data.
META = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/<path:filename>"}
OFFICER, OTHER_OFFICER = "officer.ethekwini", "officer.patiala"
SECRETARIAT = "secretariat.gcom"


@pytest.fixture
def demo(app: Flask, db: Session) -> Session:
    """The demo cities with plans, indicators, values and climate data; one city hidden."""
    with app.app_context():
        load_demo(db)
        hidden = db.exec(select(City).where(City.slug == "bhavnagar")).one()
        hidden.is_published = False
        db.flush()
    return db


class Caller:
    """Calls the API as one user at a time, and validates each answer against the document."""

    def __init__(self, client: FlaskClient, auth: Auth, doc: dict[str, Any]) -> None:
        self.client, self.auth, self.doc = client, auth, doc
        self.seen: dict[tuple[str, str], set[int]] = defaultdict(set)

    def as_user(self, name: str | None) -> None:
        """Sign in as a demo user (None: sign out)."""
        self.auth.logout()
        if name is not None:
            user = User(email=f"{name}@demo.sdg-tracker.org")
            assert self.auth.login(user, DEMO_PASSWORD).status_code == 302

    def call(self, method: str, url: str, status: int, **kwargs: Any) -> Any:
        """Make a request, check its status and validate its body against the document."""
        response = self.client.open(url, method=method, **kwargs)
        assert response.status_code == status, (method, url, response.get_data(as_text=True))
        path = self.doc_path(url)
        operation = self.doc["paths"][path][method.lower()]
        schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
        check(self.doc, schema, response.json)
        self.seen[(path, method.lower())].add(status)
        return response.json

    def refusal(self, url: str) -> int:
        """What a visitor gets for a city it may not read: 401 where the document says so
        (the API's sign-in answer), else 403."""
        responses = self.doc["paths"][self.doc_path(url)]["get"]["responses"]
        return 401 if "401" in responses else 403

    def doc_path(self, url: str) -> str:
        """The document's path that a URL matches."""
        url = url.split("?")[0].removeprefix("/api/v1")
        for path in self.doc["paths"]:
            if re.fullmatch(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)), url):
                return path
        raise AssertionError(f"{url} is not in the document")


def check(doc: dict[str, Any], schema: dict[str, Any], body: Any) -> None:
    """Validate a body against a schema of the document."""
    jsonschema.validate(body, {**schema, "components": doc["components"]},
                        cls=jsonschema.Draft202012Validator)


def read_everything(api: Caller) -> None:
    """The read endpoints: every answer as a visitor, and their errors."""
    api.as_user(None)
    for url in ("/sdg/goals", "/sdg/targets?goal=11", "/sdg/indicators?goal=11",
                "/networks", "/cities", "/cities?network=gcom"):
        assert api.call("GET", "/api/v1" + url, 200)["items"]
        api.call("GET", "/api/v1" + url.split("?")[0] + "?per_page=0", 400)
    api.call("GET", "/api/v1/sdg/indicators?status=lost", 400)
    api.call("GET", "/api/v1/sdg/indicators/11.6.1", 200)
    api.call("GET", "/api/v1/sdg/indicators/99.9.9", 404)
    for url in (CITY, CITY + "/plans", CITY + "/indicators"):
        api.call("GET", url, 200)
        api.call("GET", url.replace("ethekwini", "bhavnagar"), api.refusal(url))
        api.call("GET", url.replace("ethekwini", "nowhere"), 404)
    for url in (CITY + "/plans", CITY + "/indicators"):
        assert api.call("GET", url, 200)["items"]
        api.call("GET", url + "?page=0", 400)
    api.call("GET", CITY + "/progress", 200)
    api.call("GET", CITY.replace("ethekwini", "bhavnagar") + "/progress", 401)
    api.call("GET", CITY.replace("ethekwini", "nowhere") + "/progress", 404)
    body = api.call("GET", "/api/v1/compare?cities=ethekwini,helsinki,patiala", 200)
    assert body["rows"] and body["scores"]
    api.call("GET", "/api/v1/compare?cities=a%00b", 400)
    api.call("GET", CITY + "/climate", 401)
    # open data: a visitor reads a published city's approved values; an unpublished city
    # is 404 (never 401: its existence is not given away)
    # eThekwini's SDBIP KPIs have no approved value yet; its six indicators shared for the
    # comparison have five each (2018–2022; 2023 is submitted)
    approved = api.call("GET", CITY + "/observations?per_page=500", 200)["items"]
    assert len(approved) == 6 * 5 and {item["status"] for item in approved} == {"approved"}
    patiala = CITY.replace("ethekwini", "patiala-district")
    visible = api.call("GET", patiala + "/observations?per_page=500", 200)["items"]
    assert len(visible) == 40 + 5 * 5 and {item["status"] for item in visible} == {"approved"}
    api.call("GET", CITY.replace("ethekwini", "bhavnagar") + "/observations", 404)


def read_internals(api: Caller) -> None:
    """The endpoints for readers of a city's internals, and their refusals."""
    api.as_user(OFFICER)
    assert api.call("GET", CITY + "/observations", 200)["items"]
    assert api.call("GET", CITY + "/climate", 200)["inventories"]
    api.call("GET", CITY + "/progress?drafts=1", 200)
    api.call("GET", CITY + "/observations?status=lost", 400)
    for url in (CITY + "/observations", CITY + "/climate", CITY + "/progress"):
        api.call("GET", url.replace("ethekwini", "nowhere"), 404)
    api.as_user(OTHER_OFFICER)
    api.call("GET", CITY + "/climate", 403)
    for url in (CITY, CITY + "/plans", CITY + "/indicators", CITY + "/progress"):
        api.call("GET", url.replace("ethekwini", "bhavnagar"), 403)


def save_and_review(api: Caller, code: str) -> None:
    """Saving observations and reviewing one: every answer the two POSTs declare."""
    url, cell = CITY + "/observations", {"indicator": code, "year": 2100, "value": "1.25",
                                         "follow_up": True}
    api.as_user(None)
    api.call("POST", url, 401, json=cell)
    api.as_user(OTHER_OFFICER)
    api.call("POST", url, 403, json=cell)
    api.as_user(OFFICER)
    api.call("POST", url.replace("ethekwini", "nowhere"), 404, json=cell)
    api.call("POST", url, 415, data="{}", content_type="text/plain")
    api.call("POST", url, 400, data="{", content_type="application/json")
    api.call("POST", url, 422, json={**cell, "indicator": "NO-SUCH"})
    saved = api.call("POST", url, 201, json={"observations": [cell]})["items"][0]
    assert saved["value"] == "1.25"  # exact, as sent
    api.call("POST", url, 409, json={**cell, "expected_version": saved["version"] + 1})
    review = f"{url}/{saved['id']}/submit"
    api.call("POST", review, 415, data="{}", content_type="text/plain")
    api.call("POST", review, 400, data="[]", content_type="application/json")
    api.call("POST", review, 422, json={"version": saved["version"], "colour": "red"})
    api.call("POST", review, 409, json={"version": saved["version"] + 1})
    api.call("POST", f"{url}/999999999/submit", 404, json={"version": 1})
    submitted = api.call("POST", review, 200, json={"version": saved["version"]})
    assert submitted["status"] == "submitted"
    api.as_user(OTHER_OFFICER)
    api.call("POST", review, 403, json={"version": submitted["version"]})
    api.as_user(None)
    api.call("POST", review, 401, json={"version": submitted["version"]})
    bulk_approve(api, url + "/approve", {"id": submitted["id"], "version": submitted["version"]})


def bulk_approve(api: Caller, url: str, seen: dict[str, int]) -> None:
    """Bulk approval: every answer it declares, the last one approving the value seen."""
    api.as_user(None)
    api.call("POST", url, 401, json=[seen])
    api.as_user(OFFICER)
    api.call("POST", url, 403, json=[seen])
    api.as_user(SECRETARIAT)
    api.call("POST", url.replace("ethekwini", "nowhere"), 404, json=[seen])
    api.call("POST", url, 415, data="[]", content_type="text/plain")
    api.call("POST", url, 400, data="[", content_type="application/json")
    api.call("POST", url, 422, json=[{**seen, "colour": "red"}])
    api.call("POST", url, 409, json=[{**seen, "version": seen["version"] + 1}])
    done = api.call("POST", url, 200, json=[seen])
    assert done == {"approved": 1, "items": [{"id": seen["id"], "version": seen["version"] + 1}]}


@pytest.mark.usefixtures("demo")
def test_every_answer_of_every_endpoint_matches_the_document(client: FlaskClient,
                                                             auth: Auth) -> None:
    doc = client.get("/api/v1/openapi.json").json
    api = Caller(client, auth, doc)
    read_everything(api)
    read_internals(api)
    api.as_user(OFFICER)
    code = client.get(CITY + "/indicators").json["items"][0]["code"]
    save_and_review(api, code)
    declared = {(path, method): {int(s) for s in operation["responses"]}
                for path, item in doc["paths"].items() for method, operation in item.items()}
    assert dict(api.seen) == declared  # every declared answer was met, and validated


def test_a_wrong_answer_fails_the_check(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    page = doc["paths"]["/sdg/goals"]["get"]["responses"]["200"]["content"]["application/json"]
    good = {"items": [{"code": "1", "title": "No poverty", "short_title": "No poverty",
                       "colour": "#e5243b"}], "page": 1, "per_page": 50, "total": 1, "pages": 1}
    check(doc, page["schema"], good)
    for wrong in ({**good, "items": [{**good["items"][0], "extra": 1}]},  # an unknown key
                  {**good, "total": "1"},  # a number as text
                  {key: value for key, value in good.items() if key != "pages"}):  # one missing
        with pytest.raises(jsonschema.ValidationError):
            check(doc, page["schema"], wrong)
    value = doc["components"]["schemas"]["Observation"]["properties"]["value"]
    check(doc, value, "-12.500")
    check(doc, value, None)
    for wrong_value in (12.5, "1e3", "12,5"):  # decimals are exact strings
        with pytest.raises(jsonschema.ValidationError):
            check(doc, value, wrong_value)


def test_every_api_route_is_in_the_document(client: FlaskClient, app: Flask) -> None:
    doc = client.get("/api/v1/openapi.json").json
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}
    routes = {(re.sub(r"<(?:[^>]*:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")),
               method.lower())
              for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") and rule.rule not in META
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    assert routes == documented
    assert len(documented) == 16  # bulk approval added
