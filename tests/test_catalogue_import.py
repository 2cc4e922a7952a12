"""Importing the UN's "Global indicator framework" list: parsing, loading and the CLI."""

import csv
import re
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.catalogue import un_import
from tracker.catalogue.loader import read_sdg_framework
from tracker.catalogue.models import (
    FrameworkRevision,
    Goal,
    IndicatorStatus,
    IndicatorTitleChange,
    SdgIndicator,
    Target,
)
from tracker.catalogue.queries import current_revision
from tracker.catalogue.records import IndicatorRecord, RevisionRecord
from tracker.catalogue.services import CatalogueError, apply_revision
from tracker.catalogue.un_import import clean_cell, clean_title, key_from_name, read_un_framework

SAMPLE = Path(__file__).parent / "data" / "un_gif_sample.csv"
NEWER = "Global Indicator Framework after 2025 refinement.English.xlsx"
HEADER = [None, "Goals and targets (from the 2030 Agenda for Sustainable Development)",
          "Indicators", "UNSD Indicator Codes†"]
TOP = [[None, "Global indicator framework for the Sustainable Development Goals and targets of "
              "the 2030 Agenda for Sustainable Development"],
       [None, "Sustainable Development Goal indicators should be disaggregated … in accordance "
              "with the Fundamental Principles of Official Statistics.1"], HEADER]
NEW_TITLE = "Annual mean levels of fine particulate matter (PM2.5) in cities (population weighted)"
NEW_INDICATOR = IndicatorRecord(code="11.1.2", title="Proportion of households spending more "
                                "than 30 per cent of their income on housing")

Row = list[object]


@pytest.fixture(scope="module")
def bundled() -> RevisionRecord:
    """The bundled framework."""
    return read_sdg_framework()


def titles(record: RevisionRecord) -> dict[str, str]:
    """Map every goal, target and indicator code of a record to its title."""
    items = [*record.goals, *record.targets, *record.indicators]
    return {f"{type(item).__name__[0]}{item.code}": item.title for item in items}


def unsd_codes(record: RevisionRecord) -> dict[str, str]:
    """Invent UNSD codes, shared by indicators listed with the same title, as the UN does."""
    first: dict[str, str] = {}
    codes = {}
    for rec in record.indicators:
        goal, part, number = rec.code.split(".")
        own = f"C{int(goal):02d}{part:0>2}{int(number):02d}"
        codes[rec.code] = first.setdefault(rec.title, own)
    return codes


def un_layout(record: RevisionRecord, with_codes: bool = True) -> tuple[list[Row], list[str]]:
    """Lay a record out as the UN sheet does; return its rows and merged target ranges."""
    rows: list[Row] = [list(row) for row in TOP]
    merges, codes = [], unsd_codes(record)
    active = [i for i in record.indicators if i.status == "active"]
    for goal in record.goals:
        rows.append([None, f"Goal {goal.code}. {goal.title}"])
        for target in (t for t in record.targets if t.code.split(".")[0] == goal.code):
            listed = [i for i in active if i.code.rsplit(".", 1)[0] == target.code] or [None]
            first = len(rows) + 1
            for n, ind in enumerate(listed):
                rows.append([None, f"{target.code} {target.title}" if n == 0 else None,
                             f"{ind.code} {ind.title}" if ind else None,
                             codes[ind.code] if ind and with_codes else None])
            if len(listed) > 1:
                merges.append(f"B{first}:B{len(rows)}")
    return rows, merges


def write_xlsx(path: Path, rows: list[Row], merges: Sequence[str] = ()) -> Path:
    """Write rows to the first sheet of a workbook, merging the given ranges."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[Row], delimiter: str = ",") -> Path:
    """Write rows as Excel saves a sheet to CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(
            [["" if cell is None else cell for cell in row] for row in rows])
    return path


def newer_revision(bundled: RevisionRecord) -> RevisionRecord:
    """The bundled revision with 11.6.2 retitled, 11.1.1 dropped and 11.1.2 added."""
    indicators = [replace(i, title=NEW_TITLE) if i.code == "11.6.2" else i
                  for i in bundled.indicators if i.code != "11.1.1"]
    indicators.insert(next(n for n, i in enumerate(indicators) if i.code == "11.2.1"),
                      NEW_INDICATOR)
    return replace(bundled, indicators=indicators)


