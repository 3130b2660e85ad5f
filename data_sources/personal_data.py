"""The personal-data guard: nothing in an upload may identify a person.

Every cell of every sheet is scanned — recognised and ignored columns, title and totals
rows, unknown sheets — and so is every other text the file carries (its comments, links,
formulas, defined names, tab names, headers and footers, text boxes, charts, document
properties: data_sources/file_texts.py) and the file's own name, for a Finnish personal
identity code (hetu), an e-mail address (also written `nimi(at)example.fi`), a Finnish
phone number, or a header naming personal data (shared/spec/data-contract.md, "What is
refused"). A finding is reported with its value masked, so the refusal itself never repeats
the personal data. A person's name or a street address in free text is a warning
(`possible_name`, `possible_address`): it cannot be told from other words for certain, and
free text is never stored.

Business IDs, IBANs, case and order numbers, postal codes, money, dates and time ranges are
set aside before phone numbers are looked for, so that their digits are not read as one.
"""

import datetime
import functools
import itertools
import re
from pathlib import Path

import i18n
from data_sources.problems import Problem
from data_sources.raw import RawSheet

HETU_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900,
                 "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}
FIRST_NAMES_FILE = Path(__file__).resolve().parent / "first_names.txt"

# --------------------------------------------------------------------------- header words
# A header is tokenised into words (letters, hyphenated parts kept together, case folded);
# it names personal data when one of its words does, by the rules of _is_personal_word.

