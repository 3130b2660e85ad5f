"""detect_personal_data: identity codes, emails, phones and personal headers, anywhere."""

import datetime

import openpyxl
import pytest

import i18n
from data_sources.personal_data import (
    HETU_CHECK_CHARS,
    detect_personal_data,
    find_hetu,
    find_phone,
    is_personal_header,
    mask_value,
)
from data_sources.raw import RawSheet
from data_sources.readers import read_file
from settings import Settings


def make_hetu(born: datetime.date, sign: str, serial: int) -> str:
    """A hetu by the rule of the Population Information Act, computed independently of the module."""
    stem = born.strftime("%d%m%y")
    return f"{stem}{sign}{serial:03d}{HETU_CHECK_CHARS[int(f'{stem}{serial:03d}') % 31]}"


def wrong_check(hetu: str) -> str:
    right = hetu[-1]
    return hetu[:-1] + HETU_CHECK_CHARS[(HETU_CHECK_CHARS.index(right) + 1) % 31]


def findings(*cells, recognised=None):
    """(kind, row, column, value) of each finding in a one-sheet workbook with a header row."""
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"]] + [["2025-03", cell] for cell in cells])
    return [(p.params["kind"], p.row, p.column, p.value) for p in detect_personal_data([sheet], recognised)]


# Published examples (DVV, and the 2023 century signs), checked by eye against the rule.
KNOWN_VALID = ["131052-308T", "010181-900C", "010594Y9032", "020594X903P", "030694W9024",
               "040594V902Y", "050594U903M", "010516B903X", "020516C903K", "030516D9037",
               "010501E9032", "020503F9037", "020504A902E", "020504B904H"]

COMPUTED_VALID = [
    make_hetu(datetime.date(1852, 10, 13), "+", 308),
    make_hetu(datetime.date(1952, 10, 13), "-", 308),
    *(make_hetu(datetime.date(1994, 5, 1), sign, 903) for sign in "UVWXY"),
    *(make_hetu(datetime.date(2016, 5, 1), sign, 2) for sign in "ABCDEF"),
    make_hetu(datetime.date(2000, 2, 29), "A", 899),  # a leap day
]


@pytest.mark.parametrize("hetu", KNOWN_VALID + COMPUTED_VALID)
def test_valid_identity_codes_are_found(hetu):
    assert find_hetu(hetu) == hetu
    assert find_hetu(f"Asiakas {hetu.lower()}, soitti") == hetu.lower()
    assert findings(hetu) == [("hetu", 2, "Huom", hetu[:7] + "****")]


@pytest.mark.parametrize("text", [
    *(wrong_check(hetu) for hetu in KNOWN_VALID + COMPUTED_VALID),
    "131052-308",        # no check character
    "131052G308T",       # not a century sign
    "x131052-308T",      # inside a longer word
    "131052-308TT",
    "1310522-308T",
])
def test_shapes_of_identity_codes_that_are_not_valid_are_not_flagged(text):
    assert find_hetu(text) is None
    assert [kind for kind, *_ in findings(text)] == []


@pytest.mark.parametrize("text, masked", [
    ("131052\u2013308T", "131052\u2013****"),   # en dash, as a word processor autocorrects "-"
    ("131052\u2014308T", "131052\u2014****"),   # em dash
    ("131052\u2212308T", "131052\u2212****"),   # minus sign
    ("131052 -308T", "131052 ****"),             # a space before the century sign
    ("131052 \u2013308T", "131052 ****"),
    ("010594 Y9032", "010594 ****"),
    ("Asiakas 131052\u2013308t soitti", "131052\u2013****"),
])
def test_identity_codes_with_dash_variants_or_a_space_before_the_sign_are_found(text, masked):
    assert find_hetu(text) is not None
    assert findings(text) == [("hetu", 2, "Huom", masked)]


@pytest.mark.parametrize("text", [
    "131052\u2013308U", "131052\u2014308U", "131052 -308U",   # wrong check character
    "131052 308T",                                          # no century sign
    "131052  -308T",                                        # two spaces: not a code's shape
])
def test_dash_variants_do_not_make_an_invalid_identity_code_valid(text):
    assert find_hetu(text) is None
    assert [kind for kind, *_ in findings(text)] == []


