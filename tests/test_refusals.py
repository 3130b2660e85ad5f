"""Every error and warning code of spec/cli.md, produced by a real file the test writes —
xlsx, xls, ods and CSV where the problem is about content — through the full check path,
with the spreadsheet row number the user would look for."""

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
import xlwt

import i18n
from data_sources.intake import check_upload
from data_sources.organisations import Registry
from data_sources.problems import ERROR_CODES, WARNING_CODES
from settings import Settings

TODAY = date(2025, 7, 15)
REGISTRY = Registry(names={"aurinko": "Aurinko ry", "kuu": "Kuu ry"}, aliases={"aurinkoranta": "aurinko"})
TOIMINTA = ["Päivämäärä", "Toimintamuoto", "Lukumäärä"]
KYSYNTA = ["Saapunut", "Pyytäjän sektori", "Tila", "Syy", "Kunta"]


def as_xlsx(grid: list[list], sheet: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in grid:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_xls(grid: list[list], sheet: str) -> bytes:
    book = xlwt.Workbook()
    tab = book.add_sheet(sheet)
    dates = xlwt.easyxf(num_format_str="D.M.YYYY")
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                tab.write(r, c, value, dates)
            elif value is not None:
                tab.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_ods(grid: list[list], sheet: str) -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="odf") as writer:
        pd.DataFrame(grid).to_excel(writer, sheet_name=sheet, header=False, index=False)
    return out.getvalue()


def as_csv(grid: list[list], sheet: str) -> bytes:
    def text(value):
        if value is None:
            return ""
        if isinstance(value, datetime):
            return f"{value.day}.{value.month}.{value.year}"
        return str(value)
    return "\r\n".join(";".join(text(v) for v in row) for row in grid).encode("cp1252")


WRITERS = {"xlsx": as_xlsx, "xls": as_xls, "ods": as_ods, "csv": as_csv}


def check(name: str, data: bytes, *, org: str | None = "aurinko", locked=frozenset(), settings=None):
    return check_upload(name, data, registry=REGISTRY, uploader_org=org, locked_months=set(locked),
                        today=TODAY, settings=settings or Settings())


