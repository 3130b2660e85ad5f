"""Reading one cell's value the data contract's way: dates and months, numbers, codes,
municipalities (shared/spec/data-contract.md, "General rules").

Parsers return the clean value or raise CellError, which carries the problem code and a
hint key (i18n/<lang>/problems.toml, section [problem_hint]) so that the message can say
how to fix the cell. They know nothing of sheets or rows; validation.py adds those.
"""

import csv
import functools
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import i18n
from data_sources import vocabulary

# Finland's municipalities, Finnish and Swedish names; where the list comes from and which
# year it describes is in municipalities.toml beside it.
MUNICIPALITIES_FILE = Path(__file__).resolve().parent / "municipalities.csv"
MUNICIPALITIES_SOURCE = MUNICIPALITIES_FILE.with_suffix(".toml")
# Stored in place of a municipality the official list does not know: what was written is
# free text (it may be anything, a person's name included), so it is never stored.
UNKNOWN_MUNICIPALITY = "?"

# Excel counts days from 1899-12-30; a bare number in a date column is such a serial
# when it falls in this century (a cell formatted as a number instead of a date).
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (36526, 73051)          # 2000-01-01 … 2099-12-31
_YEAR_RANGE = (2000, 2099)

_SPACES = "\u00a0\u202f\u2009\u2007\u2002\u2003"   # nbsp, narrow nbsp, thin, figure, en, em
_DASHES = "\u2013\u2014\u2212\u2012"                 # en dash, em dash, minus sign, figure dash
_CHECK_MARKS = {"x", "✓", "✔", "☑", "✗"}
_ZERO_MARKS = {"-", "–", "—", "−"}
_UNITS = ("h", "t", "tuntia", "tunti", "timmar", "tim", "hours", "hour", "hrs", "kpl", "st",
          "pcs", "krt", "kertaa", "hlö", "hlöä", "henkilöä", "personer")


class CellError(ValueError):
    """A cell that cannot be read: `code` is the problem code, `hint` a [problem_hint] key."""

    def __init__(self, code: str, hint: str | None = None, **params):
        super().__init__(code, hint)
        self.code = code
        self.hint = hint
        self.params = params


def is_blank(value) -> bool:
    """Empty, or only spaces (any kind of space)."""
    return value is None or (isinstance(value, str) and not _clean(value))


def cell_text(value) -> str:
    """A cell as the user sees it, for messages."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return _WHITESPACE.sub(" ", str(value)).strip()


_SPACE_TABLE = str.maketrans({c: " " for c in _SPACES})
_DASH_TABLE = str.maketrans({c: "-" for c in _DASHES})
_EN_DASH_TABLE = str.maketrans({c: "–" for c in _DASHES})
_WHITESPACE = re.compile(r"\s+")
# the text helpers below are pure functions of the cell's text, and a file repeats the same
# few texts (codes, months, municipalities) on every row: each is worked out once per file.
# The caches hold the file's texts, so intake empties them when the file's check ends
# (clear_text_caches): nothing of an upload outlives its check in this process's memory
_TEXT_CACHE = 1 << 16


@functools.lru_cache(maxsize=_TEXT_CACHE)
def _clean(text: str) -> str:
    """Unicode spaces to plain spaces, dashes to one en dash, single spaces, stripped."""
    return _WHITESPACE.sub(" ", text.translate(_SPACE_TABLE)).strip()


# ---------------------------------------------------------------------------------- dates

@functools.cache
def month_names() -> dict[str, int]:
    """Every spelling of a month name we accept (lower case) -> month number."""
    names: dict[str, int] = {}
    for lang in i18n.LANGUAGES:
        for month in range(1, 13):
            for short in (False, True):
                names[i18n.month_name(lang, month, short).casefold()] = month
    for month in range(1, 13):
        stem = i18n.month_name("fi", month, short=True).casefold()
        # Finnish inflects: maaliskuuta (14. maaliskuuta 2025), maaliskuussa, and abbreviates maalisk.
        for ending in ("kuuta", "kuussa", "kuun", "k"):
            names[stem + ending] = month
    names["sept"] = 9
    return names


def month_of_name(text) -> int | None:
    """The month a name means (`maaliskuu`, `maalis`, `mars`, `March`, `Mar.`), else None."""
    if not isinstance(text, str):
        return None
    return month_names().get(_clean(text).casefold().rstrip("."))


_QUARTER = re.compile(r"\bq\s*[1-4]\b|\b[1-4]\s*q\b|kvartal|quarter|neljännes|\b[1-4]\.?\s*nelj")
# anything left with a dash between two numbers or two words is a span of time
_RANGE = re.compile(r"\d\.?\s*[–-]\s*\d|[a-zåäö]\.?\s*[–-]\s*[a-zåäö]|\bto\b|\btill\b")


def _date_or_error(year: int, month: int, day: int = 1) -> date:
    if year < 100:
        year += 2000
    if not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
        raise CellError("bad_date", "date")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError("bad_date", "date") from None


def parse_date(value) -> date:
    """A date or month cell -> the date it names; a month form gives the month's first day.

    Dates are stored by month (the caller takes `.replace(day=1)`); the day is kept so that
    the future-date check sees the real date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or isinstance(value, time):
        raise CellError("bad_date", "date")
    if isinstance(value, (int, float)):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError("bad_date", "date")
    if is_blank(value):
        raise CellError("bad_date", "date_blank")
    return _parse_date_text(str(value))


