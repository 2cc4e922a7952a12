"""A reviewer compares the four demo cities on Goal 11 (ranked where coverage allows, charts
titled with legends) and on Goal 6, sorts the rows by a city's score, follows a "not like for
like" marker to its explanation and exports the CSV (issues 8 and 15)."""

import csv
import io
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import Tab
from tests.browser.test_sign_in import sign_in
from tracker.demo.data import DEMO_PASSWORD

REVIEWER = "reviewer.iclei@demo.sdg-tracker.org"  # may read unpublished Bhavnagar too
CITIES = {"ethekwini": "eThekwini", "patiala-district": "Patiala District",
          "bhavnagar": "Bhavnagar", "helsinki": "Helsinki"}


def main(page: Page):  # type: ignore[no-untyped-def]
    """The page's main region."""
    return page.get_by_role("main")


def choose(page: Page, goal: str) -> None:
    """Tick the four demo cities, pick a goal and compare."""
    form = main(page).locator("form.compare-form")
    for slug in CITIES:
        form.locator(f'input[name="cities"][value="{slug}"]').check()
    form.get_by_label("Goal", exact=True).select_option(goal)
    form.get_by_role("button", name="Compare").click()


def matrix_codes(page: Page) -> list[str]:
    """The SDG indicator codes of the matrix rows, in order."""
    return page.locator("table.compare-matrix tbody tr[id^=row-] .compare-code").all_inner_texts()


def test_a_reviewer_compares_the_demo_cities(tab: Tab) -> None:
    page = tab.page
    tab.goto("/")
    sign_in(tab, REVIEWER, DEMO_PASSWORD)
    tab.goto("/compare")
    choose(page, "11")
    expect(page).to_have_url(re.compile(r"goal=11"))
    headers = page.locator("table.compare-matrix thead th").all_inner_texts()
    for name in CITIES.values():
        assert any(h.startswith(name) for h in headers), headers
    assert "11.6.1" in matrix_codes(page)
    # Goal 11 has three indicators shared alike: three cities ranked, Bhavnagar (one proxy
    # value) shown with its coverage instead of a rank.
    ranking = main(page).locator("table.compare-ranking")
    expect(ranking).to_contain_text("Not ranked — coverage 1 of 3")
    expect(ranking.locator("tbody tr").first).to_contain_text("1 Helsinki")
    expect(ranking).to_contain_text("3 of 3 indicators")
    bars = main(page).locator("figure#chart-bars")
    expect(bars.get_by_role("heading", name="Indicator scores by city")).to_be_visible()
    expect(bars.locator(".compare-legend li")).to_have_count(len(CITIES))

    choose(page, "6")  # the form keeps the cities ticked; tick again is harmless
    expect(page).to_have_url(re.compile(r"goal=6"))
    codes = matrix_codes(page)
    assert codes[:2] == ["6.1.1", "6.2.1"] and all(c.startswith("6.") for c in codes)

    # Sort the rows by Bhavnagar's scores: its scored rows come first, best first.
    main(page).get_by_role("link", name="Sort by Bhavnagar’s score").click()
    expect(page).to_have_url(re.compile(r"sort=score(%3A|:)bhavnagar"))
    headers = page.locator("table.compare-matrix thead th").all_inner_texts()
    column = next(n for n, h in enumerate(headers) if h.startswith("Bhavnagar"))  # 1-based td
    cells = page.locator(f"table.compare-matrix tbody tr[id^=row-] > td:nth-of-type({column})")
    scores = [int(m.group(1)) for text in cells.all_inner_texts()
              if (m := re.search(r"Score (\d+)", text))]
    assert scores and scores == sorted(scores, reverse=True)
    first = cells.first.inner_text()
    assert "Score" in first  # a scored row leads

    # Follow a "not like for like" marker to its explanation.
    marker = main(page).locator("a.compare-flag").first
    target = marker.get_attribute("href")
    assert target and target.startswith("#why-")
    marker.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    explanation = page.locator(target)
    expect(explanation).to_be_in_viewport()
    expect(explanation).to_contain_text("proxy")

    # Export the CSV of what is on screen.
    with page.expect_download() as download:
        main(page).get_by_role("link", name="Export CSV").click()
    data = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert {r["city"] for r in rows} == set(CITIES)
    assert {r["sdg_indicator"] for r in rows if r["sdg_indicator"]} >= {"6.1.1", "6.2.1"}
    assert any(r["goal"] == "all" and r["city"] == "bhavnagar" for r in rows)
