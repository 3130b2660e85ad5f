"""One path for every file that comes in — the upload page, the command line, the demo:
check it against the registry and locks, then store it or record the refusal."""

from dataclasses import dataclass
from datetime import date

from data_sources.intake import check_upload, collector_paused
from data_sources.problems import CheckedUpload
from i18n.formats import local_today
from settings import Settings, load_settings
from warehouse import Warehouse
from warehouse.access import locked_keys
from warehouse.ledger import (
    PeriodLocked,
    StoreResult,
    UploadPreview,
    preview_upload,
    record_refusal,
    store_upload,
)
from warehouse.organisations import load_registry


@dataclass
class ImportOutcome:
    checked: CheckedUpload
    stored: StoreResult | None = None


class UnknownOrganisation(ValueError):
    """The organisation a file is sent for is not in the registry."""


def registered_code(warehouse: Warehouse, org_code: str | None) -> str | None:
    """The registry's own code for `org_code` (a code, name or alias); None stays None."""
    if org_code is None:
        return None
    code = load_registry(warehouse).resolve(org_code)
    if code is None:
        raise UnknownOrganisation(f"no organisation {org_code!r} in the registry (see: cli.py orgs list)")
    return code


def _locks(warehouse: Warehouse) -> set:
    cur = warehouse.cursor()
    try:
        return locked_keys(cur)
    finally:
        cur.close()


def check_file(warehouse: Warehouse, file_name: str, data: bytes, *, org_code: str | None,
               settings: Settings | None = None, today: date | None = None) -> CheckedUpload:
    """Read and validate against the current registry and locked months; stores nothing.
    `org_code` must name a registered organisation (UnknownOrganisation otherwise)."""
    org_code = registered_code(warehouse, org_code)
    return check_upload(
        file_name, data, registry=load_registry(warehouse), uploader_org=org_code,
        locked_months=_locks(warehouse), today=today or local_today(),
        settings=settings or load_settings(),
    )


def check_and_preview(warehouse: Warehouse, file_name: str, data: bytes, *, org_code: str | None,
                      settings: Settings | None = None, protect_below: int | None = None,
                      ) -> tuple[CheckedUpload, UploadPreview | None]:
    """The check, and for a file that passes, its preview (stored totals perturbed below
    `protect_below` for a viewer who is not leadership)."""
    org_code = registered_code(warehouse, org_code)
    checked = check_file(warehouse, file_name, data, org_code=org_code, settings=settings)
    return checked, preview_upload(warehouse, checked, org_code, protect_below) if checked.ok else None


def import_file(warehouse: Warehouse, file_name: str, data: bytes, *, org_code: str | None,
                uploaded_by: str, source: str, settings: Settings | None = None,
                today: date | None = None) -> ImportOutcome:
    """Check and, when accepted, store; a refusal is recorded in the audit log only. A month
    locked between the check and the store (leadership locking it meanwhile) refuses the file as
    the check would have: it is checked again, and its rows in that month are the problems."""
    org_code = registered_code(warehouse, org_code)
    with collector_paused():   # the checked rows live until they are stored (intake.collector_paused)
        for _ in range(3):   # a month locked, and unlocked again, between every check and store: refused below
            checked = check_file(warehouse, file_name, data, org_code=org_code, settings=settings, today=today)
            if not checked.ok:
                record_refusal(warehouse, checked, uploaded_by=uploaded_by, org_code=org_code, source=source)
                return ImportOutcome(checked)
            try:
                stored = store_upload(warehouse, checked, len(data), uploaded_by=uploaded_by, org_code=org_code,
                                      source=source)
            except PeriodLocked:
                continue
            return ImportOutcome(checked, stored)
    record_refusal(warehouse, checked, uploaded_by=uploaded_by, org_code=org_code, source=source,
                   codes=["locked_period"])
    raise PeriodLocked(f"{checked.file_name}: a month it changes was locked each time it was about to be stored")
