"""Reporting periods: whole months from `from_month` to `to_month`, both included.

Written `2025` (year), `2025H1`/`2025H2` (half), `2025Q3` (quarter), `2025-03` (month)
or `2025-01..2025-05` (any month range, the form `Period.code` gives for ranges).
"""

import re
from dataclasses import dataclass
from datetime import date

from i18n import month_name

_YEAR = re.compile(r"(\d{4})")
_HALF = re.compile(r"(\d{4})\s*H([12])", re.IGNORECASE)
_QUARTER = re.compile(r"(\d{4})\s*Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_RANGE = re.compile(r"(.+?)\s*\.\.\s*(.+)")
_FORMS = "2025, 2025H1, 2025Q3, 2025-03 or 2025-01..2025-05"


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    from_month: date
    to_month: date

    def __post_init__(self):
        for month in (self.from_month, self.to_month):
            if not isinstance(month, date) or month.day != 1:
                raise ValueError(f"a period's months are first-of-month dates, not {month!r}")
        if self.from_month > self.to_month:
            raise ValueError(
                f"a period cannot end ({self.to_month:%Y-%m}) before it starts ({self.from_month:%Y-%m})"
            )

    @property
    def length(self) -> int:
        """Number of months."""
        return (self.to_month.year - self.from_month.year) * 12 + self.to_month.month - self.from_month.month + 1

    @property
    def months(self) -> list[date]:
        return [add_months(self.from_month, i) for i in range(self.length)]

    def year_earlier(self) -> "Period":
        """The same months a year earlier (the year-over-year comparison)."""
        return Period(add_months(self.from_month, -12), add_months(self.to_month, -12))

    def compared_with(self, compare: str) -> "Period":
        """The comparison period: "previous" (of equal length, just before) or "year"."""
        return self.year_earlier() if compare == "year" else self.previous()

    def previous(self) -> "Period":
        """The period of equal length just before this one (the default comparison)."""
        return Period(add_months(self.from_month, -self.length), add_months(self.from_month, -1))

    @property
    def code(self) -> str:
        """The shortest text `parse_period` reads back as this period (for URLs and the CLI)."""
        start, end = self.from_month, self.to_month
        if start.year == end.year:
            if self.length == 12:
                return f"{start.year}"
            if self.length == 6 and start.month in (1, 7):
                return f"{start.year}H{1 if start.month == 1 else 2}"
            if self.length == 3 and start.month in (1, 4, 7, 10):
                return f"{start.year}Q{(start.month - 1) // 3 + 1}"
        if self.length == 1:
            return f"{start:%Y-%m}"
        return f"{start:%Y-%m}..{end:%Y-%m}"

    def label(self, lang: str) -> str:
        """Human text: fi "tammi–kesäkuu 2025", sv "januari–juni 2025", en "January–June 2025"."""
        start, end = self.from_month, self.to_month
        if self.length == 1:
            return f"{month_name(lang, start.month)} {start.year}"
        if start.year == end.year and self.length == 12:
            return f"{start.year}"
        if start.year == end.year:
            # Finnish joins the first half of a compound: "tammi–kesäkuu"
            first = month_name(lang, start.month, short=(lang == "fi"))
            return f"{first}–{month_name(lang, end.month)} {end.year}"
        return (
            f"{month_name(lang, start.month)} {start.year} – "
            f"{month_name(lang, end.month)} {end.year}"
        )

    def when(self, lang: str) -> str:
        """The period as the time of a sentence, in the case the language needs there:
        fi "tammi–kesäkuussa 2026", "marraskuussa 2026", "vuonna 2025",
           "marraskuusta 2025 helmikuuhun 2026";
        sv "under januari–juni 2026", "i november 2026", "under 2025",
           "från november 2025 till februari 2026";
        en "in January–June 2026", "in November 2026", "in 2025",
           "from November 2025 to February 2026"."""
        start, end = self.from_month, self.to_month
        name = lambda m, short=False: month_name(lang, m.month, short=short)  # noqa: E731
        if start.year == end.year and self.length == 12:
            return {"fi": f"vuonna {start.year}", "sv": f"under {start.year}"}.get(lang, f"in {start.year}")
        if self.length == 1:
            # every Finnish month name ends in -kuu: the inessive adds -ssa (marraskuussa)
            return {"fi": f"{name(start)}ssa {start.year}",
                    "sv": f"i {name(start)} {start.year}"}.get(lang, f"in {name(start)} {start.year}")
        if start.year == end.year:
            return {"fi": f"{name(start, short=True)}–{name(end)}ssa {end.year}",
                    "sv": f"under {name(start)}–{name(end)} {end.year}"}.get(
                        lang, f"in {name(start)}–{name(end)} {end.year}")
        # across a year's end: fi elative to illative (marraskuusta … helmikuuhun)
        return {"fi": f"{name(start)}sta {start.year} {name(end)}hun {end.year}",
                "sv": f"från {name(start)} {start.year} till {name(end)} {end.year}"}.get(
                    lang, f"from {name(start)} {start.year} to {name(end)} {end.year}")

    def when_first(self, lang: str) -> str:
        """`when` to begin a sentence with (Tammi–kesäkuussa 2026, Under 2025, In November 2026)."""
        text = self.when(lang)
        return text[:1].upper() + text[1:]

    def __str__(self) -> str:
        return self.code


def _month(year: str, month: str) -> date:
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month {month} is not 1–12")
    return date(int(year), int(month), 1)


def parse_period(text: str) -> Period:
    """`2025`, `2025H1`, `2025Q3`, `2025-03` or `2025-01..2025-05` as a Period."""
    if not isinstance(text, str):
        raise ValueError(f"a period is text like {_FORMS}, not {text!r}")
    value = text.strip()
    if match := _RANGE.fullmatch(value):
        return period_from_range(match.group(1), match.group(2))
    if match := _YEAR.fullmatch(value):
        year = int(match.group(1))
        return Period(date(year, 1, 1), date(year, 12, 1))
    if match := _HALF.fullmatch(value):
        start = date(int(match.group(1)), 1 if match.group(2) == "1" else 7, 1)
        return Period(start, add_months(start, 5))
    if match := _QUARTER.fullmatch(value):
        start = date(int(match.group(1)), (int(match.group(2)) - 1) * 3 + 1, 1)
        return Period(start, add_months(start, 2))
    if match := _MONTH.fullmatch(value):
        try:
            month = _month(match.group(1), match.group(2))
        except ValueError as error:
            raise ValueError(f"period {text!r}: {error}") from None
        return Period(month, month)
    raise ValueError(f"period {text!r} is not understood; write it as {_FORMS}")


def period_from_range(from_text: str, to_text: str) -> Period:
    """From the start of `from_text` to the end of `to_text` (each any period form: `--from 2025-02 --to 2025Q3`)."""
    start, end = parse_period(from_text), parse_period(to_text)
    if start.from_month > end.to_month:
        raise ValueError(f"the range {from_text!r} – {to_text!r} ends before it starts")
    return Period(start.from_month, end.to_month)


def last_complete_month(today: date) -> Period:
    """The month before `today`'s month."""
    month = add_months(date(today.year, today.month, 1), -1)
    return Period(month, month)


def last_complete_half_year(today: date) -> Period:
    """The most recent half-year that has fully ended by `today` (on 2026-11-25: 2026H1)."""
    if today.month >= 7:
        return parse_period(f"{today.year}H1")
    return parse_period(f"{today.year - 1}H2")


# the rolling periods a viewer can pick, by their URL key: the latest N months with data
ROLLING = {"last6": 6, "last3": 3, "last12": 12}


def latest_months(end: date, count: int) -> Period:
    """The `count` months up to and including `end`."""
    return Period(add_months(end, -(count - 1)), end)


def data_end(today: date, last_reported: date | None) -> date:
    """The last month a period may reach: the last month any organisation has reported, never
    past the last complete calendar month (and that month when nothing is reported yet)."""
    last = last_complete_month(today).to_month
    return min(last_reported, last) if last_reported else last


def default_period(today: date, last_reported: date | None) -> Period:
    """The latest six complete months up to the last month any organisation has reported (on
    2 December 2026 with November in: June–November 2026)."""
    return latest_months(data_end(today, last_reported), ROLLING["last6"])
