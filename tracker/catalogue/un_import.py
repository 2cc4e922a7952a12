"""Read the UN's published "Global indicator framework" list (.xlsx or CSV) as a revision.

The layout is described in indicators/sdg/UN-FORMAT.md. The file is only ever read as data.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _

from tracker.bulk.formats import ZIP_MAGIC, BulkFileError, TableRow, read_table
from tracker.catalogue.records import (
    INDICATOR_CODE,
    TARGET_CODE,
    GoalRecord,
    IndicatorRecord,
    RevisionRecord,
    TargetRecord,
    target_code_of,
)
from tracker.catalogue.services import CatalogueError

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
# A 20 MB .xlsx can unzip to far more; the real list is about 0.1 MB unzipped.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# The real list has about 420 rows; anything much longer is not this file (rows after the
# first, as the bulk reader counts them).
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10
MAX_TEXT = 1000  # the longest title the catalogue stores
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}

TARGETS, INDICATORS, CODES = "Goals and targets", "Indicators", "UNSD Indicator Codes"
# Header cells as the UN writes them: they tell the reader which separator a CSV uses.
HEADER_NAMES = ("Goals and targets (from the 2030 Agenda for Sustainable Development)",
                INDICATORS, "UNSD Indicator Codes†", CODES)
GOAL_CELL = re.compile(r"^Goal\s+(\d{1,2})\s*[.:]\s*(.+)$", re.IGNORECASE)
# A cell that starts like a code ("11.1", "11.x.1"), valid or not.
CODE_LIKE = re.compile(r"^\d{1,2}\.\S*$")
# A note under the table, such as "1 Resolution 71/313" or "* Acknowledging …".
NOTE_CELL = re.compile(r"^(\d{1,2}|[*†‡]+)\s+[^\d.]")
UNSD_CODE = re.compile(r"^C[0-9A-Za-z]{6}$")
# Footnote digits glued to a lowercase word ("policy2") or to a letter's closing
# punctuation ("Statistics.1"); "PM2.5", "PM10" and "2015–2030" do not match.
FOOTNOTE = re.compile(r"(?:(?<=[a-z])|(?<=[A-Za-z][.)]))\d{1,2}$|[*†‡]+$")
UNITS = {"km2", "m2", "m3"}  # squared and cubed units are not footnotes
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# The UN calls 13.b.1 a repeat of 13.2.1 "with a slight amendment", but the titles and
# UNSD codes differ, so nothing in the list itself shows it (indicators/sdg/README.md).
PARTIAL_REPEATS = {"13.b.1": "13.2.1"}


@dataclass
class Columns:
    """Where the columns are, counted from 0."""

    targets: int
    indicators: int
    codes: int | None = None


@dataclass
class Reader:
    """The state while walking the rows: the current goal and target, and what was seen."""

    record: RevisionRecord
    goal: str = ""
    target: str = ""
    rows_of: dict[str, int] = field(default_factory=dict)
    unsd_codes: dict[str, str] = field(default_factory=dict)


@dataclass
class Place:
    """A cell: its row number, column name and text, for reading and for error messages."""

    row: int
    column: str
    text: str

    def error(self, problem: str) -> CatalogueError:
        """Return an error that names this cell."""
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return CatalogueError(_("Row %(row)d, column %(column)s: '%(text)s' %(problem)s",
                                row=self.row, column=self.column,
                                text=shown.replace("\n", " "), problem=problem))


def read_un_framework(path: Path, *, key: str | None = None, title: str = "") -> RevisionRecord:
    """Read the UN workbook or its CSV into a revision record."""
    path = Path(path)
    rows = read_rows(path)
    header, columns = find_header(rows)
    record = new_record(path.name, key, title)
    reader = Reader(record)
    for number, row in rows[header + 1:]:
        read_row(reader, number, row, columns)
    if not record.indicators:
        raise CatalogueError(_("%(file)s lists no indicators.", file=path.name))
    mark_repeats(record.indicators, reader.unsd_codes)
    logger.info("Read %s: %d goals, %d targets, %d indicators", path.name,
                len(record.goals), len(record.targets), len(record.indicators))
    return record


def new_record(file_name: str, key: str | None, title: str) -> RevisionRecord:
    """Start a revision with the given or default key and title."""
    key = (key or key_from_name(file_name)).strip()
    title = title.strip() or _("Global indicator framework (imported from %(file)s)",
                               file=file_name[:120])
    if not key or len(key) > 40 or len(title) > 200:
        raise CatalogueError(_("The revision key must have 1–40 characters and the title "
                               "at most 200."))
    return RevisionRecord(key=key, title=title, source=file_name[:500])


def key_from_name(file_name: str) -> str:
    """Use the last past or current year in the file name, else today's date."""
    # "2030" in "2030 Agenda" is a target year, not the edition, until it is near.
    years = [y for y in YEAR.findall(file_name) if 2015 <= int(y) <= date.today().year + 1]
    return years[-1] if years else date.today().isoformat()


