"""Read the catalogue data files in indicators/ (never imported as code)."""

import csv
import json
from pathlib import Path

from tracker.catalogue.records import GoalRecord, IndicatorRecord, RevisionRecord, TargetRecord
from tracker.resources import resource_path

SDG_DIR = resource_path("indicators") / "sdg"


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a CSV file into dictionaries, with surrounding spaces stripped."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def read_sdg_framework(directory: Path = SDG_DIR) -> RevisionRecord:
    """Read the bundled SDG framework: revision.json, goals, targets and indicators."""
    meta = json.loads((directory / "revision.json").read_text(encoding="utf-8"))
    goals = [GoalRecord(code=r["code"], title=r["title"], short_title=r["short_title"],
                        colour=r["colour"]) for r in read_rows(directory / "goals.csv")]
    targets = [TargetRecord(code=r["code"], title=r["title"])
               for r in read_rows(directory / "targets.csv")]
    indicators = [
        IndicatorRecord(code=r["code"], title=r["title"], tier=r.get("tier", ""),
                        custodians=r.get("custodians", ""), repeat_of=r.get("repeat_of", ""),
                        status=r.get("status") or "active", note=r.get("note", ""))
        for r in read_rows(directory / "indicators.csv")
    ]
    return RevisionRecord(key=meta["key"], title=meta["title"], published=meta.get("published", ""),
                          source=meta.get("source", ""), goals=goals, targets=targets,
                          indicators=indicators)
