"""A local HTTP server that answers like Google's Sheets API v4 and Drive v3 for the calls
data_sources/gsheets.py makes, and a requests.Session that sends gspread there.

gspread's code runs for real: `gspread.Client(auth=None, session=LocalGoogle(server))` builds
its usual URLs (https://sheets.googleapis.com/…, https://www.googleapis.com/drive/…), and the
session rewrites those two hosts to the local server and refuses every other URL, so nothing
leaves the machine. (Patching gspread.urls would not do: other modules copy the constants.)
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import requests
from werkzeug.wrappers import Response

GOOGLE_HOSTS = {"sheets.googleapis.com", "www.googleapis.com"}


class LocalGoogle(requests.Session):
    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.seen: list[str] = []

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.hostname not in GOOGLE_HOSTS:
            raise AssertionError(f"refused a request outside Google's API hosts: {url}")
        local = f"{self.base_url}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        self.seen.append(f"{method.upper()} {parts.path}")
        return super().request(method, local, *args, **kwargs)


@dataclass
class FakeSheet:
    title: str
    tabs: dict[str, list[list]]                 # tab name -> rows of cell values (UNFORMATTED_VALUE)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)   # (tab, "B4") -> note
    version: int = 7
    modified: str = "2026-12-01T09:30:00.000Z"
    shared: bool = True
    failures: list[tuple[int, str]] = field(default_factory=list)    # answers before the real one


def _cell_index(cell: str) -> tuple[int, int]:
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(digits) - 1, column - 1


class FakeGoogle:
    """The sheets it knows, by key; register with `serve(httpserver)`."""

    def __init__(self):
        self.sheets: dict[str, FakeSheet] = {}
        self.reads = 0   # values:batchGet calls: what a sync that reads no cell does not make

    def serve(self, httpserver) -> None:
        httpserver.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @staticmethod
    def _json(body, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _error(self, status: int, message: str) -> Response:
        return self._json({"error": {"code": status, "message": message, "status": "ERROR"}}, status)

    def handle(self, request) -> Response:
        path, query = request.path, parse_qs(request.query_string.decode())
        found = re.fullmatch(r"/v4/spreadsheets/([^/]+)(/values:batchGet)?", path) or \
            re.fullmatch(r"/drive/v3/files/([^/]+)", path)
        if not found:
            return self._error(404, f"no such API: {path}")
        sheet = self.sheets.get(found.group(1))
        if sheet is None:
            return self._error(404, "Requested entity was not found.")
        if sheet.failures:
            status, body = sheet.failures.pop(0)
            if body == "html":
                return Response("<html><body>502 Bad Gateway</body></html>", status=status, content_type="text/html")
            return self._error(status, body)
        if not sheet.shared:
            return self._error(403, "The caller does not have permission")
        if path.startswith("/drive/"):
            return self._json({"id": found.group(1), "name": sheet.title, "modifiedTime": sheet.modified,
                               "version": str(sheet.version)})
        if found.group(2):
            self.reads += 1
            assert query.get("valueRenderOption") == ["UNFORMATTED_VALUE"], query
            assert query.get("dateTimeRenderOption") == ["FORMATTED_STRING"], query
            ranges = []
            for name in query.get("ranges", []):
                tab = name.strip("'").replace("''", "'")
                ranges.append({"range": f"'{tab}'!A1:Z1000", "majorDimension": "ROWS",
                               "values": sheet.tabs[tab]})
            return self._json({"spreadsheetId": found.group(1), "valueRanges": ranges})
        sheets = []
        for number, (name, _) in enumerate(sheet.tabs.items()):
            entry = {"properties": {"title": name, "sheetId": number}}
            if query.get("includeGridData") == ["true"]:
                rows: list[dict] = []
                for (tab, cell), note in sheet.notes.items():
                    if tab != name:
                        continue
                    row, column = _cell_index(cell)
                    while len(rows) <= row:
                        rows.append({"values": []})
                    values = rows[row]["values"]
                    while len(values) <= column:
                        values.append({})
                    values[column] = {"note": note}
                entry["data"] = [{"rowData": rows}]
            sheets.append(entry)
        return self._json({"spreadsheetId": found.group(1), "properties": {"title": sheet.title}, "sheets": sheets})
