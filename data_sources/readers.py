"""Turn an uploaded file's bytes into RawSheets: cells as the user sees them, at their true
spreadsheet row and column, before any interpretation.

No reader holds more than the grid limits allow (file_safety.GridBudget): a workbook's sheets
are counted before calamine opens it and checked again before they become Python lists, a
CSV's records as they are read.
"""

import csv
import io
import itertools
import re
from pathlib import PurePath

import python_calamine

from data_sources.file_safety import GridBudget, LimitExceeded, check_file, decode_text, grid_problem
from data_sources.problems import Problem
from data_sources.raw import RawSheet

DELIMITERS = (";", ",", "\t")  # in order of preference when tied: Finnish Excel writes ';'
_SNIFF_RECORDS = 20
# csv.reader makes a list of a whole record before its length can be checked; a record of
# more text than this with more delimiters than max_columns is refused without being split
# (below it, the list is at most a million references, 8 MB, and is counted exactly).
_LONG_RECORD_CHARS = 1024 * 1024


def read_file(file_name: str, data: bytes, settings) -> tuple[list[RawSheet], str | None, list[Problem]]:
    """The sheets of an uploaded file, its real type and its file-level errors; never raises
    for bad content."""
    file_type, problems = check_file(file_name, data, settings)
    if problems:
        return [], file_type, problems
    sheets, problems = read_checked(file_name, data, file_type, settings)
    return sheets, file_type, problems


def read_checked(file_name: str, data: bytes, file_type: str, settings) -> tuple[list[RawSheet], list[Problem]]:
    """The sheets of a file that check_file passed as `file_type`, or its file-level errors;
    never raises for bad content."""
    try:
        return read_workbook(file_name, data, file_type, settings), []
    except LimitExceeded as exceeded:
        return [], [exceeded.problem]
    except python_calamine.PasswordError:
        return [], [Problem("unreadable_file", value=file_name, params={"reason": "password"})]
    except BaseException as error:
        if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
            raise
        return [], [Problem("unreadable_file", value=file_name, params={"reason": "damaged"})]


def read_workbook(file_name: str, data: bytes, file_type: str, settings) -> list[RawSheet]:
    """Every sheet of a file that check_file passed, hidden ones included (personal data
    may hide there). Raises LimitExceeded for a grid over the limits."""
    if file_type == "csv":
        return [read_csv(file_name, data, settings)]
    sheets = []
    budget = GridBudget(file_name, settings)
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            # check_file counted this grid from the file's markup; what calamine made of it is
            # counted again before it becomes Python lists, in case the two readings differ
            budget.open_tab(name)
            if sheet.start is not None:
                budget.reach(sheet.start[0] + sheet.height, sheet.start[1] + sheet.width)
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
    rows += _cleaned_rows(sheet.to_python(skip_empty_area=True), [None] * first_col)
    return rows


def _cleaned(values: list) -> list:
    """The values with blanks (empty or only spaces) as None; everything else kept as read."""
    return [None if isinstance(value, str) and not value.strip() else value for value in values]


def _cleaned_rows(records: list[list], padding: list | None = None) -> list[list]:
    """Each record _cleaned, after `padding`: the blank texts of all the records are found
    once among their distinct values, and a record that holds none of them is kept as the
    list it is (the records are the caller's own, fresh from a reader), so that only a
    record with a blank cell is built again."""
    try:
        distinct = set(itertools.chain.from_iterable(records))
    except TypeError:   # a value that cannot be told apart in a set: each record on its own
        return [(padding or []) + _cleaned(record) for record in records]
    blanks = {value: None for value in distinct if isinstance(value, str) and not value.strip()}
    keys, blank = blanks.keys(), blanks.get
    cleaned = [record if keys.isdisjoint(record) else list(map(blank, record, record)) for record in records]
    return [padding + record for record in cleaned] if padding else cleaned


def read_csv(file_name: str, data: bytes, settings) -> RawSheet:
    """A CSV file as one RawSheet named after the file; every cell a str or None. Raises
    LimitExceeded as soon as the records read pass a grid limit: every record is a row (a
    blank line too), and the grid is as wide as the widest record."""
    text = decode_text(data)
    if text is None:
        raise ValueError("not a text file")
    line_end = text.find("\n")
    first_line = (text if line_end == -1 else text[:line_end]).strip()
    delimiter = None
    # Excel's "sep=;" first line chooses the delimiter; Excel hides that line, so row numbers
    # count from the line after it, as the user sees them.
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter = first_line[4]
        text = "" if line_end == -1 else text[line_end + 1:]
    delimiter = delimiter or detect_delimiter(text)
    name = PurePath(file_name).stem
    budget = GridBudget(file_name, settings, in_csv=True)
    budget.open_tab(name)
    rows = _records_at_once(text, delimiter, settings, budget)
    if rows is None:
        budget = GridBudget(file_name, settings, in_csv=True)
        budget.open_tab(name)
        rows = _records_line_by_line(text, delimiter, settings, budget)
    for row in rows:
        if len(row) < budget.columns:
            row.extend([None] * (budget.columns - len(row)))
    return RawSheet(name=name, rows=rows, is_csv=True)


