"""Checking the tabs of an upload against the data contract and turning them into canonical
rows (shared/spec/data-contract.md).

Every problem is collected, none stops the check, so the user sees them all at once.
Problems carry params besides the Problem fields: `tab`, the tab's name as the user wrote
it (several tabs may be of one kind); `hint_key`, the [problem_hint] key chosen; and
`hint`, that sentence filled in for each language ({"fi": …, "sv": …, "en": …}), which
the messages of i18n/<lang>/problems.toml use as `{hint[fi]}`, `{hint[sv]}`, `{hint[en]}`.
The hint is worked out here because only the check knows which fix applies (a quarter, a
range, an approximation, the allowed codes); keeping all three languages lets the message
be localised at display time and still be in one language throughout.

A wide Toiminta sheet without a year anywhere is refused with `missing_column` for
`Vuosi / År / Year` and the hint `wide_year`: the year is what is missing, and adding a
Vuosi column is one of the three fixes. So is a wide sheet whose year is ambiguous, which
would otherwise add different years together: a month column that repeats
(`wide_month_twice`), a tab name or title rows naming several years without a Vuosi column
(`wide_years`), or month columns out of calendar order, a school year (`wide_month_order`),
unless every month header carries its own year (`tammi 2025`). In the wide layout an explicit
0 (or `-`) is a row with count 0, so the month is part of the upload and replaces what was
there; a blank cell is no row, and neither is a 0 in a month still in the future.

Each organisation-month of a sheet kind belongs on one tab: rows of a second tab of the same
kind for a month that an earlier tab already covers are refused with `bad_date` and the hint
`duplicate_month` (a copied, old or summary tab would otherwise be added in twice).
"""

import itertools
import math
import operator
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

import i18n
from data_sources import vocabulary
from data_sources.headers import (
    REQUIRED_COLUMNS,
    YEAR_COLUMN,
    HeaderRow,
    contract_header,
    find_header_row,
    guess_sheet,
    is_help_sheet,
    sheet_of_name,
)
from data_sources.organisations import Registry
from data_sources.problems import Problem
from data_sources.raw import RawSheet
from data_sources.values import (
    UNKNOWN_MUNICIPALITY,
    CellError,
    allowed_labels,
    cell_text,
    first_of_month,
    is_blank,
    parse_attitude_stage,
    parse_count,
    parse_date,
    parse_decimal,
    parse_month_of_year,
    parse_year,
    resolve_code,
    resolve_municipality,
)

_FAILED = object()   # a value that reads with a problem (TabReader.probe)
_ROW_RULES = {"kysynta", "kapasiteetti"}   # the sheets TabReader.check_row has rules for


def _negative_zero(value) -> bool:
    return value.__class__ is float and value == 0 and math.copysign(1.0, value) < 0


def _first_index(keys: list) -> dict:
    """Each distinct key -> the index of its first occurrence in `keys`."""
    return dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))


# Types of cells no value of another of them is equal to, except the numbers among themselves
# (1 == 1.0 == True) and datetime and date (never equal, but one is the other's subclass)
_APART_TYPES = frozenset({str, type(None), bool, int, float, date, datetime, time, timedelta})


def _value_keys(values: list, signed_zero: bool = False, distinct: dict | None = None) -> list:
    """Keys that group `values` as (type, value) pairs do (and, with `signed_zero`, tell a
    float 0.0 from -0.0): the values themselves when no two of different types can be equal
    among them, as in a column of texts, or of numbers of one type, and no zero is there to
    tell apart by its sign; the pairs (or triples) otherwise. `distinct`: the values' own
    dict.fromkeys, when the caller has it."""
    types = set(map(type, distinct)) if distinct is not None else None
    if types is None or types & {bool, int, float}:
        # equal numbers of different types are one key of `distinct`: its types may hide one
        types = set(map(type, values))
    if types <= _APART_TYPES and len(types & {bool, int, float}) <= 1 and not (date in types and datetime in types):
        if not (signed_zero and float in types and 0 in (dict.fromkeys(values) if distinct is None else distinct)):
            return values
    if signed_zero and float in types:   # -0.0 == 0.0, and a decimal keeps its sign
        return list(zip(map(type, values), values, map(_negative_zero, values)))
    return list(zip(map(type, values), values))


def _object_table(rows: list[list]) -> np.ndarray | None:
    """Rows of one length as a table of their cells (the same objects), whose columns are
    read much quicker than by going through every row for each; None when they cannot be."""
    if len(rows) < 1000:
        return None
    table = np.empty((len(rows), len(rows[0])), dtype=object)
    try:
        table[:] = rows
    except (ValueError, TypeError):   # rows of other lengths, or a cell numpy reads as a sequence
        return None
    return table


