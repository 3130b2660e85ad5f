"""The archive keeps what an accepted upload meant, never what the file held.

A member's file can carry far more than its figures: a client's name in a notes column, an
identity code in a cell comment or the print header, the author in its properties. So the
archive holds a canonical copy instead of the file's bytes: the recognised sheets, columns
and rows exactly as the checker handed them to the ledger (codes, months and numbers only),
plus the original file's size and SHA-256. Rebuilding a warehouse replays these copies.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import orjson
import pandas as pd

from data_sources.problems import CheckedUpload
from data_sources.values import UNKNOWN_MUNICIPALITY, resolve_municipality
from data_sources.vocabulary import CODE_LISTS, MONTH_COLUMN, SHEET_COLUMNS

FORMAT = "canonical-v1"
# the code list each code column's values must come from, checked again on rebuild
_CODE_COLUMNS = {
    "activity_type": "activity_type", "target_sector": "sector", "respondent_group": "respondent_group",
    "measurement_point": "measurement_point", "requesting_sector": "sector",
    "request_type": "activity_type", "status": "status", "reason": "reason",
}


class ArchiveError(ValueError):
    """An archived copy that is not a canonical copy this code can read."""


@dataclass(frozen=True)
class ArchivedUpload:
    content_hash: str
    file_name: str
    file_type: str
    size_bytes: int
    content: bytes


def canonical_content(checked: CheckedUpload) -> bytes:
    """The canonical copy of an accepted upload: its recognised rows per sheet, as JSON."""
    sheets = {}
    for sheet, frame in sorted(checked.sheets.items()):
        if frame is None or frame.empty:
            continue
        columns = list(SHEET_COLUMNS[sheet])
        sheets[sheet] = {"columns": columns,
                         # tuples: json writes them as the lists they were
                         "rows": list(zip(*(_plain_column(frame[c]) for c in columns), strict=True))}
    document = {"format": FORMAT, "file_type": checked.file_type, "sheets": sheets}
    if not any(map(_has_infinity, checked.sheets.values())):
        try:
            # orjson writes the compact UTF-8 JSON document json.dumps(separators=(",", ":"),
            # ensure_ascii=False) wrote before it (tests/test_archive.py; a float may be spelled
            # another way, 1e-7 for 1e-07), about eight times sooner: a tenth of a second of a
            # 100,000-row file's store
            return orjson.dumps(document)
        except orjson.JSONEncodeError:   # an integer beyond 64 bits
            pass
    # what only the standard library writes: such an integer, and an infinite number (orjson
    # writes null), which intake refuses but a warehouse from before that refusal may hold
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _has_infinity(frame: pd.DataFrame | None) -> bool:
    if frame is None:
        return False
    return any(np.isinf(frame[column].to_numpy(dtype=float, na_value=np.nan)).any()
               for column in frame.columns if pd.api.types.is_float_dtype(frame[column]))


def checked_from_canonical(content: bytes, *, file_name: str, content_hash: str) -> CheckedUpload:
    """The CheckedUpload a canonical copy stands for, every value checked again against
    today's code lists and municipality list (ArchiveError when one no longer is)."""
    try:
        document = json.loads(bytes(content).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(f"{file_name}: not a canonical copy") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError(f"{file_name}: not a canonical copy ({FORMAT})")
    sheets = {}
    for sheet, table in document["sheets"].items():
        if sheet not in SHEET_COLUMNS or table["columns"] != list(SHEET_COLUMNS[sheet]):
            raise ArchiveError(f"{file_name}: sheet {sheet!r} does not have the canonical columns")
        frame = pd.DataFrame(table["rows"], columns=table["columns"])
        frame[MONTH_COLUMN[sheet]] = pd.to_datetime(frame[MONTH_COLUMN[sheet]])
        _check_values(file_name, sheet, frame)
        sheets[sheet] = frame
    return CheckedUpload(file_name=file_name, content_hash=content_hash,
                         file_type=document.get("file_type", ""), sheets=sheets)


def _check_values(file_name: str, sheet: str, frame: pd.DataFrame) -> None:
    for column, code_list in _CODE_COLUMNS.items():
        if column in frame:
            unknown = set(frame[column].dropna()) - set(CODE_LISTS[code_list])
            if unknown:
                raise ArchiveError(f"{file_name}: {sheet}.{column} holds unknown codes {sorted(unknown)}")
    if "municipality" in frame:
        names = set(frame["municipality"].dropna()) - {UNKNOWN_MUNICIPALITY}
        strangers = {name for name in names if resolve_municipality(name) != name}
        if strangers:
            raise ArchiveError(f"{file_name}: {sheet}.municipality holds names off the official list")


def _plain_column(series: pd.Series) -> list:
    """A column of a checked frame as JSON values, as _plain gives them, a column at a time."""
    kind = getattr(series.dtype, "kind", "O")
    if kind in "iub" and not pd.api.types.is_extension_array_dtype(series):
        return series.tolist()
    if kind == "f" and not pd.api.types.is_extension_array_dtype(series):
        return [None if value != value else value for value in series.tolist()]
    if kind == "M":   # a few months, each written once
        codes, months = pd.factorize(series)
        texts = np.array([*months.strftime("%Y-%m-%d"), None], dtype=object)
        return texts[codes].tolist()   # NaT is code -1: the None at the end
    if kind in "iuf" and pd.api.types.is_extension_array_dtype(series):   # Int64, Float64
        values = series.to_numpy(dtype=object, na_value=None).tolist()
        return [None if value != value else value for value in values] if kind == "f" else values
    values = series.tolist()
    if set(map(type, values)) <= {str, type(None)}:
        return values
    return [_plain(value) for value in values]


def _plain(value):
    """A cell of a checked frame as a JSON value: months as ISO dates, NaN as null."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):       # numpy scalars
        return _plain(value.item())
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def canonical_from_rows(frames: dict[str, pd.DataFrame], file_type: str) -> bytes:
    """A canonical copy made from rows already in the warehouse (migrating an archive of raw files)."""
    return canonical_content(CheckedUpload(file_name="", content_hash="", file_type=file_type,
                                           sheets=frames))