# Words that name personal data wherever they stand in a header: the contract's words and
# their common synonyms in Finnish, Swedish and English.
PERSONAL_HEADER_WORDS = frozenset({
    "etunimi", "sukunimi", "förnamn", "efternamn", "surname", "firstname", "lastname",
    "henkilötunnus", "hetu", "sotu", "personbeteckning", "personnummer", "ssn",
    "syntymäaika", "syntymäpäivä", "syntymävuosi", "födelsedatum", "födelsedag", "födelseår",
    "birthdate", "birthday", "dob",
    "puhelin", "puh", "gsm", "kännykkä", "matkapuhelin", "telefon", "mobiltelefon", "phone",
    "telephone", "cellphone",
    "sähköposti", "s-posti", "sposti", "e-post", "email", "e-mail",
    "osoite", "adress", "address",
    "yhteyshenkilö", "yhteystieto", "yhteystiedot", "kontaktperson", "kontaktuppgifter",
    "asiakas", "klient", "kund",
})
# Beginnings of inflected forms and compounds of those words (puhelinnumerot,
# sähköpostiosoitteet, henkilötunnukset, yhteyshenkilön, telefonnummer).
PERSONAL_STEMS = (
    "puhelinnum", "puhelinnro", "sähköpost", "henkilötunnu", "syntymäai", "syntymäpäiv",
    "yhteyshenkil", "yhteystie", "matkapuhel", "kännyk", "sosiaaliturvatun", "telefonnum",
    "telefonnr", "mobilnum", "mobiltel", "personnum", "personbeteck", "födelsedat",
    "födelsedag", "kontaktpers", "kontaktuppg", "e-postadr", "phonenum", "emailadr",
    "e-mailadr", "firstname", "lastname", "birthdate",
)
# A name: personal, unless what it names is a thing ("Tapahtuman nimi", "Event name",
# "Organisationens namn"), said by the word before it ...
NAME_WORDS = frozenset({"nimi", "nimet", "namn", "namnet", "name", "names"})
NOT_PERSON_OWNERS = frozenset({
    # fi
    "organisaation", "kunnan", "tapahtuman", "koulutuksen", "hankkeen", "projektin", "ryhmän",
    "tilaisuuden", "kurssin", "toiminnan", "toimintamuodon", "palvelun", "yhdistyksen",
    "järjestön", "paikan", "sektorin", "kaupungin", "tiimin", "verkoston", "ohjelman",
    "tiedoston", "välilehden", "tuotteen", "yrityksen", "paneelin", "tehtävän", "kampanjan",
    "koulun", "sairaalan", "yksikön", "osaston", "aiheen", "teeman", "kokouksen",
    # sv
    "organisationens", "kommunens", "evenemangets", "utbildningens", "projektets", "gruppens",
    "tjänstens", "föreningens", "filens", "aktivitetens", "kursens", "skolans", "enhetens",
    "programmets", "mötets", "panelens",
    # en
    "organisation", "organization", "municipality", "event", "training", "project", "group",
    "course", "session", "service", "programme", "program", "activity", "file", "sheet",
    "company", "product", "place", "venue", "school", "unit", "department", "campaign", "task",
    "meeting", "panel",
})
# ... or by the first part of a compound (toiminimi, tapahtumanimi, evenemangsnamn, filename).
NOT_PERSON_STEMS = frozenset({
    "toimi", "tuote", "paikka", "tapahtuma", "koulutus", "hanke", "projekti", "ryhmä",
    "kurssi", "organisaatio", "yritys", "kunta", "kaupunki", "tiedosto", "tiimi", "palvelu",
    "ohjelma", "tehtävä", "paneeli", "kokous", "verkosto", "kampanja",
    "evenemang", "utbildning", "projekt", "organisation", "kommun", "företag", "grupp",
    "produkt", "fil", "kurs", "tjänst", "aktivitet", "program", "möte", "panel",
    "event", "project", "product", "group", "course", "company", "file", "sheet", "tab",
    "host", "domain", "brand", "place", "code", "re", "task", "meeting",
})
# Contact details as the last part of a compound (kotiosoite, matkapuhelin, hemadress),
# unless the first part makes it a web or network address (www-osoite, verkkolaskuosoite)
# or a service's line (tukipuhelin, jourtelefon).
CONTACT_HEADS = ("osoite", "adress", "address", "puhelin", "telefon")
NOT_CONTACT_STEMS = frozenset({
    "www", "verkko", "netti", "web", "webb", "ip", "url", "mac", "verkkolasku", "e-lasku",
    "kotisivu", "sivusto", "sivu", "e-faktura", "internet", "server", "palvelin",
    "tuki", "kriisi", "neuvonta", "päivystys", "auttava", "stöd", "jour", "hjälp", "kris",
    "help", "support", "råd",
})
# Who a column is about, and what identifies them: asiakasnumero, jäsennumero, kundnummer,
# client-id, "Client ID", "Asiakkaan numero".
PERSON_MODIFIERS = (
    "asiakas", "henkilö", "jäsen", "käyttäjä", "osallistuja", "potilas", "kund", "klient",
    "medlem", "deltagare", "deltagar", "användare", "användar", "patient", "client",
    "customer", "participant", "user",
)
PERSON_GENITIVES = frozenset({
    "asiakkaan", "henkilön", "jäsenen", "käyttäjän", "osallistujan", "potilaan", "kundens",
    "klientens", "medlemmens", "deltagarens", "client", "customer", "participant", "user",
    "patient", "contact", "mobile", "cell",
})
IDENTIFIERS = frozenset({
    "numero", "numerot", "nro", "nr", "nummer", "number", "no", "num", "id", "tunnus",
    "tunniste", "koodi", "kod", "code", "tiedot", "uppgifter", "info", "data",
})
# English words that are a person column only as the whole header ("Client", "Mobile"):
# inside a text they are ordinary words ("Pair work in client work").
WHOLE_HEADERS = frozenset({
    "client", "customer", "contact", "mobile", "mobil", "cell", "participant", "patient",
    "potilas", "mail", "kontakt",
})
# Word sequences that name personal data wherever they stand.
PERSONAL_PHRASES = (
    ("contact", "person"), ("contact", "persons"), ("date", "of", "birth"), ("birth", "date"),
    ("social", "security", "number"), ("contact", "details"), ("contact", "information"),
    ("contact", "info"), ("e", "mail"), ("mobile", "number"), ("cell", "number"),
)
# A longer text outside the header row is free text (a note, a sentence) that may mention a
# person word without being a column of personal data; a cell of the header row is a header
# however long it is.
MAX_HEADER_LENGTH = 40

_HEADER_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# ------------------------------------------------------------------- identity codes etc.
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign:
# typed or autocorrected variants of "-", read as "-" in identity codes and phone numbers;
# "_" is read as a space (file names and identifiers glue their words with it).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_NORMALISE = str.maketrans({**{dash: "-" for dash in _DASHES}, "_": " "})
# Spaces a spreadsheet or a word processor puts between digit groups: space, no-break space,
# figure space, thin space, narrow no-break space. Never a line break: texts joined line by
# line (data_sources/file_texts.py) are never read across lines.
_SPACE = "[ \u00a0\u2007\u2009\u202f]"
# An identity code may be glued to letters (`asiakas_150387-123H`, `x150387-123Hy`), but
# not to more digits; one space may stand on either side of the century sign.
_HETU = re.compile(
    rf"(?<!\d)(\d{{2}})(\d{{2}})(\d{{2}}){_SPACE}?([-+A-FU-Y]){_SPACE}?(\d{{3}})([0-9A-Y])(?!\d)",
    re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)")