# code, sheet name, grid (header in row 1), the row and column the problem must name,
# uploading organisation, locked months
CONTENT_CASES = [
    ("missing_column", "Toiminta", [["Päivämäärä", "Lukumäärä"], [datetime(2025, 1, 1), 3]],
     None, "Toimintamuoto", "aurinko", ()),
    ("bad_date", "Toiminta", [TOIMINTA, [datetime(2025, 1, 1), "Muu", 1], ["31.13.2025", "Muu", 2]],
     3, "Päivämäärä", "aurinko", ()),
    ("future_date", "Toiminta", [TOIMINTA, [datetime(2025, 1, 1), "Muu", 1], [datetime(2025, 12, 1), "Muu", 2]],
     3, "Päivämäärä", "aurinko", ()),
    ("bad_number", "Toiminta", [TOIMINTA, [datetime(2025, 1, 1), "Muu", "n. 20"]],
     2, "Lukumäärä", "aurinko", ()),
    ("negative_number", "Toiminta", [TOIMINTA, [datetime(2025, 1, 1), "Muu", 1], [datetime(2025, 2, 1), "Muu", -3]],
     3, "Lukumäärä", "aurinko", ()),
    ("out_of_range", "Toiminta", [TOIMINTA + ["Palaute"], [datetime(2025, 1, 1), "Muu", 1, 7]],
     2, "Palaute", "aurinko", ()),
    ("unknown_value", "Toiminta", [TOIMINTA, [datetime(2025, 1, 1), "Kahvittelu", 1]],
     2, "Toimintamuoto", "aurinko", ()),
    ("unknown_org", "Toiminta", [["Organisaatio"] + TOIMINTA, ["Aurinko ry", datetime(2025, 1, 1), "Muu", 1],
                                 ["Tuntematon ry", datetime(2025, 1, 1), "Muu", 1]],
     3, "Organisaatio", None, ()),
    ("wrong_org", "Toiminta", [["Organisaatio"] + TOIMINTA, ["Aurinkoranta", datetime(2025, 1, 1), "Muu", 1],
                               ["Kuu ry", datetime(2025, 1, 1), "Muu", 1]],
     3, "Organisaatio", "aurinko", ()),
    ("locked_period", "Toiminta", [TOIMINTA, [datetime(2025, 1, 1), "Muu", 1], [datetime(2025, 3, 1), "Muu", 1]],
     2, "Päivämäärä", "aurinko", (date(2025, 1, 1),)),
    ("personal_data", "Toiminta", [TOIMINTA + ["Huomiot"], [datetime(2025, 1, 1), "Muu", 1, "soita 040 123 4567"]],
     2, "Huomiot", "aurinko", ()),
    ("unknown_column", "Toiminta", [TOIMINTA + ["Huomiot"], [datetime(2025, 1, 1), "Muu", 1, "kahvit"]],
     None, "Huomiot", "aurinko", ()),
    ("missing_reason", "Kysyntä", [KYSYNTA, [datetime(2025, 1, 1), "Neuvola", "Toteutumatta", None, "Turku"]],
     2, "Syy", "aurinko", ()),
    ("unknown_municipality", "Kysyntä", [KYSYNTA, [datetime(2025, 1, 1), "Neuvola", "Toteutunut", None, "Atlantis"]],
     2, "Kunta", "aurinko", ()),
    ("totals_row_skipped", "Toiminta", [TOIMINTA, [datetime(2025, 1, 1), "Muu", 1], ["Yhteensä", None, 1]],
     3, None, "aurinko", ()),
    # past 500 listed problems of a kind, the rest are one counted line (no row of its own)
    ("more_errors", "Toiminta", [TOIMINTA] + [[datetime(2025, 1, 1), "Muu", "noin 3"]] * 503,
     None, None, "aurinko", ()),
    ("more_warnings", "Kysyntä", [KYSYNTA] + [[datetime(2025, 1, 1), "Neuvola", "Toteutunut", None, "Atlantis"]] * 502,
     None, None, "aurinko", ()),
    ("possible_name", "Toiminta", [TOIMINTA + ["Huomiot"], [datetime(2025, 1, 1), "Muu", 1, "Matti Virtanen kävi"]],
     2, "Huomiot", "aurinko", ()),
    ("possible_address", "Toiminta", [TOIMINTA + ["Huomiot"],
                                      [datetime(2025, 1, 1), "Muu", 1, "tavattiin Aurakatu 5 B 12"]],
     2, "Huomiot", "aurinko", ()),
]


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize(("code", "sheet", "grid", "row", "column", "org", "locked"), CONTENT_CASES,
                         ids=[c[0] for c in CONTENT_CASES])
def test_content_problem_in_every_format(fmt, code, sheet, grid, row, column, org, locked):
    checked = check(f"{sheet.lower()}.{fmt}", WRITERS[fmt](grid, sheet), org=org, locked=locked)
    problems = checked.errors if code in ERROR_CODES else checked.warnings
    found = [(p.row, p.column) for p in problems if p.code == code]
    assert found, [(p.code, p.row, p.column, p.value) for p in checked.errors + checked.warnings]
    if column is None:
        assert [r for r, _ in found] == [row]
    else:
        # a missing column is named as the contract names it: "Toimintamuoto / Verksamhetsform / …"
        assert any(r == row and c.split(" / ")[0] == column for r, c in found), found
    assert checked.ok == (code in WARNING_CODES)
    for problem in problems:
        assert problem.message("fi") and problem.message("sv") and problem.message("en")


# the words a message speaks of a tab (a sheet) with
TAB_WORDS = {"fi": re.compile(r"välileh", re.IGNORECASE), "sv": re.compile(r"\bflik", re.IGNORECASE),
             "en": re.compile(r"\b(tabs?|sheets?)\b", re.IGNORECASE)}


def assert_no_tab_is_spoken_of(problems):
    for problem in problems:
        for lang in i18n.LANGUAGES:
            message = problem.message(lang)
            assert not TAB_WORDS[lang].search(message) and "{" not in message, (problem.code, message)


@pytest.mark.parametrize(("code", "sheet", "grid", "row", "column", "org", "locked"), CONTENT_CASES,
                         ids=[c[0] for c in CONTENT_CASES])
def test_a_csv_files_content_problems_speak_of_no_tab(code, sheet, grid, row, column, org, locked):
    # a CSV's one sheet is named after the file, and was spoken of as a tab: "På fliken ”bad_negative”"
    checked = check(f"{sheet.lower()}.csv", as_csv(grid, sheet), org=org, locked=locked)
    assert code in [p.code for p in checked.errors + checked.warnings]
    assert_no_tab_is_spoken_of(checked.errors + checked.warnings)


