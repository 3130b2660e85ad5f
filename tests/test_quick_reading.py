"""The quick ways a file is read give exactly what reading it cell by cell gives.

Intake reads each distinct value of a column once (validation.TabReader.read_quickly), the
personal-data guard looks at each distinct cell value once (PersonalDataGuard.scan_sheets),
and a worksheet part is parsed without a call into Python per element until something the
guard reads starts (file_texts._parse). Each is compared here with the plain way, on files
made at random from good and bad cells: same rows, same problems, in the same order, with
the same wording; the same texts outside the cells."""

import csv
import io
import math
import operator
import random
import re
import zipfile
from datetime import date, datetime, time

import openpyxl
import pandas as pd
import pytest

from data_sources import file_safety, file_texts, readers, validation, vocabulary
from data_sources.file_safety import check_file
from data_sources.headers import contract_header
from data_sources.organisations import Registry
from data_sources.personal_data import PersonalDataGuard
from data_sources.raw import RawSheet
from data_sources.readers import read_file
from data_sources.validation import validate_sheets
from settings import load_settings

REGISTRY = Registry(names={"esim": "Esimerkki ry", "toinen": "Toinen ry"}, aliases={"esimerkkiyhdistys": "esim"})
TODAY = date(2025, 6, 15)

MONTHS = ["3/2025", "14.3.2025", datetime(2025, 4, 2), date(2025, 5, 1), "2025-02", "1.1.2024",
          "31.12.2030", "maaliskuu", "ei päivä", "", None, 45000, 45000.0, "  5/2025 ", "12.2024"]
MONTHS_OF_YEAR = ["maaliskuu", "3", 3, 3.0, "huhti", "13", "kesä", None, "x"]
YEARS = [2025, "2025", 2024.0, "25", None, "vuosi", 2031, True]
ORGS = ["Esimerkki ry", "esim", "esimerkkiyhdistys", "Toinen ry", "Tuntematon ry", None, "", 7]
COUNTS = [1, 2, 3.0, "4", " 5 ", "1 234", "-", "x", -2, 2.5, None, "", True, 0, "0", 10**7]
DECIMALS = ["2,5", 2.5, 3, "1 234,5", "x", -1.0, None, "", "4,5", 5, 6, "0", 0.0]
MUNICIPALITIES = ["Turku", "Åbo", "S:t Karins", "Raisio", "Kaukainen kylä", None, ""]


def pool(rule) -> list:
    """Cells for a column: three good ones first, then anything."""
    if rule.kind in ("code", "stage"):
        codes = list(vocabulary.CODE_LISTS[rule.code_list])
        return [*codes[:3], codes[3].upper(), "tuntematon", None, "", 5, 2.0]
    if rule.kind == "municipality":
        return MUNICIPALITIES
    return COUNTS if rule.kind == "count" else DECIMALS


def header(sheet: str, column: str) -> str:
    """The Finnish header of a column, as the Finnish template has it."""
    return contract_header(sheet, column).split(" / ")[0]


SHEETS = {name: [(header(sheet, vocabulary.MONTH_COLUMN[sheet]), MONTHS)]
          + [(header(sheet, column), pool(rule)) for column, rule in validation.FIELD_RULES[sheet].items()]
          for name, sheet in {"Toiminta": "toiminta", "Asenteet": "asenteet", "Kysyntä": "kysynta",
                              "Kapasiteetti": "kapasiteetti"}.items()}


def random_tab(rng: random.Random, name: str, rows: int, *, org_column: bool, year_column: bool,
               good_share: float) -> RawSheet:
    columns = list(SHEETS[name])
    if year_column:
        columns = [("Vuosi", YEARS), ("Kuukausi", MONTHS_OF_YEAR)] + columns[1:]
    if org_column:
        columns = [("Organisaatio", ORGS)] + columns
    grid = [[header for header, _ in columns]]
    for _ in range(rows):
        # most rows repeat a few good values, as real files do; the rest draw from everything
        good = rng.random() < good_share
        grid.append([pool[rng.randrange(3 if good else len(pool))] for _, pool in columns])
    if rng.random() < 0.3:
        grid.insert(rng.randrange(1, len(grid)), [None] * len(columns))
    if rng.random() < 0.3:
        grid.append(["Yhteensä"] + [None] * (len(columns) - 1))
    return RawSheet(name, grid)


def row_by_row(self, rows, sheet_ok):
    """TabReader.read's loop before read_quickly: each row read on its own."""
    for row, cells in rows:
        self.row_errors = 0
        record = self.read_row(row, cells)
        if sheet_ok and not self.row_errors:
            self.result.records.append(record)


def described(problems) -> list:
    return [(p.code, p.sheet, p.row, p.column, p.value, p.params.get("tab"), p.params.get("hint_key"),
             p.params.get("hint"), p.params.get("count")) for p in problems]


def assert_read_alike(quick, plain) -> None:
    """The same sheets, problems, warnings and months, read the quick way and the plain way."""
    assert sorted(quick[0]) == sorted(plain[0])
    for sheet in plain[0]:
        pd.testing.assert_frame_equal(quick[0][sheet], plain[0][sheet])
    assert described(quick[1]) == described(plain[1])
    assert described(quick[2]) == described(plain[2])
    assert quick[3] == plain[3]


def compare(monkeypatch, sheets, **context):
    def run():
        return validate_sheets(sheets, registry=REGISTRY, today=TODAY, future_days=31, **context)

    quick = run()
    with monkeypatch.context() as patched:
        patched.setattr(validation.TabReader, "read_quickly", row_by_row)
        plain = run()
    assert_read_alike(quick, plain)
    return quick


@pytest.mark.parametrize("seed", range(40))
def test_reading_each_value_once_gives_what_reading_each_row_gives(monkeypatch, seed):
    random_file_compared(monkeypatch, seed)


def random_file_compared(monkeypatch, seed: int):
    """A random file read both ways and compared; its frames and errors."""
    rng = random.Random(seed)
    uploader = rng.choice(["esim", None])
    tabs = [random_tab(rng, name, rng.randrange(1, 60), org_column=uploader is None or rng.random() < 0.5,
                       year_column=rng.random() < 0.3, good_share=rng.choice([0.5, 0.9, 1.0]))
            for name in rng.sample(list(SHEETS), rng.randrange(1, 5))]
    locked = {date(2025, 3, 1)} if rng.random() < 0.3 else {("esim", date(2025, 4, 1))} if rng.random() < 0.3 else set()
    frames, errors, warnings, header_cells = compare(monkeypatch, tabs, uploader_org=uploader, locked_months=locked)
    # every tab was recognised, with all its columns: the comparison is of rows actually read
    assert {name for name, _, _ in header_cells} == {tab.name for tab in tabs}
    assert len(header_cells) == sum(len(tab.rows[0]) for tab in tabs)
    return frames, errors


