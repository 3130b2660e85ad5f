"""Tiny hand-written warehouse contents for query tests.

Rows are dicts with the warehouse's column names; months may be written "2025-03".
`insert_rows` puts them in the sheet's *_rows table and marks their org-months as in
force in current_sheet_months (replacing an earlier upload's months, as an import does).
"""

import itertools
from datetime import date

from data_sources.vocabulary import SHEET_COLUMNS
from warehouse import SHEET_TABLES, Warehouse
from warehouse.rows_in_force import refresh

_upload_ids = itertools.count(1000)
# what a blank cell means in the contract, so tests only write the columns they are about
DEFAULTS = {
    "toiminta": {"count_activities": 1},
    "asenteet": {"count_respondents": 1, "measurement_point": "kartoitus"},
    "kysynta": {"count_sessions": 1},
    "kapasiteetti": {},
}


def month(text: str | date) -> date:
    """ "2025-03" -> date(2025, 3, 1); dates pass through."""
    if isinstance(text, date):
        return text
    year, mon = text.split("-")
    return date(int(year), int(mon), 1)


def new_warehouse() -> Warehouse:
    return Warehouse(":memory:")


def add_org(warehouse: Warehouse, code: str, name: str | None = None,
            start_month: str | date = "2020-01", municipality: str | None = None) -> None:
    with warehouse.transaction() as cur:
        cur.execute(
            "insert into organisations (org_code, org_name, start_month, municipality) values (?, ?, ?, ?)",
            [code, name or code.upper(), month(start_month), municipality],
        )


def insert_rows(warehouse: Warehouse, sheet: str, rows: list[dict], org_code: str = "org_a",
                upload_id: int | None = None) -> int:
    """Insert `rows` of `sheet` as one upload in force; returns its upload id."""
    table, month_column = SHEET_TABLES[sheet]
    upload_id = upload_id if upload_id is not None else next(_upload_ids)
    columns = ["upload_id", *SHEET_COLUMNS[sheet]]
    records = []
    for number, row in enumerate(rows, start=2):
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{sheet} has no column(s) {sorted(unknown)}")
        values = {"upload_id": upload_id, "source_row": number, "org_code": org_code, **DEFAULTS[sheet], **row}
        values[month_column] = month(values[month_column])
        records.append([values.get(column) for column in columns])
    sheet_months = sorted({(record[columns.index("org_code")], record[columns.index(month_column)])
                           for record in records})
    with warehouse.transaction() as cur:
        if records:
            placeholders = ", ".join("?" for _ in columns)
            cur.executemany(f"insert into {table} ({', '.join(columns)}) values ({placeholders})",  # noqa: S608 — fixed names
                            records)
        for org, period_month in sheet_months:
            cur.execute(
                "delete from current_sheet_months where org_code = ? and sheet = ? and period_month = ?",
                [org, sheet, period_month],
            )
            cur.execute(
                "insert into current_sheet_months (org_code, sheet, period_month, upload_id) values (?, ?, ?, ?)",
                [org, sheet, period_month, upload_id],
            )
        # what the ledger keeps beside the rows: which are in force, and their perturbed counts
        refresh(cur, (table,))
    return upload_id


def demo_file(directory):
    """The demo network, loaded in this process into a new file `demo.duckdb` in `directory`."""
    from demo.load import load_demo

    path = directory / "demo.duckdb"
    with Warehouse(str(path)) as wh:
        load_demo(wh, date.today())
    return path
