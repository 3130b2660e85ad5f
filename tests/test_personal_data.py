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
    "1310522-308T",      # more digits before: a longer number, not a code
    "131052-3085",       # more digits after
    "131052-308T5",
    "1131052-308T",
])
def test_shapes_of_identity_codes_that_are_not_valid_are_not_flagged(text):
    assert find_hetu(text) is None
    assert [kind for kind, *_ in findings(text)] == []


@pytest.mark.parametrize("text, masked", [
    ("131052\u2013308T", "131052\u2013****"),   # en dash, as a word processor autocorrects "-"
    ("131052\u2014308T", "131052\u2014****"),   # em dash
    ("131052\u2212308T", "131052\u2212****"),   # minus sign
    ("131052 -308T", "131052 -****"),            # a space before the century sign
    ("131052 \u2013308T", "131052 \u2013****"),
    ("010594 Y9032", "010594 Y****"),
    ("Soitti 131052\u2013308t eilen", "131052\u2013****"),
    # spaces around the dash, as in `150387 - 123H`
    ("131052 - 308T", "131052 - ****"),
    ("131052- 308T", "131052- ****"),
    ("131052 \u2013 308T", "131052 \u2013 ****"),
    ("010594 Y 9032", "010594 Y ****"),
    # glued to letters or underscores: an identifier, a file name
    ("tunnus_131052-308T", "131052-****"),
    ("x131052-308Ty", "131052-****"),
    ("x131052-308T", "131052-****"),
    ("131052-308TT", "131052-****"),
    ("ID131052-308T_2025", "131052-****"),
])
def test_identity_codes_with_dash_variants_spaces_or_glued_to_letters_are_found(text, masked):
    assert find_hetu(text) is not None
    assert findings(text) == [("hetu", 2, "Huom", masked)]


@pytest.mark.parametrize("text", [
    "131052\u2013308U", "131052\u2014308U", "131052 -308U",   # wrong check character
    "131052 308T",                                          # no century sign
    "131052  -308T",                                        # two spaces: not a code's shape
    "131052 -  308T", "131052 - 308U", "x131052-308Uy",     # two spaces; wrong check characters
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
    ("Lisätietoja: liisa@järjestö.fi", "liisa@järjestö.fi"),
    ("a.b+c@sub.example.com.", "a.b+c@sub.example.com"),
    ("MATTI@EXAMPLE.FI", "MATTI@EXAMPLE.FI"),
])
def test_emails_are_found_and_masked(text, found):
    assert findings(text) == [("email", 2, "Huom", mask_value("email", found))]
    assert mask_value("email", found) == found[0] + "***@***"


@pytest.mark.parametrize("text, masked", [
    ("nimi(at)example.fi", "n***@***"),
    ("nimi (at) example.fi", "n***@***"),
    ("nimi[at]example.fi", "n***@***"),
    ("nimi [at] example dot fi", "n***@***"),
    ("nimi{at}example(dot)fi", "n***@***"),
    ("nimi(ät)example.fi", "n***@***"),
    ("nimi at example dot fi", "n***@***"),
    ("nimi at example piste fi", "n***@***"),
    ("matti.meikalainen at example.fi", "m***@***"),
    ("nimi @ example.fi", "n***@***"),
    ("nimi@ example.fi", "n***@***"),
    ("nimi@example .fi", "n***@***"),
    ("Kysy: nimi @ sub.example . com", "n***@***"),
    ("maija_virtanen@example.fi", "m***@***"),
])
def test_obfuscated_emails_are_found_and_masked(text, masked):
    assert findings(text) == [("email", 2, "Huom", masked)]


