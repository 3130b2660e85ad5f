"""The personal-data guard: nothing in an upload may identify a person.

Every cell of every sheet is scanned — recognised and ignored columns, title and totals
rows, unknown sheets — for a Finnish personal identity code (hetu), an email address, a
Finnish phone number, or a header naming personal data (shared/spec/data-contract.md,
"What is refused"). A finding is reported with its value masked, so the refusal itself
never repeats the personal data.
"""

import datetime
import re

import i18n
from data_sources.problems import Problem
from data_sources.raw import RawSheet

HETU_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900,
                 "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}

# The contract's words; a header holding one as a whole word (case-insensitive) is refused.
PERSONAL_HEADER_WORDS = (
    "nimi", "etunimi", "sukunimi", "namn", "förnamn", "efternamn", "name", "surname",
    "henkilötunnus", "hetu", "personbeteckning", "syntymäaika", "födelsedatum", "puhelin",
    "puh", "telefon", "phone", "sähköposti", "e-post", "email", "osoite", "adress", "address",
)
# Common compounds of those words, which a whole-word rule would miss; the contract says to
# refuse what looks like personal data, so these are refused too.
PERSONAL_HEADER_COMPOUNDS = (
    "puhelinnumero", "puhnro", "matkapuhelin", "sähköpostiosoite", "sposti", "kotiosoite",
    "lähiosoite", "katuosoite", "postiosoite", "syntymäpäivä", "telefonnummer",
    "mobilnummer", "e-postadress", "personnummer", "födelsedag", "e-mail", "phonenumber",
    "firstname", "lastname", "birthdate",
)
# Recognised aliases of Organisaatio and Kunta in the three languages: names of an
# organisation or a municipality, not of a person.
ALLOWED_HEADERS = frozenset({
    "organisaation nimi", "kunnan nimi", "organisationens namn", "kommunens namn",
    "organisation name", "municipality name",
})
# A longer text outside the header row is free text (a note, a sentence) that may mention a
# person word without being a column of personal data; a cell of the header row is a header
# however long it is.
MAX_HEADER_LENGTH = 40

_LETTER = r"[^\W\d_]"
_HEADER_WORD = re.compile(
    rf"(?<!{_LETTER})(?:{'|'.join(map(re.escape, PERSONAL_HEADER_WORDS + PERSONAL_HEADER_COMPOUNDS))})(?!{_LETTER})",
    re.IGNORECASE,
)
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign:
# typed or autocorrected variants of "-", read as "-" in identity codes and phone numbers.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_TO_HYPHEN = str.maketrans({dash: "-" for dash in _DASHES})
_HETU = re.compile(r"(?<!\w)(\d{2})(\d{2})(\d{2}) ?([-+A-FU-Y])(\d{3})([0-9A-Y])(?!\w)", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)")

