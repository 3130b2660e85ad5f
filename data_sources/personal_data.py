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
MAX_HEADER_LENGTH = 40

_LETTER = r"[^\W\d_]"
_HEADER_WORD = re.compile(
    rf"(?<!{_LETTER})(?:{'|'.join(map(re.escape, PERSONAL_HEADER_WORDS + PERSONAL_HEADER_COMPOUNDS))})(?!{_LETTER})",
    re.IGNORECASE,
)
_HETU = re.compile(r"(?<!\w)(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])(?!\w)", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)")

_SEP = r"[ \u00a0-]"
# Domestic: a trunk prefix (0 + area or mobile code, possibly in brackets) and 5-8 more digits
# in groups. Mobile 04x, 04xx and 050; area codes 02, 03, 05, 06, 08, 09, 013-019; service
# numbers 010, 020, 029, 030, 0700, 0800.
_DOMESTIC_PREFIX = r"0(?:4\d{1,2}|50|[235689]|1[03-9]|2[09]|30|700|800)"
_PHONE = re.compile(
    rf"(?<![\w+])"
    rf"(?:(?:\+|00)358{_SEP}?(?:\(0\){_SEP}?)?\d{{1,3}}|\({_DOMESTIC_PREFIX}\)|{_DOMESTIC_PREFIX})"
    rf"(?:{_SEP}?\d{{2,4}}){{1,4}}"
    rf"(?![\w,.]\d)(?!\w)"
)
# A date written with dashes (05-03-2025) is shaped like a phone number in Kotka (05).
_DASHED_DATE = re.compile(r"\A\d{1,2}-\d{1,2}-(?:\d{2}|\d{4})\Z")
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
    header-word rule spares them.
    """
    recognised = recognised_headers or set()
    problems = []
    for sheet in sheets:
        header_row = _guess_header_row(sheet.rows)
        for row_index, row in enumerate(sheet.rows):
            for col_index, cell in enumerate(row):
                findings = _findings(cell, (sheet.name, row_index + 1, col_index + 1) in recognised)
                for kind, text in findings:
                    problems.append(Problem(
                        "personal_data", sheet=sheet.name, row=row_index + 1,
                        column=_column_name(sheet.rows, header_row, row_index, col_index),
                        value=mask_value(kind, text), params={"kind": PersonalKind(kind)},
                    ))
    return problems


def _findings(cell, is_recognised_header: bool) -> list[tuple[str, str]]:
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
        text = _HETU.sub(" ", text)  # so that a hetu's digits are not read as a phone number
    if "@" in text:
        email = _EMAIL.search(text)
        if email:
            found.append(("email", email.group()))
            text = _EMAIL.sub(" ", text)
    phone = find_phone(text)
    if phone:
        found.append(("phone", phone))
    if not is_recognised_header and is_personal_header(cell):
        found.append(("header", cell.strip()))
    return found


def find_hetu(text: str) -> str | None:
    """The first valid Finnish personal identity code in a text (date and check character
    right), or None."""
    for match in _HETU.finditer(text):
        day, month, year, sign, serial, check = match.groups()
        century = CENTURY_SIGNS[sign.upper()]
        try:
            datetime.date(century + int(year), int(month), int(day))
        except ValueError:
            continue
        if HETU_CHECK_CHARS[int(day + month + year + serial) % 31] == check.upper():
            return match.group()
    return None


def find_phone(text: str) -> str | None:
    """The first Finnish phone number in a text, or None."""
    if sum(char.isdigit() for char in text) < 7:
        return None
    stripped = text.strip()
    if _BARE_MOBILE.match(stripped):
        return stripped
    for match in _PHONE.finditer(text):
        number = match.group()
        digits = re.sub(r"\D", "", number)
        national = digits[3:] if number.startswith("+") else digits[5:] if number.startswith("00") else digits[1:]
        if not 6 <= len(national) <= 10 or _DASHED_DATE.match(number):
            continue
        return number
    return None


def is_personal_header(text: str) -> bool:
    """Whether a short text cell reads like the header of a personal-data column."""
    stripped = " ".join(text.split())
    if not stripped or len(stripped) > MAX_HEADER_LENGTH:
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
