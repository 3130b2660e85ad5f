"""Every text a workbook carries besides the cell values calamine reads, each with the place
the user finds it in, for the personal-data guard (data_sources/personal_data.py).

calamine reads the cells of every sheet, hidden sheets, rows and columns included, and the
sheet names. A workbook holds more text than that, and personal data gets in through it:

xlsx (the zip's XML parts)
    comments and notes (xl/comments*.xml: the text and the authors), threaded comments and
    their people (xl/threadedComments/, xl/persons/: display names and user ids), cell
    formulas with or without a cached value (their string literals also joined, so
    `"040 123 "&"4567"` is read as one number), hyperlinks (the target from the sheet's
    relationships, location, display text, tooltip), data-validation prompts, error messages
    and lists, conditional-formatting formulas, print headers and footers (their &-codes
    removed), text boxes, shapes and their alternative texts (xl/drawings/, legacy VML
    drawings), chart texts (xl/charts/), defined names and their formulas, sheet names,
    the workbook's table of strings (xl/sharedStrings.xml: strings no cell shows, phonetic
    runs), custom number formats, document properties (docProps/core.xml, app.xml,
    custom.xml), and every other XML part (pivot caches, tables, external links, connections,
    customXml, …) read as plain text: its character data and attribute values.
ods (the zip's XML parts)
    cell annotations and their authors, formulas (table:formula), hidden string values
    (office:string-value), links (text:a), text boxes and shapes (draw:*) with their titles
    and descriptions, form controls' labels, named ranges and expressions, content
    validations (condition, help and error messages), print headers and footers
    (styles.xml master pages, placed on the sheets that use them), number formats' literal
    text, charts and other embedded objects (Object N/), document properties (meta.xml),
    and every other XML part as plain text (settings.xml, macros, …).
xls (the OLE2 file, BIFF8)
    From the Workbook stream: sheet names (BOUNDSHEET), defined names and the string
    literals of their formulas (NAME), the string literals of cell and shared formulas
    (FORMULA, SHRFMLA, ARRAY: ptgStr tokens), print headers and footers (HEADER, FOOTER;
    HEADERFOOTER as raw strings), notes with their author and text (NOTE, OBJ, TXO and the
    CONTINUE records after it), text boxes (TXO of other objects), data-validation prompts,
    error messages and lists (DV), hyperlinks and their tooltips (HLINK, HLINKTOOLTIP: the
    UTF-16 strings in them). From the SummaryInformation and DocumentSummaryInformation
    streams: the string properties (title, subject, author, keywords, comments, last saved
    by, category, manager, company, custom properties by their names). Last, a raw scan:
    every run of four or more printable Latin-1 characters, or of UTF-16 characters of the
    Latin-1 range and the dashes and spaces of phone numbers, in every record of the globals
    and sheet substreams, except the records that hold pictures and drawings (MSODRAWING*,
    IMDATA, BITMAP and their CONTINUE records) and cell numbers, where random bytes would
    read as text. The raw scan is where the xls reading stops: it finds what the records
    above miss (chart texts, styles' names, external links, the WRITEACCESS user name, BIFF5
    files), but without a place finer than "the workbook", and it misses a text split across
    a CONTINUE record's boundary (a long shared string; its cell is read by calamine) and
    any text in other streams than the three above (embedded OLE objects, VBA macros).

Not read, in any format: pictures (their metadata included), embedded files
(xl/embeddings/, Object N/ that are not XML, OLE objects), VBA projects (vbaProject.bin,
stored compressed), printer settings. Those are binary and hold no text the user typed into
the workbook, or hold another file the guard would have to open in turn.

Every XML part is read with a streaming expat parser, chunk by chunk, so no part is held in
memory whole; texts longer than 64K characters are handed on in pieces (overlapping, so
nothing is cut in two). The zip's total size is bounded by file_safety before this module
runs; the elements parsed are counted too, and more than ten times the cell limit refuses
the file as too large. A part that declares entities (a DOCTYPE with ENTITY declarations,
the "billion laughs") is refused (UnsafeMarkup); expat fetches no external entities. A part
that is not well-formed XML is read roughly instead: its text between tags and its quoted
attribute values.
"""

import functools
import html
import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

# file_safety reads the OLE2 container and walks BIFF records the way calamine does; the
# same reading serves here
from data_sources.file_safety import (
    _BIFF_BOF,
    _BIFF_BOUNDSHEET,
    _BIFF_EOF,
    LimitExceeded,
    _biff_records,
    _cfb_stream,
    _Damaged,
    grid_problem,
)
from data_sources.personal_data import column_letter

# Places a text stands in; each has a phrase in i18n/<lang>/problems_file.toml [personal_place].
PLACES = (
    "sheet_name", "comment", "comment_author", "hyperlink", "link_target", "formula",
    "validation", "header_footer", "text_box", "chart", "defined_name", "shared_string",
    "cell_text", "number_format", "properties", "other", "xls_stream",
)

_CHUNK = 64 * 1024
MAX_TEXT = 64 * 1024      # characters of one FileText; a longer text comes in pieces
_OVERLAP = 256            # characters a piece repeats of the one before it


@dataclass(frozen=True)
class FileText:
    """One text of a file and where it stands.

    `free_text` is False for texts that say who made the file (authors, the people of
    comments) or that no one typed (raw parts): only identity codes, e-mail addresses and
    phone numbers are looked for there, not names. `repeats_cells` marks a copy of what
    the cells show (the table of strings, cached values, the raw xls scan): what a cell or
    another place already reported is not reported again from it.
    """

    place: str
    text: str
    sheet: str | None = None
    cell: str | None = None       # "B4"
    detail: str | None = None     # the property's or defined name's name, the part's path
    free_text: bool = True
    repeats_cells: bool = False


class UnsafeMarkup(Exception):
    """An XML part declares entities, which a spreadsheet never needs."""


def file_texts(file_name: str, data: bytes, file_type: str, settings) -> Iterator[FileText]:
    """The texts of a file that check_file passed (nothing for a CSV: its cells are all it
    has). Raises LimitExceeded for too much markup and UnsafeMarkup for entity declarations."""
    budget = _Budget(file_name, settings)
    if file_type == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from _XlsxReader(archive, budget).texts()
    elif file_type == "ods":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from _OdsReader(archive, budget).texts()
    elif file_type == "xls":
        yield from _xls_texts(data, budget)


class _Budget:
    """The XML tags and BIFF records read, against twenty times the cell limit (ten elements
    a cell, each with a start and an end tag)."""

    def __init__(self, file_name: str, settings):
        self.file_name, self.settings = file_name, settings
        self.limit = 20 * settings.max_cells
        self.used = 0

    def count(self, elements: int = 1) -> None:
        self.used += elements
        if self.used > self.limit:
            raise LimitExceeded(grid_problem(self.file_name, "too_many_cells", self.settings.max_cells))


def _pieces(text: str) -> Iterator[str]:
    """A text cut into pieces of at most MAX_TEXT characters that overlap by _OVERLAP."""
    if len(text) <= MAX_TEXT:
        yield text
        return
    step = MAX_TEXT - _OVERLAP
    for start in range(0, len(text) - _OVERLAP, step):
        yield text[start:start + MAX_TEXT]


def _texts(place: str, text: str | None, **where) -> Iterator[FileText]:
    """FileTexts of a text that is not blank, in pieces when it is long."""
    if text and text.strip():
        for piece in _pieces(text):
            yield FileText(place, piece, **where)


