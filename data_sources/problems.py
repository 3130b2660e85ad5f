"""What a check of an uploaded file finds: problems (errors and warnings) with stable codes.

Codes are stable (shared/spec/cli.md); messages are localised from i18n/<lang>/problems.toml,
section [problem], key = code, placeholders filled from the problem's fields and params.
"""

from dataclasses import dataclass, field

import pandas as pd

import i18n

ERROR_CODES = (
    "unreadable_file", "unsupported_type", "file_too_large", "archive_bomb", "empty_file",
    "no_known_sheet", "missing_column", "bad_date", "future_date", "bad_number",
    "negative_number", "out_of_range", "unknown_value", "unknown_org", "wrong_org",
    "personal_data", "locked_period",
)
WARNING_CODES = ("unknown_column", "missing_reason", "unknown_municipality", "totals_row_skipped")


@dataclass(frozen=True)
class Problem:
    code: str
    sheet: str | None = None          # sheet key (toiminta, …) or the tab's own name when unknown
    row: int | None = None            # 1-based row number as the user sees it in the spreadsheet
    column: str | None = None         # the column header as the user wrote it
    value: str | None = None          # the offending value; masked for personal_data
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_error(self) -> bool:
        return self.code in ERROR_CODES

    def message(self, lang: str) -> str:
        # a hint that changes what the problem is about has a whole message of its own
        hint_key = self.params.get("hint_key")
        key = f"problem_by_hint.{hint_key}"
        if not (hint_key and key in i18n.catalogue(lang)):
            key = f"problem.{self.code}"
        return i18n.t(
            lang, key,
            sheet=self.sheet or "", row=self.row if self.row is not None else "",
            column=self.column or "", value=self.value or "", **self.params,
        )

    def as_dict(self, lang: str = "fi") -> dict:
        return {
            "sheet": self.sheet, "row": self.row, "column": self.column, "code": self.code,
            "value": self.value, "message": self.message(lang),
        }


@dataclass
class CheckedUpload:
    """A file after reading and validation. `sheets` holds the canonical rows per sheet key
    (columns as vocabulary.SHEET_COLUMNS), ready to store when `ok`."""

    file_name: str
    content_hash: str
    file_type: str
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def months(self, sheet: str) -> list[str]:
        """The months (YYYY-MM) a sheet's rows cover, sorted."""
        from data_sources.vocabulary import MONTH_COLUMN

        frame = self.sheets.get(sheet)
        if frame is None or frame.empty:
            return []
        return sorted({pd.Timestamp(m).strftime("%Y-%m") for m in frame[MONTH_COLUMN[sheet]]})

    def summary(self, lang: str = "fi") -> dict:
        """The JSON document of `cli.py validate --json` (shared/spec/cli.md)."""
        return {
            "ok": self.ok,
            "file": self.file_name,
            "sheets": {
                key: {"rows": int(len(frame)), "months": self.months(key)}
                for key, frame in self.sheets.items()
            },
            "errors": [p.as_dict(lang) for p in self.errors],
            "warnings": [p.as_dict(lang) for p in self.warnings],
        }
