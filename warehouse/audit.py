"""The audit log: every accepted, refused, unchanged or rolled-back upload and registry change."""

import json
from datetime import datetime, timezone


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def record_event(cur, actor: str, action: str, *, org_code=None, upload_id=None,
                 file_name=None, details: dict | None = None) -> None:
    """Append one event, inside the caller's transaction so it lands with the change it records."""
    cur.execute(
        "insert into audit_log (event_at, actor, action, org_code, upload_id, file_name, details)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [now_utc(), actor, action, org_code, upload_id, file_name,
         json.dumps(details or {}, ensure_ascii=False, default=str)],
    )