_TOTALS = re.compile(r"(yhteensä|yht|summa|totalt|total|sum)(\b|\.)", re.IGNORECASE)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d{2})(?!\d)")

INT_COLUMNS = {"source_row", "count_activities", "experts_involved", "people_reached",
               "attitude_stage", "count_respondents", "count_sessions", "count_trained",
               "count_active"}
FLOAT_COLUMNS = {"hours", "feedback", "hours_available"}


@dataclass(frozen=True)
class FieldRule:
    """How one canonical column's cells are read."""

    kind: str                          # code, count, decimal, stage, municipality
    code_list: str | None = None
    blank_is_one: bool = False         # "blank = 1": one row is one event
    default: object = None             # the value of a blank cell
    low: float | None = None
    high: float | None = None


FIELD_RULES = {
    "toiminta": {
        "activity_type": FieldRule("code", "activity_type"),
        "count_activities": FieldRule("count", blank_is_one=True),
        "experts_involved": FieldRule("count"),
        "people_reached": FieldRule("count"),
        "hours": FieldRule("decimal"),
        "target_sector": FieldRule("code", "sector"),
        "municipality": FieldRule("municipality"),
        "feedback": FieldRule("decimal", low=1, high=5),
    },
    "asenteet": {
        "respondent_group": FieldRule("code", "respondent_group"),
        "measurement_point": FieldRule("code", "measurement_point",
                                       default=vocabulary.DEFAULT_MEASUREMENT_POINT),
        "attitude_stage": FieldRule("stage", "attitude_stage"),
        "count_respondents": FieldRule("count", blank_is_one=True, low=1),
        "target_sector": FieldRule("code", "sector"),
    },
    "kysynta": {
        "requesting_sector": FieldRule("code", "sector"),
        "request_type": FieldRule("code", "activity_type"),
        "status": FieldRule("code", "status"),
        "reason": FieldRule("code", "reason"),
        "municipality": FieldRule("municipality"),
        "count_sessions": FieldRule("count", blank_is_one=True),
    },
    "kapasiteetti": {
        "count_trained": FieldRule("count"),
        "count_active": FieldRule("count"),
        "hours_available": FieldRule("decimal"),
    },
}

# In the wide layout a row is one activity type over twelve months; these columns say
# something about the whole row and are kept, the others cannot be split over months.
WIDE_ROW_COLUMNS = {"org_code", "activity_type", "target_sector", "municipality", YEAR_COLUMN}


def hint_texts(key: str | None, in_csv: bool = False, **params) -> dict[str, str]:
    """The hint `key` in every language (for a CSV file, its variant that speaks of the file
    rather than a tab, where it has one); a param that is a function of the language is
    called with it (the allowed labels of a code list differ by language)."""
    if key is None:
        return {lang: "" for lang in i18n.LANGUAGES}

    def hint(lang: str) -> str:
        text_key = f"problem_hint_csv.{key}"
        if not (in_csv and text_key in i18n.catalogue(lang)):
            text_key = f"problem_hint.{key}"
        return i18n.t(lang, text_key, **{name: value(lang) if callable(value) else value
                                         for name, value in params.items()})

    return {lang: hint(lang) for lang in i18n.LANGUAGES}


def make_problem(code: str, *, sheet: str | None = None, tab: str = "", row: int | None = None,
                 column: str | None = None, value=None, hint: str | None = None, in_csv: bool = False,
                 **hint_params) -> Problem:
    """A Problem with the params every message of problems.toml may use (tab, hint); `in_csv`
    for a problem of a CSV file, whose message speaks of no tab."""
    return Problem(
        code, sheet=sheet, row=row, column=column,
        value=None if value is None else (value if isinstance(value, str) else cell_text(value)),
        params={"tab": tab, "hint": hint_texts(hint, in_csv, **hint_params), "hint_key": hint, "in_csv": in_csv},
    )


# A file is answered with at most this many problems of each kind, and a count of the rest:
# making and masking a problem costs far more than checking a cell, and no one reads the
# 20,000th line of a list (a 20,000-row file wrong in every row took 22 s to answer).
MAX_LISTED_PROBLEMS = 500


