"""Turn catalogue and city records into the API's JSON shapes (the *Public models)."""

from typing import Any

from tracker.catalogue.models import Goal, SdgIndicator, SdgIndicatorPublic, Target
from tracker.cities.models import City, CityPublic, Network, NetworkPublic


def goal_json(goal: Goal) -> dict[str, Any]:
    """Serialise a goal."""
    return {"code": goal.code, "title": goal.title, "short_title": goal.short_title,
            "colour": goal.colour}


def target_json(target: Target) -> dict[str, Any]:
    """Serialise a target with its goal code."""
    return {"code": target.code, "title": target.title, "goal": target.goal.code}


def indicator_json(indicator: SdgIndicator) -> dict[str, Any]:
    """Serialise an indicator with its target, goal and what it repeats."""
    public = SdgIndicatorPublic(
        **indicator.model_dump(include={"code", "title", "tier", "custodians", "status", "note",
                                        "sort_key"}),
        target=indicator.target.code, goal=indicator.target.goal.code,
        repeat_of=indicator.repeat_of.code if indicator.repeat_of else None,
    )
    return public.model_dump(mode="json", exclude={"sort_key"})


def network_json(network: Network, city_count: int) -> dict[str, Any]:
    """Serialise a network with its number of member cities."""
    public = NetworkPublic(**network.model_dump(include={"slug", "name", "description",
                                                         "website"}), city_count=city_count)
    return public.model_dump(mode="json")


def city_json(city: City, parent: City | None) -> dict[str, Any]:
    """Serialise a city's public profile with its networks and its parent area, given only
    when the caller may read it (see readable_parent)."""
    fields = set(CityPublic.model_fields) - {"parent", "networks"}
    public = CityPublic(**city.model_dump(include=fields),
                        parent=parent.slug if parent else None,
                        networks=sorted(m.network.slug for m in city.memberships))
    return public.model_dump(mode="json")