WIDE = "Toimintamuoto;tammi;helmi;maalis"
# CSV files whose problems have hints or messages of their own: (name, text, settings, code, hint)
CSV_CASES = [
    ("toiminta.csv", "1/2025;Muu;3\n2/2025;Muu;4\n", {}, "missing_column", "no_header"),
    ("toiminta.csv", f"{WIDE}\nMuu;1;2;3\n", {}, "missing_column", "wide_year"),
    ("toiminta 2025.csv", f"{WIDE};tammi\nMuu;1;2;3;4\n", {}, "missing_column", "wide_month_twice"),
    ("toiminta 2024-2025.csv", f"{WIDE}\nMuu;1;2;3\n", {}, "missing_column", "wide_years"),
    ("toiminta 2024.csv", "Toimintamuoto;syys;loka;tammi\nMuu;1;2;3\n", {}, "missing_column", "wide_month_order"),
    ("raportti.csv", "Tili;Euroa\nVuokra;1200\n", {}, "no_known_sheet", None),
    ("toiminta.csv", "Päivämäärä;Toimintamuoto;Sähköposti\n1/2025;Muu;x\n", {}, "personal_data", None),
    ("toiminta.csv", "Päivämäärä;Toimintamuoto;Lukumäärä;Huom\n1/2025;Muu;1;x\n", {"max_columns": 3},
     "file_too_large", "file_too_many_columns"),
    ("toiminta.csv", "Päivämäärä;Toimintamuoto\n" + "1/2025;Muu\n" * 5, {"max_rows": 3},
     "file_too_large", "file_too_many_rows"),
    ("toiminta.csv", "Päivämäärä;Toimintamuoto\n" + "1/2025;Muu\n" * 5, {"max_sheet_cells": 6},
     "file_too_large", "file_too_many_sheet_cells"),
    ("toiminta.csv", "Päivämäärä;Toimintamuoto\n" + "1/2025;Muu\n" * 5, {"max_cells": 6},
     "file_too_large", "file_too_many_cells"),
]


@pytest.mark.parametrize("name, text, limits, code, hint", CSV_CASES, ids=[c[4] or c[3] for c in CSV_CASES])
def test_a_csv_files_other_problems_speak_of_no_tab(name, text, limits, code, hint):
    checked = check(name, text.encode(), settings=Settings(**limits))
    assert (code, hint) in [(p.code, p.params.get("hint_key")) for p in checked.errors]
    assert_no_tab_is_spoken_of(checked.errors + checked.warnings)


NEGATIVE = [TOIMINTA, [datetime(2025, 1, 1), "Muu", -3]]


@pytest.mark.parametrize("name, data, expected", ids=["csv", "xlsx"], argvalues=[
    ("bad_negative.csv", as_csv(NEGATIVE, "Toiminta"), {
        "fi": "Rivillä 2 sarakkeessa ”Lukumäärä” on negatiivinen luku ”-3”. Kirjoita 0 tai sitä suurempi luku.",
        "sv": "På rad 2 står det ett negativt tal ”-3” i kolumnen ”Lukumäärä”. Skriv 0 eller ett större tal.",
        "en": "Row 2, column “Lukumäärä” holds the negative number “-3”. Write 0 or a larger number."}),
    # a workbook's tab is named as before
    ("bad_negative.xlsx", as_xlsx(NEGATIVE, "Toiminta"), {
        "fi": "Välilehden ”Toiminta” rivillä 2 sarakkeessa ”Lukumäärä” on negatiivinen luku ”-3”. "
              "Kirjoita 0 tai sitä suurempi luku.",
        "sv": "På fliken ”Toiminta”, rad 2, står det ett negativt tal ”-3” i kolumnen ”Lukumäärä”. "
              "Skriv 0 eller ett större tal.",
        "en": "Sheet “Toiminta”, row 2, column “Lukumäärä” holds the negative number “-3”. "
              "Write 0 or a larger number."}),
])
def test_a_problem_is_placed_by_row_alone_in_a_csv_and_by_tab_in_a_workbook(name, data, expected):
    [problem] = check(name, data).errors
    assert (problem.code, problem.row) == ("negative_number", 2)
    assert {lang: problem.message(lang) for lang in expected} == expected


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_an_email_address_in_a_note_is_one_problem_of_its_cell(fmt):
    grid = [TOIMINTA + ["Huomiot"], [datetime(2025, 1, 1), "Muu", 1, "sähköposti matti@example.com"]]
    checked = check(f"toiminta.{fmt}", WRITERS[fmt](grid, "Toiminta"))
    assert [(p.code, p.row, p.column, p.params["kind"], p.value) for p in checked.errors] == [
        ("personal_data", 2, "Huomiot", "email", "m***@***")]


