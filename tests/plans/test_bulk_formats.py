"""Bulk sheet files: lossless round trips, CSV injection, XLSX safety, size and type limits."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from flask import Flask
from openpyxl import Workbook, load_workbook
from sqlmodel import Session

from tests.plans.test_bulk_support import (  # noqa: F401  (the *_fixture names are fixtures)
    STRUCTURE_CSV,
    STRUCTURE_HEADER,
    city_of,
    counts,
    elements,
    export,
    idp_fixture,
    import_indicators,
    import_structure,
    loaded_fixture,
    messages,
    sheet,
    where,
)
from tracker.bulk import formats, indicator_sheet, plan_sheet, services
from tracker.bulk.formats import read_table
from tracker.plans.models import Plan


def test_round_trip_through_csv_is_lossless(app: Flask, db: Session, loaded: Plan,
                                            make_city, make_plan) -> None:  # type: ignore[no-untyped-def]
    structure, indicators = export(app, db, loaded), export(app, db, city_of(db, loaded))
    fresh = make_plan(make_city(), kind="integrated_development_plan", start_year=2022)
    assert import_structure(app, db, fresh, structure).ok
    report = import_indicators(app, db, city_of(db, fresh), indicators)
    assert report.ok, messages(report)
    assert export(app, db, fresh) == structure
    assert export(app, db, city_of(db, fresh)) == indicators


def test_round_trip_through_xlsx_is_lossless(app: Flask, db: Session, loaded: Plan,
                                             make_city, make_plan) -> None:  # type: ignore[no-untyped-def]
    structure = export(app, db, loaded, "xlsx")
    indicators = export(app, db, city_of(db, loaded), "xlsx")
    assert structure.startswith(formats.ZIP_MAGIC)
    fresh = make_plan(make_city(), kind="integrated_development_plan", start_year=2022)
    assert import_structure(app, db, fresh, structure).ok
    assert import_indicators(app, db, city_of(db, fresh), indicators).ok
    with app.app_context():
        for first, again, header in (
                (structure, export(app, db, fresh, "xlsx"), plan_sheet.HEADER),
                (indicators, export(app, db, city_of(db, fresh), "xlsx"),
                 indicator_sheet.HEADER)):
            assert read_table(again, header) == read_table(first, header)
    assert export(app, db, fresh) == export(app, db, loaded)  # and the CSVs match byte for byte


def test_csv_exports_escape_cells_a_spreadsheet_would_run(app: Flask, db: Session,
                                                          loaded: Plan) -> None:
    for data in (export(app, db, loaded), export(app, db, city_of(db, loaded))):
        cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
        assert {"'=1+1", "'-3", "'-Climate", "'@Safety", "'-Cleansing"} & set(cells)
    assert "'=HYPERLINK" in export(app, db, loaded).decode()
    # The XLSX export keeps text as text: no cell becomes a formula.
    workbook = load_workbook(io.BytesIO(export(app, db, loaded, "xlsx")))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)  # type: ignore[union-attr]


def test_escaping_round_trips_leading_apostrophes() -> None:
    for text in ("=1+1", "-3", "'quoted", "''", "'=x", "plain", "@home", "+27"):
        assert formats.unescape(formats.escape(text)) == text


def workbook_bytes(*rows: list[object]) -> bytes:
    """Build an XLSX workbook with these rows."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)  # type: ignore[union-attr]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_formulas_are_read_as_saved_values_never_run(app: Flask, db: Session,
                                                          idp: Plan) -> None:
    data = workbook_bytes(plan_sheet.HEADER, ["1", "", '=WEBSERVICE("http://x")', "", "", 5],
                          ["2", "", "Numbers come as text", "", "", 2.5])
    report = import_structure(app, db, idp, data)
    assert where(report) == {(2, "title")}  # the formula has no saved value: blank
    report = import_structure(app, db, idp, workbook_bytes(plan_sheet.HEADER,
                                                           ["2", "", "Numbers", "", "", 2.5]))
    assert report.ok and elements(db, idp)["2"].budget == Decimal("2.5")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"\xff\xfe\x00junk" * 10, "neither an .xlsx workbook nor UTF-8"),
    (formats.ZIP_MAGIC + b"not really a zip", "not a readable .xlsx"),
    (b"x" * (formats.MAX_BYTES + 1), "larger than 5 MB"),
    (sheet(*[f"{n},,Row {n},,,,,,,," for n in range(formats.MAX_ROWS + 1)]), "more than 5000"),
])
def test_files_beyond_the_limits_are_refused(app: Flask, db: Session, idp: Plan,
                                             data: bytes, message: str) -> None:
    before = counts(db)
    report = import_structure(app, db, idp, data)
    assert [e.row for e in report.errors] == [0] and message in messages(report)
    assert counts(db) == before


