"""WCAG 2.1 AA: status colours (badges, bars, spreadsheet fills) keep text readable."""

import re
from pathlib import Path

import pytest

from reporting.charts import STATUS_COLOURS
from reporting.writers import BADGE_FILLS

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", ["met", "not-met", "in-progress", "no-result",
                                  "not-assessable", "brand", "error", "muted"])
def test_css_colours_reach_aa_against_white(name):
    colour = re.search(rf"--{name}: (#[0-9a-fA-F]{{6}})", CSS).group(1)
    assert contrast(colour, "#ffffff") >= 4.5


@pytest.mark.parametrize("status", list(STATUS_COLOURS))
def test_chart_bars_carry_white_labels_at_aa(status):
    assert contrast(STATUS_COLOURS[status], "#ffffff") >= 4.5


@pytest.mark.parametrize("key", list(BADGE_FILLS))
def test_spreadsheet_status_fills_keep_black_text_at_aa(key):
    assert contrast("#" + BADGE_FILLS[key], "#000000") >= 4.5
