"""The uploads ledger: store an accepted upload, preview what it would change, roll it back.

An upload replaces, for each organisation × sheet × month its rows cover, whatever was in
force before — and nothing else. Rows are never deleted: `current_sheet_months` points at
the upload in force, so a rollback only moves those pointers back. Everything one upload
does happens in one transaction, so a killed process leaves the warehouse as it was.
"""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from data_sources.problems import CheckedUpload
from data_sources.vocabulary import MONTH_COLUMN, SHEET_COLUMNS
from warehouse import SHEET_TABLES, Warehouse
from warehouse.access import is_locked, locked_keys
from warehouse.archive import FORMAT as ARCHIVE_FORMAT
from warehouse.archive import canonical_content
from warehouse.audit import now_utc, record_event
from warehouse.rows_in_force import perturbed_expressions, put_in_force, take_out_of_force

# Fault injection for the crash-safety test: when set to a path, store_upload writes that
# file after inserting its rows and then waits before committing, so a test can kill it there.
PAUSE_ENV = "KOKEMUSMITTARI_FAULT_PAUSE_BEFORE_COMMIT"


# The one figure a person checks first on each sheet: activities, respondents, requested
# sessions, active experts. The preview shows it before and after an upload.
HEADLINE_COLUMNS = {
    "toiminta": "count_activities",
    "asenteet": "count_respondents",
    "kysynta": "count_sessions",
    "kapasiteetti": "count_active",
}
# the views of the rows in force (migration 001)
SHEET_VIEWS = {"toiminta": "activities", "asenteet": "attitudes", "kysynta": "demand",
               "kapasiteetti": "capacity"}
# a change of the headline total by more than this share of what is stored is highlighted
LARGE_CHANGE_SHARE = 0.5


@dataclass(frozen=True)
class Replaced:
    """Rows in force for one organisation × sheet × month that an upload would replace."""

    upload_id: int
    uploaded_at: datetime
    file_name: str
    count_rows: int
    uploaded_by: str = ""
    headline_total: float = 0


@dataclass(frozen=True)
class SheetMonthChange:
    org_code: str
    sheet: str
    period_month: date
    count_new_rows: int
    replaced: Replaced | None
    headline_total: float = 0         # the sheet's headline figure after the upload

    @property
    def headline_before(self) -> float | None:
        return self.replaced.headline_total if self.replaced else None

    @property
    def is_large_change(self) -> bool:
        """A drop or rise of more than half of what is stored now (40 → 4, 10 → 25)."""
        before = self.headline_before
        if not before:
            return False
        return abs(self.headline_total - before) > LARGE_CHANGE_SHARE * before


@dataclass
class UploadPreview:
    changes: list[SheetMonthChange] = field(default_factory=list)
    # the upload already in force for all of this content, when the file is an identical re-send
    identical_upload_id: int | None = None

    @property
    def unchanged(self) -> bool:
        return self.identical_upload_id is not None

    @property
    def rows_added(self) -> int:
        return sum(c.count_new_rows for c in self.changes)

    @property
    def rows_replaced(self) -> int:
        return sum(c.replaced.count_rows for c in self.changes if c.replaced)

    @property
    def months(self) -> list[date]:
        return sorted({c.period_month for c in self.changes})

    @property
    def superseded(self) -> list[Replaced]:
        """The earlier uploads this one replaces (wholly or in part), each once, oldest first."""
        by_id: dict[int, Replaced] = {}
        for change in self.changes:
            if change.replaced:
                seen = by_id.get(change.replaced.upload_id)
                rows = change.replaced.count_rows + (seen.count_rows if seen else 0)
                by_id[change.replaced.upload_id] = replace(change.replaced, count_rows=rows)
        return [by_id[k] for k in sorted(by_id)]


@dataclass(frozen=True)
class StoreResult:
    upload_id: int
    rows_added: int
    rows_replaced: int
    superseded: tuple[int, ...]
    unchanged: bool