@pytest.mark.parametrize("text", [
    "@", "matti@", "@example.fi", "matti@example", "5 @ 10 €",
    "Look at example.com",              # "at" is an English word: a plain name part and a dotted domain is not enough
    "Meet at the Library dot Some",     # no top-level domain
    "Kokous @ Turku. Sitten kahvit",    # a space before a dot only before a known top-level domain
    "Tapaaminen at 10.30",
    "arvio (at) 5", "hinta @ 12 €",
])
def test_things_with_an_at_that_are_not_emails(text):
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
    # case and order numbers, business IDs, IBANs, postal codes, money
    "0412/2026", "Dnro 0412/2026", "Tilaus 040-2026-17", "2026/0412", "asia 050-2025-123",
    "0112038-9", "Y-tunnus 0112038-9", "FI21 1234 5600 0007 85", "FI7840551234567892",
    "FI78 4055 1234 5678 92", "20100 Turku", "00100 Helsinki", "PL 123, 00101 Helsinki",
    "1 234,50 €", "12 345 678,90 EUR", "klo 9.00–16.00", "1.–31.3.2025", "ma–pe 8–16",
    # the ids Office gives sheets and comments, whatever their digits
    "{13A40400-0401-2345-6789-0BCDEF012345}", "{AB150387-1234-5678-9ABC-DEF012345678}",
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
    # synonyms beyond the contract's list
    "Asiakas", "Yhteyshenkilö", "Yhteyshenkilöt", "Yhteystiedot", "Sotu", "Gsm", "S-posti",
    "Kännykkä", "Matkapuhelin", "Klient", "Kund", "Kontaktperson", "Kontaktuppgifter",
    "Contact person", "E-mail", "E mail", "Date of birth", "Birthday", "Social security number",
    # English words that are a person column only as the whole header
    "Client", "Customer", "Contact", "Mobile", "Cell", "Participant", "Client ID", "Mobile number",
    # compounds by their parts: who + what identifies them, a kind of address or phone, a kind of name
    "Asiakasnumero", "Asiakas-id", "Asiakastunnus", "Jäsennumero", "Käyttäjätunnus", "Kundnummer",
    "Klientnummer", "Personnummer", "Asiakkaan numero", "Henkilötiedot", "Kotipuhelin",
    "Työpuhelin", "Mobiltelefon", "Hemadress", "Laskutusosoite", "Sähköposti-osoite",
    "Puhelinnumerot", "Henkilötunnukset", "Kutsumanimi", "Lempinimi", "Kundnamn", "Username",
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
    # what is named is an event, a training, a business: not a person
    "Tapahtuman nimi", "Koulutuksen nimi", "Event name", "Training name", "Evenemangets namn",
    "Evenemangsnamn", "Tapahtumanimi", "Toiminimi", "Projektin nimi", "File name",
    # web addresses, services' phone lines, counts of people, business IDs
    "IP-osoite", "www-osoite", "Verkkolaskuosoite", "Tukipuhelin", "Jourtelefon", "Henkilömäärä",
    "Asiakasmäärä", "Jäsenjärjestö", "Y-tunnus", "Tavoitetut henkilöt", "Osallistujat",
    "Participants", "Number", "Asiakastyö", "Pair work in client work", "Client work",
    "Pararbete i klientarbete", "Mobile unit visits", "Cell count",
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
    found = [(p.code, p.params["kind"], p.row, p.column, p.value) for p in detect_personal_data([sheet])]
    assert found == [("personal_data", "header", 1, "C", header[:40]),
                     ("possible_name", "name", 2, header, "M*** M***")]


@pytest.mark.parametrize("header", LONG_HEADERS)
def test_a_long_header_in_an_ignored_csv_column_is_refused(header):
    data = f"Päivämäärä;Toimintamuoto;{header}\n3/2025;Muu;Matti Meikäläinen\n".encode()
    sheets, _, problems = read_file("toiminta.csv", data, Settings())
    assert problems == []
    found = [(p.code, p.row, p.column) for p in detect_personal_data(sheets)]
    assert found == [("personal_data", 1, "C"), ("possible_name", 2, header)]


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


