"""Check an indicator sheet against the city's definitions, then apply it (flush, never commit)."""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from tracker.bulk.indicator_sheet import CityElements, IndicatorRow
from tracker.bulk.lookups import list_city_plans, list_elements, plan_keys
from tracker.bulk.plan_import import RowFailure
from tracker.bulk.report import Action, RowError, RowOutcome
from tracker.catalogue.models import SdgIndicator
from tracker.cities.models import City
from tracker.db import relation, saved_id
from tracker.errors import DomainError
from tracker.indicators.models import (
    IndicatorAlignment,
    IndicatorElementLink,
    LocalIndicator,
    LocalIndicatorCreate,
    SdgRelation,
)
from tracker.indicators.services import (
    FIELDS,
    align_to_sdg,
    create_indicator,
    link_element,
    remove_sdg_alignment,
    unlink_element,
    update_indicator,
)


@dataclass
class CityState:
    """A city's indicators by lower-case code, their links, and its plans' elements."""

    city: City
    places: CityElements
    indicators: dict[str, LocalIndicator] = field(default_factory=dict)
    sdg_links: dict[int, list[IndicatorAlignment]] = field(default_factory=dict)
    element_links: dict[int, list[IndicatorElementLink]] = field(default_factory=dict)


def load_city_elements(session: Session, city: City) -> CityElements:
    """Load the city's plans with their keys and every element (two queries)."""
    plans = list_city_plans(session, city)
    keys = plan_keys(plans)
    elements = list_elements(session, list(keys))
    return CityElements(plans={key.lower(): plan_id for plan_id, key in keys.items()}, keys=keys,
                        elements={(e.plan_id, e.code.lower()): e for e in elements},
                        by_id={saved_id(e): e for e in elements})


def load_city_state(session: Session, city: City) -> CityState:
    """Load everything an import compares with, in a fixed number of queries."""
    state = CityState(city, load_city_elements(session, city))
    query = (select(LocalIndicator).where(LocalIndicator.city_id == city.id)
             .options(selectinload(relation(LocalIndicator.targets)),
                      selectinload(relation(LocalIndicator.dimensions))))
    state.indicators = {i.code.lower(): i for i in session.exec(query)}
    ids = [i.id for i in state.indicators.values()]
    for link in session.exec(select(IndicatorAlignment).where(
            col(IndicatorAlignment.indicator_id).in_(ids))):
        state.sdg_links.setdefault(link.indicator_id, []).append(link)
    for element_link in session.exec(select(IndicatorElementLink).where(
            col(IndicatorElementLink.indicator_id).in_(ids))):
        state.element_links.setdefault(element_link.indicator_id, []).append(element_link)
    return state


def check_codes(rows: list[IndicatorRow], state: CityState) -> list[RowError]:
    """Refuse to import over a retired indicator."""
    return [RowError(row.row, "code", _("%(code)s is a retired indicator; restore it before "
                                        "importing it.", code=row.code))
            for row in rows if (found := state.indicators.get(row.code.lower())) is not None
            and found.is_retired]


def row_changes(state: CityState, row: IndicatorRow) -> list[str] | None:
    """Name the columns a row changes; None when it adds a new indicator."""
    indicator = state.indicators.get(row.code.lower())
    if indicator is None:
        return None
    changes = definition_changes(indicator, row.indicator_in)
    removed, aligned = sdg_diff(state, indicator, row)
    unlinked, linked = element_diff(state, indicator, row)
    return changes + (["sdg_indicators"] if removed or aligned else []) + \
        (["element_codes"] if unlinked or linked else [])


def outcome(row: IndicatorRow, changes: list[str] | None) -> RowOutcome:
    """Describe what a row does."""
    action = Action.CREATE if changes is None else Action.UPDATE if changes else Action.UNCHANGED
    return RowOutcome(row.row, row.code, row.indicator_in.name, action, changes or [])


def preview_indicators(state: CityState, rows: list[IndicatorRow]) -> list[RowOutcome]:
    """Say what saving would do to each row, writing nothing."""
    return [outcome(row, row_changes(state, row)) for row in rows]


