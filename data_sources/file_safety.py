"""What an uploaded file really is, and whether it is safe to hand to a parser.

The type comes from the bytes, never from the name: a `.csv` that is really an xlsx is read
as an xlsx, a `.xlsx` that is really a PDF is refused. Zip-based files (xlsx, ods) are
checked for archive bombs from the central directory alone before anything is decompressed.

Every file's cost is bounded before a parser allocates it. A tab becomes a grid from A1 to
its last filled row and column, and every later step (the parser's own grid, the RawSheet,
validation, the personal-data guard) walks all of it, empty rows and columns included; so
the grid of each tab is counted against the settings `max_columns`, `max_rows` (all tabs
together), `max_sheet_cells` and `max_cells` (all tabs together) and the first limit passed
refuses the file with `file_too_large` and the limit's reason. xlsx and ods sheets are
counted by streaming their XML, xls sheets by walking their BIFF records, CSV records while
they are read (readers.read_csv). Without this a 5 KB xlsx with one value in XFD1048576, or
a 6 KB xls whose DIMENSIONS record claims four billion rows, makes calamine allocate
gigabytes or abort the whole process, which no `try` can catch; so do an xls whose sector
chains loop and an xlsx whose sharedStrings claim a billion entries.
"""

import array
import functools
import html
import io
import itertools
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

from data_sources.problems import Problem
from i18n import LANGUAGES
from i18n.formats import fmt_number

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# The expansion-ratio rule only applies to entries at least this large once expanded. Deflate
# cannot expand more than ~1030-fold, so a smaller entry can never exceed 1 MiB, while real
# templates hold small, highly repetitive parts (styles, sharedStrings, a sheet of empty
# formatted cells) that legitimately compress 100-300-fold. Many small entries are caught by
# the total-size and entry-count rules instead.
RATIO_FLOOR_BYTES = 1024 * 1024

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
_NOT_CONTROL_BYTES = bytes(byte for byte in range(256) if not _CONTROL_CHARS.match(chr(byte)))


def check_file(file_name: str, data: bytes, settings) -> tuple[str | None, list[Problem]]:
    """The real type of an uploaded file ("xlsx", "xls", "ods", "csv") and its file-level
    errors. A CSV's grid is counted while it is read (readers.read_csv): its columns depend on
    the delimiter, which the reader detects."""
    if len(data) > settings.upload_limit_bytes:
        return None, [Problem("file_too_large", value=file_name,
                              params={"limit_mb": _as_megabytes(settings.upload_limit_bytes)})]
    if not data:
        # a saved workbook is never empty: 0 bytes under a workbook's name is a save that
        # did not finish; under any other name it is a CSV with nothing in it
        return None, [_unreadable(file_name) if workbook_suffix(file_name) else _empty(file_name)]
    try:
        if data.startswith(CFB_SIGNATURE):
            return _check_cfb(file_name, data, settings)
        if data.startswith(ZIP_SIGNATURES):
            return _check_zip(file_name, data, settings)
    except LimitExceeded as exceeded:
        return None, [exceeded.problem]
    if data.startswith(_OTHER_MAGIC):
        return None, [_unsupported(file_name)]
    text = decode_text(data)
    if text is None:
        return None, [_unsupported(file_name)]
    if not text.strip() and not workbook_suffix(file_name):
        return None, [_empty(file_name)]   # a BOM alone, or blank lines: nothing to read
    return "csv", []


def decoded(data: bytes) -> str | None:
    """The bytes as UTF-8 (BOM stripped) or Windows-1252 text; None with a NUL, undecodable, or
    markup (HTML or XML saved with a spreadsheet name: not a CSV). Control characters unchecked."""
    if b"\0" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    return None if _MARKUP_START.match(text) else text


