"""file_texts: every text a workbook carries besides its cells, each with its place; XML read
safely (no entities, malformed parts read roughly) and within a budget; xls records and
property streams."""

import io
import struct
import zipfile
from datetime import date

import pytest

from data_sources.file_safety import LimitExceeded
from data_sources.file_texts import (
    MAX_TEXT,
    FileText,
    UnsafeMarkup,
    biff_texts,
    file_texts,
    formula_text,
    header_footer_text,
    property_set_texts,
    string_runs,
)
from data_sources.intake import check_upload
from data_sources.organisations import Registry
from settings import Settings
from tests.privacy_corpus import (
    R_NS,
    biff_record,
    ods_document,
    ods_saved,
    property_stream,
    rezip,
    saved,
    text_box_drawing,
    with_sheet_part,
    xlsx_book,
)

REGISTRY = Registry(names={"aurinko": "Aurinko ry"}, aliases={})


def texts_of(file_type: str, data: bytes, settings=None) -> list[FileText]:
    return list(file_texts(f"toiminta.{file_type}", data, file_type, settings or Settings()))


def check(data: bytes, file_name: str = "toiminta.xlsx", settings=None):
    return check_upload(file_name, data, registry=REGISTRY, uploader_org="aurinko", today=date(2025, 7, 1),
                        settings=settings or Settings())


def place_of(texts: list[FileText], marker: str) -> list[tuple]:
    return [(t.place, t.sheet, t.cell, t.detail) for t in texts if marker in t.text]


@pytest.mark.parametrize("formula, read", [
    ('="040 12"&"3 4567"', '="040 12"&"3 4567"\n040 123 4567'),
    ("'Asiakas 150387-123H'!A1+1", " A1+1"),
    ("SUM(Taul1!A1:A3)", "SUM( A1:A3)"),
    ("of:=[.A1]+[$'Toiminta'.B2]", "of:= + "),
    ('HYPERLINK("mailto:x@example.fi")', 'HYPERLINK("mailto:x@example.fi")'),
])
def test_a_formula_is_read_without_sheet_references_and_with_its_literals_joined(formula, read):
    assert formula_text(formula) == read


def test_a_print_header_is_read_without_its_codes():
    text = header_footer_text('&L&"Arial,Bold"&12Yhteys&C&P / &N&R&KFF0000Aurinko && Kuu')
    assert [line.strip() for line in text.split("\n") if line.strip()] == ["Yhteys", "/", "Aurinko & Kuu"]


def test_each_text_of_an_xlsx_comes_with_its_place():
    from openpyxl.comments import Comment
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    book, sheet = xlsx_book()
    sheet["B2"].comment = Comment("MERKKI-KOMMENTTI", "Kirjoittaja")
    sheet["D2"].value = "linkki"
    sheet["D2"].hyperlink = "https://example.org/MERKKI-LINKKI"
    sheet["E2"] = '="MERKKI-KAAVA"'
    sheet.oddFooter.center.text = "MERKKI-ALATUNNISTE"
    validation = DataValidation(type="whole", prompt="MERKKI-OHJE", showInputMessage=True)
    sheet.add_data_validation(validation)
    validation.add("C5:C9")
    book.defined_names["Alue"] = DefinedName("Alue", attr_text='"MERKKI-NIMI"')
    book.properties.subject = "MERKKI-AIHE"
    data = with_sheet_part(
        saved(book), "xl/drawings/drawing9.xml", text_box_drawing(["MERKKI-", "RUUTU"]),
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
        f'<drawing {R_NS} r:id="rIdDoor"/>', "application/vnd.openxmlformats-officedocument.drawing+xml")
    texts = texts_of("xlsx", data)
    assert place_of(texts, "MERKKI-KOMMENTTI") == [("comment", "Toiminta", "B2", None)]
    assert place_of(texts, "Kirjoittaja") == [("comment_author", None, None, None)]
    assert place_of(texts, "MERKKI-LINKKI") == [("hyperlink", "Toiminta", "D2", None)]
    assert place_of(texts, "MERKKI-KAAVA") == [("formula", "Toiminta", "E2", None)]
    assert place_of(texts, "MERKKI-ALATUNNISTE") == [("header_footer", "Toiminta", None, None)]
    assert place_of(texts, "MERKKI-OHJE") == [("validation", "Toiminta", "C5", None)]
    assert place_of(texts, "MERKKI-NIMI") == [("defined_name", None, None, "Alue")]
    assert place_of(texts, "MERKKI-AIHE") == [("properties", None, None, "subject")]
    assert place_of(texts, "MERKKI-RUUTU") == [("text_box", "Toiminta", "E2", None)]   # runs joined
    assert place_of(texts, "Toiminta") == [("sheet_name", "Toiminta", None, None)]
    properties = {t.detail: (t.text, t.free_text) for t in texts if t.place == "properties"}
    assert properties["creator"] == ("Maija Virtanen", False)


