"""The worked examples of progress-method.md §10 written as a small Open SDG repository
(data/indicator_X-Y-Z.csv, indicator-config/X-Y-Z.yml with progress_calculation_options),
imported with tracker.opensdg.importer and assessed by the progress pages' service: the same
hand-typed oracle as test_opensdg_examples."""

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session

from tests.progress.test_opensdg_examples import SEX, TABLE, UNITS, Row, check, rows
from tracker.opensdg.importer import import_repository
from tracker.progress.services import IndicatorProgress, city_progress

pytestmark = pytest.mark.usefixtures("app_ctx")
PER_SEX = [{"disaggregation": [{"field": "Sex", "value": "Female"}], "target": 21.5},
           {"disaggregation": [{"field": "Sex", "value": "Male"}], "target": 10}]
CONFIG = {"languages": ["en"], "src_dir": "", "inputs": [
    {"class": "InputCsvData", "path_pattern": "data/*-*.csv"},
    {"class": "InputYamlMeta", "path_pattern": "indicator-config/*-*.yml"}]}


def csv_text(data: list[Row]) -> str:
    """An Open SDG data file: Year, the breakdown columns, Progress if any, Value last."""
    columns = sorted({name for _label, _value, breakdown, _p in data for name in breakdown})
    progress = any(p is not None for *_rest, p in data)
    header = ["Year", *columns, *(["Progress"] if progress else []), "Value"]
    lines = [",".join(header)]
    for label, value, breakdown, p in data:
        cells = [label, *(breakdown.get(c, "") for c in columns),
                 *([p or ""] if progress else []), value or ""]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def write(repo: Path, opensdg_id: str, data: list[Row],
          options: list[dict[str, Any]] | None) -> None:
    """One indicator's data file and configuration."""
    (repo / "data" / f"indicator_{opensdg_id}.csv").write_text(csv_text(data))
    config: dict[str, Any] = {"indicator_name": f"Example {opensdg_id}",
                              "reporting_status": "complete", "auto_progress_calculation": True}
    if options is not None:
        config["progress_calculation_options"] = options
    (repo / "indicator-config" / f"{opensdg_id}.yml").write_text(yaml.safe_dump(config))


EXTRA = {  # opensdg id: (data, options)
    "9-x-1": (SEX, None), "9-x-2": (SEX, PER_SEX), "9-x-3": (rows("2010:20", "2012:18"), None),
    "9-x-4": (UNITS, None), "9-x-5": (rows("2015:22", "2020:21", breakdown={"Sex": "Female"}),
                                      None),
    "9-x-6": ([*rows("2016:20", "2020:18"), *rows("2016-2018:19")], None),
}


@pytest.fixture
def imported(tmp_path: Path, db: Session, make_city: Any,
             make_user: Any) -> dict[str, IndicatorProgress]:
    """Write every example as an indicator of one repository, import it approved, assess."""
    repo = tmp_path / "examples"
    (repo / "data").mkdir(parents=True)
    (repo / "indicator-config").mkdir()
    (repo / "config_data.yml").write_text(yaml.safe_dump(CONFIG))
    for n, param in enumerate(TABLE, start=1):
        data, options = param.values[:2]
        write(repo, f"8-x-{n}", data, options)  # type: ignore[arg-type]
    for opensdg_id, (data, options) in EXTRA.items():
        write(repo, opensdg_id, data, options)
    city = make_city()
    report = import_repository(db, city, repo, make_user("admin"), approve=True)
    assert not report.errors, report.errors
    return {item.indicator.opensdg_id: item for item in city_progress(db, city).items}


def test_every_example_through_an_import(imported: dict[str, IndicatorProgress]) -> None:
    assert len(imported) == len(TABLE) + len(EXTRA)
    for n, param in enumerate(TABLE, start=1):
        options, p, score, status = param.values[1:]
        item = imported[f"8-x-{n}"]
        assert item.result.rule == ("configured" if options else "headline"), param.id
        check(item, p, score, status)  # type: ignore[arg-type]


def test_the_sex_examples_and_the_errors_through_an_import(
        imported: dict[str, IndicatorProgress]) -> None:
    check(imported["9-x-1"], "0.02085", "5", "substantial_progress")
    both = imported["9-x-2"]
    assert [o.result.status for o in both.result.outcomes if o.result] == [
        "target_achieved", "moderate_progress"]
    assert f"{both.score:.4f}" == "3.6851" and both.status == "substantial_progress"
    before = imported["9-x-3"].result.outcomes[0].result
    assert before is not None and before.reason == "no data from 2015 on"
    assert [imported[i].result.error for i in ("9-x-4", "9-x-5", "9-x-6")] == [
        "detected many sub-series (Units: %, number)", "no headline found",
        "two values for the year 2016"]
    assert all(imported[i].result.opensdg_status == "" for i in ("9-x-3", "9-x-4", "9-x-6"))
