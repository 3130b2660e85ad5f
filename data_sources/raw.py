"""A sheet as read from a file, before any interpretation."""

from dataclasses import dataclass


@dataclass
class RawSheet:
    """One tab of a workbook, or one CSV file.

    `rows[i][j]` is the cell at spreadsheet row i+1, column j+1, exactly as the user sees
    it (leading empty rows and columns kept, so row numbers in messages are right).
    Cells are None, str, int, float, bool, datetime.date, datetime.datetime or
    datetime.time; CSV cells are str or None.
    """

    name: str
    rows: list[list]
    # a CSV file's one sheet, named after the file: the user sees no tab, so its problems
    # speak of none (data_sources/problems.py, Problem.message)
    is_csv: bool = False
