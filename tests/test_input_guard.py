"""No 500 on bad input: control characters refused naming the field, query numbers bounded,
JSON depth and size limited, names and codes without bidi controls (forms and bulk files)."""

import json
import re
import time
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from tests.factories import Auth
from tests.test_access import city_form
from tracker.auth.models import Role
from tracker.bulk import indicator_sheet
from tracker.bulk.cells import row_readers
from tracker.bulk.formats import Table
from tracker.charts.trend import Target, render_trend
from tracker.data.models import Observation
from tracker.data.observation_rows import to_row
from tracker.indicators.models import LocalIndicator, TargetIn
from tracker.input_guard import json_depth
from tracker.templating import bdi
from tracker.text_rules import whole_number


@pytest.fixture
def officer_city(make_city, make_user, make_indicator, auth: Auth) -> Any:  # type: ignore[no-untyped-def]
    """A city with an indicator, its officer signed in."""
    city = make_city(slug="ethekwini", name="eThekwini")
    make_indicator(city, "WS-1")
    auth.login(make_user(Role.OFFICER, city=city))
    return city


# ---------------------------------------------------------------- address and query

@pytest.mark.parametrize("url, field", [
    ("/cities/ethek%00wini", "slug"),
    ("/cities/ethek%01wini/plans/", "slug"),
    ("/sdg/search?q=a%00", "q"),
    ("/sdg/search?q%00=a", "q\\u0000"),
    ("/compare?cities=a%7Fb", "cities"),
])
def test_a_control_character_in_the_address_or_query_is_a_400_naming_it(
        client: FlaskClient, url: str, field: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert f"“{field}”" in response.get_data(as_text=True)


def test_the_api_names_the_parameter_in_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/cities/ethek%00wini")
    assert response.status_code == 400
    assert response.json["field"] == "slug" and "U+0000" in response.json["message"]


@pytest.mark.parametrize("query, field", [
    ("page=999999999999999999999", "page"),
    ("page=0", "page"),
    ("per_page=-1", "per_page"),
    ("per_page=0", "per_page"),
    ("per_page=501", "per_page"),
    ("page=%C2%B2", "page"),  # "²" passes str.isdigit() but not int()
])
def test_out_of_range_page_numbers_are_a_400(client: FlaskClient, query: str,
                                             field: str) -> None:
    response = client.get(f"/api/v1/sdg/goals?{query}")
    assert response.status_code == 400
    assert response.json["field"] == field


@pytest.mark.parametrize("query, field", [("from=3000000000", "from"), ("to=-1", "to"),
                                          ("quarter=5", "quarter"), ("from=%D9%A3", "from")])
@pytest.mark.usefixtures("officer_city")
def test_out_of_range_observation_filters_are_a_400(client: FlaskClient,
                                                    query: str, field: str) -> None:
    response = client.get(f"/api/v1/cities/ethekwini/observations?{query}")
    assert response.status_code == 400 and response.json["field"] == field


@pytest.mark.usefixtures("officer_city")
def test_in_range_query_numbers_still_work(client: FlaskClient) -> None:
    response = client.get("/api/v1/cities/ethekwini/observations?from=2000&to=2030&quarter=0"
                          "&page=1&per_page=500")
    assert response.status_code == 200 and response.json["per_page"] == 500


@pytest.mark.usefixtures("officer_city")
def test_an_id_beyond_integer_in_the_path_is_a_404(client: FlaskClient) -> None:
    assert client.get("/reports/runs/2147483648").status_code == 404
    assert client.get("/cities/ethekwini/plans/99999999999999999999999").status_code == 404


# ---------------------------------------------------------------- JSON bodies

def post_json(client: FlaskClient, body: bytes) -> Any:
    """Send a raw JSON body to the observations API."""
    return client.post("/api/v1/cities/ethekwini/observations", data=body,
                       content_type="application/json")


@pytest.mark.usefixtures("officer_city")
def test_a_100000_deep_json_body_is_a_quick_400(client: FlaskClient) -> None:
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000):
        started = time.perf_counter()
        response = post_json(client, body)
        assert time.perf_counter() - started < 2
        assert response.status_code == 400 and response.json["field"] == "body"


@pytest.mark.usefixtures("officer_city")
def test_moderate_nesting_still_reaches_the_api(client: FlaskClient) -> None:
    body = {"observations": [{"indicator": "WS-1", "year": 2023, "value": "1.5",
                              "breakdown": {}}]}
    assert post_json(client, json.dumps(body).encode()).status_code == 201


