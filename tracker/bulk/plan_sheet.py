"""The plan structure sheet: one row per element of one plan's tree.

Columns (every column must be present; the order is free; row 1 holds the names):

- code: the element's code, unique in the plan whatever its case (e.g. 3.1). A code already in
  the plan updates that element; a new code adds one. Elements left out are kept as they are.
- parent_code: the code of the parent element (in the file or already in the plan); blank for a
  top-level element. Rows may come in any order; unknown parents and cycles are errors.
- title (required), description, department: text.
- budget: a number ≥ 0 with a decimal point and no thousands separators; blank if unknown.
- sdg_targets, sdg_indicators: SDG codes separated by ";" (6.1; 11.6 and 6.1.1; 11.6.1).
  A code may carry its own relation, 6.1:direct, overriding the relation column.
- primary_sdg: one of the row's codes, the element's primary alignment.
- relation: direct, contributes or proxy, for the row's codes (blank: contributes).
- rationale: why the element is aligned, shared by the row's alignments.

The SDG columns are the element's complete alignment: on import, alignments left out are removed.
"""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import ValidationError

from tracker.bulk.cells import (
    Column,
    RowReader,
    check_header,
    duplicate_errors,
    format_decimal,
    parse_decimal,
    row_readers,
    split_items,
)
from tracker.bulk.formats import Table
from tracker.bulk.lookups import SdgCodes
from tracker.bulk.report import RowError
from tracker.plans.models import AlignmentRelation, ElementAlignment, PlanElement, PlanElementCreate

RELATIONS = ", ".join(r.value for r in AlignmentRelation)
MAX_RATIONALE = 2000
COLUMNS = [
    Column("code", True, _l("Up to 40 characters, unique in the plan whatever the case, "
                            "e.g. 3.1. Keep the column as text in Excel, or 3.10 becomes "
                            "3.1."),
           _l("The element's code. A code already in the plan updates that element; a new code "
              "adds one. Elements not in the file are left as they are.")),
    Column("parent_code", False, _l("The code of an element in this file or already in the "
                                    "plan; blank for a top-level element."),
           _l("Where the element sits in the tree. Rows may come in any order.")),
    Column("title", True, _l("Up to 500 characters."), _l("The element's title.")),
    Column("description", False, _l("Up to 4000 characters."), _l("A longer description.")),
    Column("department", False, _l("Up to 200 characters."), _l("The responsible department.")),
    Column("budget", False, _l("A number of at least 0 with a decimal point, without thousands "
                               "separators or currency, e.g. 1250000.50."),
           _l("The element's budget, where known.")),
    Column("sdg_targets", False, _l("SDG target codes separated by ';', e.g. 6.1; 11.6. A code "
                                    "may give its own relation: 6.1:direct."),
           _l("The SDG targets the element addresses. Alignments not listed are removed.")),
    Column("sdg_indicators", False, _l("SDG indicator codes separated by ';', e.g. 6.1.1; "
                                       "11.6.1 (6.1.1:proxy for its own relation)."),
           _l("The SDG indicators the element addresses.")),
    Column("primary_sdg", False, _l("One code from sdg_targets or sdg_indicators."),
           _l("The element's primary SDG alignment.")),
    Column("relation", False, _l("direct, contributes or proxy; blank means contributes."),
           _l("How the element relates to the SDG codes of the row.")),
    Column("rationale", False, _l("Up to 2000 characters."),
           _l("Why the element is aligned; shared by the row's alignments.")),
]
HEADER = [c.name for c in COLUMNS]
EXAMPLES = [
    ["3", "", "A city with quality basic services", "Plan 3 of the IDP", "", "", "6.1; 11.1", "",
     "6.1", "contributes", "Basic services for all households"],
    ["3.1", "3", "Water and sanitation access", "Extend water and sanitation services",
     "Water and Sanitation", "125000000", "6.1; 6.2:direct", "6.1.1", "6.1.1", "direct",
     "Measures household access"],
]


@dataclass
class SdgLink:
    """One alignment asked for by a row."""

    code: str
    target_id: int | None
    sdg_indicator_id: int | None
    relation: AlignmentRelation
    is_primary: bool = False


@dataclass
class ElementRow:
    """A valid row: the element and its complete SDG alignment."""

    row: int
    element_in: PlanElementCreate
    parent_code: str
    links: list[SdgLink] = field(default_factory=list)
    rationale: str = ""

    @property
    def code(self) -> str:
        """Return the element's code."""
        return self.element_in.code


def parse_structure(table: Table, codes: SdgCodes) -> tuple[list[ElementRow], list[RowError]]:
    """Read and check every row; return the valid rows and every error."""
    errors = check_header(table, COLUMNS)
    if errors:
        return [], errors
    readers = row_readers(table, COLUMNS)
    rows = []
    for reader in readers:
        row = read_element(reader, codes)
        if row is not None and not reader.errors:
            rows.append(row)
        errors += reader.errors
    return rows, errors + duplicate_errors(readers, "code")