@pytest.mark.parametrize("note, kind, masked", [
    ("sähköposti matti@example.com", "email", "m***@***"),
    ("Yhteystiedot: matti@example.com", "email", "m***@***"),
    ("puhelin 040 123 4567", "phone", "040 *** ****"),
    ("hetu 131052-308T", "hetu", "131052-****"),
])
def test_personal_data_in_a_note_is_reported_once_in_its_cell(note, kind, masked):
    # the words beside it ("sähköposti") were read as a header too, and the cell reported
    # a second time as a header referring to personal data
    assert findings(note) == [(kind, 2, "Huom", masked)]


def test_a_header_naming_personal_data_is_still_a_header_above_its_values():
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Sähköposti", "Huom"],
                                  ["2025-03", "matti@example.com", "Puhelin"]])
    found = [(p.params["kind"], p.row, p.column, p.value) for p in detect_personal_data([sheet])]
    assert found == [("header", 1, "B", "Sähköposti"), ("email", 2, "Sähköposti", "m***@***"),
                     ("header", 2, "Huom", "Puhelin")]   # a short text alone may be a header out of place


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


# --- not personal data, though shaped like it ---------------------------------------------

def business_id_check(digits: str) -> int | None:
    """The check digit of a Y-tunnus (weights 7 9 10 5 8 4 2, modulo 11), None when none fits."""
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2))) % 11
    return None if remainder == 1 else (0 if remainder == 0 else 11 - remainder)


def iban(bban: str, country: str = "FI") -> str:
    check = 98 - int("".join(str(int(char, 36)) for char in bban + country + "00")) % 97
    return f"{country}{check:02d}{bban}"


def test_a_business_id_is_set_aside_only_when_its_check_digit_is_right():
    assert business_id_check("0401234") == 0
    assert findings("Y-tunnus 0401234-0") == []                          # 040 1234: a mobile's shape
    assert findings("Y-tunnus 0401234-5") == [("phone", 2, "Huom", "040****")]


def test_an_iban_is_set_aside_only_when_its_check_digits_are_right():
    account = iban("40550400123456")
    grouped = " ".join(account[i:i + 4] for i in range(0, len(account), 4))   # ... 0400 1234 56
    assert findings(f"Tili {grouped}") == []
    wrong = grouped.replace(account[2:4], f"{(int(account[2:4]) + 1) % 100:02d}", 1)
    assert [kind for kind, *_ in findings(f"Tili {wrong}")] == ["phone"]


@pytest.mark.parametrize("text", [
    "Aurinko ry", "Pelastakaa Lapset ry", "Turun kaupunki", "Salla", "Inari", "Aura", "Pedersören kunta",
    "Varsinais-Suomen hyvinvointialue", "Turun yliopisto", "Åbo Akademi", "Kaarina", "S:t Karins",
    "Tapahtuman nimi", "Koulutuksen nimi", "Event name",
])
def test_organisation_and_municipality_names_and_event_headers_pass(text):
    assert detect_personal_data([RawSheet("Toiminta", [["Organisaatio", "Kunta"], [text, text]])]) == []


# --- names and street addresses: warnings -----------------------------------------------

@pytest.mark.parametrize("text, masked", [
    ("Matti Meikäläinen", "M*** M***"),
    ("Virtanen Liisa", "V*** L***"),                      # surname first, as lists are written
    ("Soitin Matti Virtaselle eilen", "M*** V***"),       # the pair with the first name first
    ("Anna-Liisa Korhonen-Laine osallistui", "A*** K***"),
    ("Mukana myös Erik Lindqvist", "E*** L***"),
    ("Johanna Helena", "J*** H***"),
    ("Paikalla Maija Meikäläinen", "M*** M***"),   # common names the first list lacked
    ("Kaisa Nieminen ja Tuomo", "K*** N***"),
    ("Mukana Ilkka Laine", "I*** L***"),
])
def test_a_name_in_free_text_is_a_warning_with_the_name_masked(text, masked):
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", text]])
    [problem] = detect_personal_data([sheet])
    assert (problem.code, problem.params["kind"], problem.row, problem.column, problem.value) == (
        "possible_name", "name", 2, "Huom", masked)
    assert not problem.is_error


