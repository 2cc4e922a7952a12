"""The plan element picker of an indicator's page: each plan's tree in reading order (parent
then children, in the plan's order), and only the current revision of a revised plan."""

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Auth, boundary
from tracker.auth.models import Role
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


def test_the_picker_lists_a_tree_once_per_plan(app: Flask, db: Session, client: FlaskClient,  # type: ignore[no-untyped-def]
                                               auth: Auth, make_city, make_user, make_plan,
                                               make_element, make_indicator) -> None:
    city = make_city()
    indicator = make_indicator(city, "IND-1")
    plan = make_plan(city, title="Plan")
    # Added breadth first, so the old depth-then-position order would read R1 R2 C1 C2 G1.
    r1 = make_element(plan, "R1")
    r2 = make_element(plan, "R2")
    c1 = make_element(plan, "C1", parent=r1)
    make_element(plan, "C2", parent=r2)
    make_element(plan, "G1", parent=c1)
    other = make_plan(city, title="Another plan")
    make_element(other, "X1")
    with boundary(app, db):
        create_revision(session=db, plan=plan, user_id=None)
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
