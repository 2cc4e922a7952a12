"""Human labels for the codes a report would otherwise print: country names in the report's
language, CRF cells, inventory boundaries and statuses, and the sectors a target covers.
The report data holds these labels, so the print templates and the CSV tables share them."""

from flask_babel import get_locale
from flask_babel import gettext as _

from tracker.cities.forms import country_name
from tracker.climate.entity_forms import TARGET_SECTORS
from tracker.climate.forms import BOUNDARIES
from tracker.climate.forms import STATUSES as INVENTORY_STATUSES
from tracker.climate.sectors import ROWS_BY_CODE, SECTOR_NAMES


def country_label(code: str) -> str:
    """Name a country (ISO 3166-1 alpha-2) in the report's language: "ZA" → "South Africa"."""
    locale = get_locale()
    names = locale.territories if locale is not None else {}
    return str(names.get(code.upper()) or country_name(code.upper()))


def boundary_label(code: str) -> str:
    """Name an inventory boundary as the inventory form offers it."""
    return str(dict(BOUNDARIES).get(code, code))


def inventory_status_label(code: str) -> str:
    """Name an inventory's status (draft, final, verified) as the form offers it."""
    return str(dict(INVENTORY_STATUSES).get(code, code))


def cell_label(row_code: str, scope: int) -> str:
    """Name a CRF cell: "Stationary energy: Residential buildings, scope 1"."""
    row = ROWS_BY_CODE.get(row_code)
    if row is None:  # a row the table no longer has: its code is all there is
        return str(_("%(row)s, scope %(scope)s", row=row_code, scope=scope))
    return str(_("%(sector)s: %(row)s, scope %(scope)s", sector=SECTOR_NAMES[row.sector],
                 row=row.name, scope=scope))


def sectors_label(codes: list[str]) -> str:
    """Name the sectors a target covers: "all" → "All sectors"."""
    names = dict(TARGET_SECTORS)
    return ", ".join(str(names.get(code, code)) for code in codes)
