"""`tracker demo scale`: a small generated set checked against counts and ranges worked out
by hand, on SQLite and PostgreSQL."""

from collections import Counter
from decimal import Decimal

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func
from sqlmodel import Session, col, select

from tracker.audit.models import AuditEvent
from tracker.catalogue.models import SdgIndicator
from tracker.cities.models import City, CityCreate, Network, NetworkMembership
from tracker.cities.services import create_city
from tracker.data.models import Observation, ObservationChange
from tracker.demo.scale import ScaleError, generate
from tracker.demo.scale_values import ScaleSpec
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorTarget,
    LocalIndicator,
    LocalIndicatorCreate,
    TargetIn,
)
from tracker.indicators.services import create_indicator
from tracker.progress.services import cities_progress
from tracker.progress.stored_models import StoredCityProgress, StoredIndicatorProgress

SMALL = ScaleSpec(network="scaletest", cities=5, indicators=4, years=3, seed=7, chunk=2)
# The 4 indicators spread over the 231 active, non-repeated SDG indicators of the bundled
# catalogue: positions 0, 57, 115 and 173 of indicators.csv (231 * i // 4).
SDG_CODES = ["1.1.1", "4.2.1", "9.1.2", "15.1.1"]
# Unit kinds by title: "Proportion…" is a percentage; "Passenger and freight volumes…" and
# "Forest area as a proportion…" start otherwise: a free index.
UNITS = {"SC-001": "percent", "SC-002": "percent", "SC-003": "other", "SC-004": "other"}
RANGES = {"percent": (0, 100), "other": (0, 10_000), "count": (0, 1_000_000),
          "rate_per_100000": (0, 1_000)}


def run(db: Session, spec: ScaleSpec) -> None:
    """Generate a whole set."""
    for _tally in generate(db, spec):
        pass


def scale_values(db: Session, prefix: str) -> dict[tuple[str, str, int], str | None]:
    """Return the values of a network's scale cities by (city number, code, year)."""
    query = (select(City.slug, LocalIndicator.code, Observation.year, Observation.value)
             .join(LocalIndicator, col(LocalIndicator.id) == Observation.indicator_id)
             .join(City, col(City.id) == LocalIndicator.city_id)
             .where(col(City.slug).startswith(prefix)))
    return {(slug.removeprefix(prefix), code, year): None if value is None else str(value)
            for slug, code, year, value in db.execute(query)}


