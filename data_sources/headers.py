"""Which sheet a tab is and which contract column each header cell means.

Headers are matched after `normalise_header` against the contract's headers in Finnish,
Swedish and English (i18n/<lang>/columns.toml) plus the variants people actually write
(`Pvm`, `Lkm`, `Organisaation nimi`, …), per sheet. Toiminta may also come in the wide
layout, one column per month (`tammi` … `joulu`, `jan` … `dec`, `1` … `12`).
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import i18n
from data_sources import vocabulary
from data_sources.values import month_of_name

# A pseudo-column: the `Vuosi` (År, Year) of split year + month columns or of the wide layout.
YEAR_COLUMN = "year"

# How many rows from the top may hold titles before the header row.
HEADER_SCAN_ROWS = 20

REQUIRED_COLUMNS = {
    "toiminta": ("activity_month", "activity_type"),
    "asenteet": ("answer_month", "respondent_group", "attitude_stage"),
    "kysynta": ("received_month", "requesting_sector", "status"),
    "kapasiteetti": ("capacity_month", "count_trained", "count_active"),
}

_ORG = ("organisaatio", "organisaation nimi", "organisaation lyhenne", "järjestö", "yhdistys",
        "jäsenjärjestö", "toimija", "org", "organisation", "organisationens namn", "förening",
        "organization", "organisation name", "organization name")
_DATE = ("päivämäärä", "pvm", "päiväys", "päivä", "kuukausi", "kk", "datum", "månad", "mån",
         "date", "month")
_YEAR = ("vuosi", "vv", "år", "year", "yr")
_MUNICIPALITY = ("kunta", "kunnan nimi", "kaupunki", "paikkakunta", "kommun", "kommunens namn",
                 "ort", "municipality", "city", "town")
_SECTOR = ("kohdesektori", "sektori", "kohteen sektori", "målsektor", "sektor", "target sector",
           "sector")
_COUNT = ("lukumäärä", "lkm", "määrä", "kpl", "kappaletta", "antal", "st", "count", "number",
          "amount", "qty", "quantity")

# Variants beyond the contract's own headers, per sheet and column.
EXTRA_ALIASES = {
    "toiminta": {
        "org_code": _ORG,
        "activity_month": _DATE + ("toimintapäivä", "ajankohta", "tapahtumapäivä"),
        "activity_type": ("toiminta", "toiminnan muoto", "toimintatyyppi", "tyyppi", "laji",
                          "verksamhet", "typ av verksamhet", "typ", "activity", "type"),
        "count_activities": _COUNT + ("kerrat", "kertoja", "tapahtumia", "tillfällen",
                                      "number of activities"),
        "experts_involved": ("kokemustoimijat", "kokemustoimijoiden määrä", "kokemustoimijoiden lkm",
                             "kokemusasiantuntijoita", "kokemusasiantuntijat", "erfarenhetsexperter",
                             "erfarenhetsaktörer antal", "experts", "experience experts",
                             "lived experience experts", "experts by experience"),
        "people_reached": ("tavoitetut", "tavoitettuja", "tavoitettuja henkilöitä", "osallistujat",
                           "osallistujia", "osallistujamäärä", "nådda", "deltagare", "reached",
                           "participants"),
        "hours": ("tuntia", "tuntimäärä", "tunnit yhteensä", "käytetyt tunnit", "tim", "h",
                  "hrs", "hours used"),
        "target_sector": _SECTOR,
        "municipality": _MUNICIPALITY,
        "feedback": ("palautteen keskiarvo", "palaute keskiarvo", "arvosana", "respons medeltal",
                     "feedback score", "rating", "average feedback"),
    },
    "asenteet": {
        "org_code": _ORG,
        "answer_month": _DATE + ("vastauspäivä", "svarsdatum", "answer date"),
        "respondent_group": ("ryhmä", "vastaaja", "vastaajat ryhmä", "grupp", "respondent",
                             "group"),
        "measurement_point": ("mittaus", "mittauskerta", "mittausaika", "mätning", "mättidpunkt",
                              "measurement", "measurement point"),
        "attitude_stage": ("asennetaso", "asennevaihe", "vaihe", "asenne 1 5", "attitydnivå",
                           "stage", "attitude stage"),
        "count_respondents": _COUNT + ("vastaajat", "vastaajamäärä", "vastaajien määrä",
                                       "vastaajien lkm", "antal respondenter",
                                       "number of respondents"),
        "target_sector": _SECTOR,
    },
    "kysynta": {
        "org_code": _ORG,
        "received_month": _DATE + ("saapumispäivä", "saapunut pvm", "pyyntöpäivä", "inkom",
                                   "received date", "date received"),
        "requesting_sector": ("pyytäjä", "pyytäjän sektori", "sektori", "tilaajan sektori",
                              "beställare", "sektor", "requester", "sector"),
        "request_type": ("tyyppi", "pyyntö", "toimintamuoto", "typ", "begäran",
                         "verksamhetsform", "type", "activity type"),
        "status": ("tilanne", "läge", "state"),
        "reason": ("toteutumatta jäämisen syy", "syy toteutumattomuuteen", "grund", "cause"),
        "municipality": _MUNICIPALITY,
        "count_sessions": _COUNT + ("kerrat", "kertoja", "pyydettyjä kertoja", "tillfällen",
                                    "sessions"),
    },
    "kapasiteetti": {
        "org_code": _ORG,
        "capacity_month": _DATE,
        "count_trained": ("koulutetut", "koulutettuja kokemustoimijoita", "koulutetut kokemustoimijat",
                          "utbildade erfarenhetsaktörer", "trained"),
        "count_active": ("aktiiviset", "aktiivisia kokemustoimijoita", "aktiiviset kokemustoimijat",
                         "aktiva erfarenhetsaktörer", "active"),
        "hours_available": ("vapaat tunnit", "käytettävissä olevat tunnit", "tunteja vapaana",
                            "lediga timmar", "tillgängliga timmar", "available hours"),
    },
}

# Tab names, beyond the sheet labels of codes.toml in three languages, matched word by word.
EXTRA_SHEET_NAMES = {
    "toiminta": ("toiminta", "toiminnot", "toimintaa", "aktiviteetit", "verksamheten", "activity",
                 "activities"),
    "asenteet": ("asenteet", "asenne", "asennekysely", "asennemittaus", "attityd", "attitydenkät",
                 "attitude"),
    "kysynta": ("kysynta", "kysyntä", "pyynnöt", "tilaukset", "förfrågningar", "beställningar",
                "requests"),
    "kapasiteetti": ("kapasiteetti", "resurssit", "kapacitet", "capacity"),
}

# Tabs that explain the template; their tables of column names are not data.
HELP_SHEET_WORDS = ("ohje", "ohjeet", "ohjeita", "koodit", "instruktioner", "anvisningar", "koder",
                    "instructions", "codes", "readme", "help", "info")


def normalise_header(text) -> str:
    """A header cell as matched: lower case, single spaces, no punctuation, no trailing unit.

    `Tunnit (h)`, `Tunnit, h`, ` TUNNIT ` and `Tunnit\\n` all give `tunnit`.
    """
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    value = re.sub(r"[\u00ad\u200b\u200c\u200d\ufeff]", "", str(text))   # soft hyphen, zero width
    value = re.sub(r"(?<=\w)-\s*\n\s*(?=\w)", "", value)   # a word hyphenated over two lines
    value = re.sub(r"\s+", " ", value.casefold()).strip()
    for unit in (r"\s*[(\[][^)\]]*[)\]]$", r",[^,]*$"):
        shorter = re.sub(unit, "", value).strip()
        if re.search(r"\w", shorter):
            value = shorter
    value = re.sub(r"[^\w\s]|_", " ", value)
    return re.sub(r"\s+", " ", value).strip()


@functools.cache
def contract_headers(sheet: str) -> dict[str, str]:
    """The contract's own headers of a sheet (normalised) -> column, from columns.toml."""
    headers: dict[str, str] = {}
    for lang in i18n.LANGUAGES:
        for column in vocabulary.SHEET_COLUMNS[sheet]:
            text = i18n.catalogue(lang).get(f"column.{sheet}.{column}")
            if text:
                headers[normalise_header(text)] = column
    return headers