@pytest.mark.parametrize("app_config", [{"JSON_MAX_BYTES": 1000}])
@pytest.mark.usefixtures("officer_city")
def test_a_json_body_over_the_limit_is_a_413(client: FlaskClient) -> None:
    body = json.dumps({"observations": [{"indicator": "WS-1", "year": 2023,
                                         "comment": "x" * 2000}]}).encode()
    assert post_json(client, body).status_code == 413


@pytest.mark.parametrize("escape, char", [("\\u0000", "U+0000"), ("\\u001b", "U+001B"),
                                          ("\\ud800", "U+D800")])
@pytest.mark.usefixtures("officer_city")
def test_a_control_character_or_lone_surrogate_in_json_is_a_422_naming_the_field(
        client: FlaskClient, escape: str, char: str) -> None:
    body = ('{"observations": [{"indicator": "WS-1", "year": 2023, "value": "1", '
            f'"comment": "a{escape}b"}}]}}').encode()
    response = post_json(client, body)
    assert response.status_code == 422
    assert response.json["field"] == "observations[0].comment" and char in response.json["message"]
    assert post_json(client, b'{"observations": []}').status_code == 400  # still usable


@pytest.mark.usefixtures("officer_city")
def test_json_sent_to_a_form_is_refused(client: FlaskClient) -> None:
    response = client.post("/cities/ethekwini/edit", json=[1, 2])
    assert response.status_code == 415


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.recursive(st.none() | st.integers() | st.text(alphabet='[]{}"\\,:ab '),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=3), inner,
                                      max_size=3),
                    max_leaves=20))
def test_json_depth_is_measured_without_parsing(value: Any) -> None:
    def depth(item: Any) -> int:  # the oracle: nesting counted on the parsed value
        children = item.values() if isinstance(item, dict) else item \
            if isinstance(item, list) else None
        return 0 if children is None else 1 + max(map(depth, children), default=0)

    assert json_depth(json.dumps(value).encode()) == depth(value)


# ---------------------------------------------------------------- forms

def test_a_nul_in_a_form_field_is_a_422_naming_it_and_saves_nothing(
        client: FlaskClient, officer_city: Any, db: Session) -> None:
    response = client.post("/cities/ethekwini/edit",
                           data=city_form(officer_city, name="Dur\x00ban"))
    assert response.status_code == 422 and "“name”" in response.get_data(as_text=True)
    db.expire_all()
    assert officer_city.name == "eThekwini" and officer_city.version == 1


def test_a_bidi_override_in_a_name_is_refused_but_free_text_may_hold_it(
        client: FlaskClient, officer_city: Any, db: Session) -> None:
    refused = client.post("/cities/ethekwini/edit",
                          data=city_form(officer_city, name="Durban \u202e05"))
    assert refused.status_code == 422
    assert "U+202E" in refused.get_data(as_text=True)
    db.expire_all()
    assert officer_city.name == "eThekwini"
    saved = client.post("/cities/ethekwini/edit",
                        data=city_form(officer_city, description="עברית \u202bmixed\u202c"))
    assert saved.status_code == 302
    db.expire_all()
    assert officer_city.description == "עברית \u202bmixed\u202c"


@pytest.mark.usefixtures("officer_city")
def test_a_target_label_with_a_bidi_override_is_refused(
        client: FlaskClient, db: Session) -> None:
    page = client.get("/cities/ethekwini/indicators/WS-1/edit")
    assert page.status_code == 200
    indicator = db.exec(select(LocalIndicator).where(LocalIndicator.code == "WS-1")).one()
    response = client.post("/cities/ethekwini/indicators/WS-1/edit", data={
        "expected_version": indicator.version, "code": "WS-1", "name": indicator.name,
        "unit_kind": "percent", "direction": "higher", "frequency": "annual",
        "quarterly_rollup": "last", "targets-0-year": "2026", "targets-0-value": "50",
        "targets-0-label": "IDP \u202e"})
    assert response.status_code == 422
    assert "Label contains a character that is not allowed here (U+202E)" in \
        response.get_data(as_text=True)
    db.expire_all()
    assert indicator.version == 1


def test_a_number_beyond_integer_in_a_form_is_refused(
        client: FlaskClient, officer_city: Any, db: Session) -> None:
    response = client.post("/cities/ethekwini/edit",
                           data=city_form(officer_city, population="99999999999999"))
    assert response.status_code == 422
    db.expire_all()
    assert officer_city.population is None


