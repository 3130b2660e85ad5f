import csv
import io
import re
from datetime import date

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

import i18n
from data_sources.templates import (
    CODE_COLUMNS,
    code_labels,
    filled_workbook,
    template_csv,
    template_workbook,
)
from data_sources.vocabulary import ATTITUDE_STAGES, CODE_LISTS, MONTH_COLUMN, SHEET_COLUMNS, SHEETS

SHEET_NAMES = {
    "fi": ["Ohjeet", "Toiminta", "Asenteet", "Kysyntä", "Kapasiteetti", "Listat"],
    "sv": ["Anvisningar", "Verksamhet", "Attityder", "Efterfrågan", "Kapacitet", "Listor"],
    "en": ["Instructions", "Activities", "Attitudes", "Demand", "Capacity", "Lists"],
}

# the contract's header words that the personal-data guard refuses (data-contract.md)
GUARD_WORDS = (
    "nimi", "etunimi", "sukunimi", "namn", "förnamn", "efternamn", "name", "surname",
    "henkilötunnus", "hetu", "personbeteckning", "syntymäaika", "födelsedatum", "puhelin",
    "puh", "telefon", "phone", "sähköposti", "e-post", "email", "osoite", "adress", "address",
)


@pytest.fixture(scope="module", params=i18n.LANGUAGES)
def template(request):
    lang = request.param
    return lang, openpyxl.load_workbook(io.BytesIO(template_workbook(lang)))


def headers(lang, sheet, with_org=True):
    return [i18n.t(lang, f"column.{sheet}.{c}") for c in SHEET_COLUMNS[sheet]
            if c != "source_row" and (with_org or c != "org_code")]


def test_sheet_names_follow_the_language(template):
    lang, book = template
    assert book.sheetnames == SHEET_NAMES[lang]
    assert book[SHEET_NAMES[lang][-1]].sheet_state == "hidden"
    assert book.active.title == SHEET_NAMES[lang][0]


@pytest.mark.parametrize("lang, sheet, expected", [
    ("fi", "toiminta", ["Organisaatio", "Päivämäärä", "Toimintamuoto", "Lukumäärä",
                        "Kokemustoimijoita", "Tavoitetut henkilöt", "Tunnit", "Kohdesektori",
                        "Kunta", "Palaute"]),
    ("fi", "asenteet", ["Organisaatio", "Päivämäärä", "Vastaajaryhmä", "Mittausajankohta",
                        "Asenne", "Vastaajia", "Kohdesektori"]),
    ("sv", "kysynta", ["Organisation", "Inkommen", "Beställarens sektor", "Typ av begäran",
                       "Status", "Orsak", "Kommun", "Begärda tillfällen"]),
    ("en", "kapasiteetti", ["Organisation", "Month", "Trained experts", "Active experts",
                            "Hours available"]),
])
def test_header_row_is_the_contracts(lang, sheet, expected):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(lang)))
    ws = book[i18n.label(lang, "sheet", sheet)]
    assert [cell.value for cell in ws[1]] == expected


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_header_has_a_note_and_the_header_row_is_frozen(template, sheet):
    lang, book = template
    ws = book[i18n.label(lang, "sheet", sheet)]
    assert [cell.value for cell in ws[1]] == headers(lang, sheet)
    for cell in ws[1]:
        assert cell.comment is not None and len(cell.comment.text) > 20, cell.value
    assert ws.freeze_panes == "A2"


def test_notes_say_what_is_required():
    # the note of a required column and of an optional one differ in the word for it
    assert "pakollinen" in i18n.t("fi", "template.note.activity_type")
    assert "ei pakollinen" in i18n.t("fi", "template.note.hours")
    assert "Blank = 1" in i18n.t("en", "template.note.count_sessions")


# how each language marks a required column and an optional one, in the note's first bracket
REQUIRED_MARKS = {"fi": ("pakollinen", "ei pakollinen"), "sv": ("obligatorisk", "frivillig"),
                  "en": ("required", "optional")}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("sheet, column", [(s, c) for s in SHEETS for c in SHEET_COLUMNS[s] if c != "source_row"])
def test_a_note_calls_a_column_required_exactly_when_the_check_requires_it(lang, sheet, column):
    from data_sources.headers import REQUIRED_COLUMNS

    required_word, optional_word = REQUIRED_MARKS[lang]
    bracket = re.search(r"\(([^)]*)\)", i18n.t(lang, f"template.note.{column}"))
    assert bracket, column
    says_optional = optional_word in bracket.group(1)
    says_required = required_word in bracket.group(1).replace(optional_word, "")
    assert (says_required, says_optional) == ((True, False) if column in REQUIRED_COLUMNS[sheet] else (False, True))


