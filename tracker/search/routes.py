"""The site search page: one box in every page's header, one page of results."""

from flask import Blueprint, request

from tracker.auth.access import signed_in_user
from tracker.db import get_session
from tracker.pages import render_page
from tracker.search.queries import search_site

bp = Blueprint("search", __name__)
MAX_QUERY = 200


@bp.get("/sdg/search")  # the catalogue's search, at its first address
@bp.get("/search")  # registered first: the address url_for gives
def site_search() -> tuple[str, int]:
    """Find cities, plans, local indicators and SDG goals, targets and indicators."""
    text = request.args.get("q", "")[:MAX_QUERY].strip()
    results = search_site(get_session(), signed_in_user(), text)
    return render_page("search/results.html", q=text, results=results)