@dataclass
class CheckContext:
    registry: Registry
    uploader_org: str | None
    locked: set            # months locked for the network, and (org_code, month) for one organisation
    latest: date                        # the last date that is not "in the future"
    listed: dict[str, int] = field(default_factory=lambda: {"errors": 0, "warnings": 0})
    left_out: dict[str, int] = field(default_factory=lambda: {"errors": 0, "warnings": 0})

    def may_list(self, kind: str) -> bool:
        """Whether one more problem of `kind` ("errors", "warnings") is listed; else it is counted."""
        if self.listed[kind] >= MAX_LISTED_PROBLEMS:
            self.left_out[kind] += 1
            return False
        self.listed[kind] += 1
        return True


@dataclass
class TabResult:
    records: list[dict] = field(default_factory=list)
    block: dict[str, list] | None = None   # the records as columns instead (TabReader.read_quickly)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    data_rows: int = 0
    # (organisation, month) -> (row, column, value) of the tab's first row for that month
    months: dict[tuple[str, date], tuple[int, str, object]] = field(default_factory=dict)


class TabReader:
    """Reads one recognised tab into canonical records, collecting every problem."""

    def __init__(self, raw: RawSheet, sheet: str, header: HeaderRow, context: CheckContext):
        self.raw, self.sheet, self.header, self.context = raw, sheet, header, context
        self.result = TabResult()
        self.positions = {column: index for index, column in header.columns.items()}
        self.unknown = dict(header.unknown)
        if header.is_wide:
            for index, column in list(header.columns.items()):
                if column not in WIDE_ROW_COLUMNS:
                    self.unknown[index] = header.texts[index]
                    del self.positions[column]
        self.row_errors = 0
        self.probing = False       # while a value is tried out (read_quickly): problems only noted
        self.probe_failed = False

    # ------------------------------------------------------------------ problems
    def cover(self, org: str | None, month: date | None, row: int, column: str, value) -> None:
        """Note that this tab holds figures of an organisation for a month."""
        if org is not None and month is not None:
            self.result.months.setdefault((org, first_of_month(month)), (row, column, value))

    def error(self, code: str, row: int | None, column: str | None, value=None,
              hint: str | None = None, **hint_params) -> None:
        if self.probing:
            self.probe_failed = True
            return
        self.row_errors += 1
        if not self.context.may_list("errors"):
            return
        self.result.errors.append(make_problem(
            code, sheet=self.sheet, tab=self.raw.name, row=row, column=column, value=value,
            hint=hint, in_csv=self.raw.is_csv, **hint_params))

    def warn(self, code: str, row: int | None, column: str | None, value=None) -> None:
        if self.probing:
            self.probe_failed = True
            return
        if not self.context.may_list("warnings"):
            return
        self.result.warnings.append(make_problem(
            code, sheet=self.sheet, tab=self.raw.name, row=row, column=column, value=value,
            in_csv=self.raw.is_csv))

    def column_text(self, column: str) -> str:
        return self.header.header_of(column) or contract_header(self.sheet, column)

    def cell(self, cells: list, column: str):
        position = self.positions.get(column)
        return cells[position] if position is not None and position < len(cells) else None

    def cell_error(self, problem: CellError, row: int, column: str, value) -> None:
        hint = problem.hint
        params = dict(problem.params)
        if problem.code == "unknown_value":
            rule = FIELD_RULES[self.sheet].get(column)
            code_list = rule.code_list if rule else None
            params["allowed"] = lambda lang: allowed_labels(code_list, lang)
            hint = "allowed_blank" if is_blank(value) else "allowed"
        self.error(problem.code, row, self.column_text(column), value, hint, **params)

    # ------------------------------------------------------------------ reading
    def read(self) -> TabResult:
        rows = self.data_rows()
        self.result.data_rows = len(rows)
        for text in self.unknown.values():
            self.warn("unknown_column", None, text)
        if not rows:
            return self.result
        sheet_ok = self.check_columns()
        if not self.header.is_wide:
            self.read_quickly(rows, sheet_ok)
            return self.result
        for row, cells in rows:
            self.row_errors = 0
            records = self.read_wide_row(row, cells)
            if sheet_ok and not self.row_errors:
                self.result.records.extend(records)
        return self.result

    def read_quickly(self, rows: list[tuple[int, list]], sheet_ok: bool) -> None:
        """The rows of a long tab, each distinct value of a column read once: a value that
        reads without a problem gives its result to every row that holds it; a row holding a
        value that does not is read again on its own (read_row), so its problems, their
        order and their wording are exactly those of reading it row by row."""
        month_column = vocabulary.MONTH_COLUMN[self.sheet]
        uploader = self.context.uploader_org

        grid = list(map(operator.itemgetter(1), rows))
        cells_table = _object_table(grid)
        shortest = min(map(len, grid)) if cells_table is None else len(grid[0])

        def column(name: str) -> list:
            position = self.positions.get(name)
            if position is None:
                return [None] * len(rows)
            if position < shortest:
                if cells_table is not None:
                    return cells_table[:, position].tolist()
                return list(map(operator.itemgetter(position), grid))
            return [cells[position] if position < len(cells) else None for cells in grid]

        # the columns whose values may read as _FAILED: only they are looked through for it
        failing = []
        org_values = column("org_code")
        orgs = self.each_value(org_values, lambda value: self.read_org_of(None, value), failing) \
            if "org_code" in self.positions else [uploader] * len(rows)
        month_values = column(month_column)
        if month_column in self.positions:
            year_values = column(YEAR_COLUMN)
            # a month is read with its year and organisation: the three make its key (a column
            # the tab does not have holds one value, which tells no rows apart)
            parts = [_value_keys(month_values)]
            if YEAR_COLUMN in self.positions:
                parts.append(_value_keys(year_values))
            if "org_code" in self.positions:
                parts.append(orgs)
            keys = parts[0] if len(parts) == 1 else list(zip(*parts))
            read = {key: _FAILED if orgs[index] is _FAILED else self.probe(
                self.read_month_of, None, month_values[index], year_values[index], orgs[index])
                for key, index in _first_index(keys).items()}
            months = list(map(read.__getitem__, keys))
            if _FAILED in read.values():
                failing.append(months)
        else:
            months = [None] * len(rows)
        fields = []
        for name, rule in FIELD_RULES[self.sheet].items():
            if name not in self.positions:
                fields.append([self.read_field_of(None, None, name, rule)] * len(rows))
                continue
            fields.append(self.each_value(column(name), lambda value, name=name, rule=rule:
                                          self.read_field_of(None, value, name, rule), failing))
        failed = set()
        for values in failing:
            failed.update(index for index, value in enumerate(values) if value is _FAILED)
        names = ("source_row", "org_code", month_column, *FIELD_RULES[self.sheet])
        month_text = self.column_text(month_column) if month_column in self.positions else None
        table = zip((row for row, _ in rows), orgs, months, *fields)
        if not failed and self.sheet not in _ROW_RULES:   # nothing more to check row by row
            if sheet_ok:
                self.result.block = dict(zip(names, map(list, (
                    list(map(operator.itemgetter(0), rows)), orgs, months, *fields))))
            if month_text is not None:
                # one organisation (no column for it): the months alone tell the keys apart
                keys = list(zip(orgs, months)) if "org_code" in self.positions else months
                for index in _first_index(keys).values():
                    self.cover(orgs[index], months[index], rows[index][0], month_text, month_values[index])
            return
        for index, values in enumerate(table):
            row, cells = rows[index]
            self.row_errors = 0
            if index in failed:
                record = self.read_row(row, cells)
            else:
                record = dict(zip(names, values))
                if month_text is not None:
                    self.cover(values[1], values[2], row, month_text, month_values[index])
                self.check_row(row, cells, record)
            if sheet_ok and not self.row_errors:
                self.result.records.append(record)

    def each_value(self, values: list, read, failing: list | None = None) -> list:
        """read(value) for each of `values`, each distinct value (and type: 1, 1.0 and True are
        told apart, and so are 0.0 and -0.0) read once; _FAILED where reading it finds a problem.
        The list made is added to `failing` when it holds a _FAILED."""
        distinct = dict.fromkeys(values)
        keys = _value_keys(values, signed_zero=True, distinct=distinct)
        if keys is values:   # each distinct value is its own key: the first of its kind is read
            results = {value: self.probe(read, value) for value in distinct}
        else:
            results = {key: self.probe(read, values[index]) for key, index in _first_index(keys).items()}
        found = list(map(results.__getitem__, keys))
        if failing is not None and _FAILED in results.values():
            failing.append(found)
        return found

    def probe(self, read, *args):
        """What read(*args) gives, or _FAILED when it reports a problem (reported nowhere)."""
        self.probing, self.probe_failed = True, False
        try:
            result = read(*args)
        finally:
            self.probing = False
        return _FAILED if self.probe_failed else result

    def data_rows(self) -> list[tuple[int, list]]:
        """(spreadsheet row, cells) below the header, without empty and totals rows.

        A row whose first cell is filled with something other than a totals label, in a column
        the tab reads, is a row of data whatever else it holds: such rows are told by their
        first cell's value, each distinct value looked at once, and only the others are gone
        through cell by cell (data_row)."""
        used = sorted(set(self.positions.values()) | set(self.header.months))
        start = self.header.index + 1
        below = self.raw.rows[start:]
        found: list[tuple[int, list]] = []
        kinds = self._first_cell_kinds(below) if used and used[0] == 0 else None
        if kinds is None:
            for offset, cells in enumerate(below):
                self.data_row(start + offset, cells, used, found)
            return found
        kind_of, firsts = kinds
        if all(kind_of.values()):   # every row a row of data
            return list(zip(range(start + 1, start + 1 + len(below)), below))
        for offset, (cells, first) in enumerate(zip(below, firsts)):
            if kind_of[first]:
                found.append((start + offset + 1, cells))
            else:
                self.data_row(start + offset, cells, used, found)
        return found

    @staticmethod
    def _first_cell_kinds(rows: list) -> tuple[dict, list] | None:
        """The first cell of each row, and for each of its distinct values whether it makes a row
        of data (filled, and not a totals label); None when a row has no first cell or a value
        cannot be told apart in a set."""
        try:
            firsts = list(map(operator.itemgetter(0), rows))
            distinct = dict.fromkeys(firsts)
        except (TypeError, IndexError):
            return None
        return {value: not is_blank(value) and not (isinstance(value, str) and _TOTALS.match(value.strip()))
                for value in distinct}, firsts

    def data_row(self, index: int, cells: list | None, used: list[int], found: list) -> None:
        """Add (spreadsheet row, cells) of the 0-based row `index` to `found` unless it is empty,
        a totals row (a warning) or a note beside the table."""
        cells = cells or []
        for first in cells:
            if first is not None and not is_blank(first):
                break
        else:
            return   # an empty row
        if isinstance(first, str) and _TOTALS.match(first.strip()):
            self.warn("totals_row_skipped", index + 1, None, first.strip())
            return
        # a note written beside the table is not a row of data (the guard still reads it)
        width = len(cells)
        for position in used:
            if position < width and not is_blank(cells[position]):
                found.append((index + 1, cells))
                return

    def check_columns(self) -> bool:
        """Report missing required columns; False when rows cannot be completed."""
        ok = True
        wanted = list(REQUIRED_COLUMNS[self.sheet])
        if self.context.uploader_org is None:
            wanted.insert(0, "org_code")
        month_column = vocabulary.MONTH_COLUMN[self.sheet]
        for column in wanted:
            if column == month_column and self.header.is_wide:
                continue
            if column not in self.positions:
                hint = "org_column" if column == "org_code" else "column"
                self.error("missing_column", None, contract_header(self.sheet, column), hint=hint)
                ok = False
        if self.header.is_wide:
            problem = self.wide_year_problem()
            if problem is not None:
                hint, params = problem
                self.error("missing_column", None, contract_header(self.sheet, YEAR_COLUMN),
                           hint=hint, **params)
                ok = False
        return ok

    def wide_year_problem(self) -> tuple[str, dict] | None:
        """(hint key, hint params) when the year of a wide sheet's months is missing or
        ambiguous, else None."""
        months = self.header.months
        seen: dict[tuple[int, int | None], int] = {}
        for position, month in months.items():
            if month in seen:
                return "wide_month_twice", {"header": self.header.texts[position]}
            seen[month] = position
        yearless = [month for month, year in months.values() if year is None]
        if not yearless:
            return None   # every month header names its own year
        order = [month for month, _ in months.values()]
        if any(later <= earlier for earlier, later in zip(order, order[1:])):
            return "wide_month_order", {}
        if YEAR_COLUMN in self.positions:
            return None
        years = self.sheet_years()
        if len(years) > 1:
            return "wide_years", {"years": ", ".join(str(year) for year in years)}
        if not years:
            return "wide_year", {}
        return None

    def sheet_years(self) -> list[int]:
        """The years a wide sheet's tab name names, else those of the title rows above the
        header, in order; more than one means the sheet's year is ambiguous."""
        years = [int(found) for found in _YEAR_IN_TEXT.findall(self.raw.name)]
        if not years:
            for cells in self.raw.rows[: self.header.index]:
                for cell in cells or []:
                    if isinstance(cell, float) and cell.is_integer():
                        cell = int(cell)
                    if isinstance(cell, int) and not isinstance(cell, bool) and 2000 <= cell <= 2099:
                        years.append(cell)
                    elif isinstance(cell, str):
                        years += [int(found) for found in _YEAR_IN_TEXT.findall(cell)]
        return list(dict.fromkeys(years))

    def sheet_year(self) -> int | None:
        """The one year of a wide sheet from its tab name or a title row, else None."""
        years = self.sheet_years()
        return years[0] if len(years) == 1 else None

    # ------------------------------------------------------------------ one row
    def read_row(self, row: int, cells: list) -> dict:
        record = {"source_row": row, "org_code": self.read_org(row, cells)}
        month_column = vocabulary.MONTH_COLUMN[self.sheet]
        record[month_column] = self.read_month(row, cells, record["org_code"])
        if month_column in self.positions:
            self.cover(record["org_code"], record[month_column], row, self.column_text(month_column),
                       self.cell(cells, month_column))
        for column, rule in FIELD_RULES[self.sheet].items():
            record[column] = self.read_field(row, cells, column, rule)
        self.check_row(row, cells, record)
        return record

    def read_wide_row(self, row: int, cells: list) -> list[dict]:
        base = {"source_row": row, "org_code": self.read_org(row, cells)}
        for column in ("activity_type", "target_sector", "municipality"):
            base[column] = self.read_field(row, cells, column, FIELD_RULES["toiminta"][column])
        row_year = self.sheet_year()
        if YEAR_COLUMN in self.positions:
            value = self.cell(cells, YEAR_COLUMN)
            if not is_blank(value) or row_year is None:
                try:
                    row_year = parse_year(value)
                except CellError as problem:
                    self.error(problem.code, row, self.column_text(YEAR_COLUMN), value, problem.hint)
        records = []
        for position, (month, header_year) in self.header.months.items():
            value = cells[position] if position < len(cells) else None
            header = self.header.texts[position]
            try:
                count = parse_count(value)
            except CellError as problem:
                self.error(problem.code, row, header, value, problem.hint, **problem.params)
                continue
            year = header_year or row_year
            if count is None or year is None:   # a blank month is not reported at all
                continue
            day = date(year, month, 1)
            if count == 0 and day > self.context.latest:
                continue   # a 0 in a month still to come (a template filled with zeros) says nothing
            # an explicit 0 (or -) is a report of no activity: it covers the month and replaces it
            if self.check_month(row, header, header, day, base["org_code"]):
                records.append({**base, "activity_month": day, "count_activities": count})
                self.cover(base["org_code"], day, row, header, header)
        return records

    def read_org(self, row: int, cells: list) -> str | None:
        if "org_code" not in self.positions:
            return self.context.uploader_org
        return self.read_org_of(row, self.cell(cells, "org_code"))

    def read_org_of(self, row: int | None, value) -> str | None:
        uploader = self.context.uploader_org
        if is_blank(value) and uploader is not None:
            return uploader   # the uploader's own rows need not repeat its name
        column = self.column_text("org_code")
        code = None if is_blank(value) else self.context.registry.resolve(value)
        if code is None:
            self.error("unknown_org", row, column, value)
        elif uploader is not None and code != uploader:
            self.error("wrong_org", row, column, value)
        return code

    def read_month(self, row: int, cells: list, org: str | None = None) -> date | None:
        month_column = vocabulary.MONTH_COLUMN[self.sheet]
        if month_column not in self.positions:
            return None
        return self.read_month_of(row, self.cell(cells, month_column), self.cell(cells, YEAR_COLUMN), org)

    def read_month_of(self, row: int | None, value, year_value, org: str | None) -> date | None:
        """The month of a long tab's month cell (and its Vuosi cell, when the tab has one)."""
        column = self.column_text(vocabulary.MONTH_COLUMN[self.sheet])
        try:
            if YEAR_COLUMN in self.positions and not is_blank(value):
                month, own_year = parse_month_of_year(value)
                try:
                    year = own_year or parse_year(year_value)
                except CellError as problem:
                    self.error(problem.code, row, self.column_text(YEAR_COLUMN), year_value, problem.hint)
                    return None
                day = date(year, month, 1)
            else:
                day = parse_date(value)
        except CellError as problem:
            self.error(problem.code, row, column, value, problem.hint)
            return None
        return first_of_month(day) if self.check_month(row, column, value, day, org) else None

    def check_month(self, row: int, column: str, value, day: date, org: str | None) -> bool:
        if day > self.context.latest:
            self.error("future_date", row, column, value)
            return False
        month = first_of_month(day)
        if month in self.context.locked or (org, month) in self.context.locked:
            self.error("locked_period", row, column, value)
            return False
        return True

    def read_field(self, row: int, cells: list, column: str, rule: FieldRule):
        return self.read_field_of(row, self.cell(cells, column), column, rule)

    def read_field_of(self, row: int | None, value, column: str, rule: FieldRule):
        if column not in self.positions:
            return rule.default if rule.kind != "count" or not rule.blank_is_one else 1
        required = column in REQUIRED_COLUMNS[self.sheet]
        try:
            if rule.kind == "code":
                if is_blank(value):
                    if required:
                        raise CellError("unknown_value")
                    return rule.default
                code = resolve_code(rule.code_list, value)
                if code is None:
                    raise CellError("unknown_value")
                return code
            if rule.kind == "stage":
                return parse_attitude_stage(value)
            if rule.kind == "municipality":
                if is_blank(value):
                    return None
                name = resolve_municipality(value)
                if name is None:
                    self.warn("unknown_municipality", row, self.column_text(column), value)
                    return UNKNOWN_MUNICIPALITY   # free text is never stored
                return name
            number = parse_count(value, blank_is_one=rule.blank_is_one) if rule.kind == "count" \
                else parse_decimal(value)
            if number is None and required:
                raise CellError("bad_number", "number_blank")
            if number is not None and rule.low is not None and rule.high is not None \
                    and not rule.low <= number <= rule.high:
                raise CellError("out_of_range", "range_limits", min=rule.low, max=rule.high)
            if number is not None and rule.low is not None and rule.high is None and number < rule.low:
                raise CellError("out_of_range", "at_least", min=rule.low)
            return number
        except CellError as problem:
            self.cell_error(problem, row, column, value)
            return None

    def check_row(self, row: int, cells: list, record: dict) -> None:
        """Rules between the columns of one row."""
        if self.sheet == "kysynta" and record["status"] in vocabulary.UNMET_STATUSES \
                and record["reason"] is None and is_blank(self.cell(cells, "reason")):
            self.warn("missing_reason", row, self.column_text("reason"), self.cell(cells, "status"))
        if self.sheet == "kapasiteetti" and record["count_active"] is not None \
                and record["count_trained"] is not None and record["count_active"] > record["count_trained"]:
            self.error("out_of_range", row, self.column_text("count_active"),
                       self.cell(cells, "count_active"), "active_le_trained",
                       trained=record["count_trained"])


