"""One page of an HTML list: the page number from the query string, LIMIT/OFFSET on a select
and what _partials/_pagination.html needs, so no page ever lists every row of a big table."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlmodel import Session

from tracker.input_guard import int_arg

PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # beyond it the database's OFFSET would overflow


@dataclass
class Page:
    """The rows of one page, its number, how many pages and rows there are in all."""

    page: int
    pages: int
    total: int = 0
    per_page: int = PAGE_SIZE
    items: list[Any] = field(default_factory=list)

    @property
    def has_prev(self) -> bool:
        """Is there a page before?"""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Is there a page after?"""
        return self.page < self.pages

    @property
    def first(self) -> int:
        """Return the position (from 1) of the page's first row in the whole list."""
        return (self.page - 1) * self.per_page + 1


def page_number() -> int:
    """Read `page` from the query string (400 naming it when not a whole number in range)."""
    return int_arg("page", 1, 1, MAX_PAGE) or 1


def count_rows(session: Session, query: Select[Any]) -> int:
    """Count the rows a select returns, without its ordering."""
    return int(session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0)


def page_for(total: int, page: int, per_page: int = PAGE_SIZE) -> Page:
    """Return page `page` of `total` rows (no rows yet); a page past the last is the last."""
    pages = max(1, -(-total // per_page))
    return Page(min(page, pages), pages, total, per_page)


def page_of(session: Session, query: Select[Any], page: int, per_page: int = PAGE_SIZE,
            scalars: bool = True) -> Page:
    """Run one page of an ordered select (two queries: the count and the page); a page past
    the last shows the last."""
    found = page_for(count_rows(session, query), page, per_page)
    bounded = query.limit(per_page).offset(found.first - 1)
    result = session.scalars(bounded) if scalars else session.execute(bounded)
    found.items = list(result.all())
    return found
