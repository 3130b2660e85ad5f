from datetime import datetime

import pytest

import i18n
from data_sources import vocabulary
from data_sources.headers import (
    YEAR_COLUMN,
    contract_header,
    find_header_row,
    guess_sheet,
    header_aliases,
    match_header,
    match_month_header,
    normalise_header,
    sheet_of_name,
)


@pytest.mark.parametrize("text, expected", [
    ("Tunnit", "tunnit"),
    ("TUNNIT", "tunnit"),
    ("  Tunnit  ", "tunnit"),
    ("Tunnit\n", "tunnit"),
    ("Tunnit (h)", "tunnit"),
    ("Tunnit [h]", "tunnit"),
    ("Tunnit, h", "tunnit"),
    ("Tavoitetut\nhenkilöt", "tavoitetut henkilöt"),
    ("Tavoitetut   henkilöt", "tavoitetut henkilöt"),
    ("Kokemus-\ntoimijoita", "kokemustoimijoita"),
    ("Pvm.", "pvm"),
    ("Lkm:", "lkm"),
    ("Pyytäjän sektori *", "pyytäjän sektori"),
    ("Vastaaja\u00adryhmä", "vastaajaryhmä"),
    (1, "1"),
    (1.0, "1"),
    (None, ""),
])
def test_normalise_header(text, expected):
    assert normalise_header(text) == expected


CONTRACT_HEADERS = [
    (sheet, column, lang, i18n.catalogue(lang)[f"column.{sheet}.{column}"])
    for lang in i18n.LANGUAGES
    for sheet in vocabulary.SHEETS
    for column in vocabulary.SHEET_COLUMNS[sheet]
    if f"column.{sheet}.{column}" in i18n.catalogue(lang)
]


@pytest.mark.parametrize("sheet, column, lang, header", CONTRACT_HEADERS)
def test_every_contract_header_in_every_language_matches_its_column(sheet, column, lang, header):
    assert match_header(sheet, header) == column
    assert match_header(sheet, header.upper() + " ") == column


@pytest.mark.parametrize("sheet, header, expected", [
    ("toiminta", "Pvm", "activity_month"),
    ("toiminta", "Kk", "activity_month"),
    ("toiminta", "Kuukausi", "activity_month"),
    ("toiminta", "Månad", "activity_month"),
    ("toiminta", "Lkm", "count_activities"),
    ("toiminta", "kpl", "count_activities"),
    ("toiminta", "Määrä", "count_activities"),
    ("toiminta", "Lukumäärä (kpl)", "count_activities"),
    ("toiminta", "Organisaation nimi", "org_code"),
    ("toiminta", "Kunnan nimi", "municipality"),
    ("toiminta", "Erfarenhetsexperter", "experts_involved"),
    ("toiminta", "Tunnit, h", "hours"),
    ("toiminta", "Vuosi", YEAR_COLUMN),
    ("toiminta", "År", YEAR_COLUMN),
    ("toiminta", "Year", YEAR_COLUMN),
    ("toiminta", "Organization", "org_code"),
    ("asenteet", "Pvm", "answer_month"),
    ("asenteet", "Lkm", "count_respondents"),
    ("asenteet", "Asenne (1–5)", "attitude_stage"),
    ("kysynta", "Pvm", "received_month"),
    ("kysynta", "Kunnan nimi", "municipality"),
    ("kysynta", "Lkm", "count_sessions"),
    ("kapasiteetti", "Kuukausi", "capacity_month"),
    ("kapasiteetti", "Kk", "capacity_month"),
    ("kapasiteetti", "Month", "capacity_month"),
    ("kapasiteetti", "Lediga timmar", "hours_available"),
    ("toiminta", "Huomautukset", None),
    ("toiminta", "Nimi", None),
    ("kapasiteetti", "Kunta", None),
    ("toiminta", 12, None),
])
def test_match_header_variants(sheet, header, expected):
    assert match_header(sheet, header) == expected


@pytest.mark.parametrize("sheet", vocabulary.SHEETS)
def test_aliases_point_only_at_the_sheets_own_columns(sheet):
    assert set(header_aliases(sheet).values()) <= set(vocabulary.SHEET_COLUMNS[sheet]) | {YEAR_COLUMN}


