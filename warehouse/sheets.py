"""Connected Google Sheets: one per organisation, read through the same checks as a file
(data_sources/gsheets.py) and stored through the same ledger (docs/google-sheets.md).

A sync asks Drive for the sheet's revision first: a sheet whose version is the one last read
changes nothing and reads no cell. A changed sheet is read, checked and, when it passes,
stored as an upload whose ledger row names the sheet's key and the revision read; one that
does not pass is refused as a file would be (the audit log keeps the codes).
"""

from dataclasses import dataclass
from datetime import date, datetime

from data_sources.gsheets import Revision, SheetContent, check_sheet, read_sheet, revision
from data_sources.problems import CheckedUpload
from i18n.formats import local_today
from settings import Settings, load_settings
from warehouse import Warehouse
from warehouse.audit import now_utc, record_event
from warehouse.imports import _locks, registered_code
from warehouse.ledger import PeriodLocked, StoreResult, UploadPreview, preview_upload, record_refusal, store_upload
from warehouse.organisations import load_registry

SOURCE = "gsheets"


@dataclass(frozen=True)
class Connection:
    org_code: str
    sheet_key: str
    title: str
    connected_by: str
    connected_at: datetime
    last_version: str | None
    last_modified: str | None
    last_synced_at: datetime | None
    last_upload_id: int | None


@dataclass
class SyncOutcome:
    connection: Connection
    revision: Revision
    checked: CheckedUpload | None = None     # None: the revision was the one last read
    stored: StoreResult | None = None

    @property
    def ok(self) -> bool:
        return self.checked is None or self.checked.ok


def connections(warehouse: Warehouse, org_code: str | None = None) -> list[Connection]:
    cur = warehouse.cursor()
    try:
        rows = cur.execute(
            "select org_code, sheet_key, title, connected_by, connected_at, last_version, last_modified,"
            " last_synced_at, last_upload_id from sheet_connections"
            " where $org is null or org_code = $org order by org_code", {"org": org_code}).fetchall()
    finally:
        cur.close()
    return [Connection(*row) for row in rows]


def connect_sheet(warehouse: Warehouse, org_code: str, content: SheetContent, *, actor: str) -> Connection:
    """Remember `content`'s sheet as the organisation's source (replacing one connected before)."""
    org_code = registered_code(warehouse, org_code)
    def _change(cur):
        cur.execute("delete from sheet_connections where org_code = ?", [org_code])
        cur.execute("insert into sheet_connections (org_code, sheet_key, title, connected_by, connected_at)"
                    " values (?, ?, ?, ?, ?)", [org_code, content.key, content.title, actor, now_utc()])
        record_event(cur, actor, "sheet_connected", org_code=org_code, file_name=content.title,
                     details={"sheet_key": content.key})

    warehouse.write(_change)
    return connections(warehouse, org_code)[0]


def check_content(warehouse: Warehouse, content: SheetContent, org_code: str,
                  settings: Settings | None = None, today: date | None = None) -> CheckedUpload:
    return check_sheet(content, registry=load_registry(warehouse), uploader_org=org_code,
                       locked_months=_locks(warehouse), today=today or local_today(),
                       settings=settings or load_settings())


def preview_sheet(warehouse: Warehouse, content: SheetContent, org_code: str, protect_below: int | None = None,
                  settings: Settings | None = None) -> tuple[CheckedUpload, UploadPreview | None]:
    """The check of a read sheet, and for one that passes, the preview a file gets."""
    org_code = registered_code(warehouse, org_code)
    checked = check_content(warehouse, content, org_code, settings)
    return checked, preview_upload(warehouse, checked, org_code, protect_below) if checked.ok else None


def store_sheet(warehouse: Warehouse, content: SheetContent, checked: CheckedUpload, org_code: str, *,
                uploaded_by: str) -> StoreResult:
    """Store a checked sheet; the connection's record of what was read lands in the same transaction."""
    def remember(cur, upload_id):
        cur.execute("update sheet_connections set title = ?, last_version = ?, last_modified = ?,"
                    " last_synced_at = ?, last_upload_id = coalesce(?, last_upload_id)"
                    " where org_code = ? and sheet_key = ?",
                    [content.title, content.revision.version, content.revision.modified_time, now_utc(),
                     upload_id, org_code, content.key])

    return store_upload(warehouse, checked, 0, uploaded_by=uploaded_by, org_code=org_code, source=SOURCE,
                        source_ref=content.key, source_revision=content.revision.label, after_store=remember)


def sync_sheet(warehouse: Warehouse, client, connection: Connection, *, uploaded_by: str,
               settings: Settings | None = None, force: bool = False) -> SyncOutcome:
    """Read the organisation's sheet again if it changed; store it when it passes."""
    current = revision(client, connection.sheet_key)
    if not force and connection.last_version and current.version == connection.last_version:
        return SyncOutcome(connection, current)
    return apply_sheet(warehouse, read_sheet(client, connection.sheet_key, settings, found=current), connection,
                       uploaded_by=uploaded_by, settings=settings)


def apply_sheet(warehouse: Warehouse, content: SheetContent, connection: Connection, *, uploaded_by: str,
                settings: Settings | None = None) -> SyncOutcome:
    """A read sheet checked and, when it passes, stored; a refusal is recorded as a file's is."""
    checked = check_content(warehouse, content, connection.org_code, settings)
    if not checked.ok:
        record_refusal(warehouse, checked, uploaded_by=uploaded_by, org_code=connection.org_code, source=SOURCE)
        return SyncOutcome(connection, content.revision, checked)
    try:
        stored = store_sheet(warehouse, content, checked, connection.org_code, uploaded_by=uploaded_by)
    except PeriodLocked:   # locked between the check and the store: refused like a file at its confirm
        record_refusal(warehouse, checked, uploaded_by=uploaded_by, org_code=connection.org_code, source=SOURCE,
                       codes=["locked_period"])
        raise
    return SyncOutcome(connection, content.revision, checked, stored)
