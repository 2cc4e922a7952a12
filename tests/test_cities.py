"""City profiles, networks and memberships: edits, concurrent edits, history, list cost."""

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tests.factories import Auth
from tests.test_access import city_form
from tracker.audit.models import AuditEvent
from tracker.auth.models import Role
from tracker.cities.models import City, NetworkMembership


def test_officer_edits_their_city_and_the_change_is_in_history(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_city, make_user, auth: Auth, db: Session) -> None:
    city = make_city(name="Durban")
    officer = make_user(Role.OFFICER, city=city)
    auth.login(officer)
    response = client.post(f"/cities/{city.slug}/edit",
                           data=city_form(city, population="3300000", population_year="2022"))
    assert response.status_code == 302
    db.expire_all()
    assert city.population == 3_300_000 and city.version == 2
    event = db.scalars(select(AuditEvent).where(AuditEvent.entity_type == "City",
                                                AuditEvent.action == "update")).one()
    assert event.user_id == officer.id and event.city_id == city.id
    assert event.changes["population"] == [None, 3_300_000]


def test_a_stale_edit_is_refused_and_shows_the_newer_value(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_city, make_user, auth: Auth, db: Session) -> None:
    city = make_city(name="Helsinki")
    auth.login(make_user(Role.OFFICER, city=city))
    first = city_form(city, name="Helsingfors")
    second = city_form(city, name="Stadi")  # both forms were opened at version 1
    assert client.post(f"/cities/{city.slug}/edit", data=first).status_code == 302
    response = client.post(f"/cities/{city.slug}/edit", data=second)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Helsingfors" in html and "details__row--differs" in html
    db.expire_all()
    assert city.name == "Helsingfors"


def test_invalid_input_names_the_field_and_saves_nothing(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_city, make_user, auth: Auth, db: Session) -> None:
    city = make_city()
    auth.login(make_user(Role.OFFICER, city=city))
    response = client.post(f"/cities/{city.slug}/edit",
                           data=city_form(city, population="-5", website="not a url"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Population" in html and "Number must be at least 0" in html
    db.expire_all()
    assert city.version == 1


def test_secretariat_creates_a_city_in_its_network(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_network, make_user, auth: Auth, db: Session) -> None:
    network = make_network()
    auth.login(make_user(Role.SECRETARIAT, network=network))
    response = client.post("/cities/new", data={
        "slug": "bhavnagar-x", "name": "Bhavnagar X", "country_code": "IN", "level": "city",
        "parent_id": "", "fiscal_year_start_month": 4})
    assert response.status_code == 302
    city = db.scalars(select(City).where(City.slug == "bhavnagar-x")).one()
    assert city.fiscal_year_start_month == 4
    assert db.scalars(select(NetworkMembership).where(
        NetworkMembership.city_id == city.id)).one().network_id == network.id


def test_duplicate_slug_is_refused_with_a_message(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_city, make_user, auth: Auth) -> None:
    make_city(slug="taken")
    auth.login(make_user(Role.ADMIN))
    response = client.post("/cities/new", data={
        "slug": "taken", "name": "Other", "country_code": "IN", "level": "city",
        "parent_id": "", "fiscal_year_start_month": 1})
    assert response.status_code == 422 and "taken" in response.get_data(as_text=True)


def test_parent_area_is_shown_and_cannot_be_itself(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_city, make_user, auth: Auth, db: Session) -> None:
    district = make_city(name="Patiala District", level="district")
    city = make_city(name="Patiala", parent_id=district.id)
    assert "Patiala District" in client.get(f"/cities/{city.slug}").get_data(as_text=True)
    auth.login(make_user(Role.ADMIN))
    client.post(f"/cities/{city.slug}/edit", data=city_form(city, parent_id=str(city.id)))
    db.expire_all()
    assert city.parent_id == district.id


def test_admin_manages_memberships_and_history_keeps_them(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_network, make_city, make_user, auth: Auth, db: Session) -> None:
    network = make_network(slug="net-m")
    city = make_city(slug="joiner")
    auth.login(make_user(Role.ADMIN))
    assert client.post("/networks/net-m/members", data={"city": "joiner"}).status_code == 302
    assert client.post("/networks/net-m/members/joiner/remove").status_code == 302
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.city_id == city.id)
                         .order_by(AuditEvent.id)).all()
    assert actions == ["create", "join", "leave"]
    assert network.id is not None


def test_unpublished_city_is_hidden_from_visitors_lists(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_city) -> None:
    make_city(name="Visible Town")
    make_city(name="Secret Town", is_published=False)
    html = client.get("/cities/").get_data(as_text=True)
    assert "Visible Town" in html and "Secret Town" not in html


def test_city_list_costs_the_same_queries_for_more_cities(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_network, make_city, count_queries) -> None:
    network = make_network()
    make_city(network=network)
    with count_queries() as few:
        client.get("/cities/")
    for _ in range(6):
        make_city(network=make_network())
    with count_queries() as many:
        client.get("/cities/")
    assert few() == many()


def test_foreign_keys_are_enforced(db: Session) -> None:
    db.add(NetworkMembership(network_id=999_999, city_id=999_999))
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
    else:
        raise AssertionError("a membership of missing rows was accepted")


def test_user_management_by_a_secretariat(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_network, make_city, make_user, auth: Auth, db: Session) -> None:
    own, other = make_network(), make_network()
    own_city, other_city = make_city(network=own), make_city(network=other)
    auth.login(make_user(Role.SECRETARIAT, network=own))
    form = {"email": "new.officer@example.org", "name": "New", "role": "officer",
            "network": "", "password": "long-enough-password"}
    assert client.post("/users/new", data={**form, "city": other_city.slug}).status_code == 422
    assert client.post("/users/new", data={**form, "city": own_city.slug}).status_code == 302
    admin_attempt = {**form, "email": "x@example.org", "role": "admin", "city": ""}
    assert client.post("/users/new", data=admin_attempt).status_code == 422
    from tracker.auth.models import User

    emails = set(db.scalars(select(User.email)).all())
    assert "new.officer@example.org" in emails and "x@example.org" not in emails


def test_saving_again_after_a_stale_refusal_applies_on_top(  # type: ignore[no-untyped-def]
        client: FlaskClient, make_network, make_user, auth: Auth, db: Session) -> None:
    network = make_network(name="Old name")
    auth.login(make_user(Role.SECRETARIAT, network=network))
    url = f"/networks/{network.slug}/edit"
    assert client.post(url, data={"name": "First", "expected_version": 1}).status_code == 302
    stale = client.post(url, data={"name": "Second", "expected_version": 1})
    assert stale.status_code == 409 and "First" in stale.get_data(as_text=True)
    assert 'value="2"' in stale.get_data(as_text=True)
    assert client.post(url, data={"name": "Second", "expected_version": 2}).status_code == 302
    db.expire_all()
    assert network.name == "Second" and network.version == 3