@pytest.fixture
def newer_file(tmp_path: Path, bundled: RevisionRecord) -> Path:
    """The newer revision as a UN workbook."""
    return write_xlsx(tmp_path / NEWER, *un_layout(newer_revision(bundled)))


def count(db: Session, model: type) -> int:
    """Count the rows of a table."""
    return db.scalar(select(func.count()).select_from(model)) or 0


def counts(db: Session) -> list[int]:
    """Count the rows of every catalogue table."""
    return [count(db, m) for m in (FrameworkRevision, Goal, Target, SdgIndicator)]


def indicator(db: Session, code: str) -> SdgIndicator:
    """Return an indicator by code, fresh from the database."""
    db.expire_all()
    return db.scalars(select(SdgIndicator).where(SdgIndicator.code == code)).one()


def handmade_rows(bundled: RevisionRecord) -> list[Row]:
    """A small sheet in the UN layout with footnotes, a two-indicator cell and notes below."""
    t = {k: f"{k[1:]} {v}" for k, v in titles(bundled).items()}
    return [
        *TOP,
        [None, "Goal 10. Reduce inequality within and among countries"],
        [None, t["T10.4"], t["I10.4.1"], "C100401"],
        [None, None, "10.4.2 Redistributive impact of fiscal policy2", "C100402"],
        [None, f"Goal 11. {bundled.goals[10].title}"],
        [None, t["T11.5"], t["I11.5.1"], "C200303"],
        [None, t["T11.6"] + "5", t["I11.6.1"] + "\n" + t["I11.6.2"], "C110603\nC110602"],
        [None, t["T11.b"], t["I11.b.1"]],
        [None, t["T11.c"]],
        [None, "Goal 13. Take urgent action to combat climate change and its impacts3"],
        [None, t["T13.1"].replace("-", "\u2011"), "13.1.1 Deaths and missing persons\n"
         "attributed to disasters per 100 000 population", "C200303"],
        [None, None, t["I13.1.2"].replace(" ", "  ", 3)],
        [],
        [None, "1 Resolution 71/313 of the General Assembly."],
    ]


# Parsing

def test_csv_sample_gives_goal_11_with_its_targets_and_indicators(bundled: RevisionRecord) -> None:
    record = read_un_framework(SAMPLE)
    assert record.key == date.today().isoformat()
    assert record.title == "Global indicator framework (imported from un_gif_sample.csv)"
    assert [g.code for g in record.goals] == ["11"]
    assert [t.code for t in record.targets] == ["11.1", "11.5", "11.6", "11.b", "11.c"]
    assert [i.code for i in record.indicators] == ["11.1.1", "11.5.1", "11.5.2", "11.5.3",
                                                   "11.6.1", "11.6.2", "11.b.1", "11.b.2"]
    expected = titles(bundled)
    assert all(expected[code] == title for code, title in titles(record).items())
    assert not any(i.repeat_of for i in record.indicators)  # their originals are not listed