class _Collector:
    """Character data gathered for one text, kept at most MAX_TEXT characters at a time:
    each full piece is handed on (and the end of it kept) as the parser goes."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.full: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.length > MAX_TEXT:
            joined = "".join(self.parts)
            self.full.append(joined[:MAX_TEXT])
            rest = joined[MAX_TEXT - _OVERLAP:]
            self.parts, self.length = [rest], len(rest)

    def take(self) -> list[str]:
        """The pieces gathered, the last one included; the collector starts again."""
        pieces = self.full + ["".join(self.parts)]
        self.parts, self.length, self.full = [], 0, []
        return [piece for piece in pieces if piece.strip()]


# ------------------------------------------------------------------------ XML plumbing

class _Handler:
    """What one XML part's parser calls: local names (the prefix dropped), for the elements
    in `starts` and `ends` (None: all of them), with attributes by their local names unless
    `local_attributes` is False; character data only while `collecting` is set. `stack`
    holds the open elements when `uses_stack` is set. FileTexts made are queued in `out` and
    handed on after each chunk. A sheet part has a million elements: the calls the parser
    makes into Python for each are kept as few as the handler needs."""

    starts: frozenset | None = None
    ends: frozenset | None = None
    collecting_ends: frozenset = frozenset()   # ends wanted only while collecting (a paragraph's)
    local_attributes = True
    uses_stack = False
    # the elements without which this handler makes no text (None: any may make one); a part
    # holding none of them is only checked to be well-formed, with no call into Python per element
    needed: frozenset | None = None
    fresh_after: str | None = None      # see _parse
    remembers: str | None = None

    def __init__(self):
        self.out: list[FileText] = []
        self.stack: list[str] = []
        self.parser = None
        self._collecting: _Collector | None = None

    @property
    def collecting(self) -> "_Collector | None":
        return self._collecting

    @collecting.setter
    def collecting(self, collector: "_Collector | None") -> None:
        self._collecting = collector
        if self.parser is not None:
            self.parser.CharacterDataHandler = collector.add if collector is not None else None

    def start(self, name: str, attrs: dict) -> None:
        pass

    def end(self, name: str) -> None:
        pass

    def close(self) -> None:
        pass

    def emit(self, place: str, text: str | None, **where) -> None:
        self.out.extend(_texts(place, text, **where))


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attributes(attrs: dict) -> dict:
    return {_local(key): value for key, value in attrs.items()}


def _attribute(attrs: dict, local: str, default: str = "") -> str:
    """An attribute by its local name, whatever its prefix (`r:id`)."""
    if local in attrs:
        return attrs[local]
    return next((value for key, value in attrs.items() if key.endswith(":" + local)), default)


def _refuse_entities(*_args) -> None:
    raise UnsafeMarkup


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    return parser


_NAME_ENDED = re.compile(rb"[\s/>]")
_LONGEST_NAME = 4096     # a tag name longer than this (a prefix, really) is read with the handler
_UTF8_BOM = b"\xef\xbb\xbf"


@functools.lru_cache(maxsize=16)
def _tag_of(names: frozenset, end: bool = False) -> re.Pattern:
    """A start tag (or an end tag) of any of `names` as the handler sees them: the local name
    after the last colon, whatever comes before it (`<f`, `<x:f`, `<:f`, `<a:b:f`)."""
    alternatives = b"|".join(re.escape(name.encode()) for name in sorted(names, key=len, reverse=True))
    return re.compile(rb"<" + (rb"/" if end else b"") + rb"(?:[^\s<>/!?]*:)?(?:" + alternatives + rb")[\s/>]")


# Lowercase letters the cells of a sheet seldom hold, rarest first: the markup of a cell
# (<row r= spans=>, <c r="B2" s= t="s">, <v>) has none of them, and neither have numbers, dates
# or the table of strings' indexes; an inline string or a formula may.
_RARE_IN_CELLS = b"jqxzkyfbgmhudlei"


@functools.lru_cache(maxsize=16)
def _literals_of(names: frozenset) -> tuple[bytes, ...]:
    """Bytes one of which a start tag of any of `names` must hold: each name's rarest letter
    in a sheet's cells (a name without one stands for itself)."""
    literals = set()
    for name in names:
        encoded = name.encode()
        rare = [bytes([letter]) for letter in _RARE_IN_CELLS if letter in encoded]
        literals.add(rare[0] if rare else encoded)
    return tuple(sorted(literals))


def _first_tag(window: bytes, names: frozenset) -> re.Match | None:
    """The first start tag of any of `names` in `window` (_tag_of(names).search): searched
    for only when the window holds one of the names at all, which a sheet's cells seldom do,
    so that most windows cost a few byte searches rather than a try of the pattern at every "<"."""
    if any(literal in window for literal in _literals_of(names)):
        return _tag_of(names).search(window)
    return None


def _holds(window: bytes, markup: bytes, start: int, stop: int) -> bool:
    """Whether window[start:stop] holds `markup` ("<!", "<?"): its rarer last byte is looked for
    first, a search much quicker than that of a pair starting with "<"."""
    return window.find(markup[-1:], start, stop) != -1 and window.find(markup, start, stop) != -1


def _last_end_tag(window: bytes, name: str, stop: int) -> int:
    """Where the last end tag of `name` (any prefix) in window[:stop] ends, else -1: the name is
    looked for as it is (quick), and the tag only where it stands."""
    end_tag, literal, at = _tag_of(frozenset({name}), end=True), name.encode(), stop
    while (at := window.rfind(literal, 0, at)) != -1:
        opening = window.rfind(b"<", 0, at)
        found = end_tag.match(window, opening, stop) if opening != -1 else None
        if found and found.end() == at + len(literal) + 1:   # this very name, then > or a space
            return found.end()
    return -1


def _markup_start(window: bytes, first: bool) -> int:
    """Where the markup of a part's first chunk starts: after a UTF-8 byte-order mark and the
    XML declaration; -1 when the declaration does not end in it."""
    start = len(_UTF8_BOM) if first and window.startswith(_UTF8_BOM) else 0
    if first and window.startswith(b"<?xml", start):
        end = window.find(b"?>", start)
        return -1 if end == -1 else end + 2
    return start


class _StartAgain(Exception):
    """A part read quietly must be read again from its start with the handler: `counted`
    chunks of it were counted against the budget already."""

    def __init__(self, counted: int):
        super().__init__(counted)
        self.counted = counted


def _parse(chunks: Iterator[bytes], handler: _Handler, budget: _Budget, counted: int = 0,
           quiet: bool = False) -> Iterator[FileText]:
    """Feed an XML document to `handler`, yielding its FileTexts as they are made; the first
    `counted` chunks were counted against the budget already.

    `quiet`: the parser checks the markup without calling into Python per element while
    no element of `handler.needed` has started. When one starts, the handler takes over from
    that chunk on if it would hold nothing of what came before: no `handler.remembers` element
    (a cell) has started since the last end of `handler.fresh_after` (sheetData), which the
    bytes tell only while every "<" starts a tag (no comment, CDATA, processing instruction or
    declaration so far). Else, and for a part in UTF-16 or with a tag name longer than
    _LONGEST_NAME, _StartAgain: the part is read again from its start with the handler. A tag
    cut between two chunks is seen: each search starts at the last "<" of the chunk before."""
    parser = _parser()

    local_names: dict[str, str] = {}
    starts, ends, stack = handler.starts, handler.ends, handler.stack if handler.uses_stack else None
    collecting_ends = handler.collecting_ends

    def local_name(name: str) -> str:
        local = local_names.get(name)
        if local is None:
            local = local_names[name] = _local(name)
        return local

    def start(name: str, attrs: dict) -> None:
        local = local_name(name)
        if stack is not None:
            stack.append(local)
        if starts is None or local in starts:
            if attrs and handler.local_attributes:
                attrs = {local_name(key): value for key, value in attrs.items()}
            handler.start(local, attrs)

    def end(name: str) -> None:
        local = local_name(name)   # its start may have been read quietly
        if ends is None or local in ends or (local in collecting_ends and handler._collecting is not None):
            handler.end(local)
        if stack is not None:
            stack.pop()

    def take_over() -> None:
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        handler.parser = parser
        handler.collecting = handler.collecting   # installs the character data handler, if any

    quiet = quiet and handler.needed is not None and stack is None
    if quiet:
        needed, fresh_after, remembered = handler.needed, handler.fresh_after, handler.remembers
        remembered_start = _tag_of(frozenset({remembered})) if remembered else None
        # holds_nothing: the handler, had it read the part so far, would hold nothing of it (no
        # `remembers` element started since the last end of `fresh_after`); plain: no comment,
        # CDATA, processing instruction or declaration so far, so every "<" starts a real tag
        tail, holds_nothing, plain = b"", True, True
    else:
        take_over()
    for index, chunk in enumerate(chunks):
        if index >= counted:
            budget.count(chunk.count(b"<"))
        if quiet:
            if b"\x00" in chunk:   # UTF-16: the tags are not the bytes searched for
                raise _StartAgain(index + 1)
            window = tail + chunk
            found = _first_tag(window, needed)
            stop = found.start() if found else len(window)
            if plain:
                markup = _markup_start(window, index == 0)
                plain = markup != -1 and not _holds(window, b"<!", markup, stop) \
                    and not _holds(window, b"<?", markup, stop)
            if plain and fresh_after is not None:
                ended = _last_end_tag(window, fresh_after, stop)
                if ended != -1 or holds_nothing:
                    holds_nothing = remembered_start.search(window, max(ended, 0), stop) is None
            if found:
                if not (plain and (fresh_after is None or holds_nothing)):
                    raise _StartAgain(index + 1)
                quiet = False
                take_over()
            else:
                cut = chunk.rfind(b"<")
                tail = chunk[cut:] if cut != -1 else tail + chunk if tail else b""
                if _NAME_ENDED.search(tail, 1):
                    tail = b""   # that tag's name is whole, and was searched
                elif len(tail) > _LONGEST_NAME:
                    raise _StartAgain(index + 1)
        parser.Parse(chunk, False)
        yield from handler.out
        handler.out.clear()
    parser.Parse(b"", True)
    handler.close()
    yield from handler.out
    handler.out.clear()


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    with archive.open(part) as stream:
        yield from iter(lambda: stream.read(_CHUNK), b"")