def read_rows(path: Path) -> list[TableRow]:
    """Read the first sheet (or the CSV) as numbered non-blank rows of cell text, refusing
    large files, with the bulk sheets' reader (tracker.bulk.formats)."""
    if not path.is_file():
        raise CatalogueError(_("%(file)s is not a readable file.", file=path.name))
    if path.stat().st_size > MAX_BYTES:
        raise CatalogueError(_("%(file)s is larger than %(mb)d MB.", file=path.name,
                               mb=MAX_BYTES // 2**20))
    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES | CSV_SUFFIXES:
        raise CatalogueError(_("%(file)s is neither an .xlsx workbook nor a .csv file "
                               "(save an old .xls workbook as .xlsx).", file=path.name))
    data = path.read_bytes()
    if suffix in XLSX_SUFFIXES and not data.startswith(ZIP_MAGIC):
        raise CatalogueError(_("%(file)s is not a readable .xlsx workbook (%(error)s).",
                               file=path.name, error=_("not a zip archive")))
    try:
        table = read_table(data, HEADER_NAMES, max_rows=MAX_ROWS, max_bytes=MAX_BYTES,
                           max_unzipped=MAX_UNZIPPED_BYTES, header=False,
                           header_lines=HEADER_SEARCH_ROWS)
    except BulkFileError as error:
        raise CatalogueError(_("%(file)s: %(problem)s", file=path.name,
                               problem=str(error))) from error
    return [(number, [clean_cell(value) for value in row]) for number, row in table.rows]


def clean_cell(value: object) -> str:
    """Return a cell's text with line breaks kept and other whitespace normalised."""
    if value is None:
        return ""
    text = str(value).replace("\u2011", "-").replace("\u00ad", "")
    lines = (" ".join(line.split()) for line in re.split(r"[\r\n]+", text))
    return "\n".join(line for line in lines if line)


def clean_title(text: str) -> str:
    """Join a title's lines, drop footnote markers and stray spaces after slashes."""
    # "legal/regulatory/ policy" (14.b.1 in 2023) would otherwise read as a retitling.
    text = re.sub(r"(?<=\w)/ (?=\w)", "/", " ".join(text.split()))
    if text.rsplit(" ", 1)[-1].lower() not in UNITS:
        text = FOOTNOTE.sub("", text)
    return text.strip()


def find_header(rows: list[TableRow]) -> tuple[int, Columns]:
    """Find the header row among the first rows (its index in `rows`), or explain what is
    missing."""
    for index, (number, row) in enumerate(rows):
        if number > HEADER_SEARCH_ROWS:
            break
        columns = match_header([cell.lower() for cell in row])
        if columns is not None:
            return index, columns
    raise CatalogueError(_("No header row with the columns '%(targets)s' and "
                           "'%(indicators)s' in the first %(n)d rows.",
                           targets=TARGETS, indicators=INDICATORS, n=HEADER_SEARCH_ROWS))


def match_header(cells: list[str]) -> Columns | None:
    """Return the columns if these cells are the header row."""
    names = [FOOTNOTE.sub("", cell).strip(" :") for cell in cells]
    targets = [i for i, n in enumerate(names) if n.startswith(("goals and targets", "targets"))]
    indicators = [i for i, n in enumerate(names) if n == "indicators"]
    codes = [i for i, n in enumerate(names) if n.startswith("unsd indicator code")]
    if not targets or not indicators:
        return None
    return Columns(targets[0], indicators[0], codes[0] if codes else None)


def read_row(reader: Reader, number: int, row: list[str], columns: Columns) -> None:
    """Read one row after the header: a goal, a target and/or indicators, or nothing."""
    cell = row[columns.targets] if columns.targets < len(row) else ""
    indicators = row[columns.indicators] if columns.indicators < len(row) else ""
    codes = row[columns.codes] if columns.codes is not None and columns.codes < len(row) else ""
    if cell and NOTE_CELL.match(cell) and not indicators:
        logger.info("Row %d: skipped the note %r", number, cell[:60])
    elif cell:
        read_goal_or_target(reader, Place(number, TARGETS, cell))
    found = read_indicators(reader, Place(number, INDICATORS, indicators)) if indicators else []
    if codes or found:
        read_codes(reader, Place(number, CODES, codes), found)


def split_code(place: Place, text: str, pattern: re.Pattern[str], kind: str) -> tuple[str, str]:
    """Split "<code> <title>" and check the code and the title."""
    code, rest = (text.split(None, 1) + [""])[:2]
    if not pattern.match(code):
        raise place.error(_("is not %(kind)s code.", kind=kind))
    title = clean_title(rest)
    if not title or len(title) > MAX_TEXT:
        raise place.error(_("needs a title of 1 to %(n)d characters.", n=MAX_TEXT))
    return code, title


def read_goal_or_target(reader: Reader, place: Place) -> None:
    """Read a goal heading or a target cell."""
    goal = GOAL_CELL.match(" ".join(place.text.split()))
    if goal:
        code, title = str(int(goal.group(1))), clean_title(goal.group(2))
        check_new(reader, place, f"goal {code}")
        if len(title) > 300:
            raise place.error(_("is too long for a goal title."))
        reader.record.goals.append(GoalRecord(code=code, title=title))
        reader.goal, reader.target = code, ""
        return
    code, title = split_code(place, place.text, TARGET_CODE, _("a goal heading or a target"))
    previous = reader.record.targets[-1] if reader.record.targets else None
    if previous and previous.code == code and previous.title == title:
        return  # a merged target cell saved with its text on every row
    if code.split(".")[0] != reader.goal:
        raise place.error(_("is not under its goal (goal row missing or out of order)."))
    check_new(reader, place, f"target {code}")
    reader.record.targets.append(TargetRecord(code=code, title=title))
    reader.target = code


def read_indicators(reader: Reader, place: Place) -> list[str]:
    """Read the one or more indicators of a cell; return their codes."""
    found: list[str] = []
    for text in split_indicator_cell(place):
        code, title = split_code(place, text, INDICATOR_CODE, _("an indicator"))
        if target_code_of(code) != reader.target:
            raise place.error(_("does not belong to target %(target)s on this row.",
                                target=reader.target or "–"))
        check_new(reader, place, f"indicator {code}")
        reader.record.indicators.append(IndicatorRecord(code=code, title=title))
        found.append(code)
    return found


def split_indicator_cell(place: Place) -> list[str]:
    """Split a cell into indicators: a line starting with a code starts a new one."""
    parts: list[str] = []
    for line in place.text.split("\n"):
        starts_code = CODE_LIKE.match(line.split(" ", 1)[0])
        if starts_code or not parts:
            parts.append(line)
        else:
            parts[-1] += " " + line  # a title wrapped onto the next line
    return parts


def read_codes(reader: Reader, place: Place, indicators: list[str]) -> None:
    """Note the UNSD code of each indicator of the row."""
    codes = place.text.split()
    if not codes:
        return
    if len(codes) != len(indicators):
        raise place.error(_("gives %(n)d codes for %(m)d indicators.", n=len(codes),
                            m=len(indicators)))
    for code, indicator in zip(codes, indicators, strict=True):
        if not UNSD_CODE.match(code):
            raise place.error(_("holds %(code)s, which is not a UNSD code.", code=code))
        reader.unsd_codes[indicator] = code


def check_new(reader: Reader, place: Place, name: str) -> None:
    """Refuse a goal, target or indicator listed twice."""
    if name in reader.rows_of:
        raise place.error(_("lists %(name)s again (first on row %(row)d).", name=name,
                            row=reader.rows_of[name]))
    reader.rows_of[name] = place.row


def mark_repeats(indicators: list[IndicatorRecord], unsd_codes: dict[str, str]) -> None:
    """Point each indicator at the first one with the same title or UNSD code."""
    first: dict[str, str] = {}
    listed = {rec.code for rec in indicators}
    for rec in indicators:
        keys = [f"title:{rec.title}"]
        if rec.code in unsd_codes:
            keys.append(f"unsd:{unsd_codes[rec.code]}")
        original = next((first[k] for k in keys if k in first), "")
        if not original and PARTIAL_REPEATS.get(rec.code) in listed:
            original = PARTIAL_REPEATS[rec.code]
        rec.repeat_of = original
        for k in keys:
            first.setdefault(k, original or rec.code)
