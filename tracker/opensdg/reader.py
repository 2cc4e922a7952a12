"""Read an Open SDG repository as it is: its data files, metadata and data configuration.

Metadata of an indicator comes from every place sdg-build reads it: `indicator-config/<id>.yml`,
`meta/<id>.yml`, `meta/<id>.md` (YAML front matter and a Markdown body), v1-style
`global-meta/<id>.md` and `csv-meta/<id>.csv` (label, value rows named through
`metadata-mapping.csv`). Each source is kept apart, as written (JSON-ready), for export.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml
from flask_babel import gettext as _

from tracker.opensdg.mapping import is_indicator_id, normalised
from tracker.opensdg.source import Source

DATA_RE = re.compile(r"^data/(?:indicator_)?([^/]+)\.csv$")
FRONT_MATTER_RE = re.compile(r"^---\s*\n(.*?)\n---\s*(?:\n|$)(.*)$", re.S)
# Where sdg-build's later inputs override earlier ones, in our precedence (last wins).
META_ORDER = ("global-meta", "csv-meta", "meta", "indicator-config")
MAX_NODES = 100_000


@dataclass
class Problem:
    """Something of the repository not taken: file, row (0: the whole file), column, why."""

    file: str
    row: int
    column: str
    message: str


@dataclass
class Repository:
    """What the importer needs of a repository besides the data rows."""

    source: Source
    data_files: dict[str, str]  # Open SDG id → data file
    attributes: set[str]  # declared observation attribute columns (normalised)
    mapping: dict[str, str]  # csv-meta label → metadata key
    problems: list[Problem] = field(default_factory=list)
    meta_only: list[str] = field(default_factory=list)  # ids with metadata but no data


def jsonable(value: Any, budget: list[int] | None = None) -> Any:
    """Return YAML's value as JSON can hold it (dates as ISO text); refuse more than
    MAX_NODES values (YAML aliases can make a small file expand without end)."""
    budget = [MAX_NODES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError(_("The metadata holds more than %(num)d values.", num=MAX_NODES))
    if isinstance(value, dict):
        return {str(k): jsonable(v, budget) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v, budget) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def read_yaml(source: Source, name: str, text: str | None = None) -> dict[str, Any]:
    """Read a YAML mapping (or raise ValueError saying why it is not one)."""
    try:
        loaded = yaml.load(text if text is not None else source.read_text(name),
                           Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ValueError(_("This is not readable YAML: %(reason)s",
                           reason=str(error).splitlines()[0][:200])) from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ValueError(_("This YAML file does not hold field: value pairs."))
    mapping: dict[str, Any] = jsonable(loaded)
    return mapping


def read_markdown(source: Source, name: str) -> dict[str, Any]:
    """Read a Markdown metadata file: its front matter, and its body as `page_content`."""
    text = source.read_text(name)
    match = FRONT_MATTER_RE.match(text.lstrip("\ufeff"))
    if match is None:
        return {"page_content": text} if text.strip() else {}
    fields = read_yaml(source, name, match[1])
    if match[2].strip():
        fields.setdefault("page_content", match[2].strip())
    return fields


def read_csv_meta(source: Source, name: str, mapping: dict[str, str]) -> dict[str, Any]:
    """Read v1 csv-meta rows (label, value); labels are named through the mapping."""
    fields: dict[str, Any] = {}
    with source.open_text(name) as handle:
        for number, row in enumerate(csv.reader(handle)):
            if number >= MAX_NODES:
                raise ValueError(_("The metadata holds more than %(num)d values.",
                                   num=MAX_NODES))
            if row and row[0].strip():
                label = row[0].strip()
                fields[mapping.get(label, label)] = row[1] if len(row) > 1 else ""
    return fields


def open_repository(source: Source) -> Repository:
    """List the data files and read the data configuration and metadata mapping."""
    repository = Repository(source, {}, set(), {})
    # indicator_<id>.csv (sdg-build's name) before a bare <id>.csv of the same indicator
    for name in sorted(source.under("data"), key=lambda n: "/indicator_" not in n):
        match = DATA_RE.match(name)
        if match and is_indicator_id(match[1]) and match[1] in repository.data_files:
            repository.problems.append(Problem(name, 0, "", _(
                "Not read: %(other)s holds the data of the same indicator.",
                other=repository.data_files[match[1]])))
        elif match and is_indicator_id(match[1]):
            repository.data_files[match[1]] = name
        elif name.lower().endswith(".csv"):
            repository.problems.append(Problem(name, 0, "", _(
                "Not read: the name is not indicator_<id>.csv with an Open SDG id.")))
    repository.attributes = declared_attributes(repository)
    repository.mapping = metadata_mapping(repository)
    ids = {meta_id(n) for folder in META_ORDER for n in source.under(folder)}
    repository.meta_only = sorted(i for i in ids if i and i not in repository.data_files)
    return repository


def meta_id(name: str) -> str:
    """Return the indicator id a metadata file is named after ("" if none)."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return stem if is_indicator_id(stem) else ""


