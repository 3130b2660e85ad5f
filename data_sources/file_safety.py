"""What an uploaded file really is, and whether it is safe to hand to a parser.

The type comes from the bytes, never from the name: a `.csv` that is really an xlsx is read
as an xlsx, a `.xlsx` that is really a PDF is refused. Zip-based files (xlsx, ods) are
checked for archive bombs from the central directory alone before anything is decompressed,
and then for sheets whose used area would make the spreadsheet parser allocate gigabytes
(a 5 KB xlsx with one cell in A1 and one in XFD1048576 makes calamine abort the whole
process, which no `try` can catch).
"""

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from data_sources.problems import Problem

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# The expansion-ratio rule only applies to entries at least this large once expanded. Deflate
# cannot expand more than ~1030-fold, so a smaller entry can never exceed 1 MiB, while real
# templates hold small, highly repetitive parts (styles, sharedStrings, a sheet of empty
# formatted cells) that legitimately compress 100-300-fold. Many small entries are caught by
# the total-size and entry-count rules instead.
RATIO_FLOOR_BYTES = 1024 * 1024

# Largest used area (rows × columns, from the first to the last non-empty cell) of one sheet.
# calamine holds a sheet as a dense grid of 32-byte cells, so this caps one sheet at ~160 MB;
# a year of one-row-per-event data (10,000 rows × 15 columns) is 150,000 cells.
MAX_SHEET_CELLS = 5_000_000

_CHUNK = 64 * 1024

# Names of CFB (OLE2) directory entries, UTF-16LE and null-terminated as stored.
_ENCRYPTED_STREAM = "EncryptedPackage\0".encode("utf-16-le")
_XLS_STREAMS = ("Workbook\0".encode("utf-16-le"), "Book\0".encode("utf-16-le"))
_OTHER_OFFICE_STREAMS = ("WordDocument\0".encode("utf-16-le"),
                         "PowerPoint Document\0".encode("utf-16-le"))

# Magic numbers of formats people attach by mistake that could otherwise pass as text.
_OTHER_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"{\\rtf", b"\x1f\x8b",
                b"Rar!", b"7z\xbc\xaf", b"BM")