class UploadRefused(ValueError):
    """store_upload was handed a file that did not pass its checks."""


def _sheet_months(checked: CheckedUpload, default_org: str | None) -> dict[tuple, tuple[int, float]]:
    """(org_code, sheet, month) -> (rows the upload holds for it, their headline total)."""
    counts: dict[tuple, tuple[int, float]] = {}
    for sheet, frame in checked.sheets.items():
        if frame is None or frame.empty:
            continue
        orgs = frame["org_code"].fillna(default_org) if default_org else frame["org_code"]
        # each row's month as its first day, worked out on the column (a date object per row
        # cost a tenth of a second for 100,000 rows)
        months = pd.to_datetime(frame[MONTH_COLUMN[sheet]]).dt.to_period("M").dt.to_timestamp()
        headline = pd.to_numeric(frame[HEADLINE_COLUMNS[sheet]], errors="coerce").fillna(0)
        grouped = pd.DataFrame({"n": 1, "total": headline.to_numpy()}, index=[orgs, months]) \
            .groupby(level=[0, 1]).sum()
        for (org, month), n, total in zip(grouped.index, grouped["n"], grouped["total"], strict=True):
            counts[(org, sheet, month.date())] = (int(n), _number(total))
    return counts


def _number(value) -> float:
    """A headline total as an int when it is whole (counts), else a float (hours)."""
    value = float(value)
    return int(value) if value.is_integer() else value


def preview_upload(warehouse: Warehouse, checked: CheckedUpload, org_code: str | None = None,
                   protect_below: int | None = None) -> UploadPreview:
    """What storing `checked` would change, without changing anything.

    With `protect_below` (a viewer who is not leadership) the totals stored now are read from
    the same perturbed rows as every figure that viewer sees (docs/figures.md, "Privacy"):
    the preview must not give back another organisation's exact counts.
    """
    cur = warehouse.cursor()
    try:
        return _preview(cur, checked, org_code, protect_below)
    finally:
        cur.close()


def _preview(cur, checked: CheckedUpload, org_code: str | None, protect_below: int | None = None) -> UploadPreview:
    wanted = _sheet_months(checked, org_code)
    in_force = {}
    if wanted:
        keys = pd.DataFrame(
            [(o, s, m) for o, s, m in wanted], columns=["org_code", "sheet", "period_month"]
        )
        cur.register("wanted_keys", keys)
        rows = cur.execute(
            "select c.org_code, c.sheet, c.period_month, u.upload_id, u.uploaded_at, u.file_name,"
            " u.content_hash, m.count_rows, u.uploaded_by"
            " from wanted_keys w"
            " join current_sheet_months c"
            "   on c.org_code = w.org_code and c.sheet = w.sheet and c.period_month = w.period_month"
            " join uploads u on u.upload_id = c.upload_id"
            " join upload_sheet_months m on m.upload_id = c.upload_id and m.org_code = c.org_code"
            "  and m.sheet = c.sheet and m.period_month = c.period_month"
        ).fetchall()
        cur.unregister("wanted_keys")
        in_force = {(o, s, m): rest for o, s, m, *rest in rows}
    totals_before = _headline_totals_in_force(cur, [k for k in wanted if k in in_force], protect_below)
    changes = []
    for key in sorted(wanted):
        before = in_force.get(key)
        replaced = Replaced(before[0], before[1], before[2], before[4], before[5],
                            totals_before.get(key, 0)) if before else None
        count, total = wanted[key]
        changes.append(SheetMonthChange(key[0], key[1], key[2], count, replaced, total))
    identical = {in_force[k][0] for k in wanted if k in in_force and in_force[k][3] == checked.content_hash}
    covered_identically = wanted and all(
        k in in_force and in_force[k][3] == checked.content_hash for k in wanted
    )
    preview = UploadPreview(changes=changes)
    if covered_identically and len(identical) == 1:
        preview.identical_upload_id = identical.pop()
    return preview


