from datetime import date

import pytest

from queries.periods import (
    Period,
    last_complete_half_year,
    last_complete_month,
    parse_period,
    period_from_range,
)


def m(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2025", "2025-01", "2025-12"),
        ("2025H1", "2025-01", "2025-06"),
        ("2025H2", "2025-07", "2025-12"),
        ("2025h2", "2025-07", "2025-12"),
        ("2025Q1", "2025-01", "2025-03"),
        ("2025Q3", "2025-07", "2025-09"),
        ("2025Q4", "2025-10", "2025-12"),
        ("2025-03", "2025-03", "2025-03"),
        ("2025-3", "2025-03", "2025-03"),
        (" 2025-12 ", "2025-12", "2025-12"),
        ("2024-11..2025-02", "2024-11", "2025-02"),
    ],
)
def test_parse_period(text, first, last):
    assert parse_period(text) == Period(m(first), m(last))


@pytest.mark.parametrize(
    "text", ["", "25", "2025H3", "2025Q5", "2025-13", "2025-00", "H1 2025", "2025-06..2025-01", "maaliskuu"],
)
def test_parse_period_refuses_with_the_forms_it_accepts(text):
    with pytest.raises(ValueError, match="2025"):
        parse_period(text)


@pytest.mark.parametrize(
    "from_text, to_text, first, last",
    [
        ("2025-02", "2025-05", "2025-02", "2025-05"),
        ("2024-11", "2025-01", "2024-11", "2025-01"),
        ("2025Q1", "2025Q2", "2025-01", "2025-06"),
        ("2025-04", "2025-04", "2025-04", "2025-04"),
    ],
)
def test_period_from_range(from_text, to_text, first, last):
    assert period_from_range(from_text, to_text) == Period(m(first), m(last))


def test_period_from_range_refuses_a_backwards_range():
    with pytest.raises(ValueError, match="ends before it starts"):
        period_from_range("2025-05", "2025-02")


def test_period_refuses_a_day_that_is_not_the_first():
    with pytest.raises(ValueError, match="first-of-month"):
        Period(date(2025, 1, 15), date(2025, 2, 1))


@pytest.mark.parametrize(
    "text, length, months",
    [
        ("2025-03", 1, ["2025-03"]),
        ("2025Q4", 3, ["2025-10", "2025-11", "2025-12"]),
        ("2024-11..2025-02", 4, ["2024-11", "2024-12", "2025-01", "2025-02"]),
    ],
)
def test_months_and_length(text, length, months):
    period = parse_period(text)
    assert period.length == length
    assert period.months == [m(month) for month in months]


@pytest.mark.parametrize(
    "text, previous",
    [
        ("2025H1", "2024H2"),
        ("2025H2", "2025H1"),
        ("2025Q1", "2024Q4"),
        ("2025-01", "2024-12"),
        ("2025", "2024"),
        ("2025-02..2025-05", "2024-10..2025-01"),
    ],
)
def test_previous_is_the_equal_length_just_before(text, previous):
    assert parse_period(text).previous() == parse_period(previous)


@pytest.mark.parametrize(
    "text", ["2025", "2025H1", "2025H2", "2025Q2", "2025-03", "2024-11..2025-02", "2025-02..2025-05"],
)
def test_code_reads_back(text):
    assert parse_period(text).code == text
    assert parse_period(parse_period(text).code) == parse_period(text)