# Obfuscated e-mail addresses. Top-level domains an address written with spaces or words
# must end in, so that "Kokous @ Turku. Sitten" or "Look at example dot something" is not one.
EMAIL_TLDS = (
    "fi", "ax", "se", "no", "dk", "is", "ee", "lv", "lt", "de", "eu", "uk", "fr", "nl", "es",
    "it", "pl", "ch", "at", "be", "us", "ca", "com", "net", "org", "info", "io", "nu", "me",
    "co", "biz", "edu", "gov", "int", "app", "dev", "online",
)
_LINE_SPACE = "[ \u00a0\t]"
_TLD = rf"(?:{'|'.join(EMAIL_TLDS)})(?![^\W\d_])"
_LOCAL = r"(?<![\w.%+-])[\w.%+-]+"
_STRICT_DOMAIN = r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)"
_SPACED_DOMAIN = rf"[\w-]+(?:{_LINE_SPACE}*\.{_LINE_SPACE}*[\w-]+)*{_LINE_SPACE}*\.{_LINE_SPACE}*{_TLD}"
_OPEN, _CLOSE = r"[\(\[\{<]", r"[\)\]\}>]"
_WORD_DOT = (rf"{_LINE_SPACE}*{_OPEN}{_LINE_SPACE}*(?:dot|piste|punkt){_LINE_SPACE}*{_CLOSE}{_LINE_SPACE}*"
             rf"|{_LINE_SPACE}+(?:dot|piste|punkt){_LINE_SPACE}+")
_ANY_DOT = rf"(?:{_LINE_SPACE}*\.{_LINE_SPACE}*|{_WORD_DOT})"
_WORD_DOMAIN = rf"[\w-]+(?:{_ANY_DOT}[\w-]+)*{_ANY_DOT}(?P<tld>[^\W\d_]{{2,}})(?![^\W\d_])"
# `nimi @ example.fi`, `nimi@example .fi`
_EMAIL_SPACED = re.compile(
    rf"{_LOCAL}{_LINE_SPACE}*@{_LINE_SPACE}*(?:{_STRICT_DOMAIN}|{_SPACED_DOMAIN})", re.IGNORECASE)
# `nimi(at)example.fi`, `nimi [at] example dot fi`
_EMAIL_BRACKETED = re.compile(
    rf"{_LOCAL}{_LINE_SPACE}*{_OPEN}{_LINE_SPACE}*(?:at|ät|@){_LINE_SPACE}*{_CLOSE}{_LINE_SPACE}*{_WORD_DOMAIN}",
    re.IGNORECASE)
# `nimi at example dot fi`: "at" is an English word, so this one counts only when the domain
# is spelled with a word for the dot, or the name part looks like an address's (a dot, a
# digit, `_`, `+` or `-` in it), and it ends in a known top-level domain.
_EMAIL_BARE = re.compile(
    rf"(?P<local>{_LOCAL}){_LINE_SPACE}+(?:at|ät){_LINE_SPACE}+(?P<domain>{_WORD_DOMAIN})", re.IGNORECASE)
_BARE_AT = re.compile(rf"{_LINE_SPACE}(?:at|ät){_LINE_SPACE}", re.IGNORECASE)
_WORD_DOT_ONLY = re.compile(_WORD_DOT, re.IGNORECASE)

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
# Dates and time ranges, set aside before looking for a phone number: 14.3.2025, 14.3.,
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
# Case and order numbers around a year: 0412/2026, 040-2026-17, 2026/0412.
_CASE_NUMBER = re.compile(
    rf"(?<![\d.,/-])(?:\d{{1,6}}[-/](?:19|20)\d{{2}}(?:[-/]\d{{1,6}})?|(?:19|20)\d{{2}}[-/]\d{{1,6}})"
    rf"(?!\d|[.,/-]\d|{_SPACE}\d)")
# A business ID (Y-tunnus), 1234567-8, when its check digit is right.
_BUSINESS_ID = re.compile(r"(?<![\d-])(\d{7})-(\d)(?![\d-])")
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
# An IBAN, FI21 1234 5600 0007 85, when its check digits are right.
_IBAN = re.compile(
    rf"(?<![^\W_])[A-Z]{{2}}\d{{2}}(?:{_SPACE}?[A-Z0-9]{{4}}){{2,7}}(?:{_SPACE}?[A-Z0-9]{{1,3}})?(?![^\W_])",
    re.IGNORECASE)
