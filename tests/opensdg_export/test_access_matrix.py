"""Who may download a city's exports (Open SDG zip, SDMX-ML, SDMX-CSV): anyone for a published
city; for an unpublished one its insiders, and 404 to everyone else (never a sign-in page)."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth, boundary
from tests.test_access import OK, ROLES, World, check_access, world  # noqa: F401  (fixture)

# Who may read each city, written from the role rules (an oracle, not the code).
READERS = {"city-a": set(ROLES), "city-b": set(ROLES),
           "city-u": {"admin", "secretariat_a", "reviewer_a"}}
EXPORTS = ("open-sdg.zip", "sdmx.xml", "sdmx.csv")
ENDPOINTS = {"open-sdg.zip": "opensdg_export.download_repository", "sdmx.xml": "sdmx.download_sdmx",
             "sdmx.csv": "sdmx.download_sdmx"}

ACCESS_MATRIX: list[tuple[str, str, Any, Any, dict[str, Any]]] = [
    *[(ENDPOINTS[name], "GET", f"/cities/{slug}/{name}", None,
       {role: OK if role in readers else 404 for role in ROLES})
      for slug, readers in READERS.items() for name in EXPORTS],
    *[(ENDPOINTS[name], "GET", f"/cities/nowhere/{name}", None, dict.fromkeys(ROLES, 404))
      for name in EXPORTS],
]


@pytest.fixture
def coded_world(world: World, app: Flask, db: Session) -> World:  # noqa: F811
    """The access world's cities with an SDMX REF_AREA code (an SDMX export needs one)."""
    with boundary(app, db):
        for city in world.cities.values():
            city.ref_area_code = "710"
            db.add(city)
    return world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ACCESS_MATRIX, ids=[f"{r[1]} {r[2]}" for r in ACCESS_MATRIX])
def test_access(row: tuple[Any, ...], role: str, coded_world: World, client: FlaskClient,
                auth: Auth, db: Session) -> None:
    check_access(row, role, coded_world, client, auth, db)
