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
    "personal_data", "locked_period", "more_errors",
)
WARNING_CODES = ("unknown_column", "missing_reason", "unknown_municipality", "totals_row_skipped",
                 "possible_name", "possible_address", "more_warnings")


@dataclass(frozen=True)
class Problem:
    code: str
    sheet: str | None = None          # sheet key (toiminta, …) or the tab's own name when unknown
    row: int | None = None            # 1-based row number as the user sees it in the spreadsheet
    column: str | None = None         # the column header as the user wrote it
    value: str | None = None          # the offending value; masked for personal_data
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self):
        # A refusal never repeats what it refuses: an identity code, e-mail address or phone
        # number in any text of a problem (the value, a header, a tab's name, a parameter) is
        # masked where the problem is made, so every message, table and export built from it
        # holds only the masked form.
        for name in ("sheet", "column", "value"):
            text = getattr(self, name)
            if isinstance(text, str):
                object.__setattr__(self, name, redact(text))
        for key, text in list(self.params.items()):
            if isinstance(text, str):
                self.params[key] = redact(text)
            elif isinstance(text, dict):     # a hint in every language
                self.params[key] = {k: redact(v) if isinstance(v, str) else v for k, v in text.items()}

    @property
    def is_error(self) -> bool:
        return self.code in ERROR_CODES

    def message(self, lang: str) -> str:
        # a hint that changes what the problem is about has a whole message of its own; and a
        # problem of a CSV file, whose one sheet is the file itself, a message that speaks of
        # no tab (section problem_csv, problem_by_hint_csv) where its code or hint names one
        hint_key = self.params.get("hint_key")
        keys = ([f"problem_by_hint.{hint_key}"] if hint_key else []) + [f"problem.{self.code}"]
        if self.params.get("in_csv"):
            keys = [variant for key in keys for variant in (key.replace(".", "_csv.", 1), key)]
        texts = i18n.catalogue(lang)
        key = next((key for key in keys if key in texts), keys[-1])
        return i18n.t_count(   # a count of the problems not listed: "1 more problem"
            lang, key, self.params.get("count"),
            sheet=self.sheet or "", row=self.row if self.row is not None else "",
            column=self.column or "", value=self.value or "", **self.params,
        )

    def as_dict(self, lang: str = "fi") -> dict:
        return {
            "sheet": self.sheet, "row": self.row, "column": self.column, "code": self.code,
            "value": self.value, "message": self.message(lang),
        }


def redact(text: str) -> str:
    """`text` with every identity code, e-mail address and phone number in it masked as the
    personal-data guard masks its findings (`150387-****`, `m***@***`, `040 *** ****`)."""
    from data_sources.personal_data import find_personal_data, mask_value  # the guard imports this module

    for _ in range(50):   # each pass masks what the guard finds first; masked text is not found again
        findings = find_personal_data(text)
        if not findings:
            break
        for kind, found in findings:
            text = text.replace(found, mask_value(kind, found))
    return text


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

    def __post_init__(self):
        # a file name is shown in every answer about the file; one carrying personal data is
        # refused (data_sources/intake.py), and the answer shows it masked
        self.file_name = redact(self.file_name)

    @property
    def ok(self) -> bool:
        return not self.errors

    def months(self, sheet: str) -> list[str]:
        """The months (YYYY-MM) a sheet's rows cover, sorted."""
        from data_sources.vocabulary import MONTH_COLUMN

        frame = self.sheets.get(sheet)
        if frame is None or frame.empty:
            return []
        months = pd.to_datetime(frame[MONTH_COLUMN[sheet]].drop_duplicates())
        return sorted(set(months.dt.strftime("%Y-%m")))

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
