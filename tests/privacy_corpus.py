"""Real files that each hide one piece of personal data behind one door of their format, and
the one problem the check must answer with (tests/test_privacy_corpus.py).

Every case plants its own secret — an identity code, e-mail address or phone number no other
case uses, or a name or street address for the warnings — in an otherwise valid report: a
Toiminta tab with one row, saved by a staff member whose name is in the document properties
(which must not refuse the file). xlsx files are written with openpyxl and, for the parts it
does not write (text boxes, threaded comments, legacy VML text boxes, orphan shared strings,
customXml, scenarios), edited in the zip by hand; ods files with odfpy; xls files with xlwt,
with BIFF records added by hand for notes, validations and defined names, and the OLE2
container written again by hand for the document-property streams; CSV as text.
"""

import datetime
import io
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import openpyxl
import xlwt
from odf import dc, meta
from odf.draw import Frame, TextBox
from odf.element import Element
from odf.number import Number, NumberStyle, Text
from odf.office import Annotation
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import (
    Footer,
    Header,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    Style,
    TableProperties,
)
from odf.table import (
    ContentValidation,
    ContentValidations,
    ErrorMessage,
    HelpMessage,
    NamedExpression,
    NamedExpressions,
    Shapes,
    Table,
    TableCell,
    TableRow,
)
from odf.text import A, P
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink

from data_sources.file_safety import _cfb_stream
from data_sources.personal_data import HETU_CHECK_CHARS

STAFF = "Maija Virtanen"     # who saved the file: a name in the properties is not refused
HEADER = ["Päivämäärä", "Toimintamuoto", "Lukumäärä"]
ROW = [datetime.datetime(2025, 1, 1), "Muu", 1]


@dataclass(frozen=True)
class Case:
    """A file and the problem its one secret must give: (code, place, sheet, row, column,
    masked value); place is "cell" for a finding in a cell. `secrets` are what no answer
    may show."""

    name: str
    file_name: str
    data: bytes
    expected: tuple
    secrets: tuple[str, ...]


# The secrets the numbered helpers below have made since a case last took them: each case
# plants the ones made while it was built.
_PLANTED: list[str] = []


def _plant(secret: str) -> str:
    _PLANTED.append(secret)
    return secret


def _take_planted() -> tuple[str, ...]:
    taken = tuple(dict.fromkeys(_PLANTED))
    _PLANTED.clear()
    return taken


def hetu(n: int) -> str:
    """A valid identity code of its own for case n."""
    born = datetime.date(1951, 1, 3) + datetime.timedelta(days=401 * n)
    stem, serial = born.strftime("%d%m%y"), f"{100 + n:03d}"
    sign = "-" if born.year < 2000 else "A"
    return _plant(f"{stem}{sign}{serial}{HETU_CHECK_CHARS[int(stem + serial) % 31]}")


def masked_hetu(n: int) -> str:
    return hetu(n)[:7] + "****"


def phone(n: int) -> str:
    return _plant(f"040 {100 + n} {4000 + n}")


MASKED_PHONE = "040 *** ****"


def email(n: int) -> str:
    return _plant(f"liisa.ovi{n}@example.fi")


MASKED_EMAIL = "l***@***"


# ----------------------------------------------------------------------------- writers

def xlsx_book():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Toiminta"
    sheet.append(HEADER)
    sheet.append(ROW)
    book.properties.creator = STAFF
    book.properties.lastModifiedBy = STAFF
    return book, sheet


def saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, add: dict[str, str] | None = None, edit: dict[str, Callable[[str], str]] | None = None) -> bytes:
    """A zip with parts added and parts edited as text."""
    add, edit = add or {}, edit or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            content = source.read(name)
            if name in edit:
                content = edit[name](content.decode("utf-8")).encode("utf-8")
            target.writestr(name, content)
        for name, content in add.items():
            if name in names:
                raise ValueError(name)
            target.writestr(name, edit[name](content) if name in edit else content)
    return out.getvalue()


def with_relationship(rels: str | None, ident: str, kind: str, target: str) -> str:
    entry = f'<Relationship Id="{ident}" Type="{kind}" Target="{target}"/>'
    if rels is None:
        return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{entry}</Relationships>'
    return rels.replace("</Relationships>", entry + "</Relationships>")


def with_sheet_part(data: bytes, part: str, content: str, kind: str, sheet_element: str | None,
                    content_type: str) -> bytes:
    """An xlsx with a part added, related from the first sheet, and an element pointing at it
    put at the end of the sheet."""
    rels_name = "xl/worksheets/_rels/sheet1.xml.rels"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rels = archive.read(rels_name).decode() if rels_name in archive.namelist() else None
    rels = with_relationship(rels, "rIdDoor", kind, "../" + part.removeprefix("xl/"))
    add = {part: content}
    edit = {
        "[Content_Types].xml": lambda text: text.replace(
            "</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'),
    }
    if sheet_element:
        edit["xl/worksheets/sheet1.xml"] = lambda text: text.replace("</worksheet>", sheet_element + "</worksheet>")
    if rels_name in zipfile.ZipFile(io.BytesIO(data)).namelist():
        edit[rels_name] = lambda _: rels
    else:
        add[rels_name] = rels
    return rezip(data, add, edit)


R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def text_box_drawing(text_parts: list[str], alt_text: str = "") -> str:
    runs = "".join(f"<a:r><a:t>{part}</a:t></a:r>" for part in text_parts)
    return (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        "<xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        "<xdr:to><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1" descr="{alt_text}"/>'
        '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/>'
        f"<xdr:txBody><a:bodyPr/><a:p>{runs}</a:p></xdr:txBody></xdr:sp><xdr:clientData/>"
        "</xdr:twoCellAnchor></xdr:wsDr>"
    )


def ods_cell(value) -> TableCell:
    if isinstance(value, datetime.datetime):
        cell = TableCell(valuetype="date", datevalue=value.strftime("%Y-%m-%d"))
        cell.addElement(P(text=f"{value.day}.{value.month}.{value.year}"))
    elif isinstance(value, int):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=str(value)))
    else:
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=value))
    return cell


