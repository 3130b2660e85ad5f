"""The rows in force and their perturbed counts, stored with the rows (migration 008), against
what they replaced: the join with the pointers and the keyed draw made by every query.

Random runs of uploads (some replacing months, some re-sent identically, some naming two
organisations) and rollbacks through the real ledger, on both warehouses; after each step the
stored columns must be what the pointers and the key say, and every view and scope macro must
give exactly the rows and values the old definitions gave."""

import random
from datetime import date

import pandas as pd
import pytest

from data_sources.problems import CheckedUpload
from data_sources.vocabulary import PROTECTED_ACTIVITY_TYPES, PUBLIC_SECTORS, SHEET_COLUMNS, STATUSES
from warehouse import SHEET_TABLES, Warehouse
from warehouse.ledger import RollbackError, rollback_upload, store_upload
from warehouse.organisations import add_organisation
from warehouse.rows_in_force import DERIVED, check, refresh

ORGS = ("aurinko", "kuu")
MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]
TYPES = ("vertaistukitapaaminen", "koulutus", "tyoparityo", "media")

# the definitions of migrations 001 and 005, which 008 replaced: the reference
OLD_VIEW = """
select r.* exclude ({derived}) from {table} r join current_sheet_months c
  on c.upload_id = r.upload_id and c.org_code = r.org_code and c.sheet = '{sheet}' and c.period_month = r.{month}
"""
OLD_ACTIVITIES = """
select * replace (
    case when activity_type = any($types)
         then perturbed_count(count_activities, $below,
                              concat_ws('|', 'n', org_code, activity_month, activity_type, count_activities))
         else count_activities end as count_activities,
    perturbed_count(people_reached, $below,
                    concat_ws('|', 'p', org_code, activity_month, activity_type, people_reached)) as people_reached)
from ({view}) where activity_month between $start and $end
  and ($orgs is null or org_code = any($orgs)) and ($places is null or municipality = any($places))
  and ($sectors is null or target_sector = any($sectors))
"""
OLD_ATTITUDES = """
select * replace (
    perturbed_count(count_respondents, $below,
                    concat_ws('|', 'r', org_code, answer_month, respondent_group, measurement_point,
                              attitude_stage, count_respondents)) as count_respondents)
from ({view}) where answer_month between $start and $end
  and ($orgs is null or org_code = any($orgs)) and ($sectors is null or target_sector = any($sectors))
"""
OLD_CAPACITY = """
select * from ({view}) where capacity_month between $start and $end and ($orgs is null or org_code = any($orgs))
"""
OLD_PUBLIC_DEMAND = """
select * from ({view}) where ($start is null or received_month >= $start) and received_month <= $end
  and requesting_sector = any($public) and ($orgs is null or org_code = any($orgs))
  and ($places is null or municipality = any($places)) and ($sectors is null or requesting_sector = any($sectors))
"""
# whole network; one organisation; a municipality and a sector; nothing (an empty list)
SCOPES = [dict(orgs=None, places=None, sectors=None), dict(orgs=["aurinko"], places=None, sectors=None),
          dict(orgs=None, places=["853"], sectors=["neuvola", "koulu"]), dict(orgs=[], places=None, sectors=None)]


def old_view(sheet: str) -> str:
    table, month = SHEET_TABLES[sheet]
    return OLD_VIEW.format(table=table, sheet=sheet, month=month, derived=", ".join(DERIVED[table]))


def rows(cur, sql: str, params=None) -> list[tuple]:
    frame = cur.execute(sql, params or {}).df()
    return sorted(tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False))