def _read_part(archive: zipfile.ZipFile, part: str, handler: _Handler, budget: _Budget, *,
               place: str = "other", sheet: str | None = None, free_text: bool = False) -> Iterator[FileText]:
    """The FileTexts `handler` makes of a part; a part that is not well-formed XML is read
    roughly instead, its texts at `place`."""
    try:
        try:
            yield from _parse(_chunks(archive, part), handler, budget, quiet=True)
        except _StartAgain as again:
            yield from _parse(_chunks(archive, part), handler, budget, again.counted)
    except expat.ExpatError:
        yield from _rough_texts(_chunks(archive, part), budget, place=place, sheet=sheet,
                                detail=part, free_text=free_text)


# A part's text between tags and its quoted attribute values, for markup that is not XML.
_ROUGH = re.compile(rb'"([^"<>]{1,4096})"|\'([^\'<>]{1,4096})\'|>([^<]{1,65536})<')


def _rough_texts(chunks: Iterator[bytes], budget: _Budget, **where) -> Iterator[FileText]:
    place = where.pop("place")

    def texts(markup: bytes) -> Iterator[FileText]:
        found = [next(group for group in match.groups() if group is not None)
                 for match in _ROUGH.finditer(markup)]
        budget.count(len(found))
        yield from _texts(place, "\n".join(html.unescape(piece.decode("utf-8", "replace")) for piece in found),
                          **where)

    pending = b""
    for chunk in chunks:
        pending += chunk
        cut = pending.rfind(b"<")   # a text between tags ends at a "<": read up to the last one
        if cut <= 0:
            if len(pending) < 1024 * 1024:
                continue
            cut = len(pending) - 1
        yield from texts(pending[:cut + 1])
        pending = pending[cut:]
    yield from texts(pending)


class _PlainHandler(_Handler):
    """Any part: its character data and attribute values, line by line, as one text."""

    def __init__(self, place: str, **where):
        super().__init__()
        self.place, self.where = place, where
        self.collecting = _Collector()

    def start(self, name, attrs):
        for value in attrs.values():
            self.collecting.add("\n" + value)
        self.collecting.add("\n")

    def end(self, name):
        self.collecting.add("\n")

    def close(self):
        for piece in self.collecting.take():
            self.out.append(FileText(self.place, piece, **self.where))


# ---------------------------------------------------------------------- text cleaning

# Sheet references in a formula (`'Toiminta 2025'!A1`, `Taul1!A1`, ODF `[$Taul1.A1]`): a
# tab's name is scanned where it stands, not again in every formula that points at it.
_SHEET_REFERENCE = re.compile(r"'(?:[^']|'')*'!|(?<![\w.\"])[^\W\d][\w.]*!|\[[^\]\"]*\]")
_STRING_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def formula_text(formula: str) -> str:
    """A formula as the guard reads it: sheet references dropped, and its string literals
    joined after it on a line of their own (`"040 123 "&"4567"` is one number)."""
    literals = [literal.replace('""', '"') for literal in _STRING_LITERAL.findall(formula)]
    text = _SHEET_REFERENCE.sub(" ", formula)
    return text + "\n" + "".join(literals) if len(literals) > 1 else text


# &L &C &R (sections), &P &N &D &T &A &F &Z &G (fields), &"font,style", &12 (size),
# &K color, &B &I &U &E &S &X &Y &O &H (styles); && is an ampersand.
_HEADER_CODE = re.compile(r'&(?:"[^"]*"|K(?:[0-9A-Fa-f]{6}|\d\d[+-]\d{3})|\d{1,3}|[LCRPNDTAFZGBIUESXYOH&])')


def header_footer_text(text: str) -> str:
    """An xlsx print header or footer without its formatting codes."""
    return _HEADER_CODE.sub(lambda code: "&" if code.group() == "&&" else "\n", text)


_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_xstring(text: str) -> str:
    """OOXML's `_x000D_` escapes of characters XML cannot hold."""
    return _XSTRING_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)


def _first_cell(reference: str | None) -> str | None:
    """"B4:C9 E1" → "B4"."""
    match = re.match(r"\$?([A-Za-z]{1,3})\$?(\d+)", (reference or "").strip())
    return f"{match[1].upper()}{match[2]}" if match else None


# ------------------------------------------------------------------------------- xlsx

_RELS_TYPES_READ_AS_SHEET_PARTS = ("comments", "threadedComment", "drawing", "vmlDrawing")


class _Relationships(_Handler):
    starts, ends, local_attributes = frozenset({"Relationship"}), frozenset(), False

    def __init__(self):
        super().__init__()
        self.targets: dict[str, tuple[str, str, bool]] = {}   # id -> (type, target, external)

    def start(self, name, attrs):
        if name == "Relationship" and "Id" in attrs:
            self.targets[attrs["Id"]] = (attrs.get("Type", "").rpartition("/")[2],
                                         attrs.get("Target", ""), attrs.get("TargetMode") == "External")


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


class _WorkbookHandler(_Handler):
    """xl/workbook.xml: sheet names and relationship ids, defined names, the rest plain."""

    def __init__(self):
        super().__init__()
        self.sheets: list[tuple[str, str]] = []     # (name, relationship id)
        self.plain = _Collector()
        self.name = None

    def start(self, name, attrs):
        if name == "sheet":
            self.sheets.append((attrs.get("name", ""), attrs.get("id", "")))
        elif name == "definedName":
            self.name = attrs.get("name", "")
            self.collecting = _Collector()
            for key in ("comment", "description", "help", "statusBar", "customMenu"):
                self.collecting.add("\n" + attrs.get(key, ""))
            self.collecting.add("\n")
        else:
            for value in attrs.values():
                self.plain.add("\n" + value)

    def end(self, name):
        if name == "definedName" and self.collecting is not None:
            text = "\n".join(self.collecting.take())
            self.emit("defined_name", self.name + "\n" + formula_text(text), detail=self.name)
            self.collecting = None

    def close(self):
        for piece in self.plain.take():
            self.out.append(FileText("other", piece, detail="xl/workbook.xml", free_text=False))


_HEADER_FOOTER = frozenset({"oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"})
# Sheet elements whose attributes are free text: what-if scenarios (name, user, comment),
# protected ranges, form controls, OLE objects, published items.
_SHEET_ATTRIBUTE_TEXTS = frozenset({"scenario", "protectedRange", "control", "oleObject",
                                    "webPublishItem", "customPr", "inputCells"})