@pytest.mark.parametrize(
    "text, lang, label",
    [
        ("2025H1", "fi", "tammi–kesäkuu 2025"),
        ("2025H1", "sv", "januari–juni 2025"),
        ("2025H1", "en", "January–June 2025"),
        ("2025Q3", "fi", "heinä–syyskuu 2025"),
        ("2025-03", "fi", "maaliskuu 2025"),
        ("2025-03", "sv", "mars 2025"),
        ("2025-03", "en", "March 2025"),
        ("2025", "fi", "2025"),
        ("2024-11..2025-02", "fi", "marraskuu 2024 – helmikuu 2025"),
        ("2024-11..2025-02", "en", "November 2024 – February 2025"),
    ],
)
def test_label(text, lang, label):
    assert parse_period(text).label(lang) == label


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 11, 25), "2026H1"),
        (date(2026, 7, 1), "2026H1"),
        (date(2026, 6, 30), "2025H2"),
        (date(2026, 1, 1), "2025H2"),
        (date(2026, 12, 31), "2026H1"),
    ],
)
def test_last_complete_half_year(today, expected):
    assert last_complete_half_year(today) == parse_period(expected)


@pytest.mark.parametrize(
    "today, expected",
    [(date(2026, 11, 25), "2026-10"), (date(2026, 1, 1), "2025-12"), (date(2026, 3, 31), "2026-02")],
)
def test_last_complete_month(today, expected):
    assert last_complete_month(today) == parse_period(expected)


@pytest.mark.parametrize("today, last_reported, expected", [
    # the 2 December, November in: June–November, not January–June
    (date(2026, 12, 2), date(2026, 11, 1), "2026-06..2026-11"),
    # nobody has reported since September: the six months up to September
    (date(2026, 12, 2), date(2026, 9, 1), "2026-04..2026-09"),
    # a month still running is never part of it, even if someone sent it already
    (date(2026, 12, 2), date(2026, 12, 1), "2026-06..2026-11"),
    # nothing reported yet: the six complete calendar months
    (date(2026, 12, 2), None, "2026-06..2026-11"),
    (date(2026, 1, 15), date(2025, 12, 1), "2025H2"),
])
def test_the_default_period_is_the_latest_six_months_with_data(today, last_reported, expected):
    from queries.periods import default_period

    assert default_period(today, last_reported).code == expected


@pytest.mark.parametrize("end, count, expected", [
    (date(2026, 11, 1), 3, "2026-09..2026-11"), (date(2026, 11, 1), 12, "2025-12..2026-11"),
    (date(2026, 2, 1), 6, "2025-09..2026-02"),
])
def test_rolling_months(end, count, expected):
    from queries.periods import latest_months

    assert latest_months(end, count).code == expected


@pytest.mark.parametrize("code, fi, sv, en", [
    ("2026H1", "tammi–kesäkuussa 2026", "under januari–juni 2026", "in January–June 2026"),
    ("2026-11", "marraskuussa 2026", "i november 2026", "in November 2026"),
    ("2026-03", "maaliskuussa 2026", "i mars 2026", "in March 2026"),
    ("2025", "vuonna 2025", "under 2025", "in 2025"),
    ("2026Q3", "heinä–syyskuussa 2026", "under juli–september 2026", "in July–September 2026"),
    ("2025-11..2026-02", "marraskuusta 2025 helmikuuhun 2026", "från november 2025 till februari 2026",
     "from November 2025 to February 2026"),
    ("2025-06..2026-05", "kesäkuusta 2025 toukokuuhun 2026", "från juni 2025 till maj 2026",
     "from June 2025 to May 2026"),
])
def test_the_period_as_the_time_of_a_sentence(code, fi, sv, en):
    period = parse_period(code)
    assert [period.when(lang) for lang in ("fi", "sv", "en")] == [fi, sv, en]
    assert period.when_first("fi") == fi[:1].upper() + fi[1:]
    assert period.when_first("sv") == sv[:1].upper() + sv[1:]


@pytest.mark.parametrize("code, compare, expected", [
    ("2026H1", "previous", "2025H2"), ("2026H1", "year", "2025H1"),
    ("2026-06..2026-11", "previous", "2025-12..2026-05"), ("2026-06..2026-11", "year", "2025-06..2025-11"),
    ("2026-03", "year", "2025-03"), ("2026", "year", "2025"),
])
def test_the_comparison_period(code, compare, expected):
    assert parse_period(code).compared_with(compare).code == expected