def assert_same_as_before(wh: Warehouse) -> None:
    cur = wh.cursor()
    assert check(cur) == {table: 0 for table, _ in SHEET_TABLES.values()}
    for sheet, view in (("toiminta", "activities"), ("asenteet", "attitudes"), ("kysynta", "demand"),
                        ("kapasiteetti", "capacity")):
        assert rows(cur, f"select * from {view}") == rows(cur, old_view(sheet)), view  # noqa: S608
    window = {"start": date(2025, 2, 1), "end": date(2025, 5, 1)}
    for scope in SCOPES:
        where = {**window, **scope}
        for below in (None, 3, 5, 40):
            params = {**where, "below": below, "types": list(PROTECTED_ACTIVITY_TYPES)}
            new = rows(cur, "select * from activities_in_scope($start, $end, $orgs, $places, $sectors, $below, $types)",
                       params)
            assert new == rows(cur, OLD_ACTIVITIES.format(view=old_view("toiminta")), params), (scope, below)
            params = {k: v for k, v in params.items() if k not in ("places", "types")}
            new = rows(cur, "select * from attitudes_in_scope($start, $end, $orgs, $sectors, $below)", params)
            assert new == rows(cur, OLD_ATTITUDES.format(view=old_view("asenteet")), params), (scope, below)
        params = {k: v for k, v in where.items() if k in ("start", "end", "orgs")}
        assert rows(cur, "select * from capacity_in_scope($start, $end, $orgs)", params) == rows(
            cur, OLD_CAPACITY.format(view=old_view("kapasiteetti")), params), scope
        for start in (None, window["start"]):
            params = {**where, "start": start, "public": list(PUBLIC_SECTORS)}
            new = rows(cur, "select * from public_demand_in_scope($start, $end, $orgs, $places, $sectors, $public)",
                       params)
            assert new == rows(cur, OLD_PUBLIC_DEMAND.format(view=old_view("kysynta")), params), (scope, start)
    cur.close()