class _SheetHandler(_Handler):
    """A worksheet part: formulas by cell, hyperlinks, headers and footers, data validations
    (also those in the x14 extension), conditional-formatting formulas, scenario texts."""

    _TEXTS = frozenset({"f", "formula", "formula1", "formula2", "sqref"}) | _HEADER_FOOTER
    starts = _TEXTS | _SHEET_ATTRIBUTE_TEXTS | {"c", "hyperlink", "dataValidation"}
    ends = _TEXTS | {"sheetData", "dataValidation"}
    local_attributes = False
    needed = starts - {"c"}
    fresh_after, remembers = "sheetData", "c"    # self.cell: set at a cell's start, cleared after sheetData

    def __init__(self, sheet: str, targets: dict, part: str):
        super().__init__()
        self.sheet, self.targets, self.part = sheet, targets, part
        self.cell = None
        self.used_targets: set[str] = set()
        self.validation: dict | None = None    # sqref and texts of the open dataValidation
        self.text_of: str | None = None        # the element whose text is being collected

    def start(self, name, attrs):
        if name == "c":
            self.cell = attrs.get("r")
        elif name in self._TEXTS:
            self.text_of, self.collecting = name, _Collector()
        elif name == "hyperlink":
            ident = _attribute(attrs, "id")
            target = self.targets.get(ident)
            if target:
                self.used_targets.add(ident)
            texts = [target[1] if target else "", attrs.get("location", ""), attrs.get("display", ""),
                     attrs.get("tooltip", "")]
            self.emit("hyperlink", "\n".join(texts), sheet=self.sheet, cell=_first_cell(attrs.get("ref")))
        elif name == "dataValidation":
            self.validation = {"sqref": attrs.get("sqref"), "texts": [
                attrs.get(key, "") for key in ("promptTitle", "prompt", "errorTitle", "error")]}
        elif name in _SHEET_ATTRIBUTE_TEXTS:
            self.emit("other", "\n".join(attrs.values()), sheet=self.sheet, detail=self.part)

    def end(self, name):
        if name == "sheetData":
            self.cell = None
        elif name == self.text_of:
            text = "\n".join(self.collecting.take())
            self.text_of, self.collecting = None, None
            if self.validation is not None:
                if name == "sqref":
                    self.validation["sqref"] = text
                else:
                    self.validation["texts"].append(formula_text(text))
            elif name in _HEADER_FOOTER:
                self.emit("header_footer", header_footer_text(text), sheet=self.sheet)
            elif name == "f" and self.cell:
                self.emit("formula", formula_text(text), sheet=self.sheet, cell=self.cell)
            elif name != "sqref":
                self.emit("formula", formula_text(text), sheet=self.sheet)
        elif name == "dataValidation" and self.validation is not None:
            self.emit("validation", "\n".join(self.validation["texts"]), sheet=self.sheet,
                      cell=_first_cell(self.validation["sqref"]))
            self.validation = None


class _CommentsHandler(_Handler):
    """xl/comments*.xml: each comment's text at its cell (without the "Author:" line Excel
    starts it with), and the authors."""

    starts = ends = frozenset({"author", "comment"})

    def __init__(self, sheet: str):
        super().__init__()
        self.sheet = sheet
        self.authors: list[str] = []
        self.ref = self.author = None
        self.in_phonetic = False

    def start(self, name, attrs):
        if name == "author":
            self.collecting = _Collector()
        elif name == "comment":
            self.ref = attrs.get("ref")
            index = attrs.get("authorId", "")
            self.author = self.authors[int(index)] if index.isdigit() and int(index) < len(self.authors) else ""
            self.collecting = _Collector()

    def end(self, name):
        if name == "author" and self.collecting is not None:
            self.authors.append("".join(self.collecting.take()))
            self.collecting = None
        elif name == "comment" and self.collecting is not None:
            text = "".join(self.collecting.take())
            if self.author and text.startswith(self.author + ":"):
                text = text[len(self.author) + 1:]
            self.emit("comment", _unescape_xstring(text), sheet=self.sheet, cell=_first_cell(self.ref))
            self.collecting = None

    def close(self):
        self.emit("comment_author", "\n".join(self.authors), free_text=False)


class _ThreadedCommentsHandler(_Handler):
    """xl/threadedComments/*.xml: each comment and reply at its cell."""

    def __init__(self, sheet: str):
        super().__init__()
        self.sheet = sheet
        self.ref = None

    def start(self, name, attrs):
        if name == "threadedComment":
            self.ref = attrs.get("ref")
        elif name == "text":
            self.collecting = _Collector()

    def end(self, name):
        if name == "text" and self.collecting is not None:
            self.emit("comment", "\n".join(self.collecting.take()), sheet=self.sheet, cell=_first_cell(self.ref))
            self.collecting = None


class _PersonsHandler(_Handler):
    """xl/persons/person.xml: the people of threaded comments (name, user id, e-mail)."""

    def start(self, name, attrs):
        if name == "person":
            self.emit("comment_author", "\n".join(attrs.get(key, "") for key in ("displayName", "userId")),
                      free_text=False)


class _DrawingHandler(_Handler):
    """xl/drawings/drawing*.xml: the text of each shape and its alternative text, at the
    cell its anchor starts from, and the charts it shows."""

    def __init__(self, sheet: str):
        super().__init__()
        self.sheet = sheet
        self.anchor = self.position = None
        self.texts = _Collector()
        self.charts: list[str] = []

    def start(self, name, attrs):
        if name in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"):
            self.anchor, self.texts = {}, _Collector()
        elif name == "from" and self.anchor is not None:
            self.position = self.anchor
        elif name in ("col", "row") and self.position is not None:
            self.collecting = _Collector()
        elif name == "t":
            self.collecting = self.texts
        elif name == "cNvPr":
            self.texts.add("\n" + "\n".join(attrs.get(key, "") for key in ("title", "descr")) + "\n")
        elif name == "chart" and "id" in attrs:
            self.charts.append(attrs["id"])

    def end(self, name):
        if name in ("col", "row") and self.position is not None and self.collecting is not None:
            self.position[name] = "".join(self.collecting.take()).strip()
            self.collecting = None
        elif name == "from":
            self.position = None
        elif name == "t":
            self.collecting = None
        elif name == "p":
            self.texts.add("\n")
        elif name in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"):
            cell = None
            if self.anchor and self.anchor.get("col", "").isdigit() and self.anchor.get("row", "").isdigit():
                cell = f"{column_letter(int(self.anchor['col']))}{int(self.anchor['row']) + 1}"
            for piece in self.texts.take():
                self.out.append(FileText("text_box", piece, sheet=self.sheet, cell=cell))
            self.anchor = None


class _ChartHandler(_Handler):
    """xl/charts/chart*.xml: titles, labels and the cached values of the cells it shows."""

    starts = ends = frozenset({"t", "v"})

    def __init__(self, sheet: str | None):
        super().__init__()
        self.sheet = sheet
        self.texts = _Collector()

    def start(self, name, attrs):
        if name in ("t", "v"):
            self.collecting = self.texts

    def end(self, name):
        if name in ("t", "v"):
            self.texts.add("\n")
            self.collecting = None

    def close(self):
        for piece in self.texts.take():
            self.out.append(FileText("chart", piece, sheet=self.sheet, free_text=False, repeats_cells=True))


class _SharedStringsHandler(_Handler):
    """xl/sharedStrings.xml: each string as calamine reads it (its runs joined), and its
    phonetic runs apart; both repeat what cells show, when a cell shows them."""

    starts, ends = frozenset({"si", "rPh", "t"}), frozenset({"si", "t"})

    def __init__(self):
        super().__init__()
        self.string = _Collector()
        self.phonetic = None

    def start(self, name, attrs):
        if name == "si":
            self.string, self.phonetic = _Collector(), None
        elif name == "rPh":
            self.phonetic = _Collector()
        elif name == "t":
            self.collecting = self.phonetic if self.phonetic is not None else self.string

    def end(self, name):
        if name == "t":
            self.collecting = None
        elif name == "si":
            for collector in (self.string, self.phonetic):
                if collector is not None:
                    for piece in collector.take():
                        self.out.append(FileText("shared_string", _unescape_xstring(piece),
                                                 free_text=False, repeats_cells=True))