def decode_text(data: bytes) -> str | None:
    """The text of a CSV file: UTF-8 (BOM stripped) or Windows-1252; None when it is not text."""
    text = decoded(data)
    if text is None:
        return None
    # Binary data decodes as cp1252 too, but is full of control characters; text has none,
    # except perhaps a stray one (old Excel writes \x0b for a line break inside a cell), nor
    # the Ctrl-Z some programs end a file with. A byte below 0x80 is the character it reads as
    # in UTF-8 and in cp1252 alike, and no other byte reads as a control character: they are
    # counted among the bytes, a table lookup each, never collected one by one (20 MB of them
    # would be 20 M regular-expression matches).
    allowed = max(2, len(text) // 100)
    if len(data.rstrip(b"\x1a").translate(None, _NOT_CONTROL_BYTES)) > allowed:
        return None
    return text


class LimitExceeded(Exception):
    """A file passes one of the grid limits; `problem` is its file_too_large refusal."""

    def __init__(self, problem: Problem):
        super().__init__(problem.params["reason"])
        self.problem = problem


class GridBudget:
    """The grid of a file's tabs, counted as a scan or a reader meets their cells, against the
    limits of the settings; the first limit passed raises LimitExceeded.

    A tab's grid runs from A1 to its last filled row and column. The markup elements a parser
    must walk (cells, rows, records) are counted too, up to twice the cell limit: a sheet can
    repeat one cell a million times, or hold rows its grid never shows, and each still costs.
    """

    def __init__(self, file_name: str, settings, in_csv: bool = False):
        self.file_name, self.settings, self.in_csv = file_name, settings, in_csv
        self.tab = ""
        self.rows = self.columns = 0                # the open tab's grid
        self.rows_before = self.cells_before = 0    # the tabs already closed
        self.elements = 0

    def open_tab(self, name: str) -> None:
        self.close_tab()
        self.tab = name

    def close_tab(self) -> None:
        self.rows_before += self.rows
        self.cells_before += self.rows * self.columns
        self.rows = self.columns = 0

    def reach(self, row: int, column: int) -> None:
        """Note a filled cell at (row, column), both 1-based (column 0: an empty CSV record)."""
        if row <= self.rows and column <= self.columns:
            return
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        limits = self.settings
        if self.columns > limits.max_columns:
            self._refuse("too_many_columns", limits.max_columns)
        if self.rows_before + self.rows > limits.max_rows:
            self._refuse("too_many_rows", limits.max_rows)
        if self.rows * self.columns > limits.max_sheet_cells:
            self._refuse("too_many_sheet_cells", limits.max_sheet_cells)
        if self.cells_before + self.rows * self.columns > limits.max_cells:
            self._refuse("too_many_cells", limits.max_cells)

    def count(self, elements: int = 1) -> None:
        """Note markup elements the parser must walk."""
        self.elements += elements
        if self.elements > 2 * self.settings.max_cells:
            self._refuse("too_many_cells", self.settings.max_cells)

    def count_texts(self, texts: int) -> None:
        """Note the shared strings of a workbook: more distinct texts than cells is too many."""
        if texts > self.settings.max_cells:
            self._refuse("too_many_cells", self.settings.max_cells)

    def _refuse(self, reason: str, limit: int):
        raise LimitExceeded(grid_problem(self.file_name, reason, limit, self.tab, in_csv=self.in_csv))


def grid_problem(file_name: str, reason: str, limit: int, tab: str = "", in_csv: bool = False) -> Problem:
    """The file_too_large refusal of a grid limit, its message chosen by the reason (and, for
    a CSV file, one that speaks of no tab)."""
    return Problem("file_too_large", value=file_name, params={
        "reason": reason, "limit": limit, "tab": tab, "hint_key": f"file_{reason}", "in_csv": in_csv,
        "limit_text": {lang: fmt_number(limit, lang) for lang in LANGUAGES},
    })


# ---------------------------------------------------------------------------- xls (OLE2)

def _check_cfb(file_name: str, data: bytes, settings) -> tuple[str | None, list[Problem]]:
    # A password-protected xlsx (or xls saved with "encrypt") is an OLE2 container holding an
    # EncryptedPackage stream; a real xls holds a Workbook (BIFF8) or Book (BIFF5) stream.
    if _ENCRYPTED_STREAM in data:
        return None, [_unreadable(file_name, reason="password")]
    if any(name in data for name in _XLS_STREAMS):
        try:
            stream = _cfb_stream(data, ("Workbook", "Book", "WORKBOOK", "BOOK"))
            if stream is None:
                return None, [_unreadable(file_name)]
            _scan_xls(stream, GridBudget(file_name, settings))
        except (_Damaged, struct.error, IndexError, ValueError):
            return None, [_unreadable(file_name)]
        return "xls", []
    if any(name in data for name in _OTHER_OFFICE_STREAMS):
        return None, [_unsupported(file_name)]
    return None, [_unreadable(file_name)]  # an OLE2 file whose directory is damaged


class _Damaged(Exception):
    """A container whose structure contradicts itself."""


_END_OF_CHAIN = 0xFFFFFFFE
_FIRST_SPECIAL_SECTOR = 0xFFFFFFFA
_DIFAT_SECTOR = 0xFFFFFFFC
_MINI_SECTOR = 64
_MINI_STREAM_CUTOFF = 4096


def _words(raw: bytes) -> array.array:
    """Little-endian unsigned 32-bit words (a FAT), 4 bytes each rather than a Python int each."""
    words = array.array("I")
    words.frombytes(raw[: len(raw) // 4 * 4])
    if sys.byteorder == "big":
        words.byteswap()
    return words


def _cfb_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first of `names` an OLE2 compound file holds, read the way calamine reads it, after
    checking what calamine trusts: it follows the sector chains of the DIFAT, the directory and
    the mini stream to their end (a chain that loops grows until memory runs out) and reserves
    room for as many DIFAT entries as the header's bytes 62-65 say."""
    if len(data) < 512:
        raise _Damaged
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise _Damaged
    size = 1 << shift
    sector_count = (len(data) - 1) // size    # sector n starts at (n + 1) × size
    fat_sectors, directory_start = struct.unpack_from("<II", data, 0x2C)
    mini_fat_start, mini_fat_sectors, difat_start = struct.unpack_from("<III", data, 0x3C)
    if fat_sectors > sector_count or mini_fat_sectors > sector_count \
            or struct.unpack_from("<I", data, 62)[0] > 1 << 24:
        raise _Damaged

    def sector(number: int) -> bytes:
        if number >= sector_count:
            raise _Damaged
        return data[(number + 1) * size:(number + 2) * size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    number = difat_start
    for _ in range(sector_count + 1):
        if number >= _FIRST_SPECIAL_SECTOR:
            break
        entries = _words(sector(number))
        difat += entries[:-1]
        number = entries[-1]
    else:
        raise _Damaged   # the DIFAT chain loops
    fat_numbers = [number for number in difat if number < _DIFAT_SECTOR]
    if len(fat_numbers) > sector_count:
        raise _Damaged
    fat = _words(b"".join(sector(number) for number in fat_numbers))

    def chain(start: int, table: array.array, read, available: int, limit: int | None = None) -> bytes:
        """The sectors of a chain joined, cut at `limit`; a chain longer than the sectors
        there are loops."""
        parts, length, number = [], 0, start
        for _ in range(available + 1):
            if number == _END_OF_CHAIN or (limit is not None and length >= limit):
                return b"".join(parts)[:limit]
            if number >= len(table):
                raise _Damaged
            part = read(number)
            parts.append(part)
            length += len(part)
            number = table[number]
        raise _Damaged

    def mini_sector(number: int) -> bytes:
        if (number + 1) * _MINI_SECTOR > len(mini_stream):
            raise _Damaged
        return mini_stream[number * _MINI_SECTOR:(number + 1) * _MINI_SECTOR]

    directory = chain(directory_start, fat, sector, sector_count)
    entries = [directory[offset:offset + 128] for offset in range(0, len(directory) - 127, 128)]
    if not entries:
        raise _Damaged
    root_start, root_size = _directory_entry(entries[0], size)[1:]
    mini_fat, mini_stream = array.array("I"), b""
    if mini_fat_sectors:
        mini_stream = chain(root_start, fat, sector, sector_count, root_size)
        mini_fat = _words(chain(mini_fat_start, fat, sector, sector_count, mini_fat_sectors * size))
    found = {}
    for entry in entries:
        name, start, length = _directory_entry(entry, size)
        found.setdefault(name, (start, length))
    for name in names:
        if name in found:
            start, length = found[name]
            if length < _MINI_STREAM_CUTOFF:
                return chain(start, mini_fat, mini_sector, len(mini_stream) // _MINI_SECTOR, length)
            return chain(start, fat, sector, sector_count, length)
    return None


def _directory_entry(entry: bytes, sector_size: int) -> tuple[str, int, int]:
    """(name, first sector, size) of a 128-byte CFB directory entry."""
    name = entry[:64].decode("utf-16-le", "replace").split("\0", 1)[0]
    start = struct.unpack_from("<I", entry, 116)[0]
    length = struct.unpack_from("<I" if sector_size == 512 else "<Q", entry, 120)[0]
    return name, start, length


_BIFF_BOF, _BIFF_EOF, _BIFF_BOUNDSHEET, _BIFF_DIMENSIONS, _BIFF_MULRK = 0x0809, 0x000A, 0x0085, 0x0200, 0x00BD
# Number, Label, RString, BoolErr, Rk, LabelSst, Formula: the records calamine makes a cell of
_BIFF_CELLS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})
_XLS_MAX_CELLS = 65536 * 256   # the largest grid the format can describe


def _biff_records(stream: bytes, position: int) -> Iterator[tuple[int, int, int]]:
    """(type, start of data, length) of the BIFF records from `position` on."""
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        if position + 4 + length > len(stream):
            return
        yield kind, position + 4, length
        position += 4 + length


def _scan_xls(stream: bytes, budget: GridBudget) -> None:
    """Count the grid of every sheet of an xls Workbook stream, each read from where its
    BoundSheet record points, as calamine reads it (so a sheet listed twice counts twice)."""
    sheets = []
    for kind, start, length in _biff_records(stream, 0):
        budget.count()
        if kind == _BIFF_BOUNDSHEET and length >= 6:
            sheets.append((struct.unpack_from("<I", stream, start)[0],
                           _biff_sheet_name(stream[start + 6:start + length])))
        elif kind == _BIFF_EOF:
            break
    for position, name in sheets:
        budget.open_tab(name)
        depth, seen_bof = 0, False
        for kind, start, length in _biff_records(stream, position):
            budget.count()
            if depth:   # an embedded chart or other substream, which calamine skips
                depth += (kind == _BIFF_BOF) - (kind == _BIFF_EOF)
            elif kind == _BIFF_BOF:
                depth, seen_bof = (1, True) if seen_bof else (0, True)
            elif kind == _BIFF_EOF:
                break
            elif kind in _BIFF_CELLS and length >= 4:
                row, column = struct.unpack_from("<HH", stream, start)
                budget.reach(row + 1, column + 1)
            elif kind == _BIFF_MULRK and length >= 6:
                row = struct.unpack_from("<H", stream, start)[0]
                last_column = struct.unpack_from("<H", stream, start + length - 2)[0]
                budget.reach(row + 1, last_column + 1)
            elif kind == _BIFF_DIMENSIONS:
                _check_biff_dimensions(stream[start:start + length])
    budget.close_tab()


def _check_biff_dimensions(record: bytes) -> None:
    """calamine reserves room for the grid a sheet's DIMENSIONS record declares before reading
    a cell; one declaring more than the format allows (rows are 32-bit in BIFF8) is damaged."""
    if len(record) == 14:
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", record)
    elif len(record) == 10:
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", record)
    else:
        return
    if first_col > 0xFF or end_col < first_col:
        first_col = 0
    if end_row >= 1 and end_col >= 1:
        rows = (end_row - first_row) % 2**32    # calamine's unsigned arithmetic wraps around
        columns = (end_col - first_col) % 2**32
        if rows * columns > _XLS_MAX_CELLS:
            raise _Damaged


def _biff_sheet_name(data: bytes) -> str:
    """A BoundSheet record's sheet name, from its length byte on: BIFF8 (a flags byte, then
    Latin-1 or UTF-16) or BIFF5 (code page bytes); only for messages."""
    if not data:
        return ""
    length = data[0]
    if len(data) >= 2 and data[1] in (0, 1) and len(data) == 2 + length * (data[1] + 1):
        return data[2:].decode("utf-16-le" if data[1] else "latin-1", "replace")
    return data[1:1 + length].decode("cp1252", "replace")


# ---------------------------------------------------------------------------- xlsx and ods

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
            if not _grids_within_bounds(archive, entries, file_type, file_name, settings):
                _count_grids(archive, entries, file_type, GridBudget(file_name, settings))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError, zlib.error):
            # a corrupt or truncated entry, a CRC that does not match, an unknown compression
            return None, [_unreadable(file_name)]
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


def _grids_within_bounds(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], file_type: str,
                         file_name: str, settings) -> bool:
    """Whether _count_grids would pass the file, told quicker: its worksheet parts bounded from
    above (_bound_xlsx_sheet) where they can be, counted exactly where not. Every limit only
    grows harder to meet as a grid grows, so bounds within the limits are exact counts within
    them. False says nothing: a bound past a limit, or anything else going wrong, leaves the
    file to _count_grids, which says exactly which limit it passes, if any."""
    if file_type != "xlsx":
        return False
    try:
        _count_grids(archive, entries, file_type, GridBudget(file_name, settings), bounded=True)
    except Exception:
        return False
    return True


def _count_grids(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], file_type: str,
                 budget: GridBudget, bounded: bool = False) -> None:
    """Read every entry once (bounded by the total-size rule, and checking each CRC), counting
    the grid of every sheet and the shared strings; raises LimitExceeded. `bounded`: a sheet's
    grid may be counted as its bound instead (_grids_within_bounds)."""
    sheet_names = _xlsx_sheet_parts(archive) if file_type == "xlsx" else {}
    for entry in entries:
        if entry.is_dir():
            continue
        with archive.open(entry) as stream:
            chunks = iter(lambda: stream.read(_CHUNK), b"")
            if entry.filename in sheet_names:
                budget.open_tab(sheet_names[entry.filename])
                if not (bounded and _bound_xlsx_sheet(chunks, budget)):
                    with archive.open(entry) as again:   # from its start
                        _count_xlsx_sheet(archive, entry, iter(lambda: again.read(_CHUNK), b""), budget) \
                            if bounded else _count_xlsx_sheet(archive, entry, chunks, budget)
                budget.close_tab()
            elif file_type == "xlsx" and entry.filename.lower().endswith("sharedstrings.xml"):
                _scan_shared_strings(chunks, budget)
            elif file_type == "ods" and entry.filename == "content.xml":
                _scan_ods(chunks, budget)
            for _ in chunks:
                pass  # read to the end so that zipfile checks the size and CRC