def test_an_impossible_date_with_a_right_check_character_is_not_a_hetu():
    stem, serial = "300290", "123"  # 30 February
    fake = f"{stem}-{serial}{HETU_CHECK_CHARS[int(stem + serial) % 31]}"
    assert find_hetu(fake) is None


@pytest.mark.parametrize("text, found", [
    ("matti.meikalainen@example.fi", "matti.meikalainen@example.fi"),
    ("Yhteyshenkilö: liisa@järjestö.fi", "liisa@järjestö.fi"),
    ("a.b+c@sub.example.com.", "a.b+c@sub.example.com"),
    ("MATTI@EXAMPLE.FI", "MATTI@EXAMPLE.FI"),
])
def test_emails_are_found_and_masked(text, found):
    assert findings(text) == [("email", 2, "Huom", mask_value("email", found))]
    assert mask_value("email", found) == found[0] + "***@***"


@pytest.mark.parametrize("text", ["@", "matti@", "@example.fi", "matti@example", "5 @ 10 €"])
def test_things_with_an_at_sign_that_are_not_emails(text):
    assert findings(text) == []


@pytest.mark.parametrize("text, masked", [
    ("040 123 4567", "040 *** ****"),
    ("040-1234567", "040-*******"),
    ("0401234567", "040*******"),
    ("+358 40 123 4567", "+358 ** *** ****"),
    ("+358401234567", "+358*********"),
    ("+358 (0)40 123 4567", "+358 (*)** *** ****"),
    ("00358 40 123 4567", "003** ** *** ****"),
    ("09 123 4567", "09 1** ****"),
    ("(09) 1234 567", "(09) 1*** ***"),
    ("050 123 45 67", "050 *** ** **"),
    ("02 274 2000", "02 2** ****"),
    ("Soita 044 555 1234 iltaisin", "044 *** ****"),
    ("p. 0400 123456", "040* ******"),
    # other separators: slash, full stop, dashes with or without spaces, no-break spaces
    ("040/123 4567", "040/*** ****"),
    ("040/1234567", "040/*******"),
    ("040 / 123 4567", "040 / *** ****"),
    ("09/123 456", "09/1** ***"),
    ("040.123.4567", "040.***.****"),
    ("040 \u2013 123 4567", "040 \u2013 *** ****"),
    ("040\u2013123 4567", "040\u2013*** ****"),
    ("040 \u2014 1234567", "040 \u2014 *******"),
    ("040 - 123 4567", "040 - *** ****"),
    ("040\u202f123\u202f4567", "040\u202f***\u202f****"),
    ("040\u00a0123\u00a04567", "040\u00a0***\u00a0****"),
    # the country code without "+"
    ("358 40 123 4567", "358 ** *** ****"),
    ("358 (0)40 123 4567", "358 (*)** *** ****"),
    ("Soita 358401234567", "358*********"),
    ("Alkaen 14.3.2025 soita 040.123.4567", "040.***.****"),   # a date before a number
])
def test_finnish_phone_numbers_are_found_and_masked(text, masked):
    assert findings(text) == [("phone", 2, "Huom", masked)]


@pytest.mark.parametrize("number", [401234567, 401234567.0, 501234567, 358401234567])
def test_a_mobile_number_that_lost_its_leading_zero_in_a_number_cell_is_found(number):
    [(kind, *_)] = findings(number)
    assert kind == "phone"


@pytest.mark.parametrize("value", [
    "1 234", "12 345", "123 456", "2025", "12,5", "12.5", "1 234,50", "2024-2025", "2024–2025",
    "14.3.2025", "01.03.2025", "2025-03-14", "2025-03", "3/2025", "03/2025", "3/25",
    "maaliskuu 2025", "March 2025", "Q1/2025", "1.–3.2025", "10–15", "n. 20", "?", "0", "-",
    "05-03-2025", "09-12-24", "10:30-12:00", "Y-tunnus 1234567-8", "1234567-8", "0,5", "0.25",
    "100 000", "1 000 000", "Kokous 2.4. klo 17", "2025-03-14T10:00:00", "FI21 1234 5600 0007 85",
    # look-alikes of the separators and the country code accepted in phone numbers
    "09.03.2025", "05.03.2025", "09/03/2025", "05/03/2025", "09-12-2024", "01.\u201303.2025",
    "1.3.\u201331.3.2025", "01.03.\u201331.03.2025", "12.03.2025\u201314.03.2025",
    "1.1.2025 - 31.12.2025", "09.12.24", "14.3.", "05/2024\u201306/2025", "05\u201310/2025",
    "2024 \u2013 2025", "2023\u20132024\u20132025", "1990\u20142000", "10 \u2013 15",
    "09.30\u201311.00", "klo 09.30-10.30", "15.3.2025 klo 09.30", "1\u202f234\u202f567",
    "1\u00a0234,50 €", "100.000", "1.234.567", "2 500 €", "358 000", "358 500 000",
    "1 358 500 000 €", "358 hlöä 2025", "0.123456789", "12,5 / 100", "2/2025 \u2013 3/2025",
    12, 12.5, 2025, 12345678, 0, -3, 1.5e9, True,
    datetime.date(2025, 3, 14), datetime.datetime(1952, 10, 13), datetime.time(9, 30),
])
def test_ordinary_numbers_dates_and_counts_are_not_flagged(value):
    assert findings(value) == []


