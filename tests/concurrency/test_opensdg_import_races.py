"""Two concurrent Open SDG imports of one indicator into one city, both planned before either
writes: one saves every value of its repository, the other nothing (never a mix) — when both
create the indicator and when both update its 200 values from the same versions."""

from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.concurrency.conftest import RaceWorld, hold_until_both_called, race
from tracker.cities.models import City
from tracker.data.models import Observation
from tracker.errors import StaleEditError
from tracker.indicators.models import LocalIndicator
from tracker.opensdg import importer
from tracker.opensdg.importer import import_repository

YEARS, WARDS = 10, 19  # 10 years × (the headline and 19 wards) = 200 values
ROUNDS = 3


def write_repository(folder: Path, base: int) -> Path:
    """Write an Open SDG repository whose values all derive from `base`; return its path."""
    (folder / "data").mkdir(parents=True)
    lines = ["Year,Ward,Value"]
    for year in range(2014, 2014 + YEARS):
        lines.append(f"{year},,{base}")
        lines += [f"{year},W{w:02d},{base + 1 + w}" for w in range(WARDS)]
    (folder / "data" / "indicator_11-6-2.csv").write_text("\n".join(lines) + "\n")
    return folder


def commit_import(app: Flask, engine: Engine, city_id: int, folder: Path) -> Any:
    """Import a repository as the CLI does: its own session, committed when it saved."""
    with app.app_context(), Session(engine) as session:
        city = session.get(City, city_id)
        assert city is not None
        try:
            report = import_repository(session, city, folder, None)
        except Exception as error:  # noqa: BLE001  (the refusal is the result)
            session.rollback()
            return error
        assert report.ok and report.saved
        session.commit()
        return "saved"


def stored_bases(engine: Engine, city_id: int) -> set[int]:
    """Return the distinct `base` the city's 11.6.2 values derive from (by hand: the headline
    holds base, ward Wnn holds base + 1 + nn)."""
    with Session(engine) as session:
        rows = session.execute(
            select(Observation.breakdown, Observation.value).join(LocalIndicator)
            .where(LocalIndicator.city_id == city_id, LocalIndicator.code == "11.6.2")).all()
    assert len(rows) == YEARS * (WARDS + 1)
    return {int(value) - (1 + int(breakdown["Ward"][1:]) if breakdown else 0)
            for breakdown, value in rows}


@pytest.fixture
def both_plan_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each import after it planned until the other planned too."""
    hold_until_both_called(monkeypatch, importer, "save_all")


@pytest.mark.usefixtures("both_plan_first")
def test_two_open_sdg_imports_into_one_city_one_all_the_other_nothing(
        race_app: Flask, race_engine: Engine, race_world: RaceWorld, tmp_path: Path) -> None:
    city_id = race_world.city.id
    for round_ in range(ROUNDS):  # round 0 creates the indicator; the others update it
        bases = [1000 * (round_ + 1) + 100 * i for i in (1, 2)]
        folders = [write_repository(tmp_path / f"r{round_}-{i}", base)
                   for i, base in enumerate(bases)]
        results = race([partial(commit_import, race_app, race_engine, city_id, folder)
                        for folder in folders])
        outcomes = Counter("saved" if r == "saved" else
                           isinstance(r, StaleEditError) or "database is locked" in str(r)
                           for r in results)
        assert outcomes == {"saved": 1, True: 1}, results
        assert stored_bases(race_engine, city_id) == {bases[results.index("saved")]}