def count(db: Session, model: type, *where: object) -> int:
    """Count rows of a model."""
    return int(db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.mark.usefixtures("app_ctx")
def test_small_set_has_every_row_worked_out_by_hand(db: Session) -> None:
    run(db, SMALL)
    network = db.exec(select(Network).where(Network.slug == "scaletest")).one()
    cities = db.exec(select(City).where(col(City.slug).startswith("scaletest-scale-"))).all()
    assert sorted(c.slug for c in cities) == [f"scaletest-scale-0000{n}" for n in range(1, 6)]
    assert all(c.is_published for c in cities)
    ids = [c.id for c in cities]
    assert count(db, NetworkMembership, col(NetworkMembership.network_id) == network.id,
                 col(NetworkMembership.city_id).in_(ids)) == 5
    indicators = db.exec(select(LocalIndicator).where(col(LocalIndicator.city_id).in_(ids))).all()
    assert Counter(i.code for i in indicators) == dict.fromkeys(UNITS, 5)  # 5 × 4 = 20
    assert {i.code: i.unit_kind.value for i in indicators} == UNITS
    links = db.execute(
        select(LocalIndicator.code, SdgIndicator.code)
        .join(IndicatorAlignment, col(IndicatorAlignment.indicator_id) == LocalIndicator.id)
        .join(SdgIndicator, col(SdgIndicator.id) == IndicatorAlignment.sdg_indicator_id)
        .where(col(LocalIndicator.city_id).in_(ids))).all()
    assert len(links) == 20
    assert sorted(set(links)) == list(zip(UNITS, SDG_CODES, strict=True))
    cells = db.exec(select(Observation).join(LocalIndicator).where(
        col(LocalIndicator.city_id).in_(ids))).all()
    assert len(cells) == 60  # 5 cities × 4 indicators × 3 years
    assert {c.status.value for c in cells} == {"approved"}
    assert {c.year for c in cells} == {2015, 2016, 2017}
    kinds = {i.id: i.unit_kind.value for i in indicators}
    for cell in cells:
        assert (cell.value is None) != (cell.missing_reason is None)
        if cell.value is not None:
            low, high = RANGES[kinds[cell.indicator_id]]
            assert low <= cell.value <= high
    baselines = {(i.id, i.baseline_year): i.baseline_value for i in indicators}
    assert all(baselines[(c.indicator_id, 2015)] == c.value for c in cells if c.year == 2015)


@pytest.mark.usefixtures("app_ctx")
def test_each_value_has_one_approving_history_row(db: Session) -> None:
    run(db, SMALL)
    rows = db.execute(select(Observation.value, Observation.missing_reason,
                             ObservationChange.action, ObservationChange.new_value,
                             ObservationChange.new_status, ObservationChange.old_status)
                      .join(ObservationChange, ObservationChange.observation_id == Observation.id)
                      .join(LocalIndicator).join(City)
                      .where(col(City.slug).startswith("scaletest-scale-"))).all()
    assert len(rows) == 60
    for value, reason, action, new_value, new_status, old_status in rows:
        assert (action, new_status, old_status) == ("import_approve", "approved", "")
        shown = format(value, "f") if value is not None else f"({reason.value})"
        assert Decimal(new_value) == value if value is not None else new_value == shown


@pytest.mark.usefixtures("app_ctx")
def test_same_seed_same_values_other_seed_other_values(db: Session) -> None:
    run(db, SMALL)
    run(db, ScaleSpec(network="again", cities=5, indicators=4, years=3, seed=7, chunk=5))
    run(db, ScaleSpec(network="other", cities=5, indicators=4, years=3, seed=8))
    first = scale_values(db, "scaletest-scale-")
    assert len(first) == 60
    assert scale_values(db, "again-scale-") == first  # another chunk size, same values
    assert scale_values(db, "other-scale-") != first


@pytest.mark.usefixtures("app_ctx")
def test_a_second_run_is_refused_and_writes_nothing(db: Session) -> None:
    run(db, SMALL)
    before = count(db, Observation)
    with pytest.raises(ScaleError, match="5 scale cities"):
        run(db, SMALL)
    assert count(db, Observation) == before


@pytest.mark.usefixtures("app_ctx")
def test_indicator_audit_event_matches_the_services(db: Session) -> None:
    run(db, SMALL)
    made = db.exec(select(LocalIndicator).join(City).where(
        City.slug == "scaletest-scale-00001", LocalIndicator.code == "SC-001")).one()
    generated = db.exec(select(AuditEvent).where(AuditEvent.entity_type == "LocalIndicator",
                                                 AuditEvent.entity_id == made.id)).one()
    target = db.exec(select(IndicatorTarget).where(IndicatorTarget.indicator_id == made.id)
                     ).first()
    city = create_city(session=db, city_in=CityCreate(slug="by-hand", name="By hand",
                                                      country_code="ZA"), user_id=None)
    indicator_in = LocalIndicatorCreate(
        code=made.code, name=made.name, unit_kind=made.unit_kind, unit_label=made.unit_label,
        direction=made.direction, data_source=made.data_source,
        baseline_year=made.baseline_year, baseline_value=made.baseline_value,
        targets=[TargetIn(year=2030, value=target.value)] if target else [])
    by_hand = create_indicator(session=db, city=city, indicator_in=indicator_in, user_id=None)
    event = db.exec(select(AuditEvent).where(AuditEvent.entity_type == "LocalIndicator",
                                             AuditEvent.entity_id == by_hand.id)).one()
    db.refresh(event)
    assert generated.changes == event.changes
    assert generated.action == event.action == "create"


@pytest.mark.usefixtures("app_ctx")
def test_progress_statuses_vary(db: Session) -> None:
    run(db, ScaleSpec(network="varied", cities=4, indicators=20, years=10, seed=3))
    cities = db.exec(select(City).where(col(City.slug).startswith("varied-scale-"))).all()
    statuses = Counter(item.status for progress in cities_progress(db, list(cities))
                       for item in progress.items)
    assert sum(statuses.values()) == 80
    assert len(statuses) >= 4, statuses  # improving, stalling and worsening indicators


def test_command_prints_the_pace_and_refuses_a_second_run(runner: FlaskCliRunner,
                                                           db: Session) -> None:
    args = ["demo", "scale", "--network", "clitest", "--cities", "3", "--indicators", "2",
            "--years", "2"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "3 cities, 12 values" in first.output
    assert "Progress stored for 3 cities" in first.output
    ids = db.scalars(select(City.id).where(col(City.slug).startswith("clitest-scale-"))).all()
    stored = db.scalars(select(StoredCityProgress.city_id).where(
        col(StoredCityProgress.city_id).in_(ids))).all()
    assert sorted(stored) == sorted(ids)
    assert count(db, StoredIndicatorProgress,
                 col(StoredIndicatorProgress.city_id).in_(ids)) == 6  # 3 cities × 2
    second = runner.invoke(args=args)
    assert second.exit_code == 1
    assert "3 scale cities (clitest-scale-…) already exist" in second.output


def test_progress_can_be_left_to_the_recompute_command(runner: FlaskCliRunner,
                                                      db: Session) -> None:
    result = runner.invoke(args=["demo", "scale", "--network", "later", "--cities", "2",
                                 "--indicators", "2", "--years", "2", "--progress", "none"])
    assert result.exit_code == 0, result.output
    assert "tracker progress recompute" in result.output
    ids = db.scalars(select(City.id).where(col(City.slug).startswith("later-scale-"))).all()
    assert count(db, StoredCityProgress, col(StoredCityProgress.city_id).in_(ids)) == 0


@pytest.mark.parametrize(("option", "value"), [("--cities", "0"), ("--years", "51"),
                                               ("--network", "Not A Slug")])
def test_sizes_out_of_range_are_refused_naming_the_option(runner: FlaskCliRunner, option: str,
                                                          value: str) -> None:
    args = {"--network": "x", "--cities": "1", "--indicators": "1", "--years": "1"}
    args[option] = value
    result = runner.invoke(args=["demo", "scale", *[a for pair in args.items() for a in pair]])
    assert result.exit_code == 1
    assert option in result.output