# Spaces a spreadsheet or a word processor puts between digit groups: space, no-break space,
# figure space, thin space, narrow no-break space.
_SPACE = "[ \u00a0\u2007\u2009\u202f]"
# Between digit groups: a space, "/" or "." alone, or a dash (any of them, read after the text
# is normalised to "-") with or without spaces around it.
_SEP = rf"(?:{_SPACE}?-{_SPACE}?|{_SPACE}?/{_SPACE}?|[.]|{_SPACE})"
# Domestic: a trunk prefix (0 + area or mobile code, possibly in brackets) and 5-8 more digits
# in groups. Mobile 04x, 04xx and 050; area codes 02, 03, 05, 06, 08, 09, 013-019; service
# numbers 010, 020, 029, 030, 0700, 0800.
_NATIONAL_CODE = r"(?:4\d{1,2}|50|[235689]|1[03-9]|2[09]|30|700|800)"
_DOMESTIC_PREFIX = rf"0{_NATIONAL_CODE}"
_PHONE = re.compile(
    rf"(?<![\w+])(?<!\d[.,/])"
    rf"(?:(?:\+|00)358{_SEP}?(?:\(0\){_SEP}?)?\d{{1,3}}"
    rf"|358{_SEP}?(?:\(0\){_SEP}?)?{_NATIONAL_CODE}"   # the country code without "+"
    rf"|\({_DOMESTIC_PREFIX}\)|{_DOMESTIC_PREFIX})"
    rf"(?:{_SEP}?\d{{2,4}}){{1,4}}"
    rf"(?![\w,.]\d)(?!\w)"
)
# "358 500 000" without "+" is a sum of money or a count grouped in thousands, not a number.
_THOUSANDS = re.compile(rf"\A\d{{1,3}}(?:(?:{_SPACE}|[.])\d{{3}})+\Z")
# Dates and time ranges, masked before looking for a phone number: 14.3.2025, 14.3.,
# 01.–03.2025, 3/2025, 3/25, 05–10/2025, 09.30–11.00, 14/3/2025 and 05-03-2025 (shaped like
# a number in Kotka, 05). ISO dates (2025-03-14) have no leading zero to start a number.
_DAY_OR_MONTH = r"(?:0?[1-9]|[12]\d|3[01])"
_TIME = r"(?:[01]?\d|2[0-3])[.:][0-5]\d"
_DATE = re.compile(
    rf"(?<![\d.,/-])(?:"
    rf"{_DAY_OR_MONTH}\.{_SPACE}?(?:-{_SPACE}?{_DAY_OR_MONTH}\.{_SPACE}?)?{_DAY_OR_MONTH}\.(?:{_SPACE}?(?:\d{{4}}|\d{{2}}))?"
    rf"|{_DAY_OR_MONTH}\.{_SPACE}?-{_SPACE}?{_DAY_OR_MONTH}\.(?:\d{{4}}|\d{{2}})"
    rf"|{_DAY_OR_MONTH}([-/]){_DAY_OR_MONTH}\1(?:\d{{4}}|\d{{2}})"
    rf"|{_DAY_OR_MONTH}(?:{_SPACE}?-{_SPACE}?{_DAY_OR_MONTH})?/(?:(?:19|20)\d{{2}}|\d{{2}})"
    rf"|{_TIME}{_SPACE}?-{_SPACE}?{_TIME}"
    rf")(?![\d.,/-]\d|\d)"
)
# A mobile number typed into a number cell loses its leading zero: 401234567 is 040 123 4567.
_BARE_MOBILE = re.compile(r"\A(?:4[0-6]|50)\d{7}\Z|\A358(?:4[0-6]|50)\d{6,7}\Z")


class PersonalKind(str):
    """A personal-data kind code ("hetu", …) that formats as its localised label when the
    format spec is a language: the message `{kind:fi}` gives "henkilötunnus"."""

    def __format__(self, spec: str) -> str:
        if spec in i18n.LANGUAGES:
            return i18n.t(spec, f"personal_kind.{self}")
        return str.__format__(str(self), spec)


def detect_personal_data(sheets: list[RawSheet],
                         recognised_headers: set[tuple[str, int, int]] | None = None) -> list[Problem]:
    """A personal_data error for each cell (and kind) that looks like personal data.

    `recognised_headers` holds (sheet name, row, column), 1-based as the spreadsheet shows
    them (A = 1), of the header cells the validator matched to a contract column; only the
    header-word rule spares them. A cell of the guessed header row is read as a header
    whatever its length; elsewhere only a short text is.
    """
    recognised = recognised_headers or set()
    problems = []
    for sheet in sheets:
        header_row = _guess_header_row(sheet.rows)
        for row_index, row in enumerate(sheet.rows):
            for col_index, cell in enumerate(row):
                findings = _findings(cell, (sheet.name, row_index + 1, col_index + 1) in recognised,
                                     in_header_row=row_index == header_row)
                for kind, text in findings:
                    problems.append(Problem(
                        "personal_data", sheet=sheet.name, row=row_index + 1,
                        column=_column_name(sheet.rows, header_row, row_index, col_index),
                        value=mask_value(kind, text), params={"kind": PersonalKind(kind)},
                    ))
    return problems


def _findings(cell, is_recognised_header: bool, in_header_row: bool = False) -> list[tuple[str, str]]:
    """(kind, matched text) for each kind of personal data in one cell."""
    if isinstance(cell, bool) or cell is None:
        return []
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not cell.is_integer():
            return []
        digits = str(int(cell))
        return [("phone", digits)] if _BARE_MOBILE.match(digits) else []
    if not isinstance(cell, str):
        return []  # dates, times and durations cannot hold personal data
    found = []
    text = cell
    hetu = find_hetu(text)
    if hetu:
        found.append(("hetu", hetu))
        # blank every hetu-shaped code, so that its digits are not read as a phone number
        for match in _HETU.finditer(text.translate(_TO_HYPHEN)):
            text = text[:match.start()] + " " * len(match.group()) + text[match.end():]
    if "@" in text:
        email = _EMAIL.search(text)
        if email:
            found.append(("email", email.group()))
            text = _EMAIL.sub(" ", text)
    phone = find_phone(text)
    if phone:
        found.append(("phone", phone))
    max_length = None if in_header_row else MAX_HEADER_LENGTH
    if not is_recognised_header and is_personal_header(cell, max_length):
        found.append(("header", cell.strip()))
    return found