# A GUID (the ids Office gives sheets, tables and comments: {4E5C1B4C-0401-2345-...}) is no
# identity code and no phone number, whatever its digits happen to be.
_GUID = re.compile(r"(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
                   r"(?![0-9A-Fa-f-])")
# A mobile number typed into a number cell loses its leading zero: 401234567 is 040 123 4567.
_BARE_MOBILE = re.compile(r"\A(?:4[0-6]|50)\d{7}\Z|\A358(?:4[0-6]|50)\d{6,7}\Z")

# ------------------------------------------------------------------ names and addresses
# Street names end in one of these and are followed by a house number (Aurakatu 5 B 12).
STREET_SUFFIXES = ("katu", "tie", "kuja", "polku", "väylä", "raitti", "kaari", "rinne",
                   "gatan", "vägen", "gränd", "stigen", "backen", "allén")
_ADDRESS = re.compile(
    rf"(?<![\w-])[^\W\d_]{{2,}}(?:-[^\W\d_]+)*(?:{'|'.join(STREET_SUFFIXES)})"
    rf"{_SPACE}+\d{{1,3}}(?!\d)(?:{_SPACE}?[^\W\d_](?![^\W\d_])(?:{_SPACE}?\d{{1,3}}(?!\d))?)?(?![.,:]\d)",
    re.IGNORECASE)
# Two capitalised words side by side (Matti Meikäläinen, Anna-Liisa Virtanen-Koski), found
# overlapping; Latin letters, as the names of the list are.
_UPPER, _LOWER = "A-ZÀ-ÖØ-ÞŠŽ", "a-zß-öø-ÿšž"
_CAPITALISED = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*"
_WORD_BEFORE_NUMBER = re.compile(rf"(?<![\w-])([^\W\d_]++(?:-[^\W\d_]++)*+){_SPACE}++(?=\d)")
_NAME_PAIR = re.compile(rf"(?<![\w-])(?=({_CAPITALISED}){_SPACE}+({_CAPITALISED})(?![\w-]))")


class PersonalKind(str):
    """A personal-data kind code ("hetu", …) that formats as its localised label when the
    format spec is a language: the message `{kind:fi}` gives "henkilötunnus"."""

    def __format__(self, spec: str) -> str:
        if spec in i18n.LANGUAGES:
            return i18n.t(spec, f"personal_kind.{self}")
        return str.__format__(str(self), spec)


