"""WCAG 2.1 contrast of everything a chart draws (1.4.11: marks 3:1 against the background;
1.4.3: text 4.5:1), computed from the theme's own constants; and every colour literal in
charts/ is one of them, so a new colour cannot slip in unchecked."""

import re
from pathlib import Path

import pytest

import charts
from charts import attitudes, completeness, demand
from ui import context as frame

ROOT = Path(__file__).resolve().parents[1]


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of '#rrggbb'."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("a, b, ratio", [
    ("#000000", "#FFFFFF", 21.0), ("#FFFFFF", "#FFFFFF", 1.0), ("#767676", "#FFFFFF", 4.54),
    ("#777777", "#FFFFFF", 4.48), ("#E69F00", "#FFFFFF", 2.25),   # Okabe–Ito orange: too light on white
])
def test_the_contrast_ratio_is_computed_as_wcag_defines_it(a, b, ratio):
    assert round(contrast(a, b), 2) == ratio


MARKS = {
    **{f"palette {i}": c for i, c in enumerate(charts.PALETTE)},
    **{f"stage {i + 1}": c for i, c in enumerate(charts.STAGE_COLOURS)},
    **{f"status {i}": c for i, c in enumerate(demand.STATUS_COLOURS)},
    **{f"capacity {i}": c for i, c in enumerate(demand.CAPACITY_COLOURS)},
    "white spot": demand.WHITE_SPOT,
    "before/after line": attitudes.CONNECTOR,
    **{f"reporting {state}": c for state, c in completeness.STATE_COLOURS.items() if state != "not_expected"},
}
TEXTS = {**{f"text {name}": c for name, c in charts.TEXT_COLOURS.items()},
         "caption (our style rule)": frame.CAPTION_COLOUR}


@pytest.mark.parametrize("name", MARKS)
def test_every_mark_colour_has_3_to_1_against_the_background(name):
    assert contrast(MARKS[name], charts.BACKGROUND) >= 3.0, name


@pytest.mark.parametrize("name", TEXTS)
def test_every_text_colour_has_4_5_to_1_against_the_background(name):
    assert contrast(TEXTS[name], charts.BACKGROUND) >= 4.5, name


@pytest.mark.parametrize("state", ["reported", "missing", "locked"])
def test_the_symbol_on_a_reporting_cell_reads_at_4_5_to_1(state):
    assert completeness.STATE_MARKS[state]
    assert contrast(completeness.SYMBOL_COLOUR, completeness.STATE_COLOURS[state]) >= 4.5


def test_quiet_fills_carry_a_readable_symbol_or_nothing_at_all():
    # the two fills paler than 3:1: a reached cell says so by its ● (readable on the fill);
    # a month not expected of an organisation holds nothing to read
    assert contrast(demand.SYMBOL_COLOUR, demand.REACHED) >= 4.5
    assert contrast(demand.SYMBOL_COLOUR, demand.WHITE_SPOT) >= 4.5
    assert completeness.STATE_MARKS["not_expected"] == ""


def test_stacked_parts_are_parted_by_the_background():
    assert charts.SEPARATOR == {"stroke": charts.BACKGROUND, "strokeWidth": 1}


def test_the_app_theme_colour_carries_white_button_text():
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    primary = re.search(r'primaryColor\s*=\s*"(#[0-9A-Fa-f]{6})"', config).group(1)
    assert contrast(primary, "#FFFFFF") >= 4.5


def test_every_colour_in_the_chart_code_is_one_of_the_checked_ones():
    checked = {c.upper() for c in [*MARKS.values(), *TEXTS.values(), charts.BACKGROUND, charts.GRID_COLOUR,
                                   demand.REACHED, demand.SYMBOL_COLOUR, completeness.SYMBOL_COLOUR,
                                   completeness.STATE_COLOURS["not_expected"]]}
    written = {m.upper() for path in (ROOT / "charts").glob("*.py")
               for m in re.findall(r'"(#[0-9A-Fa-f]{3,8})"', path.read_text())}
    assert written and written <= checked, written - checked
    # and no colour is named in words (which would escape the check above)
    for path in (ROOT / "charts").glob("*.py"):
        assert not re.search(r'(color|stroke|fill)="(white|black|gr[ae]y|red|orange|blue)"', path.read_text()), path