def test_personal_data_is_masked_in_the_refusal():
    grid = [TOIMINTA + ["Huomiot"], [datetime(2025, 1, 1), "Muu", 1, "131052-308T"]]
    checked = check("toiminta.xlsx", as_xlsx(grid, "Toiminta"))
    [problem] = [p for p in checked.errors if p.code == "personal_data"]
    assert "308T" not in problem.value and "308T" not in problem.message("fi")


def test_empty_file():
    checked = check("toiminta.xlsx", as_xlsx([TOIMINTA], "Toiminta"))
    assert [(p.code, p.row) for p in checked.errors] == [("empty_file", None)]


@pytest.mark.parametrize("name, data", [
    ("toiminta.csv", b""), ("raportti.csv", b""), ("toiminta.txt", b""), ("toiminta", b""),
    ("raportti.csv", "\ufeff".encode()),            # Excel's CSV UTF-8 of an empty sheet: a BOM alone
    ("raportti.csv", b"\r\n \r\n\t\r\n"),          # blank lines only
])
def test_an_empty_csv_file_is_refused_as_empty(name, data):
    # a 0-byte CSV was refused as unreadable ("damaged, only partly saved or protected")
    checked = check(name, data)
    assert [(p.code, p.row) for p in checked.errors] == [("empty_file", None)]


def test_an_empty_file_with_a_workbooks_name_is_still_unreadable():
    # a saved workbook is never 0 bytes: one that is was not saved to the end
    checked = check("toiminta.xlsx", b"")
    assert [(p.code, p.params["reason"]) for p in checked.errors] == [("unreadable_file", "damaged")]


def test_no_known_sheet():
    checked = check("budjetti.xlsx", as_xlsx([["Tili", "Euroa"], ["Vuokra", 1200]], "Budjetti"))
    assert [(p.code, p.row) for p in checked.errors] == [("no_known_sheet", None)]


