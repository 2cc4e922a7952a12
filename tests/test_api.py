"""The JSON read API and its OpenAPI document."""

import re

from flask.testing import FlaskClient

from tests.factories import Auth
from tracker.auth.models import Role


def test_indicators_list_every_indicator_with_code_and_title(client: FlaskClient) -> None:
    items, page = [], 1
    while True:
        body = client.get("/api/v1/sdg/indicators", query_string={"page": page,
                                                                   "per_page": 100}).json
        items += body["items"]
        if page >= body["pages"]:
            break
        page += 1
    assert body["total"] == len(items) == 253
    active = [i for i in items if i["status"] == "active"]
    assert len(active) == 248 and len([i for i in active if i["repeat_of"] is None]) == 231
    pm = next(i for i in items if i["code"] == "11.6.2")
    assert pm["target"] == "11.6" and pm["goal"] == "11" and pm["title"].startswith("Annual mean")
    assert set(pm) == {"code", "title", "target", "goal", "tier", "custodians", "repeat_of",
                       "status", "note"}


def test_goals_and_targets(client: FlaskClient) -> None:
    assert client.get("/api/v1/sdg/goals").json["total"] == 17
    assert client.get("/api/v1/sdg/targets?per_page=500").json["total"] == 169
    assert client.get("/api/v1/sdg/targets?goal=11").json["total"] == 10


def test_filters(client: FlaskClient) -> None:
    body = client.get("/api/v1/sdg/indicators?target=11.6").json
    assert [i["code"] for i in body["items"]] == ["11.6.1", "11.6.2"]
    retired = client.get("/api/v1/sdg/indicators?status=retired").json
    assert "11.c.1" in {i["code"] for i in retired["items"]}


def test_pagination_rejects_bad_values(client: FlaskClient) -> None:
    for query in ("page=0", "per_page=100000", "page=x"):
        response = client.get(f"/api/v1/sdg/goals?{query}")
        assert response.status_code == 400 and response.json["status"] == 400


def test_unknown_indicator_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/api/v1/sdg/indicators/99.1.1")
    assert response.status_code == 404 and response.is_json


def test_cities_show_only_what_the_caller_may_read(client: FlaskClient, make_network,  # type: ignore[no-untyped-def]
                                                   make_city, make_user, auth: Auth) -> None:
    network = make_network(slug="net-x")
    make_city(slug="open-city", network=network)
    make_city(slug="hidden-city", network=network, is_published=False)
    slugs = {c["slug"] for c in client.get("/api/v1/cities").json["items"]}
    assert "open-city" in slugs and "hidden-city" not in slugs
    # a visitor must authenticate first (401, as on every city API route); it names nothing
    hidden = client.get("/api/v1/cities/hidden-city")
    assert hidden.status_code == 401 and "hidden" not in hidden.get_data(as_text=True).lower()
    auth.login(make_user(Role.REVIEWER, network=network))
    slugs = {c["slug"] for c in client.get("/api/v1/cities?network=net-x").json["items"]}
    assert slugs == {"open-city", "hidden-city"}
    body = client.get("/api/v1/cities/hidden-city").json
    assert body["networks"] == ["net-x"] and body["is_published"] is False


def test_networks_with_city_counts(client: FlaskClient, make_network, make_city) -> None:  # type: ignore[no-untyped-def]
    network = make_network(slug="net-y", name="Net Y")
    make_city(network=network)
    make_city(network=network)
    item = next(n for n in client.get("/api/v1/networks").json["items"] if n["slug"] == "net-y")
    assert item["city_count"] == 2 and item["name"] == "Net Y"


def test_city_list_cost_is_flat(client: FlaskClient, make_network, make_city,  # type: ignore[no-untyped-def]
                                count_queries) -> None:
    network = make_network()
    make_city(network=network)
    with count_queries() as few:
        client.get("/api/v1/cities")
    for _ in range(5):
        make_city(network=network)
    with count_queries() as many:
        client.get("/api/v1/cities")
    assert few() == many()


def test_openapi_document_describes_every_route(client: FlaskClient, app) -> None:  # type: ignore[no-untyped-def]
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    documented = {"/api/v1" + path for path in doc["paths"]}
    routes = {re.sub(r"<(?:[^>]*:)?(\w+)>", r"{\1}", rule.rule)  # <int:obs_id> → {obs_id}
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    meta = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/{filename}"}  # not data
    assert routes - meta == documented
    schema = doc["components"]["schemas"]["Indicator"]
    assert {"code", "title", "target", "goal", "tier", "repeat_of", "status"} <= set(
        schema["properties"])
