"""Tables leaving the app (CSV, xlsx) — with spreadsheet formula injection neutralised."""

import io
import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_cell)
    return out


def to_csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """UTF-8 with BOM; `;` and decimal comma for fi/sv (as their Excel opens it), `,` for en."""
    separator, decimal = (",", ".") if lang == "en" else (";", ",")
    return neutralise(frame).to_csv(index=False, sep=separator, decimal=decimal).encode("utf-8-sig")


# what Excel does not allow in a sheet's name; nor a name that starts or ends with an apostrophe
_NOT_IN_SHEET_NAMES = re.compile(r"[\\/?*:\[\]]+")


def sheet_name_of(title: str) -> str:
    """A title as a sheet's name Excel opens: without : \\ / ? * [ ], at most 31 characters."""
    name = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", title).split()).strip("'")[:31].strip(" '")
    return name or "data"


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    sheet_name = sheet_name_of(sheet_name)
    buffer = io.BytesIO()
    # strings_to_formulas off as well: belt and braces against formula injection; and a cell
    # that looks like an address stays text (xlsxwriter would make it a live hyperlink); written in
    # memory, not through temporary files (a page's table: ~10 -> ~4 ms)
    options = {"options": {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs=options) as writer:
        neutralise(frame).to_excel(writer, sheet_name=sheet_name, index=False)
        writer.sheets[sheet_name].autofit()
    return buffer.getvalue()