def _count_xlsx_sheet(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, chunks: Iterator[bytes],
                      budget: GridBudget) -> None:
    """Count the grid of a worksheet part: quickly, else tag by tag."""
    elements = budget.elements
    if not _scan_xlsx_sheet_quickly(chunks, budget):
        budget.elements = elements   # counted again, tag by tag
        with archive.open(entry) as again:
            _scan_xlsx_sheet(iter(lambda: again.read(_CHUNK), b""), budget)


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """The worksheet parts of an xlsx and their tab names: those its workbook relationships
    name, and any other part under xl/worksheets/ (named after its file)."""
    names = set(archive.namelist())
    parts = {name: PurePosixPath(name).stem for name in names
             if name.startswith("xl/worksheets/") and name.endswith(".xml")}
    by_id = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names and archive.getinfo(rels).file_size < 10 * 1024 * 1024:
        text = archive.read(rels).decode("utf-8", "replace")
        for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", text):
            target = re.search(r'Target="([^"]+)"', tag)
            if not (target and re.search(r'Type="[^"]*/worksheet"', tag)):
                continue
            path = target.group(1)
            part = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
            parts.setdefault(part, PurePosixPath(part).stem)
            ident = re.search(r'\sId="([^"]+)"', tag)
            if ident:
                by_id[ident.group(1)] = part
    book = "xl/workbook.xml"
    if by_id and archive.getinfo(book).file_size < 10 * 1024 * 1024:
        text = archive.read(book).decode("utf-8", "replace")
        for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", text):
            name, ident = re.search(r'\sname="([^"]*)"', tag), re.search(r'\s\w+:id="([^"]*)"', tag)
            if name and ident and ident.group(1) in by_id:
                parts[by_id[ident.group(1)]] = html.unescape(name.group(1))
    return parts


