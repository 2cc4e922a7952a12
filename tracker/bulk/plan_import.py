"""Check a plan structure sheet against the plan's tree, then apply it (flush, never commit)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from tracker.audit.services import record_change
from tracker.bulk.plan_sheet import ElementRow, SdgLink
from tracker.bulk.report import Action, RowError, RowOutcome
from tracker.errors import DomainError
from tracker.plans.alignment import add_alignment, remove_alignment
from tracker.plans.models import (
    MAX_LEVELS,
    ElementAlignment,
    ElementAlignmentCreate,
    Plan,
    PlanElement,
)
from tracker.plans.services import ELEMENT_FIELDS, add_element, update_element
from tracker.plans.tree import move_element


class RowFailure(DomainError):
    """A service refused a row while the import was applied."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class PlanState:
    """The plan's elements by lower-case code, and their alignments."""

    plan: Plan
    elements: dict[str, PlanElement] = field(default_factory=dict)
    by_id: dict[int | None, PlanElement] = field(default_factory=dict)
    alignments: dict[int | None, list[ElementAlignment]] = field(default_factory=dict)


def load_plan_state(session: Session, plan: Plan) -> PlanState:
    """Load every element of the plan and their alignments (two queries)."""
    state = PlanState(plan)
    elements = session.exec(select(PlanElement).where(PlanElement.plan_id == plan.id)).all()
    state.elements = {e.code.lower(): e for e in elements}
    state.by_id = {e.id: e for e in elements}
    query = (select(ElementAlignment).join(PlanElement)
             .where(PlanElement.plan_id == plan.id).order_by(col(ElementAlignment.id)))
    for alignment in session.exec(query):
        state.alignments.setdefault(alignment.element_id, []).append(alignment)
    return state


def final_parents(rows: Iterable[ElementRow], state: PlanState) -> dict[str, str | None]:
    """Return each code's parent code (lower case) once the file is applied."""
    parents = {code: state.by_id[e.parent_id].code.lower() if e.parent_id else None
               for code, e in state.elements.items()}
    parents.update({r.code.lower(): r.parent_code.lower() or None for r in rows})
    return parents


def check_tree(rows: list[ElementRow], state: PlanState, file_codes: set[str]) -> list[RowError]:
    """Check codes and parents against the plan: retired codes, unknown parents, cycles, depth."""
    errors = []
    for row in rows:
        existing = state.elements.get(row.code.lower())
        if existing is not None and existing.is_retired:
            errors.append(RowError(row.row, "code", _(
                "%(code)s is a retired element; restore it before importing it.", code=row.code)))
        parent = row.parent_code.lower()
        if parent and parent not in file_codes and parent not in state.elements:
            errors.append(RowError(row.row, "parent_code", _(
                "Unknown parent %(code)s: it is neither in the file nor in the plan.",
                code=row.parent_code)))
    parents = final_parents(rows, state)  # an unknown parent counts as a top-level element
    names = {code: e.code for code, e in state.elements.items()}
    cycles = cycle_errors(rows, parents, names)
    return errors + (cycles or depth_errors(rows, parents))


def find_cycles(parents: dict[str, str | None]) -> list[list[str]]:
    """Return every cycle in the parent links (each node is walked once)."""
    done: set[str] = set()
    cycles = []
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parents.get(node)
        if node is not None and node in on_path:
            cycles.append(path[path.index(node):])
        done.update(path)
    return cycles


def cycle_errors(rows: list[ElementRow], parents: dict[str, str | None],
                 names: dict[str, str]) -> list[RowError]:
    """Refuse rows whose parents lead back to themselves (`names` spells existing codes)."""
    shown = {r.code.lower(): r for r in rows}
    errors = []
    for cycle in find_cycles(parents):
        path = " → ".join(shown[c].code if c in shown else names.get(c, c)
                          for c in [*cycle, cycle[0]])
        errors += [RowError(shown[c].row, "parent_code", _(
            "The parents form a cycle: %(cycle)s.", cycle=path)) for c in cycle if c in shown]
    return sorted(errors, key=lambda e: e.row)


def depths(parents: dict[str, str | None]) -> dict[str, int]:
    """Return each code's depth in the final tree (which has no cycles)."""
    found: dict[str, int] = {}
    for start in parents:
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in found:
            path.append(node)
            node = parents.get(node)
        base = found[node] if node is not None else -1
        for offset, code in enumerate(reversed(path), start=1):
            found[code] = base + offset
    return found


def depth_errors(rows: list[ElementRow], parents: dict[str, str | None]) -> list[RowError]:
    """Refuse a tree deeper than MAX_LEVELS, naming the row that makes it so."""
    in_file = {r.code.lower(): r for r in rows}
    flagged: dict[int, RowError] = {}
    for code, depth in depths(parents).items():
        if depth < MAX_LEVELS:
            continue
        node: str | None = code
        while node is not None and node not in in_file:
            node = parents.get(node)
        row = in_file[node] if node is not None else None
        if row is not None and row.row not in flagged:
            flagged[row.row] = RowError(row.row, "parent_code", _(
                "The tree would have more than %(n)d levels here.", n=MAX_LEVELS))
    return sorted(flagged.values(), key=lambda e: e.row)


@dataclass
class AlignmentDiff:
    """How an element's alignments must change to match its row."""

    remove: list[ElementAlignment] = field(default_factory=list)
    update: list[tuple[ElementAlignment, SdgLink, str]] = field(default_factory=list)
    add: list[SdgLink] = field(default_factory=list)
    rationale: str = ""  # of the alignments to add

    def __bool__(self) -> bool:
        return bool(self.remove or self.update or self.add)


