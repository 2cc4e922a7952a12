"""The climate demo: three demo cities get synthetic CRF data, clearly marked, once."""


import pytest
from sqlmodel import Session, select

from tracker.cities.models import City
from tracker.climate.compliance import Phase, Status, assess
from tracker.climate.demo import SYNTHETIC, load_climate_demo
from tracker.climate.queries import load_city_climate
from tracker.climate.totals import compute_totals
from tracker.demo.services import load_demo


@pytest.mark.usefixtures("app_ctx")
def test_the_demo_cities_get_marked_synthetic_climate_data_once(
                                                                db: Session) -> None:
    created = load_demo(db).created  # the demo load includes the climate demo
    assert [line for line in created if line.startswith("climate")] == [
        "climate data of Helsinki", "climate data of eThekwini", "climate data of Bhavnagar"]
    assert load_climate_demo(db) == []  # idempotent
    data = {slug: load_city_climate(db, db.exec(select(City).where(City.slug == slug)).one())
            for slug in ("helsinki", "ethekwini", "bhavnagar")}
    for climate in data.values():
        inventory = climate.latest_inventory
        assert inventory is not None and inventory.source == SYNTHETIC
        assert all(SYNTHETIC in t.description for t in climate.targets)
        assert climate.hazards and climate.actions
    helsinki = data["helsinki"]
    totals = compute_totals(helsinki.latest_inventory.cells)
    assert totals.generation > 0 and totals.basic < totals.basic_plus
    assert [a.elements[0].code for a in helsinki.actions] == ["4"]
    assert {t.code for t in helsinki.actions[0].sdg_targets} == {"13.2", "7.2"}


@pytest.mark.usefixtures("app_ctx")
def test_the_demo_shows_a_range_of_compliance(db: Session) -> None:
    from datetime import date

    load_demo(db)
    load_climate_demo(db)
    results = {slug: assess(load_city_climate(db, db.exec(select(City).where(
        City.slug == slug)).one()), date(2024, 6, 1)) for slug in ("helsinki", "ethekwini",
                                                                    "bhavnagar")}
    assert results["helsinki"].phases[Phase.INVENTORY].status == Status.MET
    assert results["helsinki"].phases[Phase.TARGET].status == Status.MET
    # The demo strategy is adopted but has no adoption date, which the CRF asks for.
    assert results["helsinki"].phases[Phase.MITIGATION_PLAN].status == Status.PARTIAL
    ethekwini = [f.message for f in results["ethekwini"].failures]
    assert "Waste: Wastewater, scope 3 is blank; give a number or a notation key." in ethekwini
    assert results["bhavnagar"].phases[Phase.MITIGATION_PLAN].status == Status.PARTIAL  # draft
    assert not any(r.compliant for r in results.values())
