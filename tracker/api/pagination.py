"""Page through a select statement: `page` and `per_page` in, items and totals out."""

from typing import Any

from flask import abort, current_app, request
from sqlalchemy import Select, func, select
from sqlmodel import Session

DEFAULT_PER_PAGE = 50


def page_args() -> tuple[int, int]:
    """Read and check `page` and `per_page` from the query string (400 when invalid)."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        abort(400, description="page and per_page must be whole numbers")
    if page < 1 or not 1 <= per_page <= current_app.config["API_MAX_PER_PAGE"]:
        abort(400, description="page must be ≥ 1; per_page between 1 and "
                               f"{current_app.config['API_MAX_PER_PAGE']}")
    return page, per_page


def paginate(session: Session, query: Select, serialise: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    """Run one page of the query and return it with the totals."""
    page, per_page = page_args()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return {
        "items": [serialise(row) for row in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": -(-int(total or 0) // per_page),
    }