def _list_values(book, formula):
    match = re.fullmatch(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    sheet, col, first, col2, last = match.groups()
    assert col == col2
    ws = book[sheet]
    return [ws[f"{col}{row}"].value for row in range(int(first), int(last) + 1)]


@pytest.mark.parametrize("sheet", SHEETS)
def test_code_columns_have_drop_downs_with_the_labels(template, sheet):
    lang, book = template
    ws = book[i18n.label(lang, "sheet", sheet)]
    columns = [c for c in SHEET_COLUMNS[sheet] if c != "source_row"]
    by_column = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            assert cell_range.min_row == 2 and cell_range.max_row >= 1000
            by_column[columns[cell_range.min_col - 1]] = validation
    assert set(by_column) == {c for c in columns if c in CODE_COLUMNS}
    for column, validation in by_column.items():
        assert validation.type == "list"
        assert _list_values(book, validation.formula1) == code_labels(lang, CODE_COLUMNS[column])


@pytest.mark.parametrize("lang, code_list, expected", [
    ("fi", "attitude_stage", ["1 – Epäilevä", "2 – Varauksellinen", "3 – Kysyvä, kiinnostunut",
                              "4 – Myönteinen", "5 – Luottava, hyödyntää kokemustietoa"]),
    ("sv", "status", ["Genomförd", "Delvis genomförd", "Ej genomförd", "Öppen",
                      "Beställaren avbokade"]),
    ("en", "reason", ["No expert available", "No funding", "Timing",
                      "No matching lived experience", "Other"]),
])
def test_drop_down_labels(lang, code_list, expected):
    assert code_labels(lang, code_list) == expected


def test_instructions_sheet_says_what_matters(template):
    lang, book = template
    text = " ".join(str(c) for row in book.worksheets[0].iter_rows(values_only=True)
                    for c in row if c is not None)
    expected = {
        "fi": ("henkilötunnuksia", "korvaa", "Lukumäärä"),
        "sv": ("personbeteckningar", "ersätter", "Antal"),
        "en": ("personal identity codes", "replaces", "Count"),
    }[lang]
    for word in expected:
        assert word in text
    for sheet in SHEETS:
        assert i18n.label(lang, "sheet", sheet) in text


def test_no_cell_holds_a_word_the_personal_data_guard_refuses(template):
    # the checker scans every sheet of an upload, so the template's own words must pass it
    lang, book = template
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, GUARD_WORDS)) + r")(?!\w)",
                         re.IGNORECASE)
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not pattern.search(value), (ws.title, value)


def test_examples_are_not_laid_out_as_a_data_header(template):
    # a row holding two or more of a sheet's headers would make the instructions look like data
    lang, book = template
    for row in book.worksheets[0].iter_rows(values_only=True):
        cells = {c for c in row if isinstance(c, str)}
        for sheet in SHEETS:
            assert len(cells & set(headers(lang, sheet, with_org=False))) <= 1, row


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("sheet", SHEETS)
def test_template_csv_is_a_bom_header_row(sheet, lang):
    content = template_csv(sheet, lang)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.count("\n") == 1
    assert next(csv.reader(io.StringIO(text), delimiter=";")) == headers(lang, sheet)


def test_template_csv_refuses_an_unknown_sheet():
    with pytest.raises(ValueError):
        template_csv("toiminnot", "fi")


# --- filled workbooks ---------------------------------------------------------------------

def canonical_rows():
    """A few rows per sheet, with blanks where the contract allows them."""
    month = pd.Timestamp("2025-03-01")

    def frame(sheet, records):
        return pd.DataFrame([{"source_row": None, "org_code": "demo_x", **r} for r in records],
                            columns=list(SHEET_COLUMNS[sheet]))

    return {
        "toiminta": frame("toiminta", [
            {"activity_month": month, "activity_type": "vertaistukitapaaminen",
             "count_activities": 14, "experts_involved": 3, "people_reached": 11, "hours": 21.5,
             "target_sector": "lastensuojelu", "municipality": "Turku", "feedback": 4.6},
            {"activity_month": pd.Timestamp("2025-04-01"), "activity_type": "media",
             "count_activities": 1, "experts_involved": 2, "people_reached": None, "hours": None,
             "target_sector": None, "municipality": None, "feedback": None},
        ]),
        "asenteet": frame("asenteet", [
            {"answer_month": month, "respondent_group": "vanhempi", "measurement_point": "ennen",
             "attitude_stage": 1, "count_respondents": 4, "target_sector": None},
            {"answer_month": month, "respondent_group": "lastensuojelun_tyontekija",
             "measurement_point": "jalkeen", "attitude_stage": 3, "count_respondents": 2,
             "target_sector": "sairaala"},
        ]),
        "kysynta": frame("kysynta", [
            {"received_month": month, "requesting_sector": "neuvola", "request_type": "koulutus",
             "status": "toteutumatta", "reason": "ei_tekijaa", "municipality": "Salo",
             "count_sessions": 2},
            {"received_month": month, "requesting_sector": "muu", "request_type": None,
             "status": "peruttu", "reason": None, "municipality": None, "count_sessions": 1},
        ]),
        "kapasiteetti": frame("kapasiteetti", [
            {"capacity_month": month, "count_trained": 18, "count_active": 11,
             "hours_available": 40.5},
            {"capacity_month": pd.Timestamp("2025-04-01"), "count_trained": 18,
             "count_active": 12, "hours_available": None},
        ]),
    }