@functools.cache
def header_aliases(sheet: str) -> dict[str, str]:
    """Every accepted header of a sheet (normalised) -> canonical column or YEAR_COLUMN."""
    aliases = dict(contract_headers(sheet))
    for column, variants in EXTRA_ALIASES[sheet].items():
        for variant in variants:
            aliases.setdefault(normalise_header(variant), column)
    for variant in _YEAR:
        aliases.setdefault(normalise_header(variant), YEAR_COLUMN)
    return aliases


def match_header(sheet: str, cell) -> str | None:
    """The canonical column (or YEAR_COLUMN) a header cell names in a sheet, else None."""
    if not isinstance(cell, str):
        return None
    return header_aliases(sheet).get(normalise_header(cell))


def contract_header(sheet: str, column: str) -> str:
    """A column's header in Finnish / Swedish / English, for naming a missing column."""
    if column == YEAR_COLUMN:
        return "Vuosi / År / Year"
    names: list[str] = []
    for lang in i18n.LANGUAGES:
        name = i18n.catalogue(lang).get(f"column.{sheet}.{column}", column)
        if name not in names:
            names.append(name)
    return " / ".join(names)


def match_month_header(cell) -> tuple[int, int | None] | None:
    """(month, year or None) when a header cell names a month of the wide layout, else None.

    `tammi`, `Tammikuu`, `jan`, `January`, `1`, `tammi 2025`, `1/2025`, or a date cell.
    """
    if isinstance(cell, (datetime, date)):
        return cell.month, cell.year
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, (int, float)):
        return (int(cell), None) if float(cell).is_integer() and 1 <= cell <= 12 else None
    text = re.sub(r"\s+", " ", str(cell)).strip().casefold()
    match = re.fullmatch(r"(\d{1,2})(?:\s*/\s*(\d{4}))?", text) or \
        re.fullmatch(r"([^\W\d]+)\.?(?:\s+(\d{4}))?", text)
    if not match:
        return None
    month = int(match[1]) if match[1].isdigit() else month_of_name(match[1])
    if not month or not 1 <= month <= 12:
        return None
    return month, int(match[2]) if match[2] else None


