"""Labels and flows of issue 15: one error for 150 %, count outlier ranges whole and never
below 0, "1,150,000" in the GHG form, the 413 page, one charset on CSV, bare counts, no
"(value)" reason and no "Add a Action". Each oracle is worked out by hand."""

import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import Auth
from tracker.auth.models import Role
from tracker.climate.forms import TypedCell, parse_number, read_cell
from tracker.data.quality import check_outlier, check_value
from tracker.indicators.models import Direction, LocalIndicator, UnitKind
from tracker.indicators.presenters import value_text


def indicator(kind: UnitKind, **kwargs) -> LocalIndicator:  # type: ignore[no-untyped-def]
    """An indicator that is never stored (the checks are pure)."""
    return LocalIndicator(city_id=1, code="X", name="X", unit_kind=kind,
                          direction=Direction.HIGHER, **kwargs)


@pytest.mark.usefixtures("app_ctx")
def test_150_percent_is_one_error_naming_the_field_and_the_range() -> None:
    share = indicator(UnitKind.PERCENT, natural_limit=Decimal(100))
    findings = check_value(share, Decimal(150))
    assert len(findings) == 1
    assert findings[0].message == "Value: a percentage lies between 0 and 100; 150 does not."


@pytest.mark.usefixtures("app_ctx")
def test_a_count_outlier_range_is_whole_and_never_below_zero() -> None:
    # History 1, 2, 3, 4: median 2.5, deviations 1.5, .5, .5, 1.5, MAD 1; half-width
    # 3.5 × 1 / 0.6745 = 5.189, so 2.5 ± 5.189 = −2.689 … 7.689: as counts 0 to 7.
    finding = check_outlier(Decimal(20), [Decimal(v) for v in (1, 2, 3, 4)],
                            kind=UnitKind.COUNT)
    assert finding is not None
    assert "expected range 0 to 7 " in finding.message
    # The same history in tonnes (may be negative) keeps the computed range.
    tonnes = check_outlier(Decimal(20), [Decimal(v) for v in (1, 2, 3, 4)],
                           kind=UnitKind.TCO2E)
    assert tonnes is not None and "expected range -2.69 to 7.69 " in tonnes.message


@pytest.mark.usefixtures("app_ctx")
@pytest.mark.parametrize("history", [(0, 0, 1, 0, 5), (3, 9, 27, 81), (100, 104, 98, 101),
                                     (0, 1, 0, 2, 0, 1, 30)])
def test_count_outlier_ranges_hold_whole_numbers_from_zero(history: tuple[int, ...]) -> None:
    finding = check_outlier(Decimal(10**6), [Decimal(v) for v in history], kind=UnitKind.COUNT)
    assert finding is not None
    low, high = re.search(r"expected range (\S+) to (\S+) ", finding.message).groups()  # type: ignore[union-attr]
    assert re.fullmatch(r"\d+", low) and re.fullmatch(r"\d+", high)


def test_the_ghg_form_reads_thousands_separators(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert parse_number("1,150,000") == Decimal(1150000)
        assert parse_number("1,150,000.25") == Decimal("1150000.25")
        assert parse_number("1 150 000") == Decimal(1150000)
        assert parse_number("1,5") is None  # not 15: a misplaced separator is refused
        cell, messages = read_cell(("se.residential", 1), TypedCell(value="1,5"))
        assert cell is None
        assert messages[0].endswith("Write it as 1,150,000.5 or 1150000.5.")


def test_a_too_large_upload_gets_the_error_page_naming_the_limit(
        app: Flask, client: FlaskClient) -> None:
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    page = client.post("/login", data=big, content_type="application/x-www-form-urlencoded")
    html = page.get_data(as_text=True)
    assert page.status_code == 413
    assert 'class="site-header"' in html  # the base layout
    assert "larger than the limit of 20 MB" in html
    api = client.post("/api/v1/cities", data=big, content_type="application/json")
    assert api.status_code == 413 and "20 MB" in api.get_json()["message"]


def test_csv_downloads_carry_one_charset(client: FlaskClient, auth: Auth, make_city,  # type: ignore[no-untyped-def]
                                        make_user, make_plan) -> None:
    city = make_city()
    plan = make_plan(city)
    auth.login(make_user(Role.OFFICER, city=city))
    response = client.get(f"/cities/{city.slug}/plans/{plan.id}/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.usefixtures("app_ctx")
def test_a_bare_count_reads_as_a_number() -> None:
    assert value_text(indicator(UnitKind.COUNT), Decimal(12)) == "12"
    assert value_text(indicator(UnitKind.COUNT, unit_label="households"),
                      Decimal(12)) == "12 households"
    assert value_text(indicator(UnitKind.PERCENT), Decimal("99.94")) == "99.94 %"


def test_pages_say_what_they_mean(client: FlaskClient, auth: Auth, make_city, make_user,  # type: ignore[no-untyped-def]
                                  make_indicator, make_plan, make_element) -> None:
    city = make_city()
    make_indicator(city, "HH-1", unit_kind="count", baseline_year=2020, baseline_value="12")
    plan = make_plan(city, level_names=["Action", "Step"])
    element = make_element(plan, "1")
    auth.login(make_user(Role.OFFICER, city=city))
    show = client.get(f"/cities/{city.slug}/indicators/HH-1").get_data(as_text=True)
    assert re.search(r"12\s*<span class=\"muted\">\(2020\)", show)  # "12 (2020)", no "Count"
    grid = client.get(f"/cities/{city.slug}/indicators/HH-1/data").get_data(as_text=True)
    assert "(value)" not in grid and "None: a value is given" in grid
    page = client.get(f"/cities/{city.slug}/plans/{plan.id}/elements/{element.id}")
    assert "Add a Step" not in page.get_data(as_text=True)
    assert "Add Step under 1" in page.get_data(as_text=True)
