"""Read CDP open-data CSV cells strictly: a number is a number, anything else is reported.

Labels are matched after normalising (lower case, "+" → "plus", other punctuation dropped),
so the 2019, 2020 and 2021 spellings and R's "clean names" copies all map to one schema.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import pycountry

from tracker.climate.sectors import GASES

MAX_FIGURE = Decimal(10) ** 17  # the database keeps 18 digits before the point
MAX_ACCOUNT = 2**31 - 1
MISSING = {"", "na", "n/a", "-", "null", "none",  # 2018 fills unanswered totals with the words
           "not applicable", "question not applicable"}
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
PERIOD = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*-\s*(\d{4}-\d{2}-\d{2})\s*$")
US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(\s+\d{1,2}:\d{2}(:\d{2})?\s*[AP]M)?\s*$")
GAS_TYPOS = {"N20": "N2O", "CO²": "CO2", "HFC": "HFCs", "PFC": "PFCs"}
# Country names in CDP files that pycountry does not know as written.
COUNTRY_ALIASES = {"taiwan, greater china": "TW", "hong kong": "HK", "turkey": "TR",
                   "bolivia (plurinational state of)": "BO", "united kingdom": "GB",
                   "venezuela (bolivarian republic of)": "VE", "republic of korea": "KR",
                   "iran (islamic republic of)": "IR", "united republic of tanzania": "TZ",
                   "democratic republic of the congo": "CD", "côte d'ivoire": "CI",
                   "viet nam": "VN", "russian federation": "RU", "russia": "RU",
                   "china, hong kong special administrative region": "HK",
                   "china, macao special administrative region": "MO", "macedonia": "MK",
                   "swaziland": "SZ", "cape verde": "CV", "ivory coast": "CI",
                   "palestine": "PS"}


def normalise_label(label: str) -> str:
    """Reduce a column label to letters and digits ("TOTAL BASIC+ …" keeps "plus")."""
    text = label.replace("\ufeff", "").lower().replace("+", "plus")
    return re.sub(r"[^a-z0-9]", "", text)


@dataclass
class Notes:
    """What was repaired or ignored while reading one row, in words."""

    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # kept, but someone must look at it
    created_city: str = ""  # set when the row's city had to be created


def text(value: str | None) -> str:
    """Return a cell's text, or "" for the missing markers (NA, -, blank)."""
    value = (value or "").strip()
    return "" if value.lower() in MISSING else value


def number(value: str | None, column: str, notes: Notes) -> Decimal | None:
    """Read a non-negative number; report and ignore free text, never guess."""
    raw = text(value)
    if not raw:
        return None
    cleaned = raw.replace(",", "") if THOUSANDS.match(raw) else raw
    try:
        result = Decimal(cleaned)
    except InvalidOperation:
        notes.repairs.append(f"{column}: {raw[:40]!r} is not a number; left empty")
        return None
    if not result.is_finite() or result < 0 or result >= MAX_FIGURE:
        notes.repairs.append(f"{column}: {raw[:40]!r} is not a usable figure; left empty")
        return None
    if cleaned != raw:
        notes.repairs.append(f"{column}: {raw!r} read as {cleaned} (thousands separators)")
    return result


def whole(value: str | None, column: str, notes: Notes, low: int, high: int) -> int | None:
    """Read a whole number in a range ("2021.0" allowed); report anything else."""
    figure = number(value, column, notes)
    if figure is None:
        return None
    if figure != figure.to_integral() or not low <= figure <= high:
        notes.repairs.append(f"{column}: {text(value)!r} is out of range; left empty")
        return None
    return int(figure)


def period(value: str | None) -> tuple[date, date] | None:
    """Read "2017-04-01 - 2018-03-31" into its dates, or None."""
    match = PERIOD.match(text(value))
    if not match:
        return None
    try:
        start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
    except ValueError:
        return None
    return (start, end) if end > start else None


def us_date(value: str | None) -> date | None:
    """Read the 2016 file's "12/31/2013 12:00:00 AM" (month first), or None."""
    match = US_DATE.match(text(value))
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[1]), int(match[2]))
    except ValueError:
        return None


def gases(value: str | None, notes: Notes) -> list[str]:
    """Read "CH4, CO2, N20" into CRF gas names, repairing the known typos."""
    if text(value).lower() == "gpc gases":  # 2018: the GPC's seven gases, named once
        notes.repairs.append("gases 'GPC gases' read as the seven GPC gases")
        return list(GASES)
    found: list[str] = []
    for part in re.split(r"[;,|]", text(value)):
        gas = part.strip()
        if not gas:
            continue
        fixed = GAS_TYPOS.get(gas, gas)
        if fixed != gas:
            notes.repairs.append(f"gas {gas!r} read as {fixed}")
        if fixed in GASES:
            found.append(fixed)
        else:
            notes.repairs.append(f"gas {gas!r} is not a CRF gas; left out")
    return list(dict.fromkeys(found))


def country_code(name: str) -> str | None:
    """Return the ISO alpha-2 code of a CDP country name, or None."""
    name = text(name)
    if not name:
        return None
    if name.lower() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[name.lower()]
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def slugify(name: str) -> str:
    """Make an address name from a city name ("Málaga" → "malaga")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:45] or "city"


def decode(data: bytes) -> str:
    """Decode a CSV file: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Return normalised headers and rows keyed by them (extra cells are dropped)."""
    csv.field_size_limit(1_000_000)
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    header = [normalise_label(h) for h in next(reader, [])]
    rows = [{key: (cells[i] if i < len(cells) else "") for i, key in enumerate(header)}
            for cells in reader if any(c.strip() for c in cells)]
    return header, rows


def pick(row: dict[str, str], *aliases: str) -> str:
    """Return the first present column among the aliases (labels differ by year)."""
    for alias in aliases:
        if alias in row:
            return row[alias]
    return ""
