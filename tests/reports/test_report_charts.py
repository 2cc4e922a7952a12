"""The compact print trend chart: nice value ticks, every value escaped, deterministic."""

from typing import Any

import pytest

from tracker.reports.charts import print_trend


def indicator(**changes: Any) -> dict[str, Any]:
    """An indicator as the report data holds it."""
    data = {"id": 7, "code": "K-1", "name": "Water <b>&</b>",
            "series": {"": [[2015, 10.0], [2016, 11.0], [2017, None], [2018, 14.0], [2019, 15.0]]},
            "targets": [{"year": 2030, "value": 30.0, "label": "t"}],
            "baseline_year": 2015, "baseline_value": 10.0, "projection": [2030, 24.0]}
    return {**data, **changes}


@pytest.mark.usefixtures("app_ctx")
def test_the_print_trend_draws_series_targets_and_nice_value_ticks() -> None:
    svg = str(print_trend(indicator(), "x-"))
    # Values 10 … 30 from zero: step 10 gives ticks 0, 10, 20, 30 (step 5 would need 7),
    # plus the first and last year.
    assert svg.startswith("<svg") and svg.count("<text") == 6
    assert all(f">{tick}<" in svg for tick in (0, 10, 20, 30))
    assert "Water &lt;b&gt;&amp;&lt;/b&gt;" in svg and "<b>" not in svg
    assert ">2015<" in svg and ">2030<" in svg and ">30<" in svg
    line = 'fill="none" stroke="#0b3a5d" stroke-width="2"'
    assert svg.count(line) == 2  # the gap in 2017 breaks the line in two
    assert 'stroke-dasharray="4 3"' in svg and 'stroke-dasharray="2 3"' in svg
    assert print_trend(indicator(), "x-") == print_trend(indicator(), "x-")


@pytest.mark.usefixtures("app_ctx")
def test_the_print_trend_of_an_empty_indicator_is_a_titled_frame() -> None:
    svg = str(print_trend(indicator(series={"": []}, targets=[], baseline_year=None,
                                    baseline_value=None, projection=None), "y-"))
    assert "No counted value." in svg and "<text" not in svg