def find_hetu(text: str) -> str | None:
    """The first valid Finnish personal identity code in a text (date and check character
    right), or None. Dash variants (en dash, em dash, minus) count as "-", and a space may
    stand before the century sign; the code is returned as written."""
    for match in _HETU.finditer(text.translate(_TO_HYPHEN)):
        day, month, year, sign, serial, check = match.groups()
        century = CENTURY_SIGNS[sign.upper()]
        try:
            datetime.date(century + int(year), int(month), int(day))
        except ValueError:
            continue
        if HETU_CHECK_CHARS[int(day + month + year + serial) % 31] == check.upper():
            return text[match.start():match.end()]
    return None


def find_phone(text: str) -> str | None:
    """The first Finnish phone number in a text, as written, or None. Dates are set aside
    first, so that 09.03.2025 or 05-03-2025 is not read as a number in Helsinki or Kotka."""
    if sum(char.isdigit() for char in text) < 7:
        return None
    stripped = text.strip()
    if _BARE_MOBILE.match(stripped):
        return stripped
    # Same length as the text, so a match's span is also the span in the text as written.
    searched = _DATE.sub(lambda date: " " * len(date.group()), text.translate(_TO_HYPHEN))
    for match in _PHONE.finditer(searched):
        number = match.group()
        digits = re.sub(r"\D", "", number)
        if number.startswith("+") or number.startswith("358"):
            national = digits[3:]
        elif number.startswith("00"):
            national = digits[5:]
        else:
            national = digits[1:]
        if not 6 <= len(national) <= 10:
            continue
        if number.startswith("358") and (len(national) < 7 or _THOUSANDS.match(number)):
            continue
        return text[match.start():match.end()]
    return None


def is_personal_header(text: str, max_length: int | None = MAX_HEADER_LENGTH) -> bool:
    """Whether a text cell reads like the header of a personal-data column. A text longer
    than `max_length` is taken for free text; None sets no limit (a header row's cells)."""
    stripped = " ".join(text.split())
    if not stripped or (max_length is not None and len(stripped) > max_length):
        return False
    if _normalise_header(stripped) in ALLOWED_HEADERS:
        return False
    return bool(_HEADER_WORD.search(stripped))


def _normalise_header(text: str) -> str:
    """Lower case, without a trailing unit in brackets or after a comma, or end punctuation."""
    text = re.sub(r"\s*(\([^)]*\)|,[^,]*)\s*\Z", "", text.casefold())
    return " ".join(text.strip(" .:;*").split())


def mask_value(kind: str, text: str) -> str:
    """A finding with the identifying part hidden: `131052-****`, `m***@***`, `040 *** ****`."""
    text = text.strip()
    if kind == "hetu":
        return text[:7] + "****"
    if kind == "email":
        return text[:1] + "***@***"
    if kind == "phone":
        kept, masked = 0, []
        for char in text:
            if char.isdigit():
                kept += 1
                masked.append(char if kept <= 3 else "*")
            else:
                masked.append(char)
        return "".join(masked)
    return text[:MAX_HEADER_LENGTH]  # a header names a column; it identifies no one


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _guess_header_row(rows: list[list]) -> int | None:
    """The 0-based index of the first row with two or more cells, all of them text: above
    it are title rows, below it data."""
    for index, row in enumerate(rows[:50]):
        cells = [cell for cell in row if cell is not None]
        if len(cells) >= 2 and all(isinstance(cell, str) for cell in cells):
            return index
    return None


def _column_name(rows: list[list], header_row: int | None, row_index: int, col_index: int) -> str:
    if header_row is not None and row_index > header_row:
        header = rows[header_row][col_index] if col_index < len(rows[header_row]) else None
        if isinstance(header, str) and header.strip():
            return " ".join(header.split())
    return column_letter(col_index)


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, text as written) of the identity codes, e-mail addresses and phone numbers in
    a text (the header rule aside), for masking them wherever a text is shown again."""
    return _findings(text, is_recognised_header=True)