def declared_attributes(repository: Repository) -> set[str]:
    """Return the observation attribute columns config_data.yml declares (normalised)."""
    if not repository.source.has("config_data.yml"):
        return set()
    try:
        config = read_yaml(repository.source, "config_data.yml")
    except ValueError as error:
        repository.problems.append(Problem("config_data.yml", 0, "", str(error)))
        return set()
    names = set()
    for item in config.get("observation_attributes") or []:
        name = item.get("field") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.add(normalised(name))
    return names


def metadata_mapping(repository: Repository) -> dict[str, str]:
    """Read metadata-mapping.csv (human label → metadata key), if the repository has one."""
    if not repository.source.has("metadata-mapping.csv"):
        return {}
    try:
        with repository.source.open_text("metadata-mapping.csv") as handle:
            return {row[0].strip(): row[1].strip() for row in csv.reader(handle)
                    if len(row) >= 2 and row[0].strip() and row[1].strip()}
    except (UnicodeDecodeError, csv.Error) as error:
        repository.problems.append(Problem("metadata-mapping.csv", 0, "", _(
            "Not read: %(reason)s", reason=str(error)[:200])))
        return {}


def metadata_files(source: Source, opensdg_id: str) -> list[tuple[str, str]]:
    """Return (kind, file) of every metadata file of an indicator, in META_ORDER."""
    candidates = {"global-meta": [".md", ".yml"], "csv-meta": [".csv"],
                  "meta": [".md", ".yml", ".yaml"], "indicator-config": [".yml", ".yaml"]}
    return [(kind, f"{kind}/{opensdg_id}{ext}") for kind in META_ORDER
            for ext in candidates[kind] if source.has(f"{kind}/{opensdg_id}{ext}")]


def read_metadata(repository: Repository, opensdg_id: str) -> dict[str, dict[str, Any]]:
    """Return an indicator's metadata by source kind; an unreadable file is a problem."""
    found: dict[str, dict[str, Any]] = {}
    for kind, name in metadata_files(repository.source, opensdg_id):
        try:
            if name.endswith(".csv"):
                fields = read_csv_meta(repository.source, name, repository.mapping)
            elif name.endswith(".md"):
                fields = read_markdown(repository.source, name)
            else:
                fields = read_yaml(repository.source, name)
        except (ValueError, UnicodeDecodeError, csv.Error) as error:
            repository.problems.append(Problem(name, 0, "", str(error)))
            continue
        found.setdefault(kind, {}).update(fields)
    return found


def merged(metadata: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return every field once, the later source in META_ORDER winning."""
    fields: dict[str, Any] = {}
    for kind in META_ORDER:
        fields.update(metadata.get(kind, {}))
    return fields


def data_rows(source: Source, name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield a data file's rows with their row numbers (the header is row 1), streamed."""
    with source.open_text(name) as handle:
        yield from enumerate(csv.reader(handle), start=1)