def _records_line_by_line(text: str, delimiter: str, settings, budget: GridBudget) -> list[list]:
    """The cleaned records of a CSV text, each line checked as it is read (_GuardedLines) and
    each record counted against the budget; raises LimitExceeded at the first limit passed."""
    lines = _GuardedLines(text, delimiter, settings, budget)
    rows = []
    for record in csv.reader(lines, delimiter=delimiter):
        lines.record_done()
        budget.reach(len(rows) + 1, len(record))
        rows.append(_cleaned(record))
    return rows


# Line breaks of str.splitlines other than those csv.reader takes (\r\n, \r, \n).
_OTHER_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _records_at_once(text: str, delimiter: str, settings, budget: GridBudget) -> list[list] | None:
    """What _records_line_by_line gives, read without a check per line, for a text whose checks
    could not refuse it: no more lines than there may be cells, no record of more than
    _LONG_RECORD_CHARS, and a grid within the limits (the limits only grow harder to meet as
    records are read, so the whole grid passing is every record passing). None for any other
    text, and for one csv.reader fails on: it is read line by line, which says exactly where
    and why it is refused."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    lines = ends + (1 if text and text[-1] not in "\r\n" else 0)
    if lines > settings.max_cells or len(text) > lines * min(csv.field_size_limit(), _LONG_RECORD_CHARS):
        return None   # told before a list of them is made: too many, or one surely too long
    # the lines _LINE finds: str.splitlines finds them quicker, unless a text holds another of
    # the characters it breaks lines at
    plain_breaks = not any(char in text for char in _OTHER_LINE_BREAKS)
    if plain_breaks and '"' not in text:
        # without a quote a record is its line split at the delimiter (csv.reader: an empty
        # line is an empty record), unless a field may be longer than csv.reader takes
        lines = text.splitlines()
        longest = max(map(len, lines), default=0) + 2   # with its line ending
        if longest > csv.field_size_limit():
            return None
        records = [line.split(delimiter) if line else [] for line in lines]
    else:
        lines = text.splitlines(keepends=True) if plain_breaks else _LINE.findall(text)
        try:
            records = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            return None
        longest = max(map(len, lines), default=0)
    # every record one line (a record is never fewer lines), so no record is longer than a line
    if len(text) > _LONG_RECORD_CHARS and (len(records) != len(lines) or longest > _LONG_RECORD_CHARS):
        return None
    if records:
        try:
            budget.reach(len(records), max(map(len, records)))
        except LimitExceeded:
            return None
    return _cleaned_rows(records)


# A line with its ending (\r\n, \r or \n, as csv.reader takes them), or a last line without one.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class _GuardedLines:
    """The lines of a CSV text for csv.reader (without a copy of the text, which io.StringIO
    would hold at four bytes a character), refusing a record that would become a list too long
    to build before its length is known (see _LONG_RECORD_CHARS), and more lines than there
    may be cells: each line is a row or a line break inside a cell, and a flood of line
    breaks inside one quoted cell is otherwise never more than one row."""

    def __init__(self, text: str, delimiter: str, settings, budget: GridBudget):
        self.lines = _LINE.finditer(text)
        self.delimiter, self.settings, self.budget = delimiter, settings, budget
        self.count = 0
        self.chars = self.delimiters = 0   # of the record being read

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines).group()
        self.count += 1
        if self.count > self.settings.max_cells:
            raise LimitExceeded(grid_problem(
                self.budget.file_name, "too_many_lines", self.settings.max_cells, self.budget.tab, in_csv=True))
        self.chars += len(line)
        self.delimiters += line.count(self.delimiter)
        if self.chars > _LONG_RECORD_CHARS and self.delimiters >= self.settings.max_columns:
            self.budget.reach(self.budget.rows + 1, self.delimiters + 1)
        return line

    def record_done(self) -> None:
        self.chars = self.delimiters = 0


def detect_delimiter(text: str) -> str:
    """`;`, `,` or tab: the one the header record holds and the following records repeat.

    A count outside quotes per record is more reliable than csv.Sniffer, which is misled by
    decimal commas (`12,5`) in a `;` file.
    """
    records = list(itertools.islice(
        (counts for counts in _delimiter_counts(text) if any(counts.values())), _SNIFF_RECORDS))
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
    # a million characters at most, even when no record ends within them
    for position, char in enumerate(itertools.islice(text, 1_000_000)):
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