def test_an_ods_annotation_is_placed_past_repeated_rows_and_columns():
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="Toiminta"><table:table-row table:number-rows-repeated="3"><table:table-cell/>'
        '</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="4"/>'
        "<table:table-cell><office:annotation><text:p>MERKKI</text:p></office:annotation></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
    data = rezip(ods_saved(*ods_document()), edit={"content.xml": lambda _: content})
    assert place_of(texts_of("ods", data), "MERKKI") == [("comment", "Toiminta", "E4", None)]


ENTITIES = [
    '<!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',   # billion laughs
    '<!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]>',                               # external entity
    '<!DOCTYPE c [<!ENTITY % p SYSTEM "http://example.org/x.dtd"> %p;]>',                    # parameter entity
]


@pytest.mark.parametrize("doctype", ENTITIES)
def test_a_part_declaring_entities_is_refused(doctype):
    data = rezip(saved(xlsx_book()[0]), add={"customXml/item1.xml": f'<?xml version="1.0"?>{doctype}<c>&b;</c>'})
    with pytest.raises(UnsafeMarkup):
        texts_of("xlsx", data)
    assert [(p.code, p.params.get("reason")) for p in check(data).errors] == [("unreadable_file", "damaged")]


def test_a_doctype_without_entities_is_read():
    data = rezip(saved(xlsx_book()[0]), add={"customXml/item1.xml": '<!DOCTYPE c><c>soita 040 123 4567</c>'})
    assert [(p.code, p.params.get("place"), p.value) for p in check(data).errors] == [
        ("personal_data", "other", "040 *** ****")]


def test_a_part_that_is_not_xml_is_read_roughly():
    broken = '<comments><commentList><comment ref="B2"><text><t>soita 040 123 4567</t></comment><oops'
    data = rezip(saved(xlsx_book()[0]), add={"xl/comments/broken.xml": broken})
    assert [(p.code, p.params.get("place"), p.value) for p in check(data).errors] == [
        ("personal_data", "other", "040 *** ****")]


def test_cdata_in_a_formula_is_read():
    data = rezip(saved(xlsx_book()[0]), edit={"xl/worksheets/sheet1.xml": lambda text: text.replace(
        "</sheetData>", '<row r="5"><c r="D5"><f><![CDATA["040 123 4567"]]></f></c></row></sheetData>')})
    assert [(p.code, p.params.get("place"), p.row, p.column) for p in check(data).errors] == [
        ("personal_data", "formula", 5, "D")]


def test_too_much_markup_is_refused_as_too_large():
    comments = "".join(f'<comment ref="B{n}" authorId="0"><text><t>kommentti</t></text></comment>'
                       for n in range(2, 2000))
    part = (f'<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>a'
            f"</author></authors><commentList>{comments}</commentList></comments>")
    data = rezip(saved(xlsx_book()[0]), add={"customXml/flood.xml": part})
    small = Settings(max_cells=100, max_sheet_cells=100)
    with pytest.raises(LimitExceeded):
        texts_of("xlsx", data, small)
    assert [(p.code, p.params.get("reason")) for p in check(data, settings=small).errors] == [
        ("file_too_large", "too_many_cells")]
    assert check(saved(xlsx_book()[0]), settings=small).errors == []