@functools.cache
def sheet_names() -> dict[str, str]:
    """Tab-name words (lower case) -> sheet key."""
    names: dict[str, str] = {}
    for sheet in vocabulary.SHEETS:
        for lang in i18n.LANGUAGES:
            names.setdefault(i18n.label(lang, "sheet", sheet).casefold(), sheet)
        for word in EXTRA_SHEET_NAMES[sheet]:
            names.setdefault(word, sheet)
    return names


def _name_words(name: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", str(name).casefold())


def sheet_of_name(name: str) -> str | None:
    """The sheet a tab's name means, in any language and with more words (`Toiminta 2025`)."""
    for word in _name_words(name):
        if word in sheet_names():
            return sheet_names()[word]
    return None


def is_help_sheet(name: str) -> bool:
    return any(word in HELP_SHEET_WORDS for word in _name_words(name))


@dataclass
class HeaderRow:
    """The header row of one tab: where it is and what each of its cells means."""

    sheet: str
    index: int                                               # 0-based row index in RawSheet.rows
    columns: dict[int, str] = field(default_factory=dict)    # cell index -> column or YEAR_COLUMN
    months: dict[int, tuple[int, int | None]] = field(default_factory=dict)  # wide layout only
    unknown: dict[int, str] = field(default_factory=dict)    # cell index -> header as written
    texts: dict[int, str] = field(default_factory=dict)      # cell index -> header as written

    @property
    def row(self) -> int:
        """The spreadsheet row number of the header row."""
        return self.index + 1

    @property
    def is_wide(self) -> bool:
        return bool(self.months)

    def header_of(self, column: str) -> str | None:
        """The header as the user wrote it for a canonical column, else None."""
        for index, name in self.columns.items():
            if name == column:
                return self.texts[index]
        return None

    def score(self) -> tuple[int, int, int]:
        """How surely this row is this sheet's header: required, contract, all columns found."""
        found = set(self.columns.values()) | ({"activity_month"} if self.is_wide else set())
        official = {normalise_header(self.texts[i]) for i in self.columns} & set(contract_headers(self.sheet))
        return len(found & set(REQUIRED_COLUMNS[self.sheet])), len(official), len(found)


def header_text(cell) -> str:
    """A header cell as the user wrote it, on one line."""
    if isinstance(cell, (datetime, date)):
        return cell.strftime("%Y-%m")
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return re.sub(r"\s+", " ", str(cell)).strip()


def read_header_row(sheet: str, cells: list, index: int) -> HeaderRow:
    """Interpret one row as the header row of `sheet`."""
    header = HeaderRow(sheet, index)
    months: dict[int, tuple[int, int | None]] = {}
    for position, cell in enumerate(cells):
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        header.texts[position] = header_text(cell)
        column = match_header(sheet, cell)
        if column is not None and column not in header.columns.values():
            header.columns[position] = column
            continue
        month = match_month_header(cell) if sheet == "toiminta" and column is None else None
        if month is not None:
            months[position] = month
        else:
            header.unknown[position] = header.texts[position]
    # month columns mean the wide layout only when there is no date column and several months
    if len(months) >= 2 and "activity_month" not in header.columns.values():
        header.months = months
    else:
        header.unknown.update({position: header.texts[position] for position in months})
        header.unknown = dict(sorted(header.unknown.items()))
    return header


def find_header_row(sheet: str, rows: list[list]) -> HeaderRow | None:
    """The first row among the top HEADER_SCAN_ROWS with ≥ 2 known headers of `sheet`."""
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        header = read_header_row(sheet, cells or [], index)
        if len(header.columns) + (1 if header.is_wide else 0) >= 2:
            return header
    return None


def guess_sheet(rows: list[list]) -> HeaderRow | None:
    """The sheet whose headers a tab's rows match best (for CSV and unnamed tabs), else None."""
    found = [header for sheet in vocabulary.SHEETS if (header := find_header_row(sheet, rows))]
    if not found:
        return None
    # a sheet whose required columns are there beats one that shares only generic columns
    return max(found, key=lambda header: (header.score(), -header.index))