# the rows in force as a viewer with protected counts sees them (warehouse migration 005)
_PERTURBED_VIEWS = {
    "toiminta": "activities_in_scope(date '0001-01-01', date '9999-12-01', null, null, null, $protect_below,"
                " $protected_types)",
    "asenteet": "attitudes_in_scope(date '0001-01-01', date '9999-12-01', null, null, $protect_below)",
}


def _headline_totals_in_force(cur, keys: list[tuple], protect_below: int | None = None) -> dict[tuple, float]:
    """(org_code, sheet, month) -> the headline total of the rows in force for it now."""
    from data_sources.vocabulary import PROTECTED_ACTIVITY_TYPES

    totals = {}
    for sheet in sorted({key[1] for key in keys}):
        _, month_column = SHEET_TABLES[sheet]
        source, params = SHEET_VIEWS[sheet], {}
        if protect_below is not None and sheet in _PERTURBED_VIEWS:
            source = _PERTURBED_VIEWS[sheet]
            params = {"protect_below": protect_below}
            if sheet == "toiminta":
                params["protected_types"] = list(PROTECTED_ACTIVITY_TYPES)
        wanted = pd.DataFrame([(o, m) for o, s, m in keys if s == sheet], columns=["org_code", "period_month"])
        cur.register("wanted_months", wanted)
        rows = cur.execute(
            f"select w.org_code, w.period_month, coalesce(sum(r.{HEADLINE_COLUMNS[sheet]}), 0)"  # noqa: S608 — names from vocabulary
            f" from wanted_months w join {source} r"
            f"   on r.org_code = w.org_code and r.{month_column} = w.period_month"
            " group by all", params
        ).fetchall()
        cur.unregister("wanted_months")
        totals.update({(org, sheet, month): _number(total) for org, month, total in rows})
    return totals