# ---------------------------------------------------------------- bulk files

def test_bulk_rows_with_control_characters_are_refused_naming_row_and_column(
        app: Flask) -> None:
    header = [c.name for c in indicator_sheet.COLUMNS]
    row = dict.fromkeys(header, "")
    rows = [(2, list({**row, "code": "A-1", "name": "Water \u202e05"}.values())),
            (3, list({**row, "code": "A\x01-2", "name": "Fine"}.values())),
            (4, list({**row, "code": "A-3", "name": "Fine", "definition": "two\nlines"}
                     .values()))]
    with app.test_request_context():
        readers = row_readers(Table(header, rows), indicator_sheet.COLUMNS)
    errors = {(e.row, e.column) for r in readers for e in r.errors if "U+" in e.message}
    assert errors == {(2, "name"), (3, "code")}


def test_observation_rows_with_control_characters_are_refused(app: Flask) -> None:
    header = ["indicator", "period", "value", "comment"]
    with app.test_request_context():
        bad = to_row(5, header, ["WS\u202e-1", "2023", "1", "fine\ttext"], None)
        nul = to_row(6, header, ["WS-1", "2023", "1", "a\x00b"], None)
        good = to_row(7, header, ["WS-1", "2023", "1", "line one\nline two"], None)
    assert [(e.row, e.column) for e in bad.errors] == [(5, "indicator")]
    assert [(e.row, e.column) for e in nul.errors] == [(6, "comment")]
    assert good.errors == []


# ---------------------------------------------------------------- helpers

@pytest.mark.parametrize("text, expected", [("12", 12), (" 7 ", 7), ("", None), (None, None),
                                            ("²", None), ("٣", None), ("-1", None),
                                            ("2147483647", 2147483647),
                                            ("2147483648", None), ("9" * 5000, None)])
def test_whole_number(text: str | None, expected: int | None) -> None:
    assert whole_number(text) == expected


@pytest.mark.usefixtures("officer_city")
def test_decimal_values_are_untouched_by_the_guard(client: FlaskClient,
                                                   db: Session) -> None:
    body = b'{"indicator": "WS-1", "year": 2023, "value": 0.1}'
    assert post_json(client, body).status_code == 201
    assert db.exec(select(Observation)).one().value == Decimal("0.1")


# ---------------------------------------------------------------- bidi isolation on display

RLO = "\u202e"


def test_a_stored_label_with_a_bidi_override_cannot_reorder_the_value(
        client: FlaskClient, make_city, make_user, make_indicator, auth: Auth) -> None:  # type: ignore[no-untyped-def]
    city = make_city(slug="bidi-town")
    # Stored before the forms refused it (or by a route that forgot): shown isolated anyway.
    make_indicator(city, "T-1", targets=[TargetIn(year=2026, value=Decimal("50"),
                                                  label=f"IDP {RLO}")])
    auth.login(make_user(Role.OFFICER, city=city))
    for url in ("/cities/bidi-town/indicators/", "/cities/bidi-town/indicators/T-1",
                "/cities/bidi-town/indicators/T-1/data"):
        html = client.get(url).get_data(as_text=True)
        isolated = re.findall(r"<bdi>([^<]*)</bdi>", html)
        assert f"IDP {RLO}" in isolated, url  # the override ends with its <bdi> …
        assert all(RLO not in part for part in re.split(r"<bdi>[^<]*</bdi>", html)), url


def test_chart_labels_are_isolated_in_plain_text(app: Flask) -> None:
    with app.test_request_context():
        svg = str(render_trend([(2020, 10.0), (2022, 30.0)], prefix="t", title="Water",
                               targets=[Target(2026, 50.0, f"IDP {RLO}")]))
    assert f"\u2068IDP {RLO}\u2069" in svg
    # Every label drawn or shown as a tooltip is isolated (the <desc> is read, not laid out).
    shown = re.sub(r"<desc[^>]*>.*?</desc>", "", svg, flags=re.S)
    assert re.sub("\u2068[^\u2069]*\u2069", "", shown).count(RLO) == 0


def test_the_bdi_filter_escapes_and_isolates() -> None:
    assert str(bdi("<b>50</b>")) == "<bdi>&lt;b&gt;50&lt;/b&gt;</bdi>"
    assert str(bdi(None)) == "" and str(bdi("")) == ""
