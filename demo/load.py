"""Load the demo network through the same path as a member organisation's upload."""

from datetime import date

from demo.network import DEMO_ORGS, demo_start_month, demo_workbooks, last_complete_month
from warehouse import Warehouse
from warehouse.imports import import_file
from warehouse.organisations import add_organisation, list_organisations


class DemoLoadError(RuntimeError):
    """A demo workbook was refused by the checks: the generator and the reader disagree."""


def warehouse_is_empty(warehouse: Warehouse) -> bool:
    cur = warehouse.cursor()
    try:
        return cur.execute(
            "select (select count(*) from organisations) + (select count(*) from uploads)"
        ).fetchone()[0] == 0
    finally:
        cur.close()


def load_demo(warehouse: Warehouse, today: date, only_if_empty: bool = False) -> dict:
    """Register the demo organisations (once) and import one workbook each for the last 24
    complete months. Re-running replaces the demo months; real organisations are untouched."""
    if only_if_empty and not warehouse_is_empty(warehouse):
        return {"loaded": False, "message": "the warehouse already holds data; demo not loaded"}
    end_month = last_complete_month(today)
    known = {org.org_code for org in list_organisations(warehouse)}
    for org in DEMO_ORGS:
        if org.code not in known:
            add_organisation(warehouse, org.code, org.name, start_month=demo_start_month(org, end_month),
                             municipality=org.municipality, aliases=org.aliases, is_demo=True,
                             actor="demo")
    added = replaced = 0
    for org_code, file_name, content in demo_workbooks(end_month):
        outcome = import_file(warehouse, file_name, content, org_code=org_code, uploaded_by="demo",
                              source="demo", today=today)
        if not outcome.checked.ok:
            codes = [(p.code, p.sheet, p.row, p.column, p.value) for p in outcome.checked.errors[:5]]
            raise DemoLoadError(f"{file_name} was refused: {codes}")
        added += outcome.stored.rows_added
        replaced += outcome.stored.rows_replaced
    return {"loaded": True, "organisations": len(DEMO_ORGS), "rows_added": added,
            "rows_replaced": replaced, "last_month": f"{end_month:%Y-%m}",
            "message": f"demo network loaded: {len(DEMO_ORGS)} organisations, {added} rows"
                       f" up to {end_month:%Y-%m}"}