@pytest.mark.parametrize("name, expected", [
    ("Toiminta", "toiminta"), ("toiminta", "toiminta"), ("Toiminta 2025", "toiminta"),
    ("Toiminta tammi", "toiminta"), ("Verksamhet", "toiminta"), ("Verksamhet jan", "toiminta"),
    ("Activities", "toiminta"), ("Activities 2025", "toiminta"), ("2025_toiminta", "toiminta"),
    ("Asenteet", "asenteet"), ("Attityder", "asenteet"), ("Attitudes Q1", "asenteet"),
    ("Kysyntä", "kysynta"), ("Kysynta", "kysynta"), ("Efterfrågan", "kysynta"),
    ("Demand 2025", "kysynta"), ("Kapasiteetti", "kapasiteetti"), ("Kapacitet", "kapasiteetti"),
    ("Capacity", "kapasiteetti"), ("Taul1", None), ("Sheet1", None), ("Ohjeet", None),
])
def test_sheet_of_name(name, expected):
    assert sheet_of_name(name) == expected


@pytest.mark.parametrize("cell, expected", [
    ("tammi", (1, None)), ("Tammikuu", (1, None)), ("joulu", (12, None)), ("jan", (1, None)),
    ("Jan", (1, None)), ("januari", (1, None)), ("January", (1, None)), ("dec", (12, None)),
    ("maj", (5, None)), (1, (1, None)), (12.0, (12, None)), ("12", (12, None)),
    ("tammi 2025", (1, 2025)), ("1/2025", (1, 2025)), (datetime(2025, 2, 1), (2, 2025)),
    (13, None), ("Toimintamuoto", None), ("Yhteensä", None), (None, None),
])
def test_match_month_header(cell, expected):
    assert match_month_header(cell) == expected


def test_find_header_row_skips_title_rows():
    rows = [
        ["Kokemusmittari: toiminta"],
        [],
        [None, "Raportoija: Esimerkki ry"],
        ["Päivämäärä", "Toimintamuoto", "Lukumäärä", "Huom"],
        ["3/2025", "Muu", 1, None],
    ]
    header = find_header_row("toiminta", rows)
    assert (header.row, header.columns, header.unknown) == (
        4, {0: "activity_month", 1: "activity_type", 2: "count_activities"}, {3: "Huom"})


def test_find_header_row_needs_two_known_headers_in_the_first_twenty_rows():
    assert find_header_row("toiminta", [["Päivämäärä"], ["3/2025"]]) is None
    late = [[None]] * 20 + [["Päivämäärä", "Toimintamuoto"]]
    assert find_header_row("toiminta", late) is None
    assert find_header_row("toiminta", late[1:]).row == 20


def test_wide_header_row():
    header = find_header_row("toiminta", [["Toimintamuoto", "tammi", "helmi", "maalis", "Yhteensä"]])
    assert header.is_wide
    assert header.months == {1: (1, None), 2: (2, None), 3: (3, None)}
    assert header.unknown == {4: "Yhteensä"}


def test_month_columns_beside_a_date_column_are_not_the_wide_layout():
    header = find_header_row("toiminta", [["Pvm", "Toimintamuoto", "jan", "feb"]])
    assert not header.is_wide
    assert header.unknown == {2: "jan", 3: "feb"}


@pytest.mark.parametrize("header_row, expected", [
    (["Organisaatio", "Päivämäärä", "Toimintamuoto", "Lukumäärä"], "toiminta"),
    (["Date", "Activity type", "Count"], "toiminta"),
    (["Toimintamuoto", "tammi", "helmi"], "toiminta"),
    (["Pvm", "Vastaajaryhmä", "Asenne", "Lkm"], "asenteet"),
    (["Datum", "Respondentgrupp", "Attityd"], "asenteet"),
    (["Pvm", "Pyytäjän sektori", "Tila", "Syy", "Lkm"], "kysynta"),
    (["Received", "Requesting sector", "Status"], "kysynta"),
    (["Kuukausi", "Koulutettuja", "Aktiivisia"], "kapasiteetti"),
    (["Månad", "Utbildade", "Aktiva"], "kapasiteetti"),
    (["Nimi", "Puhelin"], None),
])
def test_guess_sheet_by_headers(header_row, expected):
    found = guess_sheet([["Otsikko"], header_row])
    assert (found.sheet if found else None) == expected


def test_contract_header_names_all_languages_once():
    assert contract_header("toiminta", "activity_month") == "Päivämäärä / Datum / Date"
    assert contract_header("toiminta", "org_code") == "Organisaatio / Organisation"
    assert contract_header("toiminta", YEAR_COLUMN) == "Vuosi / År / Year"
