"""The comparison API: the matrix, flags and scores as JSON, with the page's access rules."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.compare.support import measure
from tests.factories import Auth
from tracker.auth.models import Role


@pytest.fixture
def pair(app: Flask, db: Session, make_network, make_city, make_indicator) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A published and an unpublished city of a network, reporting on 11.6.1 and 6.1.1."""
    network = make_network(slug="pair-net")
    shown = make_city(network=network, slug="shown", name="Shown")
    hidden = make_city(network=network, slug="hidden", name="Hidden", is_published=False)
    other = make_city(slug="other", name="Other")
    measure(app, db, make_indicator, shown, "S-1", "11.6.1", {2020: "40", 2022: "50"})
    measure(app, db, make_indicator, hidden, "H-1", "11.6.1", {2022: "70"})
    measure(app, db, make_indicator, other, "O-1", "11.6.1", {2022: "30"}, relation="proxy")
    measure(app, db, make_indicator, shown, "S-2", "6.1.1", {2022: "90"})
    return {"network": network}


@pytest.mark.usefixtures("pair")
def test_the_api_returns_the_matrix_flags_and_scores(client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/compare?cities=shown,hidden,other&goal=11&min_indicators=1").json
    assert [c["slug"] for c in body["cities"]] == ["shown", "other"]  # hidden: unreadable
    assert "hidden" not in str(body) and "H-1" not in str(body)
    (row,) = body["rows"]
    assert row["sdg_indicator"] == "11.6.1" and row["target"] == "11.6" and row["goal"] == 11
    shown, other = row["cells"]
    assert shown["value"] == 50 and shown["year"] == 2022
    assert shown["series"] == [[2020, 40], [2022, 50]]
    assert shown["flags"] == [] and other["flags"] == ["relation"]
    assert row["comparable"] is False and "Other (proxy)" in row["notes"]["relation"]
    assert shown["score"]["value"] == 100 and shown["score"]["min"] == 30
    assert other["score"]["formula"] == "100 × (30 − 30) / (50 − 30) = 0.0"
    scores = {s["city"]: s for s in body["scores"]}
    assert scores["shown"]["composite"] == 100 and scores["shown"]["category"] == "achiever"
    assert scores["shown"]["rank"] == 1 and scores["other"]["category"] == "aspirant"


def test_the_api_takes_targets_indicators_and_years(pair, client: FlaskClient, auth: Auth,  # type: ignore[no-untyped-def]
                                                    make_user) -> None:
    auth.login(make_user(Role.REVIEWER, network=pair["network"]))
    body = client.get("/api/v1/compare?cities=shown,hidden&target=11.6&year=2021").json
    shown, hidden = body["rows"][0]["cells"]
    assert (shown["year"], shown["value"]) == (2020, 40) and hidden["empty"] == "no_data"
    body = client.get("/api/v1/compare?cities=shown,hidden&indicators=6.1.1,11.6.1").json
    assert [r["sdg_indicator"] for r in body["rows"]] == ["6.1.1", "11.6.1"]
    assert body["rows"][0]["cells"][1]["empty"] == "no_indicator"
    assert body["scope"]["indicators"] == ["6.1.1", "11.6.1"]


def test_the_openapi_document_describes_the_comparison(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").json
    assert "/compare" in doc["paths"] and "Comparison" in doc["components"]["schemas"]
