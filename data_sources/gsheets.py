"""A Google Sheet as a source: its tabs read with gspread, checked exactly as a file is.

The network's service account (a key in `.streamlit/secrets.toml`, read-only scopes for Sheets
and Drive) reads a sheet its owner has shared with the account's e-mail address. What is read:

- every tab's cells, as the sheet stores them where numbers need it and as the sheet shows
  them for dates (`valueRenderOption=UNFORMATTED_VALUE`, `dateTimeRenderOption=FORMATTED_STRING`:
  1.3.2025 reads as the date the sheet shows, 1 234,5 as the number it holds);
- every cell's note, the spreadsheet's title and the tabs' names, for the personal-data guard;
- the file's revision from Drive (`modifiedTime`, `version`), for the ledger and to tell an
  unchanged sheet without reading it.

The cells become the same RawSheets a workbook gives (data_sources/raw.py), with the same grid
limits, and go through the same validation and guard (check_sheet mirrors intake.check_upload).
Every failure is a SheetError with a stable code and a message in the user's language.
"""

import hashlib
import json
import re
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import i18n
from data_sources.file_safety import GridBudget, LimitExceeded
from data_sources.file_texts import FileText
from data_sources.intake import check_read
from data_sources.organisations import Registry
from data_sources.personal_data import column_letter
from data_sources.problems import CheckedUpload, Problem
from data_sources.raw import RawSheet
from settings import Settings, _secrets_file, load_settings

SCOPES = ("https://www.googleapis.com/auth/spreadsheets.readonly",
          "https://www.googleapis.com/auth/drive.readonly")
FILE_TYPE = "gsheets"
# a quota answer (429) or a server's (5xx) is tried again after these pauses, then reported
RETRY_PAUSES = (1.0, 2.0, 4.0)
_KEY_IN_URL = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]{20,})")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{20,}")
_NOTE_FIELDS = "properties(title),sheets(properties(title,sheetId),data(startRow,startColumn,rowData(values(note))))"


class SheetError(Exception):
    """A sheet that cannot be read: `code` is stable (sheet_* in i18n `gsheets.error_*`)."""

    def __init__(self, code: str, detail: str = "", **params):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail, self.params = code, detail, params

    def message(self, lang: str, account: str = "") -> str:
        """In the user's language; `account` is the service account's e-mail (to share with)."""
        return i18n.t(lang, f"gsheets.error_{self.code}", account=account, detail=self.detail, **self.params)


@dataclass(frozen=True)
class Revision:
    """Which state of the sheet was read: Drive's modifiedTime and version."""
    modified_time: str
    version: str

    @property
    def label(self) -> str:
        return f"version {self.version}, {self.modified_time}"


