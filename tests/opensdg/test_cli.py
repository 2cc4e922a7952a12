"""`tracker city create` and `tracker opensdg import` on the fixture repositories: counts
printed, exit codes, nothing saved by a dry run or a refusal."""

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from tracker.cities.models import City
from tracker.data.models import Observation, ObservationStatus
from tracker.indicators.models import LocalIndicator


def codes(db: Session, slug: str) -> list[str]:
    """Return the codes of a city's indicators, sorted."""
    city = db.exec(select(City).where(City.slug == slug)).one()
    return sorted(db.exec(select(LocalIndicator.code).where(
        LocalIndicator.city_id == city.id)).all())


def test_city_create_makes_a_city(runner: FlaskCliRunner, db: Session) -> None:
    result = runner.invoke(args=["city", "create", "bristol-test", "--name", "Bristol",
                                 "--country", "gb", "--level", "city", "--published"])
    assert result.exit_code == 0, result.output
    city = db.exec(select(City).where(City.slug == "bristol-test")).one()
    assert (city.name, city.country_code, city.level, city.is_published) == (
        "Bristol", "GB", "city", True)


@pytest.mark.parametrize(("args", "message"), [
    (["Bad Slug", "--name", "Bad", "--country", "GB"], "slug"),
    (["okslug", "--name", "X", "--country", "GB"], "name"),
    (["okslug", "--name", "Okay", "--country", "GBR"], "country_code"),
    (["okslug", "--country", "GB"], "--name"),
])
def test_city_create_refuses_bad_input_with_the_field(runner: FlaskCliRunner, args: list[str],
                                                      message: str) -> None:
    result = runner.invoke(args=["city", "create", *args])
    assert result.exit_code != 0 and message in result.output


def test_city_create_refuses_a_taken_slug(runner: FlaskCliRunner, make_city: Any) -> None:
    make_city(slug="taken")
    result = runner.invoke(args=["city", "create", "taken", "--name", "Taken", "--country",
                                 "ZA"])
    assert result.exit_code == 1 and "taken" in result.output


def test_a_dry_run_prints_the_counts_and_saves_nothing(runner: FlaskCliRunner, make_city: Any,
                                                      db: Session, repo: Any,
                                                      tmp_path: Path) -> None:
    make_city(slug="testville")
    problems = tmp_path / "problems.csv"
    result = runner.invoke(args=["opensdg", "import", str(repo("v2")), "--city", "testville",
                                 "--dry-run", "--problems", str(problems)])
    assert result.exit_code == 0, result.output
    assert "1.2.1\t1-2-1\tcreate\t13\t9\t4\t9\t0\t0" in result.output
    assert "10.x.2\t10-x-2\tcreate\t4\t4\t0\t4\t0\t0" in result.output
    assert "19 created, 0 updated, 0 unchanged" in result.output
    assert "Dry run: nothing saved." in result.output
    lines = problems.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "row,column,message" and len(lines) == 1 + 6  # 5 rows, 1 note
    assert codes(db, "testville") == []


def test_an_import_then_the_same_again(runner: FlaskCliRunner, make_city: Any, db: Session,
                                      repo: Any) -> None:
    make_city(slug="airtown")
    first = runner.invoke(args=["opensdg", "import", str(repo("v1")), "--city", "airtown"])
    assert first.exit_code == 0, first.output
    assert "9 created" in first.output and "drafts" in first.output
    assert codes(db, "airtown") == ["11.1.1.a", "11.6.2"]
    second = runner.invoke(args=["opensdg", "import", str(repo("v1")), "--city", "airtown"])
    assert "0 created, 0 updated, 9 unchanged" in second.output


def test_approve_needs_a_user_who_may(runner: FlaskCliRunner, make_city: Any,
                                      make_network: Any, make_user: Any, db: Session,
                                      repo: Any) -> None:
    network = make_network()
    city = make_city(slug="approvetown", network=network)
    officer = make_user("officer", city=city)
    secretariat = make_user("secretariat", network=network)
    base = ["opensdg", "import", str(repo("v1")), "--city", "approvetown", "--approve"]
    assert "--user" in runner.invoke(args=base).output
    refused = runner.invoke(args=[*base, "--user", officer.email])
    assert refused.exit_code == 1 and "nothing saved" in refused.output
    assert codes(db, "approvetown") == []
    done = runner.invoke(args=[*base, "--user", secretariat.email.upper()])
    assert done.exit_code == 0, done.output
    statuses = set(db.exec(select(Observation.status).join(
        LocalIndicator, LocalIndicator.id == Observation.indicator_id).where(  # type: ignore[arg-type]
        LocalIndicator.city_id == city.id)).all())
    assert statuses == {ObservationStatus.APPROVED}


@pytest.mark.parametrize(("args", "message"), [
    (["--city", "nowhere"], "No city 'nowhere'"),
    (["--city", "zipville", "--user", "nobody@example.org"], "no active user"),
])
def test_unknown_city_or_user(runner: FlaskCliRunner, make_city: Any, repo: Any,
                              args: list[str], message: str) -> None:
    make_city(slug="zipville")
    result = runner.invoke(args=["opensdg", "import", str(repo("v1")), *args])
    assert result.exit_code != 0 and message in result.output


def test_a_zip_file_path_is_read_like_a_folder(runner: FlaskCliRunner, make_city: Any,
                                              repo: Any, tmp_path: Path) -> None:
    from tests.opensdg.conftest import zip_folder

    make_city(slug="zipville")
    path = tmp_path / "repo.zip"
    path.write_bytes(zip_folder(repo("v2"), top="open-sdg-data-main/"))
    result = runner.invoke(args=["opensdg", "import", str(path), "--city", "zipville",
                                 "--dry-run"])
    assert result.exit_code == 0 and "19 created" in result.output


def test_a_path_that_is_no_repository_fails(runner: FlaskCliRunner, make_city: Any,
                                            tmp_path: Path) -> None:
    make_city(slug="emptyville")
    (tmp_path / "empty").mkdir()
    result = runner.invoke(args=["opensdg", "import", str(tmp_path / "empty"), "--city",
                                 "emptyville"])
    assert result.exit_code == 1 and "No data files" in result.output