def apply_indicators(session: Session, state: CityState, rows: list[IndicatorRow],
                     user_id: int | None) -> list[RowOutcome]:
    """Create and update the definitions and set their SDG alignments and element links."""
    outcomes = []
    for row in rows:
        try:
            outcomes.append(apply_row(session, state, row, user_id))
        except DomainError as error:
            raise RowFailure(RowError(row.row, "", str(error))) from error
    return outcomes


def apply_row(session: Session, state: CityState, row: IndicatorRow,
              user_id: int | None) -> RowOutcome:
    """Create or update one indicator and its links."""
    changes = row_changes(state, row)
    indicator = state.indicators.get(row.code.lower())
    if indicator is None:
        indicator = create_indicator(session=session, city=state.city,
                                     indicator_in=row.indicator_in, user_id=user_id)
        state.indicators[row.code.lower()] = indicator
    elif set(changes or []) - {"sdg_indicators", "element_codes"}:
        update_indicator(session=session, indicator=indicator, indicator_in=row.indicator_in,
                         version=None, user_id=user_id)
    apply_sdg(session, state, indicator, row, user_id)
    apply_elements(session, state, indicator, row, user_id)
    return outcome(row, changes)


def parts_of(source: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Return targets (in year order) and dimensions (in their order) as comparable tuples."""
    targets = sorted((t.year, t.value, t.label) for t in source.targets)
    dimensions = [(d.name.strip(), list(d.values)) for d in source.dimensions]
    return targets, dimensions


def definition_changes(indicator: LocalIndicator, indicator_in: LocalIndicatorCreate
                       ) -> list[str]:
    """Name the columns whose values differ from the stored definition."""
    changes = [name for name in FIELDS if getattr(indicator, name) != getattr(indicator_in, name)]
    (old_targets, old_dimensions), (targets, dimensions) = parts_of(indicator), \
        parts_of(indicator_in)
    return changes + (["targets"] if old_targets != targets else []) + \
        (["dimensions"] if old_dimensions != dimensions else [])


SdgDiff = tuple[list[IndicatorAlignment], list[tuple[int, SdgRelation, str]]]


def sdg_diff(state: CityState, indicator: LocalIndicator, row: IndicatorRow) -> SdgDiff:
    """Return the SDG alignments to remove and those to set (id, relation, kept rationale)."""
    current = {link.sdg_indicator_id: link
               for link in state.sdg_links.get(saved_id(indicator), [])}
    removed = [link for sdg_id, link in current.items() if sdg_id not in row.sdg]
    aligned = [(sdg_id, relation, current[sdg_id].rationale if sdg_id in current else "")
               for sdg_id, (_code, relation) in row.sdg.items()
               if sdg_id not in current or current[sdg_id].relation != relation]
    return removed, aligned


def apply_sdg(session: Session, state: CityState, indicator: LocalIndicator, row: IndicatorRow,
              user_id: int | None) -> None:
    """Make the indicator's SDG alignments those of the row."""
    removed, aligned = sdg_diff(state, indicator, row)
    for link in removed:
        remove_sdg_alignment(session=session, link=link, user_id=user_id)
    for sdg_id, kind, rationale in aligned:
        sdg = session.get(SdgIndicator, sdg_id)
        assert sdg is not None
        align_to_sdg(session=session, indicator=indicator, sdg_indicator=sdg, relation=kind,
                     rationale=rationale, user_id=user_id)


def element_diff(state: CityState, indicator: LocalIndicator, row: IndicatorRow
                 ) -> tuple[list[IndicatorElementLink], list[int]]:
    """Return the links to current elements to remove, and the elements to link."""
    current = {link.element_id: link
               for link in state.element_links.get(saved_id(indicator), [])}
    elements = state.places.by_id
    unlinked = [link for element_id, link in current.items() if element_id not in row.element_ids
                and element_id in elements and not elements[element_id].is_retired]
    return unlinked, [element_id for element_id in row.element_ids if element_id not in current]


def apply_elements(session: Session, state: CityState, indicator: LocalIndicator,
                   row: IndicatorRow, user_id: int | None) -> None:
    """Make the indicator's links to current elements those of the row."""
    unlinked, linked = element_diff(state, indicator, row)
    for link in unlinked:
        unlink_element(session=session, link=link, user_id=user_id)
    for element_id in linked:
        link_element(session=session, indicator=indicator, element=state.places.by_id[element_id],
                     user_id=user_id)
