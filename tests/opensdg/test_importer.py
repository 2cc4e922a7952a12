"""Open SDG import through `import_repository`: the two fixture repositories (v1 csv-meta,
v2 indicator-config), counted by hand from their files."""

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from tracker.bulk.report import Action
from tracker.catalogue.models import SdgIndicator
from tracker.cities.models import City
from tracker.data.models import (
    MissingReason,
    Observation,
    ObservationChange,
    ObservationStatus,
    PeriodKind,
)
from tracker.errors import StaleEditError
from tracker.indicators.models import (
    Direction,
    IndicatorAlignment,
    LocalIndicator,
    PeriodCalendar,
    ProgressRule,
    UnitKind,
)
from tracker.opensdg.importer import OpenSdgReport, import_repository

Repo = Callable[[str], Path]
pytestmark = pytest.mark.usefixtures("app_ctx")


def indicator(db: Session, city: City, code: str) -> LocalIndicator:
    """Return the city's indicator of a code."""
    return db.scalars(select(LocalIndicator).where(LocalIndicator.city_id == city.id,
                                                   LocalIndicator.code == code)).one()


def cells(db: Session, ind: LocalIndicator) -> dict[tuple[str, str], Observation]:
    """Return an indicator's cells by (period label, breakdown key)."""
    rows = db.scalars(select(Observation).where(Observation.indicator_id == ind.id))
    return {(o.period_label, o.breakdown_key): o for o in rows}


def counts(report: OpenSdgReport) -> dict[str, tuple[int, int, int]]:
    """Return (rows, taken, created) per indicator code."""
    return {c.code: (c.rows, c.taken, c.created) for c in report.indicators}


def not_taken(report: OpenSdgReport) -> set[tuple[int, str]]:
    """Return the rows not taken as (row, file:column)."""
    return {(w.row, w.column) for w in report.warnings}


V2 = "data/indicator_1-2-1.csv"


def test_a_dry_run_counts_every_row_and_saves_nothing(db: Session,
                                                      make_city: Any, repo: Repo) -> None:
    city = make_city()
    report = import_repository(db, city, repo("v2"), None, dry_run=True)
    assert report.ok and not report.saved
    # By hand: 1-2-1 has 13 rows, 4 not taken (no value, "abc", 1e-101, duplicate).
    assert counts(report) == {"1.2.1": (13, 9, 9), "3.4.1": (7, 6, 6), "10.x.2": (4, 4, 4)}
    assert [c.code for c in report.indicators] == ["1.2.1", "3.4.1", "10.x.2"]
    assert {(11, f"{V2}:Value"), (12, f"{V2}:Value"), (13, f"{V2}:Value"), (14, V2),
            (8, "data/indicator_3-4-1.csv:Value")} <= not_taken(report)
    messages = {(w.row, w.column): w.message for w in report.warnings}
    assert "outside the numbers" in messages[(13, f"{V2}:Value")]
    assert "row 5" in messages[(14, V2)]
    assert any("5-1-1" in w.message for w in report.warnings)  # metadata without data
    assert db.scalars(select(LocalIndicator).where(LocalIndicator.city_id == city.id)).first() \
        is None


def test_each_open_sdg_indicator_becomes_one_local_indicator(db: Session,
                                                             make_city: Any,
                                                             repo: Repo) -> None:
    city = make_city()
    report = import_repository(db, city, repo("v2"), None)
    assert report.saved and report.summary() == {"create": 19, "update": 0, "unchanged": 0}
    ind = indicator(db, city, "1.2.1")
    assert ind.opensdg_id == "1-2-1"
    assert ind.name == "Proportion of Testville residents below the city poverty line"
    assert (ind.unit_kind, ind.unit_label) == (UnitKind.PERCENT, "Percent")
    assert [(d.name, d.values) for d in ind.dimensions] == [
        ("Series", ["Poverty rate", "People in poverty"]), ("Units", ["Percent", "Number"]),
        ("Sex", ["Female", "Male"]), ("GeoCode", ["E05010914"])]
    assert ind.progress_options == [{"series": "Poverty rate", "unit": "Percent",
                                     "direction": "negative", "base_year": 2015,
                                     "target": 10, "target_year": 2030}]
    assert ind.progress_rule == ProgressRule.CONFIGURED and ind.auto_progress is True
    assert ind.direction == Direction.LOWER and ind.calendar == PeriodCalendar.CALENDAR
    meta = ind.source_meta  # every field of indicator-config/ and meta/, one mapping
    assert meta["data_footnote"].startswith("Source figures")
    assert meta["source_release_date_1"] == "2021-03-01"
    assert meta["page_content"].startswith("Poverty is measured")
    assert (meta["graph_title"], meta["computation_units"]) == ("Residents in poverty",
                                                                "Percent")
    sdg = db.scalars(select(SdgIndicator).where(SdgIndicator.code == "1.2.1")).one()
    assert db.scalars(select(IndicatorAlignment).where(
        IndicatorAlignment.indicator_id == ind.id)).one().sdg_indicator_id == sdg.id


