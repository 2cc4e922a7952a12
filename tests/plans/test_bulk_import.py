"""Bulk import and export of plan structures and indicator definitions (the data layer)."""

import io
from decimal import Decimal

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select
from sqlmodel import Session

from tests.plans.test_bulk_support import (  # noqa: F401  (the *_fixture names are fixtures)
    INDICATORS_BAD,
    INDICATORS_CSV,
    STRUCTURE_BAD,
    STRUCTURE_CSV,
    city_of,
    counts,
    elements,
    idp_fixture,
    import_indicators,
    import_structure,
    loaded_fixture,
    messages,
    one,
    sheet,
    where,
)
from tracker.bulk import formats, indicator_sheet, plan_sheet, services
from tracker.bulk.formats import read_table
from tracker.bulk.lookups import plan_keys
from tracker.bulk.report import Action
from tracker.catalogue.models import SdgIndicator, Target
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorElementLink,
    LocalIndicator,
    SdgRelation,
)
from tracker.plans.models import AlignmentRelation, ElementAlignment, Plan, PlanElement
from tracker.plans.services import PlanError
from tracker.plans.tree import set_retired


def test_templates_have_the_columns_two_examples_and_a_help_sheet(app: Flask, db: Session,
                                                                  idp: Plan) -> None:
    with app.app_context():
        for kind, header in (("structure", plan_sheet.HEADER),
                             ("indicators", indicator_sheet.HEADER)):
            for fmt in formats.FORMATS:
                table = read_table(services.template(kind, fmt), header)
                assert table.header == header and len(table.rows) == 2
            workbook = load_workbook(io.BytesIO(services.template(kind, "xlsx")))
            assert workbook.sheetnames[1] == "Help"
            helped = [row[0] for row in workbook["Help"].iter_rows(min_row=2, values_only=True)]
            assert helped == header
        structure = services.template("structure", "csv")
        indicators = services.template("indicators", "xlsx")
    # The examples are valid: the indicator example measures an element of the plan example.
    assert import_structure(app, db, idp, structure).ok
    report = import_indicators(app, db, city_of(db, idp), indicators)
    assert report.ok, messages(report)


def test_malformed_structure_rows_are_all_reported_and_nothing_is_saved(
        app: Flask, db: Session, idp: Plan) -> None:
    before = counts(db)
    report = import_structure(app, db, idp, STRUCTURE_BAD)
    assert where(report) == {
        (3, "budget"),  # "12,5": bad decimal
        (4, "sdg_targets"), (4, "sdg_indicators"),  # unknown SDG code; a target as indicator
        (5, "code"),  # duplicate code
        (6, "parent_code"),  # unknown parent
        (7, "parent_code"), (8, "parent_code"),  # a cycle
        (9, "relation"), (9, "primary_sdg"),
        (10, "title"), (10, "budget"),  # blank title; negative budget
    }, messages(report)
    text = messages(report)
    assert "Row 3, column budget: '12,5' is not a number" in text
    assert "Unknown SDG code 99.9" in text and "first on row 2" in text
    assert "Unknown parent ZZ" in text and "cycle: 5 → 6 → 5" in text
    assert not report.saved and not report.outcomes
    assert counts(db) == before


def test_malformed_indicator_rows_are_all_reported_and_nothing_is_saved(
        app: Flask, db: Session, loaded: Plan) -> None:
    before = counts(db)
    report = import_indicators(app, db, city_of(db, loaded), INDICATORS_BAD)
    assert where(report) == {
        (2, "targets"),  # a target year before the baseline
        (3, "band_low"),  # a band without bounds
        (4, "baseline_value"),  # bad decimal
        (5, "sdg_indicators"),  # unknown SDG indicator; a target code
        (6, "is_cumulative"), (6, "element_codes"),
        (7, "code"),  # duplicate code
        (8, "targets"), (8, "dimensions"), (8, "unit_kind"), (8, "frequency"),
    }, messages(report)
    text = messages(report)
    assert "Row 2, column targets: the 2020 target is before the baseline year 2024" in text
    assert "Row 3, column band_low: a target band needs its lower and upper bounds" in text
    assert "Unknown plan XYZ-1; this city's plans are: IDP-2022" in text
    assert "IDP-2022 has no current element nope" in text
    assert counts(db) == before


def test_a_dry_run_previews_every_row_and_saves_nothing(app: Flask, db: Session,
                                                        idp: Plan) -> None:
    before = counts(db)
    report = import_structure(app, db, idp, STRUCTURE_CSV, save=False)
    assert report.ok and not report.saved
    assert [(o.row, o.code, o.action) for o in report.outcomes] == [
        (2, "3.1.1", Action.CREATE), (3, "3", Action.CREATE), (4, "3.1", Action.CREATE),
        (5, "5", Action.CREATE), (6, "3.2", Action.CREATE)]
    assert counts(db) == before
    report = import_indicators(app, db, city_of(db, idp), INDICATORS_CSV, save=False)
    assert not report.ok  # the elements it links to were not saved by the dry run
    assert counts(db) == before