class _StylesHandler(_Handler):
    """xl/styles.xml: custom number formats, which can show text in a cell."""

    starts, ends = frozenset({"numFmt"}), frozenset()

    def start(self, name, attrs):
        if name == "numFmt":
            self.emit("number_format", attrs.get("formatCode"), free_text=False)


# docProps/core.xml and app.xml elements that hold no text anyone typed
_DULL_PROPERTIES = frozenset({
    "created", "modified", "lastPrinted", "revision", "language", "Application", "AppVersion",
    "DocSecurity", "ScaleCrop", "LinksUpToDate", "SharedDoc", "HyperlinksChanged", "TotalTime",
    "Pages", "Words", "Characters", "Lines", "Paragraphs", "CharactersWithSpaces", "Properties",
    "coreProperties", "HeadingPairs", "TitlesOfParts", "vector", "variant", "lpstr", "i4",
})


class _PropertiesHandler(_Handler):
    """docProps/core.xml and app.xml: each property's text by its name (the sheet names of
    TitlesOfParts are read where they stand)."""

    uses_stack = True

    def start(self, name, attrs):
        if len(self.stack) == 2 and name not in _DULL_PROPERTIES:
            self.collecting = _Collector()

    def end(self, name):
        if len(self.stack) == 2 and self.collecting is not None:
            self.emit("properties", "\n".join(self.collecting.take()), detail=name, free_text=False)
            self.collecting = None


class _CustomPropertiesHandler(_Handler):
    """docProps/custom.xml: custom properties, each by its name."""

    def __init__(self):
        super().__init__()
        self.name = None

    def start(self, name, attrs):
        if name == "property":
            self.name = attrs.get("name", "")
            self.collecting = _Collector()

    def end(self, name):
        if name == "property" and self.collecting is not None:
            self.emit("properties", self.name + "\n" + "".join(self.collecting.take()),
                      detail=self.name, free_text=False)
            self.collecting = None


# Parts that hold no text: the theme, the calculation chain, the content types.
_XLSX_SKIPPED = re.compile(r"\[Content_Types\]\.xml|xl/theme/.*|xl/calcChain\.xml", re.IGNORECASE)
_XML_PART = re.compile(r".*\.(?:xml|rels|vml)", re.IGNORECASE)


class _XlsxReader:
    def __init__(self, archive: zipfile.ZipFile, budget: _Budget):
        self.archive, self.budget = archive, budget
        self.names = {info.filename for info in archive.infolist() if not info.is_dir()}
        self.done: set[str] = set()
        self.external: dict[str, list[str]] = {}       # rels part -> its unclaimed external targets

    def read(self, part: str, handler: _Handler, **rough) -> Iterator[FileText]:
        if part in self.names and part not in self.done:
            self.done.add(part)
            yield from _read_part(self.archive, part, handler, self.budget, **rough)

    def relationships(self, part: str) -> dict:
        rels = _rels_part(part)
        handler = _Relationships()
        if rels in self.names:
            for _ in self.read(rels, handler):
                pass
            self.external[rels] = [target for _, target, external in handler.targets.values() if external]
        return {ident: (kind, target if external else _resolve(part, target), external)
                for ident, (kind, target, external) in handler.targets.items()}

    def texts(self) -> Iterator[FileText]:
        book = "xl/workbook.xml"
        workbook = _WorkbookHandler()
        book_rels = self.relationships(book)
        yield from self.read(book, workbook)
        for name, _ in workbook.sheets:
            yield from _texts("sheet_name", name, sheet=name)
        for name, ident in workbook.sheets:
            kind, part, _ = book_rels.get(ident, ("", "", False))
            if part:
                yield from self.sheet(part, name)
        yield from self.read("xl/sharedStrings.xml", _SharedStringsHandler())
        yield from self.read("xl/styles.xml", _StylesHandler())
        yield from self.read("docProps/core.xml", _PropertiesHandler())
        yield from self.read("docProps/app.xml", _PropertiesHandler())
        yield from self.read("docProps/custom.xml", _CustomPropertiesHandler())
        for part in sorted(self.names):
            if part.startswith("xl/persons/"):
                yield from self.read(part, _PersonsHandler())
        for rels, targets in self.external.items():
            yield from _texts("link_target", "\n".join(targets), detail=rels, free_text=False)
        for part in sorted(self.names - self.done):
            if _XML_PART.fullmatch(part) and not _XLSX_SKIPPED.fullmatch(part):
                if part.lower().endswith(".vml"):
                    self.done.add(part)
                    yield from _rough_texts(_chunks(self.archive, part), self.budget, place="text_box",
                                            detail=part, free_text=False)
                else:
                    yield from self.read(part, _PlainHandler("other", detail=part, free_text=False))

    def sheet(self, part: str, name: str) -> Iterator[FileText]:
        rels = self.relationships(part)
        handler = _SheetHandler(name, {ident: (kind, target) for ident, (kind, target, _) in rels.items()}, part)
        yield from self.read(part, handler, sheet=name)
        claimed = {rels[ident][1] for ident in handler.used_targets}
        rels_part = _rels_part(part)
        self.external[rels_part] = [target for target in self.external.get(rels_part, []) if target not in claimed]
        for kind, target, external in rels.values():
            if external:
                continue
            if kind == "comments":
                yield from self.read(target, _CommentsHandler(name))
            elif kind == "threadedComment":
                yield from self.read(target, _ThreadedCommentsHandler(name))
            elif kind == "drawing":
                drawing = _DrawingHandler(name)
                drawing_rels = self.relationships(target)
                yield from self.read(target, drawing)
                for ident in drawing.charts:
                    chart = drawing_rels.get(ident)
                    if chart:
                        yield from self.read(chart[1], _ChartHandler(name))
            elif kind == "vmlDrawing" and target in self.names and target not in self.done:
                self.done.add(target)
                yield from _rough_texts(_chunks(self.archive, target), self.budget, place="text_box",
                                        sheet=name, free_text=False)


# -------------------------------------------------------------------------------- ods

_DRAW_TEXT_ELEMENTS = frozenset({"frame", "text-box", "custom-shape", "rect", "ellipse", "line",
                                 "polygon", "polyline", "path", "circle", "caption", "measure",
                                 "connector", "regular-polygon", "g"})