def test_the_random_files_hold_both_good_rows_and_problems(monkeypatch):
    """Across the seeds, rows are kept and problems found of many kinds."""
    kept, codes = 0, set()
    for seed in range(40):
        frames, errors = random_file_compared(monkeypatch, seed)
        kept += sum(len(frame) for frame in frames.values())
        codes |= {problem.code for problem in errors}
    assert kept > 500
    assert {"unknown_value", "bad_number", "bad_date", "future_date", "locked_period", "unknown_org",
            "wrong_org", "out_of_range"} <= codes


@pytest.mark.parametrize("first_org", ["Toinen ry", "esim"])
def test_a_month_locked_for_one_organisation_is_read_for_each_organisation_apart(monkeypatch, first_org):
    other = "esim" if first_org == "Toinen ry" else "Toinen ry"
    tab = RawSheet("Toiminta", [["Organisaatio", "Päivämäärä", "Toimintamuoto", "Lukumäärä"],
                                [first_org, "4/2025", "koulutus", 1], [other, "4/2025", "koulutus", 1],
                                [first_org, "4/2025", "koulutus", 2]])
    _, errors, _, _ = compare(monkeypatch, [tab], uploader_org=None, locked_months={("esim", date(2025, 4, 1))})
    assert [(p.code, p.row) for p in errors] == [("locked_period", row) for row in
                                                  ((2, 4) if first_org == "esim" else (3,))]


def test_the_comparison_sees_a_difference(monkeypatch):
    """The comparison above is not blind: a quick reading that drops a problem is caught."""
    tab = RawSheet("Toiminta", [["Päivämäärä", "Toimintamuoto", "Lukumäärä"],
                                ["3/2025", "koulutus", 2], ["3/2025", "koulutus", "x"]])
    original = validation.TabReader.read_quickly

    def losing(self, rows, sheet_ok):
        original(self, rows[:1], sheet_ok)

    monkeypatch.setattr(validation.TabReader, "read_quickly", losing)
    with pytest.raises(AssertionError):
        compare(monkeypatch, [tab], uploader_org="esim", locked_months=set())


def test_equal_values_of_different_types_are_read_apart(monkeypatch):
    """1, 1.0 and True are one key in a set; True is not an attitude stage, 1 and 1.0 are."""
    tab = RawSheet("Asenteet", [[header("asenteet", column) for column in ("answer_month", "respondent_group",
                                                                        "attitude_stage")],
                                ["3/2025", "vanhempi", 1], ["3/2025", "vanhempi", True],
                                ["3/2025", "vanhempi", 1.0], ["3/2025", "vanhempi", True]])
    frames, errors, _, _ = compare(monkeypatch, [tab], uploader_org="esim", locked_months=set())
    assert [(p.code, p.row) for p in errors] == [("unknown_value", 3), ("unknown_value", 5)]


def test_past_the_listed_problems_the_rest_are_counted_alike(monkeypatch):
    rows = [["Päivämäärä", "Toimintamuoto", "Lukumäärä"]]
    rows += [["3/2025", "tuntematon" if i % 2 else "koulutus", "x" if i % 3 else 1] for i in range(1500)]
    frames, errors, _, _ = compare(monkeypatch, [RawSheet("Toiminta", rows)], uploader_org="esim",
                                   locked_months=set())
    assert errors[-1].code == "more_errors"


# ------------------------------------------------------------------ the personal-data guard

CELLS = ["Turku", "koulutus", 3, 2.5, 401234567, 401234567.0, True, "maija.meikalainen@example.fi",
         "040 123 4567", "131052-308T", "Matti Meikäläinen", "Mannerheimintie 5 A 3", None, "",
         datetime(2025, 3, 1), time(12, 30), "Nimi", "Henkilötunnus", "asiakas: Liisa Virtanen",
         "puh 0401234567", 358401234567]


@pytest.mark.parametrize("seed", range(30))
def test_the_guard_finds_in_distinct_values_what_it_finds_cell_by_cell(monkeypatch, seed):
    rng = random.Random(seed)
    sheets = []
    for number in range(rng.randrange(1, 3)):
        width = rng.randrange(2, 7)
        rows = [[rng.choice(["Päivämäärä", "Kunta", "Nimi", "Lukumäärä", "Puhelin", None]) for _ in range(width)]]
        clean = rng.random() < 0.4
        for _ in range(rng.randrange(0, 40)):
            rows.append([rng.choice(CELLS[:4] if clean else CELLS) for _ in range(rng.randrange(0, width + 2))])
        sheets.append(RawSheet(f"Välilehti {number}", rows))
    recognised = {(sheets[0].name, 1, 1)} if rng.random() < 0.5 else set()
    quick, plain = PersonalDataGuard(), PersonalDataGuard()
    quick.scan_sheets(sheets, recognised)
    with monkeypatch.context() as patched:   # no values set apart: every row read cell by cell
        patched.setattr(PersonalDataGuard, "_flagged_values", lambda self, rows: None)
        plain.scan_sheets(sheets, recognised)
    assert [(p.code, p.sheet, p.row, p.column, p.value) for p in quick.problems] == \
        [(p.code, p.sheet, p.row, p.column, p.value) for p in plain.problems]
    assert quick._cell_texts == plain._cell_texts and quick._seen == plain._seen


def test_a_long_personal_header_over_clean_rows_is_found(monkeypatch):
    """A header row's cell names personal data however long it is; elsewhere only a short text
    does: with nothing found in the other rows, the header row is still read cell by cell."""
    long_header = "Asiakkaan henkilötunnus sekä muut yhteystiedot tähän sarakkeeseen"
    sheets = [RawSheet("Toiminta", [["Päivämäärä", long_header], ["3/2025", "Turku"], ["3/2025", 3]])]
    quick, plain = PersonalDataGuard(), PersonalDataGuard()
    quick.scan_sheets(sheets)
    with monkeypatch.context() as patched:
        patched.setattr(PersonalDataGuard, "_flagged_values", lambda self, rows: None)
        plain.scan_sheets(sheets)
    assert [(p.code, p.row, p.column) for p in quick.problems] == [(p.code, p.row, p.column) for p in plain.problems] \
        == [("personal_data", 1, "B")]


def test_a_number_that_is_a_phone_number_is_found_whatever_its_type():
    rows = [["Päivämäärä", "Lukumäärä"], ["3/2025", 401234567.0], ["3/2025", 401234567], ["3/2025", 3]]
    guard = PersonalDataGuard()
    guard.scan_sheets([RawSheet("Toiminta", rows)])
    assert [(p.code, p.row) for p in guard.problems] == [("personal_data", 2), ("personal_data", 3)]