class PersonalDataGuard:
    """Collects the personal-data problems of one upload: its file name, its cells and its
    other texts, in that order. Each place reports each kind once; a text that repeats what
    the cells hold (a workbook's table of strings, an xls's raw records) reports only what
    no cell or other place has already reported."""

    def __init__(self):
        self.problems: list[Problem] = []
        self._seen: set[tuple[str, str]] = set()       # (kind, text as written) found so far
        self._reported: set[tuple] = set()             # (place, sheet, cell, detail, kind)
        self._cell_texts: set[str] = set()
        self._cache: dict[str, tuple] = {}
        self._headers: dict[tuple[str, bool], bool] = {}
        self._free: dict[str, tuple] = {}

    def scan_file_name(self, file_name: str) -> None:
        """A file name with an identity code, e-mail address or phone number in it."""
        name = re.split(r"[\\/]", file_name)[-1]
        for kind, found in _first_of_each_kind(_scan(name)):
            self.problems.append(_place_problem("personal_data", "file_name", kind, found))

    def scan_sheets(self, sheets: list[RawSheet],
                    recognised_headers: set[tuple[str, int, int]] | None = None) -> None:
        recognised = recognised_headers or set()
        for sheet in sheets:
            header_row = _guess_header_row(sheet.rows)
            # the header row and the recognised headers' rows are read cell by cell; in the
            # others a cell's findings depend on its value alone, so each distinct value is
            # looked at once, and only a row holding a value with findings is gone through
            special = {row - 1 for name, row, _ in recognised if name == sheet.name} | {header_row}
            # the values of the header rows too: they are read cell by cell anyway, and a value
            # flagged that only they hold sends no other row to be read so
            flagged = self._flagged_values(sheet.rows)
            indexes = range(len(sheet.rows))
            if flagged is not None and not flagged:   # nothing found outside the header rows
                indexes = sorted(index for index in special if index is not None and 0 <= index < len(sheet.rows))
            for row_index in indexes:
                row = sheet.rows[row_index]
                if row_index not in special and flagged is not None and flagged.isdisjoint(row):
                    continue
                for col_index, cell in enumerate(row):
                    if cell is None:
                        continue
                    if isinstance(cell, str):
                        findings = self._cell_findings(
                            cell, (sheet.name, row_index + 1, col_index + 1) in recognised, row_index == header_row)
                    else:
                        findings = _findings(cell, is_recognised_header=True)
                    for kind, text in findings:
                        code = WARNING_KINDS.get(kind, "personal_data")
                        self.problems.append(Problem(
                            code, sheet=sheet.name, row=row_index + 1,
                            column=_column_name(sheet.rows, header_row, row_index, col_index),
                            value=mask_value(kind, text),
                            params={"kind": PersonalKind(kind), "in_csv": sheet.is_csv},
                        ))

    def _flagged_values(self, rows) -> set | None:
        """The values of `rows` in which something is found, read as cells outside the header
        rows; None when the values cannot be told apart in a set. Equal values of different
        types (1, 1.0, True) are one there, and their findings are the same: only a whole
        number of many digits is ever found in a number."""
        try:
            values = set(itertools.chain.from_iterable(rows))
        except TypeError:
            return None
        values.discard(None)
        return {value for value in values
                if (self._cell_findings(value, False, False) if isinstance(value, str)
                    else _findings(value, is_recognised_header=True))}

    def _cell_findings(self, cell: str, is_recognised_header: bool, in_header_row: bool) -> list[tuple[str, str]]:
        """Like _findings, for a text cell, names and addresses included; a workbook repeats
        its texts (codes, municipalities), so each is looked at once. The answers are kept
        only as long as this guard, the check of one upload."""
        self._cell_texts.add(cell)
        spans = self._cache.get(cell)
        if spans is None:
            spans = self._cache[cell] = _scan(cell)
            self._seen.update(spans)
        found = _first_of_each_kind(spans)
        # outside the header row, a cell holding an identity code, e-mail address or phone
        # number is a value, reported as such: the words beside it ("sähköposti: …") do not
        # make it a header as well
        if not is_recognised_header and (in_header_row or not found):
            key = (cell, in_header_row)
            header = self._headers.get(key)
            if header is None:
                # the words of an address or a code found already are not read again as a header
                words = cell
                for _, text in spans:
                    words = words.replace(text, " ")
                header = self._headers[key] = is_personal_header(words, None if in_header_row else MAX_HEADER_LENGTH)
            if header:
                # the header is shown as written, but what else the cell holds (an address, a
                # number, a code) is shown masked there too, as it is in its own finding
                shown = cell
                for kind, text in [*spans, *_free_text_findings(cell)]:
                    shown = shown.replace(text, mask_value(kind, text))
                found.append(("header", shown.strip()))
        if not found:
            free = self._free.get(cell)
            if free is None:
                free = self._free[cell] = _free_text_findings(cell)
            found = list(free)
        return found

    def scan_texts(self, texts) -> None:
        """Texts of data_sources/file_texts.FileText (place, text, sheet, cell, detail,
        free_text, repeats_cells), as an iterable that may be read only once."""
        for text in texts:
            if text.repeats_cells and text.text in self._cell_texts:
                continue
            spans = _scan(text.text)
            if text.repeats_cells:
                spans = [(kind, found) for kind, found in spans if (kind, found) not in self._seen]
            self._seen.update(spans)
            findings = _first_of_each_kind(spans)
            if not findings and text.free_text:
                findings = _free_text_findings(text.text)
            for kind, found in findings:
                key = (text.place, text.sheet, text.cell, text.detail, kind)
                if key in self._reported:
                    continue
                self._reported.add(key)
                code = WARNING_KINDS.get(kind, "personal_data")
                self.problems.append(_place_problem(code, text.place, kind, found, sheet=text.sheet,
                                                    cell=text.cell, detail=text.detail))


# A kind found in free text that is a warning, not a refusal, and its problem code.
WARNING_KINDS = {"name": "possible_name", "address": "possible_address"}


def detect_personal_data(sheets: list[RawSheet],
                         recognised_headers: set[tuple[str, int, int]] | None = None) -> list[Problem]:
    """A personal_data error for each cell (and kind) that looks like personal data, and a
    possible_name or possible_address warning for a cell that holds a name or an address.

    `recognised_headers` holds (sheet name, row, column), 1-based as the spreadsheet shows
    them (A = 1), of the header cells the validator matched to a contract column; only the
    header-word rule spares them. A cell of the guessed header row is read as a header
    whatever its length; elsewhere only a short text is.
    """
    guard = PersonalDataGuard()
    guard.scan_sheets(sheets, recognised_headers)
    return guard.problems