def test_saving_builds_the_tree_in_any_row_order_with_its_alignments(
        db: Session, loaded: Plan) -> None:
    found = elements(db, loaded)
    assert set(found) == {"3", "3.1", "3.1.1", "3.2", "5"}
    assert found["3.1.1"].parent_id == found["3.1"].id and found["3.1.1"].depth == 2
    assert found["3.1"].budget == Decimal("125000000")
    assert found["3.1.1"].budget == Decimal("45000000.5")
    assert found["5"].description == '=HYPERLINK("http://example.org")'
    aligned = {(db.get(Target, a.target_id).code if a.target_id else  # type: ignore[union-attr]
                db.get(SdgIndicator, a.sdg_indicator_id).code, a.relation, a.is_primary,  # type: ignore[union-attr]
                a.rationale)
               for a in db.scalars(select(ElementAlignment).where(
                   ElementAlignment.element_id == found["3.1"].id))}
    assert aligned == {("6.1", AlignmentRelation.CONTRIBUTES, True, "Household access"),
                       ("6.2", AlignmentRelation.DIRECT, False, "Household access"),
                       ("6.1.1", AlignmentRelation.CONTRIBUTES, False, "Household access")}


def test_saving_indicators_keeps_targets_breakdowns_and_links(db: Session,
                                                              loaded: Plan) -> None:
    water = one(db, LocalIndicator, city_id=loaded.city_id, code="WS-01")
    assert water.baseline_year == 2021 and water.baseline_value == Decimal("87.5")
    assert [(t.year, t.value, t.label) for t in water.targets] == [
        (2026, Decimal(95), "IDP 2026/27"), (2030, Decimal(100), "SDG")]
    assert [(d.name, d.values) for d in water.dimensions] == [
        ("sex", ["female", "male"]), ("age", ["0-14", "15-64", "65+"])]
    link = one(db, IndicatorAlignment, indicator_id=water.id)
    assert link.relation == SdgRelation.PROXY
    linked = {db.get(PlanElement, link.element_id).code  # type: ignore[union-attr]
              for link in db.scalars(select(IndicatorElementLink).where(
                  IndicatorElementLink.indicator_id == water.id))}
    assert linked == {"3.1", "3.1.1"}
    heat = one(db, LocalIndicator, city_id=loaded.city_id, code="HEAT-3")
    assert heat.baseline_value == Decimal(-3) and heat.is_cumulative
    assert heat.department == "-Climate"


def test_importing_the_same_files_again_changes_nothing(app: Flask, db: Session,
                                                        loaded: Plan) -> None:
    versions = {code: e.version for code, e in elements(db, loaded).items()}
    before = counts(db)
    for report in (import_structure(app, db, loaded, STRUCTURE_CSV),
                   import_indicators(app, db, city_of(db, loaded), INDICATORS_CSV)):
        assert report.ok and report.saved
        assert {o.action for o in report.outcomes} == {Action.UNCHANGED}, report.outcomes
    assert counts(db) == before  # not even a line of history
    assert {code: e.version for code, e in elements(db, loaded).items()} == versions


def test_a_changed_file_updates_elements_by_code(app: Flask, db: Session, loaded: Plan) -> None:
    changed = STRUCTURE_CSV.decode().replace(
        "3.2,3,Waste collection,,-Cleansing,0,11.6,11.6.2:proxy,,contributes,",
        "3.2,5,Refuse removal,,-Cleansing,0,,11.6.2:proxy,11.6.2,contributes,")
    report = import_structure(app, db, loaded, changed.encode())
    assert report.ok
    outcome = next(o for o in report.outcomes if o.code == "3.2")
    assert outcome.action == Action.UPDATE
    assert outcome.changes == ["title", "parent_code", "sdg_alignment"]
    assert report.count(Action.UNCHANGED) == 4
    found = elements(db, loaded)
    assert found["3.2"].parent_id == found["5"].id and found["3.2"].title == "Refuse removal"
    alignment = one(db, ElementAlignment, element_id=found["3.2"].id)
    assert alignment.is_primary and alignment.target_id is None


def test_removing_list_items_removes_alignments_and_links(app: Flask, db: Session,
                                                         loaded: Plan) -> None:
    changed = INDICATORS_CSV.decode().replace("6.1.1:proxy,IDP-2022:3.1; IDP-2022:3.1.1",
                                              "6.1.1:identical,IDP-2022:3.1")
    report = import_indicators(app, db, city_of(db, loaded), changed.encode())
    outcome = next(o for o in report.outcomes if o.code == "WS-01")
    assert outcome.changes == ["sdg_indicators", "element_codes"]
    water = one(db, LocalIndicator, city_id=loaded.city_id, code="WS-01")
    assert one(db, IndicatorAlignment, indicator_id=water.id).relation == SdgRelation.IDENTICAL
    assert one(db, IndicatorElementLink, indicator_id=water.id)


