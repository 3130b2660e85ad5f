"""read_file / read_workbook: real files written to disk, read back cell by cell."""

import datetime
import io
import time
import zipfile

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
import xlwt

from data_sources.readers import detect_delimiter, read_file
from settings import Settings

SETTINGS = Settings()


def read_path(path):
    return read_file(path.name, path.read_bytes(), SETTINGS)


# Every writer puts the header at C4 and one data row at C5:D5, nothing else on the sheet.
def write_openpyxl(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Toiminta"
    sheet["C4"], sheet["D4"] = "Päivämäärä", "Lukumäärä"
    sheet["C5"], sheet["D5"] = datetime.date(2025, 3, 14), 12
    workbook.save(path)


def write_xlsxwriter(path):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Toiminta")
    sheet.write("C4", "Päivämäärä")
    sheet.write("D4", "Lukumäärä")
    sheet.write_datetime("C5", datetime.datetime(2025, 3, 14), workbook.add_format({"num_format": "d.m.yyyy"}))
    sheet.write_number("D5", 12)
    workbook.close()


def write_xlwt(path):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Toiminta")
    sheet.write(3, 2, "Päivämäärä")
    sheet.write(3, 3, "Lukumäärä")
    sheet.write(4, 2, datetime.datetime(2025, 3, 14), xlwt.easyxf(num_format_str="D.M.YYYY"))
    sheet.write(4, 3, 12)
    workbook.save(str(path))


def write_odf(path):
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame({"Päivämäärä": [pd.Timestamp(2025, 3, 14)], "Lukumäärä": [12]}).to_excel(
            writer, sheet_name="Toiminta", startrow=3, startcol=2, index=False)


@pytest.mark.parametrize("writer, name, file_type", [
    (write_openpyxl, "toiminta.xlsx", "xlsx"),
    (write_xlsxwriter, "toiminta.xlsx", "xlsx"),
    (write_xlwt, "toiminta.xls", "xls"),
    (write_odf, "toiminta.ods", "ods"),
])
def test_cells_keep_their_true_spreadsheet_row_and_column(tmp_path, writer, name, file_type):
    path = tmp_path / name
    writer(path)
    sheets, detected, problems = read_path(path)
    assert (detected, problems) == (file_type, [])
    [sheet] = sheets
    assert sheet.name == "Toiminta"
    # rows[i][j] is the cell at row i+1, column j+1: C4 is rows[3][2]
    assert all(cell is None for row in sheet.rows[:3] for cell in row)
    assert sheet.rows[3][:4] == [None, None, "Päivämäärä", "Lukumäärä"]
    date, count = sheet.rows[4][2:4]
    assert sheet.rows[4][:2] == [None, None]
    assert isinstance(date, datetime.date)
    assert (date.year, date.month, date.day) == (2025, 3, 14)
    assert count == 12
    assert len(sheet.rows) == 5


def test_hidden_and_empty_sheets_are_read_too(tmp_path):
    path = tmp_path / "piilo.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Toiminta"
    workbook.active["A1"] = "Päivämäärä"
    hidden = workbook.create_sheet("Piilo")
    hidden["B2"] = "131052-308T"
    hidden.sheet_state = "hidden"
    very_hidden = workbook.create_sheet("Syvä")
    very_hidden["A3"] = "salainen"
    very_hidden.sheet_state = "veryHidden"
    workbook.create_sheet("Tyhjä")
    workbook.save(path)
    sheets, _, problems = read_path(path)
    assert problems == []
    assert {sheet.name: sheet.rows for sheet in sheets} == {
        "Toiminta": [["Päivämäärä"]],
        "Piilo": [[None, None], [None, "131052-308T"]],
        "Syvä": [[None], [None], ["salainen"]],
        "Tyhjä": [],
    }


def test_blank_text_cells_are_none(tmp_path):
    path = tmp_path / "tyhjat.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Toiminta")
    sheet.write_string("A1", "Kunta")
    sheet.write_string("A2", "   ")
    sheet.write_string("A3", "Turku")
    sheet.write_number("B3", 12.5)
    workbook.close()
    [sheet], _, _ = read_path(path)
    assert sheet.rows == [["Kunta", None], [None, None], ["Turku", 12.5]]