def recognise_tab(raw: RawSheet) -> tuple[str, HeaderRow | None] | None:
    """(sheet key, header row) of a tab; the header row is None when a tab named like a
    sheet has no recognisable headers. None for tabs that are not the contract's."""
    if is_help_sheet(raw.name):
        return None
    named = sheet_of_name(raw.name)
    if named:
        header = find_header_row(named, raw.rows)
        if header:
            return named, header
    guessed = guess_sheet(raw.rows)
    if guessed:
        return guessed.sheet, guessed
    return (named, None) if named else None


def _frame(sheet: str, parts: list[list[dict] | dict[str, list]]) -> pd.DataFrame:
    """Canonical rows with the columns of vocabulary.SHEET_COLUMNS and their dtypes, from the
    tabs' records (a list of records, or the same as columns)."""
    data = {}
    for column in vocabulary.SHEET_COLUMNS[sheet]:
        values = []
        for part in parts:
            values += part[column] if isinstance(part, dict) else [record.get(column) for record in part]
        if column == vocabulary.MONTH_COLUMN[sheet]:
            # a few months, each made a Timestamp once, the column made of their nanoseconds
            nanoseconds = {month: pd.NaT.value if month is None else pd.Timestamp(month).value
                           for month in set(values)}
            data[column] = pd.Series(np.array([nanoseconds[month] for month in values], dtype="int64")
                                     .view("datetime64[ns]"))
        elif column in INT_COLUMNS:
            data[column] = _masked_array(values, int)
        elif column in FLOAT_COLUMNS:
            data[column] = _masked_array(values, float)
        else:
            data[column] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=list(vocabulary.SHEET_COLUMNS[sheet]))


