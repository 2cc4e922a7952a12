"""The `tracker` command line: users, demo data and database commands."""

from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.auth.models import Role, User
from tracker.cities.models import City, Network
from tracker.demo import data as demo


def test_user_create_for_a_city(runner: FlaskCliRunner, make_city, db: Session) -> None:  # type: ignore[no-untyped-def]
    make_city(slug="durban")
    result = runner.invoke(args=["user", "create", "--email", "Officer@Example.org", "--role",
                                 "officer", "--city", "durban", "--password",
                                 "long-enough-password"])
    assert result.exit_code == 0, result.output
    user = db.scalars(select(User).where(User.email == "officer@example.org")).one()
    assert user.role == Role.OFFICER and user.city is not None and user.city.slug == "durban"


def test_user_create_refuses_a_missing_scope_or_unknown_city(runner: FlaskCliRunner) -> None:
    base = ["user", "create", "--email", "r@example.org", "--password", "long-enough-password"]
    result = runner.invoke(args=[*base, "--role", "reviewer"])
    assert result.exit_code != 0 and "needs a network" in result.output
    result = runner.invoke(args=[*base, "--role", "officer", "--city", "atlantis"])
    assert result.exit_code != 0 and "atlantis" in result.output


def test_demo_load_creates_the_four_cities_and_is_idempotent(runner: FlaskCliRunner,  # type: ignore[no-untyped-def]
                                                             db: Session) -> None:
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "officer.ethekwini@demo.sdg-tracker.org" in first.output
    assert demo.DEMO_PASSWORD in first.output
    slugs = set(db.scalars(select(City.slug)).all())
    assert {"ethekwini", "patiala", "bhavnagar", "helsinki"} <= slugs
    users = db.scalar(select(func.count()).select_from(User))
    second = runner.invoke(args=["demo", "load"])
    assert "already loaded" in second.output
    assert db.scalar(select(func.count()).select_from(User)) == users
    roles = set(db.scalars(select(User.role)).all())
    assert roles == set(Role)


def test_demo_marks_synthetic_values_in_the_data(runner: FlaskCliRunner, db: Session) -> None:
    runner.invoke(args=["demo", "load"])
    patiala = db.scalars(select(City).where(City.slug == "patiala")).one()
    assert "Synthetic" in patiala.population_source
    assert patiala.parent is not None and patiala.parent.slug == "patiala-district"
    assert patiala.fiscal_year_start_month == 4
    ethekwini = db.scalars(select(City).where(City.slug == "ethekwini")).one()
    assert ethekwini.fiscal_year_start_month == 7 and ethekwini.country_code == "ZA"
    assert db.scalar(select(func.count()).select_from(Network)) >= 3


def test_tracker_console_script_lists_the_command_groups() -> None:
    from click.testing import CliRunner

    from tracker.cli import main

    output = CliRunner().invoke(main, ["--help"]).output
    for group in ("db", "catalogue", "user", "demo"):
        assert group in output