def test_a_refusal_while_saving_rolls_back_every_row(app: Flask, db: Session, idp: Plan,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.bulk import plan_import

    calls = []

    def refuse(**kwargs: object) -> None:
        calls.append(kwargs)
        if len(calls) == 3:
            raise PlanError("refused for the test")

    monkeypatch.setattr(plan_import, "add_alignment", refuse)
    before = counts(db)
    report = import_structure(app, db, idp, STRUCTURE_CSV)
    assert not report.saved and [str(e) for e in report.errors] == ["Row 5: refused for the test"]
    assert counts(db) == before


def test_parents_may_be_existing_elements_and_cycles_through_them_are_found(
        app: Flask, db: Session, idp: Plan, make_element) -> None:  # type: ignore[no-untyped-def]
    top = make_element(idp, "A")
    make_element(idp, "B", parent=top)
    assert import_structure(app, db, idp, sheet("C,b,Under B,,,,,,,,")).ok
    assert elements(db, idp)["C"].depth == 2
    report = import_structure(app, db, idp, sheet("A,C,Moved under its grandchild,,,,,,,,"))
    assert where(report) == {(2, "parent_code")} and "cycle: A → C → B → A" in messages(report)


def test_depth_and_retired_codes_are_checked(app: Flask, db: Session, idp: Plan,
                                             make_element) -> None:  # type: ignore[no-untyped-def]
    chain = [f"L{n},{f'L{n - 1}' if n else ''},Level {n},,,,,,,," for n in range(9)]
    report = import_structure(app, db, idp, sheet(*chain))
    assert where(report) == {(10, "parent_code")} and "more than 8 levels" in messages(report)
    old = make_element(idp, "OLD")
    with app.app_context():
        set_retired(session=db, element=old, retired=True, user_id=None)
    report = import_structure(app, db, idp, sheet("old,,Back again,,,,,,,,"))
    assert where(report) == {(2, "code")} and "retired" in messages(report)


def test_plan_keys_tell_apart_revisions_and_namesakes(make_city, make_plan) -> None:  # type: ignore[no-untyped-def]
    city = make_city()
    plans = [make_plan(city, kind="sector_plan", start_year=2022) for _ in range(2)]
    plans.append(make_plan(city, kind="annual_performance_plan", start_year=2024))
    plans[0].revision = 2
    keys = plan_keys(plans)
    assert list(keys.values()) == ["SECTOR-2022-r2", "SECTOR-2022", "SDBIP-2024"]
    plans[0].revision = 1
    assert list(plan_keys(plans).values()) == ["SECTOR-2022", "SECTOR-2022-2", "SDBIP-2024"]


def test_plans_may_be_named_by_number_in_element_codes(app: Flask, db: Session,
                                                       loaded: Plan) -> None:
    text = INDICATORS_CSV.decode().replace("IDP-2022:3.2", f"{loaded.id}:3.2")
    report = import_indicators(app, db, city_of(db, loaded), text.encode())
    assert report.ok and {o.action for o in report.outcomes} == {Action.UNCHANGED}


def test_a_changed_definition_updates_the_indicator_and_keeps_its_breakdowns(
        app: Flask, db: Session, loaded: Plan) -> None:
    changed = INDICATORS_CSV.decode().replace("Households with access to basic water",
                                              "Households with basic water").replace(
        "2026:95:IDP 2026/27", "2026:96:IDP 2026/27")
    report = import_indicators(app, db, city_of(db, loaded), changed.encode())
    assert report.ok, messages(report)
    outcome = next(o for o in report.outcomes if o.code == "WS-01")
    assert (outcome.action, outcome.changes) == (Action.UPDATE, ["name", "targets"])
    water = one(db, LocalIndicator, city_id=loaded.city_id, code="WS-01")
    assert water.name == "Households with basic water" and water.version == 2
    assert [d.name for d in water.dimensions] == ["sex", "age"]
    assert [t.value for t in water.targets] == [Decimal(96), Decimal(100)]


def test_the_preview_says_what_saving_then_does(app: Flask, db: Session, loaded: Plan) -> None:
    changed = STRUCTURE_CSV.decode().replace("Waste collection,,-Cleansing,0,11.6,",
                                             "Waste removal,,-Cleansing,0,,").replace(
        "5,,A safer city", "5,3,A safer city") + "6,5,A new programme,,,,16.1,,16.1,,\n"
    preview = import_structure(app, db, loaded, changed.encode(), save=False)
    assert [(o.code, o.action, o.changes) for o in preview.outcomes] == [
        ("3.1.1", Action.UNCHANGED, []), ("3", Action.UNCHANGED, []),
        ("3.1", Action.UNCHANGED, []), ("5", Action.UPDATE, ["parent_code"]),
        ("3.2", Action.UPDATE, ["title", "sdg_alignment"]), ("6", Action.CREATE, [])]
    saved = import_structure(app, db, loaded, changed.encode())
    assert saved.outcomes == preview.outcomes
    assert elements(db, loaded)["6"].depth == 2