@pytest.mark.parametrize("text, encoding, expected", [
    ("Päivämäärä;Tunnit;Kunta\r\n2025-03;12,5;Närpiö\r\n", "cp1252",
     [["Päivämäärä", "Tunnit", "Kunta"], ["2025-03", "12,5", "Närpiö"]]),
    ("Päivämäärä;Tunnit\n2025-03;12,5\n", "utf-8-sig",
     [["Päivämäärä", "Tunnit"], ["2025-03", "12,5"]]),
    ("Date,Hours,Municipality\n2025-03,\"12,5\",Åbo\n", "utf-8",
     [["Date", "Hours", "Municipality"], ["2025-03", "12,5", "Åbo"]]),
    ("Datum\tTimmar\n2025-03\t3\n", "utf-8",
     [["Datum", "Timmar"], ["2025-03", "3"]]),
    # blank and whitespace-only cells are None; short rows are padded
    ("A;B;C\n1;;  \n2\n", "utf-8",
     [["A", "B", "C"], ["1", None, None], ["2", None, None]]),
    # a line break inside quotes stays in its cell, and the row count follows Excel's rows
    ("Huom;Lukumäärä\n\"kaksi\nriviä\";3\nx;4\n", "utf-8",
     [["Huom", "Lukumäärä"], ["kaksi\nriviä", "3"], ["x", "4"]]),
    # Excel's sep= line chooses the delimiter and is not a row
    ("sep=,\nPäivämäärä,Tunnit\n2025-03,4\n", "utf-8",
     [["Päivämäärä", "Tunnit"], ["2025-03", "4"]]),
    # a title row above the header keeps the header on row 3
    ("Toiminta 2025;\n;\nPäivämäärä;Lukumäärä\n2025-03;1\n", "cp1252",
     [["Toiminta 2025", None], [None, None], ["Päivämäärä", "Lukumäärä"], ["2025-03", "1"]]),
])
def test_csv_files_are_read_in_their_encoding_and_delimiter(tmp_path, text, encoding, expected):
    path = tmp_path / "toiminta_2025.csv"
    path.write_bytes(text.encode(encoding))
    sheets, file_type, problems = read_path(path)
    assert (file_type, problems) == ("csv", [])
    assert [(sheet.name, sheet.rows) for sheet in sheets] == [("toiminta_2025", expected)]


@pytest.mark.parametrize("text, expected", [
    ("a;b;c\n1;2;3\n", ";"),
    ("a,b,c\n1,2,3\n", ","),
    ("a\tb\tc\n1\t2\t3\n", "\t"),
    # decimal commas in a ';' file: the header has no comma, the rows disagree
    ("Päivämäärä;Tunnit;Palaute\n2025-03;12,5;4,5\n2025-04;3;4\n", ";"),
    # a header with a unit after a comma (Tunnit, h) in a ';' file
    ("Päivämäärä;Tunnit, h;Kunta\n2025-03;12,5;Turku\n2025-04;3;Oulu\n", ";"),
    # commas inside quotes do not count
    ('"Kunta, kylä",Lukumäärä\n"Turku, Hirvensalo",3\n', ","),
    # a tie (one column each) goes to ';', which Finnish Excel writes
    ("a;b,c\n1;2,3\n", ";"),
    # a single column: nothing to split, ';' by default
    ("Päivämäärä\n2025-03\n", ";"),
    ("\n\nKunta\tLukumäärä\nTurku\t3\n", "\t"),
])
def test_detect_delimiter(text, expected):
    assert detect_delimiter(text) == expected


def billion_laughs_xlsx(tmp_path):
    """An xlsx whose sharedStrings.xml defines nested entities that would expand to 3 GB."""
    source = io.BytesIO()
    workbook = xlsxwriter.Workbook(source)
    sheet = workbook.add_worksheet("Toiminta")
    sheet.write("A1", "x")
    sheet.write("A2", "y")
    workbook.close()
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    laughs = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f"<!DOCTYPE sst [{entities}]>"
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" '
              'uniqueCount="2"><si><t>&lol9;</t></si><si><t>y</t></si></sst>')
    path = tmp_path / "naurua.xlsx"
    original = zipfile.ZipFile(source)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            archive.writestr(name, laughs if name == "xl/sharedStrings.xml" else original.read(name))
    return path


def test_xml_entities_are_never_expanded(tmp_path):
    path = billion_laughs_xlsx(tmp_path)
    started = time.process_time()
    sheets, _, problems = read_path(path)
    assert time.process_time() - started < 5  # expansion would take minutes and gigabytes
    if problems:
        assert [p.code for p in problems] == ["unreadable_file"]
    else:
        cells = [cell for sheet in sheets for row in sheet.rows for cell in row if cell]
        assert max(len(str(cell)) for cell in cells) < 1000