def store_upload(
    warehouse: Warehouse, checked: CheckedUpload, size_bytes: int, *, uploaded_by: str,
    org_code: str | None, source: str, uploaded_at: datetime | None = None,
    source_ref: str | None = None, source_revision: str | None = None, after_store=None,
) -> StoreResult:
    """Store an accepted upload in one transaction: archive, ledger, rows, pointers, audit.
    `size_bytes` is the original file's size; the file itself is never kept. A sheet's key and
    the revision read go in `source_ref` and `source_revision`; `after_store(cur, upload_id)`
    (upload_id None: unchanged) runs in the same transaction (the sheet connection's record)."""
    if not checked.ok:
        raise UploadRefused(f"{checked.file_name}: {len(checked.errors)} problem(s)")
    def _change(cur):
        preview = _preview(cur, checked, org_code)
        # locked between the check and the confirm: nothing is stored, nothing half-applied
        locks = locked_keys(cur)
        if any(is_locked(locks, c.org_code, c.period_month) for c in preview.changes):
            raise PeriodLocked(f"{checked.file_name}: a month it changes is locked")
        if preview.unchanged:
            record_event(cur, uploaded_by, "upload_unchanged", org_code=org_code,
                         upload_id=preview.identical_upload_id, file_name=checked.file_name,
                         details={"content_hash": checked.content_hash})
            if after_store is not None:
                after_store(cur, None)
            return StoreResult(preview.identical_upload_id, 0, 0, (), True)
        # the next number, under the write turn (DuckLake has no sequences; the embedded file
        # takes one writer at a time): unique on both warehouses
        upload_id = cur.execute("select coalesce(max(upload_id), 0) + 1 from uploads").fetchone()[0]
        stored_at = uploaded_at or now_utc()
        superseded = tuple(r.upload_id for r in preview.superseded)
        cur.execute(
            "insert into uploads (upload_id, uploaded_at, uploaded_by, org_code, file_name,"
            " content_hash, file_type, source, rows_added, rows_replaced, supersedes, source_ref, source_revision)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [upload_id, stored_at, uploaded_by, org_code, checked.file_name,
             checked.content_hash, checked.file_type, source, preview.rows_added,
             preview.rows_replaced, list(superseded), source_ref, source_revision],
        )
        changes = pd.DataFrame(
            [(c.org_code, c.sheet, c.period_month, c.count_new_rows) for c in preview.changes],
            columns=["org_code", "sheet", "period_month", "count_rows"],
        )
        cur.register("changes", changes)
        cur.execute(
            "insert into upload_sheet_months (upload_id, org_code, sheet, period_month, count_rows)"
            " select ?, org_code, sheet, period_month, count_rows from changes", [upload_id],
        )
        # the months' pointers move to this upload: one per organisation × sheet × month
        cur.execute("delete from current_sheet_months c using changes n where c.org_code = n.org_code"
                    " and c.sheet = n.sheet and c.period_month = n.period_month")
        cur.execute(
            "insert into current_sheet_months (org_code, sheet, period_month, upload_id)"
            " select org_code, sheet, period_month, ? from changes", [upload_id],
        )
        # and the rows of those months leave force (warehouse/rows_in_force.py); this upload's
        # rows go in in force
        for sheet in sorted({c.sheet for c in preview.changes}):
            table, month_column = SHEET_TABLES[sheet]
            cur.execute(f"update {table} r set in_force = false from changes n"  # noqa: S608 — names from vocabulary
                        f" where r.in_force and n.sheet = ? and r.org_code = n.org_code"
                        f" and r.{month_column} = n.period_month", [sheet])
        cur.unregister("changes")
        for sheet, frame in checked.sheets.items():
            _insert_rows(cur, sheet, frame, upload_id, org_code)
        # the canonical copy only: the file's own bytes may carry what no one may keep
        # one copy per content (the same file sent again, or for a month rolled back, shares it)
        if not cur.execute("select count(*) from archive_files where content_hash = ?",
                           [checked.content_hash]).fetchone()[0]:
            cur.execute(
                "insert into archive_files (content_hash, file_name, size_bytes, content, archived_at,"
                " content_format) values (?, ?, ?, ?, ?, ?)",
                [checked.content_hash, checked.file_name, size_bytes, archived.result(), stored_at, ARCHIVE_FORMAT],
            )
        record_event(
            cur, uploaded_by, "upload_stored", org_code=org_code, upload_id=upload_id,
            file_name=checked.file_name,
            details={"source": source, "content_hash": checked.content_hash,
                     "rows_added": preview.rows_added, "rows_replaced": preview.rows_replaced,
                     "supersedes": list(superseded),
                     "months": {s: checked.months(s) for s in checked.sheets},
                     "warnings": [p.code for p in checked.warnings]},
        )
        if after_store is not None:
            after_store(cur, upload_id)
        _pause_for_fault_test()
        return StoreResult(upload_id, preview.rows_added, preview.rows_replaced, superseded, False)

    # the archive's canonical copy written beside the rows going in (DuckDB lets go of Python's
    # lock while it inserts them; ~0.1 s of a 100,000-row file's store), once however often a
    # DuckLake conflict makes the write run again
    with ThreadPoolExecutor(max_workers=1) as pool:
        archived = pool.submit(canonical_content, checked)
        return warehouse.write(_change)


