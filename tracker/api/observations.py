"""JSON API for a city's observations: list them with filters, and save a batch of them.

Routes live on the API blueprint of tracker.api.routes, which imports this module. Saving
goes through the same services as the grid's forms; a batch is all-or-nothing: any refused
item answers ≥ 400, so the request boundary rolls the whole batch back.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col

from tracker.api.blueprint import bp
from tracker.api.docs import PAGE_PARAMS, api_doc, query_param
from tracker.api.pagination import paginate
from tracker.api.schemas import (
    ErrorPublic,
    ObservationBatch,
    ObservationInput,
    ObservationPublic,
    ObservationRefusal,
    SavedObservations,
    page_of,
)
from tracker.auth.access import can_read_city_internals, signed_in_user
from tracker.auth.city_scope import city_route
from tracker.bulk.cells import CellError, parse_decimal
from tracker.cities.models import City
from tracker.data import services
from tracker.data.models import (
    WHOLE_YEAR,
    MissingReason,
    Observation,
    ObservationStatus,
    breakdown_key,
)
from tracker.data.period_labels import PeriodRef, parse_period_label
from tracker.data.period_names import cell_period
from tracker.db import get_session, relation, rollback_session, saved_id
from tracker.errors import StaleEditError
from tracker.indicators.models import LocalIndicator
from tracker.input_guard import int_arg

MAX_BATCH = 1000
MIN_YEAR, MAX_YEAR = 1, 9999  # the years a filter may name (a larger one overflows)
TEXT_LIMITS = {"comment": 2000, "source": 300, "warning_note": 2000}
FIELDS = {"indicator", "year", "quarter", "period", "breakdown", "value", "missing_reason",
          "comment", "source", "expected_version", "warning_note", "follow_up", "action"}
Problem = dict[str, Any]


def decimal_text(value: Decimal | None) -> str | None:
    """Write a decimal exactly, in plain notation, or None."""
    return None if value is None else format(value, "f")


def observation_json(cell: Observation, indicator: LocalIndicator, city: City
                     ) -> dict[str, Any]:
    """Serialise an observation; its value is an exact decimal string, its period as the
    indicator names it."""
    return {
        "id": cell.id, "indicator": indicator.code, "year": cell.year, "quarter": cell.quarter,
        "span_years": cell.span_years, "period": cell_period(city, indicator, cell),
        "breakdown": dict(cell.breakdown),
        "value": decimal_text(cell.value),
        "missing_reason": cell.missing_reason.value if cell.missing_reason else None,
        "comment": cell.comment, "source": cell.source, "status": cell.status.value,
        "version": cell.version, "follow_up": cell.follow_up,
        "warning_note": cell.warning_note, "return_reason": cell.return_reason,
        "updated_at": cell.updated_at.isoformat(),
    }


def observations_query(city: City) -> Any:
    """Build the filtered, ordered query of the city's (undeleted) observations."""
    query = (select(Observation)
             .join(LocalIndicator, col(LocalIndicator.id) == col(Observation.indicator_id))
             .where(col(LocalIndicator.city_id) == city.id, col(Observation.is_deleted) == False))  # noqa: E712
    if code := request.args.get("indicator"):
        query = query.where(func.lower(col(LocalIndicator.code)) == code.lower())
    if (first := int_arg("from", None, MIN_YEAR, MAX_YEAR)) is not None:
        query = query.where(col(Observation.year) >= first)
    if (last := int_arg("to", None, MIN_YEAR, MAX_YEAR)) is not None:
        query = query.where(col(Observation.year) <= last)
    if (quarter := int_arg("quarter", None, 0, 4)) is not None:
        query = query.where(col(Observation.quarter) == quarter)
    if status := request.args.get("status"):
        if status not in {s.value for s in ObservationStatus}:
            abort(400, description="status must be draft, submitted, approved or returned")
        query = query.where(col(Observation.status) == ObservationStatus(status))
    return query.order_by(func.lower(col(LocalIndicator.code)), col(Observation.year),
                          col(Observation.quarter), col(Observation.breakdown_key))


