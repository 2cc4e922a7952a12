"""Factory fixtures: each returns a function with defaults that adds and flushes a record."""

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tracker.auth.models import Role, User
from tracker.auth.services import create_user
from tracker.cities.models import City, CityCreate, Network, NetworkCreate
from tracker.cities.services import add_member, create_city, create_network
from tracker.indicators.models import LocalIndicator, LocalIndicatorCreate
from tracker.indicators.services import create_indicator
from tracker.plans.models import Plan, PlanCreate, PlanElement, PlanElementCreate
from tracker.plans.services import add_element, create_plan

PASSWORD = "correct-horse-battery"
_serial = itertools.count(1)


@contextmanager
def boundary(app: Flask, db: Session) -> Iterator[None]:
    """Act as a unit of work: an app context, then commit (to the test's savepoint)."""
    with app.app_context():
        yield
        db.commit()


@pytest.fixture
def make_network(app: Flask, db: Session) -> Callable[..., Network]:
    """Create a network."""

    def make(**kwargs: Any) -> Network:
        n = next(_serial)
        kwargs.setdefault("slug", f"network-{n}")
        kwargs.setdefault("name", f"Network {n}")
        with boundary(app, db):
            return create_network(session=db, network_in=NetworkCreate(**kwargs), user_id=None)

    return make


@pytest.fixture
def make_city(app: Flask, db: Session) -> Callable[..., City]:
    """Create a city, optionally in a network."""

    def make(network: Network | None = None, **kwargs: Any) -> City:
        n = next(_serial)
        kwargs.setdefault("slug", f"city-{n}")
        kwargs.setdefault("name", f"City {n}")
        kwargs.setdefault("country_code", "ZA")
        kwargs.setdefault("is_published", True)
        with boundary(app, db):
            city = create_city(session=db, city_in=CityCreate(**kwargs), user_id=None)
            if network is not None:
                add_member(session=db, network=network, city=city, user_id=None)
        return city

    return make


@pytest.fixture
def make_user(app: Flask, db: Session) -> Callable[..., User]:
    """Create a user with a role and its city or network."""

    def make(role: Role | str = Role.OFFICER, **kwargs: Any) -> User:
        kwargs.setdefault("email", f"user{next(_serial)}@example.org")
        kwargs.setdefault("password", PASSWORD)
        with boundary(app, db):
            return create_user(session=db, role=Role(role), **kwargs)

    return make


class Auth:
    """Sign users in and out through the real login form."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, user: User, password: str = PASSWORD) -> Any:
        """Sign in as the user."""
        return self.client.post("/login", data={"email": user.email, "password": password})

    def logout(self) -> Any:
        """Sign out."""
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    """Sign-in helper bound to the test client."""
    return Auth(client)


@pytest.fixture
def make_plan(app: Flask, db: Session) -> Callable[..., Plan]:
    """Create a plan of a city."""

    def make(city: City, **kwargs: Any) -> Plan:
        kwargs.setdefault("kind", "integrated_development_plan")
        kwargs.setdefault("title", "Integrated Development Plan")
        kwargs.setdefault("start_year", 2022)
        kwargs.setdefault("end_year", 2026)
        kwargs.setdefault("level_names", ["Plan", "Programme", "Project"])
        with boundary(app, db):
            return create_plan(session=db, city=city, plan_in=PlanCreate(**kwargs), user_id=None)

    return make


@pytest.fixture
def make_element(app: Flask, db: Session) -> Callable[..., PlanElement]:
    """Add an element to a plan."""

    def make(plan: Plan, code: str, parent: PlanElement | None = None, **kwargs: Any
             ) -> PlanElement:
        kwargs.setdefault("title", f"Element {code}")
        element_in = PlanElementCreate(code=code, parent_id=parent.id if parent else None,
                                       **kwargs)
        with boundary(app, db):
            return add_element(session=db, plan=plan, element_in=element_in, user_id=None)

    return make


@pytest.fixture
def make_indicator(app: Flask, db: Session) -> Callable[..., LocalIndicator]:
    """Define a local indicator of a city."""

    def make(city: City, code: str = "IND-1", **kwargs: Any) -> LocalIndicator:
        kwargs.setdefault("name", f"Indicator {code}")
        kwargs.setdefault("unit_kind", "percent")
        kwargs.setdefault("direction", "higher")
        indicator_in = LocalIndicatorCreate(code=code, **kwargs)
        with boundary(app, db):
            return create_indicator(session=db, city=city, indicator_in=indicator_in,
                                    user_id=None)

    return make
