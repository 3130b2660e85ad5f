"""One call from uploaded bytes to a checked upload: read the file, check it against the
data contract, registry and locks, and look for personal data in its name, in every cell and
in every other text it carries (data_sources/file_texts.py)."""

import collections
import contextlib
import gc
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from data_sources.organisations import Registry
from data_sources.problems import CheckedUpload, Problem
from data_sources.validation import validate_sheets
from i18n.formats import local_today
from settings import Settings, load_settings

_pauses = {"count": 0, "disabled": False}
_pauses_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused():
    """Python's cycle collector off while a file is checked (and stored), on again after the
    last check running in this process ends, if it was on before.

    A check builds a list for every row and a tuple for every key of the values it reads,
    hundreds of thousands that all live until it ends and hold no cycle: the collector would
    walk them over and over as they are made (a third of the time of reading and checking a
    100,000-row file) to find nothing. Only the collector of cycles waits: memory is freed
    as always."""
    with _pauses_lock:
        if _pauses["count"] == 0:
            _pauses["disabled"] = gc.isenabled()
            gc.disable()
        _pauses["count"] += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses["count"] -= 1
            if _pauses["count"] == 0 and _pauses["disabled"]:
                _pauses["disabled"] = False
                gc.enable()


def check_upload(file_name: str, data: bytes, *, registry: Registry, uploader_org: str | None = None,
                 locked_months: set = frozenset(), today: date | None = None,
                 settings: Settings | None = None) -> CheckedUpload:
    """Read and validate a file; stores nothing. `sheets` holds what was parsed even when
    there are errors, and the caller stores it only when the upload is ok.

    The texts outside the cells (comments, properties, …) are only ever scanned, never
    kept: the guard reads them a few at a time and remembers nothing of them but its findings,
    masked."""
    # imported here so that this module (and the warehouse) import before the readers exist
    from data_sources.file_safety import check_file
    from data_sources.file_texts import file_texts

    settings = settings or load_settings()
    with collector_paused():
        file_type, file_problems = check_file(file_name, data, settings)
        raw_sheets = []
        texts = lambda: file_texts(file_name, data, file_type, settings)  # noqa: E731
        if not file_problems:
            raw_sheets, file_problems, texts = _read_beside_texts(file_name, data, file_type, settings)
        return check_read(file_name, hashlib.sha256(data).hexdigest(), file_type or "", raw_sheets, file_problems,
                          texts, registry=registry, uploader_org=uploader_org, locked_months=locked_months,
                          today=today, settings=settings)


def _read_beside_texts(file_name: str, data: bytes, file_type: str, settings: Settings
                       ) -> tuple[list, list[Problem], Callable[[], Iterable]]:
    """The sheets of a file check_file passed, its file-level errors, and its texts outside the
    cells for the guard (data_sources/file_texts.py).

    calamine lets other threads run while it parses a workbook, so it reads in a thread of its
    own while this one reads the texts ahead (TextsAhead): the two take the time of the longer
    rather than of both (a 100,000-row xlsx: a quarter of a second less). A CSV has no other
    texts."""
    from data_sources.file_texts import file_texts
    from data_sources.readers import read_checked

    if file_type == "csv":
        return (*read_checked(file_name, data, file_type, settings),
                lambda: file_texts(file_name, data, file_type, settings))
    outcome: dict = {}

    def read() -> None:
        try:
            outcome["read"] = read_checked(file_name, data, file_type, settings)
        except BaseException as error:   # KeyboardInterrupt, MemoryError: raised here, as before
            outcome["error"] = error

    reader = threading.Thread(target=read, name="read-workbook", daemon=True)
    reader.start()
    try:
        ahead = TextsAhead(file_texts(file_name, data, file_type, settings))
        ahead.read_ahead(done=lambda: not reader.is_alive())
    finally:
        reader.join()
    if "error" in outcome:
        raise outcome["error"]
    sheets, problems = outcome["read"]
    return sheets, problems, lambda: ahead


class TextsAhead:
    """Texts read ahead, a bounded number of characters of them, and the rest when they are
    asked for: iterated, the same texts in the same order, and the same exception at the same
    place, as the texts themselves."""

    LIMIT = 1 << 20   # characters held at most

    def __init__(self, texts: Iterator):
        self.texts = texts
        self.read: collections.deque = collections.deque()
        self.error: Exception | None = None
        self.ended = False

    def read_ahead(self, done: Callable[[], bool]) -> None:
        """Read texts until the limit, the end, or `done()` says no more are wanted yet."""
        held = 0
        try:
            for text in self.texts:
                self.read.append(text)
                held += len(text.text)
                if held > self.LIMIT or done():
                    return
        except Exception as error:   # raised where the reader of the texts meets it
            self.error = error
        self.ended = True

    def __iter__(self):
        while self.read:
            yield self.read.popleft()
        if self.error is not None:
            raise self.error
        if not self.ended:
            yield from self.texts


def check_read(name: str, content_hash: str, file_type: str, raw_sheets: list, read_problems: list,
               texts: Callable[[], Iterable], *, registry: Registry, uploader_org: str | None = None,
               locked_months: set = frozenset(), today: date | None = None,
               settings: Settings | None = None) -> CheckedUpload:
    """What a source read (a file's tabs, a Google Sheet's) checked against the data contract,
    registry and locks, its name, cells and `texts()` (the texts outside the cells, called once
    and scanned only after the cells) scanned for personal data; a source that could not be
    read safely (`read_problems` with an error) is not looked into."""
    from data_sources.values import clear_text_caches

    with collector_paused():
        try:
            from data_sources.file_safety import LimitExceeded, text_named_as_workbook, workbook_suffix
            from data_sources.personal_data import PersonalDataGuard

            settings = settings or load_settings()
            today = today or local_today()
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
            suffix = workbook_suffix(name) if file_type == "csv" else None
            if suffix and not header_cells:
                # text under a workbook's name with no table the contract knows is not the file
                # its name says (a note renamed .xlsx): that is what to fix, and what its one
                # sheet lacks (a known tab, a header row) would speak of tabs it never had
                errors, warnings = [text_named_as_workbook(name, suffix)], []
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