def _place_problem(code: str, place: str, kind: str, found: str, *, sheet: str | None = None,
                   cell: str | None = None, detail: str | None = None) -> Problem:
    """A problem about a text outside the cells, its message naming the place in every language."""
    row, column = _split_cell(cell)
    return Problem(code, sheet=sheet, row=row, column=column, value=mask_value(kind, found), params={
        "kind": PersonalKind(kind), "place": place, "hint_key": f"{code}_place",
        "where": {lang: _where(lang, place, sheet, cell, detail) for lang in i18n.LANGUAGES},
        "fix": {lang: _fix(lang, place) for lang in i18n.LANGUAGES},
    })


def _where(lang: str, place: str, sheet: str | None, cell: str | None, detail: str | None) -> str:
    """The place of a text, as the start of a sentence: "Välilehden ”Toiminta” solun B4 kommentissa"."""
    texts = i18n.catalogue(lang)
    keys = ([f"personal_place.{place}_cell"] if cell and sheet else []) \
        + ([f"personal_place.{place}_sheet"] if sheet else []) + [f"personal_place.{place}"]
    key = next((k for k in keys if k in texts), "personal_place.other")
    if place == "properties" and detail:
        detail = texts.get(f"personal_property.{detail}", detail)
    return i18n.t(lang, key, sheet=sheet or "", cell=cell or "", detail=detail or "")


def _fix(lang: str, place: str) -> str:
    texts = i18n.catalogue(lang)
    return texts.get(f"personal_fix.{place}", texts["personal_fix.default"])


def _split_cell(cell: str | None) -> tuple[int | None, str | None]:
    """"B4" → (4, "B"); None → (None, None)."""
    match = re.fullmatch(r"([A-Z]{1,3})(\d+)", cell or "")
    return (int(match[2]), match[1]) if match else (None, None)


def _findings(cell, is_recognised_header: bool, in_header_row: bool = False,
              seen: set | None = None) -> list[tuple[str, str]]:
    """(kind, matched text) for each kind of personal data in one cell; every identity code,
    e-mail address and phone number found is added to `seen`."""
    if isinstance(cell, bool) or cell is None:
        return []
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not cell.is_integer():
            return []
        digits = str(int(cell))
        return [("phone", digits)] if _BARE_MOBILE.match(digits) else []
    if not isinstance(cell, str):
        return []  # dates, times and durations cannot hold personal data
    spans = _scan(cell)
    if seen is not None:
        seen.update(spans)
    found = _first_of_each_kind(spans)
    max_length = None if in_header_row else MAX_HEADER_LENGTH
    if not is_recognised_header and (in_header_row or not found):   # as PersonalDataGuard._cell_findings
        words = cell
        for _, text in spans:
            words = words.replace(text, " ")
        if is_personal_header(words, max_length):
            found.append(("header", cell.strip()))
    return found


