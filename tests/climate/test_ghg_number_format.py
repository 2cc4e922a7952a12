"""The GHG inventory form reads numbers as officers type them: "1,150,000" is saved as
1150000; a misplaced separator is refused with the accepted forms."""

from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.climate.test_climate_routes import (  # noqa: F401  (fixtures)
    B,
    climate_world,
    inventory_form,
    officer_b,
    world,
)
from tracker.climate.models import GhgInventory, InventoryCell


@pytest.mark.usefixtures("officer_b")
def test_thousands_separators_are_read_on_save(client: FlaskClient, db: Session) -> None:
    response = client.post(f"{B}/inventories/new", data=inventory_form(
        2025, se_residential_1_value="1,150,000", se_residential_3_value="2,500.75"))
    assert response.status_code == 302
    inventory = db.scalars(select(GhgInventory).where(GhgInventory.year == 2025)).one()
    saved = {(c.row_code, c.scope): c.value for c in db.scalars(
        select(InventoryCell).where(InventoryCell.inventory_id == inventory.id))}
    assert saved[("se.residential", 1)] == Decimal(1150000)
    assert saved[("se.residential", 3)] == Decimal("2500.75")


@pytest.mark.usefixtures("officer_b")
def test_a_misplaced_separator_is_refused_with_a_hint(client: FlaskClient) -> None:
    response = client.post(f"{B}/inventories/new", data=inventory_form(
        2025, se_residential_1_value="1,15,0000"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write it as 1,150,000.5 or 1150000.5." in html