def test_values_periods_attributes_and_progress_are_kept_as_written(
        db: Session, make_city: Any, repo: Repo) -> None:
    city = make_city()
    import_repository(db, city, repo("v2"), None)
    found = cells(db, indicator(db, city, "1.2.1"))
    rate = "Series=Poverty rate|Units=Percent"
    assert len(found) == 9
    total = found[("2016", rate)]
    assert (total.value, total.value_text, total.year) == (Decimal("20.25"), "20.25", 2016)
    assert total.attributes == {"COMMENT_OBS": "Provisional"}
    assert total.status == ObservationStatus.DRAFT
    span = found[("2017-2019", rate)]
    assert (span.year, span.span_years, span.period_kind) == (2017, 3, PeriodKind.RANGE)
    assert span.value_text == "19.125"
    female = found[("2016", "Series=Poverty rate|Sex=Female|Units=Percent")]
    assert female.value_text == "22.0" and female.breakdown["Sex"] == "Female"
    assert found[("2016", f"GeoCode=E05010914|{rate}")].value == Decimal("17.75")
    people = "Series=People in poverty|Units=Number"
    assert found[("2017", people)].progress_value == Decimal("90000")
    missing = found[("2018", people)]
    assert missing.value is None and missing.missing_reason == MissingReason.NOT_AVAILABLE
    assert missing.attributes == {"COMMENT_OBS": "Survey not run"}
    history = db.scalars(select(ObservationChange).where(
        ObservationChange.observation_id == total.id)).one()
    assert (history.action, history.new_value, history.new_status) == ("import", "20.25",
                                                                       "draft")


def test_local_codes_split_years_and_any_column_name(db: Session,
                                                    make_city: Any, repo: Repo) -> None:
    city = make_city()
    import_repository(db, city, repo("v2"), None)
    ind = indicator(db, city, "10.x.2")
    assert ind.opensdg_id == "10-x-2" and ind.calendar == PeriodCalendar.FISCAL
    assert [d.name for d in ind.dimensions] == ["Indicator", "Source"]
    assert (ind.auto_progress, ind.manual_progress_status) == (False, "substantial_progress")
    assert ind.progress_rule == ProgressRule.HEADLINE and ind.progress_options == []
    assert db.scalars(select(IndicatorAlignment).where(
        IndicatorAlignment.indicator_id == ind.id)).first() is None
    split = cells(db, ind)[("2016-17", "Indicator=Income|Source=Survey")]
    assert (split.year, split.period_kind, split.span_years) == (2016, PeriodKind.SPLIT_YEAR, 1)
    mortality = indicator(db, city, "3.4.1")
    assert mortality.name == "Mortality rate attributed to cardiovascular disease and cancer"
    assert mortality.unit_kind == UnitKind.RATE_100000
    assert [o["disaggregation"][0]["value"] for o in mortality.progress_options] == [
        "Cardiovascular", "Cancer"]
    assert mortality.progress_options[1]["progress_thresholds"] == {"high": 0.01, "med": 0.005,
                                                                    "low": 0}