@dataclass
class SheetContent:
    key: str
    title: str
    revision: Revision
    tabs: list[RawSheet]
    notes: list[FileText]
    problems: list[Problem] = field(default_factory=list)   # a grid over the limits: file_too_large

    @property
    def content_hash(self) -> str:
        """The same cells and notes give the same hash: an unchanged sheet is told as a file is."""
        body = json.dumps([[t.name, t.rows] for t in self.tabs] + [[n.sheet, n.cell, n.text] for n in self.notes],
                          default=str, ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


def sheet_key(url_or_key: str) -> str:
    """The spreadsheet's key from its address (…/spreadsheets/d/KEY/edit…) or the key itself."""
    text = (url_or_key or "").strip()
    found = _KEY_IN_URL.search(text)
    if found:
        return found.group(1)
    if _BARE_KEY.fullmatch(text):
        return text
    raise SheetError("bad_address", text[:200])


def service_account_client(info: dict):
    """A gspread client for the service account whose key `info` is (its JSON, as a dict)."""
    import gspread

    try:
        return gspread.service_account_from_dict(dict(info), scopes=list(SCOPES))
    except (ValueError, KeyError) as error:
        raise SheetError("bad_key", str(error)) from error


_GOOGLE_API_HOSTS = {"sheets.googleapis.com", "www.googleapis.com"}


def redirected_session(base_url: str):
    """A requests.Session that sends Google's two API hosts to `base_url` and refuses every other
    address: the setting `gsheets_api`, for a local stand-in of Google's API (the tests')."""
    from urllib.parse import urlsplit

    import requests

    class Redirected(requests.Session):
        def request(self, method, url, *args, **kwargs):
            parts = urlsplit(url)
            if parts.scheme != "https" or parts.hostname not in _GOOGLE_API_HOSTS:
                raise SheetError("unreachable", f"refused {parts.scheme}://{parts.hostname}")
            local = base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
            return super().request(method, local, *args, **kwargs)

    return Redirected()


SECRETS_TABLE = "gsheets_service_account"


def _key_file(settings: Settings) -> dict | None:
    """The service account's key: the JSON file the setting names, else the table
    `[gsheets_service_account]` of `.streamlit/secrets.toml` (the JSON's fields as TOML keys,
    for a host without files of its own, such as Streamlit Community Cloud); None when neither."""
    path = settings.gsheets_service_account.strip()
    if path:
        try:
            return json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SheetError("bad_key", type(error).__name__) from error
    secrets = _secrets_file()
    if not secrets.is_file():
        return None
    try:
        with secrets.open("rb") as handle:
            table = tomllib.load(handle).get(SECRETS_TABLE)
    except (OSError, ValueError) as error:
        raise SheetError("bad_key", type(error).__name__) from error
    if table is None:
        return None
    if not isinstance(table, dict):
        raise SheetError("bad_key", SECRETS_TABLE)
    return dict(table)


def account_email(settings: Settings) -> str:
    """The service account's e-mail address, which a member shares its sheet with."""
    info = _key_file(settings)
    if info is None:
        if settings.gsheets_api:
            return "kokemusmittari@local-stand-in.invalid"
        raise SheetError("no_account")
    email = info.get("client_email")
    if not isinstance(email, str) or "@" not in email:
        raise SheetError("bad_key", "client_email")
    return email


def client_for(settings: Settings):
    """The client the settings give: the service account's, or one for the local stand-in."""
    import gspread

    if settings.gsheets_api:
        return gspread.Client(auth=None, session=redirected_session(settings.gsheets_api))
    info = _key_file(settings)
    if info is None:
        raise SheetError("no_account")
    return service_account_client(info)


def _call(job: Callable, sleep: Callable[[float], None]):
    """One API call, with gspread's errors as SheetErrors; quotas and server errors retried."""
    import gspread
    import requests

    for pause in (*RETRY_PAUSES, None):
        try:
            return job()
        except PermissionError as error:  # gspread's answer to a 403 from open_by_key (cause: APIError)
            raise SheetError("not_shared") from error
        except gspread.exceptions.SpreadsheetNotFound as error:
            raise SheetError("not_found") from error
        except gspread.exceptions.APIError as error:
            status = error.response.status_code if error.response is not None else -1
            if status == 403:
                raise SheetError("not_shared") from error
            if status == 404:
                raise SheetError("not_found") from error
            if status == 429 or status >= 500:
                if pause is None:
                    raise SheetError("quota" if status == 429 else "google_failed", str(status)) from error
                sleep(pause)
                continue
            raise SheetError("google_failed", str(status)) from error
        except (requests.ConnectionError, requests.Timeout) as error:
            if pause is None:
                raise SheetError("unreachable", type(error).__name__) from error
            sleep(pause)
        except ValueError as error:  # an answer that is not JSON (a proxy's page)
            raise SheetError("google_failed", "not JSON") from error
    raise AssertionError("unreachable")  # pragma: no cover


def revision(client, key: str, sleep: Callable[[float], None] = time.sleep) -> Revision:
    """The sheet's current revision, from Drive (cheap: no cell is read)."""
    from gspread.urls import DRIVE_FILES_API_V3_URL

    meta = _call(lambda: client.http_client.request(
        "get", f"{DRIVE_FILES_API_V3_URL}/{key}",
        params={"fields": "id,name,modifiedTime,version", "supportsAllDrives": "true"}).json(), sleep)
    return Revision(str(meta.get("modifiedTime", "")), str(meta.get("version", "")))


def read_sheet(client, key: str, settings: Settings | None = None,
               sleep: Callable[[float], None] = time.sleep, found: Revision | None = None) -> SheetContent:
    """Every tab's cells and notes, the title and the revision (`found`, when the caller has just
    read it, before the cells); SheetError when it cannot."""
    settings = settings or load_settings()
    spreadsheet = _call(lambda: client.open_by_key(key), sleep)
    found = found or revision(client, key, sleep)
    meta = _call(lambda: spreadsheet.fetch_sheet_metadata(
        params={"includeGridData": "true", "fields": _NOTE_FIELDS}), sleep)
    title = str(meta.get("properties", {}).get("title", ""))
    names = [str(s["properties"]["title"]) for s in meta.get("sheets", [])]
    if not names:
        return SheetContent(key, title, found, [], [])
    ranges = ["'" + name.replace("'", "''") + "'" for name in names]
    answer = _call(lambda: spreadsheet.values_batch_get(ranges, params={
        "valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "FORMATTED_STRING",
        "majorDimension": "ROWS"}), sleep)
    budget = GridBudget(title, settings)
    tabs = []
    try:
        for name, block in zip(names, answer.get("valueRanges", [])):
            values = block.get("values", [])
            budget.open_tab(name)
            for number, row in enumerate(values, start=1):   # counted before it becomes cells
                if row:
                    budget.reach(number, len(row))
            tabs.append(RawSheet(name=name, rows=[[_cell(v) for v in row] for row in values]))
    except LimitExceeded as exceeded:   # the same grid limits as a file's
        return SheetContent(key, title, found, [], [], [exceeded.problem])
    return SheetContent(key, title, found, tabs, list(_notes(meta)))


def _cell(value):
    """A cell as a workbook reader gives it: text, a whole number as int, a number, a boolean."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _notes(meta: dict):
    for sheet in meta.get("sheets", []):
        name = str(sheet["properties"]["title"])
        for block in sheet.get("data", []):
            top, left = int(block.get("startRow", 0)), int(block.get("startColumn", 0))
            for r, row in enumerate(block.get("rowData", [])):
                for c, value in enumerate(row.get("values", [])):
                    note = value.get("note") if isinstance(value, dict) else None
                    if note:
                        yield FileText("note", str(note), sheet=name, cell=f"{column_letter(left + c)}{top + r + 1}")


def check_sheet(content: SheetContent, *, registry: Registry, uploader_org: str | None = None,
                locked_months: set = frozenset(), today: date | None = None,
                settings: Settings | None = None) -> CheckedUpload:
    """A read sheet through the same checks as a file (data_sources/intake.check_read): its
    title is checked as a file's name, its tabs' names and cells as a workbook's, its notes as
    a workbook's comments."""
    def texts():
        yield from (FileText("sheet_name", tab.name, sheet=tab.name) for tab in content.tabs)
        yield from content.notes

    return check_read(content.title, content.content_hash, FILE_TYPE, content.tabs, content.problems, texts,
                      registry=registry, uploader_org=uploader_org, locked_months=locked_months, today=today,
                      settings=settings)
