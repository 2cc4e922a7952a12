"""The catalogue and city records as the API's models, for the fields a record does not
hold itself (codes of related records, counts); the rest is read from the record."""

from tracker.api.schemas import IndicatorPublic, TargetPublic
from tracker.catalogue.models import SdgIndicator, Target
from tracker.cities.models import City, CityPublic, Network, NetworkPublic


def target_public(target: Target) -> TargetPublic:
    """A target with its goal code."""
    return TargetPublic(code=target.code, title=target.title, goal=target.goal.code)


def indicator_public(indicator: SdgIndicator) -> IndicatorPublic:
    """An indicator with its target, goal and what it repeats."""
    return IndicatorPublic(
        code=indicator.code, title=indicator.title, tier=indicator.tier,
        custodians=indicator.custodians, status=indicator.status, note=indicator.note,
        target=indicator.target.code, goal=indicator.target.goal.code,
        repeat_of=indicator.repeat_of.code if indicator.repeat_of else None)


def network_public(network: Network, city_count: int) -> NetworkPublic:
    """A network with its number of member cities."""
    return NetworkPublic.model_validate(network, update={"city_count": city_count})


def city_public(city: City, parent: City | None) -> CityPublic:
    """A city's public profile with its networks and its parent area, given only when the
    caller may read it (see readable_parent)."""
    return CityPublic.model_validate(city, update={
        "parent": parent.slug if parent else None,
        "networks": sorted(m.network.slug for m in city.memberships)})