@bp.get("/cities/<slug>/observations")
@api_doc("A city's observations: approved values for everyone, drafts for its insiders",
         page_of(ObservationPublic), errors=(400, 404), params=[
             *PAGE_PARAMS, query_param("indicator", "Indicator code"),
             query_param("from", "First fiscal year (inclusive)", {"type": "integer"}),
             query_param("to", "Last fiscal year (inclusive)", {"type": "integer"}),
             query_param("quarter", "0 for whole years, 1–4 for a quarter", {"type": "integer"}),
             query_param("status", "Review status", {"type": "string", "enum": [
                 s.value for s in ObservationStatus]})],
         description="Anyone, signed in or not, gets the approved values of a published "
                     "city: drafts, submitted and returned values are left out (a status "
                     "filter naming them finds nothing), and an unpublished city answers 404 "
                     "to those who may not read it. Those who may see the city's internals "
                     "(its officers, its networks' secretariats and reviewers, admins; by "
                     "session cookie or bearer token) get every value with its status.")
@city_route("read_public", conceal=True)
def list_observations(city: City) -> ResponseReturnValue:
    """List a city's observations, filtered by indicator, years, quarter and status; only
    the approved ones for those who may not see its internals."""
    session = get_session()
    query = observations_query(city)
    if not can_read_city_internals(signed_in_user(), city):
        query = query.where(col(Observation.status) == ObservationStatus.APPROVED)
    body = paginate(session, query, lambda cell: cell)
    by_id = {i.id: i for i in city_indicators(session, city).values()}
    body["items"] = [observation_json(c, by_id[c.indicator_id], city) for c in body["items"]]
    return body


# ---------------------------------------------------------------- saving a batch

@dataclass
class Item:
    """One observation of a request, read from JSON, with the problems found so far."""

    index: int
    raw: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    indicator: LocalIndicator | None = None
    entry: services.Entry | None = None
    expected_version: int | None = None
    submit: bool = False

    def refuse(self, name: str, message: str, **extra: Any) -> None:
        """Note a problem with one of the item's fields."""
        self.problems.append({"index": self.index, "field": name, "message": message, **extra})


def read_body() -> list[Any]:
    """Read the request's observations: one object, or {"observations": [...]} (400 if
    neither). Numbers are read as exact decimals, never as floats."""
    if request.mimetype not in ("", "application/json"):
        abort(415, description="Send the observations as application/json.")
    try:
        body = json.loads(request.get_data(cache=True) or b"null", parse_float=Decimal)
    except ValueError:
        abort(400, description="The body is not valid JSON.")
    items = body.get("observations", body) if isinstance(body, dict) else body
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list) or not items:
        abort(400, description='Send one observation object or {"observations": [...]}.')
    if len(items) > MAX_BATCH:
        abort(400, description=f"Send at most {MAX_BATCH} observations per request.")
    return items


def read_whole(item: Item, name: str, default: int | None, low: int, high: int) -> int | None:
    """Read a whole number field within bounds (None when absent and no default)."""
    raw = item.raw.get(name)
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        item.refuse(name, _("Give a whole number from %(low)d to %(high)d.", low=low,
                            high=high))
        return default
    return raw


def read_text(item: Item, name: str) -> str:
    """Read an optional text field within its length limit."""
    raw = item.raw.get(name)
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > TEXT_LIMITS[name]:
        item.refuse(name, _("Give text of at most %(n)d characters.", n=TEXT_LIMITS[name]))
        return ""
    return raw.strip()


def read_value(item: Item) -> Decimal | None:
    """Read the value: an exact decimal given as a string or a JSON number."""
    raw = item.raw.get("value")
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        item.refuse("value", _("Give the value as a string or a number."))
        return None
    try:
        return parse_decimal(str(raw).strip())
    except CellError as error:
        item.refuse("value", str(error))
        return None