def _first_of_each_kind(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first finding of each kind, in the order hetu, email, phone."""
    first = {}
    for kind, text in spans:
        first.setdefault(kind, text)
    return [(kind, first[kind]) for kind in ("hetu", "email", "phone") if kind in first]


def _scan(text: str) -> tuple[tuple[str, str], ...]:
    """(kind, text as written) of every identity code, e-mail address and phone number in a
    text. Each finding is blanked before the next kind is looked for, so that the digits of
    an identity code are not read again as a phone number."""
    digits = _digit_count(text)
    found = []
    hetus = []
    if digits >= 7 and "-" in text:
        text_as_written, text = text, _GUID.sub(lambda guid: " " * len(guid.group()), text)
    else:
        text_as_written = text
    if digits >= 9:
        searched = text.translate(_NORMALISE)   # same length: spans are spans of `text` too
        hetus = [match.span() for match in _HETU.finditer(searched) if _is_valid_hetu(match)]
        found += [("hetu", text_as_written[start:end]) for start, end in hetus]
    emails = _email_spans(_blank(text, hetus)) if _might_hold_email(text) else []
    found += [("email", text_as_written[start:end]) for start, end in emails]
    if digits >= 7:
        searched = _blank(text.translate(_NORMALISE), hetus + emails)
        found += [("phone", text_as_written[start:end]) for start, end in _phone_spans(searched)]
    return tuple(found)


def _digit_count(text: str) -> int:
    return sum(map(text.count, "0123456789"))


_AT_TOKEN = re.compile(r"[\s(\[{<][aä]t[\s)\]}>]", re.IGNORECASE)


def _might_hold_email(text: str) -> bool:
    """Whether a text has an "@", or an "at" an obfuscated address could be written with."""
    return "@" in text or _AT_TOKEN.search(text) is not None


def _blank(text: str, spans) -> str:
    """`text` with each span replaced by as many spaces."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _is_valid_hetu(match: re.Match) -> bool:
    day, month, year, sign, serial, check = match.groups()
    try:
        datetime.date(CENTURY_SIGNS[sign.upper()] + int(year), int(month), int(day))
    except ValueError:
        return False
    return HETU_CHECK_CHARS[int(day + month + year + serial) % 31] == check.upper()


def find_hetu(text: str) -> str | None:
    """The first valid Finnish personal identity code in a text (date and check character
    right), or None. Dash variants (en dash, em dash, minus) count as "-", a space may stand
    on either side of the century sign, and the code may be glued to letters; it is returned
    as written."""
    searched = text.translate(_NORMALISE)
    for match in _HETU.finditer(searched):
        if _is_valid_hetu(match):
            return text[match.start():match.end()]
    return None


def _email_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the e-mail addresses in a text, plain or obfuscated, left to right."""
    spans = []
    if "@" in text:
        spans += [match.span() for match in _EMAIL.finditer(text)]
        spans += [match.span() for match in _EMAIL_SPACED.finditer(_blank(text, spans))]
    if "(" in text or "[" in text or "{" in text or "<" in text:
        spans += [match.span() for match in _EMAIL_BRACKETED.finditer(_blank(text, spans))]
    if _BARE_AT.search(text):
        for match in _EMAIL_BARE.finditer(_blank(text, spans)):
            local, domain = match["local"], match["domain"]
            spelled = bool(_WORD_DOT_ONLY.search(domain))
            addressy = bool(re.search(r"[.\d_+-]", local)) and "." in domain
            if match["tld"].casefold() in EMAIL_TLDS and (spelled or addressy):
                spans.append(match.span())
    return sorted(spans)


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the Finnish phone numbers in a text whose identity codes and e-mail addresses
    are blanked. Dates, business IDs, IBANs and case numbers are set aside first, so that
    09.03.2025 or 0412/2026 is not read as a number in Helsinki."""
    stripped = text.strip()
    if _BARE_MOBILE.match(stripped):
        start = text.index(stripped)
        return [(start, start + len(stripped))]
    searched = _DATE.sub(lambda date: " " * len(date.group()), text)
    searched = _CASE_NUMBER.sub(lambda case: " " * len(case.group()), searched)
    searched = _blank(searched, [m.span() for m in _BUSINESS_ID.finditer(searched) if _is_business_id(m)])
    searched = _blank(searched, [m.span() for m in _IBAN.finditer(searched) if _is_iban(m.group())])
    spans = []
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
        spans.append(match.span())
    return spans


def _is_business_id(match: re.Match) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(match[1], _BUSINESS_ID_WEIGHTS))
    remainder = total % 11
    return remainder != 1 and int(match[2]) == (0 if remainder == 0 else 11 - remainder)


def _is_iban(text: str) -> bool:
    compact = re.sub(r"\s", "", text).upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def find_phone(text: str) -> str | None:
    """The first Finnish phone number in a text, as written, or None. Dates are set aside
    first, so that 09.03.2025 or 05-03-2025 is not read as a number in Helsinki or Kotka."""
    searched = text.translate(_NORMALISE)
    searched = _blank(searched, [m.span() for m in _HETU.finditer(searched) if _is_valid_hetu(m)])
    if _digit_count(text) < 7:
        return None
    for start, end in _phone_spans(searched):
        return text[start:end]
    return None


# -------------------------------------------------------------------- header words rule

def is_personal_header(text: str, max_length: int | None = MAX_HEADER_LENGTH) -> bool:
    """Whether a text cell reads like the header of a personal-data column. A text longer
    than `max_length` is taken for free text; None sets no limit (a header row's cells)."""
    stripped = " ".join(text.split())
    if not stripped or (max_length is not None and len(stripped) > max_length):
        return False
    normalised = _normalise_header(stripped)
    words = _HEADER_TOKEN.findall(normalised)
    if not words:
        return False
    if " ".join(words) in WHOLE_HEADERS or (
            len(words) == 2 and words[0] in WHOLE_HEADERS and words[1] in IDENTIFIERS):
        return True
    for length in {len(phrase) for phrase in PERSONAL_PHRASES}:
        for start in range(len(words) - length + 1):
            if tuple(words[start:start + length]) in PERSONAL_PHRASES:
                return True
    return any(_is_personal_word(word, words[index - 1] if index else None)
               for index, word in enumerate(words))