@pytest.mark.parametrize("text", [
    "Anna palautetta", "Vertaistukitapaaminen", "Turku Salo Kaarina", "Kokous Turussa",
    "Panel or event", "Child-protection worker", "Pyytäjä perui", "MATTI MEIKÄLÄINEN",
    "matti meikäläinen", "Aurinko ry ja Kuu ry", "Maaliskuu 2025", "Kaisla Turku",
    # everyday words that are names too, left out of the list: "probably", "value", "brother" …
    "Kai Kela korvaa matkat", "Arvo Kelan tuelle", "Veli Oulusta tuli mukaan", "Minttu Kahvila",
    "Pidettiin Sirkka Koulussa", "Vesa Lastensuojelun kanssa",
])
def test_other_capitalised_words_are_not_names(text):
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", text]])
    assert detect_personal_data([sheet]) == []


@pytest.mark.parametrize("text, masked", [
    ("Aurakatu 5 B 12", "A*** * * **"),
    ("Tapaaminen Hämeenkatu 15, 20100 Turku", "H*** **"),
    ("kokoonnuttiin pajatie 3 a", "p*** * *"),
    ("Slottsgatan 3", "S*** *"),
    ("Tavastvägen 12 B", "T*** ** *"),
    ("Koivukuja 4", "K*** *"),
    ("Rantapolku 7", "R*** *"),
])
def test_a_street_address_in_free_text_is_a_warning_with_the_address_masked(text, masked):
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", text]])
    [problem] = detect_personal_data([sheet])
    assert (problem.code, problem.params["kind"], problem.row, problem.column, problem.value) == (
        "possible_address", "address", 2, "Huom", masked)


@pytest.mark.parametrize("text", [
    "Katu 5", "Tie 12", "Tietoa 5 kpl", "Kokemustieto 3", "20100 Turku", "Aurakatu", "Vuonna 2025 tie",
    "Kehittämistehtävä 2", "Hoitopolku 2025",
])
def test_other_words_before_a_number_are_not_addresses(text):
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", text]])
    assert detect_personal_data([sheet]) == []


def test_the_first_names_list_is_common_names_none_of_them_a_municipality():
    from data_sources.personal_data import first_names
    from data_sources.values import MUNICIPALITIES_FILE

    names = first_names()
    assert {"Matti", "Anna", "Juha", "Maria", "Erik", "Helmi", "Onni", "Maija", "Kaisa", "Tuomo", "Ilkka"} <= names
    assert len(names) >= 340
    municipalities = set()
    for line in MUNICIPALITIES_FILE.read_text(encoding="utf-8").splitlines()[1:]:
        municipalities.update(part.strip() for part in line.split(","))
    assert names & municipalities == set()


@pytest.mark.parametrize("lang, words", [
    ("fi", ("Toiminta", "2", "Huom", "M*** M***", "ei tallenneta")),
    ("sv", ("Toiminta", "2", "Huom", "M*** M***", "sparas inte")),
    ("en", ("Toiminta", "2", "Huom", "M*** M***", "not stored")),
])
def test_the_name_warning_names_the_cell_and_says_the_text_is_not_stored(lang, words):
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", "Matti Meikäläinen"]])
    [problem] = detect_personal_data([sheet])
    message = problem.message(lang)
    assert all(word in message for word in words), message
    assert "Meikäläinen" not in message


def test_a_cell_with_personal_data_is_refused_not_warned_about_its_name_too():
    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", "Matti Meikäläinen 040 123 4567"]])
    assert [(p.code, p.value) for p in detect_personal_data([sheet])] == [("personal_data", "040 *** ****")]


# --- headers: code labels and column names of the contract pass ---------------------------

