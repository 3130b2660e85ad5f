"""004: the archive keeps a canonical copy of each upload instead of the file's bytes.

Archives written before this hold the raw files, which may carry names in notes columns,
identity codes in comments or print headers. Each is replaced by the canonical copy of the
rows its first upload stored (warehouse/archive.py); the warehouse compacts the file
afterwards (Warehouse.compact) so the old bytes do not linger in free blocks.
"""

import pandas as pd

from data_sources.values import UNKNOWN_MUNICIPALITY, resolve_municipality
from data_sources.vocabulary import SHEET_COLUMNS
from warehouse import SHEET_TABLES
from warehouse.archive import FORMAT, canonical_from_rows


def upgrade(cur) -> bool:
    """Returns True when raw files or free text were removed: their bytes must not linger in
    the warehouse file's free blocks, so the warehouse compacts the file."""
    cur.execute("alter table archive_files add column content_format varchar default 'raw'")
    forgotten = _forget_unknown_municipalities(cur)
    raw = cur.execute(
        "select a.content_hash, min(u.upload_id), any_value(u.file_type)"
        " from archive_files a join uploads u using (content_hash)"
        " where a.content_format = 'raw' group by a.content_hash"
    ).fetchall()
    for content_hash, upload_id, file_type in raw:
        org_code = cur.execute("select org_code from uploads where upload_id = ?", [upload_id]).fetchone()[0]
        frames = {}
        for sheet, (table, _) in SHEET_TABLES.items():
            columns = ", ".join(SHEET_COLUMNS[sheet])
            frame = cur.execute(
                f"select {columns} from {table} where upload_id = ? order by source_row",  # noqa: S608 — fixed names
                [upload_id],
            ).df()
            if not frame.empty:
                # an organisation filled in from the upload's own came from the form, not the file
                if org_code is not None:
                    frame["org_code"] = frame["org_code"].where(frame["org_code"] != org_code, None)
                for column in frame.columns:
                    if column.endswith("_month"):
                        frame[column] = pd.to_datetime(frame[column])
                frames[sheet] = frame
        cur.execute(
            "update archive_files set content = ?, content_format = ? where content_hash = ?",
            [canonical_from_rows(frames, file_type), FORMAT, content_hash],
        )
    # an archived file no upload refers to any more has no rows to make a copy from
    cur.execute("delete from archive_files where content_format = 'raw'")
    return bool(raw) or forgotten


def _forget_unknown_municipalities(cur) -> bool:
    """Municipalities off the official list were once stored as written: free text, which
    may be anything (a person's name included). They become the unknown code."""
    forgotten = False
    for table in ("activity_rows", "demand_rows", "organisations"):
        names = [row[0] for row in cur.execute(
            f"select distinct municipality from {table} where municipality is not null"  # noqa: S608
        ).fetchall()]
        for name in names:
            official = resolve_municipality(name)
            if official != name:
                replacement = official or (None if table == "organisations" else UNKNOWN_MUNICIPALITY)
                cur.execute(f"update {table} set municipality = ? where municipality = ?",  # noqa: S608
                            [replacement, name])
                forgotten = True
    return forgotten
