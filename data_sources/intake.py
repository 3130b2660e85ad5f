"""One call from uploaded bytes to a checked upload: read the file, check it against the
data contract, registry and locks, and look for personal data in its name, in every cell and
in every other text it carries (data_sources/file_texts.py)."""

import hashlib
from collections.abc import Callable, Iterable
from datetime import date

from data_sources.organisations import Registry
from data_sources.problems import CheckedUpload, Problem
from data_sources.validation import validate_sheets
from settings import Settings, load_settings


def check_upload(file_name: str, data: bytes, *, registry: Registry, uploader_org: str | None = None,
                 locked_months: set = frozenset(), today: date | None = None,
                 settings: Settings | None = None) -> CheckedUpload:
    """Read and validate a file; stores nothing. `sheets` holds what was parsed even when
    there are errors, and the caller stores it only when the upload is ok.

    The texts outside the cells (comments, properties, …) are only ever scanned, never
    kept: the guard reads them one at a time and remembers nothing of them but its findings,
    masked."""
    # imported here so that this module (and the warehouse) import before the readers exist
    from data_sources.file_texts import file_texts
    from data_sources.readers import read_file

    settings = settings or load_settings()
    raw_sheets, file_type, file_problems = read_file(file_name, data, settings)
    return check_read(file_name, hashlib.sha256(data).hexdigest(), file_type or "", raw_sheets, file_problems,
                      lambda: file_texts(file_name, data, file_type, settings), registry=registry,
                      uploader_org=uploader_org, locked_months=locked_months, today=today, settings=settings)


def check_read(name: str, content_hash: str, file_type: str, raw_sheets: list, read_problems: list,
               texts: Callable[[], Iterable], *, registry: Registry, uploader_org: str | None = None,
               locked_months: set = frozenset(), today: date | None = None,
               settings: Settings | None = None) -> CheckedUpload:
    """What a source read (a file's tabs, a Google Sheet's) checked against the data contract,
    registry and locks, its name, cells and `texts()` (the texts outside the cells, read once
    and only after validation) scanned for personal data; a source that could not be read
    safely (`read_problems` with an error) is not looked into."""
    from data_sources.values import clear_text_caches

    try:
        from data_sources.file_safety import LimitExceeded
        from data_sources.personal_data import PersonalDataGuard

        settings = settings or load_settings()
        today = today or date.today()
        guard = PersonalDataGuard()
        guard.scan_file_name(name)   # refused whether or not the source can be read
        checked = CheckedUpload(file_name=name, content_hash=content_hash, file_type=file_type,
                                errors=[p for p in read_problems if p.is_error],
                                warnings=[p for p in read_problems if not p.is_error])
        if checked.errors:
            checked.errors = guard.problems + checked.errors
            return checked
        sheets, errors, warnings, header_cells = validate_sheets(
            raw_sheets, registry=registry, uploader_org=uploader_org, locked_months=set(locked_months),
            today=today, future_days=settings.future_days,
        )
        guard.scan_sheets(raw_sheets, header_cells)
        try:
            guard.scan_texts(texts())
        except LimitExceeded as exceeded:
            errors.append(exceeded.problem)
        except Exception:   # UnsafeMarkup (entity declarations), or a part no reader expected
            # a file whose texts cannot be read to the end is not known to be free of personal data
            errors.append(Problem("unreadable_file", value=name, params={"reason": "damaged"}))
        checked.sheets = sheets
        checked.errors += errors + [p for p in guard.problems if p.is_error]
        checked.warnings += warnings + [p for p in guard.problems if not p.is_error]
        return checked
    finally:
        clear_text_caches()   # the cell texts the value helpers cached for this check
