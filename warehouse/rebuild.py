"""Rebuild a warehouse from the archive and the ledger alone.

Every archived canonical copy (warehouse/archive.py: the recognised rows, never the file)
is checked again against today's code lists and stored again in the order it first
arrived, with the rollbacks replayed where they happened in time, so the rebuilt warehouse
shows the same figures as the original.
"""

import pandas as pd

from warehouse import Warehouse
from warehouse.archive import ArchiveError, checked_from_canonical
from warehouse.ledger import rollback_upload, store_upload


class RebuildError(RuntimeError):
    """An archived copy no longer passes its checks; the rebuild stops, the target is partial."""


def rebuild_from_archive(source: Warehouse, target: Warehouse) -> dict:
    """Replay `source`'s ledger into the empty `target`; returns counts of what was replayed.
    Everything is read from one snapshot of `source` (the app may be taking uploads meanwhile)."""
    src = source.cursor()
    src.begin()
    try:
        return _replay(src, target)
    finally:
        src.rollback()      # the snapshot read, nothing written: ended however the replay ends
        src.close()


def _replay(src, target: Warehouse) -> dict:
    def _change(cur):
        # the privacy key too: a rebuild that drew new perturbations would show a second,
        # independent version of every perturbed count (docs/figures.md, "Privacy")
        cur.execute("delete from privacy_key")
        for table in ("organisations", "organisation_aliases", "privacy_key", "people", "domain_rules"):
            rows = src.execute(f"select * from {table}").df()  # noqa: S608 — fixed table names
            cur.register("copied", rows)
            cur.execute(f"insert into {table} select * from copied")  # noqa: S608
            cur.unregister("copied")

    target.write(_change)
    events = src.execute(
        "select uploaded_at as event_at, 'store' as kind, upload_id, uploaded_by as actor from uploads"
        " union all"
        " select rolled_back_at, 'rollback', upload_id, rolled_back_by from uploads"
        " where rolled_back_at is not null"
        " order by event_at, kind desc, upload_id"
    ).fetchall()
    new_id: dict[int, int] = {}
    stored = rolled_back = 0
    for event_at, kind, upload_id, actor in events:
        if kind == "rollback":
            # the original time and person, so that a rebuilt warehouse rebuilds the same again
            rollback_upload(target, new_id[upload_id], actor=actor, rolled_back_at=event_at)
            rolled_back += 1
            continue
        uploaded_at, uploaded_by, org_code, file_name, source_name, content_hash, size_bytes, \
            content, source_ref, source_revision = src.execute(
                "select u.uploaded_at, u.uploaded_by, u.org_code, u.file_name, u.source,"
                " u.content_hash, a.size_bytes, a.content, u.source_ref, u.source_revision"
                " from uploads u join archive_files a using (content_hash) where u.upload_id = ?",
                [upload_id],
            ).fetchone()
        try:
            checked = checked_from_canonical(content, file_name=file_name, content_hash=content_hash)
        except ArchiveError as error:
            raise RebuildError(f"upload {upload_id} ({file_name}) no longer passes: {error}") from error
        result = store_upload(target, checked, size_bytes, uploaded_by=uploaded_by,
                              org_code=org_code, source=source_name, uploaded_at=uploaded_at,
                              source_ref=source_ref, source_revision=source_revision)
        if result.unchanged:
            # the original stored this upload, so the replay has drifted from the ledger
            raise RebuildError(f"upload {upload_id} ({file_name}) replayed as identical to upload"
                               f" {result.upload_id}: the ledger's order of events was not reproduced")
        new_id[upload_id] = result.upload_id
        stored += 1
    # the locks last: the replay re-stores months that were locked after they arrived
    def _change(cur):
        for table in ("locked_months", "organisation_locked_months", "sheet_connections"):
            rows = src.execute(f"select * from {table}").df()  # noqa: S608 — fixed table names
            if table == "sheet_connections":   # the upload a sheet last gave, by its new number
                rows["last_upload_id"] = [None if pd.isna(u) else new_id.get(int(u)) for u in rows["last_upload_id"]]
            cur.register("copied", rows)
            cur.execute(f"insert into {table} select * from copied")  # noqa: S608
            cur.unregister("copied")

    target.write(_change)
    return {"uploads": stored, "rollbacks": rolled_back}