# ------------------------------------------------------------------ worksheet parts

SETTINGS = load_settings()


def workbook(formula_at: str | None = None, tail: dict | None = None, rows: int = 3000) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Toiminta"
    sheet.append(["Päivämäärä", "Toimintamuoto", "Lukumäärä", "Kunta"])
    for index in range(rows):
        sheet.append(["3/2025", "koulutus", index, "Turku"])
    if formula_at:
        sheet[formula_at] = '=CONCATENATE("maija.meikalainen", "@example.fi")'
    for cell, text in (tail or {}).items():
        sheet[cell].hyperlink = text
    sheet.oddFooter.center.text = "Liisa Virtanen 040 123 4567"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def texts_of(data: bytes, quiet: bool, monkeypatch) -> list:
    """The texts of a workbook, its parts read quietly where they may be, or not at all."""
    with monkeypatch.context() as patched:
        if not quiet:
            original = file_texts._parse
            patched.setattr(file_texts, "_parse", lambda chunks, handler, budget, counted=0, quiet=False:
                            original(chunks, handler, budget, counted))
        return list(file_texts.file_texts("kirja.xlsx", data, "xlsx", SETTINGS))


@pytest.mark.parametrize("formula_at, links", [
    (None, None),                                   # nothing in the cells: read quietly to the end
    ("C2", None),                                   # a formula near the start: read again with the handler
    ("C2999", None),                                # a formula past the first chunks
    (None, {"D2": "https://example.fi/Maija"}),     # after sheetData only: the handler takes over there
    ("B1500", {"D2": "mailto:liisa@example.fi"}),
])
def test_a_sheet_read_quietly_gives_the_texts_read_element_by_element(monkeypatch, formula_at, links):
    data = workbook(formula_at, links)
    assert texts_of(data, True, monkeypatch) == texts_of(data, False, monkeypatch)
    places = {text.place for text in texts_of(data, True, monkeypatch)}
    assert "header_footer" in places
    assert ("formula" in places) == bool(formula_at)


def test_a_formula_whose_tag_is_cut_between_two_chunks_is_read(monkeypatch):
    data = workbook("C2999")
    quiet = texts_of(data, True, monkeypatch)
    for size in (7, 64, 1000, 4093):
        monkeypatch.setattr(file_texts, "_CHUNK", size)
        assert texts_of(data, True, monkeypatch) == quiet
    assert any(text.place == "formula" and "maija" in text.text for text in quiet)


def test_a_formula_under_a_long_prefix_is_read(monkeypatch):
    """A namespace prefix longer than a chunk does not hide an element from the quiet search."""
    import zipfile
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    prefix = "p" * 300
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"<c r=\"C2\" t=\"n\"><v>0</v></c>",
                    f'<c r="C2"><{prefix}:f xmlns:{prefix}="urn:x">"maija@example.fi"</{prefix}:f></c>'.encode())
                assert prefix.encode() in content
            target.writestr(info, content)
    monkeypatch.setattr(file_texts, "_CHUNK", 128)
    found = [text for text in file_texts.file_texts("kirja.xlsx", out.getvalue(), "xlsx", SETTINGS)
             if text.place == "formula"]
    assert found and "maija@example.fi" in found[0].text and found[0].cell == "C2"


# ---- what an attacker's review of the quiet reading found (each once let data through or lost its cell)

