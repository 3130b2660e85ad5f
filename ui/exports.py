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


# what Excel does not allow in a sheet's name (nor XML in a file: control characters, lone
# surrogates, U+FFFE and U+FFFF); nor may a name start or end with an apostrophe
_NOT_IN_SHEET_NAMES = re.compile("[\\\\/?*:\\[\\]\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]+")
SHEET_NAME_UNITS = 31        # Excel's limit, counted in UTF-16 units (an emoji is two)


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def sheet_name_of(title: str) -> str:
    """A title as a sheet's name Excel opens: without : \\ / ? * [ ] or characters XML cannot
    hold, at most 31 UTF-16 units, cut at a word where it can be ('Toiminta toimintamuodoittain
    ku' read as a broken word); "data" when nothing is left (or Excel's reserved "History")."""
    name = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", title).split()).strip("'")
    if _units(name) > SHEET_NAME_UNITS:
        while _units(name) > SHEET_NAME_UNITS:
            name = name[:-1]
        space = name.rfind(" ")
        name = name[:space] if space > SHEET_NAME_UNITS // 2 else name
    name = name.strip(" '")
    return name if name and name.lower() != "history" else "data"


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "data") -> bytes:
    sheet_name = sheet_name_of(sheet_name)
    buffer = io.BytesIO()
    # strings_to_formulas off: a text is written as text, never as a formula; and a cell that looks
    # like an address stays text (xlsxwriter would make it a live hyperlink); written in memory,
    # not through temporary files (a page's table: ~10 -> ~4 ms)
    options = {"options": {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}}
    out = frame.copy()
    out.columns = [str(column) for column in out.columns]
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs=options) as writer:
        out.to_excel(writer, sheet_name=sheet_name, index=False)
        sheet = writer.sheets[sheet_name]
        # and a text a spreadsheet would run as a formula once edited ("=1+1", "-3") carries Excel's
        # own quote prefix: it stays text, and reads as the file had it (a literal apostrophe, as
        # the CSV needs, was shown in the cell: "'-3" in a member's problem list)
        quoted = writer.book.add_format({"quote_prefix": True})
        for number, column in enumerate(out.columns):
            if column.startswith(FORMULA_STARTS):
                sheet.write_string(0, number, column, quoted)
            values = out[column]
            if values.dtype == object or pd.api.types.is_string_dtype(values):
                risky = values.map(lambda value: isinstance(value, str) and value.startswith(FORMULA_STARTS))
                for row in risky.to_numpy().nonzero()[0]:
                    sheet.write_string(int(row) + 1, number, values.iloc[row], quoted)
        sheet.autofit()
    return buffer.getvalue()
