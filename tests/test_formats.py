import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from i18n.formats import fmt_change, fmt_month, fmt_number, fmt_points, fmt_share, local_today


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


@pytest.mark.parametrize(("utc", "helsinki"), [
    (datetime(2026, 11, 30, 21, 59, tzinfo=UTC), date(2026, 11, 30)),
    (datetime(2026, 11, 30, 22, 0, tzinfo=UTC), date(2026, 12, 1)),     # EET, UTC+2: a new month
    (datetime(2026, 6, 30, 21, 0, tzinfo=UTC), date(2026, 7, 1)),       # EEST, UTC+3
    (datetime(2026, 6, 30, 20, 59, tzinfo=UTC), date(2026, 6, 30)),
])
def test_today_is_the_day_in_helsinki_whatever_the_servers_zone(utc, helsinki):
    assert local_today(utc) == helsinki


def test_no_module_asks_the_server_for_its_own_date():
    """The board pack said "made 7.12." beside "updated 8.12." on a UTC server after 22.00:
    the day is Helsinki's everywhere (tests and benchmarks may use any day they like)."""
    root = Path(__file__).resolve().parents[1]
    calls = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in ("tests", "bench", ".venv") or "site-packages" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("today", "now") and not node.args
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("date", "datetime")):
                calls.append(f"{relative}:{node.lineno}")
    assert calls == []
