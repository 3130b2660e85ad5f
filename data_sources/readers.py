"""Turn an uploaded file's bytes into RawSheets: cells as the user sees them, at their true
spreadsheet row and column, before any interpretation."""

import csv
import io
from pathlib import PurePath

import python_calamine

from data_sources.file_safety import check_file, decode_text
from data_sources.problems import Problem
from data_sources.raw import RawSheet

DELIMITERS = (";", ",", "\t")  # in order of preference when tied: Finnish Excel writes ';'
_SNIFF_RECORDS = 20


def read_file(file_name: str, data: bytes, settings) -> tuple[list[RawSheet], str | None, list[Problem]]:
    """The sheets of an uploaded file, its real type and its file-level errors; never raises
    for bad content."""
    file_type, problems = check_file(file_name, data, settings)
    if problems:
        return [], file_type, problems
    try:
        return read_workbook(file_name, data, file_type), file_type, []
    except python_calamine.PasswordError:
        return [], file_type, [Problem("unreadable_file", value=file_name, params={"reason": "password"})]
    except BaseException as error:  # noqa: BLE001 - a Rust panic arrives as a BaseException
        if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
            raise
        return [], file_type, [Problem("unreadable_file", value=file_name, params={"reason": "damaged"})]


def read_workbook(file_name: str, data: bytes, file_type: str) -> list[RawSheet]:
    """Every sheet of a file that check_file passed, hidden ones included (personal data
    may hide there)."""
    if file_type == "csv":
        return [read_csv(file_name, data)]
    sheets = []
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            sheets.append(RawSheet(name=name, rows=_grid(sheet)))
    return sheets


def _grid(sheet) -> list[list]:
    """A calamine sheet's cells, padded so that rows[i][j] is spreadsheet cell (i+1, j+1).

    calamine's used range starts at the first non-empty cell; the padding is done here
    rather than with to_python(skip_empty_area=False) so that the row numbers do not depend
    on how each format's reader interprets that flag.
    """
    if sheet.start is None:
        return []
    first_row, first_col = sheet.start
    rows = [[None] * (first_col + sheet.width) for _ in range(first_row)]
    for values in sheet.to_python(skip_empty_area=True):
        rows.append([None] * first_col + [_clean(value) for value in values])
    return rows


def _clean(value):
    """A cell value with blanks (empty or only spaces) as None; everything else kept as read."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def read_csv(file_name: str, data: bytes) -> RawSheet:
    """A CSV file as one RawSheet named after the file; every cell a str or None."""
    text = decode_text(data)
    if text is None:
        raise ValueError("not a text file")
    lines = text.splitlines()
    delimiter = None
    # Excel's "sep=;" first line chooses the delimiter; Excel hides that line, so row numbers
    # count from the line after it, as the user sees them.
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    delimiter = delimiter or detect_delimiter(text)
    rows = [[_clean(cell) for cell in record]
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    width = max((len(row) for row in rows), default=0)
    rows = [row + [None] * (width - len(row)) for row in rows]
    return RawSheet(name=PurePath(file_name).stem, rows=rows)


def detect_delimiter(text: str) -> str:
    """`;`, `,` or tab: the one the header record holds and the following records repeat.

    A count outside quotes per record is more reliable than csv.Sniffer, which is misled by
    decimal commas (`12,5`) in a `;` file.
    """
    records = [counts for counts in _delimiter_counts(text) if any(counts.values())][:_SNIFF_RECORDS]
    if not records:
        return DELIMITERS[0]
    header, rest = records[0], records[1:]

    def score(delimiter: str) -> tuple:
        expected = header[delimiter]
        if expected == 0:
            return (0, 0, 0)
        same = sum(1 for counts in rest if counts[delimiter] == expected)
        consistency = same / len(rest) if rest else 1.0
        return (1, consistency, expected)

    return max(DELIMITERS, key=lambda d: (*score(d), -DELIMITERS.index(d)))


def _delimiter_counts(text: str):
    """Per record (a quoted line break does not end one), how often each delimiter occurs
    outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for position, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in counts:
            counts[char] += 1
        elif char == "\n":
            yield counts
            counts = dict.fromkeys(DELIMITERS, 0)
            if position > 200_000:
                return  # enough to judge; the rest of a large file adds nothing
    yield counts