def upload(rng: random.Random, number: int, named: bool) -> CheckedUpload:
    """A random accepted upload of Toiminta and Asenteet rows for some months; `named`: the rows
    name their organisation (a network member's file), else the form's organisation is theirs."""
    months = rng.sample(MONTHS, rng.randint(1, 3))
    activity, attitude = [], []
    for month in months:
        for org in (ORGS if named else (None,)):
            for _ in range(rng.randint(0, 4)):
                activity.append({"source_row": len(activity) + 2, "org_code": org,
                                 "activity_month": pd.Timestamp(f"{month}-01"), "activity_type": rng.choice(TYPES),
                                 "count_activities": rng.choice((0, 1, 2, 3, 4, 5, 9, 30)),
                                 "people_reached": rng.choice((None, 1, 2, 4, 7, 60)),
                                 "target_sector": rng.choice((None, "neuvola", "koulu")),
                                 "municipality": rng.choice((None, "853", "734"))})
                attitude.append({"source_row": len(attitude) + 2, "org_code": org,
                                 "answer_month": pd.Timestamp(f"{month}-01"),
                                 "respondent_group": rng.choice(("vanhempi", "lastensuojelun_tyontekija")),
                                 "measurement_point": rng.choice(("ennen", "jalkeen")),
                                 "attitude_stage": rng.randint(1, 5), "count_respondents": rng.choice((1, 2, 3, 4, 8))})
    demand = [{"source_row": n + 2, "org_code": org, "received_month": pd.Timestamp(f"{month}-01"),
               "requesting_sector": rng.choice(("neuvola", "koulu", "jarjesto")), "request_type": None,
               "status": rng.choice(STATUSES), "reason": None, "municipality": rng.choice((None, "853")),
               "count_sessions": rng.randint(1, 6)}
              for n, (month, org) in enumerate((m, o) for m in months for o in (ORGS if named else (None,))
                                               for _ in range(rng.randint(0, 2)))]
    capacity = [{"source_row": n + 2, "org_code": org, "capacity_month": pd.Timestamp(f"{month}-01"),
                 "count_trained": rng.randint(0, 9), "count_active": rng.randint(0, 5), "hours_available": 10.5}
                for n, (month, org) in enumerate((m, o) for m in months for o in (ORGS if named else (None,)))]
    sheets = {"toiminta": pd.DataFrame(activity, columns=list(SHEET_COLUMNS["toiminta"]))}
    if attitude:
        sheets["asenteet"] = pd.DataFrame(attitude, columns=list(SHEET_COLUMNS["asenteet"]))
    if demand and rng.random() < 0.7:
        sheets["kysynta"] = pd.DataFrame(demand, columns=list(SHEET_COLUMNS["kysynta"]))
    if rng.random() < 0.5:
        sheets["kapasiteetti"] = pd.DataFrame(capacity, columns=list(SHEET_COLUMNS["kapasiteetti"]))
    for sheet, frame in sheets.items():
        if frame.empty:   # a month sent with no rows: the month's rows are replaced by none
            sheets[sheet] = pd.DataFrame([{c: None for c in SHEET_COLUMNS[sheet]}]).iloc[:0]
    return CheckedUpload(file_name=f"u{number}.xlsx", content_hash=f"hash{number}", file_type="xlsx", sheets=sheets)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_uploads_and_rollbacks_keep_the_rows_in_force_as_the_pointers_say(make_warehouse, seed):
    rng = random.Random(seed)
    wh = make_warehouse()
    for org in ORGS:
        add_organisation(wh, org, org.title() + " ry", start_month=date(2025, 1, 1))
    stored, sent = [], {}
    for step in range(14):
        action = rng.random()
        if action < 0.25 and stored:
            upload_id = rng.choice(stored)
            try:
                rollback_upload(wh, upload_id, actor="test")
            except RollbackError:
                pass
            stored.remove(upload_id)
        else:
            if sent and action > 0.85:     # the same file again, from the same organisation
                checked, org = sent[rng.choice(list(sent))]
            else:
                named = rng.random() < 0.3
                checked, org = upload(rng, step, named), None if named else rng.choice(ORGS)
            result = store_upload(wh, checked, 100, uploaded_by="test", org_code=org, source="cli")
            sent[checked.file_name] = (checked, org)
            if not result.unchanged:
                stored.append(result.upload_id)
        # every step on the embedded file; on DuckLake (each read a round of catalog queries) every fifth
        if not wh.lake or step % 5 == 4:
            assert_same_as_before(wh)
    cur = wh.cursor()
    # the run was not trivial: some rows left force, some came back by a rollback
    for table in ("activity_rows", "demand_rows"):
        assert min(cur.execute(f"select count(*) filter (where in_force), count(*) filter (where not in_force)"  # noqa: S608
                               f" from {table}").fetchone()) > 0, table
    cur.close()
    wh.close()


def test_the_migration_fills_the_columns_of_rows_stored_before_it(tmp_path):
    """A warehouse at version 7 with rows in force and replaced: after 008 the columns say the same."""
    location = str(tmp_path / "old.duckdb")
    with Warehouse(location, up_to=7) as wh:
        add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        with wh.transaction() as cur:
            cur.execute("update privacy_key set key = 'k'")
            for upload_id, count in ((1, 3), (2, 4)):
                cur.execute("insert into activity_rows (upload_id, source_row, org_code, activity_month, activity_type,"
                            " count_activities, people_reached) values (?, 2, 'aurinko', date '2025-03-01',"
                            " 'vertaistukitapaaminen', ?, 2),"
                            " (?, 3, 'aurinko', date '2025-04-01', 'koulutus', 7, null)",
                            [upload_id, count, upload_id])
            cur.execute("insert into current_sheet_months values ('aurinko', 'toiminta', date '2025-03-01', 2),"
                        " ('aurinko', 'toiminta', date '2025-04-01', 1)")
            before = cur.execute("select activity_month, count_activities from activities_in_scope(date '2025-01-01',"
                                 " date '2025-12-01', null, null, null, 5, ?) order by 1",
                                 [list(PROTECTED_ACTIVITY_TYPES)]).fetchall()
    with Warehouse(location) as wh:
        cur = wh.cursor()
        assert cur.execute("select count(*) filter (where in_force), count(*) from activity_rows").fetchone() == (2, 4)
        after = cur.execute("select activity_month, count_activities from activities_in_scope(date '2025-01-01',"
                            " date '2025-12-01', null, null, null, 5, ?) order by 1",
                            [list(PROTECTED_ACTIVITY_TYPES)]).fetchall()
        assert after == before and len(after) == 2
        cur.close()
        assert_same_as_before(wh)


