"""The network completeness table at scale: paged, sorted and filtered by the database, with
the whole network's figures, and its CSV export of every row. 120 invented cities are built by
a rule (below); every expectation is worked out from that rule in the test, by hand, never
read back from the code under test."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session

from tests.factories import Auth
from tracker.auth.models import Role, User
from tracker.bulk.formats import XLSX_TYPE
from tracker.cities.models import City, Network, NetworkMembership
from tracker.data import completeness
from tracker.data import completeness_table as ct
from tracker.data.models import Observation, ObservationStatus, ReportingWindow
from tracker.indicators.models import Direction, LocalIndicator, UnitKind

CITIES = 120
COUNTRIES = {0: "ZA", 1: "FI", 2: "IN"}  # by i % 3: South Africa, Finland, India
COUNTRY_RANK = {"FI": 0, "IN": 1, "ZA": 2}  # Finland < India < South Africa, by name
TODAY = date(2026, 12, 6)
BASE = "/networks/big/completeness"
PERIOD = "year=2024&quarter=0"


@dataclass
class Expected:
    """What city i should show, from the rule."""

    name: str
    country: str
    due: int
    done: int
    entered: int
    approved: int
    has_window: bool

    @property
    def overdue(self) -> int:
        """Due indicators not done, once the due date (2025-03-31) has passed."""
        return self.due - self.done if self.has_window else 0

    @property
    def percent(self) -> int | None:
        """The share done, or None when nothing is due."""
        return round(100 * self.done / self.due) if self.due else None


def rule(i: int) -> Expected:
    """City i (1…120) has i % 4 annual indicators, the first min(that, i % 3) of them done
    (the first approved, the others submitted), a draft for the next one when i % 5 == 0,
    and a 2024 window (due 2025-03-31) unless i % 10 == 0."""
    due = i % 4
    done = min(due, i % 3)
    draft = 1 if i % 5 == 0 and done < due else 0
    return Expected(f"City {i:03d}", COUNTRIES[i % 3], due, done, done + draft,
                    1 if done else 0, i % 10 != 0)


EXPECTED = [rule(i) for i in range(1, CITIES + 1)]


def add_city(db: Session, network: Network, i: int) -> None:
    """Store city i as the rule says (straight into the tables: only reads are tested)."""
    e = rule(i)
    city = City(slug=f"c-{i:03d}", name=e.name, country_code=e.country, is_published=i % 7 != 0)
    db.add(city)
    db.flush()
    db.add(NetworkMembership(network_id=network.id, city_id=city.id))
    if e.has_window:
        db.add(ReportingWindow(city_id=city.id, year=2024, quarter=0,
                               opens_on=date(2025, 1, 1), due_on=date(2025, 3, 31)))
    for j in range(1, e.due + 1):
        indicator = LocalIndicator(city_id=city.id, code=f"I-{j}", name=f"Indicator {j}",
                                   unit_kind=UnitKind.COUNT, direction=Direction.HIGHER)
        db.add(indicator)
        db.flush()
        status = (ObservationStatus.APPROVED if j == 1 else ObservationStatus.SUBMITTED) \
            if j <= e.done else ObservationStatus.DRAFT if j <= e.entered else None
        if status is not None:
            db.add(Observation(indicator_id=indicator.id, year=2024, value=Decimal(j),
                               status=status))
    db.flush()


@pytest.fixture
def big(db: Session, make_network, make_user) -> tuple[Network, User]:  # type: ignore[no-untyped-def]
    """A network of 120 cities built by `rule`, and its secretariat."""
    network = make_network(slug="big", name="Big network")
    for i in range(1, CITIES + 1):
        add_city(db, network, i)
    return network, make_user(Role.SECRETARIAT, network=network)


def names_on(html: str) -> list[str]:
    """The city names of the table's rows, in order."""
    return re.findall(r'<th scope="row" class="table__strong"><a [^>]*>([^<]+)</a>', html)


