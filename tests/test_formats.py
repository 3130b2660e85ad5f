from datetime import date

import pytest

from i18n.formats import fmt_change, fmt_month, fmt_number, fmt_points, fmt_share


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (12345, "fi", "12\u00a0345"),
    (12345, "sv", "12\u00a0345"),
    (12345, "en", "12,345"),
    (None, "fi", "–"),
    ("<5", "fi", "<5"),
])
def test_fmt_number(value, lang, expected):
    assert fmt_number(value, lang) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (0.656, "fi", "66\u00a0%"),
    (0.656, "en", "66%"),
    (None, "sv", "–"),
])
def test_fmt_share(value, lang, expected):
    assert fmt_share(value, lang) == expected


def test_fmt_points_and_change():
    assert fmt_points(5.26, "fi") == "+5,3\u00a0%-yks."
    assert fmt_points(-3.0, "en") == "−3.0\u00a0pp"
    assert fmt_change(18.2, "fi") == "+18\u00a0%"
    assert fmt_change(-4, "en") == "−4%"


def test_fmt_month():
    assert fmt_month(date(2025, 3, 1), "fi") == "maaliskuu 2025"
    assert fmt_month(date(2025, 3, 1), "sv", short=True) == "mar 2025"
