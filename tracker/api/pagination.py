"""Page through a select statement: `page` and `per_page` in, items and totals out."""

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select
from sqlmodel import Session

from tracker.input_guard import int_arg

DEFAULT_PER_PAGE = 50
MAX_PAGE = 1_000_000


def page_args() -> tuple[int, int]:
    """Read and check `page` and `per_page` from the query string (400 naming the one that is
    not a whole number in range: a huge page would overflow the database's OFFSET)."""
    page = int_arg("page", 1, 1, MAX_PAGE)
    per_page = int_arg("per_page", DEFAULT_PER_PAGE, 1, current_app.config["API_MAX_PER_PAGE"])
    return page or 1, per_page or DEFAULT_PER_PAGE


def paginate(session: Session, query: Select[Any],
             serialise: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """Run one page of the query and return it with the totals: its records as they are, or
    as `serialise` gives them (the endpoint's model reads the rest)."""
    page, per_page = page_args()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return {
        "items": [serialise(row) for row in rows] if serialise else list(rows),
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": -(-int(total or 0) // per_page),
    }
