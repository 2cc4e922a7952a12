"""Site search: one box in every page's header finds cities, plans, local indicators and SDG
goals, targets and indicators, only as far as the searcher may read them (an unpublished
city, its plans and indicators are found by its readers alone), escapes what it shows, and
costs a fixed number of queries however much it finds."""

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.factories import Auth
from tests.test_access import ROLES, World, world  # noqa: F401  (world is a fixture)

READERS_OF_U = {"admin", "secretariat_a", "reviewer_a"}  # the unpublished city's readers


@pytest.fixture
def search_world(world: World, make_indicator, make_plan) -> World:  # noqa: F811  # type: ignore[no-untyped-def]
    """Water indicators and plans in published city A and unpublished city U."""
    cities = world.cities
    cities["u"].name = "Hiddenburg"
    make_indicator(cities["a"], "WAT-A", name="Piped water coverage Aville")
    make_indicator(cities["u"], "WAT-U", name="Piped water coverage Hiddenburg")
    make_plan(cities["a"], title="Water security plan Aville")
    make_plan(cities["u"], title="Water security plan Hiddenburg")
    make_indicator(cities["b"], "XSS-1", name="<script>alert('water')</script> quality")
    return world


def search(client: FlaskClient, q: str) -> str:
    """The results page of a query."""
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_each_searcher_finds_only_what_they_may_read(role: str, search_world: World,
                                                     client: FlaskClient, auth: Auth) -> None:
    if role != "anonymous":
        auth.login(search_world.users[role])
    page = search(client, "water")
    assert "Piped water coverage Aville" in page and "Water security plan Aville" in page
    assert "/cities/city-a/indicators/WAT-A" in page
    hidden = ("Piped water coverage Hiddenburg", "Water security plan Hiddenburg",
              "/cities/city-u")
    if role in READERS_OF_U:
        assert all(text in page for text in hidden)
    else:
        assert not any(text in page for text in hidden)
    cities = search(client, "city-u")
    assert ("Hiddenburg" in cities) is (role in READERS_OF_U)


@pytest.mark.parametrize(("q", "present", "absent"), [
    ("11", ['href="/sdg/goals/11"', "Goal 11"], ['href="/sdg/goals/1"']),
    ("goal 6", ['href="/sdg/goals/6"'], []),
    ("11.6.2", ['href="/sdg/indicators/11.6.2"'], []),
    ("wastewater", ['href="/sdg/indicators/6.3.1"'], []),
    ("sustainable cities", ['href="/sdg/goals/11"'], []),
    ("city-b", ['href="/cities/city-b"'], ['href="/cities/city-a"']),
])
@pytest.mark.usefixtures("search_world")
def test_sdg_items_and_cities_are_found_by_code_or_words(q: str, present: list[str],
                                                         absent: list[str],
                                                         client: FlaskClient) -> None:
    page = search(client, q)
    assert all(text in page for text in present), q
    assert not any(text in page for text in absent), q


@pytest.mark.usefixtures("search_world")
def test_user_text_and_the_query_are_escaped(client: FlaskClient) -> None:
    page = search(client, "quality")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;water&#39;)&lt;/script&gt; quality" in page
    echoed = search(client, "<img src=x onerror=alert(1)>")
    assert "<img src=x" not in echoed and "&lt;img src=x onerror=alert(1)&gt;" in echoed


def test_the_header_box_searches_the_site(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in home
    assert search(client, "").count('class="result"') == 0


def test_the_results_page_costs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
        search_world: World, client: FlaskClient, auth: Auth, make_indicator, make_plan,
        count_queries) -> None:
    auth.login(search_world.users["secretariat_a"])
    with count_queries() as few:
        search(client, "water")
    for n in range(12):
        make_indicator(search_world.cities["a"], f"WAT-{n}", name=f"Water {n}")
        make_plan(search_world.cities["b"], title=f"Water plan {n}")
    with count_queries() as many:
        page = search(client, "water")
    assert page.count("Water plan") == 12 and "WAT-11" in page
    assert few() == many() <= 12


@pytest.mark.usefixtures("search_world")
def test_the_old_catalogue_address_shows_the_same_results(client: FlaskClient) -> None:
    page = client.get("/sdg/search", query_string={"q": "water"}).get_data(as_text=True)
    assert "Piped water coverage Aville" in page and 'href="/sdg/indicators/6.1.1"' in page


def test_a_long_query_is_cut_not_refused(client: FlaskClient) -> None:
    response: Any = client.get("/search", query_string={"q": "water " * 100})
    assert response.status_code == 200