def test_a_long_text_comes_in_overlapping_pieces_so_nothing_is_cut_in_two():
    from openpyxl.comments import Comment

    book, sheet = xlsx_book()
    filler = "x " * ((MAX_TEXT - 6) // 2)
    sheet["B2"].comment = Comment(filler + "soita 040 123 4567 " + "y " * MAX_TEXT, "a")
    texts = [t for t in texts_of("xlsx", saved(book)) if t.place == "comment"]
    assert len(texts) >= 3 and all(len(t.text) <= MAX_TEXT for t in texts)
    assert any("040 123 4567" in t.text for t in texts)
    assert [(p.params.get("place"), p.value) for p in check(saved(book)).errors] == [("comment", "040 *** ****")]


def test_string_runs_of_latin1_and_utf16_text_among_binary():
    data = b"\x01\x02Soita 040\xa0123\x00\x03" + "maija@esimerkki.fi".encode("utf-16-le") + b"\x01\x02ab"
    assert string_runs(data) == ["Soita 040\xa0123", "maija@esimerkki.fi"]


def test_the_raw_scan_of_an_xls_skips_pictures_but_reads_other_records():
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    picture = biff_record(0x00EB, b"\x0f\x00maija@example.fi\x00")        # MSODRAWINGGROUP
    style = biff_record(0x0293, b"\x00\x00\x10\x00\x00Yhteys 040 765 4321")  # STYLE: a name of its own
    stream = bof + picture + style + biff_record(0x000A, b"")
    texts = list(biff_texts(stream, _budget()))
    assert [(t.place, t.repeats_cells, t.free_text) for t in texts] == [("xls_stream", True, False)]
    assert "040 765 4321" in texts[0].text and "maija" not in texts[0].text


def _budget():
    from data_sources.file_texts import _Budget

    return _Budget("toiminta.xls", Settings())


def test_the_string_properties_of_a_property_stream_by_their_names():
    summary = list(property_set_texts(property_stream({2: "Raportti", 4: "Maija Virtanen", 8: "Liisa"}),
                                      {2: "title", 4: "creator", 8: "lastModifiedBy"}))
    assert [(t.place, t.detail, t.text, t.free_text) for t in summary] == [
        ("properties", "title", "Raportti", False), ("properties", "creator", "Maija Virtanen", False),
        ("properties", "lastModifiedBy", "Liisa", False)]
    custom = list(property_set_texts(property_stream({15: "Aurinko ry"}, custom={"Yhteys": "x"}), {15: "company"}))
    assert [(t.detail, t.text) for t in custom] == [("company", "Aurinko ry"), ("Yhteys", "Yhteys\nx")]


def test_a_csv_has_no_texts_but_its_cells():
    assert texts_of("csv", "Päivämäärä;Huom\r\n1.1.2025;x\r\n".encode()) == []


def test_the_template_workbooks_own_texts_pass():
    import i18n
    from data_sources.templates import template_workbook

    for lang in i18n.LANGUAGES:
        data = template_workbook(lang)
        places = {t.place for t in texts_of("xlsx", data)}
        assert {"comment", "validation", "sheet_name"} <= places
        result = check(data, f"pohja_{lang}.xlsx")
        assert [p.code for p in result.errors + result.warnings] == ["empty_file"]


def test_reading_a_part_holds_a_chunk_not_the_part():
    """A 1.5 MB sheet part is read in chunks: the memory the reading takes stays a small part of it."""
    import tracemalloc

    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(3, 50_000))
    data = rezip(saved(xlsx_book()[0]), edit={
        "xl/worksheets/sheet1.xml": lambda text: text.replace("</sheetData>", rows + "</sheetData>")})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    assert size > 1_500_000
    tracemalloc.start()
    try:
        texts = [t.place for t in file_texts("toiminta.xlsx", data, "xlsx", Settings())]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "formula" not in texts
    assert peak < size / 3


def test_an_ods_chart_is_read_on_the_sheet_that_shows_it():
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="Toiminta"><table:shapes><draw:frame><draw:object xlink:href="./Object 1"/>'
        '</draw:frame></table:shapes><table:table-row><table:table-cell><text:p>x</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
    chart = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:chart><chart:chart>'
        "<chart:title><text:p>MERKKI-KAAVIO</text:p></chart:title></chart:chart></office:chart></office:body>"
        "</office:document-content>")
    data = rezip(ods_saved(*ods_document()), edit={"content.xml": lambda _: content},
                 add={"Object 1/content.xml": chart})
    assert place_of(texts_of("ods", data), "MERKKI-KAAVIO") == [("chart", "Toiminta", None, None)]