def ods_row(cells) -> TableRow:
    row = TableRow()
    for cell in cells:
        row.addElement(cell if isinstance(cell, Element) else ods_cell(cell))
    return row


def ods_document(extra_cells=(), table_style=None, before_rows=(), after_rows=()):
    """An ods report: the Toiminta table (with `extra_cells` at the end of its data row) and
    the staff member as the creator."""
    document = OpenDocumentSpreadsheet()
    document.meta.addElement(dc.Creator(text=STAFF))
    document.meta.addElement(meta.InitialCreator(text=STAFF))
    table = Table(name="Toiminta", **({"stylename": table_style} if table_style else {}))
    for element in before_rows:
        table.addElement(element)
    table.addElement(ods_row(HEADER))
    table.addElement(ods_row([*ROW, *extra_cells]))
    for element in after_rows:
        table.addElement(element)
    return document, table


def ods_saved(document, table, after_tables=()) -> bytes:
    document.spreadsheet.addElement(table)
    for element in after_tables:
        document.spreadsheet.addElement(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xls_book():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Toiminta")
    dates = xlwt.easyxf(num_format_str="D.M.YYYY")
    for column, value in enumerate(HEADER):
        sheet.write(0, column, value)
    sheet.write(1, 0, ROW[0], dates)
    sheet.write(1, 1, ROW[1])
    sheet.write(1, 2, ROW[2])
    return book, sheet


def xls_saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_stream(data: bytes) -> bytes:
    return _cfb_stream(data, ("Workbook",))


def biff_record(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def unicode_string(text: str, length_bytes: int = 2) -> bytes:
    """A BIFF8 XLUnicodeString, UTF-16 (flag 1)."""
    length = struct.pack("<B" if length_bytes == 1 else "<H", len(text))
    return length + b"\x01" + text.encode("utf-16-le")


def records(stream: bytes):
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, position, length
        position += 4 + length


def with_sheet_records(data: bytes, extra: bytes) -> bytes:
    """An xls (one sheet) with BIFF records put before its sheet's EOF record."""
    stream = workbook_stream(data)
    last_eof = max(position for kind, position, _ in records(stream) if kind == 0x000A)
    return cfb_file({"Workbook": stream[:last_eof] + extra + stream[last_eof:]})


def with_global_records(data: bytes, extra: bytes) -> bytes:
    """An xls with BIFF records put before the globals' EOF record, the sheets' positions in
    their BOUNDSHEET records moved to match."""
    stream = bytearray(workbook_stream(data))
    eof = next(position for kind, position, _ in records(bytes(stream)) if kind == 0x000A)
    for kind, position, _ in records(bytes(stream[:eof])):
        if kind == 0x0085:
            old = struct.unpack_from("<I", stream, position + 4)[0]
            struct.pack_into("<I", stream, position + 4, old + len(extra))
    return cfb_file({"Workbook": bytes(stream[:eof]) + extra + bytes(stream[eof:])})


def cfb_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file of 512-byte sectors holding `streams`, each padded to at least
    4096 bytes so that none lives in the mini stream."""
    sector = 512
    chains, body = [], b""
    for content in streams.values():
        content += b"\0" * max(0, 4096 - len(content))
        content += b"\0" * (-len(content) % sector)
        start = len(body) // sector
        chains.append((start, len(content) // sector, len(content)))
        body += content
    entries = len(streams) + 1
    directory_sectors = -(-entries * 128 // sector)
    data_sectors = len(body) // sector
    fat_sectors = 1
    while (data_sectors + directory_sectors + fat_sectors) > fat_sectors * 128:
        fat_sectors += 1
    directory_start = data_sectors
    fat_start = data_sectors + directory_sectors
    fat = []
    for start, count, _ in chains:
        fat += [start + index + 1 for index in range(count - 1)] + [0xFFFFFFFE]
    fat += [directory_start + index + 1 for index in range(directory_sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFD] * fat_sectors
    fat += [0xFFFFFFFF] * (fat_sectors * 128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, right: int, child: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 36
                + struct.pack("<IQ", start, size))

    names = list(streams)
    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, 0xFFFFFFFF, 1)
    for index, (name, (start, _, size)) in enumerate(zip(names, chains), start=1):
        right = index + 1 if index < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, start, size, right, 0xFFFFFFFF)
    directory = directory.ljust(directory_sectors * sector, b"\0")
    difat = [fat_start + index for index in range(fat_sectors)] + [0xFFFFFFFF] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, fat_sectors, directory_start, 0, 4096,
                                        0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", *difat))
    return header + body + directory + struct.pack(f"<{len(fat)}I", *fat)


def property_stream(properties: dict[int, str], custom: dict[str, str] | None = None) -> bytes:
    """A property set stream (SummaryInformation or, with `custom`, DocumentSummaryInformation
    and its user-defined section) of code page 1252 strings."""

    def section(values: dict[int, bytes]) -> bytes:
        head, body = b"", b""
        offset = 8 + 8 * len(values)
        for ident, value in values.items():
            head += struct.pack("<II", ident, offset + len(body))
            body += value + b"\0" * (-len(value) % 4)
        return struct.pack("<II", 8 + len(head) + len(body), len(values)) + head + body

    def string(text: str) -> bytes:
        raw = text.encode("cp1252") + b"\0"
        return struct.pack("<HHI", 0x1E, 0, len(raw)) + raw

    code_page = {1: struct.pack("<HHh", 2, 0, 1252) + b"\0\0"}
    sections = [section({**code_page, **{ident: string(text) for ident, text in properties.items()}})]
    if custom is not None:
        dictionary = struct.pack("<I", len(custom))
        values = {}
        for index, (name, text) in enumerate(custom.items(), start=2):
            raw = name.encode("cp1252") + b"\0"
            dictionary += struct.pack("<II", index, len(raw)) + raw
            values[index] = string(text)
        sections.append(section({0: dictionary, **code_page, **values}))
    header = struct.pack("<HHI", 0xFFFE, 0, 0x00020006) + b"\0" * 16 + struct.pack("<I", len(sections))
    offset = len(header) + 20 * len(sections)
    table = b""
    for body in sections:
        table += b"\x11" * 16 + struct.pack("<I", offset)
        offset += len(body)
    return header + table + b"".join(sections)


def csv_text(extra: str = "") -> bytes:
    header = ";".join(HEADER + (["Huom"] if extra else []))
    row = ";".join(["1.1.2025", "Muu", "1"] + ([extra] if extra else []))
    return f"{header}\r\n{row}\r\n".encode()


# ------------------------------------------------------------------------------- cases

def personal(place: str, masked: str, sheet: str | None = None, row: int | None = None,
             column: str | None = None) -> tuple:
    return ("personal_data", place, sheet, row, column, masked)


def xlsx_cases() -> list[Case]:
    cases = []

    def case(name: str, data: bytes, expected: tuple, file_name: str = "toiminta.xlsx", secrets=()):
        cases.append(Case(f"xlsx-{name}", file_name, data, expected, secrets + _take_planted()))

    book, sheet = xlsx_book()
    sheet["D1"], sheet["D2"] = "Huom", f"soita {phone(1)}"
    case("cell", saved(book), personal("cell", MASKED_PHONE, "Toiminta", 2, "Huom"))

    book, sheet = xlsx_book()
    hidden = book.create_sheet("Piilo")
    hidden["B3"] = email(2)
    hidden.sheet_state = "hidden"
    case("hidden-sheet", saved(book), personal("cell", MASKED_EMAIL, "Piilo", 3, "B"))

    book, sheet = xlsx_book()
    hidden = book.create_sheet("Syvällä")
    hidden["C4"] = hetu(3)
    hidden.sheet_state = "veryHidden"
    case("very-hidden-sheet", saved(book), personal("cell", masked_hetu(3), "Syvällä", 4, "C"))

    book, sheet = xlsx_book()
    sheet.append([datetime.datetime(2025, 2, 1), "Muu", 1, phone(4)])
    sheet.row_dimensions[3].hidden = True
    case("hidden-row", saved(book), personal("cell", MASKED_PHONE, "Toiminta", 3, "D"))

    book, sheet = xlsx_book()
    sheet["H2"] = email(5)
    sheet.column_dimensions["H"].hidden = True
    case("hidden-column", saved(book), personal("cell", MASKED_EMAIL, "Toiminta", 2, "H"))

    book, sheet = xlsx_book()
    sheet["B2"].comment = Comment(f"Asiakkaan puhelin {phone(6)}", STAFF)
    case("comment", saved(book), personal("comment", MASKED_PHONE, "Toiminta", 2, "B"))

    book, sheet = xlsx_book()
    sheet["B2"].comment = Comment("Tarkista luku", email(7))
    case("comment-author", saved(book), personal("comment_author", MASKED_EMAIL))

    book, sheet = xlsx_book()
    sheet["B2"].comment = Comment("Soitin Matti Meikäläiselle", STAFF)
    case("comment-name", saved(book), ("possible_name", "comment", "Toiminta", 2, "B", "M*** M***"),
         secrets=("Meikäläiselle",))

    book, sheet = xlsx_book()
    code = hetu(8)
    sheet["D1"] = "Huom"
    sheet["D2"] = CellRichText([f"muistio {code[:7]}", TextBlock(InlineFont(b=True), code[7:])])
    case("rich-text-runs", saved(book), personal("cell", masked_hetu(8), "Toiminta", 2, "Huom"))

    book, sheet = xlsx_book()
    sheet["D2"].value = "linkki"
    sheet["D2"].hyperlink = f"mailto:{email(9)}"
    case("hyperlink-target", saved(book), personal("hyperlink", MASKED_EMAIL, "Toiminta", 2, "D"))

    book, sheet = xlsx_book()
    sheet["D2"].value = "linkki"
    sheet["D2"].hyperlink = Hyperlink(ref="D2", target="https://example.org/", tooltip=f"soita {phone(10)}")
    case("hyperlink-tooltip", saved(book), personal("hyperlink", MASKED_PHONE, "Toiminta", 2, "D"))

    book, sheet = xlsx_book()
    number = phone(11)
    sheet["D2"] = f'="{number[:6]}"&"{number[6:]}"'
    case("formula-without-cache", saved(book), personal("formula", MASKED_PHONE, "Toiminta", 2, "D"))

    book, sheet = xlsx_book()
    sheet["D2"] = f'=HYPERLINK("mailto:{email(12)}","kirjoita")'
    case("hyperlink-formula", saved(book), personal("formula", MASKED_EMAIL, "Toiminta", 2, "D"))

    book, sheet = xlsx_book()
    book.defined_names["Yhteys"] = DefinedName("Yhteys", attr_text=f'"{hetu(13)}"')
    case("defined-name", saved(book), personal("defined_name", masked_hetu(13)))

    book, sheet = xlsx_book()
    book.create_sheet(f"Soitot {phone(14)}")
    case("sheet-title", saved(book), personal("sheet_name", MASKED_PHONE, "Soitot 040 *** ****"))

    book, sheet = xlsx_book()
    sheet.oddHeader.center.text = f"Yhteys {email(15)}"
    case("print-header", saved(book), personal("header_footer", MASKED_EMAIL, "Toiminta"))

    book, sheet = xlsx_book()
    sheet.evenFooter.right.text = f"Asiakas {hetu(16)}"
    case("even-footer", saved(book), personal("header_footer", masked_hetu(16), "Toiminta"))

    book, sheet = xlsx_book()
    sheet.firstHeader.left.text = f"puh. {phone(17)}"
    case("first-page-header", saved(book), personal("header_footer", MASKED_PHONE, "Toiminta"))

    book, sheet = xlsx_book()
    validation = DataValidation(type="whole", prompt=f"Kysy {email(18)}", promptTitle="Ohje", showInputMessage=True)
    sheet.add_data_validation(validation)
    validation.add("C2:C20")
    case("validation-prompt", saved(book), personal("validation", MASKED_EMAIL, "Toiminta", 2, "C"))

    book, sheet = xlsx_book()
    validation = DataValidation(type="list", formula1=f'"Muu,{hetu(19)}"')
    sheet.add_data_validation(validation)
    validation.add("B2:B20")
    case("validation-list", saved(book), personal("validation", masked_hetu(19), "Toiminta", 2, "B"))

    book, sheet = xlsx_book()
    validation = DataValidation(type="whole", error=f"Soita {phone(20)}", errorTitle="Virhe")
    sheet.add_data_validation(validation)
    validation.add("C2")
    case("validation-error", saved(book), personal("validation", MASKED_PHONE, "Toiminta", 2, "C"))

    book, sheet = xlsx_book()
    sheet.conditional_formatting.add("B2:B20", FormulaRule(formula=[f'B2="{hetu(21)}"']))
    case("conditional-format", saved(book), personal("formula", masked_hetu(21), "Toiminta"))

    number = phone(22)
    data = with_sheet_part(
        saved(xlsx_book()[0]), "xl/drawings/drawing9.xml", text_box_drawing(["Soita ", number]),
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
        f'<drawing {R_NS} r:id="rIdDoor"/>', "application/vnd.openxmlformats-officedocument.drawing+xml")
    case("text-box", data, personal("text_box", MASKED_PHONE, "Toiminta", 2, "E"))

    data = with_sheet_part(
        saved(xlsx_book()[0]), "xl/drawings/drawing9.xml", text_box_drawing(["Kuva"], alt_text=email(23)),
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
        f'<drawing {R_NS} r:id="rIdDoor"/>', "application/vnd.openxmlformats-officedocument.drawing+xml")
    case("shape-alt-text", data, personal("text_box", MASKED_EMAIL, "Toiminta", 2, "E"))

    vml = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
           f'<v:shape id="t1" type="#_x0000_t202"><v:textbox><div><font>Hetu {hetu(24)}</font><br></div>'
           "</v:textbox></v:shape></xml>")   # <br> unclosed, as VML often has it: not XML
    data = with_sheet_part(
        saved(xlsx_book()[0]), "xl/drawings/vmlDrawing9.vml", vml,
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing",
        f'<legacyDrawing {R_NS} r:id="rIdDoor"/>', "application/vnd.openxmlformats-officedocument.vmlDrawing")
    case("legacy-text-box", data, personal("text_box", masked_hetu(24), "Toiminta"))

    book, sheet = xlsx_book()
    chart = BarChart()
    chart.title = f"Soita {phone(25)}"
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=2), titles_from_data=True)
    sheet.add_chart(chart, "F2")
    case("chart-title", saved(book), personal("chart", MASKED_PHONE, "Toiminta"))

    threaded = ('<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                '<threadedComment ref="C2" dT="2025-01-02T10:00:00.00" '
                'personId="{00000000-0000-0000-0000-000000000001}" '
                f'id="{{00000000-0000-0000-0000-000000000002}}"><text>Asiakas {hetu(26)}</text></threadedComment>'
                "</ThreadedComments>")
    data = with_sheet_part(
        saved(xlsx_book()[0]), "xl/threadedComments/threadedComment1.xml", threaded,
        "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment", None,
        "application/vnd.ms-excel.threadedcomments+xml")
    case("threaded-comment", data, personal("comment", masked_hetu(26), "Toiminta", 2, "C"))

    persons = ('<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
               f'<person displayName="{STAFF}" id="{{00000000-0000-0000-0000-000000000001}}" '
               f'userId="{email(27)}" providerId="None"/></personList>')
    data = rezip(saved(xlsx_book()[0]), add={"xl/persons/person.xml": persons})
    case("threaded-comment-person", data, personal("comment_author", MASKED_EMAIL))

    strings = f'<sst {MAIN_NS} count="1" uniqueCount="1"><si><t>Vanha {phone(28)}</t></si></sst>'
    data = rezip(saved(xlsx_book()[0]), add={"xl/sharedStrings.xml": strings}, edit={
        "xl/_rels/workbook.xml.rels": lambda text: with_relationship(
            text, "rIdStrings", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings",
            "sharedStrings.xml"),
        "[Content_Types].xml": lambda text: text.replace("</Types>", (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')),
    })
    case("orphan-shared-string", data, personal("shared_string", MASKED_PHONE))

    scenario = (f'<scenarios><scenario name="Arvio" locked="0" count="1" user="{STAFF}" '
                f'comment="Laskija {email(29)}"><inputCells r="C2" val="2"/></scenario></scenarios>')
    data = rezip(saved(xlsx_book()[0]), edit={
        "xl/worksheets/sheet1.xml": lambda text: text.replace("</sheetData>", "</sheetData>" + scenario)})
    case("scenario-comment", data, personal("other", MASKED_EMAIL, "Toiminta"))

    data = rezip(saved(xlsx_book()[0]), edit={"xl/_rels/workbook.xml.rels": lambda text: text.replace(
        "</Relationships>", '<Relationship Id="rIdOld" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/hyperlink" Target="mailto:{email(41)}" TargetMode="External"/></Relationships>')})
    case("unused-link-target", data, personal("link_target", MASKED_EMAIL))

    book, sheet = xlsx_book()
    book.properties.title = f"Raportti {email(30)}"
    case("property-title", saved(book), personal("properties", MASKED_EMAIL))

    book, sheet = xlsx_book()
    book.properties.creator = f"{STAFF} {phone(31)}"
    case("property-creator", saved(book), personal("properties", MASKED_PHONE))

    book, sheet = xlsx_book()
    book.properties.keywords = f"asiakas {hetu(32)}"
    case("property-keywords", saved(book), personal("properties", masked_hetu(32)))

    book, sheet = xlsx_book()
    book.custom_doc_props.append(StringProperty(name="Yhteyshenkilö", value=email(33)))
    case("custom-property", saved(book), personal("properties", MASKED_EMAIL))

    data = rezip(saved(xlsx_book()[0]), edit={
        "docProps/app.xml": lambda text: text.replace("</Properties>", f"<Manager>{phone(34)}</Manager></Properties>")})
    case("app-property-manager", data, personal("properties", MASKED_PHONE))

    book, sheet = xlsx_book()
    sheet["C2"].number_format = f'0" soita {phone(35)}"'
    case("number-format", saved(book), personal("number_format", MASKED_PHONE))

    data = rezip(saved(xlsx_book()[0]), add={"customXml/item1.xml": f"<omistaja>{email(36)}</omistaja>"})
    case("custom-xml", data, personal("other", MASKED_EMAIL))

    book, sheet = xlsx_book()
    sheet["D1"], sheet["D2"] = "Huom", "kysy ovi37(at)example.fi"
    case("obfuscated-email", saved(book), personal("cell", "o***@***", "Toiminta", 2, "Huom"),
         secrets=("ovi37",))

    book, sheet = xlsx_book()
    sheet["D1"], sheet["D2"] = "Huom", "Tapaaminen Aurakatu 5 B 12"
    case("address-in-cell", saved(book), ("possible_address", "cell", "Toiminta", 2, "Huom", "A*** * * **"),
         secrets=("Aurakatu",))

    book, sheet = xlsx_book()
    sheet["D1"], sheet["D2"] = "Huom", "Mukana Liisa Korhonen"
    case("name-in-cell", saved(book), ("possible_name", "cell", "Toiminta", 2, "Huom", "L*** K***"),
         secrets=("Korhonen",))

    book, sheet = xlsx_book()
    sheet["D1"] = "Asiakasnumero"
    case("personal-header", saved(book), personal("cell", "Asiakasnumero", "Toiminta", 1, "D"))

    case("file-name", saved(xlsx_book()[0]), personal("file_name", masked_hetu(38)),
         file_name=f"toiminta {hetu(38)}.xlsx")
    case("file-name-glued", saved(xlsx_book()[0]), personal("file_name", masked_hetu(39)),
         file_name=f"asiakas_{hetu(39)}.xlsx")
    case("file-name-phone", saved(xlsx_book()[0]), personal("file_name", "040_***_****"),
         file_name=f"soitot_{phone(40).replace(' ', '_')}.xlsx")
    return cases


def ods_cases() -> list[Case]:
    cases = []

    def case(name: str, data: bytes, expected: tuple, file_name: str = "toiminta.ods", secrets=()):
        cases.append(Case(f"ods-{name}", file_name, data, expected, secrets + _take_planted()))

    document, table = ods_document([email(42)])
    case("cell", ods_saved(document, table), personal("cell", MASKED_EMAIL, "Toiminta", 2, "D"))

    hidden_row = TableRow(visibility="collapse")
    for value in (datetime.datetime(2025, 2, 1), "Muu", 1, hetu(43)):
        hidden_row.addElement(ods_cell(value))
    document, table = ods_document(after_rows=[hidden_row])
    case("hidden-row", ods_saved(document, table), personal("cell", masked_hetu(43), "Toiminta", 3, "D"))

    document, table = ods_document()
    hidden = Style(name="piilo", family="table")
    hidden.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden)
    other = Table(name="Piilo", stylename=hidden)
    other.addElement(ods_row(["muistiinpano", phone(44)]))
    case("hidden-sheet", ods_saved(document, table, [other]), personal("cell", MASKED_PHONE, "Piilo", 1, "B"))

    cell = ods_cell("Muu")
    note = Annotation()
    note.addElement(dc.Creator(text=STAFF))
    note.addElement(P(text=f"asiakas soitti {phone(45)}"))
    cell.insertBefore(note, cell.childNodes[0])
    document, table = ods_document([cell])
    case("annotation", ods_saved(document, table), personal("comment", MASKED_PHONE, "Toiminta", 2, "D"))

    cell = ods_cell("Muu")
    note = Annotation()
    note.addElement(dc.Creator(text=email(46)))
    note.addElement(P(text="tarkista"))
    cell.insertBefore(note, cell.childNodes[0])
    document, table = ods_document([cell])
    case("annotation-author", ods_saved(document, table), personal("comment_author", MASKED_EMAIL))

    cell = TableCell(valuetype="string")
    paragraph = P()
    paragraph.addElement(A(href=f"mailto:{email(47)}", text="kirjoita"))
    cell.addElement(paragraph)
    document, table = ods_document([cell])
    case("link", ods_saved(document, table), personal("hyperlink", MASKED_EMAIL, "Toiminta", 2, "D"))

    number = phone(48)
    cell = TableCell(valuetype="string", stringvalue="x", formula=f'of:="{number[:6]}"&"{number[6:]}"')
    cell.addElement(P(text="x"))
    document, table = ods_document([cell])
    case("formula", ods_saved(document, table), personal("formula", MASKED_PHONE, "Toiminta", 2, "D"))

    cell = TableCell(valuetype="string", stringvalue="muistio")
    cell.addElement(P(text=f"muistio {hetu(49)}"))
    document, table = ods_document([cell])
    case("shown-text-unlike-value", ods_saved(document, table),
         personal("cell_text", masked_hetu(49), "Toiminta", 2, "D"))

    cell = TableCell(valuetype="float", value=3)
    cell.addElement(P(text=f"3 (soita {phone(50)})"))
    document, table = ods_document([cell])
    case("number-shown-with-text", ods_saved(document, table),
         personal("cell_text", MASKED_PHONE, "Toiminta", 2, "D"))

    document, table = ods_document()
    names = NamedExpressions()
    names.addElement(NamedExpression(name="Yhteys", expression=f'"{email(51)}"'))
    case("named-expression", ods_saved(document, table, [names]), personal("defined_name", MASKED_EMAIL))

    validations = ContentValidations()
    validation = ContentValidation(name="val1", condition='of:cell-content-is-whole-number()')
    help_message = HelpMessage(title="Ohje", display="true")
    help_message.addElement(P(text=f"Kysy {phone(52)}"))
    validation.addElement(help_message)
    error = ErrorMessage(title="Virhe", display="true", messagetype="stop")
    error.addElement(P(text="Kokonaisluku"))
    validation.addElement(error)
    validations.addElement(validation)
    cell = TableCell(valuetype="float", value=1, contentvalidationname="val1")
    cell.addElement(P(text="1"))
    document, table = ods_document([cell])
    document.spreadsheet.addElement(validations)
    case("validation-help", ods_saved(document, table), personal("validation", MASKED_PHONE, "Toiminta", 2, "D"))

    document, table = ods_document(table_style="ta1")
    page = PageLayout(name="pm1")
    page.addElement(PageLayoutProperties(margin="1cm"))
    document.automaticstyles.addElement(page)
    master = MasterPage(name="Raportti", pagelayoutname=page)
    header = Header()
    header.addElement(P(text=f"Laatija {email(53)}"))
    master.addElement(header)
    master.addElement(Footer())
    document.masterstyles.addElement(master)
    style = Style(name="ta1", family="table", masterpagename="Raportti")
    style.addElement(TableProperties(display="true"))
    document.automaticstyles.addElement(style)
    case("page-header", ods_saved(document, table), personal("header_footer", MASKED_EMAIL, "Toiminta"))

    shapes = Shapes()
    frame = Frame(width="4cm", height="2cm", x="1cm", y="1cm")
    box = TextBox()
    box.addElement(P(text=f"Muista {hetu(54)}"))
    frame.addElement(box)
    shapes.addElement(frame)
    document, table = ods_document(before_rows=[shapes])
    case("text-frame", ods_saved(document, table), personal("text_box", masked_hetu(54), "Toiminta"))

    document, table = ods_document()
    document.meta.addElement(dc.Title(text=f"Raportti {phone(55)}"))
    case("meta-title", ods_saved(document, table), personal("properties", MASKED_PHONE))

    document, table = ods_document()
    document.meta.addElement(meta.UserDefined(name="Yhteys", valuetype="string", text=email(56)))
    case("meta-user-defined", ods_saved(document, table), personal("properties", MASKED_EMAIL))

    document, table = ods_document()
    number_style = NumberStyle(name="N99")
    number_style.addElement(Number(decimalplaces=0))
    number_style.addElement(Text(text=f" soita {phone(57)}"))
    document.styles.addElement(number_style)
    case("number-format", ods_saved(document, table), personal("number_format", MASKED_PHONE))

    data = rezip(ods_saved(*ods_document()), add={"settings.xml": (
        '<office:document-settings xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"><office:settings>'
        '<config:config-item-set config:name="ooo:view-settings"><config:config-item config:name="Tulostaja" '
        f'config:type="string">{email(58)}</config:config-item></config:config-item-set>'
        "</office:settings></office:document-settings>")})
    case("settings", data, personal("other", MASKED_EMAIL))

    case("file-name", ods_saved(*ods_document()), personal("file_name", MASKED_EMAIL),
         file_name=f"{email(59)}.ods")
    return cases


def xls_cases() -> list[Case]:
    cases = []

    def case(name: str, data: bytes, expected: tuple, file_name: str = "toiminta.xls", secrets=()):
        cases.append(Case(f"xls-{name}", file_name, data, expected, secrets + _take_planted()))

    book, sheet = xls_book()
    sheet.write(0, 3, "Huom")
    sheet.write(1, 3, f"soita {phone(61)}")
    case("cell", xls_saved(book), personal("cell", MASKED_PHONE, "Toiminta", 2, "Huom"))

    book, sheet = xls_book()
    hidden = book.add_sheet("Piilo")
    hidden.write(2, 1, email(62))
    hidden.visibility = 1
    case("hidden-sheet", xls_saved(book), personal("cell", MASKED_EMAIL, "Piilo", 3, "B"))

    book, sheet = xls_book()
    dates = xlwt.easyxf(num_format_str="D.M.YYYY")
    for column, value in enumerate((datetime.datetime(2025, 2, 1), "Muu", 1, hetu(63))):
        sheet.write(2, column, value, dates if column == 0 else xlwt.Style.default_style)
    sheet.row(2).hidden = True
    case("hidden-row", xls_saved(book), personal("cell", masked_hetu(63), "Toiminta", 3, "D"))

    book, sheet = xls_book()
    sheet.write(1, 6, phone(64))
    sheet.col(6).hidden = True
    case("hidden-column", xls_saved(book), personal("cell", MASKED_PHONE, "Toiminta", 2, "G"))

    book, sheet = xls_book()
    sheet.header_str = f"&CYhteys {email(65)}".encode()
    case("print-header", xls_saved(book), personal("header_footer", MASKED_EMAIL, "Toiminta"))

    book, sheet = xls_book()
    sheet.footer_str = f"&LAsiakas {hetu(66)}".encode()
    case("print-footer", xls_saved(book), personal("header_footer", masked_hetu(66), "Toiminta"))

    book, sheet = xls_book()
    number = phone(67)
    sheet.write(1, 3, xlwt.Formula(f'"{number[:6]}"&"{number[6:]}"'))
    case("formula", xls_saved(book), personal("formula", MASKED_PHONE, "Toiminta", 2, "D"))

    book, sheet = xls_book()
    sheet.write(1, 3, xlwt.Formula(f'HYPERLINK("mailto:{email(68)}";"kirjoita")'))
    case("hyperlink-formula", xls_saved(book), personal("formula", MASKED_EMAIL, "Toiminta", 2, "D"))

    note_text = f"Asiakas soitti {phone(69)}"
    note = (biff_record(0x005D, struct.pack("<HHHHH", 0x15, 0x12, 0x19, 1, 0x4011) + b"\0" * 12
                        + struct.pack("<HH", 0, 0))
            + biff_record(0x01B6, struct.pack("<HH", 0x0212, 0) + b"\0" * 6
                          + struct.pack("<HH", len(note_text), 16) + b"\0" * 4)
            + biff_record(0x003C, b"\x00" + note_text.encode("latin-1"))
            + biff_record(0x003C, b"\0" * 16)
            + biff_record(0x001C, struct.pack("<HHHH", 1, 1, 0, 1) + unicode_string(STAFF) + b"\0"))
    case("note", with_sheet_records(xls_saved(xls_book()[0]), note),
         personal("comment", MASKED_PHONE, "Toiminta", 2, "B"))

    prompt = f"Kysy {email(70)}"
    strings = b"".join(unicode_string(text) for text in ("Ohje", "\0", prompt, "\0"))
    validation = biff_record(0x01BE, struct.pack("<I", 0x00040101) + strings
                             + struct.pack("<HH", 0, 0) + struct.pack("<HH", 0, 0)
                             + struct.pack("<HHHHH", 1, 1, 19, 2, 2))
    case("validation-prompt", with_sheet_records(xls_saved(xls_book()[0]), validation),
         personal("validation", MASKED_EMAIL, "Toiminta", 2, "C"))

    literal = hetu(71)
    tokens = b"\x17" + bytes([len(literal), 0]) + literal.encode("latin-1")
    name = "Yhteys"
    defined = biff_record(0x0018, struct.pack("<HBBHHHBBBB", 0, 0, len(name), len(tokens), 0, 0, 0, 0, 0, 0)
                          + b"\x00" + name.encode("latin-1") + tokens)
    case("defined-name", with_global_records(xls_saved(xls_book()[0]), defined),
         personal("defined_name", masked_hetu(71)))

    book, sheet = xls_book()
    sheet.write(1, 3, 5, xlwt.easyxf(num_format_str=f'0" soita {phone(72)}"'))
    case("number-format", xls_saved(book), personal("xls_stream", MASKED_PHONE))

    workbook = workbook_stream(xls_saved(xls_book()[0]))
    data = cfb_file({"Workbook": workbook,
                     "\x05SummaryInformation": property_stream({2: f"Raportti {email(73)}", 4: STAFF})})
    case("summary-title", data, personal("properties", MASKED_EMAIL))

    data = cfb_file({"Workbook": workbook,
                     "\x05SummaryInformation": property_stream({4: STAFF, 8: f"{STAFF} {phone(74)}"})})
    case("summary-last-saved-by", data, personal("properties", MASKED_PHONE))

    data = cfb_file({"Workbook": workbook,
                     "\x05DocumentSummaryInformation": property_stream({15: "Aurinko ry"},
                                                                       custom={"Yhteys": hetu(75)})})
    case("custom-property", data, personal("properties", masked_hetu(75)))

    case("file-name", xls_saved(xls_book()[0]), personal("file_name", MASKED_PHONE),
         file_name=f"raportti {phone(76)}.xls")
    return cases


def csv_cases() -> list[Case]:
    cases = []

    def case(name: str, file_name: str, data: bytes, expected: tuple, secrets=()):
        cases.append(Case(f"csv-{name}", file_name, data, expected, secrets + _take_planted()))

    case("cell", "toiminta.csv", csv_text(f"kysy {email(81)}"), personal("cell", MASKED_EMAIL, "toiminta", 2, "Huom"))
    code = hetu(82)
    case("hetu-spaced", "toiminta.csv", csv_text(code[:6] + " - " + code[7:]),
         personal("cell", code[:6] + " - ****", "toiminta", 2, "Huom"), secrets=(code[7:],))
    case("file-name", f"toiminta_{hetu(83)}.csv", csv_text(), personal("file_name", masked_hetu(83)))
    return cases


def corpus() -> list[Case]:
    """Every case; each secret is used once."""
    _take_planted()
    cases = xlsx_cases() + ods_cases() + xls_cases() + csv_cases()
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), names
    secrets = [secret for case in cases for secret in case.secrets]
    assert len(secrets) == len(set(secrets)), secrets
    assert [case.name for case in cases if not case.secrets] == ["xlsx-personal-header"]   # a header is no secret
    return cases


# Files that carry texts in every door but no personal data: they must pass untouched.
def clean_xlsx() -> bytes:
    """A report with a comment, a link, a header, a validation, a defined name, a text box
    and properties, all holding numbers that are not personal data."""
    book, sheet = xlsx_book()
    sheet["D1"] = "Huom"
    sheet["D2"] = "Tilaus 040-2026-17, asia 0412/2026, Y-tunnus 0112038-9"
    sheet["B2"].comment = Comment("Laskutus FI21 1234 5600 0007 85, 20100 Turku, 1 234,50 €", STAFF)
    sheet["E2"].value = "linkki"
    sheet["E2"].hyperlink = "https://www.example.fi/tapahtumat/2025"
    sheet.oddHeader.center.text = "Aurinko ry – toiminta 1.1.–31.3.2025, klo 09.30–11.00"
    validation = DataValidation(type="whole", prompt="Kirjoita luku 0–999", showInputMessage=True)
    sheet.add_data_validation(validation)
    validation.add("C2:C20")
    book.defined_names["Kausi"] = DefinedName("Kausi", attr_text='"Q1/2025"')
    book.properties.title = "Toimintaraportti 2025"
    book.properties.company = "Aurinko ry"
    return with_sheet_part(
        saved(book), "xl/drawings/drawing9.xml", text_box_drawing(["Kunnat: Turku, Salo, Kaarina"]),
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing",
        f'<drawing {R_NS} r:id="rIdDoor"/>', "application/vnd.openxmlformats-officedocument.drawing+xml")


def clean_ods() -> bytes:
    cell = ods_cell("Muu")
    note = Annotation()
    note.addElement(dc.Creator(text=STAFF))
    note.addElement(P(text="Tapahtuman nimi: Syysseminaari, Y-tunnus 0112038-9"))
    cell.insertBefore(note, cell.childNodes[0])
    document, table = ods_document([cell])
    document.meta.addElement(dc.Title(text="Toimintaraportti 2025"))
    return ods_saved(document, table)


def clean_xls() -> bytes:
    book, sheet = xls_book()
    sheet.header_str = b"&CAurinko ry 1.1.-31.3.2025 klo 09.30-11.00"
    sheet.write(1, 3, "Tilaus 040-2026-17")
    data = xls_saved(book)
    return cfb_file({"Workbook": workbook_stream(data),
                     "\x05SummaryInformation": property_stream({2: "Toimintaraportti", 4: STAFF, 8: STAFF})})

