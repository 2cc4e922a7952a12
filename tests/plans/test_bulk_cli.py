"""`tracker plans …`: import and export from the command line, with exit codes."""

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import Session

from tests.plans.test_bulk_support import (  # noqa: F401  (the *_fixture names are fixtures)
    DATA,
    counts,
    export,
    idp_fixture,
)
from tracker.cities.models import City
from tracker.plans.models import Plan


def city_slug(db: Session, plan: Plan) -> str:
    """Return the slug of a plan's city."""
    city = db.get(City, plan.city_id)
    assert city is not None
    return city.slug


def structure_args(db: Session, plan: Plan, name: str, *extra: str) -> list[str]:
    """Return the arguments of an import-structure command."""
    return ["plans", "import-structure", str(DATA / name), "--city", city_slug(db, plan),
            "--plan", str(plan.id), *extra]


def test_import_structure_saves_and_reports(runner: FlaskCliRunner, db: Session,
                                            idp: Plan) -> None:
    before = counts(db)
    result = runner.invoke(args=structure_args(db, idp, "bulk_structure.csv"))
    assert result.exit_code == 0, result.output
    assert "Row 2: create 3.1.1" in result.output and "5 created, 0 updated" in result.output
    assert counts(db)["PlanElement"] == before["PlanElement"] + 5
    again = runner.invoke(args=structure_args(db, idp, "bulk_structure.csv"))
    assert again.exit_code == 0 and "0 created, 0 updated, 5 unchanged" in again.output


def test_a_dry_run_saves_nothing(runner: FlaskCliRunner, db: Session, idp: Plan) -> None:
    before = counts(db)
    result = runner.invoke(args=structure_args(db, idp, "bulk_structure.csv", "--dry-run"))
    assert result.exit_code == 0 and "Dry run: nothing saved." in result.output
    assert counts(db) == before


def test_errors_exit_non_zero_listing_row_and_column(runner: FlaskCliRunner, db: Session,
                                                     idp: Plan) -> None:
    before = counts(db)
    result = runner.invoke(args=structure_args(db, idp, "bulk_structure_bad.csv"))
    assert result.exit_code == 1
    assert "Row 3, column budget: '12,5' is not a number" in result.output
    assert "Row 7, column parent_code: The parents form a cycle" in result.output
    assert "11 error(s); nothing saved." in result.output
    assert counts(db) == before
    result = runner.invoke(args=["plans", "import-indicators",
                                 str(DATA / "bulk_indicators_bad.csv"), "--city",
                                 city_slug(db, idp)])
    assert result.exit_code == 1 and "Row 3, column band_low" in result.output


def test_unknown_cities_plans_and_formats_are_refused(runner: FlaskCliRunner, idp: Plan,  # type: ignore[no-untyped-def]
                                                      make_city, tmp_path: Path) -> None:
    other = make_city()
    for args, message in (
            (["--city", "atlantis", "--plan", str(idp.id)], "No city 'atlantis'"),
            (["--city", other.slug, "--plan", str(idp.id)], f"has no plan {idp.id}")):
        result = runner.invoke(args=["plans", "import-structure",
                                     str(DATA / "bulk_structure.csv"), *args])
        assert result.exit_code != 0 and message in result.output
    result = runner.invoke(args=["plans", "export-indicators", "--city", other.slug, "--out",
                                 str(tmp_path / "out.json")])
    assert result.exit_code != 0 and ".csv or .xlsx" in result.output


def test_export_then_import_into_a_fresh_city_round_trips(app: Flask, runner: FlaskCliRunner,  # type: ignore[no-untyped-def]
                                                          db: Session, idp: Plan, make_city,
                                                          make_plan, tmp_path: Path) -> None:
    slug = city_slug(db, idp)
    assert runner.invoke(args=structure_args(db, idp, "bulk_structure.csv")).exit_code == 0
    assert runner.invoke(args=["plans", "import-indicators", str(DATA / "bulk_indicators.csv"),
                               "--city", slug]).exit_code == 0
    files = {name: tmp_path / name for name in ("plan.xlsx", "indicators.csv")}
    for args in (["export-structure", "--city", slug, "--plan", str(idp.id)],
                 ["export-indicators", "--city", slug]):
        name = "plan.xlsx" if args[0] == "export-structure" else "indicators.csv"
        result = runner.invoke(args=["plans", *args, "--out", str(files[name])])
        assert result.exit_code == 0, result.output
    fresh = make_plan(make_city(), kind="integrated_development_plan", start_year=2022)
    assert runner.invoke(args=["plans", "import-structure", str(files["plan.xlsx"]), "--city",
                               city_slug(db, fresh), "--plan", str(fresh.id)]).exit_code == 0
    result = runner.invoke(args=["plans", "import-indicators", str(files["indicators.csv"]),
                                 "--city", city_slug(db, fresh)])
    assert result.exit_code == 0, result.output
    assert export(app, db, fresh) == export(app, db, idp)
    assert files["indicators.csv"].read_bytes() == export(app, db, db.get(City, fresh.city_id))  # type: ignore[arg-type]