def test_a_zip_bomb_is_refused(app: Flask, db: Session, idp: Plan,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "MAX_UNZIPPED_BYTES", 1000)
    report = import_structure(app, db, idp, services.template("structure", "xlsx"))
    assert "unpacks to more than" in messages(report)


def entity_bomb() -> bytes:
    """Return the structure template with a "billion laughs" entity in its first cell."""
    source = zipfile.ZipFile(io.BytesIO(services.template("structure", "xlsx")))
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<worksheet", f"<!DOCTYPE worksheet [{entities}]>"
                                          "<worksheet".encode(), 1)
                content = content.replace(b"<t>3</t>", b"<t>&a9;</t>", 1)
            archive.writestr(info, content)
    return out.getvalue()


def test_an_xml_entity_bomb_is_refused(app: Flask, db: Session, idp: Plan) -> None:
    with app.app_context():
        bomb = entity_bomb()
    report = import_structure(app, db, idp, bomb)
    assert [e.row for e in report.errors] == [0] and "not a readable .xlsx" in messages(report)


def test_the_header_must_name_every_column_once(app: Flask, db: Session,
                                                idp: Plan) -> None:
    header = STRUCTURE_HEADER.replace("rationale", "reason").replace("title", "code")
    report = import_structure(app, db, idp, f"{header}\n1,,A,,,,,,,,".encode())
    assert where(report) == {(1, "title"), (1, "rationale"), (1, "code"), (1, "reason")}


def test_semicolon_separated_csv_with_a_bom_is_read(app: Flask, db: Session,
                                                    idp: Plan) -> None:
    text = STRUCTURE_HEADER.replace(",", ";") + '\n1;;Root;;;12.5;"6.1; 6.2";;;;\n'
    report = import_structure(app, db, idp, b"\xef\xbb\xbf" + text.encode())
    assert report.ok, messages(report)
    assert elements(db, idp)["1"].budget == Decimal("12.5")


def test_one_reader_names_the_row_and_byte_of_broken_utf8_and_skips_blank_rows() -> None:
    data = b"code,title\n\n1,Water\n2,Wat\xe9r\n"  # \xe9 is Latin-1, not UTF-8: byte 26
    with pytest.raises(formats.BulkFileError, match="row 4 has an invalid byte at position 26"):
        read_table(data, ["code", "title"])
    table = read_table(b"\xef\xbb\xbfcode;title\n\n'=1;Water\n", ["code", "title"],
                       keep_raw=True)
    assert table.header == ["code", "title"]
    assert table.rows == [(3, ["=1", "Water"])]  # blank row 2 skipped, numbering kept
    assert table.raw == {3: ["'=1", "Water"]}  # as typed, before unescaping


def test_blank_rows_do_not_count_toward_the_row_limit() -> None:
    rows = "".join(f"{n},Row {n}\n\n" for n in range(formats.MAX_ROWS))
    table = read_table(f"code,title\n{rows}".encode(), ["code", "title"])
    assert len(table.rows) == formats.MAX_ROWS and table.rows[-1][0] == 2 * formats.MAX_ROWS
    with pytest.raises(formats.BulkFileError, match="more than 5000 rows"):
        read_table(f"code,title\n{rows}x,y\n".encode(), ["code", "title"])
    with pytest.raises(formats.BulkFileError, match="more than 10 rows"):
        read_table(b"code\n" + b"\n" * (formats.MAX_BLANK_ROWS + 2), ["code"], max_rows=10)