def _masked_array(values: list, kind: type):
    """pd.array(values, dtype="Int64") (`kind` int) or "Float64" (float), made through numpy when
    every value is a `kind` or None, so that pandas need not look at each value: None (and NaN)
    missing, as pandas makes them."""
    dtype = "Int64" if kind is int else "Float64"
    if not values or not set(map(type, values)) <= {kind, type(None)}:
        return pd.array(values, dtype=dtype)
    objects = np.array(values, dtype=object)
    missing = np.fromiter(map(operator.is_, values, itertools.repeat(None)), dtype=bool, count=len(values))
    objects[missing] = 1 if kind is int else np.nan   # what pandas puts under a missing value
    try:
        numbers = objects.astype(np.int64 if kind is int else np.float64)
    except OverflowError:   # a whole number past 64 bits: pandas says so
        return pd.array(values, dtype=dtype)
    if kind is int:
        return pd.arrays.IntegerArray(numbers, missing)
    return pd.arrays.FloatingArray(numbers, missing | np.isnan(numbers))


def _month_start(value) -> date:
    if isinstance(value, datetime):
        value = value.date()
    elif not isinstance(value, date):
        value = pd.Timestamp(value).date()
    return first_of_month(value)


def _duplicate_months(sheet: str, tab: tuple[int, str],
                      months: dict[tuple[str, date], tuple[int, str, object]],
                      covered: dict[tuple[str, date], tuple[int, str]]) -> list[Problem]:
    """Refuse the months of `tab` (its position in the file and its name) that an earlier tab
    of the same kind already covers for the same organisation (a copy, an old version or a
    summary would be counted twice); the error is on this tab's first row for the month.
    Adds this tab's months to `covered`."""
    problems = []
    for (org, month), (row, column, value) in sorted(months.items(), key=lambda item: item[1][0]):
        first_tab = covered.setdefault((org, month), tab)
        if first_tab != tab:
            problems.append(make_problem(
                "bad_date", sheet=sheet, tab=tab[1], row=row, column=column,
                value=value if not is_blank(value) else f"{month.month}/{month.year}",
                hint="duplicate_month", month=f"{month.month}/{month.year}", first_tab=first_tab[1]))
    return problems