def contract_texts() -> list[str]:
    """Every label of a code, every column header and alias, every tab name, in every language."""
    from data_sources.headers import EXTRA_ALIASES, EXTRA_SHEET_NAMES

    sections = ("activity_type.", "activity_group.", "sector.", "attitude_stage.", "respondent_group.",
                "measurement_point.", "status.", "reason.", "column.", "sheet.")
    texts = {text for lang in i18n.LANGUAGES for key, text in i18n.catalogue(lang).items()
             if key.startswith(sections)}
    texts |= {alias for columns in EXTRA_ALIASES.values() for aliases in columns.values() for alias in aliases}
    texts |= {name for names in EXTRA_SHEET_NAMES.values() for name in names}
    return sorted(texts)


def test_no_label_header_or_tab_name_of_the_contract_reads_as_personal_data():
    texts = contract_texts()
    assert len(texts) > 200
    flagged = [text for text in texts if is_personal_header(text) or find_hetu(text) or find_phone(text)]
    assert flagged == []
    sheet = RawSheet("Toiminta", [[text] for text in texts])
    assert [(p.code, p.value) for p in detect_personal_data([sheet])] == []


# --- the file name -------------------------------------------------------------------------

@pytest.mark.parametrize("file_name, masked", [
    ("toiminta 131052-308T.xlsx", "131052-****"),
    ("asiakas_131052-308T.xlsx", "131052-****"),
    ("raportti_040_123_4567.xlsx", "040_***_****"),
    ("C:\\Users\\x\\raportti 040 123 4567.xls", "040 *** ****"),
    ("matti.meikalainen@example.fi.xlsx", "m***@***"),
])
def test_a_file_name_with_personal_data_is_refused(file_name, masked):
    from data_sources.personal_data import PersonalDataGuard

    guard = PersonalDataGuard()
    guard.scan_file_name(file_name)
    [problem] = guard.problems
    assert (problem.code, problem.params["place"], problem.sheet, problem.row, problem.column, problem.value) == (
        "personal_data", "file_name", None, None, None, masked)
    assert problem.message("fi").startswith("Tiedoston nimessä on jotain")
    assert problem.message("en").startswith("In the file's name there is something")


@pytest.mark.parametrize("file_name", [
    "toiminta_2025-03.xlsx", "raportti_14_03_2025.xlsx", "Toiminta 0412-2026.xlsx", "Matti Meikäläinen.xlsx",
    "kuukausiraportti (2).ods", "FI21 1234 5600 0007 85.csv",
])
def test_other_file_names_pass(file_name):
    from data_sources.personal_data import PersonalDataGuard

    guard = PersonalDataGuard()
    guard.scan_file_name(file_name)
    assert guard.problems == []


# --- texts outside the cells (data_sources/file_texts.py) ---------------------------------

def text_problems(texts, sheets=()):
    from data_sources.personal_data import PersonalDataGuard

    guard = PersonalDataGuard()
    guard.scan_sheets(list(sheets))
    guard.scan_texts(texts)
    return [(p.code, p.params.get("place"), p.sheet, p.row, p.column, p.value) for p in guard.problems]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("where", [
    {"sheet": "Toiminta", "cell": "B4", "detail": "creator"}, {"sheet": "Toiminta"}, {"detail": "xl/x.xml"}, {}])
def test_every_place_has_a_message_that_names_it_in_every_language(lang, where):
    from data_sources.file_texts import PLACES, FileText

    for place in PLACES:
        [problem] = [p for p in _guard_problems([FileText(place, "soita 040 123 4567", **where)])]
        message = problem.message(lang)
        assert "040 *** ****" in message and "123 4567" not in message
        assert "{" not in message and "}" not in message
        if where.get("sheet") and place not in ("properties", "comment_author", "defined_name", "shared_string",
                                                  "number_format", "link_target", "xls_stream", "other"):
            assert "Toiminta" in message, (place, message)
        if where.get("cell") and place in ("comment", "hyperlink", "formula", "validation", "cell_text", "text_box"):
            assert "B4" in message, (place, message)


def _guard_problems(texts):
    from data_sources.personal_data import PersonalDataGuard

    guard = PersonalDataGuard()
    guard.scan_texts(texts)
    return guard.problems