def test_workbook_in_the_un_layout_is_read_with_footnotes_merges_and_repeats(
    tmp_path: Path, bundled: RevisionRecord
) -> None:
    rows = handmade_rows(bundled)
    path = write_xlsx(tmp_path / NEWER, rows, ["B5:B6", "B13:B14"])
    record = read_un_framework(path)
    assert record.key == "2025"
    assert [(g.code, g.title, g.short_title, g.colour) for g in record.goals] == [
        (code, bundled.goals[int(code) - 1].title, "", "") for code in ("10", "11", "13")]
    assert [t.code for t in record.targets] == ["10.4", "11.5", "11.6", "11.b", "11.c", "13.1"]
    got = titles(record)
    assert got.pop("I13.1.1") == ("Deaths and missing persons attributed to disasters per "
                                  "100 000 population")
    assert got == {k: v for k, v in titles(bundled).items() if k in got}
    assert {i.code: i.repeat_of for i in record.indicators if i.repeat_of} == {
        "13.1.1": "11.5.1", "13.1.2": "11.b.1"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv;"])
@pytest.mark.parametrize("with_codes", [True, False], ids=["codes", "no-codes"])
def test_whole_framework_round_trips_through_the_un_layout(
    tmp_path: Path, bundled: RevisionRecord, fmt: str, with_codes: bool
) -> None:
    rows, merges = un_layout(bundled, with_codes)
    if fmt == "xlsx":
        path = write_xlsx(tmp_path / "framework.xlsx", rows, merges)
    else:
        path = write_csv(tmp_path / "framework.csv", rows, delimiter=fmt[3:] or ",")
    record = read_un_framework(path, key="k", title="Test")
    active = [i for i in bundled.indicators if i.status == "active"]
    assert (record.key, record.title) == ("k", "Test")
    assert [(g.code, g.title) for g in record.goals] == [(g.code, g.title) for g in bundled.goals]
    assert record.targets == bundled.targets
    assert [(i.code, i.title, i.repeat_of) for i in record.indicators] == [
        (i.code, i.title, i.repeat_of) for i in active]
    assert sum(1 for i in record.indicators if not i.repeat_of) == 231


def test_target_text_repeated_on_every_row_is_read_once(tmp_path: Path) -> None:
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        rows: list[Row] = list(csv.reader(handle))
    for previous, row in zip(rows[3:], rows[4:], strict=False):
        row[1] = row[1] or previous[1]  # fill the merged target cells forward
    assert read_un_framework(write_csv(tmp_path / SAMPLE.name, rows)) == read_un_framework(SAMPLE)


def test_a_workbook_stating_a_wrong_size_is_read_whole(
    tmp_path: Path, bundled: RevisionRecord
) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", *un_layout(bundled))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet], n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B5"', parts[sheet])
    assert n == 1
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert len(read_un_framework(path).indicators) == 248


@pytest.mark.parametrize(("raw", "expected"), [
    ("Redistributive impact of fiscal policy2", "Redistributive impact of fiscal policy"),
    ("fisheries subsidies negotiation4", "fisheries subsidies negotiation"),
    ("Official Statistics.1", "Official Statistics."),
    ("its impacts*", "its impacts"),
    ("(e.g. PM2.5 and PM10)", "(e.g. PM2.5 and PM10)"),
    ("matter PM10", "matter PM10"),
    ("Disaster Risk Reduction 2015–2030", "Disaster Risk Reduction 2015–2030"),
    ("emissions of CO2", "emissions of CO2"),
    ("forest cover per km2", "forest cover per km2"),
    ("legal/regulatory/ policy/institutional", "legal/regulatory/policy/institutional"),
    ("  wrapped\n title\u00a0text ", "wrapped title text"),
])
def test_titles_lose_footnotes_and_stray_spaces_but_keep_real_numbers(
    raw: str, expected: str
) -> None:
    assert clean_title(raw) == expected


def test_cells_normalise_hyphens_and_whitespace() -> None:
    assert clean_cell("climate\u2011related\u00a0 hazards\r\n\n 11.1.2  x ") == (
        "climate-related hazards\n11.1.2 x")
    assert clean_cell(None) == "" and clean_cell(11.5) == "11.5"


def test_cleaning_leaves_every_bundled_title_unchanged(bundled: RevisionRecord) -> None:
    changed = {k: v for k, v in titles(bundled).items() if clean_title(clean_cell(v)) != v}
    assert changed == {}


@pytest.mark.parametrize(("name", "key"), [
    ("Global Indicator Framework after 2023 refinement.English.xlsx", "2023"),
    ("SDG 2030 Agenda indicators after 2025 refinement.xlsx", "2025"),
    ("indicators-2022-2024.csv", "2024"),
    ("indicators.xlsx", date.today().isoformat()),
])
def test_key_comes_from_a_year_in_the_file_name(name: str, key: str) -> None:
    assert key_from_name(name) == key


@pytest.mark.parametrize("key", ["", " ", "k" * 41])
def test_revision_keys_must_fit(key: str) -> None:
    with pytest.raises(CatalogueError, match="key must have 1–40 characters"):
        read_un_framework(SAMPLE, key=key or " ")


GOAL_11 = [None, "Goal 11. Make cities and human settlements inclusive"]
T_11_1 = "11.1 By 2030, ensure access for all to adequate housing"


@pytest.mark.parametrize(("rows", "message"), [
    ([GOAL_11, [None, T_11_1, "11.1.x Proportion of urban population", "C110101"]],
     "Row 5, column Indicators: '11.1.x Proportion of urban population' is not an "
     "indicator code."),
    ([GOAL_11, [None, T_11_1, "11.2.1 Proportion of population"]],
     "Row 5, column Indicators: '11.2.1 Proportion of population' does not belong to target "
     "11.1 on this row."),
    ([GOAL_11, [None, T_11_1, "11.1.1 Slums"], [None, None, "11.1.1 Slums again"]],
     "Row 6, column Indicators: '11.1.1 Slums again' lists indicator 11.1.1 again (first on "
     "row 5)."),
    ([GOAL_11, [None, "11.1"]], "Row 5, column Goals and targets: '11.1' needs a title"),
    ([[None, T_11_1]], "Row 4, column Goals and targets: '11.1 By 2030, ensure access for all "
                       "to adequate housing' is not under its goal"),
    ([GOAL_11, [None, "Target eleven point one"]], "Row 5, column Goals and targets: 'Target "
     "eleven point one' is not a goal heading or a target code."),
    ([GOAL_11, [None, T_11_1, "11.1.1 Slums\n11.1.2 Housing", "C110101"]],
     "Row 5, column UNSD Indicator Codes: 'C110101' gives 1 codes for 2 indicators."),
    ([GOAL_11, [None, T_11_1, "11.1.1 Slums", "n/a"]],
     "Row 5, column UNSD Indicator Codes: 'n/a' holds n/a, which is not a UNSD code."),
    ([GOAL_11, [None, T_11_1]], "lists no indicators."),
])
def test_problems_name_the_row_and_column(tmp_path: Path, rows: list[Row], message: str) -> None:
    path = write_csv(tmp_path / "bad.csv", [*TOP, *rows])
    with pytest.raises(CatalogueError) as error:
        read_un_framework(path)
    assert message in str(error.value)


def test_a_sheet_without_the_header_row_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [[None] * 4] * 10 + [HEADER, GOAL_11])
    with pytest.raises(CatalogueError, match="No header row with the columns 'Goals and "
                                             "targets' and 'Indicators' in the first 10 rows"):
        read_un_framework(path)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("list.xls", b"\xd0\xcf\x11\xe0", "neither an .xlsx workbook nor a .csv file"),
    ("list.pdf", b"%PDF-1.7", "neither an .xlsx workbook nor a .csv file"),
    ("list.xlsx", b"Goals and targets,Indicators\n", "list.xlsx is not a readable .xlsx"),
    ("list.xlsx", b"PK\x05\x06" + bytes(18), "list.xlsx is not a readable .xlsx"),
    ("list.csv", "Goals and targets,Indicators\n".encode("utf-16"), "nor UTF-8 text"),
])
def test_unreadable_files_are_refused_clearly(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogueError, match=message):
        read_un_framework(path)