def validate_sheets(raw_sheets: list[RawSheet], *, registry: Registry, uploader_org: str | None,
                    locked_months: set[date], today: date, future_days: int,
                    ) -> tuple[dict[str, pd.DataFrame], list[Problem], list[Problem], set[tuple[str, int, int]]]:
    """Check every tab and return (canonical frames by sheet key, errors, warnings, header cells).

    Header cells are (tab name, row, column), both 1-based as in the spreadsheet, of the
    cells recognised as contract headers, so the personal-data guard can skip them.
    Frames hold the rows that passed; the caller stores nothing while there are errors.
    """
    context = CheckContext(
        registry=registry, uploader_org=uploader_org,
        locked={(key[0], _month_start(key[1])) if isinstance(key, tuple) else _month_start(key)
                for key in locked_months},
        latest=today + timedelta(days=future_days),
    )
    errors: list[Problem] = []
    warnings: list[Problem] = []
    header_cells: set[tuple[str, int, int]] = set()
    # per sheet kind, the tabs' records: a list of records, or columns (TabResult.block)
    records: dict[str, list[list[dict] | dict[str, list]]] = {sheet: [] for sheet in vocabulary.SHEETS}
    # per sheet kind: (organisation, month) -> (position, name) of the first tab that covers it
    covered: dict[str, dict[tuple[str, date], tuple[int, str]]] = {sheet: {} for sheet in vocabulary.SHEETS}
    recognised = 0
    data_rows = 0
    for position, raw in enumerate(raw_sheets):
        found = recognise_tab(raw)
        if found is None:
            continue
        recognised += 1
        sheet, header = found
        if header is None:
            filled_rows = [cells for cells in raw.rows if any(not is_blank(c) for c in cells or [])]
            if len(filled_rows) > 1:   # more than a title: data without its header row
                data_rows += len(filled_rows)
                for column in REQUIRED_COLUMNS[sheet]:
                    errors.append(make_problem("missing_column", sheet=sheet, tab=raw.name,
                                               column=contract_header(sheet, column), hint="no_header",
                                               in_csv=raw.is_csv))
            continue
        reader = TabReader(raw, sheet, header, context)
        result = reader.read()
        header_cells |= {(raw.name, header.row, index + 1)
                         for index in list(reader.positions.values()) + list(header.months)}
        errors += result.errors
        errors += _duplicate_months(sheet, (position, raw.name), result.months, covered[sheet])
        warnings += result.warnings
        records[sheet].append(result.block if result.block is not None else result.records)
        data_rows += result.data_rows
    if not recognised:
        errors.append(make_problem("no_known_sheet", in_csv=any(raw.is_csv for raw in raw_sheets)))
    elif not data_rows:
        errors.append(make_problem("empty_file"))
    if context.left_out["errors"]:
        errors.append(_left_out("more_errors", context.left_out["errors"]))
    if context.left_out["warnings"]:
        warnings.append(_left_out("more_warnings", context.left_out["warnings"]))
    frames = {sheet: _frame(sheet, parts) for sheet, parts in records.items()
              if any(len(part["source_row"] if isinstance(part, dict) else part) for part in parts)}
    return frames, errors, warnings, header_cells


def _left_out(code: str, count: int) -> Problem:
    """The one line that stands for the problems past MAX_LISTED_PROBLEMS."""
    return Problem(code, params={"count": count, "limit": MAX_LISTED_PROBLEMS, "tab": "",
                                 "hint": hint_texts(None), "hint_key": None})