_MARKUP_START = re.compile(r"\A\s*<(\?xml|!doctype|html|table)", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_file(file_name: str, data: bytes, settings) -> tuple[str | None, list[Problem]]:
    """The real type of an uploaded file ("xlsx", "xls", "ods", "csv") and its file-level errors."""
    if len(data) > settings.upload_limit_bytes:
        return None, [Problem("file_too_large", value=file_name,
                              params={"limit_mb": _as_megabytes(settings.upload_limit_bytes)})]
    if not data:
        return None, [_unreadable(file_name)]
    if data.startswith(CFB_SIGNATURE):
        return _check_cfb(file_name, data)
    if data.startswith(ZIP_SIGNATURES):
        return _check_zip(file_name, data, settings)
    if data.startswith(_OTHER_MAGIC):
        return None, [_unsupported(file_name)]
    if decode_text(data) is None:
        return None, [_unsupported(file_name)]
    return "csv", []


def decode_text(data: bytes) -> str | None:
    """The text of a CSV file: UTF-8 (BOM stripped) or Windows-1252; None when it is not text."""
    if b"\0" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if _MARKUP_START.match(text):
        return None  # HTML or XML saved with a spreadsheet name: not a CSV
    # Binary data decodes as cp1252 too, but is full of control characters; text has none,
    # except perhaps a stray one (old Excel writes \x0b for a line break inside a cell).
    controls = len(_CONTROL_CHARS.findall(text.rstrip("\x1a")))
    if controls > max(2, len(text) // 100):
        return None
    return text


def _check_cfb(file_name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    # A password-protected xlsx (or xls saved with "encrypt") is an OLE2 container holding an
    # EncryptedPackage stream; a real xls holds a Workbook (BIFF8) or Book (BIFF5) stream.
    if _ENCRYPTED_STREAM in data:
        return None, [_unreadable(file_name, reason="password")]
    if any(name in data for name in _XLS_STREAMS):
        return "xls", []
    if any(name in data for name in _OTHER_OFFICE_STREAMS):
        return None, [_unsupported(file_name)]
    return None, [_unreadable(file_name)]  # an OLE2 file whose directory is damaged


def _check_zip(file_name: str, data: bytes, settings) -> tuple[str | None, list[Problem]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return None, [_unreadable(file_name)]
    with archive:
        bomb = _check_archive_bomb(file_name, entries, settings)
        if bomb:
            return None, bomb
        names = {entry.filename for entry in entries}
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            file_type = "xlsx"
        elif _is_ods(archive, names):
            file_type = "ods"
        else:
            return None, [_unsupported(file_name)]
        try:
            if file_type == "ods" and _is_encrypted_ods(archive, names):
                return None, [_unreadable(file_name, reason="password")]
            too_big = _check_sheet_areas(file_name, archive, entries, file_type)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError, zlib.error):
            # a corrupt or truncated entry, a CRC that does not match, an unknown compression
            return None, [_unreadable(file_name)]
    if too_big:
        return None, too_big
    return file_type, []


def _check_archive_bomb(file_name: str, entries: list[zipfile.ZipInfo], settings) -> list[Problem]:
    """The archive_bomb error of a zip, judged from its central directory only."""
    if len(entries) > settings.zip_max_entries:
        return [Problem("archive_bomb", value=file_name,
                        params={"reason": "entries", "limit": settings.zip_max_entries})]
    total = sum(entry.file_size for entry in entries)
    if total > settings.zip_max_total_bytes:
        return [Problem("archive_bomb", value=file_name,
                        params={"reason": "total", "limit": _as_megabytes(settings.zip_max_total_bytes)})]
    for entry in entries:
        if entry.file_size < RATIO_FLOOR_BYTES:
            continue
        if entry.compress_size == 0 or entry.file_size / entry.compress_size > settings.zip_max_ratio:
            return [Problem("archive_bomb", value=file_name,
                            params={"reason": "ratio", "limit": settings.zip_max_ratio})]
    return []


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names or "content.xml" not in names:
        return False
    entry = archive.getinfo("mimetype")
    if entry.file_size > 200:
        return False
    try:
        return archive.read(entry).strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, zlib.error):
        return False


def _is_encrypted_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    manifest = "META-INF/manifest.xml"
    if manifest not in names or archive.getinfo(manifest).file_size > 1024 * 1024:
        return False
    return b"encryption-data" in archive.read(manifest)


def _check_sheet_areas(file_name: str, archive: zipfile.ZipFile,
                       entries: list[zipfile.ZipInfo], file_type: str) -> list[Problem]:
    """Read every entry once (bounded by the total-size rule, and checking each CRC), and
    refuse a sheet whose used area is larger than MAX_SHEET_CELLS."""
    sheet_parts = _xlsx_sheet_parts(archive) if file_type == "xlsx" else {"content.xml"}
    for entry in entries:
        if entry.is_dir():
            continue
        with archive.open(entry) as stream:
            chunks = iter(lambda: stream.read(_CHUNK), b"")
            if entry.filename not in sheet_parts:
                for _ in chunks:
                    pass  # read to the end so that zipfile checks the size and CRC
                continue
            scan = _xlsx_areas if file_type == "xlsx" else _ods_areas
            for area in scan(chunks):
                if area > MAX_SHEET_CELLS:
                    return [Problem("archive_bomb", value=file_name,
                                    params={"reason": "cells", "limit": MAX_SHEET_CELLS})]
    return []


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> set[str]:
    """The worksheet parts of an xlsx: those its workbook relationships name, and xl/worksheets/."""
    parts = {name for name in archive.namelist()
             if name.startswith("xl/worksheets/") and name.endswith(".xml")}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist() and archive.getinfo(rels).file_size < 10 * 1024 * 1024:
        text = archive.read(rels).decode("utf-8", "replace")
        for tag in re.findall(r"<Relationship\b[^>]*>", text):
            if not re.search(r'Type="[^"]*/worksheet"', tag):
                continue
            target = re.search(r'Target="([^"]+)"', tag)
            if target:
                path = target.group(1)
                parts.add(path.lstrip("/") if path.startswith("/") else f"xl/{path}")
    return parts


def _tags(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The start and end tags of a streamed XML document, without holding it in memory."""
    tag = re.compile(rb"<[^<>]*>")
    pending = b""
    for chunk in chunks:
        pending += chunk
        cut = pending.rfind(b"<")
        if cut == -1:
            pending = b""
            continue
        if pending.find(b">", cut) != -1:
            cut = len(pending)
        yield from tag.findall(pending, 0, cut)
        pending = pending[cut:]
    yield from tag.findall(pending)


_XLSX_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_XLSX_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_XLSX_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[\s/>]")
_XLSX_END_SHEET = re.compile(rb"</(?:\w+:)?sheetData>")
_REF = re.compile(rb'\sr="([A-Za-z]*)(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


class _Extent:
    """The bounding box of the non-empty cells of one sheet."""

    def __init__(self):
        self.rows = [None, None]
        self.cols = [None, None]

    def add(self, row: int, first_col: int, last_col: int, last_row: int | None = None) -> None:
        last_row = row if last_row is None else last_row
        self.rows = [row if self.rows[0] is None else min(self.rows[0], row),
                     last_row if self.rows[1] is None else max(self.rows[1], last_row)]
        self.cols = [first_col if self.cols[0] is None else min(self.cols[0], first_col),
                     last_col if self.cols[1] is None else max(self.cols[1], last_col)]

    @property
    def area(self) -> int:
        if self.rows[0] is None:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (self.cols[1] - self.cols[0] + 1)


def _xlsx_areas(chunks: Iterator[bytes]) -> Iterator[int]:
    """The used area of an xlsx worksheet part, counting only cells that hold a value (as
    calamine does: a formatted empty cell at XFD1048576 does not widen its grid)."""
    extent, row, col, open_cell = _Extent(), 0, 0, None
    for tag in _tags(chunks):
        if _XLSX_ROW.match(tag):
            ref = re.search(rb'\sr="(\d+)"', tag)
            row, col = (int(ref.group(1)) if ref else row + 1), 0
        elif _XLSX_CELL.match(tag):
            ref = _REF.search(tag)
            if ref:
                col = _column_number(ref.group(1)) if ref.group(1) else col + 1
                row = int(ref.group(2))
            else:
                col += 1  # cells without a reference follow each other
            open_cell = None if tag.endswith(b"/>") else (row, col)
        elif open_cell and _XLSX_VALUE.match(tag):
            extent.add(open_cell[0], open_cell[1], open_cell[1])
            open_cell = None
        elif _XLSX_END_SHEET.match(tag):
            break
    yield extent.area


_ODS_TABLE = re.compile(rb"<(?:\w+:)?table[\s>]")
_ODS_TABLE_END = re.compile(rb"</(?:\w+:)?table>")
_ODS_ROW = re.compile(rb"<(?:\w+:)?table-row[\s/>]")
_ODS_CELL = re.compile(rb"<(?:\w+:)?(?:covered-)?table-cell[\s/>]")
_ODS_CELL_END = re.compile(rb"</(?:\w+:)?(?:covered-)?table-cell>")
_ODS_TEXT = re.compile(rb"<(?:\w+:)?(?:p|span|s|a)[\s/>]")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def _ods_areas(chunks: Iterator[bytes]) -> Iterator[int]:
    """The used area of each table of an ods content.xml, repeated rows and columns expanded
    (a single row "repeated 1,000,000 times" holding one value is a million-row sheet)."""
    extent, row, col, repeat_rows, cell = None, 0, 0, 1, None
    for tag in _tags(chunks):
        if _ODS_TABLE.match(tag):
            extent, row = _Extent(), 0
        elif extent is None:
            continue
        elif _ODS_TABLE_END.match(tag):
            yield extent.area
            extent = None
        elif _ODS_ROW.match(tag):
            repeated = _ROWS_REPEATED.search(tag)
            repeat_rows = int(repeated.group(1)) if repeated else 1
            row, col = row + 1, 0
            if tag.endswith(b"/>"):
                row += repeat_rows - 1
        elif tag.startswith(b"</") and tag.endswith(b"table-row>"):
            row += repeat_rows - 1
        elif _ODS_CELL.match(tag):
            repeated = _COLS_REPEATED.search(tag)
            span = int(repeated.group(1)) if repeated else 1
            first, col = col + 1, col + span
            cell = (first, col)
            if b"value-type=" in tag:
                extent.add(row, first, col, row + repeat_rows - 1)
                cell = None
            elif tag.endswith(b"/>"):
                cell = None
        elif cell and _ODS_TEXT.match(tag):
            extent.add(row, cell[0], cell[1], row + repeat_rows - 1)
            cell = None
        elif _ODS_CELL_END.match(tag):
            cell = None
    if extent is not None:
        yield extent.area


def _as_megabytes(size: int) -> int | float:
    megabytes = round(size / 1024 / 1024, 1)
    return int(megabytes) if megabytes == int(megabytes) else megabytes


def _unreadable(file_name: str, reason: str = "damaged") -> Problem:
    return Problem("unreadable_file", value=file_name, params={"reason": reason})


def _unsupported(file_name: str) -> Problem:
    return Problem("unsupported_type", value=file_name)