def test_a_property_is_named_in_the_users_language():
    from data_sources.file_texts import FileText

    [problem] = _guard_problems([FileText("properties", "maija@example.fi", detail="creator", free_text=False)])
    assert problem.message("fi").startswith("Tiedoston ominaisuuksissa (”tekijä”) on jotain")
    assert problem.message("sv").startswith("I filens egenskaper (”författare”) finns något")
    assert problem.message("en").startswith("In the file's properties (“author”) there is something")


def test_who_saved_the_file_is_not_a_finding_but_their_contact_details_are():
    from data_sources.file_texts import FileText

    assert text_problems([FileText("properties", "Maija Virtanen", detail="creator", free_text=False),
                          FileText("comment_author", "Maija Virtanen", free_text=False)]) == []
    assert text_problems([FileText("properties", "Maija Virtanen, 040 765 4321", detail="creator",
                                   free_text=False)]) == [
        ("personal_data", "properties", None, None, None, "040 *** ****")]


def test_a_name_outside_the_cells_is_warned_about_only_in_free_text():
    from data_sources.file_texts import FileText

    assert text_problems([FileText("comment", "Soita Matti Virtaselle", sheet="Toiminta", cell="B4")]) == [
        ("possible_name", "comment", "Toiminta", 4, "B", "M*** V***")]
    assert text_problems([FileText("other", "Matti Virtanen", detail="customXml/item1.xml", free_text=False)]) == []


def test_a_text_repeating_the_cells_reports_only_what_no_cell_did():
    from data_sources.file_texts import FileText

    sheet = RawSheet("Toiminta", [["Päivämäärä", "Huom"], ["2025-03", "soita 040 123 4567"]])
    texts = [
        FileText("shared_string", "soita 040 123 4567", free_text=False, repeats_cells=True),   # the cell's own text
        FileText("xls_stream", "x\nsoita 040 123 4567\nrivi", free_text=False, repeats_cells=True),
        FileText("xls_stream", "vanha 050 765 4321", free_text=False, repeats_cells=True),
        FileText("comment", "sama 040 123 4567", sheet="Toiminta", cell="B2"),                 # a place of its own
    ]
    assert text_problems(texts, [sheet]) == [
        ("personal_data", None, "Toiminta", 2, "Huom", "040 *** ****"),
        ("personal_data", "xls_stream", None, None, None, "050 *** ****"),
        ("personal_data", "comment", "Toiminta", 2, "B", "040 *** ****"),
    ]


def test_a_place_reports_each_kind_once_however_many_pieces_it_comes_in():
    from data_sources.file_texts import FileText

    texts = [FileText("header_footer", "040 123 4567", sheet="Toiminta"),
             FileText("header_footer", "050 765 4321 ja maija@example.fi", sheet="Toiminta")]
    assert text_problems(texts) == [
        ("personal_data", "header_footer", "Toiminta", None, None, "040 *** ****"),
        ("personal_data", "header_footer", "Toiminta", None, None, "m***@***"),
    ]


@pytest.mark.parametrize(("cell", "hidden"), [
    ("Yhteyshenkilö: maija.meikalainen@example.fi", "maija"),
    ("Asiakkaan nimi: Mikko Virtanen", "Virtanen"),
    ("Puhelin 040 123 4567", "4567"),
])
def test_a_header_like_cell_is_shown_with_what_else_it_holds_masked(cell, hidden):
    """A cell that reads as a personal header is named in the refusal by its text; an address,
    number or name in that same text is masked there as in its own finding (found by the Google
    Sheets tests: the whole cell was once shown)."""
    from data_sources.personal_data import PersonalDataGuard

    guard = PersonalDataGuard()
    guard.scan_sheets([RawSheet("Ohjeet", [["Täytä"], [cell]])])
    assert guard.problems
    for problem in guard.problems:
        assert hidden not in str(problem.value)
        for lang in ("fi", "sv", "en"):
            assert hidden not in problem.message(lang)
