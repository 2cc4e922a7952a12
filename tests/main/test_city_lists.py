"""The home page and the city lists never list every city: the list of cities and a
network's member list are paged (50 a page) and searched by name or country, the home page
shows the first cities and a search. Nothing about an unpublished city reaches a visitor.
120 invented cities are built by a rule; expectations are worked out from it by hand."""

import re

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth
from tracker.auth.models import Role
from tracker.cities.models import City, Network, NetworkMembership

COUNTRIES = {0: "ZA", 1: "FI", 2: "IN"}  # by i % 3
pytestmark = pytest.mark.usefixtures("towns")


def published(i: int) -> bool:
    """Every seventh city is unpublished."""
    return i % 7 != 0


@pytest.fixture
def towns(db: Session, make_network) -> Network:  # type: ignore[no-untyped-def]
    """Cities "Town 001" … "Town 120" (country by i % 3; unpublished when i % 7 == 0), all
    members of network "towns"."""
    network = make_network(slug="towns", name="Towns")
    for i in range(1, 121):
        city = City(slug=f"town-{i:03d}", name=f"Town {i:03d}", country_code=COUNTRIES[i % 3],
                    is_published=published(i))
        db.add(city)
        db.flush()
        db.add(NetworkMembership(network_id=network.id, city_id=city.id))
    db.flush()
    return network


def town_names(html: str) -> list[str]:
    """The town names linked on a page, in order."""
    return re.findall(r">(Town \d{3})</a>", html)


def get(client: FlaskClient, url: str, status: int = 200) -> str:
    """Fetch a page and check its status."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


VISIBLE = [f"Town {i:03d}" for i in range(1, 121) if published(i)]  # 103 towns
HIDDEN = [f"Town {i:03d}" for i in range(1, 121) if not published(i)]


def test_the_city_list_is_paged_by_name(client: FlaskClient) -> None:
    assert len(VISIBLE) == 103
    assert town_names(get(client, "/cities/")) == VISIBLE[:50]
    second = get(client, "/cities/?page=2")
    assert town_names(second) == VISIBLE[50:100]
    assert "103 cities" in second and "51 to 100 shown" in second and "Page 2 of 3" in second
    assert town_names(get(client, "/cities/?page=3")) == VISIBLE[100:]


@pytest.mark.parametrize(("query", "keep"), [
    ("q=town+01", lambda i: 10 <= i <= 19),
    ("q=finland", lambda i: i % 3 == 1),
    ("country=IN", lambda i: i % 3 == 2),
    ("q=town+1&country=ZA", lambda i: i >= 100 and i % 3 == 0),
])
def test_the_city_list_searches_by_name_and_country(client: FlaskClient, query: str,  # type: ignore[no-untyped-def]
                                                    keep) -> None:
    wanted = [f"Town {i:03d}" for i in range(1, 121) if keep(i) and published(i)]
    assert town_names(get(client, f"/cities/?{query}")) == wanted[:50]


def test_a_refused_country_is_named_and_ignored(client: FlaskClient) -> None:
    html = get(client, "/cities/?country=XX", 422)
    assert "Not a valid choice" in html and town_names(html) == VISIBLE[:50]


def test_no_unpublished_city_reaches_a_visitor(client: FlaskClient) -> None:
    pages = [get(client, "/"), get(client, "/networks/towns")] + [
        get(client, f"/cities/?page={n}") for n in (1, 2, 3)] + [
        get(client, f"/networks/towns?page={n}") for n in (1, 2, 3)] + [
        get(client, "/cities/?q=town+007"), get(client, "/networks/towns?q=town+007")]
    for html in pages:
        assert not set(town_names(html)) & set(HIDDEN)
        assert "town-007" not in html
    assert "103 cities" in pages[1]


def test_the_network_member_list_is_paged_and_searched(towns: Network, client: FlaskClient,
                                                       auth: Auth, make_user) -> None:  # type: ignore[no-untyped-def]
    assert town_names(get(client, "/networks/towns?page=2")) == VISIBLE[50:100]
    auth.login(make_user(Role.SECRETARIAT, network=towns))
    every = [f"Town {i:03d}" for i in range(1, 121)]  # its secretariat reads them all
    assert town_names(get(client, "/networks/towns?page=2")) == every[50:100]
    assert town_names(get(client, "/networks/towns?q=india")) == [
        name for i, name in enumerate(every, start=1) if i % 3 == 2][:50]


def test_the_home_page_shows_the_first_cities_and_a_search(client: FlaskClient) -> None:
    html = get(client, "/")
    assert town_names(html) == VISIBLE[:12]
    assert "All 103 cities" in html and 'action="/cities/"' in html