def _insert_rows(cur, sheet: str, frame: pd.DataFrame, upload_id: int, org_code: str | None) -> None:
    if frame is None or frame.empty:
        return
    table, month_column = SHEET_TABLES[sheet]
    rows = frame.loc[:, list(SHEET_COLUMNS[sheet])].copy()
    if org_code:
        rows["org_code"] = rows["org_code"].fillna(org_code)
    rows[month_column] = pd.to_datetime(rows[month_column]).dt.to_period("M").dt.to_timestamp()
    cur.register("incoming_rows", rows)
    columns = ", ".join(SHEET_COLUMNS[sheet])
    # in force, each protected count's perturbed value beside it (warehouse/rows_in_force.py),
    # computed from the values as the table holds them (a month as a date, a count as an integer)
    types = dict(cur.execute(f"select column_name, column_type from (describe {table})").fetchall())  # noqa: S608
    typed = ", ".join(f"cast({c} as {types[c]}) as {c}" for c in SHEET_COLUMNS[sheet])
    derived = perturbed_expressions(table)
    cur.execute(
        f"insert into {table} (upload_id, {columns}, in_force{''.join(', ' + c for c, _ in derived)})"  # noqa: S608 — names from vocabulary, not from input
        f" select ?, {columns}, true{''.join(', ' + sql for _, sql in derived)}"
        f" from (select {typed} from incoming_rows)",
        [upload_id],
    )
    cur.unregister("incoming_rows")


def _pause_for_fault_test() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if marker:
        Path(marker).write_text("rows inserted, not committed")
        time.sleep(600)


# at most this many places of a refusal are logged; the codes are counted in full
MAX_LOGGED_PLACES = 50


def record_refusal(warehouse: Warehouse, checked: CheckedUpload, *, uploaded_by: str,
                   org_code: str | None, source: str, codes: list[str] | None = None) -> None:
    """Only the refusal itself is kept: who, when, the (masked) file name, and each problem's
    code and place — the sheet, when it is one of the contract's, and the row. Never a value,
    a header or a tab's own name: those are the file's free text. `codes` is for a file that
    passed its check but was refused at the confirm (a month locked meanwhile)."""
    places = [{"code": p.code, "sheet": p.sheet if p.sheet in SHEET_TABLES else None, "row": p.row}
              for p in checked.errors[:MAX_LOGGED_PLACES]]
    def _change(cur):
        record_event(cur, uploaded_by, "upload_refused", org_code=org_code,
                     file_name=checked.file_name,
                     details={"source": source,
                              "codes": codes or sorted({p.code for p in checked.errors}),
                              "count_problems": len(checked.errors) or len(codes or ()),
                              "places": places})

    warehouse.write(_change)


class RollbackError(ValueError):
    """The upload cannot be rolled back: `code` says why (unknown, rolled_back, locked_period)."""

    def __init__(self, message: str, code: str = "unknown"):
        super().__init__(message)
        self.code = code


class PeriodLocked(UploadRefused):
    """A month the upload would change was locked after it was checked (the check refuses the rest)."""