def joined_rationale(alignments: list[ElementAlignment]) -> set[str]:
    """Return the parts of the rationale cell an export writes for these alignments."""
    return {a.rationale for a in alignments if a.rationale} or {""}


def alignment_diff(current: list[ElementAlignment], row: ElementRow) -> AlignmentDiff:
    """Compare an element's alignments with those its row asks for."""
    by_node = {(a.target_id, a.sdg_indicator_id): a for a in current}
    wanted = {(link.target_id, link.sdg_indicator_id): link for link in row.links}
    # An exported row joins differing rationales; importing it back keeps them as they were.
    keep = set(row.rationale.split(" | ")) == joined_rationale(current)
    diff = AlignmentDiff(remove=[a for key, a in by_node.items() if key not in wanted],
                         add=[link for key, link in wanted.items() if key not in by_node],
                         rationale=row.rationale)
    for key, link in wanted.items():
        alignment = by_node.get(key)
        rationale = alignment.rationale if alignment and keep else row.rationale
        if alignment and (alignment.relation, alignment.is_primary, alignment.rationale) != (
                link.relation, link.is_primary, rationale):
            diff.update.append((alignment, link, rationale))
    return diff


def row_changes(state: PlanState, row: ElementRow) -> list[str] | None:
    """Name the columns a row changes; None when it adds a new element."""
    element = state.elements.get(row.code.lower())
    if element is None:
        return None
    changes = [name for name in ELEMENT_FIELDS
               if getattr(element, name) != getattr(row.element_in, name)]
    parent = state.by_id.get(element.parent_id) if element.parent_id else None
    if (parent.code.lower() if parent else "") != row.parent_code.lower():
        changes.append("parent_code")
    if alignment_diff(state.alignments.get(element.id, []), row):
        changes.append("sdg_alignment")
    return changes


def outcome(row: ElementRow, changes: list[str] | None) -> RowOutcome:
    """Describe what a row does."""
    action = Action.CREATE if changes is None else Action.UPDATE if changes else Action.UNCHANGED
    return RowOutcome(row.row, row.code, row.element_in.title, action, changes or [])


def preview_structure(state: PlanState, rows: list[ElementRow]) -> list[RowOutcome]:
    """Say what saving would do to each row, writing nothing."""
    return [outcome(row, row_changes(state, row)) for row in rows]


def apply_structure(session: Session, state: PlanState, rows: list[ElementRow],
                    user_id: int | None) -> list[RowOutcome]:
    """Create and update the elements, parents first, and set their alignments."""
    depth = depths(final_parents(rows, state))
    outcomes = []
    for row in sorted(rows, key=lambda r: depth[r.code.lower()]):
        try:
            outcomes.append(apply_row(session, state, row, user_id))
        except DomainError as error:
            raise RowFailure(RowError(row.row, "", str(error))) from error
    return sorted(outcomes, key=lambda o: o.row)


def apply_row(session: Session, state: PlanState, row: ElementRow,
              user_id: int | None) -> RowOutcome:
    """Create or update one element and its alignments."""
    changes = row_changes(state, row)
    parent = state.elements.get(row.parent_code.lower()) if row.parent_code else None
    element = state.elements.get(row.code.lower())
    if element is None:
        element = add_element(session=session, plan=state.plan, user_id=user_id,
                              element_in=row.element_in.model_copy(
                                  update={"parent_id": parent.id if parent else None}))
        state.elements[row.code.lower()] = element
        state.by_id[element.id] = element
    elif changes:
        if set(changes) & set(ELEMENT_FIELDS):
            update_element(session=session, element=element, element_in=row.element_in,
                           version=None, user_id=user_id)
        if "parent_code" in changes:
            move_element(session=session, element=element, new_parent=parent, user_id=user_id)
    apply_alignments(session, state, element, alignment_diff(
        state.alignments.get(element.id, []), row), user_id)
    return outcome(row, changes)


def apply_alignments(session: Session, state: PlanState, element: PlanElement,
                     diff: AlignmentDiff, user_id: int | None) -> None:
    """Remove, change and add alignments as the diff says."""
    for alignment in diff.remove:
        remove_alignment(session=session, alignment=alignment, user_id=user_id)
    for alignment, link, rationale in diff.update:
        update_alignment(session, state, alignment, link, rationale, user_id)
    for link in diff.add:
        add_alignment(session=session, element=element, user_id=user_id,
                      alignment_in=ElementAlignmentCreate(
                          target_id=link.target_id, sdg_indicator_id=link.sdg_indicator_id,
                          relation=link.relation, is_primary=link.is_primary,
                          rationale=diff.rationale))


def update_alignment(session: Session, state: PlanState, alignment: ElementAlignment,
                     link: SdgLink, rationale: str, user_id: int | None) -> None:
    """Change an alignment's relation, primary flag or rationale, keeping the change."""
    before = [alignment.relation.value, alignment.is_primary, alignment.rationale]
    alignment.relation, alignment.is_primary, alignment.rationale = link.relation, \
        link.is_primary, rationale
    session.add(alignment)
    session.flush()
    element = session.get(PlanElement, alignment.element_id)
    record_change(session, user_id=user_id, action="align", entity=element,
                  city_id=state.plan.city_id,
                  changes={link.code: [before, [link.relation.value, link.is_primary,
                                                rationale]]})
