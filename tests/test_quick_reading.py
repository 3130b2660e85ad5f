"""The quick ways a file is read give exactly what reading it cell by cell gives.

Intake reads each distinct value of a column once (validation.TabReader.read_quickly), the
personal-data guard looks at each distinct cell value once (PersonalDataGuard.scan_sheets),
and a worksheet part is parsed without a call into Python per element until something the
guard reads starts (file_texts._parse). Each is compared here with the plain way, on files
made at random from good and bad cells: same rows, same problems, in the same order, with
the same wording; the same texts outside the cells."""

import io
import random
from datetime import date, datetime, time

import openpyxl
import pandas as pd
import pytest

from data_sources import file_texts, validation, vocabulary
from data_sources.headers import contract_header
from data_sources.organisations import Registry
from data_sources.personal_data import PersonalDataGuard
from data_sources.raw import RawSheet
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


def compare(monkeypatch, sheets, **context):
    def run():
        return validate_sheets(sheets, registry=REGISTRY, today=TODAY, future_days=31, **context)

    quick = run()
    with monkeypatch.context() as patched:
        patched.setattr(validation.TabReader, "read_quickly", row_by_row)
        plain = run()
    assert sorted(quick[0]) == sorted(plain[0])
    for sheet in plain[0]:
        pd.testing.assert_frame_equal(quick[0][sheet], plain[0][sheet])
    assert described(quick[1]) == described(plain[1])
    assert described(quick[2]) == described(plain[2])
    assert quick[3] == plain[3]
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
    import math
    assert [math.copysign(1, hours) for hours in frames["toiminta"]["hours"]] == [1, -1]
