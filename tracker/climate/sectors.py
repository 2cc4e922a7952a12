"""The CRF summary table as data: sectors, sub-sector rows, scopes, BASIC/BASIC+ rules, keys.

Source: /work/shared/reference/crf.md §4 (CRF v6.1 eCRF_2 rows; GPC BASIC and BASIC+ rules).
"""

from dataclasses import dataclass
from enum import StrEnum

SCOPES = (1, 2, 3)


class Sector(StrEnum):
    """A CRF sector; generation of grid-supplied energy is reported apart from the total."""

    STATIONARY_ENERGY = "stationary_energy"
    TRANSPORT = "transport"
    WASTE = "waste"
    IPPU = "ippu"
    AFOLU = "afolu"
    GENERATION = "generation"


class NotationKey(StrEnum):
    """GPC/CRF notation keys for a cell without a number; every key needs an explanation."""

    NO = "NO"  # Not Occurring
    IE = "IE"  # Included Elsewhere (say where)
    NE = "NE"  # Not Estimated
    C = "C"  # Confidential


NOTATION_KEY_NAMES = {NotationKey.NO: "Not Occurring", NotationKey.IE: "Included Elsewhere",
                      NotationKey.NE: "Not Estimated", NotationKey.C: "Confidential"}
# crf.md §4 "Notation keys": "Every key needs an explanation."
KEYS_NEEDING_EXPLANATION = frozenset(NotationKey)

SECTOR_NAMES = {
    Sector.STATIONARY_ENERGY: "Stationary energy",
    Sector.TRANSPORT: "Transportation",
    Sector.WASTE: "Waste",
    Sector.IPPU: "Industrial processes and product use (IPPU)",
    Sector.AFOLU: "Agriculture, forestry and other land use (AFOLU)",
    Sector.GENERATION: "Generation of grid-supplied energy",
}
# crf.md §4 "Sectors": cities shall report these three; should report IPPU and AFOLU.
MANDATORY_SECTORS = (Sector.STATIONARY_ENERGY, Sector.TRANSPORT, Sector.WASTE)

# crf.md §4 "BASIC and BASIC+": which scopes of each sector count in each total.
BASIC_SCOPES: dict[Sector, frozenset[int]] = {
    Sector.STATIONARY_ENERGY: frozenset({1, 2}),
    Sector.TRANSPORT: frozenset({1, 2}),
    Sector.WASTE: frozenset({1, 3}),
}
BASIC_PLUS_SCOPES: dict[Sector, frozenset[int]] = {
    Sector.STATIONARY_ENERGY: frozenset({1, 2, 3}),  # + scope 3: T&D losses
    Sector.TRANSPORT: frozenset({1, 2, 3}),  # + scope 3: transboundary trips
    Sector.WASTE: frozenset({1, 3}),
    Sector.IPPU: frozenset({1}),
    Sector.AFOLU: frozenset({1}),
}  # generation (GPC I.4.4) is in neither total


@dataclass(frozen=True)
class CrfRow:
    """One sub-sector row of the CRF summary table."""

    code: str
    name: str
    sector: Sector
    scopes: frozenset[int]  # the columns that apply to this row
    # The reference allows no negative figures anywhere (it says nothing of removals), so
    # every row refuses them; a row that may hold net removals would set this.
    allows_negative: bool = False

    @property
    def basic_scopes(self) -> frozenset[int]:
        """The scopes of this row counted in BASIC."""
        return BASIC_SCOPES.get(self.sector, frozenset()) & self.scopes

    @property
    def basic_plus_scopes(self) -> frozenset[int]:
        """The scopes of this row counted in BASIC+."""
        return BASIC_PLUS_SCOPES.get(self.sector, frozenset()) & self.scopes

    @property
    def is_mandatory(self) -> bool:
        """Is this row in a sector cities shall report?"""
        return self.sector in MANDATORY_SECTORS


_ALL = frozenset({1, 2, 3})
_DIRECT = frozenset({1})
_WASTE = frozenset({1, 3})  # no grid-energy use is reported against waste treatment
_ROAD = frozenset({1, 2, 3})
# One letter per sector for the table below (P: industrial processes and product use).
S, T, W, P, A, G = (Sector.STATIONARY_ENERGY, Sector.TRANSPORT, Sector.WASTE, Sector.IPPU,
                    Sector.AFOLU, Sector.GENERATION)

ROWS: tuple[CrfRow, ...] = (
    CrfRow("se.residential", "Residential buildings", S, _ALL),
    CrfRow("se.commercial", "Commercial buildings & facilities", S, _ALL),
    CrfRow("se.institutional", "Institutional buildings & facilities", S, _ALL),
    CrfRow("se.industrial", "Industrial buildings & facilities", S, _ALL),
    CrfRow("se.agriculture", "Agriculture", S, _ALL),
    CrfRow("se.fugitive", "Fugitive emissions", S, _DIRECT),
    CrfRow("tr.on_road", "On-road", T, _ROAD),
    CrfRow("tr.rail", "Rail", T, _ROAD),
    CrfRow("tr.waterborne", "Waterborne navigation", T, _ROAD),
    CrfRow("tr.aviation", "Aviation", T, _ROAD),
    CrfRow("tr.off_road", "Off-road", T, _ROAD),
    CrfRow("wa.solid", "Solid waste disposal", W, _WASTE),
    CrfRow("wa.biological", "Biological treatment", W, _WASTE),
    CrfRow("wa.incineration", "Incineration and open burning", W, _WASTE),
    CrfRow("wa.wastewater", "Wastewater", W, _WASTE),
    CrfRow("ippu.process", "Industrial process", P, _DIRECT),
    CrfRow("ippu.product", "Product use", P, _DIRECT),
    CrfRow("afolu.livestock", "Livestock", A, _DIRECT),
    CrfRow("afolu.land", "Land use", A, _DIRECT),
    CrfRow("afolu.other", "Other AFOLU", A, _DIRECT),
    CrfRow("gen.electricity", "Electricity-only generation", G, _DIRECT),
    CrfRow("gen.chp", "CHP generation", G, _DIRECT),
    CrfRow("gen.heat", "Heat/cold generation", G, _DIRECT),
    CrfRow("gen.renewable", "Local renewable generation", G, _DIRECT),
)
ROWS_BY_CODE = {row.code: row for row in ROWS}

# CRF minimum gases; CDP also offers the others (crf.md §4 "Gases").
REQUIRED_GASES = ("CO2", "CH4", "N2O")
GASES = (*REQUIRED_GASES, "HFCs", "PFCs", "SF6", "NF3")


def rows_of(sector: Sector) -> list[CrfRow]:
    """Return the rows of one sector in table order."""
    return [row for row in ROWS if row.sector == sector]


def cell_label(row_code: str, scope: int) -> str:
    """Name a cell for messages: "Residential buildings, scope 1"."""
    row = ROWS_BY_CODE.get(row_code)
    return f"{row.name if row else row_code}, scope {scope}"