def _is_personal_word(word: str, previous: str | None) -> bool:
    """Whether one word of a header names personal data, `previous` being the word before it."""
    if word in PERSONAL_HEADER_WORDS or word.startswith(PERSONAL_STEMS):
        return True
    if word in NAME_WORDS:
        return previous not in NOT_PERSON_OWNERS
    if word in IDENTIFIERS and previous in PERSON_GENITIVES:
        return True
    for suffix in NAME_WORDS:
        if word.endswith(suffix) and len(word) > len(suffix):
            stem = word[:-len(suffix)].rstrip("-")
            if suffix.startswith("namn") and stem.endswith("s") and stem[:-1] in NOT_PERSON_STEMS:
                return False   # evenemangsnamn: Swedish joins compounds with an s
            return stem not in NOT_PERSON_STEMS
    for head in CONTACT_HEADS:
        if word.endswith(head) and len(word) > len(head):
            return word[:-len(head)].rstrip("-") not in NOT_CONTACT_STEMS
    for modifier in PERSON_MODIFIERS:
        if word.startswith(modifier) and word[len(modifier):].lstrip("-s") in IDENTIFIERS:
            return True
    parts = word.split("-")
    if len(parts) > 1:
        return any(_is_personal_word(part, parts[index - 1] if index else previous)
                   for index, part in enumerate(parts))
    return False


def _normalise_header(text: str) -> str:
    """Lower case, without a trailing unit in brackets or after a comma, or end punctuation."""
    text = re.sub(r"\s*(\([^)]*\)|,[^,]*)\s*\Z", "", text.casefold())
    return " ".join(text.strip(" .:;*").split())


# ------------------------------------------------------------------ names and addresses

@functools.cache
def first_names() -> frozenset[str]:
    """The common first names of data_sources/first_names.txt."""
    lines = FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _free_text_findings(text: str) -> tuple[tuple[str, str], ...]:
    """("name", …) for the first pair of capitalised words one of which is a common first
    name, and ("address", …) for the first street name followed by a house number."""
    found = []
    name = find_name(text)
    if name:
        found.append(("name", name))
    address = find_address(text)
    if address:
        found.append(("address", address))
    return tuple(found)


def find_address(text: str) -> str | None:
    """The first street name with a house number in a text (Aurakatu 5 B 12), or None."""
    lowered = text.lower()
    if not any(suffix in lowered for suffix in STREET_SUFFIXES):
        return None
    for candidate in _WORD_BEFORE_NUMBER.finditer(text):
        word = candidate[1].casefold()
        if word.endswith(STREET_SUFFIXES):
            address = _ADDRESS.match(text, candidate.start())
            if address:
                return address.group()
    return None


def _is_first_name(word: str, names: frozenset[str]) -> bool:
    return word in names or any(part in names for part in word.split("-"))   # Anna-Liisa


def find_name(text: str) -> str | None:
    """The first "Firstname Surname" (else "Surname Firstname") in a text, as written, or
    None: two capitalised words next to each other, one of them a common first name."""
    if len(text) < 5 or text == text.lower():
        return None
    names = first_names()
    pairs = [(match.start(1), match.end(2), match[1], match[2]) for match in _NAME_PAIR.finditer(text)]
    for first_is_name in (True, False):
        for start, end, first, second in pairs:
            if _is_first_name(first if first_is_name else second, names):
                return text[start:end]
    return None


# ------------------------------------------------------------------------------ masking

def mask_value(kind: str, text: str) -> str:
    """A finding with the identifying part hidden: `131052-****`, `m***@***`, `040 *** ****`,
    `M*** M***`, `A*** * * **`."""
    text = text.strip()
    if kind == "hetu":
        match = _HETU.search(text.translate(_NORMALISE))
        return (text[:match.start(5)] if match else text[:7]) + "****"
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
    if kind == "name":
        return " ".join(word[:1] + "***" for word in text.split())
    if kind == "address":
        street, _, number = text.partition(" ")
        return street[:1] + "***" + (" " + re.sub(r"\w", "*", number.strip()) if number else "")
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
