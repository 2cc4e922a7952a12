"""Fixtures of the report tests: the demo loaded, and eThekwini."""

from typing import Any

import pytest
from sqlmodel import Session, select

from tracker.cities.models import City, Network
from tracker.demo.services import load_demo


@pytest.fixture
def demo(app_ctx: Any, db: Session) -> Session:  # noqa: ARG001 - load_demo needs the app context
    """The demo networks, cities, plans, values and climate data."""
    load_demo(db)
    return db


@pytest.fixture
def ethekwini(demo: Session) -> City:
    """eThekwini, the demo city with an SDBIP, an IDP and climate data."""
    return demo.exec(select(City).where(City.slug == "ethekwini")).one()


def network_of(db: Session, slug: str) -> Network:
    """Return a network by slug."""
    return db.exec(select(Network).where(Network.slug == slug)).one()