SHEET_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def with_sheet_part(part: bytes) -> bytes:
    """A workbook whose one worksheet part is `part`, as written."""
    import zipfile
    source = zipfile.ZipFile(io.BytesIO(workbook(rows=1)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, part if info.filename == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


def sheet_part(body: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + SHEET_NS + b">" + body + b"</worksheet>"


PAD = b" " * 70_000     # more than a chunk between a cell's start and its formula
ROW = b'<sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>3/2025</t></is></c></row></sheetData>'
ATTACKS = {
    "leading colon": sheet_part(ROW + b'<hyperlinks><:hyperlink ref="A2" display="matti@example.fi"/></hyperlinks>'),
    "two prefixes": sheet_part(ROW + b'<hyperlinks><a:b:hyperlink xmlns:a="u" ref="A2" tooltip="131052-308T"/>'
                                     b"</hyperlinks>"),
    "double colon footer": sheet_part(ROW + b"<headerFooter><a::oddFooter>Soita 040 1234567</a::oddFooter>"
                                            b"</headerFooter>"),
    "formula, two prefixes": sheet_part(b'<sheetData><row r="1"><c r="A1"><a:b:f xmlns:a="u">"131052-308T"</a:b:f>'
                                        b"<v>1</v></c></row></sheetData>"),
    "utf-16": ('<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><sheetData/><headerFooter><oddHeader>Soita 040 1234567</oddHeader>'
               "</headerFooter></worksheet>").encode("utf-16"),
    "end of sheetData in a comment": sheet_part(b'<!--</sheetData>--><sheetData><row r="7"><c r="B7">' + PAD
                                                + b'<f>"040 1234567"</f><v>1</v></c></row></sheetData>'),
    "end of sheetData in CDATA": sheet_part(b'<sheetData><row r="7"><c r="B7"><is><t><![CDATA[</sheetData>]]></t>'
                                            b"</is>" + PAD + b'<f>"040 1234567"</f></c></row></sheetData>'),
    "another sheetData ends": sheet_part(b'<x:sheetData xmlns:x="u"></x:sheetData><sheetData><row r="7"><c r="B7">'
                                         + PAD + b'<f>"040 1234567"</f><v>1</v></c></row></sheetData>'),
    "a cell after sheetData": sheet_part(ROW + b'<c r="D9">' + PAD + b'<f>"040 1234567"</f></c>'),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_what_the_attacker_hid_is_found_where_it_stands(monkeypatch, attack):
    data = with_sheet_part(ATTACKS[attack])
    quiet, plain = texts_of(data, True, monkeypatch), texts_of(data, False, monkeypatch)
    assert quiet == plain
    found = [text for text in quiet if any(mark in text.text for mark in ("@example.fi", "131052", "040 1234567"))]
    assert found, attack
    if b"<f>" in ATTACKS[attack]:
        assert found[0].cell in ("B7", "D9")


def test_a_long_run_of_letters_is_read_in_one_pass(monkeypatch):
    """A cell of 16 MB of letters (no "<", no space) was searched again with every chunk."""
    searched = []
    original = file_texts._tag_of

    def counting(names, end=False):
        pattern = original(names, end)

        class Counted:
            def search(self, window, *args):
                searched.append(len(window))
                return pattern.search(window, *args)

            def __getattr__(self, name):
                return getattr(pattern, name)

        return Counted()

    monkeypatch.setattr(file_texts, "_tag_of", counting)
    run = b"ab" * (4 << 20)
    data = with_sheet_part(sheet_part(b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + run
                                      + b"</t></is></c></row></sheetData>"))
    list(file_texts.file_texts("kirja.xlsx", data, "xlsx", SETTINGS))
    assert sum(searched) < 3 * len(run)


def test_zero_and_minus_zero_are_stored_as_written(monkeypatch):
    tab = RawSheet("Toiminta", [[header("toiminta", column) for column in ("activity_month", "activity_type", "hours")],
                                ["3/2025", "koulutus", 0.0], ["3/2025", "koulutus", -0.0]])
    frames, _, _, _ = compare(monkeypatch, [tab], uploader_org="esim", locked_months=set())
    assert [math.copysign(1, hours) for hours in frames["toiminta"]["hours"]] == [1, -1]


# ------------------------------------------------------------------ CSV read at once

SMALL = load_settings(max_columns=4, max_rows=5, max_sheet_cells=12, max_cells=12)
CSV_CELLS = ["", " ", "  ", "\t", "\u00a0", "\u2003", "x", "3/2025", "1 234", "koulutus", "Åbo", "é", "  5 ",
             "a;b", "a,b", "a\tb", 'sanoi "hei"', '"', "rivi\nrivi", "rivi\r\nrivi", "rivi\rrivi", "\x0b",
             "\x85", "\u2028", "-", "0", "=1+1", "'", "sep=;"]


def random_csv(rng: random.Random) -> bytes:
    """A CSV as people and programs write them, and as they should not: quoted and bare cells,
    ragged and empty records, every line ending, a BOM, a "sep=" line, odd delimiters."""
    delimiter = rng.choice([";", ";", ",", "\t", "|"])
    ending = rng.choice(["\n", "\r\n", "\r", None])
    lines = []
    if rng.random() < 0.15:
        lines.append(f"sep={delimiter}")
    for _ in range(rng.randrange(0, 40)):
        cells = [rng.choice(CSV_CELLS[:13] if rng.random() < 0.6 else CSV_CELLS) for _ in range(rng.randrange(0, 7))]
        style = rng.random()
        if style < 0.5:   # as csv.writer quotes them
            out = io.StringIO()
            csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
            lines.append(out.getvalue())
        elif style < 0.8:   # bare, whatever they hold
            lines.append(delimiter.join(cells))
        else:               # quotes anywhere
            lines.append(delimiter.join(f'"{cell}' if rng.random() < 0.3 else cell for cell in cells))
    text = "".join(line + (ending or rng.choice(["\n", "\r\n", "\r"])) for line in lines)
    if text and rng.random() < 0.3:
        text = text.rstrip("\r\n")
    if rng.random() < 0.2:
        text = "\ufeff" + text
    encoding = rng.choice(["utf-8", "utf-8", "cp1252"])
    return text.encode(encoding, errors="replace")


def read_both_ways(monkeypatch, data: bytes, settings=SETTINGS):
    """read_file of a CSV as it reads it (at once where it can) and line by line only, each
    as (sheets, type, problems with their params)."""
    def outcome():
        sheets, file_type, problems = read_file("toiminta.csv", data, settings)
        return sheets, file_type, [(problem, problem.params) for problem in problems]

    at_once = []
    original = readers._records_at_once
    with monkeypatch.context() as patched:
        patched.setattr(readers, "_records_at_once", lambda *args: at_once.append(original(*args)) or at_once[-1])
        quick = outcome()
    with monkeypatch.context() as patched:
        patched.setattr(readers, "_records_at_once", lambda *args: None)
        plain = outcome()
    return quick, plain, bool(at_once) and at_once[0] is not None


@pytest.mark.parametrize("seed", range(300))
def test_a_csv_read_at_once_gives_what_reading_it_line_by_line_gives(monkeypatch, seed):
    rng = random.Random(seed)
    data = random_csv(rng)
    quick, plain, _ = read_both_ways(monkeypatch, data, rng.choice([SETTINGS, SMALL]))
    assert quick == plain


def test_most_random_csv_files_are_read_at_once(monkeypatch):
    """The comparison above is of the quick reading: most of its files, refused or not, took it."""
    taken = sum(read_both_ways(monkeypatch, random_csv(random.Random(seed)))[2] for seed in range(100))
    assert taken > 50


CSV_ATTACKS = {
    "quoted line breaks": 'a;b\n"1\n2\n3";4\n5;6\n',
    "a quote never closed": 'a;b\n"1;2\n3;4\n',
    "a quote inside a bare cell": 'a;b\n1"2;3\n',
    "empty lines between": "a;b\n\n\n1;2\n\r\n\r3;4",
    "only line breaks": "\n\r\n\r\n",
    "spaces only": "   \n \t \n",
    "vertical tab in a cell": "a;b\n1\x0b2;3\n",
    "next line and line separator": "a;b\n1\x852;3\u2028x\n",
    "form feed": "a;b\n1\x0c2;3\n",
    "a field longer than csv takes": "a;b\n" + "x" * (131072 + 5) + ";1\n",
    "a quoted field longer than csv takes": 'a;b\n"' + "x" * 140_000 + '";1\n',
    "a long line of short fields": "a;b\n" + ";".join(["x"] * 70_000) + "\n",
    "a long quoted record of delimiters": 'a;b\n"' + ("x;" * 300 + "\n") * 2000 + '";1\n' + "c;d\n" * 10,
    # over a megabyte in one record of ten quoted cells, each shorter than csv.reader's limit
    "a long record of quoted cells": "a;b\n" + ";".join(['"' + ("x;" * 20 + "\n") * 2900 + '"'] * 10) + "\nc;d\n",
    "more lines than cells": "a;b\n" + "1;2\n" * 400,
    "a record over the columns": "a;b\n1;2;3;4;5;6;7\n",
    "a sep line alone": "sep=,",
    "sep line then rows": "sep=|\r\na|b\r\n1|2",
    "a BOM": "\ufeffa;b\n1;2\n",
    "no line ending at the end": "a;b\n1;2",
    "nothing": "",
}


@pytest.mark.parametrize("attack", CSV_ATTACKS)
@pytest.mark.parametrize("settings", [SETTINGS, SMALL, load_settings(max_cells=500, max_sheet_cells=500)])
def test_what_an_attacker_writes_into_a_csv_is_read_alike(monkeypatch, attack, settings):
    quick, plain, _ = read_both_ways(monkeypatch, CSV_ATTACKS[attack].encode("utf-8"), settings)
    assert quick == plain


def test_the_line_breaks_csv_reader_does_not_take_are_all_known():
    """str.splitlines stands for _LINE only in a text without its other line breaks: every one
    of them is in readers._OTHER_LINE_BREAKS."""
    breaks = {chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF
              and len(("a" + chr(code) + "b").splitlines()) > 1} - {"\r", "\n"}
    assert breaks == set(readers._OTHER_LINE_BREAKS)


def test_the_csv_comparison_sees_a_difference(monkeypatch):
    """A quick reading that lost a record's quotes would be caught."""
    original = readers._records_at_once

    def careless(text, delimiter, settings, budget):
        return original(text.replace('"', ""), delimiter, settings, budget)

    monkeypatch.setattr(readers, "_records_at_once", careless)
    sheets, _, _ = read_file("toiminta.csv", b'a;b\n"1;2";3\n', SETTINGS)
    monkeypatch.undo()
    assert sheets != read_file("toiminta.csv", b'a;b\n"1;2";3\n', SETTINGS)[0]


# ------------------------------------------------------------------ blank cells cleaned at once

BLANKABLE = ["", " ", "\t", "\u00a0", "\u3000", "\n", "x", " x ", 0, 0.0, -0.0, 1, True, False, None,
             float("nan"), date(2025, 3, 1), datetime(2025, 3, 1), time(12, 0), "0", "None"]


@pytest.mark.parametrize("seed", range(30))
def test_blank_cells_cleaned_at_once_are_cleaned_as_one_by_one(seed):
    rng = random.Random(seed)
    records = [[rng.choice(BLANKABLE) for _ in range(rng.randrange(0, 6))] for _ in range(rng.randrange(0, 30))]
    padding = [None] * rng.randrange(0, 3)
    expected = [padding + readers._cleaned(record) for record in records]
    got = readers._cleaned_rows([list(record) for record in records], padding)
    assert len(got) == len(expected)
    for row, want in zip(got, expected):
        assert [(type(v), v if v == v else "nan", math.copysign(1, v) if isinstance(v, float) else 0)
                for v in row] == [(type(v), v if v == v else "nan", math.copysign(1, v) if isinstance(v, float) else 0)
                                  for v in want]


def test_a_cell_that_cannot_be_told_apart_in_a_set_is_cleaned_on_its_own():
    assert readers._cleaned_rows([[" ", ["x"]], ["", "y"]]) == [[None, ["x"]], [None, "y"]]


# ------------------------------------------------------------------ a tab's rows, told at once

def compare_with_reference(monkeypatch, sheets, **context):
    """validate_sheets as it reads (rows told by their first cell, values read once, columns
    taken from a table) against reading every row on its own, cell by cell."""
    def run():
        return validate_sheets(sheets, registry=REGISTRY, today=TODAY, future_days=31, **context)

    quick = run()
    with monkeypatch.context() as patched:
        patched.setattr(validation.TabReader, "read_quickly", row_by_row)
        patched.setattr(validation.TabReader, "_first_cell_kinds", staticmethod(lambda rows: None))
        plain = run()
    assert_read_alike(quick, plain)
    return quick


FIRST_CELLS = [None, "", "  ", "\u00a0", "Yhteensä", " yht. ", "Summa:", "TOTAL", "totalt 5", "Sum", "summary",
               "huom: ei dataa", 0, 0.0, True, "3/2025"]


def messy_tab(rng: random.Random, name: str, rows: int) -> RawSheet:
    """A random tab with rows no table should hold: empty ones, totals, notes beside the table,
    rows shorter than the header, a missing row, a first cell of every kind."""
    tab = random_tab(rng, name, rows, org_column=rng.random() < 0.3, year_column=rng.random() < 0.2,
                     good_share=rng.choice([0.7, 1.0]))
    width = len(tab.rows[0])
    for _ in range(rng.randrange(0, 8)):
        kind = rng.random()
        if kind < 0.3:
            row = [rng.choice(FIRST_CELLS)] + [None] * (width - 1)
        elif kind < 0.5:   # a note beside the table
            row = [None] * width + ["huomautus"]
        elif kind < 0.7:
            row = [rng.choice(FIRST_CELLS)] + list(tab.rows[-1][1:rng.randrange(1, width)])
        elif kind < 0.8:
            row = None
        else:
            row = [rng.choice(FIRST_CELLS)] + [rng.choice(["koulutus", 2, None, "  "]) for _ in range(width - 1)]
        tab.rows.insert(rng.randrange(1, len(tab.rows) + 1), row)
    return tab


@pytest.mark.parametrize("seed", range(60))
def test_rows_told_by_their_first_cell_are_the_rows_read_cell_by_cell(monkeypatch, seed):
    rng = random.Random(seed)
    uploader = rng.choice(["esim", None])
    tabs = [messy_tab(rng, name, rng.randrange(1, 80)) for name in rng.sample(list(SHEETS), rng.randrange(1, 4))]
    compare_with_reference(monkeypatch, tabs, uploader_org=uploader, locked_months=set())


@pytest.mark.parametrize("seed", range(6))
def test_a_long_tab_read_from_a_table_of_its_cells_is_read_as_row_by_row(monkeypatch, seed):
    """Tabs of a thousand rows and more are read column by column from a numpy table."""
    rng = random.Random(seed)
    uploader = rng.choice(["esim", None])
    tabs = [random_tab(rng, name, rng.randrange(1000, 2500), org_column=uploader is None or rng.random() < 0.5,
                       year_column=rng.random() < 0.4, good_share=rng.choice([0.8, 0.98, 1.0]))
            for name in rng.sample(list(SHEETS), rng.randrange(1, 3))]
    if rng.random() < 0.5:
        tabs[0].rows.insert(5, [None] * len(tabs[0].rows[0]))
    used = []
    original = validation._object_table
    monkeypatch.setattr(validation, "_object_table", lambda rows: used.append(original(rows)) or used[-1])
    compare_with_reference(monkeypatch, tabs, uploader_org=uploader, locked_months={date(2025, 3, 1)})
    assert any(table is not None for table in used)


@pytest.mark.parametrize("width", [1, 2, 3])
def test_a_long_tab_of_rows_narrower_than_its_header_is_read_as_row_by_row(monkeypatch, width):
    header = ["Päivämäärä", "Toimintamuoto", "Lukumäärä", "Kunta"]
    rows = [header] + [["3/2025", "koulutus", 2, "Turku"][:width] for _ in range(1200)]
    compare_with_reference(monkeypatch, [RawSheet("Toiminta", rows)], uploader_org="esim", locked_months=set())


def test_the_rows_comparison_sees_a_difference(monkeypatch):
    """A quick telling of rows that took a totals row for data would be caught."""
    tab = RawSheet("Toiminta", [["Päivämäärä", "Toimintamuoto", "Lukumäärä"], ["3/2025", "koulutus", 2],
                                ["Yhteensä", None, 2]])
    monkeypatch.setattr(validation.TabReader, "_first_cell_kinds",
                        staticmethod(lambda rows: ({value: True for value in map(operator.itemgetter(0), rows)},
                                                   list(map(operator.itemgetter(0), rows)))))
    with pytest.raises(AssertionError):
        compare_with_reference(monkeypatch, [tab], uploader_org="esim", locked_months=set())


MIXED = [1, 1.0, True, 0, 0.0, -0.0, False, float("nan"), "1", "", None, date(2025, 1, 1), datetime(2025, 1, 1),
         time(0, 0), 2, 2.5, "2,5"]


@pytest.mark.parametrize("seed", range(200))
@pytest.mark.parametrize("signed_zero", [True, False])
@pytest.mark.parametrize("with_distinct", [True, False])
def test_values_as_their_own_keys_group_as_type_and_value_do(seed, signed_zero, with_distinct):
    rng = random.Random(seed)
    pool = rng.sample(MIXED, rng.randrange(1, 6))
    values = [rng.choice(pool) for _ in range(rng.randrange(0, 30))]
    keys = validation._value_keys(values, signed_zero=signed_zero,
                                  distinct=dict.fromkeys(values) if with_distinct else None)
    if signed_zero:
        reference = list(zip(map(type, values), values, map(validation._negative_zero, values)))
    else:
        reference = list(zip(map(type, values), values))

    def groups(keys):
        first = validation._first_index(keys)
        return [first[key] for key in keys]

    assert groups(keys) == groups(reference)


# ------------------------------------------------------------------ a worksheet's grid, bounded

def workbook_of_parts(parts: list[bytes], shared_strings: bytes | None = None) -> bytes:
    """An xlsx whose worksheet parts are `parts`, as written, one tab each."""
    out = io.BytesIO()
    sheets = b"".join(b'<sheet name="Tab%d" sheetId="%d" r:id="rId%d"/>' % (n, n + 1, n) for n in range(len(parts)))
    rels = b"".join(b'<Relationship Id="rId%d" Type="http://x/relationships/worksheet"'
                    b' Target="worksheets/sheet%d.xml"/>' % (n, n) for n in range(len(parts)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b'<workbook xmlns:r="r"><sheets>' + sheets + b"</sheets></workbook>")
        archive.writestr("xl/_rels/workbook.xml.rels", b"<Relationships>" + rels + b"</Relationships>")
        for n, part in enumerate(parts):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", part)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def letters_of(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def random_sheet_part(rng: random.Random, odd: float = 1.0) -> bytes:
    """A worksheet part with filled, formatted-empty and (`odd` times as often) odd cells, its
    <dimension> right, short, long, odd or missing, its elements with a prefix or without."""
    prefix = rng.choice([b"", b"", b"x:"])
    rows, filled = [], []
    row = 0
    for _ in range(rng.randrange(0, 30)):
        row += rng.choice([1, 1, 1, 2, 50, 5000] if odd else [1, 1, 2, 5])
        cells, column = [], 0
        for _ in range(rng.randrange(0, 8)):
            column += rng.choice([1, 1, 2, 30, 300] if odd else [1, 1, 2])
            ref = letters_of(column)
            ref = ref.lower() if rng.random() < 0.05 * odd else ref
            digits = str(row)
            chance = rng.random()
            if chance < 0.03 * odd:
                digits = "0" + digits
            elif chance < 0.04 * odd:
                digits = ""
            attrs = b' r="%s%s"' % (ref.encode(), digits.encode())
            if rng.random() < 0.03 * odd:   # a reference after another attribute, or none at all
                attrs = b' s="1"' + attrs if rng.random() < 0.5 else b' s="1"'
            kind = rng.random()
            tag = b"<" + prefix + b"c"
            if kind < 0.5:
                cells.append(tag + attrs + b"><" + prefix + b"v>1</" + prefix + b"v></" + prefix + b"c>")
                filled.append((row, column))
            elif kind < 0.65:
                cells.append(tag + attrs + b' s="1"/>')
            elif kind < 0.75:
                cells.append(tag + attrs + b"></" + prefix + b"c>")
            elif kind < 0.85:
                cells.append(tag + attrs + b' t="inlineStr"><' + prefix + b"is><" + prefix + b"t>x</" + prefix
                             + b"t></" + prefix + b"is></" + prefix + b"c>")
            else:
                cells.append(tag + attrs + b"><!-- huom --><" + prefix + b"f>1+1</" + prefix + b"f></" + prefix + b"c>")
        rows.append(b"<" + prefix + b'row r="%d">' % row + b"".join(cells) + b"</" + prefix + b"row>")
    last = (max((r for r, _ in filled), default=1), max((c for _, c in filled), default=1))
    claim = rng.random()
    if claim < 0.5:
        dimension = b'A1:%s%d' % (letters_of(last[1]).encode(), last[0])
    elif claim < 0.65:
        dimension = b"A1:B2"
    elif claim < 0.75:
        dimension = b"A1:XFD1048576"
    elif claim < 0.85:
        dimension = b"%s%d" % (letters_of(last[1]).encode(), last[0] + rng.randrange(0, 3))
    else:
        dimension = None
    head = b"<" + prefix + b'worksheet xmlns' + (b":" + prefix[:-1] if prefix else b"") + b'="main">'
    if dimension is not None:
        head += b"<" + prefix + b'dimension ref="' + dimension + b'"/>'
    head += b"<" + prefix + b'cols><' + prefix + b'col min="1" max="3"/></' + prefix + b"cols>"
    body = b"<" + prefix + b"sheetData>" + b"".join(rows) + b"</" + prefix + b"sheetData>"
    if rng.random() < 0.1:   # a cell after the data is formatting, whatever it claims
        body += b"<" + prefix + b'c r="ZZ99999"><' + prefix + b"v>1</" + prefix + b"v></" + prefix + b"c>"
    return head + body + b"</" + prefix + b"worksheet>"


GRID_SETTINGS = [SETTINGS, load_settings(max_columns=40, max_rows=200, max_sheet_cells=2000, max_cells=3000),
                 load_settings(max_columns=400, max_rows=20_000, max_sheet_cells=300_000, max_cells=60)]


def checked_both_ways(monkeypatch, data: bytes, settings):
    """check_file of an xlsx with its grids bounded where they can be, and counted exactly."""
    def outcome():
        file_type, problems = check_file("toiminta.xlsx", data, settings)
        return file_type, [(problem, problem.params) for problem in problems]

    bounded = []
    original = file_safety._grids_within_bounds
    with monkeypatch.context() as patched:
        patched.setattr(file_safety, "_grids_within_bounds",
                        lambda *args: bounded.append(original(*args)) or bounded[-1])
        quick = outcome()
    with monkeypatch.context() as patched:
        patched.setattr(file_safety, "_grids_within_bounds", lambda *args: False)
        exact = outcome()
    return quick, exact, bool(bounded and bounded[0])


@pytest.mark.parametrize("seed", range(200))
def test_a_workbook_whose_grids_are_bounded_is_judged_as_counted_exactly(monkeypatch, seed):
    rng = random.Random(seed)
    data = workbook_of_parts([random_sheet_part(rng) for _ in range(rng.randrange(1, 4))])
    quick, exact, _ = checked_both_ways(monkeypatch, data, rng.choice(GRID_SETTINGS))
    assert quick == exact


@pytest.mark.parametrize("seed", range(100))
def test_a_tame_workbook_bounded_is_judged_as_counted_exactly(monkeypatch, seed):
    rng = random.Random(seed)
    data = workbook_of_parts([random_sheet_part(rng, odd=0) for _ in range(rng.randrange(1, 4))])
    quick, exact, _ = checked_both_ways(monkeypatch, data, rng.choice(GRID_SETTINGS))
    assert quick == exact


def test_most_tame_workbooks_are_bounded(monkeypatch):
    """The comparisons above are of the bounds: most workbooks written as writers write them take them."""
    taken = sum(checked_both_ways(monkeypatch, workbook_of_parts([random_sheet_part(random.Random(seed), odd=0)]),
                                  SETTINGS)[2] for seed in range(100))
    assert taken > 50


@pytest.mark.parametrize("seed", range(300))
def test_a_sheet_bound_is_never_below_its_exact_count(seed):
    rng = random.Random(seed)
    part = random_sheet_part(rng, odd=rng.choice([0, 0.3, 1]))
    pieces = [part[i:i + 4096] for i in range(0, len(part), 4096)] if rng.random() < 0.5 else [part]
    roomy = load_settings(max_columns=100_000, max_rows=10**9, max_sheet_cells=10**12, max_cells=10**11)
    bound = file_safety.GridBudget("a.xlsx", roomy)
    if not file_safety._bound_xlsx_sheet(iter(pieces), bound):
        assert (bound.rows, bound.columns, bound.elements) == (0, 0, 0)   # untouched
        return
    exact = file_safety.GridBudget("a.xlsx", roomy)
    try:
        quick = file_safety._scan_xlsx_sheet_quickly(iter(pieces), exact)
    except ValueError:   # a filled cell without a row number: the file is refused as damaged
        pytest.fail("bounded a sheet the quick scan refuses")
    assert quick, "bounded a sheet the quick scan leaves to the tag-by-tag scan"
    assert bound.rows >= exact.rows and bound.columns >= exact.columns and bound.elements >= exact.elements


BOUND_ATTACKS = {
    # the dimension claims A1:B2; the data says otherwise
    "a cell beyond the dimension": b'<c r="XFD1048576"><v>1</v></c>',
    "a row beyond the dimension, its number padded": b'<c r="A0001048576"><v>1</v></c>',
    "a column beyond, in lower case": b'<c r="xfd1"><v>1</v></c>',
    "a cell without a row number": b'<c r="B"><v>1</v></c>',
    "a reference after other attributes": b'<c s="1" t="n" r="ZZ900000"><v>1</v></c>',
    "a cell without a reference": b"<c><v>1</v></c>" * 300,
    "an apostrophe-quoted reference": b"<c r='XFD1'><v>1</v></c>",
    "a reference with spaces around it": b'<c r = "XFD1"><v>1</v></c>',
    "a reference in a tab": b'<c\tr="XFD1"><v>1</v></c>',
}


@pytest.mark.parametrize("attack", BOUND_ATTACKS)
@pytest.mark.parametrize("settings", GRID_SETTINGS[:2])
def test_what_an_attacker_puts_past_the_dimension_is_counted(monkeypatch, attack, settings):
    part = (b'<worksheet xmlns="main"><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c>'
            + BOUND_ATTACKS[attack] + b"</row></sheetData></worksheet>")
    quick, exact, _ = checked_both_ways(monkeypatch, workbook_of_parts([part]), settings)
    assert quick == exact


def test_the_bound_comparison_sees_a_difference(monkeypatch):
    """A bound that trusted the dimension without looking at the cells would be caught."""
    part = (b'<worksheet xmlns="main"><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1</v></c>'
            b'<c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>')
    monkeypatch.setattr(file_safety, "_beyond", lambda row, letters: re.compile(rb"(?!)"))
    with pytest.raises(AssertionError):
        quick, exact, _ = checked_both_ways(monkeypatch, workbook_of_parts([part]), SETTINGS)
        assert quick == exact


# ------------------------------------------------------------------ the quiet search for a tag

TAG_PIECES = [b"<c r=\"A1\">", b"<v>1</v>", b"</c>", b"<row r=\"2\">", b"</row>", b"<f>", b"</f>", b"<x:f>", b"<:f ",
              b"<a:b:f/>", b"<fo>", b"<formula1>", b"<F>", b"<sqref>", b"<oddHeader>", b"<x:oddFooter ",
              b"<hyperlink ref=\"A1\"/>", b"<dataValidation>", b"<customPr/>", b"<control ", b"<scenario>",
              b"<!-- <f> -->", b"<![CDATA[<f>]]>", b"<?pi <f>?>", b"text f e l", b"<", b">", b"!", b"?", b"<!", b"<?",
              b"<headerFooter>", b"<x:protectedRange ", b"<webPublishItem>", b"<inputCells/>", b"<oleObject>",
              b"<evenHeader>", b"<firstFooter>", b"<formula2>", b"<formula>", b"<\xc3\xa4:f>", b" ", b"\n"]


@pytest.mark.parametrize("seed", range(300))
def test_a_tag_searched_for_its_letters_first_is_found_where_the_pattern_finds_it(seed):
    rng = random.Random(seed)
    window = b"".join(rng.choice(TAG_PIECES) for _ in range(rng.randrange(0, 40)))
    names = file_texts._SheetHandler.needed
    found, expected = file_texts._first_tag(window, names), file_texts._tag_of(names).search(window)
    assert (found and found.span()) == (expected and expected.span())
    start, stop = sorted(rng.randrange(0, len(window) + 1) for _ in range(2))
    for markup in (b"<!", b"<?"):
        assert file_texts._holds(window, markup, start, stop) == (window.find(markup, start, stop) != -1)


def test_every_tag_a_handler_waits_for_holds_one_of_its_letters():
    for handler in (file_texts._SheetHandler,):
        literals = file_texts._literals_of(handler.needed)
        assert all(any(literal in name.encode() for literal in literals) for name in handler.needed)


@pytest.mark.parametrize("seed", range(40))
def test_a_random_sheet_read_quietly_gives_the_texts_read_element_by_element(monkeypatch, seed):
    rng = random.Random(seed)
    part = random_sheet_part(rng, odd=rng.choice([0, 1]))
    extras = [b"<headerFooter><oddHeader>Soita 040 1234567</oddHeader></headerFooter>",
              b'<hyperlinks><hyperlink ref="A2" display="matti@example.fi"/></hyperlinks>',
              b'<dataValidations><dataValidation sqref="A1" prompt="131052-308T"/></dataValidations>']
    for extra in rng.sample(extras, rng.randrange(0, 3)):
        at = part.rfind(b"</")
        part = part[:at] + extra.replace(b"<", b"<" + (b"x:" if b"<x:sheetData" in part else b"")) \
            .replace(b"<x:/", b"</x:") + part[at:]
    data = with_sheet_part(part)
    monkeypatch.setattr(file_texts, "_CHUNK", rng.choice([64, 1000, 1 << 16]))
    assert texts_of(data, True, monkeypatch) == texts_of(data, False, monkeypatch)


NUMBERS = [0, 1, 7, 10**12, 2**63 - 1, -3, None, 0.0, -0.0, 2.5, float("nan"), float("inf"), 1e300, True, "1"]


@pytest.mark.parametrize("seed", range(100))
@pytest.mark.parametrize("kind, dtype", [(int, "Int64"), (float, "Float64")])
def test_a_column_of_numbers_made_through_numpy_is_what_pandas_makes(seed, kind, dtype):
    rng = random.Random(seed)
    pool = [v for v in NUMBERS if v is None or type(v) is kind] if rng.random() < 0.8 else NUMBERS
    values = [rng.choice(pool) for _ in range(rng.randrange(0, 40))]
    try:
        expected = pd.array(values, dtype=dtype)
    except (TypeError, ValueError, OverflowError) as error:
        with pytest.raises(type(error)):
            validation._masked_array(values, kind)
        return
    got = validation._masked_array(values, kind)
    pd.testing.assert_extension_array_equal(got, expected)
    assert (got._mask == expected._mask).all()
    kept = ~expected._mask   # the values themselves, -0.0 told from 0.0
    assert got._data[kept].tobytes() == expected._data[kept].tobytes()


# ------------------------------------------------------------------ a text's control characters, counted as bytes

def decoded_one_by_one(data: bytes) -> str | None:
    """file_safety.decode_text as it counted control characters: one regular-expression match
    at a time in the decoded text, the Ctrl-Z at its end left out."""
    text = file_safety.decoded(data)
    if text is None:
        return None
    end = len(text)
    while end and text[end - 1] == "\x1a":
        end -= 1
    allowed = max(2, len(text) // 100)
    for count, _ in enumerate(file_safety._CONTROL_CHARS.finditer(text, 0, end), start=1):
        if count > allowed:
            return None
    return text


TEXT_BYTES = [b"a", b";", b"\n", b"\r\n", b"\x0b", b"\x0c", b"\x1a", b"\x1b", b"\x7f", b"\x01", b"\x09",
              "ä".encode(), "€".encode(), "ä".encode("cp1252"), b"\x80", b"\x81", b"\xef\xbb\xbf", b"\xc3", b"<?xml"]


@pytest.mark.parametrize("seed", range(400))
def test_control_characters_counted_as_bytes_are_those_counted_in_the_text(seed):
    rng = random.Random(seed)
    pool = rng.sample(TEXT_BYTES, rng.randrange(1, len(TEXT_BYTES)))
    data = b"".join(rng.choice(pool) for _ in range(rng.randrange(0, 400)))
    if rng.random() < 0.3:
        data = b"\xef\xbb\xbf" + data
    if rng.random() < 0.3:
        data += b"\x1a" * rng.randrange(1, 5)
    assert file_safety.decode_text(data) == decoded_one_by_one(data)


FOREIGN_PREFIX_SHEETS = {
    # found by an attacker's review: the quick scans looked for cells under the root's prefix only,
    # and calamine reads a cell under any prefix (a dense grid of 10^10 cells)
    "a prefixed root, cells without a prefix": (
        b'<x:worksheet xmlns:x="main" xmlns="main"><dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c>'
        b'</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></x:worksheet>'),
    "a plain root, cells under another prefix": (
        b'<worksheet xmlns="main" xmlns:y="main"><dimension ref="A1"/><sheetData><row r="1"><y:c r="A1"><y:v>1</y:v>'
        b'</y:c></row><row r="1048576"><y:c r="XFD1048576"><y:v>1</y:v></y:c></row></sheetData></worksheet>'),
    "a prefixed root, cells under a third prefix (with a hyphen, as XML allows)": (
        b'<x:worksheet xmlns:x="main" xmlns:z-1="main"><x:sheetData><x:row r="1"><z-1:c r="XFD1048576"><z-1:v>1'
        b'</z-1:v></z-1:c></x:row></x:sheetData></x:worksheet>'),
}


@pytest.mark.parametrize("sheet", FOREIGN_PREFIX_SHEETS)
def test_a_cell_under_another_namespace_prefix_than_the_root_is_counted(monkeypatch, sheet):
    quick, exact, bounded = checked_both_ways(monkeypatch, workbook_of_parts([FOREIGN_PREFIX_SHEETS[sheet]]), SETTINGS)
    assert quick == exact and not bounded
    file_type, problems = quick
    assert [problem.code for problem, _ in problems] == ["file_too_large"]
    assert problems[0][0].params.get("reason") in ("too_many_columns", "too_many_rows"), problems[0][0].params


def test_a_cell_under_a_prefix_of_non_ascii_letters_is_counted(monkeypatch):
    part = ('<worksheet xmlns="main" xmlns:ä="main"><sheetData><row r="1"><ä:c r="XFD1048576"><ä:v>1</ä:v></ä:c>'
            '</row></sheetData></worksheet>').encode()
    quick, exact, _ = checked_both_ways(monkeypatch, workbook_of_parts([part]), SETTINGS)
    assert quick == exact and [problem.code for problem, _ in quick[1]] == ["file_too_large"]
