"""The rows in force, and each row's perturbed counts, kept as data beside the rows.

`current_sheet_months` says which upload is in force for each organisation × sheet × month;
every figure reads only those rows, and a member or board viewer reads them with their small
protected counts perturbed (migration 005, docs/figures.md "Privacy"). Both used to be worked
out by every query: a join of a million rows with the pointers and a keyed SHA-256 per row.
From migration 008 they are stored with each row, in the same transaction as the change that
decides them (warehouse/ledger.py: an upload stores its rows in force and takes the months'
old rows out of force; a rollback puts them back):

- `in_force`: the row belongs to the upload `current_sheet_months` points at for its month;
- `<count>_perturbed`: the value a viewer with protected counts sees when the true value is
  below the threshold — drawn by the same `perturbed_count` macro from the same salt as before,
  for a threshold above any count, so the threshold stays a setting: a query takes the
  perturbed value where the true one is below the viewer's threshold, else the true one.

`check(cur)` recomputes both from the pointers and the key and says where they differ (the
tests' reference; `refresh(cur)` rewrites them, for tools that write rows straight into the
tables, and for a changed privacy key).
"""

from warehouse import SHEET_TABLES

# a threshold no count reaches: perturbed_count then draws for every value from 2 up
ALWAYS = 2**62

# table -> (count column, its perturbed column, the salt the draw is keyed by), as in migration 005
PERTURBED = {
    "activity_rows": (
        ("count_activities", "count_activities_perturbed",
         "concat_ws('|', 'n', org_code, activity_month, activity_type, count_activities)"),
        ("people_reached", "people_reached_perturbed",
         "concat_ws('|', 'p', org_code, activity_month, activity_type, people_reached)"),
    ),
    "attitude_rows": (
        ("count_respondents", "count_respondents_perturbed",
         "concat_ws('|', 'r', org_code, answer_month, respondent_group, measurement_point,"
         " attitude_stage, count_respondents)"),
    ),
}

# the columns a table holds beside the rows as sent: never shown, never in a view
DERIVED = {table: ("in_force", *(p for _, p, _ in PERTURBED.get(table, ()))) for table, _ in SHEET_TABLES.values()}


def perturbed_expressions(table: str) -> list[tuple[str, str]]:
    """(perturbed column, SQL computing it from the row's own columns) for `table`."""
    return [(perturbed, f"perturbed_count({column}, {ALWAYS}, {salt})")
            for column, perturbed, salt in PERTURBED.get(table, ())]


def _in_force_sql(table: str, sheet: str, month_column: str) -> str:
    return (f"exists (select 1 from current_sheet_months c where c.upload_id = {table}.upload_id"  # noqa: S608 — fixed names
            f" and c.org_code = {table}.org_code and c.sheet = '{sheet}' and c.period_month = {table}.{month_column})")


def refresh(cur, tables: tuple[str, ...] | None = None) -> None:
    """Rewrite the derived columns of every row of `tables` (default all) from the pointers and
    the privacy key."""
    for sheet, (table, month_column) in SHEET_TABLES.items():
        if tables is not None and table not in tables:
            continue
        sets = [f"in_force = {_in_force_sql(table, sheet, month_column)}"]
        sets += [f"{column} = {sql}" for column, sql in perturbed_expressions(table)]
        cur.execute(f"update {table} set {', '.join(sets)}")  # noqa: S608 — fixed names


def check(cur) -> dict[str, int]:
    """Rows whose derived columns differ from what the pointers and the key say, per table
    (all zero in a sound warehouse)."""
    wrong = {}
    for sheet, (table, month_column) in SHEET_TABLES.items():
        differs = [f"in_force is distinct from {_in_force_sql(table, sheet, month_column)}"]
        differs += [f"{column} is distinct from {sql}" for column, sql in perturbed_expressions(table)]
        wrong[table] = cur.execute(f"select count(*) from {table} where {' or '.join(differs)}").fetchone()[0]  # noqa: S608
    return wrong


def take_out_of_force(cur, sheet: str, org_code: str, month, upload_id: int) -> None:
    """The rows `upload_id` sent for `org_code`'s `month` of `sheet` are no longer in force."""
    table, month_column = SHEET_TABLES[sheet]
    cur.execute(f"update {table} set in_force = false where upload_id = ? and org_code = ?"  # noqa: S608 — fixed names
                f" and {month_column} = ? and in_force", [upload_id, org_code, month])


def put_in_force(cur, sheet: str, org_code: str, month, upload_id: int) -> None:
    table, month_column = SHEET_TABLES[sheet]
    cur.execute(f"update {table} set in_force = true where upload_id = ? and org_code = ?"  # noqa: S608 — fixed names
                f" and {month_column} = ? and in_force is not true", [upload_id, org_code, month])