class _OdsContentHandler(_Handler):
    """content.xml: annotations, formulas, the text a cell shows when calamine reads another
    value (office:string-value, a number's or date's display, a covered cell), links, shapes
    and frames, form controls, named ranges and expressions, content validations, by sheet
    and cell."""

    uses_stack = True
    _FORM_CONTROLS = frozenset({
        "button", "textarea", "checkbox", "listbox", "combobox", "radio", "fixed-text", "formatted-text",
        "password", "file", "date", "time", "number", "value-range", "image", "image-frame", "grid",
        "hidden", "generic-control", "option", "item", "text", "frame"})
    _CELLS = frozenset({"table-cell", "covered-table-cell"})
    ends = frozenset({"table", "creator", "date", "annotation", "help-message", "error-message",
                      "content-validation", "text"}) | _CELLS | _DRAW_TEXT_ELEMENTS
    starts = ends | _FORM_CONTROLS | {"style", "table-row", "a", "object", "named-range", "named-expression"}
    collecting_ends = frozenset({"p"})

    def __init__(self):
        super().__init__()
        self.sheet = None
        self.tables = 0                     # depth of table:table
        self.row = self.current_row = self.column = 0
        self.position = None                # (column, row) of the open cell, 0-based
        self.table_styles: dict[str, str] = {}    # table style -> master page
        self.sheet_pages: dict[str, str] = {}     # sheet -> its table style
        self.objects: dict[str, str] = {}         # "Object 1" -> sheet
        self.validations: dict[str, list[str]] = {}
        self.validation = None
        self.validation_cells: dict[str, tuple[str | None, str | None]] = {}
        self.annotation = None                    # {"text", "author"} collectors of the open one
        self.in_author = self.in_date = False
        self.draw = 0
        self.draw_texts = _Collector()
        self.message = None                       # a validation's help or error message
        self.display = None                       # the text of a cell calamine reads otherwise

    @property
    def cell(self) -> str | None:
        return f"{column_letter(self.position[0])}{self.position[1] + 1}" if self.position else None

    def resume(self) -> None:
        """Collect the character data of the innermost thing being read."""
        if self.annotation is not None:
            self.collecting = None if self.in_date else self.annotation["author" if self.in_author else "text"]
        elif self.draw:
            self.collecting = self.draw_texts
        elif self.message is not None:
            self.collecting = self.message
        else:
            self.collecting = self.display

    def start(self, name, attrs):
        if name == "style" and attrs.get("family") == "table" and "master-page-name" in attrs:
            self.table_styles[attrs.get("name", "")] = attrs["master-page-name"]
        elif name == "table":
            self.tables += 1
            if self.tables == 1:
                self.sheet, self.row = attrs.get("name", ""), 0
                self.sheet_pages[self.sheet] = attrs.get("style-name", "")
        elif name == "table-row" and self.tables == 1:
            self.current_row = self.row
            self.row += int(attrs.get("number-rows-repeated", "1") or 1)
            self.column = 0
        elif name in self._CELLS and self.tables == 1:
            self.position = (self.column, self.current_row)
            self.column += int(attrs.get("number-columns-repeated", "1") or 1)
            if "formula" in attrs:
                self.emit("formula", formula_text(attrs["formula"]), sheet=self.sheet, cell=self.cell)
            if "content-validation-name" in attrs:
                self.validation_cells.setdefault(attrs["content-validation-name"], (self.sheet, self.cell))
            # calamine reads office:string-value, a number's or a date's value, when there is
            # one, and not the text the cell shows
            value_type = attrs.get("value-type", "string")
            if name == "covered-table-cell" or "string-value" in attrs or value_type != "string":
                self.display = _Collector()
                self.resume()
        elif name == "annotation":
            self.annotation = {"text": _Collector(), "author": _Collector()}
            self.resume()
        elif name in ("creator", "date") and self.annotation is not None:
            self.in_author, self.in_date = name == "creator", name == "date"
            self.resume()
        elif name == "a" and "href" in attrs:
            self.emit("hyperlink", "\n".join(attrs.get(key, "") for key in ("href", "title", "name")),
                      sheet=self.sheet, cell=self.cell if self.tables else None)
        elif name in _DRAW_TEXT_ELEMENTS and self.annotation is None:
            self.draw += 1
            if self.draw == 1:
                self.draw_texts = _Collector()
            self.resume()
        elif name == "object" and "href" in attrs:
            self.objects.setdefault(attrs["href"].removeprefix("./").rstrip("/"), self.sheet)
        elif len(self.stack) > 1 and self.stack[-2] == "form":
            self.emit("text_box", "\n".join(attrs.get(key, "") for key in ("label", "title", "value", "current-value")))
        elif name in ("named-range", "named-expression"):
            self.emit("defined_name", attrs.get("name", "") + "\n" + formula_text(attrs.get("expression", "")),
                      detail=attrs.get("name", ""))
        elif name == "content-validation":
            self.validation = attrs.get("name", "")
            self.validations[self.validation] = [formula_text(attrs.get("condition", ""))]
        elif name in ("help-message", "error-message") and self.validation is not None:
            self.validations[self.validation].append(attrs.get("title", ""))
            self.message = _Collector()
            self.resume()
        elif name == "text" and len(self.stack) > 1 and self.stack[-2].endswith("-style"):
            self.message = _Collector()   # a number format's literal text
            self.resume()

    def end(self, name):
        if name == "text" and len(self.stack) > 1 and self.stack[-2].endswith("-style") \
                and self.message is not None:
            self.emit("number_format", "".join(self.message.take()), free_text=False)
            self.message = None
            self.resume()
        elif name == "table":
            self.tables -= 1
            if self.tables == 0:
                self.sheet = None
        elif name in ("table-cell", "covered-table-cell") and self.tables == 1:
            if self.display is not None:
                text = "".join(self.display.take()).rstrip("\n")
                if name == "covered-table-cell" or re.search(r"[^\W\d_]|@", text):
                    self.emit("cell_text", text, sheet=self.sheet, cell=self.cell, repeats_cells=True)
                self.display = None
                self.resume()
            self.position = None
        elif name in ("creator", "date") and self.annotation is not None:
            self.in_author = self.in_date = False
            self.resume()
        elif name == "p" and self.collecting is not None:
            self.collecting.add("\n")
        elif name == "annotation" and self.annotation is not None:
            where = {"sheet": self.sheet, "cell": self.cell} if self.cell else {"sheet": self.sheet}
            for piece in self.annotation["text"].take():
                self.out.append(FileText("comment", piece, **where))
            self.emit("comment_author", "".join(self.annotation["author"].take()), free_text=False)
            self.annotation = None
            self.resume()
        elif name in _DRAW_TEXT_ELEMENTS and self.draw:
            self.draw -= 1
            if self.draw == 0:
                for piece in self.draw_texts.take():
                    self.out.append(FileText("text_box", piece, sheet=self.sheet,
                                             cell=self.cell if self.tables else None))
                self.resume()
        elif name in ("help-message", "error-message") and self.message is not None:
            self.validations[self.validation].append("\n".join(self.message.take()))
            self.message = None
            self.resume()
        elif name == "content-validation":
            self.validation = None

    def close(self):
        for name, texts in self.validations.items():
            sheet, cell = self.validation_cells.get(name, (None, None))
            self.emit("validation", "\n".join(texts), sheet=sheet, cell=cell)

    def page_sheets(self) -> dict[str, str]:
        """Master page -> the first sheet printed with it."""
        pages = {}
        for sheet, style in self.sheet_pages.items():
            page = self.table_styles.get(style)
            if page:
                pages.setdefault(page, sheet)
        return pages


class _OdsStylesHandler(_Handler):
    """styles.xml: the headers and footers of master pages, on the sheet printed with them,
    and number formats' literal text."""

    HEADERS = frozenset({"header", "header-left", "header-first", "footer", "footer-left", "footer-first"})
    uses_stack = True

    def __init__(self, page_sheets: dict[str, str]):
        super().__init__()
        self.page_sheets = page_sheets
        self.page = None

    def start(self, name, attrs):
        if name == "master-page":
            self.page = attrs.get("name", "")
        elif name in self.HEADERS and self.page is not None:
            self.collecting = _Collector()
        elif name == "text" and self.stack[-2:-1] and self.stack[-2].endswith("-style"):
            self.collecting = _Collector()

    def end(self, name):
        if name in self.HEADERS and self.collecting is not None:
            sheet = self.page_sheets.get(self.page)
            where = {"sheet": sheet} if sheet else {"detail": self.page}
            self.emit("header_footer", "".join(self.collecting.take()), **where)
            self.collecting = None
        elif name == "p" and self.collecting is not None:
            self.collecting.add("\n")
        elif name == "text" and self.collecting is not None and self.page is None:
            self.emit("number_format", "".join(self.collecting.take()), free_text=False)
            self.collecting = None
        elif name == "master-page":
            self.page = None


_ODS_DULL_META = frozenset({"meta", "document-meta", "generator", "creation-date", "date",
                            "editing-cycles", "editing-duration", "document-statistic", "language",
                            "print-date"})


class _OdsMetaHandler(_Handler):
    """meta.xml: each document property by its name, user-defined ones by theirs."""

    def __init__(self):
        super().__init__()
        self.name = None

    def start(self, name, attrs):
        if name in _ODS_DULL_META:
            return
        self.name = attrs.get("name", name) if name == "user-defined" else name
        self.collecting = _Collector()
        for key in ("href", "title"):
            if key in attrs:
                self.collecting.add(attrs[key] + "\n")

    def end(self, name):
        if self.collecting is not None and name not in _ODS_DULL_META:
            text = "".join(self.collecting.take())
            if name == "user-defined":
                text = self.name + "\n" + text
            self.emit("properties", text, detail=self.name, free_text=False)
            self.collecting = None


