"""The grid surfaces the quality checks: errors name the cell, warnings hold a value back
until it is confirmed with a note or a follow-up flag; a failed form refills only its own
cell; sources, evidence links and deletes."""

from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.data_entry.test_grid_routes import cell, new_cell, row_count
from tests.factories import Auth, boundary
from tracker.auth.models import Role
from tracker.data.models import Observation, ObservationChange

HISTORY = {2019: "10", 2020: "11", 2021: "10", 2022: "12"}


@pytest.fixture
def city_data(app: Flask, db: Session, make_city, make_indicator, make_user  # type: ignore[no-untyped-def]
              ) -> dict[str, Any]:
    """A July fiscal-year city, an officer, and a count indicator by sex whose totals have
    four past years of history."""
    city = make_city(fiscal_year_start_month=7)
    indicator = make_indicator(city, "HH-1", unit_kind="count", sums_to_total=True,
                               baseline_year=2019, baseline_value="10",
                               dimensions=[{"name": "sex", "values": ["female", "male"]}])
    with boundary(app, db):
        db.add_all(Observation(indicator_id=indicator.id, year=year, value=Decimal(value))
                   for year, value in HISTORY.items())
    return {"city": city, "indicator": indicator,
            "officer": make_user(Role.OFFICER, city=city),
            "url": f"/cities/{city.slug}/indicators/HH-1/data"}


def test_an_outlier_is_held_back_until_confirmed_with_a_note(
        city_data: dict[str, Any], client: FlaskClient, auth: Auth, db: Session) -> None:
    url = city_data["url"]
    auth.login(city_data["officer"])
    before = row_count(db)
    held = client.post(f"{url}/cell", data=new_cell(value="95", comment="new survey"))
    page = held.get_data(as_text=True)
    assert held.status_code == 422 and row_count(db) == before
    assert "2023/24 · Total: 95 is unusual" in page and "modified z-score" in page
    assert 'value="95"' in page and 'value="new survey"' in page  # what was typed stays
    assert 'name="warning_note"' in page and 'name="follow_up"' in page
    assert 'id="cell-2023-0-0-note"' in page and "autofocus" in page

    noted = new_cell(value="95", comment="new survey", warning_note="Boundary change 2023")
    assert client.post(f"{url}/cell", data=noted).status_code == 302
    saved = cell(db, 2023)
    assert saved.value == Decimal("95") and saved.warning_note == "Boundary change 2023"
    assert not saved.follow_up
    grid = client.get(url).get_data(as_text=True)
    assert "Why it stands: Boundary change 2023" in grid
    change = db.scalars(select(ObservationChange).where(
        ObservationChange.observation_id == saved.id)).one()
    assert change.note == "new survey; Boundary change 2023"


def test_a_follow_up_flag_also_confirms_a_warning(city_data: dict[str, Any],
                                                  client: FlaskClient, auth: Auth,
                                                  db: Session) -> None:
    url = city_data["url"]
    auth.login(city_data["officer"])
    assert client.post(f"{url}/cell", data=new_cell(value="0")).status_code == 422
    assert client.post(f"{url}/cell", data=new_cell(value="0", follow_up="y")).status_code == 302
    assert cell(db, 2023).follow_up and cell(db, 2023).warning_note == ""
    assert ">follow-up<" in client.get(url).get_data(as_text=True)


@pytest.mark.usefixtures("db")
def test_the_sum_rule_warns_and_errors_name_the_cell(city_data: dict[str, Any],
                                                     client: FlaskClient, auth: Auth) -> None:
    url = city_data["url"]
    auth.login(city_data["officer"])
    for key, value in (("", "11"), ("sex=female", "5")):
        assert client.post(f"{url}/cell", data=new_cell(breakdown_key=key,
                                                        value=value)).status_code == 302
    mismatch = client.post(f"{url}/cell", data=new_cell(breakdown_key="sex=male", value="7"))
    assert mismatch.status_code == 422
    assert ("2023/24 · male: The values by sex add up to 12, not to the total 11"
            in mismatch.get_data(as_text=True))
    whole = client.post(f"{url}/cell", data=new_cell(breakdown_key="sex=male", value="6.5"))
    assert whole.status_code == 422
    assert "2023/24 · male: A count is a whole number: 6.5 is not." in whole.get_data(as_text=True)
    assert 'name="warning_note"' not in whole.get_data(as_text=True)  # errors can't be confirmed
    assert client.post(f"{url}/cell", data=new_cell(breakdown_key="sex=male",
                                                    value="6")).status_code == 302


