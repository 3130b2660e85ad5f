"""The audit log: every accepted, refused, unchanged or rolled-back upload and registry change.

An event's details are small whatever the upload held: a file with a million unknown columns
once wrote an 18 MB entry listing a million warning codes. Details longer than
MAX_DETAILS_CHARS of JSON have their lists of repeated codes counted instead ({"unknown_column":
1000000}), and whatever is still too long is replaced by its size; callers pass codes and
counts, never cell values.
"""

import json
from collections import Counter
from datetime import UTC, datetime

MAX_DETAILS_CHARS = 4096


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record_event(cur, actor: str, action: str, *, org_code=None, upload_id=None,
                 file_name=None, details: dict | None = None) -> None:
    """Append one event, inside the caller's transaction so it lands with the change it records."""
    # the next number, under the write turn (DuckLake has no sequences)
    cur.execute(
        "insert into audit_log (event_id, event_at, actor, action, org_code, upload_id, file_name, details)"
        " select coalesce(max(event_id), 0) + 1, ?, ?, ?, ?, ?, ?, ? from audit_log",
        [now_utc(), actor, action, org_code, upload_id, file_name, bounded_details(details)],
    )


def bounded_details(details: dict | None) -> str:
    """An event's details as JSON of at most MAX_DETAILS_CHARS characters."""
    details = dict(details or {})
    text = _json(details)
    if len(text) <= MAX_DETAILS_CHARS:
        return text
    for key, value in details.items():
        if isinstance(value, list) and all(isinstance(item, str) for item in value) \
                and len(set(value)) < len(value):
            details[key] = dict(sorted(Counter(value).items()))
    text = _json(details)
    # the largest values go first, until the rest fits
    for key in sorted(details, key=lambda name: len(_json(details[name])), reverse=True):
        if len(text) <= MAX_DETAILS_CHARS:
            break
        details[key] = {"omitted_chars": len(_json(details[key]))}
        text = _json(details)
    if len(text) > MAX_DETAILS_CHARS:   # a great many keys
        text = _json({"omitted_chars": len(text)})
    return text


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