@pytest.mark.parametrize("header", [
    "Nimi", "NIMI", "Etunimi", "Sukunimi", "Asiakkaan nimi", "nimi:", "Namn", "Förnamn",
    "Efternamn", "Name", "Surname", "Full name", "Henkilötunnus", "Hetu", "Personbeteckning",
    "Syntymäaika", "Födelsedatum", "Puhelin", "Puh.", "puh", "Telefon", "Phone", "Sähköposti",
    "E-post", "Email", "Osoite", "Adress", "Address", "Lapsen nimi ja ikä",
    # compounds the whole-word rule alone would miss
    "Puhelinnumero", "Sähköpostiosoite", "E-postadress", "Telefonnummer", "Kotiosoite",
])
def test_personal_headers_are_flagged(header):
    assert is_personal_header(header)
    sheet = RawSheet("Muistiinpanot", [[None, header]])
    [problem] = detect_personal_data([sheet])
    assert (problem.params["kind"], problem.row, problem.column, problem.value) == ("header", 1, "B", header)


@pytest.mark.parametrize("text", [
    "Organisaation nimi", "Kunnan nimi", "Organisationens namn", "Kommunens namn",
    "Organisation name", "Municipality name", "organisaation  NIMI", "Kunnan nimi:",
    "Toimintamuoto", "Nimike", "Tehtävänimike", "Puheenvuoro", "Telefonrådgivning",
    "Nimipäiväjuhla", "Osoitteisto", "Tunnit (h)", "Päivämäärä",
    "Vertaistukiryhmän tapaamisessa käsiteltiin nimiä ja osoitteita",  # long free text
])
def test_other_text_is_not_a_personal_header(text):
    assert not is_personal_header(text)
    assert detect_personal_data([RawSheet("Toiminta", [[text]])]) == []


LONG_HEADERS = [
    "Osallistujan nimi / Deltagarens namn / Participant name",
    "Yhteyshenkilön puhelinnumero ja sähköposti",                       # 42 characters
    "Asiakkaan osoite (katuosoite, postinumero ja postitoimipaikka)",
]


@pytest.mark.parametrize("header", LONG_HEADERS)
def test_a_header_row_cell_is_a_personal_header_whatever_its_length(header):
    assert len(header) > 40
    assert is_personal_header(header, max_length=None)
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Toimintamuoto", header],
                                  ["2025-03", "paneeli", "Matti Meikäläinen"]])
    found = [(p.params["kind"], p.row, p.column, p.value) for p in detect_personal_data([sheet])]
    assert found == [("header", 1, "C", header[:40])]


@pytest.mark.parametrize("header", LONG_HEADERS)
def test_a_long_header_in_an_ignored_csv_column_is_refused(header):
    data = f"Päivämäärä;Toimintamuoto;{header}\n3/2025;Muu;Matti Meikäläinen\n".encode()
    sheets, _, problems = read_file("toiminta.csv", data, Settings())
    assert problems == []
    found = [(p.params["kind"], p.row, p.column) for p in detect_personal_data(sheets)]
    assert found == [("header", 1, "C")]


@pytest.mark.parametrize("text", [
    "Osallistujan nimi / Deltagarens namn / Participant name",
    "Kerroimme puhelimessa ja sähköpostilla, mistä osoite löytyy",
])
def test_long_free_text_outside_the_header_row_is_not_read_as_a_header(text):
    assert not is_personal_header(text)
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", text]])
    assert detect_personal_data([sheet]) == []


