"""008: which rows are in force, and each row's perturbed counts, stored with the rows.

Every query read the rows in force through a join of the row tables with the pointers
(`current_sheet_months`), and a member or board viewer's through a keyed SHA-256 per row: at a
hundred organisations × ten years (a million activity rows) that was most of every page's time.
Both are now columns the upload and the rollback keep (warehouse/rows_in_force.py), filled here
for the rows already stored; the views and the scope macros read them and give the same rows,
the same columns and the same perturbed values as before (tests/test_rows_in_force.py holds
the old definitions as its reference).
"""

from warehouse import SHEET_TABLES
from warehouse.rows_in_force import DERIVED, PERTURBED, refresh

MACROS = r"""
create or replace view activities as
select * exclude (in_force, count_activities_perturbed, people_reached_perturbed) from activity_rows where in_force;

create or replace view attitudes as
select * exclude (in_force, count_respondents_perturbed) from attitude_rows where in_force;

create or replace view demand as
select * exclude (in_force) from demand_rows where in_force;

create or replace view capacity as
select * exclude (in_force) from capacity_rows where in_force;

-- a count below the viewer's threshold (protect_below; null = exact) is read perturbed; a list is
-- searched by list_contains, not `= any(…)`, which DuckDB plans as a join (a third of the time)
create or replace macro activities_in_scope(from_month, to_month, org_codes, municipalities, sectors,
                                            protect_below, protected_types) as table
select * exclude (in_force, count_activities_perturbed, people_reached_perturbed) replace (
    case when count_activities < protect_below and list_contains(protected_types, activity_type)
         then count_activities_perturbed else count_activities end as count_activities,
    case when people_reached < protect_below then people_reached_perturbed else people_reached end as people_reached
)
from activity_rows
where in_force
  and activity_month between from_month and to_month
  and (org_codes is null or list_contains(org_codes, org_code))
  and (municipalities is null or list_contains(municipalities, municipality))
  and (sectors is null or list_contains(sectors, target_sector));

create or replace macro attitudes_in_scope(from_month, to_month, org_codes, sectors, protect_below) as table
select * exclude (in_force, count_respondents_perturbed) replace (
    case when count_respondents < protect_below then count_respondents_perturbed else count_respondents end
        as count_respondents
)
from attitude_rows
where in_force
  and answer_month between from_month and to_month
  and (org_codes is null or list_contains(org_codes, org_code))
  and (sectors is null or list_contains(sectors, target_sector));

create or replace macro capacity_in_scope(from_month, to_month, org_codes) as table
select *
from capacity
where capacity_month between from_month and to_month
  and (org_codes is null or list_contains(org_codes, org_code));

create or replace macro public_demand_in_scope(from_month, to_month, org_codes, municipalities, sectors,
                                               public_sectors) as table
select *
from demand
where (from_month is null or received_month >= from_month)
  and received_month <= to_month
  and list_contains(public_sectors, requesting_sector)
  and (org_codes is null or list_contains(org_codes, org_code))
  and (municipalities is null or list_contains(municipalities, municipality))
  and (sectors is null or list_contains(sectors, requesting_sector));
"""


def upgrade(cur) -> bool:
    for table, _ in SHEET_TABLES.values():
        types = dict(cur.execute(f"select column_name, column_type from (describe {table})").fetchall())  # noqa: S608
        cur.execute(f"alter table {table} add column in_force boolean")
        for column, perturbed, _ in PERTURBED.get(table, ()):
            cur.execute(f"alter table {table} add column {perturbed} {types[column]}")
        assert set(DERIVED[table]) <= {row[0] for row in cur.execute(f"describe {table}").fetchall()}
    refresh(cur)
    cur.execute(MACROS)
    return False