def test_a_failed_form_refills_only_its_own_cell(city_data: dict[str, Any],
                                                 client: FlaskClient, auth: Auth) -> None:
    url = city_data["url"]
    auth.login(city_data["officer"])
    bad = client.post(f"{url}/cell", data=new_cell(breakdown_key="sex=female", value="12,5",
                                                   comment="typed here"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and page.count('value="12,5"') == 1
    assert page.count('value="typed here"') == 1
    start = page.index('id="cell-2023-0-1"')
    assert 'value="12,5"' in page[start:page.index("</td>", start)]
    assert page.count('aria-invalid="true"') == 1 and page.count(" autofocus") == 1


def test_source_and_evidence_are_saved_and_shown(city_data: dict[str, Any],
                                                 client: FlaskClient, auth: Auth,
                                                 db: Session) -> None:
    url = city_data["url"]
    auth.login(city_data["officer"])
    data = new_cell(value="12", source="Household survey 2023",
                    evidence_url="https://stats.example.org/hh-2023")
    assert client.post(f"{url}/cell", data=data).status_code == 302
    saved = cell(db, 2023)
    assert saved.source == "Household survey 2023"
    assert saved.evidence_url == "https://stats.example.org/hh-2023"
    grid = client.get(url).get_data(as_text=True)
    assert "Source: Household survey 2023" in grid
    assert 'href="https://stats.example.org/hh-2023"' in grid
    bad = client.post(f"{url}/cell", data=new_cell(value="12", evidence_url="javascript:x",
                                                   expected_version="1"))
    assert bad.status_code == 422 and "Enter a web address" in bad.get_data(as_text=True)


def test_a_delete_needs_a_reason_and_is_kept_in_history(city_data: dict[str, Any],
                                                        client: FlaskClient, auth: Auth,
                                                        db: Session) -> None:
    url = city_data["url"]
    auth.login(city_data["officer"])
    assert client.post(f"{url}/cell", data=new_cell(value="12")).status_code == 302
    saved = cell(db, 2023)
    assert 'action="' + f"{url}/cell/{saved.id}/delete" in client.get(url).get_data(as_text=True)
    no_reason = client.post(f"{url}/cell/{saved.id}/delete",
                            data={"reason": "", "expected_version": "1"})
    assert no_reason.status_code == 422 and not cell(db, 2023).is_deleted
    stale = client.post(f"{url}/cell/{saved.id}/delete",
                        data={"reason": "Wrong year", "expected_version": "0"})
    assert stale.status_code == 409 and not cell(db, 2023).is_deleted
    assert client.post(f"{url}/cell/{saved.id}/delete",
                       data={"reason": "Wrong year", "expected_version": "1"}).status_code == 302
    assert cell(db, 2023).is_deleted
    history = client.get(f"{url}/cell/{saved.id}/history").get_data(as_text=True)
    assert ">delete<" in history and "Wrong year" in history and "12 → —" in history
    assert client.post(f"{url}/cell", data=new_cell(value="12")).status_code == 302
    assert not cell(db, 2023).is_deleted and cell(db, 2023).version == 3


def test_an_evidence_link_must_be_a_web_address(app: Flask) -> None:
    from tracker.data.forms import CellForm

    with app.test_request_context(method="POST", data={
            "year": "2023", "value": "5", "evidence_url": "javascript://x.org/%0aalert(1)"}):
        form = CellForm()
        form.validate()
        assert "evidence_url" in form.errors
    with app.test_request_context(method="POST", data={
            "year": "2023", "value": "5", "evidence_url": "https://example.org/report.pdf"}):
        form = CellForm()
        form.validate()
        assert "evidence_url" not in form.errors
