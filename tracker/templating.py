"""Helpers every template may call."""

import calendar
from typing import Any

from markupsafe import Markup

from tracker.auth.access import (
    can_create_city,
    can_create_network,
    can_edit_city,
    can_manage_network,
    can_manage_users,
    can_review,
    signed_in_user,
    visible_parent,
)
from tracker.cities.forms import country_name, level_label


def bdi(text: Any) -> Markup:
    """Show user text (a name, a code, a label) isolated for bidirectional text, so a
    direction control inside it cannot reorder what follows: `{{ city.name|bdi }}`."""
    return Markup("<bdi>{}</bdi>").format(text) if text not in (None, "") else Markup("")


def month_name(number: int | None) -> str:
    """Return the English name of a month number."""
    return calendar.month_name[number] if number else ""


def template_globals() -> dict[str, Any]:
    """Return the functions templates use for access checks and formatting."""
    return {
        "signed_in_user": signed_in_user,
        "can_edit_city": can_edit_city,
        "can_manage_network": can_manage_network,
        "can_manage_users": can_manage_users,
        "can_review": can_review,
        "month_name": month_name,
        "level_label": level_label,
        "country_name": country_name,
        "can_create_city": can_create_city,
        "can_create_network": can_create_network,
        "visible_parent": visible_parent,
    }