def read_reason(item: Item) -> MissingReason | None:
    """Read why there is no value, if given."""
    raw = item.raw.get("missing_reason")
    if raw is None or raw == "":
        return None
    if raw not in {r.value for r in MissingReason}:
        item.refuse("missing_reason", _("Give one of: %(reasons)s.",
                                        reasons=", ".join(r.value for r in MissingReason)))
        return None
    return MissingReason(raw)


def read_breakdown(item: Item) -> dict[str, str]:
    """Read the breakdown: names of the indicator's breakdowns to one of their values."""
    raw = item.raw.get("breakdown") or {}
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        item.refuse("breakdown", _("Give the breakdown as an object of texts, e.g. "
                                   "{\"sex\": \"female\"}."))
        return {}
    return raw


def read_flags(item: Item) -> tuple[bool, bool]:
    """Read follow_up and whether to submit the value after saving it."""
    follow_up, action = item.raw.get("follow_up", False), item.raw.get("action")
    if not isinstance(follow_up, bool):
        item.refuse("follow_up", _("Give true or false."))
    if action not in (None, "", "submit"):
        item.refuse("action", _("The only action is \"submit\"."))
    return follow_up is True, action == "submit"


def read_indicator(item: Item, indicators: dict[str, LocalIndicator]) -> None:
    """Find the item's indicator among the city's."""
    code = item.raw.get("indicator")
    if not isinstance(code, str) or not code.strip():
        item.refuse("indicator", _("Give the indicator's code."))
    elif (indicator := indicators.get(code.strip().lower())) is None:
        item.refuse("indicator", _("The city has no indicator %(code)s.", code=code))
    else:
        item.indicator = indicator


def read_item(index: int, raw: Any, indicators: dict[str, LocalIndicator]) -> Item:
    """Read and check the fields of one observation."""
    item = Item(index, raw if isinstance(raw, dict) else {})
    if not isinstance(raw, dict):
        item.refuse("", _("Each observation must be a JSON object."))
        return item
    for name in sorted(set(raw) - FIELDS):
        item.refuse(name, _("Unknown field."))
    read_indicator(item, indicators)
    ref = read_period(item)
    item.expected_version = read_whole(item, "expected_version", None, 1, 2**31 - 1)
    follow_up, item.submit = read_flags(item)
    entry = services.Entry(
        year=ref.year, quarter=ref.quarter, span_years=ref.span_years, period_label=ref.label,
        breakdown=read_breakdown(item), value=read_value(item),
        missing_reason=read_reason(item), comment=read_text(item, "comment"),
        source=read_text(item, "source"), warning_note=read_text(item, "warning_note"),
        follow_up=follow_up)
    item.entry = entry
    return item


def read_period(item: Item) -> PeriodRef:
    """Read the period: a label as written ("2017-2019"), or a year and quarter."""
    if "period" not in item.raw:
        year = read_whole(item, "year", None, 1950, 2100)
        if year is None and not any(p["field"] == "year" for p in item.problems):
            item.refuse("year", _("Give the fiscal year."))
        return PeriodRef(year or 0, read_whole(item, "quarter", WHOLE_YEAR, 0, 4) or WHOLE_YEAR)
    if "year" in item.raw or "quarter" in item.raw:
        item.refuse("period", _("Give the period or its year and quarter, not both."))
    try:
        return parse_period_label(str(item.raw["period"]))
    except ValueError as error:
        item.refuse("period", str(error))
        return PeriodRef(0)


def city_indicators(session: Session, city: City) -> dict[str, LocalIndicator]:
    """Return the city's indicators (with their breakdowns) by lower-case code."""
    query = (select(LocalIndicator).where(col(LocalIndicator.city_id) == city.id)
             .options(selectinload(relation(LocalIndicator.dimensions))))
    return {i.code.lower(): i for i in session.scalars(query)}


def entry_key(entry: services.Entry) -> str:
    """Return the breakdown key of an entry's cell (blank breakdown values are the total)."""
    return breakdown_key({k: v for k, v in (entry.breakdown or {}).items() if v})