@pytest.mark.parametrize("name, entries", [
    # a zip that passes the checks but whose workbook part is not a workbook
    ("rikki.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"this is not xml"}),
    ("rikki.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                   "content.xml": b"<office:document-content><unclosed"}),
])
def test_parser_failures_become_unreadable_file(tmp_path, name, entries):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    sheets, _, problems = read_path(path)
    assert sheets == []
    assert [p.code for p in problems] == ["unreadable_file"]


@pytest.mark.parametrize("name, content, code", [
    ("toiminta.xlsx", b"%PDF-1.4\n%%EOF\n", "unsupported_type"),
    ("toiminta.xlsx", b"PK\x03\x04broken", "unreadable_file"),
])
def test_file_level_problems_come_back_without_sheets(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    sheets, file_type, problems = read_path(path)
    assert (sheets, file_type, [p.code for p in problems]) == ([], None, [code])


def test_an_xlsx_sent_with_a_csv_name_is_read_as_a_workbook(tmp_path):
    path = tmp_path / "toiminta.csv"
    write_openpyxl(path)
    sheets, file_type, problems = read_path(path)
    assert (file_type, problems) == ("xlsx", [])
    assert sheets[0].rows[3][2] == "Päivämäärä"


SMALL = Settings(max_rows=5, max_columns=4, max_sheet_cells=12, max_cells=12)


@pytest.mark.parametrize("text, reason, limit", [
    ("a;b;c;d\n1;2;3;4\n", None, None),
    ("a;b;c;d;e\n", "too_many_columns", 4),
    # every record is a row, a blank line too, and the grid is as wide as its widest record
    ("a;b\n1;2\n\n\n\n\n", "too_many_rows", 5),
    ("a;b;c;d\n1\n2\n3\n", "too_many_sheet_cells", 12),
    # a line break inside a quoted cell is not a row, but each is a line fed to csv.reader
    ('a;b\n"' + "\n" * 12 + '";1\n', "too_many_lines", 12),
    ('a;b\n"' + "\n" * 10 + '";1\n', None, None),
])
def test_a_csv_is_refused_as_soon_as_its_records_pass_a_limit(text, reason, limit):
    sheets, file_type, problems = read_file("toiminta.csv", text.encode(), SMALL)
    if reason is None:
        assert (file_type, problems) == ("csv", [])
        assert sheets[0].rows[0][:2] == ["a", "b"]
    else:
        assert sheets == []
        assert [(p.code, p.params["reason"], p.params["limit"], p.params["tab"]) for p in problems] == [
            ("file_too_large", reason, limit, "toiminta")]


def test_a_long_record_of_delimiters_is_refused_before_csv_makes_a_list_of_it():
    import tracemalloc

    data = b"a;b\n" + b";" * (8 * 1024 * 1024)
    tracemalloc.start()
    _, _, problems = read_file("toiminta.csv", data, SETTINGS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [(p.code, p.params["reason"]) for p in problems] == [("file_too_large", "too_many_columns")]
    # the text twice, at most; csv.reader's list of 8 M fields would be 64 MB more
    assert peak < 3 * len(data)


def test_a_quoted_delimiter_does_not_count_as_a_column():
    text = 'Huom;Lukumäärä\n"' + ";" * 50 + '";1\n'
    sheets, _, problems = read_file("toiminta.csv", text.encode(), SMALL)
    assert problems == []
    assert sheets[0].rows[1] == [";" * 50, "1"]


def test_a_workbook_is_counted_again_before_it_becomes_python_lists(tmp_path, monkeypatch):
    # if the markup scan ever misses a cell, what calamine read is still held to the limits
    from data_sources import file_safety

    path = tmp_path / "toiminta.xlsx"
    workbook = openpyxl.Workbook()
    for row in range(1, 8):
        workbook.active.cell(row=row, column=1, value=row)
    workbook.save(path)
    monkeypatch.setattr(file_safety, "_count_grids", lambda *args: None)
    sheets, _, problems = read_file(path.name, path.read_bytes(), SMALL)
    assert (sheets, [(p.code, p.params["reason"]) for p in problems]) == ([], [("file_too_large", "too_many_rows")])