def test_a_stale_column_is_found_by_the_check_and_put_right_by_a_refresh():
    """The check is the tests' reference: it must notice a row wrongly in force, a row wrongly
    out, and a perturbed count that is not the key's draw."""
    wh = Warehouse(":memory:")
    add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
    rng = random.Random(3)
    first = store_upload(wh, upload(rng, 1, False), 10, uploaded_by="t", org_code="aurinko", source="cli")
    cur = wh.cursor()
    assert sum(check(cur).values()) == 0
    cur.execute("update activity_rows set in_force = not in_force where upload_id = ?", [first.upload_id])
    cur.execute("update attitude_rows set count_respondents_perturbed = count_respondents_perturbed + 1")
    wrong = check(cur)
    assert wrong["activity_rows"] > 0 and wrong["attitude_rows"] > 0
    refresh(cur)
    assert sum(check(cur).values()) == 0
    # a new key draws again: the stored draws are the old key's until refreshed
    cur.execute("update privacy_key set key = 'another'")
    assert check(cur)["activity_rows"] + check(cur)["attitude_rows"] > 0
    refresh(cur)
    assert sum(check(cur).values()) == 0
    cur.close()
    wh.close()


def test_the_check_command_finds_rows_out_of_step_and_repairs_them_to_the_same_figures(tmp_path):
    """An operator's look after a restore or a hand-made change: `cli.py check` exits 1 naming
    each table's rows out of step, `--repair` rewrites them (recorded in the audit log), and the
    board's figures are again exactly those of before."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from queries.figures import compute_figures
    from queries.periods import parse_period
    from queries.scope import Scope
    from warehouse.access import list_audit

    db = tmp_path / "wh.duckdb"
    rng = random.Random(5)
    with Warehouse(str(db)) as wh:
        add_organisation(wh, "aurinko", "Aurinko ry", start_month=date(2025, 1, 1))
        for n in range(3):
            store_upload(wh, upload(rng, n, False), 10, uploaded_by="t", org_code="aurinko", source="cli")
        board = Scope(exact=False, threshold=5)
        before = compute_figures(wh, parse_period("2025H1"), board)
        cur = wh.cursor()
        cur.execute("update activity_rows set in_force = not in_force where source_row % 3 = 0")
        cur.execute("update activity_rows set people_reached_perturbed = people_reached_perturbed + 7")
        cur.close()
        assert compute_figures(wh, parse_period("2025H1"), board) != before   # the figures did move

    def cli(*args):
        done = subprocess.run([sys.executable, "cli.py", "check", "--db", str(db), "--json", "--by", "ylläpito",
                               *args], cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True,
                              timeout=120)
        return done.returncode, json.loads(done.stdout)

    code, found = cli()
    assert code == 1 and found["ok"] is False and found["repaired"] is False
    assert found["rows_out_of_step"]["activity_rows"] > 0 and found["rows_out_of_step"]["attitude_rows"] == 0
    code, repaired = cli("--repair")
    assert code == 0 and repaired["ok"] is True and repaired["repaired"] is True
    assert repaired["rows_out_of_step"] == found["rows_out_of_step"]      # what it found, and put right
    code, again = cli()
    assert code == 0 and again["repaired"] is False and sum(again["rows_out_of_step"].values()) == 0
    with Warehouse(str(db)) as wh:
        assert compute_figures(wh, parse_period("2025H1"), board) == before
        log = list_audit(wh, actions=["rows_refreshed"])
        assert list(log["actor"]) == ["ylläpito"]
        out_of_step = found["rows_out_of_step"]["activity_rows"]
        assert json.loads(log["details"].iloc[0])["rows"] == {"activity_rows": out_of_step}