_ODS_SKIPPED = re.compile(r"mimetype|META-INF/manifest\.xml", re.IGNORECASE)


class _OdsReader:
    def __init__(self, archive: zipfile.ZipFile, budget: _Budget):
        self.archive, self.budget = archive, budget
        self.names = {info.filename for info in archive.infolist() if not info.is_dir()}

    def texts(self) -> Iterator[FileText]:
        content = _OdsContentHandler()
        yield from _read_part(self.archive, "content.xml", content, self.budget)
        for name in content.sheet_pages:
            yield from _texts("sheet_name", name, sheet=name)
        done = {"content.xml"}
        if "styles.xml" in self.names:
            done.add("styles.xml")
            yield from _read_part(self.archive, "styles.xml", _OdsStylesHandler(content.page_sheets()), self.budget)
        if "meta.xml" in self.names:
            done.add("meta.xml")
            yield from _read_part(self.archive, "meta.xml", _OdsMetaHandler(), self.budget)
        for part in sorted(self.names - done):
            if not _XML_PART.fullmatch(part) or _ODS_SKIPPED.fullmatch(part):
                continue
            folder = part.split("/", 1)[0]
            if folder in content.objects and part.endswith("content.xml"):
                handler = _PlainHandler("chart", sheet=content.objects[folder], free_text=False,
                                        repeats_cells=True)
            else:
                handler = _PlainHandler("other", detail=part, free_text=False)
            yield from _read_part(self.archive, part, handler, self.budget)


# -------------------------------------------------------------------------------- xls

_NAME, _FORMULA, _HEADER, _FOOTER, _NOTE, _OBJ = 0x0018, 0x0006, 0x0014, 0x0015, 0x001C, 0x005D
_TXO, _CONTINUE, _DV, _HLINK, _HLINK_TOOLTIP = 0x01B6, 0x003C, 0x01BE, 0x01B8, 0x0800
_SHRFMLA, _ARRAY, _HEADER_FOOTER_RECORD = 0x04BC, 0x0221, 0x089C
# Records whose bytes are pictures, drawings or numbers: random bytes there would read as text.
_BINARY_RECORDS = frozenset({
    0x00EB, 0x00EC, 0x00ED, 0x007F, 0x00E9,           # MSODRAWINGGROUP, MSODRAWING(SELECTION), IMDATA, BITMAP
    0x0203, 0x027E, 0x00BD, 0x0201, 0x00BE, 0x0205,   # NUMBER, RK, MULRK, BLANK, MULBLANK, BOOLERR
    0x0208, 0x020B, 0x00D7, 0x0200, 0x0809, 0x000A,   # ROW, INDEX, DBCELL, DIMENSIONS, BOF, EOF
    0x00E0, 0x0092,                                   # XF, PALETTE
})
_NOTE_OBJECT = 0x19
_LATIN1_RUN = re.compile(rb"[\x20-\x7e\xa0-\xff]{4,}")
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e\xa0-\xff]\x00|[\x07\x09\x10-\x15\x2f]\x20|\x12\x22){4,}")
_SUMMARY_NAMES = {2: "title", 3: "subject", 4: "creator", 5: "keywords", 6: "description",
                  7: "template", 8: "lastModifiedBy"}
_DOCUMENT_SUMMARY_NAMES = {2: "category", 14: "manager", 15: "company", 26: "contentType", 27: "contentStatus"}


def _xls_texts(data: bytes, budget: _Budget) -> Iterator[FileText]:
    stream = _cfb_stream(data, ("Workbook", "Book", "WORKBOOK", "BOOK"))
    if stream is not None:
        yield from biff_texts(stream, budget)
    for name, names in (("\x05SummaryInformation", _SUMMARY_NAMES),
                        ("\x05DocumentSummaryInformation", _DOCUMENT_SUMMARY_NAMES)):
        try:
            properties = _cfb_stream(data, (name,))
        except (_Damaged, struct.error, IndexError, ValueError):
            continue   # the raw scan of the Workbook stream is all there is, then
        if properties:
            yield from property_set_texts(properties, names)


def string_runs(data: bytes) -> list[str]:
    """The runs of printable text in bytes, as Latin-1 and as UTF-16."""
    runs = [run.decode("latin-1") for run in _LATIN1_RUN.findall(data)]
    runs += [run.decode("utf-16-le") for run in _UTF16_RUN.findall(data)]
    return runs


def _unicode_string(data: bytes, offset: int, length_bytes: int = 2) -> tuple[str, int]:
    """A BIFF8 XLUnicodeString (or ShortXLUnicodeString, `length_bytes` 1) at `offset`: the
    text and the offset after it."""
    count = data[offset] if length_bytes == 1 else struct.unpack_from("<H", data, offset)[0]
    flags = data[offset + length_bytes]
    start = offset + length_bytes + 1
    size = count * (2 if flags & 1 else 1)
    raw = data[start:start + size]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace"), start + size


def _string_literals(tokens: bytes) -> list[str]:
    """The string constants (ptgStr) of a parsed BIFF8 formula, found by their shape."""
    literals, index = [], 0
    while True:
        index = tokens.find(b"\x17", index)
        if index < 0 or index + 3 > len(tokens):
            return literals
        count, flags = tokens[index + 1], tokens[index + 2]
        end = index + 3 + count * (2 if flags & 1 else 1)
        if flags in (0, 1) and end <= len(tokens):
            literals.append(tokens[index + 3:end].decode("utf-16-le" if flags else "latin-1", "replace"))
            index = end
        else:
            index += 1


def _formula_literals(tokens: bytes) -> str:
    literals = _string_literals(tokens)
    return "\n".join(literals) + ("\n" + "".join(literals) if len(literals) > 1 else "")


def _cell(row: int, column: int) -> str:
    return f"{column_letter(column)}{row + 1}"


def biff_texts(stream: bytes, budget: _Budget) -> Iterator[FileText]:
    """The texts of a BIFF8 Workbook stream (see the module docstring)."""
    sheets, raw = [], _RawScan()
    for kind, start, length in _biff_records(stream, 0):
        budget.count()
        record = stream[start:start + length]
        raw.add(kind, record)
        try:
            if kind == _BIFF_BOUNDSHEET and length >= 8:
                name = _unicode_string(record, 6, length_bytes=1)[0]
                sheets.append((struct.unpack_from("<I", record)[0], name))
                yield from _texts("sheet_name", name, sheet=name)
            elif kind == _NAME and length >= 15:
                yield from _name_texts(record)
        except (struct.error, IndexError):
            pass   # the raw scan reads it
        if kind == _BIFF_EOF:
            break
    yield from raw.take()
    for position, name in sheets:
        yield from _sheet_texts(stream, position, name, budget, raw)
        yield from raw.take()
    yield from raw.take(final=True)


def _name_texts(record: bytes) -> Iterator[FileText]:
    flags, count, size = struct.unpack_from("<H", record)[0], record[3], struct.unpack_from("<H", record, 4)[0]
    high = record[14] & 1
    end = 15 + count * (2 if high else 1)
    name = "" if flags & 0x20 else record[15:end].decode("utf-16-le" if high else "latin-1", "replace")
    literals = _formula_literals(record[end:end + size])
    yield from _texts("defined_name", (name + "\n" + literals).strip(), detail=name or None)