@functools.lru_cache(maxsize=_TEXT_CACHE)
def _parse_date_text(value: str) -> date:
    text = _clean(value).casefold().translate(_EN_DASH_TABLE)
    text = text.rstrip(".")
    if _QUARTER.search(text):
        raise CellError("bad_date", "quarter")

    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    if match:
        return _date_or_error(int(match[1]), int(match[2]), int(match[3]))
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", text)
    if match:
        return _date_or_error(int(match[1]), int(match[2]))
    match = re.fullmatch(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?: \d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?", text)
    if match:
        return _date_or_error(int(match[3]), int(match[2]), int(match[1]))
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:   # as Finnish Excel writes it: day first
        return _date_or_error(int(match[3]), int(match[2]), int(match[1]))
    match = re.fullmatch(r"(\d{1,2})/(\d{4}|\d{2})|(\d{1,2})\.(\d{4})", text)
    if match:
        month, year = (match[1], match[2]) if match[1] else (match[3], match[4])
        return _date_or_error(int(year), int(month))
    named = _parse_named_date(text)
    if named:
        return named
    if _RANGE.search(text) or sum(1 for word in re.findall(r"[a-zåäö]+", text)
                                  if word in month_names()) > 1:
        raise CellError("bad_date", "range")
    raise CellError("bad_date", "date")


def _parse_named_date(text: str) -> date | None:
    """`maaliskuu 2025`, `mars 2025`, `March 2025`, `14. maaliskuuta 2025`, `March 14, 2025`."""
    words = re.findall(r"[^\s.,]+", text)
    months = [month_names()[w] for w in words if w in month_names()]
    years = [int(w) for w in words if re.fullmatch(r"\d{4}", w)]
    days = [int(w) for w in words if re.fullmatch(r"\d{1,2}", w)]
    if len(months) != 1 or len(years) != 1 or len(days) > 1 or len(words) != 2 + len(days):
        return None
    return _date_or_error(years[0], months[0], days[0] if days else 1)


def parse_year(value) -> int:
    """A `Vuosi` (År, Year) cell -> the year."""
    if isinstance(value, (datetime, date)):
        return value.year
    text = cell_text(value)
    if not re.fullmatch(r"\d{4}", text) or not _YEAR_RANGE[0] <= int(text) <= _YEAR_RANGE[1]:
        raise CellError("bad_date", "date_blank" if not text else "year")
    return int(text)


def parse_month_of_year(value) -> tuple[int, int | None]:
    """A `Kuukausi` (Månad, Month) cell next to a year column -> (month, year or None).

    The month is a number or a name; a full date or month form brings its own year.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 1 <= value <= 12:
        return int(value), None
    text = cell_text(value).casefold().rstrip(".")
    if re.fullmatch(r"\d{1,2}", text) and 1 <= int(text) <= 12:
        return int(text), None
    if month_of_name(text):
        return month_of_name(text), None
    parsed = parse_date(value)
    return parsed.month, parsed.year


def first_of_month(day: date) -> date:
    return day.replace(day=1)


# -------------------------------------------------------------------------------- numbers

_APPROXIMATE = re.compile(
    r"\?|~|≈|<|>|\+$|…|\.\.\.|\d\s*[-–]\s*\d|"
    r"^(n|noin|n\.|ca|c|cirka|ungefär|ung|approx|about|around|yli|alle|över|under|over|min|max|"
    r"vähintään|enintään|arviolta|arvio|appr|abt)\b\.?"
)
_NUMBER = re.compile(r"([+-])?(\d{1,3}(?: \d{3})+|\d+)(?:[.,](\d+))?")


# no count, hour or rating of one row is anywhere near this: a number past it is a slip (a cell
# of digits pasted in) and would not fit the warehouse's whole numbers (BIGINT) or be finite
LARGEST_NUMBER = 10**9


def _parse_number(value, *, marks_one: bool) -> float | None:
    """A number cell -> float, None when blank. Signs are kept (the caller refuses negatives)."""
    number = _parse_number_as_read(value, marks_one)
    if number is not None and not abs(number) <= LARGEST_NUMBER:   # NaN and infinity too
        raise CellError("bad_number", "too_large")
    return number


def _parse_number_as_read(value, marks_one: bool) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        return float(value) if abs(value) <= LARGEST_NUMBER else float("inf")   # float(10**400) overflows
    if isinstance(value, float):
        return value
    if isinstance(value, (date, datetime)):
        raise CellError("bad_number", "number")
    if isinstance(value, time):   # 1:30 typed into an hours column
        return value.hour + value.minute / 60
    return _parse_number_text(str(value), marks_one)


_UNIT = re.compile(r"(.*?\d)\s*(?:" + "|".join(_UNITS) + r")\.?")


@functools.lru_cache(maxsize=_TEXT_CACHE)
def _parse_number_text(value: str, marks_one: bool) -> float | None:
    text = _clean(value)
    if not text:
        return None
    text = text.translate(_DASH_TABLE).casefold()
    if text in _ZERO_MARKS:
        return 0.0
    if text in _CHECK_MARKS:
        if marks_one:
            return 1.0
        raise CellError("bad_number", "number")
    unit = _UNIT.fullmatch(text)
    if unit:
        text = unit[1]
    match = _NUMBER.fullmatch(text)
    if match:
        number = float(match[2].replace(" ", "") + ("." + match[3] if match[3] else ""))
        return -number if match[1] == "-" else number
    if _APPROXIMATE.search(text):
        raise CellError("bad_number", "approximate")
    raise CellError("bad_number", "number")


def parse_count(value, *, blank_is_one: bool = False) -> int | None:
    """A whole number ≥ 0; blank, `x` and `✓` mean 1 where the contract says "blank = 1"."""
    number = _parse_number(value, marks_one=blank_is_one)
    if number is None:
        return 1 if blank_is_one else None
    if number < 0:
        raise CellError("negative_number", "not_negative")
    if not number.is_integer():
        raise CellError("bad_number", "whole")
    return int(number)


def parse_decimal(value) -> float | None:
    """A decimal number ≥ 0 with comma or point; None when blank."""
    number = _parse_number(value, marks_one=False)
    if number is not None and number < 0:
        raise CellError("negative_number", "not_negative")
    return number


# ---------------------------------------------------------------------------------- codes

def normalise_code_text(text) -> str:
    """Lower case, `_` as a space, one kind of dash, single spaces, no trailing full stop."""
    return _normalise_code_text(str(text))


@functools.lru_cache(maxsize=_TEXT_CACHE)
def _normalise_code_text(text: str) -> str:
    text = _clean(text).casefold().replace("_", " ").translate(_DASH_TABLE)
    return _WHITESPACE.sub(" ", text).strip().rstrip(".").strip()


def _without_brackets(label: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


@functools.cache
def code_lookup(code_list: str) -> dict[str, str]:
    """Every accepted spelling of a code list's codes (normalised) -> code."""
    lookup: dict[str, str] = {}
    for code in vocabulary.CODE_LISTS[code_list]:
        spellings = {code}
        for lang in i18n.LANGUAGES:
            label = i18n.label(lang, code_list, code)
            spellings |= {label, _without_brackets(label)}
            if code_list == "attitude_stage":   # `Kysyvä` for `Kysyvä, kiinnostunut`
                spellings.add(label.split(",")[0])
        for spelling in spellings:
            lookup.setdefault(normalise_code_text(spelling), code)
    return lookup


def resolve_code(code_list: str, value) -> str | None:
    """The code a cell names (code, or fi/sv/en label), else None."""
    if is_blank(value) or not isinstance(value, str):
        return None
    return code_lookup(code_list).get(normalise_code_text(value))


def allowed_labels(code_list: str, lang: str) -> str:
    """The labels of a code list in one language, for a hint."""
    return ", ".join(_without_brackets(i18n.label(lang, code_list, code))
                     for code in vocabulary.CODE_LISTS[code_list])


_STAGE = re.compile(r"(\d+)(?:[.,]0+)?\s*(?:[-:.)]\s*)?(.*)")


def parse_attitude_stage(value) -> int:
    """An attitude stage 1–5: the number, `3.0`, `3 – Kysyvä`, the code or a label."""
    stages = {code: number for number, code in vocabulary.ATTITUDE_STAGES.items()}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in vocabulary.ATTITUDE_STAGES:
            return int(value)
        raise CellError("out_of_range", "range_limits", min=1, max=5)
    if is_blank(value):
        raise CellError("unknown_value", "allowed")
    text = normalise_code_text(value)
    match = _STAGE.fullmatch(text)
    if match:
        number = int(match[1])
        if number not in vocabulary.ATTITUDE_STAGES:
            raise CellError("out_of_range", "range_limits", min=1, max=5)
        # `3 – Epäilevä` contradicts itself: refuse rather than guess which half is right
        if match[2] and code_lookup("attitude_stage").get(match[2]) != vocabulary.ATTITUDE_STAGES[number]:
            raise CellError("unknown_value", "allowed")
        return number
    code = code_lookup("attitude_stage").get(text)
    if code is None:
        raise CellError("unknown_value", "allowed")
    return stages[code]


# -------------------------------------------------------------------------- municipalities

def _municipality_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[.:']", "", _clean(text).casefold())).strip()


@functools.cache
def municipality_lookup() -> dict[str, str]:
    """Finnish and Swedish names of Finland's municipalities (normalised) -> Finnish name."""
    lookup: dict[str, str] = {}
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            finnish = record["fi"].strip()
            for name in (finnish, record["sv"].strip()):
                if name:
                    lookup[_municipality_key(name)] = finnish
                    # `Koski Tl` is written `Koski`; `Pedersören kunta` is `Pedersöre`
                    short = re.sub(r" (tl|kunta)$", "", _municipality_key(name))
                    lookup.setdefault(short, finnish)
    return lookup


@functools.cache
def _swedish_names() -> dict[str, str]:
    """Finnish name -> Swedish name, for the municipalities that have one of their own."""
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as handle:
        return {r["fi"].strip(): r["sv"].strip() for r in csv.DictReader(handle)
                if r["sv"].strip() and r["sv"].strip() != r["fi"].strip()}


@functools.cache
def official_municipalities() -> tuple[str, ...]:
    """The Finnish names of Finland's municipalities, in alphabetical order."""
    return tuple(sorted(set(municipality_lookup().values()), key=str.casefold))


def municipality_label(name: str | None, lang: str) -> str:
    """How a stored municipality reads in `lang`: Åbo for Turku in Swedish, the localised
    "unknown municipality" for the unknown code, the Finnish name otherwise."""
    if name is None:
        return ""
    if name == UNKNOWN_MUNICIPALITY:
        return i18n.t(lang, "municipality.unknown")
    if lang == "sv":
        return _swedish_names().get(name, name)
    return name


def resolve_municipality(value) -> str | None:
    """The Finnish name of the municipality a cell names (Finnish or Swedish), else None."""
    if is_blank(value) or not isinstance(value, str):
        return None
    return _resolve_municipality_text(value)


@functools.lru_cache(maxsize=_TEXT_CACHE)
def _resolve_municipality_text(value: str) -> str | None:
    key = _municipality_key(value)
    found = municipality_lookup().get(key)
    if found is None:   # `Åbo stad`, `Porvoon kaupunki` is out of reach, `Turku kaupunki` is not
        found = municipality_lookup().get(re.sub(r" (stad|kommun|kaupunki|kunta|city)$", "", key))
    return found


def clear_text_caches() -> None:
    """Forget every cell text the helpers above saw (called when a file's check ends)."""
    for helper in (_clean, _parse_date_text, _parse_number_text, _normalise_code_text, _resolve_municipality_text):
        helper.cache_clear()