def test_a_v1_repository_with_csv_meta_and_global_meta(db: Session,
                                                       make_city: Any, repo: Repo) -> None:
    city = make_city()
    report = import_repository(db, city, repo("v1"), None)
    assert counts(report) == {"11.1.1.a": (4, 4, 4), "11.6.2": (8, 5, 5)}
    f = "data/indicator_11-6-2.csv"
    assert {(7, f"{f}:Value"), (8, f"{f}:Year"), (9, f)} <= not_taken(report)
    air = indicator(db, city, "11.6.2")
    assert air.name == "Annual mean PM2.5 in Testville wards"  # the global name is a key
    assert (air.unit_kind, air.unit_label) == (UnitKind.OTHER, "Micrograms per cubic metre")
    assert air.calendar == PeriodCalendar.FISCAL
    assert air.source_meta["Source 1 organisation"] == "Testville Air Quality Unit"
    assert (air.source_meta["un_custodian_agency"], air.source_meta["indicator_number"]) == (
        "WHO", "11.6.2")
    kept = cells(db, air)[("2017-18", "")]
    assert kept.value is None and kept.attributes == {"Observation status": "Not collected"}
    assert [d.name for d in air.dimensions] == ["Ward", "GeoCode"]
    local = indicator(db, city, "11.1.1.a")
    assert local.name == "Open SDG indicator 11.1.1.a" and local.opensdg_id == "11-1-1-a"


def test_a_second_import_changes_nothing_and_a_changed_value_updates_with_history(
        db: Session, make_city: Any, repo: Repo) -> None:
    city = make_city()
    folder = repo("v2")
    import_repository(db, city, folder, None)
    again = import_repository(db, city, folder, None)
    assert again.summary() == {"create": 0, "update": 0, "unchanged": 19}
    assert {c.action for c in again.indicators} == {Action.UNCHANGED}
    path = folder / V2
    path.write_text(path.read_text().replace("2016,Poverty rate,Percent,,,Provisional,,20.25",
                                             "2016,Poverty rate,Percent,,,Provisional,,20.5"))
    changed = import_repository(db, city, folder, None)
    assert changed.summary() == {"create": 0, "update": 1, "unchanged": 18}
    cell = cells(db, indicator(db, city, "1.2.1"))[("2016", "Series=Poverty rate|Units=Percent")]
    assert (cell.value_text, cell.version) == ("20.5", 2)
    history = db.scalars(select(ObservationChange).where(
        ObservationChange.observation_id == cell.id).order_by(col(ObservationChange.id))).all()
    assert [(h.old_value, h.new_value) for h in history] == [("", "20.25"), ("20.25", "20.5")]


def test_an_approved_import_by_the_network_secretariat(db: Session,
                                                       make_city: Any, make_network: Any,
                                                       make_user: Any, repo: Repo) -> None:
    network = make_network()
    city = make_city(network=network)
    secretariat = make_user("secretariat", network=network)
    report = import_repository(db, city, repo("v1"), secretariat, approve=True)
    assert report.saved
    air = indicator(db, city, "11.6.2")
    assert {o.status for o in cells(db, air).values()} == {ObservationStatus.APPROVED}
    notes = db.scalars(select(ObservationChange).join(
        Observation, col(Observation.id) == ObservationChange.observation_id).where(
        Observation.indicator_id == air.id)).all()
    assert {(n.action, n.new_status, n.user_id) for n in notes} == {
        ("import_approve", "approved", secretariat.id)}
    assert all("Trusted import approval" in n.note for n in notes)


@pytest.mark.parametrize("role", ["officer", "reviewer", "other_secretariat"])
def test_only_a_secretariat_of_the_network_or_an_admin_may_approve(
        db: Session, make_city: Any, make_network: Any, make_user: Any,
        repo: Repo, role: str) -> None:
    network = make_network()
    city = make_city(network=network)
    user = {"officer": lambda: make_user("officer", city=city),
            "reviewer": lambda: make_user("reviewer", network=network),
            "other_secretariat": lambda: make_user("secretariat", network=make_network())
            }[role]()
    report = import_repository(db, city, repo("v1"), user, approve=True)
    assert not report.ok and "approve" in report.errors[0].message
    assert db.scalars(select(LocalIndicator).where(LocalIndicator.city_id == city.id)).first() \
        is None


def test_an_admin_approves_and_a_later_plain_import_cannot_change_approved_values(
        db: Session, make_city: Any, make_user: Any, repo: Repo) -> None:
    city = make_city()
    folder = repo("v1")
    assert import_repository(db, city, folder, make_user("admin"), approve=True).saved
    path = folder / "data/indicator_11-1-1-a.csv"
    path.write_text(path.read_text().replace("2016,Rented,41", "2016,Rented,42"))
    report = import_repository(db, city, folder, None)
    assert report.summary()["update"] == 0
    refused = [w for w in report.warnings if w.column == "data/indicator_11-1-1-a.csv"]
    assert [(w.row, "approved and locked" in w.message) for w in refused] == [(4, True)]
    assert cells(db, indicator(db, city, "11.1.1.a"))[("2016", "Tenure=Rented")].value == 41


