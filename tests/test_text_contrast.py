"""Coloured text reaches WCAG AA (4.5:1) on every background the pages put it on."""

import re

import pytest
from flask.testing import FlaskClient

from tracker.catalogue.colours import contrast
from tracker.charts.palette import PALETTE

# The page (white), its surface (striped rows, panels: --c-surface in app.css) and the report's.
BACKGROUNDS = ("#ffffff", "#f3f5f7", "#f6f8fa")


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance, worked out here independently of the tracker's helper."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ratio(text: str, background: str) -> float:
    """WCAG contrast ratio of two colours."""
    high, low = sorted((relative_luminance(text), relative_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ratio_helper_agrees_with_published_figures() -> None:
    assert ratio("#000000", "#ffffff") == pytest.approx(21)
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WebAIM's AA grey
    assert contrast("#767676", "#ffffff") == pytest.approx(ratio("#767676", "#ffffff"))


@pytest.mark.parametrize("background", BACKGROUNDS)
@pytest.mark.parametrize("status", list(PALETTE))
def test_status_text_colour_reaches_4_5_to_1(status: str, background: str) -> None:
    colour = PALETTE[status].colour
    assert ratio(colour, background) >= 4.5, f"{status} {colour} on {background}"


def test_goal_text_colours_reach_4_5_to_1(client: FlaskClient) -> None:
    css = client.get("/sdg/goal-colours.css").get_data(as_text=True)
    colours = dict(re.findall(r"\.goal-text-(\d+)\{color:(#[0-9a-f]{6})\}", css))
    assert sorted(colours, key=int) == [str(n) for n in range(1, 18)]
    for number, colour in colours.items():
        for background in BACKGROUNDS:
            assert ratio(colour, background) >= 4.5, f"goal {number} {colour} on {background}"