def rollback_upload(warehouse: Warehouse, upload_id: int, *, actor: str,
                    rolled_back_at: datetime | None = None,
                    org_codes: list[str] | None = None) -> list[SheetMonthChange]:
    """Withdraw an upload: each sheet-month it holds returns to the upload in force before it
    (the latest earlier upload covering it that is not rolled back), or to nothing. With
    `org_codes` (a member's own), only an upload sent for one of them and holding no other's rows."""
    def _change(cur):
        found = cur.execute(
            "select org_code, file_name, rolled_back_at from uploads where upload_id = ?", [upload_id]
        ).fetchone()
        if found is None:
            raise RollbackError(f"upload {upload_id} does not exist")
        if found[2] is not None:
            raise RollbackError(f"upload {upload_id} was already rolled back", "rolled_back")
        if org_codes is not None:
            others = cur.execute("select count(*) from upload_sheet_months where upload_id = ?"
                                 " and not (org_code = any(?))", [upload_id, org_codes]).fetchone()[0]
            if found[0] not in org_codes or others:
                raise RollbackError(f"upload {upload_id} was not sent for {', '.join(org_codes)}", "not_yours")
        locks = locked_keys(cur)
        held = cur.execute("select org_code, period_month from current_sheet_months where upload_id = ?",
                           [upload_id]).fetchall()
        if any(is_locked(locks, org, month) for org, month in held):
            raise RollbackError(f"upload {upload_id} holds a locked month", "locked_period")
        cur.execute(
            "update uploads set rolled_back_at = ?, rolled_back_by = ? where upload_id = ?",
            [rolled_back_at or now_utc(), actor, upload_id],
        )
        months = cur.execute(
            "select m.org_code, m.sheet, m.period_month from upload_sheet_months m"
            " join current_sheet_months c using (org_code, sheet, period_month)"
            " where m.upload_id = ? and c.upload_id = ?", [upload_id, upload_id],
        ).fetchall()
        restored = []
        for org, sheet, month in months:
            before = cur.execute(
                "select u.upload_id, u.uploaded_at, u.file_name, m.count_rows"
                " from upload_sheet_months m join uploads u using (upload_id)"
                " where m.org_code = ? and m.sheet = ? and m.period_month = ?"
                "   and u.rolled_back_at is null and u.upload_id <> ?"
                " order by u.upload_id desc limit 1",
                [org, sheet, month, upload_id],
            ).fetchone()
            cur.execute(
                "delete from current_sheet_months where org_code = ? and sheet = ? and period_month = ?",
                [org, sheet, month],
            )
            take_out_of_force(cur, sheet, org, month, upload_id)
            if before:
                cur.execute(
                    "insert into current_sheet_months (org_code, sheet, period_month, upload_id)"
                    " values (?, ?, ?, ?)", [org, sheet, month, before[0]],
                )
                put_in_force(cur, sheet, org, month, before[0])
            restored.append(SheetMonthChange(org, sheet, month, 0, Replaced(*before) if before else None))
        record_event(cur, actor, "upload_rolled_back", org_code=found[0], upload_id=upload_id,
                     file_name=found[1],
                     details={"restored": {
                         f"{c.org_code}/{c.sheet}/{c.period_month:%Y-%m}":
                             c.replaced.upload_id if c.replaced else None
                         for c in restored}})
        return restored

    return warehouse.write(_change)


def list_uploads(warehouse: Warehouse, org_codes: list[str] | None = None) -> pd.DataFrame:
    """The ledger, newest first, with the months each upload covers and whether it is in force."""
    cur = warehouse.cursor()
    try:
        return cur.execute(
            "select u.upload_id, u.uploaded_at, u.uploaded_by, u.org_code, u.file_name, u.source,"
            " u.rows_added, u.rows_replaced, u.supersedes, u.rolled_back_at,"
            " min(m.period_month) as first_month, max(m.period_month) as last_month,"
            " list(distinct m.sheet order by m.sheet) as sheets,"
            " count(c.upload_id) as count_sheet_months_in_force"
            " from uploads u"
            # the months of the organisations asked about only: an upload sent for several
            # organisations lists, for one of them, that organisation's months alone
            " left join upload_sheet_months m on m.upload_id = u.upload_id"
            "  and ($orgs is null or m.org_code = any($orgs))"
            " left join current_sheet_months c on c.upload_id = m.upload_id and c.org_code = m.org_code"
            "  and c.sheet = m.sheet and c.period_month = m.period_month"
            " where ($orgs is null or u.org_code = any($orgs)"
            "        or m.org_code is not null)"
            " group by all order by u.upload_id desc",
            {"orgs": org_codes},
        ).df()
    finally:
        cur.close()


def last_stored_at(warehouse: Warehouse, org_codes: tuple[str, ...] | list[str] | None = None) -> datetime | None:
    """When the newest upload still in force for these organisations (all: None) was stored:
    the board pack's "data last updated"."""
    cur = warehouse.cursor()
    try:
        found = cur.execute(
            "select max(u.uploaded_at) from current_sheet_months c join uploads u using (upload_id)"
            " where $orgs is null or c.org_code = any($orgs)",
            {"orgs": list(org_codes) if org_codes else None},
        ).fetchone()
    finally:
        cur.close()
    return found[0] if found else None