def test_a_header_the_validator_recognised_is_spared_but_only_from_the_header_rule():
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Nimi", "Yhteys 040 123 4567"]])
    recognised = {("Toiminta", 1, 1), ("Toiminta", 1, 2), ("Toiminta", 1, 3)}
    found = detect_personal_data([sheet], recognised)
    assert [(p.params["kind"], p.column) for p in found] == [("phone", "C")]
    unrecognised = detect_personal_data([sheet])
    assert [(p.params["kind"], p.column) for p in unrecognised] == [("header", "B"), ("phone", "C")]


def test_every_cell_of_every_sheet_is_scanned_and_located():
    sheets = [
        RawSheet("Toiminta 2025", [
            ["Raportti, yhteyshenkilö anna@example.fi"],           # title row
            [None],
            ["Päivämäärä", "Toimintamuoto", "Lisätieto"],            # header row
            ["2025-03", "paneeli", None],
            ["2025-03", "media", "Kysy 131052-308T"],                  # ignored column
            ["Yhteensä", None, "040-1234567"],                        # totals row
        ]),
        RawSheet("Taul2", [[None, None], [None, "010594Y9032"]]),    # unknown sheet
    ]
    found = [(p.sheet, p.row, p.column, p.value, p.params["kind"]) for p in detect_personal_data(sheets)]
    assert found == [
        ("Toiminta 2025", 1, "A", "a***@***", "email"),
        ("Toiminta 2025", 5, "Lisätieto", "131052-****", "hetu"),
        ("Toiminta 2025", 6, "Lisätieto", "040-*******", "phone"),
        ("Taul2", 2, "B", "010594Y****", "hetu"),
    ]


def test_a_cell_with_several_kinds_reports_each_masked():
    found = findings("Matti 131052-308T, matti@example.fi, 040 123 4567")
    assert found == [
        ("hetu", 2, "Huom", "131052-****"),
        ("email", 2, "Huom", "m***@***"),
        ("phone", 2, "Huom", "040 *** ****"),
    ]


@pytest.mark.parametrize("kind, text, masked", [
    ("hetu", "131052-308T", "131052-****"),
    ("hetu", "010594Y9032", "010594Y****"),
    ("email", "matti.meikalainen@example.fi", "m***@***"),
    ("phone", "040 123 4567", "040 *** ****"),
    ("phone", "+358401234567", "+358*********"),
    ("phone", "401234567", "401******"),
    ("header", " Sukunimi ", "Sukunimi"),
])
def test_mask_value(kind, text, masked):
    assert mask_value(kind, text) == masked


@pytest.mark.parametrize("lang, label", [
    ("fi", "henkilötunnus"), ("sv", "personbeteckning"), ("en", "personal identity code"),
])
def test_the_message_names_the_cell_and_the_kind_in_the_users_language(lang, label):
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", "131052-308T"]])
    [problem] = detect_personal_data([sheet])
    message = problem.message(lang)
    assert label in message
    assert all(part in message for part in ("Toiminta", "2", "Huom", "131052-****"))
    assert "308T" not in message


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_kind_has_a_label_in_every_language(lang):
    texts = i18n.catalogue(lang)
    labels = [texts[f"personal_kind.{kind}"] for kind in ("hetu", "email", "phone", "header")]
    assert len(set(labels)) == 4


def test_personal_data_in_a_hidden_sheet_of_a_real_workbook_is_found(tmp_path):
    path = tmp_path / "toiminta.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Toiminta"
    workbook.active.append(["Päivämäärä", "Toimintamuoto"])
    workbook.active.append([datetime.date(2025, 3, 1), "paneeli"])
    hidden = workbook.create_sheet("Yhteystiedot")
    hidden["C4"] = "Sähköposti"
    hidden["C5"] = "liisa@example.fi"
    hidden.sheet_state = "hidden"
    workbook.save(path)
    sheets, _, problems = read_file(path.name, path.read_bytes(), Settings())
    assert problems == []
    found = [(p.sheet, p.row, p.column, p.value, p.params["kind"]) for p in detect_personal_data(sheets)]
    assert found == [
        ("Yhteystiedot", 4, "C", "Sähköposti", "header"),
        ("Yhteystiedot", 5, "C", "l***@***", "email"),
    ]


def test_find_phone_ignores_text_with_too_few_digits():
    assert find_phone("puh. 040 123") is None