def page(client: FlaskClient, query: str) -> str:
    """Fetch the table page with the period and `query`; it must answer 200."""
    response = client.get(f"{BASE}?{PERIOD}&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def by_name(rows: list[Expected]) -> list[str]:
    """Names in name order."""
    return sorted(e.name for e in rows)


def test_page_two_holds_rows_51_to_100_by_name(big, client: FlaskClient, auth: Auth) -> None:  # type: ignore[no-untyped-def]
    auth.login(big[1])
    html = page(client, "page=2")
    assert names_on(html) == [f"City {i:03d}" for i in range(51, 101)]
    assert "Page 2 of 3" in html
    assert names_on(page(client, "page=3")) == [f"City {i:03d}" for i in range(101, 121)]


@pytest.mark.parametrize(("sort", "key"), [
    ("sort=percent&dir=desc", lambda e: (e.percent is None, -(e.percent or 0), e.name)),
    ("sort=percent", lambda e: (e.percent is None, e.percent or 0, e.name)),
    ("sort=overdue&dir=desc", lambda e: (-e.overdue, e.name)),
    ("sort=country", lambda e: (COUNTRY_RANK[e.country], e.name)),
    ("sort=name&dir=desc", lambda e: tuple(-ord(c) for c in e.name)),
])
def test_sorted_pages_follow_the_hand_order(big, client: FlaskClient, auth: Auth, sort: str,  # type: ignore[no-untyped-def]
                                            key) -> None:  # type: ignore[no-untyped-def]
    auth.login(big[1])
    ordered = [e.name for e in sorted(EXPECTED, key=key)]
    assert names_on(page(client, sort)) == ordered[:50]
    assert names_on(page(client, f"{sort}&page=2")) == ordered[50:100]


@pytest.mark.parametrize(("query", "keep"), [
    ("country=FI", lambda e: e.country == "FI"),
    ("show=overdue", lambda e: e.overdue > 0),
    ("show=complete", lambda e: e.due > 0 and e.done == e.due),
    ("show=incomplete", lambda e: e.due > 0 and e.done < e.due),
    ("show=nothing_due", lambda e: e.due == 0),
    ("show=overdue&country=IN", lambda e: e.overdue > 0 and e.country == "IN"),
])
def test_each_filter_keeps_the_hand_picked_cities(big, client: FlaskClient, auth: Auth,  # type: ignore[no-untyped-def]
                                                  query: str, keep) -> None:  # type: ignore[no-untyped-def]
    auth.login(big[1])
    wanted = by_name([e for e in EXPECTED if keep(e)])
    pages = [names_on(page(client, f"{query}&page={n}")) for n in range(1, 4)]
    assert pages[0] == wanted[:50]
    if len(wanted) > 50:
        assert pages[1] == wanted[50:100]
    else:  # a page past the last shows the last
        assert pages[1] == pages[2] == wanted


def test_the_summary_adds_up_the_whole_network(big, db: Session) -> None:  # type: ignore[no-untyped-def]
    # The rule repeats every 12 cities (i % 4, i % 3), ten times over. By hand, i = 1…12:
    #   i     1 2 3 4 5 6 7 8 9 10 11 12
    #   due   1 2 3 0 1 2 3 0 1 2  3  0   → 18 per cycle, 180
    #   done  1 2 0 0 1 0 1 0 0 1  2  0   → 8 per cycle, 80; approved (done > 0): 6, 60
    #   complete (due > 0, done == due): i = 1, 2, 5 → 30; nothing due: 4, 8, 12 → 30
    # Not done (done < due): i % 12 in {3, 6, 7, 9, 10, 11}: 6 cities a cycle, 100 indicators.
    # Drafts: the multiples of 5 among those: 10 15 30 35 45 55 70 75 90 95 105 115 → 12.
    # Without a window (i = 10, 20 … 120; i % 12 = 10 8 6 4 2 0 10 8 6 4 2 0) the not-done
    # indicators are 1 0 2 0 0 0 1 0 2 0 0 0 → 6, none overdue; so 94 overdue indicators, and
    # 60 cities not done less 4 without a window (10, 30, 70, 90) → 56 cities overdue.
    summary = ct.summarise(db, big[0], ct.TableQuery(2024, 0, TODAY))
    assert summary.cities == 120 and summary.due == 180
    assert summary.submitted + summary.approved == 80 and summary.approved == 60
    assert summary.entered == 80 + 12
    assert summary.overdue == 94
    assert summary.nothing_due_cities == 30 and summary.complete_cities == 30
    assert summary.overdue_cities == 56
    assert summary.percent == round(100 * 80 / 180)


def test_the_page_shows_the_whole_networks_figures_whatever_the_filter(  # type: ignore[no-untyped-def]
        big, client: FlaskClient, auth: Auth) -> None:
    auth.login(big[1])
    html = page(client, "country=FI&show=complete")
    assert "<dt>Member cities</dt><dd>120</dd>" in html
    assert "<dt>Indicators due</dt><dd>180</dd>" in html


def test_the_rows_agree_with_the_per_city_computation(big, db: Session) -> None:  # type: ignore[no-untyped-def]
    table = ct.TableQuery(2024, 0, TODAY)
    rows = [ct.to_row(r, table) for r in db.execute(ct.table_select(big[0], table))]
    cities = [row.city for row in rows]
    for row, one in zip(rows, completeness.load_many(db, cities, 2024, 0, TODAY), strict=True):
        assert (row.due, row.entered, row.submitted, row.approved, row.overdue, row.percent,
                row.status) == (one.due, one.entered, one.count("submitted"),
                                one.count("approved"), one.overdue, one.percent, one.status)


def test_the_csv_holds_every_row(big, client: FlaskClient, auth: Auth) -> None:  # type: ignore[no-untyped-def]
    auth.login(big[1])
    response = client.get(f"{BASE}.csv?{PERIOD}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="completeness-big-2024.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [r["City"] for r in rows] == by_name(EXPECTED)
    for row, e in zip(rows, sorted(EXPECTED, key=lambda e: e.name), strict=True):
        assert (int(row["Due"]), int(row["Entered"]), int(row["Overdue"]), row["Country code"],
                row["Percent complete"]) == (e.due, e.entered, e.overdue, e.country,
                                             "" if e.percent is None else str(e.percent))
    filtered = client.get(f"{BASE}.csv?{PERIOD}&show=nothing_due").get_data().decode()
    assert len(filtered.strip().splitlines()) == 1 + 30


def test_the_default_period_is_the_overdue_one(big, client: FlaskClient, auth: Auth,  # type: ignore[no-untyped-def]
                                               db: Session) -> None:
    network, secretariat = big
    assert ct.network_default_period(db, network, TODAY) == (2024, 0)
    auth.login(secretariat)
    assert names_on(client.get(BASE).get_data(as_text=True))[:2] == ["City 001", "City 002"]


def test_the_workbook_holds_every_row_with_numbers(big, client: FlaskClient, auth: Auth) -> None:  # type: ignore[no-untyped-def]
    auth.login(big[1])
    response = client.get(f"{BASE}.xlsx?{PERIOD}&sort=overdue&dir=desc")
    assert response.status_code == 200 and response.mimetype == XLSX_TYPE
    assert "completeness-big-2024.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "City" and rows[0][12] == "Overdue"
    ordered = sorted(EXPECTED, key=lambda e: (-e.overdue, e.name))
    assert [(r[0], r[8], r[12]) for r in rows[1:]] == [(e.name, e.due, e.overdue)
                                                      for e in ordered]


WINDOWS = {  # city → [(year, quarter, opens, due)]; TODAY is 2026-12-06
    "closed and open": [(2024, 0, date(2025, 1, 1), date(2025, 3, 31)),
                        (2026, 0, date(2026, 11, 1), date(2027, 1, 31))],
    "two overdue": [(2024, 0, date(2025, 1, 1), date(2025, 6, 30)),
                    (2023, 0, date(2024, 1, 1), date(2024, 3, 31))],
    "only future": [(2027, 0, date(2027, 1, 1), date(2027, 3, 31)),
                    (2026, 0, date(2027, 2, 1), date(2027, 4, 30))],
    "none": [],
}


@pytest.mark.parametrize("case", list(WINDOWS))
def test_the_default_period_matches_the_per_city_rule(case: str, db: Session,  # type: ignore[no-untyped-def]
                                                      make_network) -> None:
    """The network's default period found in SQL equals tracker.data.completeness's, which
    loads every city's cells: the first city's 2024 value is approved (every city's in the
    first case: its 2024 window is closed, not overdue), the rest missing."""
    network = make_network()
    cities = []
    for i, start in enumerate((1, 7)):
        city = City(slug=f"d-{i}", name=f"D {i}", country_code="ZA", is_published=True,
                    fiscal_year_start_month=start)
        db.add(city)
        db.flush()
        db.add(NetworkMembership(network_id=network.id, city_id=city.id))
        indicator = LocalIndicator(city_id=city.id, code="I-1", name="Indicator 1",
                                   unit_kind=UnitKind.COUNT, direction=Direction.HIGHER)
        db.add(indicator)
        db.flush()
        if i == 0 or case == "closed and open":
            db.add(Observation(indicator_id=indicator.id, year=2024, value=Decimal(1),
                               status=ObservationStatus.APPROVED))
        for year, quarter, opens, due in WINDOWS[case]:
            db.add(ReportingWindow(city_id=city.id, year=year, quarter=quarter,
                                   opens_on=opens, due_on=due))
        cities.append(city)
    db.flush()
    expected = {"closed and open": (2026, 0), "two overdue": (2023, 0),
                "only future": (2027, 0), "none": (2026, 0)}[case]
    assert completeness.default_period(db, cities, TODAY) == expected
    assert ct.network_default_period(db, network, TODAY) == expected
