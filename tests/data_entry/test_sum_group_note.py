"""A breakdown group whose parts do not add up to its total is explained once for the group
(on the period form and through the service), not once in each of its cells."""

from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.data_entry.test_period_form import city_form, name, stored  # noqa: F401
from tests.factories import Auth
from tracker.data.services import Entry, NeedsConfirmation, save_observation

KEYS = ("", "sex=female", "sex=male")


def test_the_period_form_asks_once_for_the_group(city_form: dict[str, Any],  # noqa: F811
                                                 client: FlaskClient, auth: Auth,
                                                 db: Session) -> None:
    water, url = city_form["water"], city_form["url"]
    auth.login(city_form["officer"])
    typed = {name(water, 0): "10", name(water, 1): "4", name(water, 2): "5"}  # 4 + 5 ≠ 10
    response = client.post(url, data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count("warning_note") == 1  # one note field: the group's
    assert "add up to 9, not to the total 10 (difference -1). One explanation covers the " \
        "total and its parts." in page
    # The parts were saved; the total waits for the one explanation.
    assert stored(db, water) is None
    assert [stored(db, water, key=k).value for k in KEYS[1:]] == [Decimal(4), Decimal(5)]
    note = {name(water, 0): "10", name(water, 0, "warning_note"): "1 person of unknown sex"}
    assert client.post(url, data=note).status_code == 302
    assert [stored(db, water, key=k).warning_note for k in KEYS] == [
        "1 person of unknown sex", "", ""]


@pytest.mark.usefixtures("app_ctx")
def test_the_service_warns_only_the_groups_anchor(city_form: dict[str, Any],  # noqa: F811
                                                  db: Session) -> None:
    water = city_form["water"]
    typed = {"": Decimal(10), "sex=female": Decimal(4), "sex=male": Decimal(5)}

    def save(key: str, note: str = "") -> Any:
        breakdown = dict([key.split("=")]) if key else {}
        return save_observation(session=db, indicator=water, user_id=None,
                                expected_version=None, others=typed,
                                entry=Entry(year=2023, value=typed[key], breakdown=breakdown,
                                            warning_note=note))

    assert save("sex=female").value == Decimal(4)  # a part: no warning of its own
    assert save("sex=male").value == Decimal(5)
    with pytest.raises(NeedsConfirmation, match="add up to 9"):
        save("")
    assert save("", note="checked").warning_note == "checked"
