"""check_file: the real type from the bytes, and every file-level refusal, on real files."""

import io
import random
import struct
import zipfile

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
import xlwt

from data_sources import file_safety
from data_sources.file_safety import RATIO_FLOOR_BYTES, check_file
from settings import Settings

SETTINGS = Settings()


def write_xlsx(path, cells=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Toiminta"
    for ref, value in (cells or {"A1": "Päivämäärä", "B1": "Toimintamuoto", "A2": "2025-03",
                                  "B2": "paneeli"}).items():
        sheet[ref] = value
    workbook.save(path)
    return path


def write_xls(path):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Toiminta")
    sheet.write(0, 0, "Päivämäärä")
    sheet.write(1, 0, "2025-03")
    workbook.save(str(path))
    return path


def write_ods(path):
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame({"Päivämäärä": ["2025-03"], "Lukumäärä": [3]}).to_excel(
            writer, sheet_name="Toiminta", index=False)
    return path


def write_zip(path, entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def build_cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding the given streams,
    each padded to 4096 bytes so that no mini stream is needed."""
    sector = 512
    bodies = [data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0") for data in streams.values()]
    data_sectors = sum(len(body) // sector for body in bodies)
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0 holds the FAT, sector 1 the directory
    next_sector = 2
    starts = []
    for body in bodies:
        count = len(body) // sector
        starts.append(next_sector)
        fat += [next_sector + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        next_sector += count
    assert 2 + data_sectors <= 128, "one FAT sector maps 128 sectors"
    fat += [0xFFFFFFFF] * (128 - len(fat))

    def entry(name, kind, child, right, start, size):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 16 + b"\0" * 4
                + b"\0" * 16 + struct.pack("<IQ", start, size))

    names = list(streams)
    directory = entry("Root Entry", 5, 1 if names else 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE, 0)
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, 0xFFFFFFFF, right, starts[index], len(streams[name]))
    directory = directory.ljust(sector * -(-len(directory) // sector), b"\0")[:sector]
    header = (file_safety.CFB_SIGNATURE + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *([0xFFFFFFFF] * 108)))
    assert len(header) == sector
    return header + struct.pack("<128I", *fat) + directory + b"".join(bodies)


@pytest.mark.parametrize("writer, name, expected", [
    (write_xlsx, "toiminta.xlsx", "xlsx"),
    (write_xls, "toiminta.xls", "xls"),
    (write_ods, "toiminta.ods", "ods"),
    # the content decides, not the name
    (write_xlsx, "toiminta.csv", "xlsx"),
    (write_xls, "toiminta.xlsx", "xls"),
    (write_ods, "toiminta.xlsx", "ods"),
    (write_xlsx, "toiminta", "xlsx"),
])
def test_workbook_type_comes_from_the_bytes(tmp_path, writer, name, expected):
    path = writer(tmp_path / name)
    assert check_file(name, path.read_bytes(), SETTINGS) == (expected, [])


@pytest.mark.parametrize("name, content", [
    ("toiminta.csv", "Päivämäärä;Tunnit\n2025-03;12,5\n".encode()),
    ("toiminta.csv", "Päivämäärä;Tunnit\n2025-03;12,5\n".encode("utf-8-sig")),
    ("toiminta.csv", "Päivämäärä;Kunta\n2025-03;Närpiö\n".encode("cp1252")),
    ("toiminta.txt", "Päivämäärä\tKunta\n2025-03\tTurku\n".encode()),
    ("toiminta.xlsx", b"Date,Activity type\n2025-03,panel\n"),
])
def test_text_is_csv_whatever_its_name(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert check_file(name, path.read_bytes(), SETTINGS) == ("csv", [])


def minimal_pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def minimal_png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0" + b"\x90wS\xde"


def docx_bytes(tmp_path) -> bytes:
    return write_zip(tmp_path / "memo.docx", {
        "[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
    }).read_bytes()


@pytest.mark.parametrize("name, make", [
    ("toiminta.xlsx", lambda tmp: minimal_pdf()),
    ("toiminta.pdf", lambda tmp: minimal_pdf()),
    ("toiminta.ods", lambda tmp: minimal_png()),
    ("toiminta.xlsx", docx_bytes),
    ("toiminta.csv", lambda tmp: random.Random(7).randbytes(4096)),
    ("toiminta.xls", lambda tmp: b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
    ("toiminta.xml", lambda tmp: b'<?xml version="1.0"?><Workbook/>'),
    ("toiminta.xls", lambda tmp: build_cfb({"WordDocument": b"\x00" * 100})),
    ("toiminta.zip", lambda tmp: write_zip(tmp / "x.zip", {"notes.txt": b"hello"}).read_bytes()),
])
def test_other_formats_are_unsupported(tmp_path, name, make):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    file_type, problems = check_file(name, path.read_bytes(), SETTINGS)
    assert file_type is None
    assert [p.code for p in problems] == ["unsupported_type"]


def truncated_xlsx(tmp_path) -> bytes:
    data = write_xlsx(tmp_path / "full.xlsx").read_bytes()
    return data[: len(data) // 2]


def xlsx_with_bad_crc(tmp_path) -> bytes:
    """A stored (uncompressed) sheet part with one byte changed: the zip opens, the CRC fails."""
    sheet = (b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>abc</t></is></c></row>'
             b"</sheetData></worksheet>")
    data = write_zip(tmp_path / "crc.xlsx", {
        "[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
        "xl/worksheets/sheet1.xml": sheet,
    }, compression=zipfile.ZIP_STORED).read_bytes()
    return data.replace(b"<t>abc</t>", b"<t>abd</t>")


def encrypted_ods(tmp_path) -> bytes:
    return write_zip(tmp_path / "secret.ods", {
        "mimetype": file_safety.ODS_MIMETYPE, "content.xml": b"\x8f\x02 encrypted bytes",
        "META-INF/manifest.xml": b'<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">'
                                 b"<manifest:encryption-data/></manifest:file-entry></manifest:manifest>",
    }).read_bytes()


@pytest.mark.parametrize("name, make, reason", [
    ("toiminta.xlsx", truncated_xlsx, "damaged"),
    ("toiminta.xlsx", xlsx_with_bad_crc, "damaged"),
    ("toiminta.xlsx", lambda tmp: b"", "damaged"),
    ("toiminta.xlsx", lambda tmp: b"PK\x03\x04 not really a zip", "damaged"),
    # a password-protected xlsx is an OLE2 container holding an EncryptedPackage stream
    ("toiminta.xlsx", lambda tmp: build_cfb({"EncryptionInfo": b"\x04\x00\x04\x00",
                                             "EncryptedPackage": b"\x01" * 5000}), "password"),
    ("toiminta.ods", encrypted_ods, "password"),
    # OLE2 whose directory holds nothing recognisable: a damaged file, not another format
    ("toiminta.xls", lambda tmp: build_cfb({}), "damaged"),
])
def test_damaged_and_protected_files_are_unreadable(tmp_path, name, make, reason):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    file_type, problems = check_file(name, path.read_bytes(), SETTINGS)
    assert file_type is None
    assert [(p.code, p.params["reason"]) for p in problems] == [("unreadable_file", reason)]


def test_a_real_xls_in_an_ole2_container_is_not_mistaken_for_an_encrypted_one(tmp_path):
    data = write_xls(tmp_path / "toiminta.xls").read_bytes()
    assert data.startswith(file_safety.CFB_SIGNATURE)
    assert check_file("toiminta.xls", data, SETTINGS) == ("xls", [])


def test_a_file_over_the_upload_limit_is_refused_before_anything_else(tmp_path):
    path = tmp_path / "toiminta.csv"
    path.write_bytes(b"Paivamaara;Lukumaara\n" + b"2025-03;1\n" * (21 * 1024 * 1024 // 10))
    file_type, problems = check_file(path.name, path.read_bytes(), SETTINGS)
    assert file_type is None
    assert [(p.code, p.params) for p in problems] == [("file_too_large", {"limit_mb": 20})]
    assert "20" in problems[0].message("fi")


def test_a_file_just_under_the_limit_passes(tmp_path):
    settings = Settings(upload_limit_mb=1)
    path = tmp_path / "toiminta.csv"
    path.write_bytes(b"a;b\n" * (1024 * 1024 // 4))
    assert len(path.read_bytes()) == settings.upload_limit_bytes
    assert check_file(path.name, path.read_bytes(), settings) == ("csv", [])


def bomb_reason(data: bytes, settings=SETTINGS):
    file_type, problems = check_file("pommi.xlsx", data, settings)
    assert file_type is None
    assert [p.code for p in problems] == ["archive_bomb"]
    return problems[0].params["reason"]


def test_an_entry_expanding_to_hundreds_of_megabytes_is_refused(tmp_path):
    path = tmp_path / "pommi.xlsx"
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(300):
                entry.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    assert bomb_reason(path.read_bytes()) == "total"


def test_a_forged_central_directory_claiming_gigabytes_is_refused_without_decompressing(tmp_path):
    path = write_xlsx(tmp_path / "valehtelija.xlsx")
    data = bytearray(path.read_bytes())
    # central directory file header: signature, then uncompressed size at offset 24
    position = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, position + 24, 0xFFFFFFF0)
    assert len(data) < 10_000
    assert bomb_reason(bytes(data)) == "total"


def test_too_many_entries_are_refused(tmp_path):
    path = tmp_path / "monta.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for index in range(SETTINGS.zip_max_entries):
            archive.writestr(f"xl/media/{index}.txt", b"")
    assert bomb_reason(path.read_bytes()) == "entries"


def test_a_large_entry_that_expands_more_than_the_ratio_is_refused(tmp_path):
    path = write_zip(tmp_path / "suhde.xlsx", {
        "[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
        "xl/sharedStrings.xml": b" " * (2 * RATIO_FLOOR_BYTES),
    })
    entry = zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml")
    assert entry.file_size / entry.compress_size > SETTINGS.zip_max_ratio
    assert bomb_reason(path.read_bytes()) == "ratio"


def test_a_small_highly_compressible_part_of_a_real_workbook_is_accepted(tmp_path):
    # a long pasted text compresses ~300-fold, but is far below the ratio floor
    path = tmp_path / "pitka.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Toiminta")
    sheet.write("A1", "Huom")
    sheet.write("A2", "x" * 32_000)
    workbook.close()
    entry = zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml")
    assert entry.file_size / entry.compress_size > SETTINGS.zip_max_ratio
    assert check_file(path.name, path.read_bytes(), SETTINGS) == ("xlsx", [])


def test_the_archive_limits_are_settings(tmp_path):
    path = write_xlsx(tmp_path / "toiminta.xlsx")
    assert check_file(path.name, path.read_bytes(), SETTINGS) == ("xlsx", [])
    assert bomb_reason(path.read_bytes(), Settings(zip_max_entries=3)) == "entries"
    assert bomb_reason(path.read_bytes(), Settings(zip_max_total_mb=0.001)) == "total"


def ods_with_far_cell(tmp_path, rows_before: int, cols_before: int) -> bytes:
    """An ods whose one table holds A1 and a value after rows_before repeated empty rows and
    cols_before repeated empty cells: a few hundred bytes describing a huge grid."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Toiminta">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p>'
        "</table:table-cell></table:table-row>"
        f'<table:table-row table:number-rows-repeated="{rows_before}">'
        f'<table:table-cell table:number-columns-repeated="{cols_before + 1}"/></table:table-row>'
        f'<table:table-row><table:table-cell table:number-columns-repeated="{cols_before}"/>'
        '<table:table-cell office:value-type="string"><text:p>y</text:p></table:table-cell></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    with zipfile.ZipFile(tmp_path / "kaukana.ods", "w") as archive:
        archive.writestr("mimetype", file_safety.ODS_MIMETYPE)
        archive.writestr("content.xml", content.encode(), zipfile.ZIP_DEFLATED)
    return (tmp_path / "kaukana.ods").read_bytes()


@pytest.mark.parametrize("kind, make, reason", [
    # one value in A1 and one in XFD1048576 would make calamine allocate 512 GB and abort
    ("xlsx", lambda tmp: write_xlsx(tmp / "a.xlsx", {"A1": "x", "XFD1048576": "y"}).read_bytes(), "too_many_columns"),
    # one value alone in XFD1048576: a used area of one cell, but a grid of 17 billion from A1
    ("xlsx", lambda tmp: write_xlsx(tmp / "a.xlsx", {"XFD1048576": "y"}).read_bytes(), "too_many_columns"),
    ("xlsx", lambda tmp: write_xlsx(tmp / "a.xlsx", {"A1": "x", "Z200000": "y"}).read_bytes(), "too_many_rows"),
    # empty rows cost as much as filled ones
    ("xlsx", lambda tmp: write_xlsx(tmp / "a.xlsx", {"A1": "x", "A1048576": "y"}).read_bytes(), "too_many_rows"),
    ("xlsx", lambda tmp: write_xlsx(tmp / "a.xlsx", {"A1": "x", "A20000": "y"}).read_bytes(), None),
    ("ods", lambda tmp: ods_with_far_cell(tmp, 1_000_000, 999), "too_many_columns"),
    ("ods", lambda tmp: ods_with_far_cell(tmp, 90_000, 100), "too_many_rows"),
    ("ods", lambda tmp: ods_with_far_cell(tmp, 100, 10), None),
])
def test_a_sheet_whose_grid_is_enormous_is_refused_before_it_is_parsed(tmp_path, kind, make, reason):
    data = make(tmp_path)
    assert len(data) < 10_000
    file_type, problems = check_file(f"a.{kind}", data, SETTINGS)
    if reason:
        assert [(p.code, p.params["reason"]) for p in problems] == [("file_too_large", reason)]
        assert file_type is None
    else:
        assert (file_type, problems) == (kind, [])


def minimal_xlsx(sheet_xml: bytes, shared_strings: bytes | None = None) -> bytes:
    """An xlsx of one sheet "Toiminta" whose part is `sheet_xml`, as written, so that the
    scanner sees exactly the markup under test."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b'<workbook xmlns:r="r"><sheets>'
                                             b'<sheet name="Toiminta" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", b'<Relationships><Relationship Id="rId1" '
                         b'Type="http://x/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def sheet(rows: bytes, prefix: bytes = b"") -> bytes:
    return (b"<" + prefix + b'worksheet xmlns="main"><' + prefix + b"sheetData>" + rows
            + b"</" + prefix + b"sheetData></" + prefix + b"worksheet>")


# sheet XML -> (rows, columns) of its grid, as calamine would hold it
SHEETS = [
    (sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1"><v>2</v></c></row>'), (1, 3)),
    # formatted empty cells, self-closing (Excel) or not (openpyxl), do not widen the grid
    (sheet(b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row>'
           b'<row r="900000"><c r="B900000" s="1" t="n"></c></row>'), (1, 1)),
    (sheet(b'<row r="3"><c r="B3" t="inlineStr"><is><t>x</t></is></c></row>'
           b'<row r="7"><c r="D7"><f>SUM(B3)</f><v>0</v></c></row>'), (7, 4)),
    # a comment between a cell and its value still makes it filled
    (sheet(b'<row r="1"><c r="E9"><!-- note --><v>1</v></c></row>'), (9, 5)),
    # a namespace prefix on every element
    (sheet(b'<x:row r="2"><x:c r="F2"><x:v>1</x:v></x:c><x:c r="Z2" s="1"></x:c></x:row>', b"x:"), (2, 6)),
    # cells without a reference follow each other, after empty ones too
    (sheet(b"<row><c/><c/><c><v>1</v></c></row><row><c><v>2</v></c></row>"), (2, 3)),
    (sheet(b'<row r="4"><c s="1"/><c t="s"><v>0</v></c></row>'), (4, 2)),
]


@pytest.mark.parametrize("xml, grid", SHEETS)
@pytest.mark.parametrize("chunk", [7, 64, 1 << 16])
def test_an_xlsx_sheet_is_counted_the_same_in_any_pieces_by_either_scan(xml, grid, chunk):
    pieces = [xml[i:i + chunk] for i in range(0, len(xml), chunk)]
    exact = file_safety.GridBudget("a.xlsx", SETTINGS)
    file_safety._scan_xlsx_sheet(iter(pieces), exact)
    assert (exact.rows, exact.columns) == grid
    quick = file_safety.GridBudget("a.xlsx", SETTINGS)
    if file_safety._scan_xlsx_sheet_quickly(iter(pieces), quick):   # False: cells without a reference
        assert (quick.rows, quick.columns) == grid
    assert check_file("a.xlsx", minimal_xlsx(xml), SETTINGS) == ("xlsx", [])


def test_the_quick_scan_leaves_a_sheet_with_unreferenced_cells_to_the_exact_one():
    rows = b"<row>" + b"<c><v>1</v></c>" * 250 + b"</row>"
    assert not file_safety._scan_xlsx_sheet_quickly(iter([sheet(rows)]), file_safety.GridBudget("a", SETTINGS))
    _, problems = check_file("a.xlsx", minimal_xlsx(sheet(rows)), SETTINGS)
    assert [(p.params["reason"], p.params["tab"]) for p in problems] == [("too_many_columns", "Toiminta")]


def test_one_cell_repeated_over_and_over_is_too_many_cells():
    # a one-cell grid, but calamine holds every repetition before it builds the grid
    settings = Settings(max_cells=1000)
    xml = sheet(b'<row r="1">' + b'<c r="A1"><v>1</v></c>' * 2001 + b"</row>")
    _, problems = check_file("a.xlsx", minimal_xlsx(xml), settings)
    assert [(p.code, p.params["reason"]) for p in problems] == [("file_too_large", "too_many_cells")]


@pytest.mark.parametrize("claim, reason", [
    # calamine reserves room for uniqueCount strings before reading one: forty billion aborts it
    (b"40000000000", "too_many_cells"),
    (b"1", None),
])
def test_shared_strings_are_counted_as_claimed(claim, reason):
    strings = b'<sst count="1" uniqueCount="' + claim + b'"><si><t>x</t></si></sst>'
    data = minimal_xlsx(sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings)
    _, problems = check_file("a.xlsx", data, SETTINGS)
    assert [p.params["reason"] for p in problems] == ([reason] if reason else [])


def xls_bytes(cells: dict[tuple[int, int], str]) -> bytes:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Toiminta")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xls_with_dimensions(last_row: int) -> bytes:
    """An xls whose DIMENSIONS record (BIFF8, 14 bytes: first row, last row + 1, …) says `last_row`."""
    data = bytearray(xls_bytes({(0, 0): "x", (1, 1): "y"}))
    record = data.find(b"\x00\x02\x0e\x00")
    struct.pack_into("<I", data, record + 8, last_row)
    return bytes(data)


def xls_with_looping_directory() -> bytes:
    """An xls whose directory's sector chain points back at itself."""
    data = bytearray(xls_bytes({(0, 0): "x"}))
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    directory, fat = struct.unpack_from("<I", data, 0x30)[0], struct.unpack_from("<I", data, 0x4C)[0]
    struct.pack_into("<I", data, (fat + 1) * size + directory * 4, directory)
    return bytes(data)


def xls_with_huge_fat_count() -> bytes:
    data = bytearray(xls_bytes({(0, 0): "x"}))
    struct.pack_into("<I", data, 0x2C, 0xFFFFFFF0)
    return bytes(data)


@pytest.mark.parametrize("make, expected", [
    (lambda: xls_bytes({(0, 0): "x", (19_999, 3): "y"}), ("xls", None)),
    # A1 and IV65536: 5.6 KB that calamine opens into a dense grid of 16.7 M cells (1 GB)
    (lambda: xls_bytes({(0, 0): "x", (65_535, 255): "y"}), (None, ("file_too_large", "too_many_columns"))),
    (lambda: xls_bytes({(0, 0): "x", (30_000, 1): "y"}), (None, ("file_too_large", "too_many_rows"))),
    # a DIMENSIONS record claiming four billion rows makes calamine abort on its reservation
    (lambda: xls_with_dimensions(0xFFFFFFF0), (None, ("unreadable_file", "damaged"))),
    (lambda: xls_with_dimensions(65_536), ("xls", None)),
    # a directory chain that loops makes calamine read it until memory runs out
    (xls_with_looping_directory, (None, ("unreadable_file", "damaged"))),
    (xls_with_huge_fat_count, (None, ("unreadable_file", "damaged"))),
])
def test_an_xls_is_counted_from_its_records_before_calamine_opens_it(make, expected):
    file_type, problems = check_file("toiminta.xls", make(), SETTINGS)
    code_reason = (problems[0].code, problems[0].params["reason"]) if problems else None
    assert (file_type, code_reason) == expected


def test_formatted_empty_cells_far_away_do_not_count(tmp_path):
    # Excel and openpyxl write a formatted empty cell as <c r=… s=…/>; calamine ignores it
    path = tmp_path / "muotoiltu.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    workbook.active["XFD1048576"].number_format = "0.00"
    workbook.active["XFD1048576"].font = openpyxl.styles.Font(bold=True)
    workbook.save(path)
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert check_file(path.name, path.read_bytes(), SETTINGS) == ("xlsx", [])


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("code, params", [
    ("unreadable_file", {"reason": "password"}),
    ("unsupported_type", {}),
    ("file_too_large", {"limit_mb": 20}),
    ("archive_bomb", {"reason": "ratio", "limit": 100}),
])
def test_every_file_level_code_has_a_message_in_every_language(code, params, lang):
    import i18n
    from data_sources.problems import Problem

    message = Problem(code, value="toiminta.xlsx", params=params).message(lang)
    assert message != f"problem.{code}"
    assert "{" not in message
    assert message == i18n.catalogue(lang)[f"problem.{code}"].format(
        sheet="", row="", column="", value="toiminta.xlsx", **params)


def test_reading_a_tiny_zip_bomb_stays_small(tmp_path):
    path = tmp_path / "pommi.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(50):
                entry.write(b"\0" * (1024 * 1024))
    import tracemalloc

    tracemalloc.start()
    bomb_reason(path.read_bytes())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # the 50 MB entry was never expanded


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("reason", ["too_many_columns", "too_many_rows", "too_many_sheet_cells",
                                    "too_many_cells", "too_many_lines"])
def test_every_grid_limit_has_a_message_naming_the_limit(reason, lang):
    problem = file_safety.grid_problem("toiminta.xlsx", reason, 20_000, "Toiminta")
    message = problem.message(lang)
    assert message != f"problem.{problem.code}" and "{" not in message
    assert {"fi": "20\u00a0000", "sv": "20\u00a0000", "en": "20,000"}[lang] in message
    assert ("Toiminta" in message) == (reason in ("too_many_columns", "too_many_sheet_cells"))
