"""One way to load the city (or network) of a request and check who may act on it.

Every city-scoped view is decorated with `@city_route(level)`: the decorator loads the city
named by the `slug` in the address once (404), applies one named access level (visitors are
sent to sign in, or answered 401 under the API; signed-in users get 403) and calls the view
with `city=` in place of `slug=`. The level is recorded on the view as `access_level`, where
the access-matrix test reads it. A view whose level depends on the action (submitting a value
is editing, approving it is reviewing) passes a function of the view's arguments instead.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

from flask import abort, request
from flask_babel import gettext as _

from tracker.auth.access import (
    can_edit_city,
    can_enter_values,
    can_manage_network,
    can_read_city,
    can_read_city_internals,
    can_review,
    can_watch_network,
    deny,
    signed_in_user,
)
from tracker.auth.models import User
from tracker.auth.tokens import API_BLUEPRINT, api_unauthorised
from tracker.cities.models import City, Network
from tracker.cities.queries import get_city, get_network
from tracker.db import get_session

View = Callable[..., Any]
Level = str | Callable[..., str]

# Each level names the predicate of tracker.auth.access that decides it.
CITY_LEVELS: dict[str, Callable[[User | None, City], bool]] = {
    "read_public": can_read_city,  # the profile and published data
    "read_internals": can_read_city_internals,  # drafts, people, history, exports
    "edit": can_edit_city,  # change the city's profile, plans and data
    "enter": can_enter_values,  # the period form: the city's officers and admins
    "review": can_review,  # approve, return, unlock; set the data windows
}
NETWORK_LEVELS: dict[str, Callable[[User | None, Network], bool]] = {
    "read_public": lambda _user, _network: True,
    "watch_network": can_watch_network,  # follow its completeness
    "manage_network": can_manage_network,  # its reports, windows and settings
}


def current_user_id() -> int | None:
    """Return the signed-in user's id (for histories and records), or None."""
    user = signed_in_user()
    return user.id if user else None


def refuse() -> NoReturn:
    """Refuse the request: visitors sign in (401 under the API), signed-in users get 403."""
    if request.blueprint == API_BLUEPRINT and signed_in_user() is None:
        body, status = api_unauthorised(_("Sign in or send an API token."))
        body.status_code = status
        abort(body)
    deny()


def edit_or_review(action: str, **_kwargs: Any) -> str:
    """Submitting a value is editing; approving, returning and unlocking it is reviewing."""
    return "edit" if action == "submit" else "review"


def level_of(view: View, **view_args: Any) -> str:
    """Return the access level a decorated view applies to a request with these arguments."""
    level: Level = view.__dict__["access_level"]
    return level(**view_args) if callable(level) else level


def _scoped(level: Level, levels: dict[str, Callable[[User | None, Any], bool]],
            load: Callable[[str], Any], name: str, conceal: bool = False
            ) -> Callable[[View], View]:
    """Build a decorator that loads the slug's record as `name` and applies the level;
    `conceal` answers those refused 404, as if the record did not exist."""
    if not callable(level) and level not in levels:
        raise ValueError(f"unknown access level {level!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(*args: Any, slug: str, **kwargs: Any) -> Any:
            record = load(slug) or abort(404)
            chosen = level(**kwargs) if callable(level) else level
            if not levels[chosen](signed_in_user(), record):
                if conceal:
                    abort(404)
                refuse()
            return view(*args, **{name: record}, **kwargs)

        wrapped.__dict__["access_level"] = level
        wrapped.__dict__["conceals"] = conceal
        return wrapped

    return decorator


def city_route(level: Level, conceal: bool = False) -> Callable[[View], View]:
    """Load the address's city (404), apply the access level and pass the view `city`;
    with `conceal`, those refused get 404 too (open data never says an unpublished city
    exists)."""
    return _scoped(level, CITY_LEVELS, lambda slug: get_city(get_session(), slug), "city",
                   conceal)


def network_route(level: Level) -> Callable[[View], View]:
    """Load the address's network (404), apply the access level and pass the view `network`."""
    return _scoped(level, NETWORK_LEVELS, lambda slug: get_network(get_session(), slug),
                   "network")