def check_duplicates(items: list[Item]) -> None:
    """Refuse a cell given twice in one request: which of the two should stand?"""
    seen: dict[tuple[int, int, int, int, str], int] = {}
    for item in items:
        if item.problems or item.indicator is None or item.entry is None:
            continue
        cell = (saved_id(item.indicator), item.entry.year, item.entry.quarter,
                item.entry.span_years, entry_key(item.entry))
        if cell in seen:
            item.refuse("", _("The same cell as observation %(n)d.", n=seen[cell]))
        else:
            seen[cell] = item.index


def refuse_findings(item: Item, error: services.QualityError) -> None:
    """Note each finding of a refused value; unconfirmed warnings say how to confirm."""
    for finding in error.findings:
        item.refuse(finding.field, finding.message, level=finding.level, code=finding.code)
    if isinstance(error, services.NeedsConfirmation):
        item.refuse("warning_note", _("These warnings need confirming: send a warning_note "
                                      "saying why the value stands, or follow_up: true."))


def save_item(session: Session, item: Item, user_id: int | None) -> Observation | None:
    """Save (and submit, when asked) one checked item; note why when it is refused."""
    assert item.indicator is not None and item.entry is not None
    try:
        cell = services.save_observation(session=session, indicator=item.indicator,
                                         entry=item.entry, user_id=user_id,
                                         expected_version=item.expected_version)
        if item.submit:
            services.review_observation(session=session, cell=cell, action="submit",
                                        expected_version=cell.version, user_id=user_id)
        return cell
    except StaleEditError as error:
        current = services.find_cell(session, item.indicator, item.entry.year,
                                     item.entry.quarter, entry_key(item.entry),
                                     span_years=item.entry.span_years)
        item.refuse("expected_version", str(error), current=None if current is None else {
            "value": decimal_text(current.value), "version": current.version,
            "status": current.status.value,
            "missing_reason": current.missing_reason.value if current.missing_reason else None})
    except services.QualityError as error:
        refuse_findings(item, error)
    except services.ObservationError as error:
        item.refuse("", str(error))
    return None


def refused(items: list[Item]) -> ResponseReturnValue:
    """Answer 409 when a cell changed meanwhile, else 422; list every item's problems.
    Nothing is kept: the request commits unless it raised, so the saved items roll back."""
    rollback_session()
    problems = [problem for item in items for problem in item.problems]
    stale = any("current" in problem for problem in problems)
    status, name = (409, "Conflict") if stale else (422, "Unprocessable Entity")
    count = len({problem["index"] for problem in problems})
    message = _("Nothing was saved: %(n)d of %(total)d observations were refused.",
                n=count, total=len(items))
    return jsonify(error=name, message=message, status=status, problems=problems), status


@bp.post("/cities/<slug>/observations")
@api_doc("Save observations as drafts (optionally submitting them); all or nothing",
         SavedObservations, status=201, body=(ObservationInput, ObservationBatch), secured=True,
         errors={**dict.fromkeys((400, 401, 403, 404, 415), ErrorPublic),
                 409: ObservationRefusal, 422: ObservationRefusal},
         description="For the city's editors (its officers, its networks' secretariats, "
                     "admins). Send one object or {\"observations\": [...]} (at most 1000). "
                     "Values are checked as in the grid; if any item is refused nothing is "
                     "saved (409 when a cell changed meanwhile, else 422).")
@city_route("edit")
def save_observations(city: City) -> ResponseReturnValue:
    """Save one observation or a batch, as drafts (or submitted); all or nothing."""
    session = get_session()
    indicators = city_indicators(session, city)
    items = [read_item(index, raw, indicators) for index, raw in enumerate(read_body())]
    check_duplicates(items)
    user = signed_in_user()
    saved = [(item, save_item(session, item, user.id if user else None))
             for item in items if not item.problems]
    if any(item.problems for item in items):
        return refused(items)
    return {"items": [observation_json(cell, item.indicator, city)
                      for item, cell in saved
                      if cell is not None and item.indicator is not None]}, 201