def _sheet_texts(stream: bytes, position: int, sheet: str, budget: _Budget, raw: "_RawScan") -> Iterator[FileText]:
    depth, seen_bof = 0, False
    objects: dict[int, str] = {}           # object id -> its TXO text
    object_id = object_type = None
    txo = None                             # [object id, object type, characters left, pieces]
    notes = []
    for kind, start, length in _biff_records(stream, position):
        budget.count()
        record = stream[start:start + length]
        if depth:   # an embedded chart: read by the raw scan only
            raw.add(kind, record)
            depth += (kind == _BIFF_BOF) - (kind == _BIFF_EOF)
            continue
        if kind == _BIFF_BOF:
            depth, seen_bof = (1, True) if seen_bof else (0, True)
            continue
        if kind == _BIFF_EOF:
            break
        raw.add(kind, record)
        try:
            if kind == _CONTINUE and txo is not None:
                text, count = _continued_text(record, txo[2])
                txo[2] -= count
                txo[3].append(text)
                if txo[2] <= 0:
                    objects[txo[0]] = "".join(txo[3])
                    txo = None
                continue
            txo = None
            if kind == _OBJ and length >= 8 and struct.unpack_from("<H", record)[0] == 0x15:
                object_type, object_id = struct.unpack_from("<HH", record, 4)
            elif kind == _TXO and length >= 14:
                count = struct.unpack_from("<H", record, 10)[0]
                if count:
                    txo = [object_id, object_type, count, []]
                else:
                    objects[object_id] = ""
            elif kind == _NOTE and length >= 11:
                row, column, _, ident = struct.unpack_from("<HHHH", record)
                author = _unicode_string(record, 8)[0] if length >= 11 else ""
                notes.append((_cell(row, column), ident, author))
            elif kind in (_HEADER, _FOOTER) and length >= 3:
                yield from _texts("header_footer", header_footer_text(_unicode_string(record, 0)[0]), sheet=sheet)
            elif kind == _HEADER_FOOTER_RECORD:
                yield from _texts("header_footer", "\n".join(string_runs(record)), sheet=sheet)
            elif kind == _FORMULA and length >= 22:
                row, column = struct.unpack_from("<HH", record)
                size = struct.unpack_from("<H", record, 20)[0]
                yield from _texts("formula", _formula_literals(record[22:22 + size]), sheet=sheet,
                                  cell=_cell(row, column))
            elif kind in (_SHRFMLA, _ARRAY):
                yield from _texts("formula", _formula_literals(record[8:]), sheet=sheet)
            elif kind == _DV and length >= 16:
                yield from _validation_texts(record, sheet)
            elif kind == _HLINK and length >= 8:
                row, _, column, _ = struct.unpack_from("<HHHH", record)
                yield from _texts("hyperlink", "\n".join(string_runs(record[8:])), sheet=sheet, cell=_cell(row, column))
            elif kind == _HLINK_TOOLTIP and length >= 10:
                row, _, column, _ = struct.unpack_from("<HHHH", record, 2)
                yield from _texts("hyperlink", record[10:].decode("utf-16-le", "replace").rstrip("\0"),
                                  sheet=sheet, cell=_cell(row, column))
        except (struct.error, IndexError, UnicodeDecodeError):
            continue   # a record shorter than it says: the raw scan reads it
    noted = set()
    for cell, ident, author in notes:
        noted.add(ident)
        yield from _texts("comment", objects.get(ident, ""), sheet=sheet, cell=cell)
        yield from _texts("comment_author", author, free_text=False)
    for ident, text in objects.items():
        if ident not in noted:
            yield from _texts("text_box", text, sheet=sheet)


def _continued_text(record: bytes, wanted: int) -> tuple[str, int]:
    """The characters of a TXO text in a CONTINUE record: a flags byte, then Latin-1 or UTF-16."""
    if not record:
        return "", 0
    if record[0] & 1:
        text = record[1:1 + 2 * wanted].decode("utf-16-le", "replace")
    else:
        text = record[1:1 + wanted].decode("latin-1")
    return text, len(text)


def _validation_texts(record: bytes, sheet: str) -> Iterator[FileText]:
    """A DV record: prompt title, error title, prompt, error, the two formulas' literals, at
    the first cell it applies to."""
    offset, texts = 4, []
    for _ in range(4):
        text, offset = _unicode_string(record, offset)
        texts.append(text.rstrip("\0"))
    for _ in range(2):
        size = struct.unpack_from("<H", record, offset)[0]
        formula = record[offset + 4:offset + 4 + size]
        texts.append(_formula_literals(formula) or "\n".join(string_runs(formula)))
        offset += 4 + size
    cell = None
    if struct.unpack_from("<H", record, offset)[0]:
        row, _, column, _ = struct.unpack_from("<HHHH", record, offset + 2)
        cell = _cell(row, column)
    yield from _texts("validation", "\n".join(texts), sheet=sheet, cell=cell)


class _RawScan:
    """The raw scan of BIFF records: their printable runs, a piece at a time."""

    def __init__(self):
        self.buffer = bytearray()
        self.previous = None

    def add(self, kind: int, record: bytes) -> None:
        if kind == _CONTINUE:
            kind = self.previous   # a CONTINUE holds more of the record before it
        else:
            self.previous = kind
        if kind not in _BINARY_RECORDS:
            self.buffer += record
            self.buffer += b"\0\0\0"

    def take(self, final: bool = False) -> Iterator[FileText]:
        if len(self.buffer) < 1024 * 1024 and not final:
            return
        text = "\n".join(string_runs(bytes(self.buffer)))
        self.buffer.clear()
        yield from _texts("xls_stream", text, free_text=False, repeats_cells=True)


def property_set_texts(stream: bytes, names: dict[int, str]) -> Iterator[FileText]:
    """The string properties of an OLE property set stream (SummaryInformation,
    DocumentSummaryInformation with its custom properties), each by its name."""
    try:
        if struct.unpack_from("<H", stream)[0] != 0xFFFE:
            return
        count = struct.unpack_from("<I", stream, 24)[0]
        for index in range(min(count, 2)):
            offset = struct.unpack_from("<I", stream, 28 + 20 * index + 16)[0]
            yield from _property_section(stream, offset, names if index == 0 else {})
    except (struct.error, IndexError):
        return


def _property_section(stream: bytes, base: int, names: dict[int, str]) -> Iterator[FileText]:
    count = struct.unpack_from("<I", stream, base + 4)[0]
    entries = [struct.unpack_from("<II", stream, base + 8 + 8 * index) for index in range(min(count, 4096))]
    code_page = 1252
    for ident, offset in entries:
        if ident == 1 and struct.unpack_from("<H", stream, base + offset)[0] == 2:
            code_page = struct.unpack_from("<h", stream, base + offset + 4)[0] & 0xFFFF
    encoding = {1200: "utf-16-le", 65001: "utf-8"}.get(code_page, f"cp{code_page}")
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    dictionary = {}
    for ident, offset in entries:
        if ident == 0:
            dictionary = _property_dictionary(stream, base + offset, encoding)
    names = {**names, **dictionary}
    for ident, offset in entries:
        if ident in (0, 1, 18):   # the dictionary, the code page, the application's name
            continue
        kind = struct.unpack_from("<H", stream, base + offset)[0]
        value = base + offset + 4
        if kind == 0x1E:      # VT_LPSTR
            size = struct.unpack_from("<I", stream, value)[0]
            text = stream[value + 4:value + 4 + size].decode(encoding, "replace")
        elif kind == 0x1F:    # VT_LPWSTR
            size = struct.unpack_from("<I", stream, value)[0]
            text = stream[value + 4:value + 4 + 2 * size].decode("utf-16-le", "replace")
        else:
            continue
        name = names.get(ident, str(ident))
        text = text.rstrip("\0")
        if ident in dictionary:
            text = f"{name}\n{text}"
        yield from _texts("properties", text, detail=name, free_text=False)


def _property_dictionary(stream: bytes, offset: int, encoding: str) -> dict[int, str]:
    """The names of custom properties: the dictionary (property 0) of their section."""
    count = struct.unpack_from("<I", stream, offset)[0]
    names, position = {}, offset + 4
    for _ in range(min(count, 4096)):
        ident, size = struct.unpack_from("<II", stream, position)
        position += 8
        if encoding == "utf-16-le":
            raw = stream[position:position + 2 * size]
            position += 2 * size + (2 * size) % 4
        else:
            raw = stream[position:position + size]
            position += size
        names[ident] = raw.decode(encoding, "replace").rstrip("\0")
    return names