def test_a_value_saved_after_the_dry_run_refuses_the_whole_import(
        db: Session, make_city: Any, repo: Repo) -> None:
    city = make_city()
    folder = repo("v1")
    import_repository(db, city, folder, None)
    path = folder / "data/indicator_11-1-1-a.csv"
    path.write_text(path.read_text().replace("2015,Owned,60", "2015,Owned,61"))
    dry = import_repository(db, city, folder, None, dry_run=True)
    cell = cells(db, indicator(db, city, "11.1.1.a"))[("2015", "Tenure=Owned")]
    cell.value, cell.version = Decimal("70"), cell.version + 1
    db.add(cell)
    db.flush()
    late = import_repository(db, city, folder, None, expected_state=dry.state_hash)
    assert not late.saved and "after it was checked" in late.errors[0].message
    db.refresh(cell)
    assert cell.value == Decimal("70")


def test_an_existing_indicator_of_the_same_code_is_taken_over(
        db: Session, make_city: Any, make_indicator: Any, repo: Repo) -> None:
    city = make_city()
    own = make_indicator(city, code="11.1.1.a", name="Tenure split", unit_kind="percent")
    report = import_repository(db, city, repo("v1"), None)
    assert [c.action for c in report.indicators if c.code == "11.1.1.a"] == [Action.UPDATE]
    db.refresh(own)
    assert own.opensdg_id == "11-1-1-a" and own.version == 2
    assert [d.name for d in own.dimensions] == ["Tenure"]


def test_a_file_that_is_not_utf8_is_not_taken_and_the_rest_is(db: Session, make_city: Any,
                                                               repo: Repo) -> None:
    city = make_city()
    folder = repo("v1")
    (folder / "data/indicator_11-1-1-a.csv").write_bytes(
        "Year,Tenure,Value\n2015,Propriété,40\n2016,Locataire,41\n".encode("latin-1"))
    report = import_repository(db, city, folder, None)
    assert report.saved and counts(report)["11.1.1.a"][1:] == (0, 0)
    assert counts(report)["11.6.2"] == (8, 5, 5)
    assert [(w.row, w.column) for w in report.warnings
            if "UTF-8" in w.message] == [(0, "data/indicator_11-1-1-a.csv")]


def test_a_second_data_file_of_one_indicator_is_not_read(db: Session, make_city: Any,
                                                         repo: Repo) -> None:
    folder = repo("v1")
    (folder / "data/11-1-1-a.csv").write_text("Year,Value\n2015,99\n")
    report = import_repository(db, make_city(), folder, None, dry_run=True)
    assert counts(report)["11.1.1.a"] == (4, 4, 4)
    assert [w.message for w in report.warnings if w.column == "data/11-1-1-a.csv"] == [
        "Not read: data/indicator_11-1-1-a.csv holds the data of the same indicator."]


def test_an_indicator_made_by_someone_else_meanwhile_refuses_the_import(
        db: Session, make_city: Any, make_indicator: Any, repo: Repo) -> None:
    city = make_city()

    def meanwhile(percent: int, _step: str) -> None:
        if percent == 85:  # every indicator read, nothing written yet
            make_indicator(city, code="11.6.2")

    with pytest.raises(StaleEditError, match="Nothing was saved"):
        import_repository(db, city, repo("v1"), None, progress=meanwhile)
    assert [i.code for i in db.scalars(select(LocalIndicator).where(
        LocalIndicator.city_id == city.id))] == ["11.6.2"]


def test_values_of_any_precision_are_stored_exactly(db: Session, make_city: Any,
                                                    tmp_path: Path) -> None:
    city = make_city()
    (tmp_path / "data").mkdir()
    written = ["5.74112931965", "0.000000000000123", "123456789012345678901.25"]
    rows = "".join(f"{2015 + i},{v}\n" for i, v in enumerate(written))
    (tmp_path / "data" / "indicator_1-1-1.csv").write_text("Year,Value\n" + rows)
    import_repository(db, city, tmp_path, None)
    db.expire_all()  # read back what the database holds, not the objects in memory
    stored = cells(db, indicator(db, city, "1.1.1"))
    assert [stored[(str(2015 + i), "")].value for i in range(3)] == [Decimal(v) for v in written]