def _from_label(lang, column, value):
    """A cell as calamine reads it, back to its canonical value, as the reader would."""
    if value == "":
        return None
    if column == "attitude_stage":
        return {f"{n} – {i18n.label(lang, 'attitude_stage', code)}": n
                for n, code in ATTITUDE_STAGES.items()}[value]
    if column in CODE_COLUMNS:
        code_list = CODE_COLUMNS[column]
        return {i18n.label(lang, code_list, code): code for code in CODE_LISTS[code_list]}[value]
    if column in MONTH_COLUMN.values():
        assert isinstance(value, date), value
        return pd.Timestamp(value)
    return value


def read_back(content: bytes, lang: str) -> dict[str, list[dict]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    out = {}
    for sheet in SHEETS:
        rows = book.get_sheet_by_name(i18n.label(lang, "sheet", sheet)).to_python()
        by_header = {i18n.t(lang, f"column.{sheet}.{c}"): c for c in SHEET_COLUMNS[sheet]}
        columns = [by_header[h] for h in rows[0]]
        out[sheet] = [{c: _from_label(lang, c, v) for c, v in zip(columns, row)} for row in rows[1:]]
    return out


def _normalised(frame: pd.DataFrame, with_org: str | None) -> list[dict]:
    records = []
    for record in frame.drop(columns=["source_row"]).to_dict("records"):
        record = {k: (None if pd.isna(v) else v) for k, v in record.items()}
        record = {k: (float(v) if isinstance(v, (int, float)) else v) for k, v in record.items()}
        if with_org is None:
            del record["org_code"]
        else:
            record["org_code"] = with_org
        records.append(record)
    return records


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("org_label", [None, "Aurinkoranta"])
def test_filled_workbook_round_trips(lang, org_label):
    rows = canonical_rows()
    content = filled_workbook(rows, lang, org_label=org_label)
    back = read_back(content, lang)
    for sheet in SHEETS:
        assert back[sheet] == _normalised(rows[sheet], org_label), sheet


def test_filled_workbook_writes_labels_stage_numbers_and_real_dates():
    book = openpyxl.load_workbook(io.BytesIO(filled_workbook(canonical_rows(), "fi")))
    assert [c.value for c in book["Asenteet"][3]][:4] == [
        pd.Timestamp("2025-03-01").to_pydatetime(), "Lastensuojelun työntekijä", "Jälkeen",
        "3 – Kysyvä, kiinnostunut",
    ]
    assert book["Toiminta"]["A2"].is_date
    # a blank optional value stays an empty cell, not 0 or "nan"
    assert book["Toiminta"]["E3"].value is None
    assert book["Kysyntä"]["C3"].value is None


def test_filled_workbook_leaves_the_organisation_column_out_without_a_label():
    book = openpyxl.load_workbook(io.BytesIO(filled_workbook(canonical_rows(), "en")))
    assert book["Activities"]["A1"].value == "Date"
    book = openpyxl.load_workbook(io.BytesIO(filled_workbook(canonical_rows(), "en", "Aurinkoranta")))
    assert [book["Activities"][f"A{r}"].value for r in (1, 2, 3)] == [
        "Organisation", "Aurinkoranta", "Aurinkoranta"]


def test_filled_workbook_keeps_drop_downs_on_the_right_columns_without_the_org_column():
    book = openpyxl.load_workbook(io.BytesIO(filled_workbook(canonical_rows(), "fi")))
    ws = book["Kysyntä"]
    columns = {str(v.sqref).split(":")[0]: v.formula1 for v in ws.data_validations.dataValidation}
    # Pyytäjän sektori is column B once Organisaatio is left out
    assert _list_values(book, columns["B2"]) == code_labels("fi", "sector")
    assert _list_values(book, columns["D2"]) == code_labels("fi", "status")


def test_filled_workbook_accepts_a_missing_sheet():
    rows = canonical_rows()
    del rows["kapasiteetti"]
    back = read_back(filled_workbook(rows, "sv"), "sv")
    assert back["kapasiteetti"] == []
    assert len(back["toiminta"]) == 2


def test_same_rows_give_the_same_bytes():
    # the ledger recognises a re-sent file by its hash
    assert filled_workbook(canonical_rows(), "fi") == filled_workbook(canonical_rows(), "fi")
    assert template_workbook("sv") == template_workbook("sv")