def _matches(chunks: Iterator[bytes], pattern: re.Pattern) -> Iterator[re.Match]:
    """The matches of a tag pattern in a streamed XML document, without holding it in memory:
    each piece is searched up to its last "<" (or to its end, when that tag is complete)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        cut = pending.rfind(b"<")
        if cut == -1:
            pending = b""
            continue
        if pending.find(b">", cut) != -1:
            cut = len(pending)
        yield from pattern.finditer(pending, 0, cut)
        pending = pending[cut:]
    yield from pattern.finditer(pending)


# Row and cell start tags, except self-closing ones with a reference (an empty formatted cell
# <c r="B2" s="1"/>, or row, is skipped by the expression itself, so a sheet of a million of
# them costs no Python loop; without a reference a cell's place depends on the cells before
# it); a cell's first child when it holds content (a value, an inline string, a formula),
# matched with its cell or alone when the cell ended the previous piece; the end of the data.
_XLSX_TAG = re.compile(rb"""
    <(?:[^\s<>/:=\"']+:)?(row)(?=[\s/>])(?![^>]*\sr="[^"]*"[^>]*/>)(?:[^>]*?\sr="(\d+)")?[^>]*>
  | <(?:[^\s<>/:=\"']+:)?c(?=[\s/>])(?![^>]*\sr="[^"]*"[^>]*/>)(?:[^>]*?\sr="([A-Za-z]*)(\d*)")?([^>]*)>
    (\s*<(?:[^\s<>/:=\"']+:)?(?:v|is|f)[\s/>])?
  | (<(?:[^\s<>/:=\"']+:)?(?:v|is|f)[\s/>])
  | (</(?:[^\s<>/:=\"']+:)?sheetData>)
""", re.VERBOSE)


@functools.lru_cache(maxsize=4096)
def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


_XLSX_ROOT = re.compile(rb"<([^\s<>/:=\"']+:)?worksheet[\s>]")
_QUICK_PIECE_LIMIT = 1024 * 1024


@functools.lru_cache(maxsize=8)
@functools.cache
def _xlsx_quick_patterns(prefix: bytes) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """For a sheet whose elements carry `prefix`: any cell start tag, a cell start tag with a
    reference, and a filled cell (with a reference, not self-closing, not followed at once by
    its end tag: any content, even a comment, counts) capturing the reference."""
    c = b"<" + re.escape(prefix) + b"c"
    return (re.compile(c + rb"[\s/>]"),
            re.compile(c + rb'(?=\s)[^>]*?\sr="'),
            re.compile(c + rb'(?=\s)[^>]*?\sr="([A-Za-z]*)(\d*)"[^>]*(?<!/)>(?!\s*</'
                       + re.escape(prefix) + rb"c>)"))


def _scan_xlsx_sheet_quickly(chunks: Iterator[bytes], budget: GridBudget) -> bool:
    """Count the grid of an xlsx worksheet part whose every cell carries its reference (as
    Excel, LibreOffice, openpyxl and xlsxwriter write them) with a few regular-expression
    passes per piece and no Python loop per cell; False when the part needs the tag-by-tag
    scan (a cell without a reference, no worksheet root, a megabyte without a cell).

    A piece is cut where its last cell tag starts, so that every cell before the cut is seen
    up to the next cell, which is enough to tell an empty <c …></c> from a filled one."""
    for piece in _xlsx_pieces(chunks):
        if piece is None:
            return False
        pending, cut, prefix = piece
        any_cell, referenced, filled = _xlsx_quick_patterns(prefix)
        if len(referenced.findall(pending, 0, cut)) != len(any_cell.findall(pending, 0, cut)):
            return False
        found = filled.findall(pending, 0, cut)
        budget.count(len(found))   # calamine holds every filled cell, a repeated one too
        if found:
            letters, digits = zip(*found)
            budget.reach(max(map(int, digits)), max(map(_column_number, set(letters))))
    return True


def _xlsx_pieces(chunks: Iterator[bytes]) -> Iterator[tuple[bytes, int, bytes] | None]:
    """The pieces of an xlsx worksheet part the quick scans read: (text, cut, the namespace
    prefix), every cell before `cut` seen up to the next cell; the last piece ends at
    </sheetData>. A None: the part needs the tag-by-tag scan (no worksheet root, a megabyte
    without a cell)."""
    pending, prefix, finished = b"", None, False
    for chunk in itertools.chain(chunks, [None]):
        if chunk is None:
            cut, finished = len(pending), True
        else:
            pending += chunk
            if prefix is None:
                root = _XLSX_ROOT.search(pending)
                if root is None:
                    if len(pending) > _QUICK_PIECE_LIMIT:
                        yield None
                        return
                    continue
                prefix = root.group(1) or b""
            cut = pending.rfind(b"<" + prefix + b"c")
            if cut <= 0:
                if len(pending) > _QUICK_PIECE_LIMIT:
                    yield None
                    return
                continue
        if prefix is None or _foreign_cells(pending, prefix):
            yield None
            return
        end = pending.find(b"</" + prefix + b"sheetData>", 0, cut)
        if end != -1:
            cut, finished = end, True
        yield pending, cut, prefix
        if finished:
            return
        pending = pending[cut:]


@functools.cache
def _foreign_cell(prefix: bytes) -> re.Pattern:
    """A cell start tag under another namespace prefix than the root's (or none, or another)."""
    return re.compile(rb"<(?!" + re.escape(prefix) + rb"c[\s/>])(?:[^\s<>/:=\"']+:)?c[\s/>]")


def _foreign_cells(pending: bytes, prefix: bytes) -> bool:
    """Whether `pending` holds a cell the quick scans would not see: calamine reads a cell
    whatever its prefix, so a <y:c> in a <worksheet> (or a <c> in an <x:worksheet>) would pass
    the grid limits uncounted. Such a part goes to the tag-by-tag scan, which counts every cell.
    Without a root prefix only a tag with a colon can be one: looked for by the bytes first."""
    if not prefix and b":c" not in pending:
        return False
    return _foreign_cell(prefix).search(pending) is not None


# The sheet's own claim of its extent, the last cell of <dimension ref="A1:I100001"/>: only
# ever a guess for _bound_xlsx_sheet to check.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s(?:[^>]*?\s)?ref="(?:[^":]*:)?\$?([A-Za-z]{1,3})\$?(\d{1,7})"')
_REFERENCE = re.compile(rb'r="([A-Za-z]*)(\d*)"')
_MAX_CANDIDATES = 4096


def _digits_from(prefix: str, length: int) -> bytes:
    """A pattern of the numbers of `length` digits that start with `prefix` or above it."""
    alternatives = []
    for index, digit in enumerate(prefix):
        low = int(digit) + (0 if index == len(prefix) - 1 else 1)
        if low <= 9:
            rest = length - index - 1
            alternatives.append(re.escape(prefix[:index].encode()) + b"[%d-9]" % low
                                + (rb"\d{%d}" % rest if rest else b""))
    return b"|".join(alternatives) or rb"(?!)"


def _letters_over(letters: str) -> bytes:
    """A pattern of the column letters (either case) that start a column after `letters`."""
    letters = letters.upper()
    alternatives = [rb"[A-Za-z]{%d}" % (len(letters) + 1)]
    for index, letter in enumerate(letters):
        if letter < "Z":
            after = chr(ord(letter) + 1)
            rest = len(letters) - index - 1
            alternatives.append(b"".join(b"[%s%s]" % (c.encode(), c.lower().encode()) for c in letters[:index])
                                + b"[%s-Z%s-z]" % (after.encode(), after.lower().encode())
                                + (rb"[A-Za-z]{%d}" % rest if rest else b""))
    return b"|".join(alternatives)


@functools.lru_cache(maxsize=64)
def _beyond(row: int, letters: bytes) -> re.Pattern:
    """The start of every cell reference (r="…", whatever comes before it) that may lie beyond
    the cell (row, letters), or has no row number: its column letters after the cell's, or a
    row number of more digits than the cell's, or of as many from the cell's first three
    digits on. A reference not matched is sure to lie within; one matched is looked at."""
    digits = str(row)
    return re.compile(rb'r="(?:' + _letters_over(letters.decode()) + rb'|[A-Za-z]*+(?:"|\d{%d}|' % (len(digits) + 1)
                      + _digits_from(digits[:3], len(digits)) + b"))")


def _bound_xlsx_sheet(chunks: Iterator[bytes], budget: GridBudget) -> bool:
    """Count an xlsx worksheet part as the bound of what _scan_xlsx_sheet_quickly counts: the
    cell its <dimension> names as the grid, when no cell reference lies beyond it, and every
    cell start tag as a filled cell. A few byte counts and one search per piece, of the pieces
    the quick scan cuts; False, with the budget untouched, when it cannot: no dimension, a
    reference beyond it (or without a row number), too many references to look at, or a part
    the quick scan would leave to the tag-by-tag scan (a cell without a reference)."""
    cells = candidates = 0
    bound = beyond = None
    for piece in _xlsx_pieces(chunks):
        if piece is None:
            return False
        pending, cut, prefix = piece
        any_cell, referenced, _ = _xlsx_quick_patterns(prefix)
        cell_start = b"<" + prefix + b"c"
        if bound is None:
            dimension = _DIMENSION.search(pending, 0, cut)
            if dimension is None:
                return False
            bound = (int(dimension[2]), _column_number(dimension[1]))
            beyond = _beyond(int(dimension[2]), dimension[1])
        # as many cells as referenced ones (as the quick scan requires): when every "<c" is a
        # '<c r="', surely; else as the quick scan tells it
        starts = pending.count(cell_start, 0, cut)
        if pending.count(cell_start + b' r="', 0, cut) != starts \
                and len(referenced.findall(pending, 0, cut)) != len(any_cell.findall(pending, 0, cut)):
            return False
        cells += starts
        for found in beyond.finditer(pending, 0, cut):
            candidates += 1
            reference = _REFERENCE.match(pending, found.start(), cut)
            if reference is None:
                continue   # not a reference the quick scan reads
            letters, digits = reference.groups()
            if candidates > _MAX_CANDIDATES or not digits or int(digits) > bound[0] \
                    or _column_number(letters) > bound[1]:
                return False
    if bound is None:
        return False
    budget.count(cells)
    budget.reach(*bound)
    return True


def _scan_xlsx_sheet(chunks: Iterator[bytes], budget: GridBudget) -> None:
    """Count the grid of an xlsx worksheet part. A cell with content is filled; one without
    (<c r="XFD1048576" s="1"></c>, as openpyxl writes a formatted empty cell) is left out of
    the grid, as calamine leaves it."""
    row = column = 0
    open_cell = None
    for tag in _matches(chunks, _XLSX_TAG):
        is_row, row_number, letters, digits, rest, content, late_content, end = tag.groups()
        if end:
            return   # the rest of the part is formatting
        if late_content:
            budget.count()
            if open_cell:
                budget.reach(*open_cell)
                open_cell = None
            continue
        budget.count()
        if is_row:
            row, column, open_cell = (int(row_number) if row_number else row + 1), 0, None
            continue
        if letters is None:
            column += 1   # cells without a reference follow each other
        else:
            column = _column_number(letters) if letters else column + 1
            row = int(digits) if digits else row
        if content:
            budget.reach(row, column)
            open_cell = None
        else:
            open_cell = None if rest.endswith(b"/") else (row, column)


_SHARED_STRINGS_TAG = re.compile(rb"<(?:\w+:)?(sst)\b([^>]*)>|<(?:\w+:)?si[\s/>]")
_UNIQUE_COUNT = re.compile(rb'\suniqueCount="(\d+)"')


def _scan_shared_strings(chunks: Iterator[bytes], budget: GridBudget) -> None:
    """Count the shared strings of an xlsx; calamine reserves room for as many as the sst
    element's uniqueCount claims before it reads one, so the claim counts too."""
    found = 0
    for tag in _matches(chunks, _SHARED_STRINGS_TAG):
        if tag.group(1):
            claimed = _UNIQUE_COUNT.search(tag.group(2))
            if claimed:
                budget.count_texts(int(claimed.group(1)))
        else:
            found += 1
            budget.count_texts(found)


# Table, row and cell start tags, and the end of a table; the cells' own content is skipped
# by the expression itself.
_ODS_TAG = re.compile(
    rb"<(?:\w+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>|</(?:\w+:)?table>")
_TABLE_NAME = re.compile(rb'\s(?:\w+:)?name="([^"]*)"')
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def _scan_ods(chunks: Iterator[bytes], budget: GridBudget) -> None:
    """Count the grid of each table of an ods content.xml, repeated rows and columns expanded
    (a single row "repeated 1,000,000 times" holding one value is a million-row sheet). A cell
    with a value type or any content is filled; a self-closing one without a value is not."""
    depth = row = column = 0
    for tag in _matches(chunks, _ODS_TAG):
        name, attributes = tag.groups()
        if name is None or (name == b"table" and attributes.endswith(b"/")):
            if name is not None:
                depth += 1
            depth = max(0, depth - 1)
            if depth == 0:
                budget.close_tab()
            continue
        if name == b"table":
            depth += 1
            if depth == 1:
                found = _TABLE_NAME.search(attributes)
                budget.open_tab(html.unescape(found.group(1).decode("utf-8", "replace")) if found else "")
                row = 0
            continue
        budget.count()
        if depth != 1:
            continue   # a table inside a cell
        if name == b"table-row":
            repeated = _ROWS_REPEATED.search(attributes)
            row, column = row + (int(repeated.group(1)) if repeated else 1), 0
            continue
        repeated = _COLS_REPEATED.search(attributes)
        column += int(repeated.group(1)) if repeated else 1
        if b"value-type=" in attributes or not attributes.endswith(b"/"):
            budget.reach(row, column)


def _as_megabytes(size: int) -> int | float:
    megabytes = round(size / 1024 / 1024, 1)
    return int(megabytes) if megabytes == int(megabytes) else megabytes


def _unreadable(file_name: str, reason: str = "damaged") -> Problem:
    return Problem("unreadable_file", value=file_name, params={"reason": reason})


def _empty(file_name: str) -> Problem:
    return Problem("empty_file", value=file_name)


def _unsupported(file_name: str) -> Problem:
    return Problem("unsupported_type", value=file_name)


# The endings of a workbook's name. Text saved under one is read as the CSV it may be (some
# programs export CSV as .xls), and refused as no spreadsheet when it holds no table the
# contract knows (data_sources/intake.py).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def workbook_suffix(file_name: str) -> str | None:
    """The ending of `file_name` when it is a workbook's (".xlsx", …), else None."""
    suffix = PurePosixPath(file_name.replace("\\", "/")).suffix.lower()
    return suffix if suffix in WORKBOOK_SUFFIXES else None


def text_named_as_workbook(file_name: str, suffix: str) -> Problem:
    """The refusal of a text file saved under a workbook's name: it cannot be opened as one."""
    return Problem("unsupported_type", value=file_name,
                   params={"hint_key": "text_named_as_workbook", "suffix": suffix})