def test_unsupported_type_from_the_bytes_not_the_name():
    checked = check("toiminta.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert [p.code for p in checked.errors] == ["unsupported_type"]


# a note or a list saved under a workbook's name: no tab of it is a table the contract knows
TEXT_NOT_A_TABLE = [
    b"Hei,\ntassa muistiinpanoja kokouksesta.\nSeuraava tapaaminen maaliskuussa.\n",
    b"Muistiinpano kokouksesta\n",
    b"Tili;Euroa\nVuokra;1200\n",
]


@pytest.mark.parametrize("name", ["raportti.xlsx", "raportti.xls", "raportti.ods", "toiminta.xlsx"])
@pytest.mark.parametrize("content", TEXT_NOT_A_TABLE, ids=["note", "one_line", "other_table"])
def test_a_text_file_with_a_workbooks_name_is_refused_as_no_spreadsheet(name, content):
    # it was refused as a file without a known tab, or (named toiminta) as a tab without a
    # header row: about tabs the file never had
    checked = check(name, content)
    assert [(p.code, p.params.get("hint_key")) for p in checked.errors] == [
        ("unsupported_type", "text_named_as_workbook")]
    assert checked.warnings == []
    suffix = name[name.rindex("."):]
    for lang, what_to_do in (("fi", "tallenna se Excel-työkirjana (.xlsx)"),
                             ("sv", "spara den som en Excel-arbetsbok (.xlsx)"),
                             ("en", "save it as an Excel workbook (.xlsx)")):
        message = checked.errors[0].message(lang)
        assert f"”{suffix}”" in message or f"“{suffix}”" in message
        assert what_to_do in message


def test_a_csv_with_a_workbooks_name_is_still_read_when_it_holds_a_known_table():
    data = as_csv([TOIMINTA, [datetime(2025, 1, 1), "Muu", 3]], "Toiminta")
    checked = check("raportti.xlsx", data)
    assert checked.ok and checked.file_type == "csv"
    assert len(checked.sheets["toiminta"]) == 1


def test_unreadable_file():
    whole = as_xlsx([TOIMINTA, [datetime(2025, 1, 1), "Muu", 1]], "Toiminta")
    checked = check("toiminta.xlsx", whole[: len(whole) // 2])
    assert [p.code for p in checked.errors] == ["unreadable_file"]


def test_file_too_large():
    data = as_csv([TOIMINTA] + [[datetime(2025, 1, 1), "Muu", 1]] * 200, "Toiminta")
    checked = check("toiminta.csv", data, settings=Settings(upload_limit_mb=0.001))
    assert [p.code for p in checked.errors] == ["file_too_large"]


def test_archive_bomb_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))  # ~1000-fold
    checked = check("toiminta.xlsx", out.getvalue())
    assert [p.code for p in checked.errors] == ["archive_bomb"]


def test_every_code_of_the_spec_is_covered_here():
    covered = {c[0] for c in CONTENT_CASES} | {
        "empty_file", "no_known_sheet", "unsupported_type", "unreadable_file", "file_too_large", "archive_bomb"}
    assert covered == set(ERROR_CODES) | set(WARNING_CODES)


def test_the_same_month_on_two_tabs_is_refused_in_plain_words():
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Toiminta"
    copy = book.create_sheet("Toiminta (2)")
    for tab in (first, copy):
        tab.append(TOIMINTA)
        tab.append([datetime(2025, 1, 1), "Vertaistukitapaaminen", 10])
    out = io.BytesIO()
    book.save(out)
    checked = check("toiminta.xlsx", out.getvalue())
    [problem] = checked.errors
    assert (problem.code, problem.row) == ("bad_date", 2)
    assert problem.message("fi").startswith("Välilehden ”Toiminta (2)” rivillä 2: Kuukausi 1/2025 on jo välilehdellä")
    assert "not recognised as a date" not in problem.message("en")


@pytest.mark.parametrize("rows, listed, counted", [(500, 500, None), (501, 500, 1), (2000, 500, 1500)])
def test_a_file_lists_at_most_500_problems_and_counts_the_rest(rows, listed, counted):
    data = ("Päivämäärä;Toimintamuoto;Lukumäärä\n" + "1/2025;Muu;noin 3\n" * rows).encode()
    checked = check("toiminta.csv", data, org="aurinko", locked=())
    assert len([p for p in checked.errors if p.code == "bad_number"]) == listed
    more = [p for p in checked.errors if p.code == "more_errors"]
    assert [p.params["count"] for p in more] == ([] if counted is None else [counted])
    if more:
        words = "1 muu korjattava kohta" if counted == 1 else f"{counted} muuta korjattavaa kohtaa"
        assert more[0].message("fi").startswith(f"Tiedostossa on lisäksi {words}")


# a count past 64 bits crashed the check (OverflowError), hours of 1 followed by 400 zeros were
# stored as infinity; now each is a row's bad number, in every format (xls holds floats only)
TOO_LARGE = [("count", 2, 10**12), ("count_text", 2, "1" + "0" * 30), ("count_past_64_bits", 2, 2**70),
             ("hours", 3, 1e300), ("hours_text", 3, "1" + "0" * 400)]


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("name, column, value", TOO_LARGE, ids=[c[0] for c in TOO_LARGE])
def test_a_number_far_past_any_real_amount_is_a_bad_number_of_its_row(fmt, name, column, value):
    if fmt in ("xls", "ods") and isinstance(value, int) and value > 2**53:
        value = float(value)   # these formats keep every number as a float
    if fmt == "csv" and isinstance(value, float):
        value = f"{value:.0f}"   # as digits: "1e+300" is no number a person writes (the plain bad_number)
    row = [datetime(2025, 1, 1), "Muu", 2, 1.5]
    row[column] = value
    checked = check(f"toiminta.{fmt}", WRITERS[fmt]([TOIMINTA + ["Tunnit"], [datetime(2025, 2, 1), "Muu", 1, 1], row],
                                                  "Toiminta"))
    assert [(p.code, p.row, p.column) for p in checked.errors] == [
        ("bad_number", 3, "Lukumäärä" if column == 2 else "Tunnit")]
    for lang, words in (("fi", "1 000 000 000"), ("sv", "1 000 000 000"), ("en", "1,000,000,000")):
        assert words in checked.errors[0].message(lang)
