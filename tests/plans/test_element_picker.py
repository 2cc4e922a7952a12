"""The plan element picker of an indicator's page: each plan's tree in reading order (parent
then children, in the plan's order), and only the current revision of a revised plan."""

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth, boundary
from tracker.auth.models import Role
from tracker.climate.adaptation_models import ClimateActionCreate
from tracker.climate.services import create_action
from tracker.plans.tree import create_revision


def picker_options(page: str) -> list[tuple[str, str]]:
    """Return (plan group, option text) of the element select, in page order."""
    select = re.search(r'<select[^>]*name="element_id".*?</select>', page, re.S)
    assert select is not None
    found, group = [], ""
    for tag, label, text in re.findall(r'<(optgroup) label="([^"]*)"|<option[^>]*>([^<]*)</',
                                       select.group(0)):
        if tag:
            group = label
        elif text.strip():
            found.append((group, text.strip()))
    return found


def options_of(page: str, field: str) -> list[str]:
    """Return the option texts of a select, in page order."""
    select = re.search(rf'<select[^>]*name="{field}".*?</select>', page, re.S)
    assert select is not None
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</", select.group(0))]


def revised_tree(app: Flask, db: Session, city, make_plan, make_element) -> None:  # type: ignore[no-untyped-def]
    """A plan added breadth first (R1 R2 C1 C2 G1), then revised, and another plan."""
    plan = make_plan(city, title="Plan")
    r1 = make_element(plan, "R1")
    r2 = make_element(plan, "R2")
    c1 = make_element(plan, "C1", parent=r1)
    make_element(plan, "C2", parent=r2)
    make_element(plan, "G1", parent=c1)
    other = make_plan(city, title="Another plan")
    make_element(other, "X1")
    with boundary(app, db):
        create_revision(session=db, plan=plan, user_id=None)


def test_the_climate_action_picker_lists_the_same_tree(app: Flask, db: Session,  # type: ignore[no-untyped-def]
                                                       client: FlaskClient, auth: Auth,
                                                       make_city, make_user, make_plan,
                                                       make_element) -> None:
    city = make_city()
    revised_tree(app, db, city, make_plan, make_element)
    auth.login(make_user(Role.OFFICER, city=city))
    page = client.get(f"/cities/{city.slug}/climate/actions/new").get_data(as_text=True)
    assert options_of(page, "element_ids") == [
        "Another plan · X1 Element X1",
        "Plan · R1 Element R1", "Plan · — C1 Element C1", "Plan · — — G1 Element G1",
        "Plan · R2 Element R2", "Plan · — C2 Element C2"]


def test_the_picker_lists_a_tree_once_per_plan(app: Flask, db: Session, client: FlaskClient,  # type: ignore[no-untyped-def]
                                               auth: Auth, make_city, make_user, make_plan,
                                               make_element, make_indicator) -> None:
    city = make_city()
    indicator = make_indicator(city, "IND-1")
    revised_tree(app, db, city, make_plan, make_element)
    auth.login(make_user(Role.OFFICER, city=city))
    page = client.get(f"/cities/{city.slug}/indicators/IND-1").get_data(as_text=True)
    options = picker_options(page)
    # By hand: plans by title ("Another plan" first), the revised plan once, its tree
    # in pre-order with one dash per level.
    assert [text for _group, text in options] == [
        "X1 · Element X1",
        "R1 · Element R1", "— C1 · Element C1", "— — G1 · Element G1",
        "R2 · Element R2", "— C2 · Element C2"]
    assert len({group for group, _text in options}) == 2
    assert indicator.code == "IND-1"


def test_an_action_keeps_its_element_of_an_older_revision(app: Flask, db: Session,  # type: ignore[no-untyped-def]
                                                         client: FlaskClient, auth: Auth,
                                                         make_city, make_user, make_plan,
                                                         make_element) -> None:
    city = make_city()
    plan = make_plan(city, title="Plan")
    old = make_element(plan, "R1")
    with boundary(app, db):
        action = create_action(session=db, city=city, user_id=None,
                               action_in=ClimateActionCreate(kind="mitigation", title="Buses",
                                                             element_ids=[old.id]))
        create_revision(session=db, plan=plan, user_id=None)
    auth.login(make_user(Role.OFFICER, city=city))
    page = client.get(f"/cities/{city.slug}/climate/actions/{action.id}/edit")
    # The revision's copy of R1 and the linked original: both offered, the original chosen.
    assert options_of(page.get_data(as_text=True), "element_ids") == [
        "Plan · R1 Element R1", "Plan · R1 Element R1"]
    assert f'<option selected value="{old.id}">' in page.get_data(as_text=True) or \
        f'value="{old.id}" selected' in page.get_data(as_text=True)