def test_large_files_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(un_import.MAX_BYTES + 1)
    with pytest.raises(CatalogueError, match="larger than 20 MB"):
        read_un_framework(path)


def test_workbooks_unpacking_to_too_much_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", [*TOP, GOAL_11])
    monkeypatch.setattr(un_import, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(CatalogueError, match="unpacks to more than"):
        read_un_framework(path)


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(un_import, "MAX_ROWS", 5)  # rows after the first, as bulk sheets
    rows = [*TOP, GOAL_11, [None, T_11_1], [None, "x"], [None, "y"]]
    path = write_csv(tmp_path / "list.csv", rows)
    with pytest.raises(CatalogueError, match="more than 5 rows"):
        read_un_framework(path)


# Loading a newer revision

@pytest.mark.usefixtures("app_ctx")
def test_newer_revision_retitles_retires_and_adds_without_deleting(
    db: Session, newer_file: Path
) -> None:
    before, old = counts(db), indicator(db, "11.6.2")
    old_title, old_tier = old.title, old.tier
    report = apply_revision(db, read_un_framework(newer_file))
    revision = current_revision(db)
    assert revision is not None and revision.key == "2025"
    assert (report.retitled, report.retired, report.created["indicators"]) == (
        ["11.6.2"], ["11.1.1"], 1)
    assert counts(db) == [before[0] + 1, *before[1:3], before[3] + 1]
    change = db.scalars(select(IndicatorTitleChange)).one()
    assert (change.indicator_id, change.revision_id, change.old_title, change.new_title) == (
        old.id, revision.id, old_title, NEW_TITLE)
    assert indicator(db, "11.6.2").tier == old_tier  # the UN list has no tiers; keep ours
    dropped, added = indicator(db, "11.1.1"), indicator(db, "11.1.2")
    assert (dropped.status, dropped.retired_in_id) == (IndicatorStatus.RETIRED, revision.id)
    assert (added.status, added.introduced_in_id, added.title) == (
        IndicatorStatus.ACTIVE, revision.id, NEW_INDICATOR.title)
    assert indicator(db, "13.b.1").repeat_of_id == indicator(db, "13.2.1").id
    assert db.scalars(select(Goal).where(Goal.code == "11")).one().colour == "#FD9D24"


@pytest.mark.usefixtures("app_ctx")
def test_importing_the_same_revision_again_changes_nothing(db: Session, newer_file: Path) -> None:
    apply_revision(db, read_un_framework(newer_file))
    before = counts(db)
    assert not apply_revision(db, read_un_framework(newer_file)).changed
    assert counts(db) == before


# The command line

def test_import_dry_run_saves_nothing(
    runner: FlaskCliRunner, db: Session, newer_file: Path
) -> None:
    before = counts(db)
    result = runner.invoke(args=["catalogue", "import", str(newer_file), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 retitled: 11.6.2" in result.output and "1 retired: 11.1.1" in result.output
    assert "Dry run: nothing saved." in result.output
    assert counts(db) == before and count(db, IndicatorTitleChange) == 0
    assert current_revision(db).key == "2023"  # type: ignore[union-attr]
    assert indicator(db, "11.1.1").status == IndicatorStatus.ACTIVE


def test_import_saves_the_new_revision(
    runner: FlaskCliRunner, db: Session, newer_file: Path
) -> None:
    result = runner.invoke(args=["catalogue", "import", str(newer_file), "--title", "UN 2025"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    revision = current_revision(db)
    assert revision is not None and (revision.key, revision.title) == ("2025", "UN 2025")
    assert indicator(db, "11.6.2").title == NEW_TITLE
    assert indicator(db, "11.1.1").status == IndicatorStatus.RETIRED


def test_import_of_a_bad_file_fails_naming_the_row(
    runner: FlaskCliRunner, db: Session, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "bad.csv", [*TOP, GOAL_11, [None, T_11_1, "11.1.x Slums"]])
    before = counts(db)
    result = runner.invoke(args=["catalogue", "import", str(path)])
    assert result.exit_code != 0
    assert "Row 5, column Indicators: '11.1.x Slums' is not an indicator code." in result.output
    assert counts(db) == before


def test_load_restores_the_bundled_revision_then_is_up_to_date(
    runner: FlaskCliRunner, db: Session
) -> None:
    drifted = indicator(db, "1.1.1")
    bundled_title, drifted.title = drifted.title, "Drifted title"
    db.commit()
    first = runner.invoke(args=["catalogue", "load"])
    assert first.exit_code == 0 and "1 retitled: 1.1.1" in first.output, first.output
    assert indicator(db, "1.1.1").title == bundled_title
    before = counts(db)
    second = runner.invoke(args=["catalogue", "load"])
    assert second.output.strip() == "Catalogue up to date (revision 2023)."
    assert counts(db) == before


def test_load_never_overrides_a_newer_imported_revision(
    runner: FlaskCliRunner, db: Session, newer_file: Path
) -> None:
    assert runner.invoke(args=["catalogue", "import", str(newer_file)]).exit_code == 0
    result = runner.invoke(args=["catalogue", "load"])
    assert result.output.strip() == "Revision 2025 is current; the bundled 2023 is not loaded."
    assert current_revision(db).key == "2025"  # type: ignore[union-attr]
    assert indicator(db, "11.6.2").title == NEW_TITLE
    assert indicator(db, "11.1.1").status == IndicatorStatus.RETIRED


def test_a_partial_file_is_refused_unless_asked_for_and_then_retires_nothing(
    runner: FlaskCliRunner, db: Session, repo_root: Path
) -> None:
    sample = repo_root / "tests" / "data" / "un_gif_sample.csv"
    refused = runner.invoke(args=["catalogue", "import", str(sample)])
    assert refused.exit_code != 0 and "--partial" in refused.output
    active = SdgIndicator.status == IndicatorStatus.ACTIVE
    before = db.scalar(select(func.count()).select_from(SdgIndicator).where(active))
    result = runner.invoke(args=["catalogue", "import", str(sample), "--partial", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(func.count()).select_from(SdgIndicator).where(active)) == before