def read_element(reader: RowReader, codes: SdgCodes) -> ElementRow | None:
    """Read one row into an element and its alignments."""
    budget = reader.read("budget", parse_decimal)
    links = read_links(reader, codes)
    rationale = reader.text("rationale")
    if len(rationale) > MAX_RATIONALE:
        reader.error("rationale", _("At most %(n)d characters.", n=MAX_RATIONALE))
    try:
        element_in = PlanElementCreate(
            code=reader.text("code"), title=reader.text("title"), budget=budget,
            description=reader.text("description"), department=reader.text("department"))
    except ValidationError as error:
        reader.model_errors(error, {})
        return None
    return ElementRow(reader.number, element_in, reader.text("parent_code"), links, rationale)


def read_relation(reader: RowReader, column: str, text: str) -> AlignmentRelation:
    """Read a relation (blank: contributes)."""
    try:
        return AlignmentRelation(text.lower() or AlignmentRelation.CONTRIBUTES)
    except ValueError:
        reader.error(column, _("'%(text)s' is not a relation; use one of %(allowed)s.",
                               text=text, allowed=RELATIONS))
        return AlignmentRelation.CONTRIBUTES


def read_links(reader: RowReader, codes: SdgCodes) -> list[SdgLink]:
    """Read the SDG targets and indicators of a row, with the primary one marked."""
    default = read_relation(reader, "relation", reader.text("relation"))
    links: list[SdgLink] = []
    for column, known, other in (("sdg_targets", codes.targets, codes.indicators),
                                 ("sdg_indicators", codes.indicators, codes.targets)):
        for item in split_items(reader.text(column)):
            code, _sep, relation = (part.strip() for part in item.partition(":"))
            if code not in known:
                hint = _(" (it belongs in %(other)s)", other="sdg_indicators"
                         if column == "sdg_targets" else "sdg_targets") if code in other else ""
                reader.error(column, _("Unknown SDG code %(code)s%(hint)s.", code=code,
                                       hint=hint))
            elif any(link.code == code for link in links):
                reader.error(column, _("%(code)s is listed twice.", code=code))
            else:
                rel = read_relation(reader, column, relation) if relation else default
                is_target = column == "sdg_targets"
                links.append(SdgLink(code, known[code] if is_target else None,
                                     None if is_target else known[code], rel))
    mark_primary(reader, links)
    return links


def mark_primary(reader: RowReader, links: list[SdgLink]) -> None:
    """Flag the row's primary alignment, which must be one of its codes."""
    primary = reader.text("primary_sdg")
    if not primary:
        return
    match = next((link for link in links if link.code == primary), None)
    if match is None:
        reader.error("primary_sdg", _("%(code)s is not among the row's sdg_targets or "
                                      "sdg_indicators.", code=primary))
    else:
        match.is_primary = True


def alignment_cells(alignments: list[ElementAlignment], codes: SdgCodes) -> list[str]:
    """Write an element's alignments as the sdg_targets … rationale cells."""
    def code_of(a: ElementAlignment) -> str:
        if a.target_id is not None:
            return codes.target_codes[a.target_id]
        assert a.sdg_indicator_id is not None, "an alignment names a target or an indicator"
        return codes.indicator_codes[a.sdg_indicator_id]

    ordered = sorted(alignments, key=lambda a: codes.sort_keys.get(code_of(a), code_of(a)))
    counts = Counter(a.relation for a in ordered)
    relation = min(counts, key=lambda r: (-counts[r], list(AlignmentRelation).index(r))) \
        if counts else None

    def item(a: ElementAlignment) -> str:
        return code_of(a) if a.relation == relation else f"{code_of(a)}:{a.relation.value}"

    targets = "; ".join(item(a) for a in ordered if a.target_id is not None)
    indicators = "; ".join(item(a) for a in ordered if a.target_id is None)
    primary = next((code_of(a) for a in ordered if a.is_primary), "")
    # One rationale per row: differing ones are joined, so nothing is lost on export.
    rationale = " | ".join(dict.fromkeys(a.rationale for a in ordered if a.rationale))
    return [targets, indicators, primary, relation.value if relation else "", rationale]


def structure_rows(elements: list[PlanElement],
                   alignments: dict[int | None, list[ElementAlignment]],
                   codes: SdgCodes) -> list[list[str]]:
    """Write the current elements depth-first in tree order, parents before children."""
    code_of = {e.id: e.code for e in elements}
    current = sorted((e for e in elements if not e.is_retired),
                     key=lambda e: (e.position, e.id or 0))
    current_ids = {e.id for e in current}
    children: dict[int | None, list[PlanElement]] = {}
    for element in current:  # an element restored under a retired parent is shown at the top
        parent = element.parent_id if element.parent_id in current_ids else None
        children.setdefault(parent, []).append(element)
    rows, stack = [], list(reversed(children.get(None, [])))
    while stack:
        element = stack.pop()
        rows.append([element.code, code_of.get(element.parent_id, ""), element.title,
                     element.description, element.department, format_decimal(element.budget),
                     *alignment_cells(alignments.get(element.id, []), codes)])
        stack.extend(reversed(children.get(element.id, [])))
    return rows
